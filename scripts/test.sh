#!/usr/bin/env bash
# Installs what is missing and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# Everything the tests use is installed here, before any test starts.
bash scripts/setup.sh --tests
export OPENBLAS_NUM_THREADS=1
timeout 3000 swift build --build-tests
timeout 2400 swift test --skip-build
