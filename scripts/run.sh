#!/usr/bin/env bash
# Sets everything up, builds in release mode and runs the main job on the built-in default:
# ground truth for 1,000 L2-invariant 2-player 8x8 games (max-welfare CE by LP and the ME CE by
# Newton on the MWMRE dual), written as NumPy archives to ./ground-truth.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OPENBLAS_NUM_THREADS=1
swift build -c release --product equilibria >&2
bin="$(swift build -c release --show-bin-path)/equilibria"
# The Python package (in-process, through the library's C ABI): `import equilibria`.
python3 -m pip install -q ./python 2>/dev/null >&2 || python3 -m pip install -q --break-system-packages ./python >&2
out="${1:-ground-truth}"
"$bin" batch --family l2 --players 2 --actions 8 --count 1000 --seed 0 \
    --concept ce --objective max-welfare,mwmre --preset ME --out "$out"
"$bin" merge "$out" --out "$out.npz"
echo
echo "Archive: $(pwd)/$out.npz (chunks in $(pwd)/$out/); keys and dtypes are listed in README.md."
echo "In Python:  import numpy as np; d = np.load('$out.npz'); d['payoffs'].shape, d['me_joint'].shape"
echo "In-process: import equilibria as eq; eq.mwmre_batch(d['payoffs'], 'ce', normalized=True).joint   # = d['me_joint']"
