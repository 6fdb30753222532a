#!/usr/bin/env bash
# Every test, from nothing: set up the environment with the test extras,
# install the Debian packages the browser test needs, and run the suite.
# The tests start and stop their own graph server (FalkorDB over Bolt).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check ".[test]"
bash scripts/install-test-system-deps.sh
.venv/bin/python -m pytest -q "$@"
