#!/usr/bin/env bash
# Max-welfare CE and CCE by LP: our double and exact paths, then HiGHS (highspy) on the very same
# games (8×8, 4×4×4, 16×16, and the larger sweep 24×24 … 64×64, 8×8×8, 10×10×10, 6^4, 4^5).
#   bash Benchmarks/run-lp.sh [games per small shape]
set -euo pipefail
cd "$(dirname "$0")"
bash ../scripts/setup.sh
export OPENBLAS_NUM_THREADS=1
count="${1:-1000}"
folder="$(mktemp -d)"
swift build -c release >&2
python3 -c "import highspy" 2>/dev/null || pip install -q highspy
for concept in ce cce; do
    .build/release/lp-benchmark "$count" --concept "$concept" --json "$folder/$concept.jsonl"
    echo
    python3 peers/highs_max_welfare_ce.py "$folder/$concept.jsonl"
    echo
done
