#!/usr/bin/env bash
# Max-welfare CE by LP: our double and exact paths, then HiGHS (highspy) on the very same games.
#   bash Benchmarks/run-lp.sh [games per shape]
set -euo pipefail
cd "$(dirname "$0")"
bash ../scripts/setup.sh
export OPENBLAS_NUM_THREADS=1
count="${1:-1000}"
games="$(mktemp -d)/games.jsonl"
swift build -c release >&2
.build/release/lp-benchmark "$count" --json "$games"
echo
python3 -c "import highspy" 2>/dev/null || pip install -q highspy
python3 peers/highs_max_welfare_ce.py "$games"
