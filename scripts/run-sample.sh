#!/usr/bin/env bash
# The main job, from nothing: set up the environment once, build the bundled
# sample corpus into out/sample (with its embedded store), run the flagship
# query on the embedded store and write an interactive HTML view.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/kg ]; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check .
fi

.venv/bin/kg build samples/seeds --out out/sample
echo
echo "Chain-master firms and the projects that support them (kg query chain_masters):"
.venv/bin/kg query chain_masters --build out/sample
.venv/bin/kg export html out/sample --out out/sample/graph.html
echo "Open out/sample/graph.html in a browser to explore the graph."
