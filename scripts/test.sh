#!/usr/bin/env bash
# Installs what is missing and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export OPENBLAS_NUM_THREADS=1
# The archive tests open our .npz files with NumPy itself.
python3 -c "import numpy" 2>/dev/null || python3 -m pip install -q numpy
timeout 3000 swift build --build-tests
timeout 2400 swift test --skip-build
