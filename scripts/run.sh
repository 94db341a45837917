#!/usr/bin/env bash
# Sets everything up, builds in release mode and runs the main job on the built-in default:
# exact, certified max-welfare equilibria of the paper's Table 5 games and of Chicken.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OPENBLAS_NUM_THREADS=1
swift build -c release --product equilibria >&2
bin="$(swift build -c release --show-bin-path)/equilibria"
"$bin" solve Fixtures/table5-ce.json --concept ce --exact
echo
"$bin" solve Fixtures/table5-cce.json --concept cce --exact
echo
"$bin" solve Fixtures/chicken.json --concept ce --exact
