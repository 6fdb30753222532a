#!/usr/bin/env bash
# The main job, from nothing: set up the environment, install this checkout into
# it, build the bundled sample corpus into out/sample (with its embedded store),
# run the flagship query on the embedded store and write an interactive HTML view.
#
# The checkout is installed whenever its package files differ from what was
# installed last (a checksum of pyproject.toml and every file under kg/,
# loaders/, schema/ and queries/, kept in .venv/.chainkg-installed), so an
# updated checkout never runs the old package, and a run with nothing changed
# skips pip.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
stamp=.venv/.chainkg-installed
checksum=$(find pyproject.toml kg loaders schema queries -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 \
    | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/kg ] || [ "$(cat "$stamp" 2>/dev/null)" != "$checksum" ]; then
    echo "installing this checkout into .venv"
    .venv/bin/pip install --quiet --disable-pip-version-check .
    echo "$checksum" > "$stamp"
fi

.venv/bin/kg build samples/seeds --out out/sample
echo
echo "Chain-master firms and the projects that support them (kg query chain_masters):"
.venv/bin/kg query chain_masters --build out/sample
.venv/bin/kg export html out/sample --out out/sample/graph.html
echo "Open out/sample/graph.html in a browser to explore the graph."
