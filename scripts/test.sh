#!/usr/bin/env bash
# Installs what is missing and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# Everything the tests use is installed here, before any test starts.
bash scripts/setup.sh --tests
export OPENBLAS_NUM_THREADS=1
# Zero compiler warnings in our own code: a warning fails the test command (a fresh build shows
# every warning; an incremental one only those of the files it recompiles).
log=$(mktemp)
timeout 3000 swift build --build-tests 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"
if grep -E "^$(pwd)/(Sources|Tests)/.*: warning:" "$log"; then
  echo "compiler warnings in the project's code (above): the build must have none" >&2
  exit 1
fi
timeout 2400 swift test --skip-build
# The Python package, against the library and CLI just built (debug), by pytest.
swift build --product EquilibriaABI >/dev/null
bin="$(swift build --show-bin-path)"
# The checkout's packages (python/ and the reference NES, examples/nes/), never copies installed
# earlier; child interpreters too. JAX runs on the CPU here.
# Two runs: each test folder has its own conftest, imported by its tests as `conftest`.
export PYTHONPATH="$(pwd)/python:$(pwd)/examples/nes" EQUILIBRIA_LIBRARY="$bin/libEquilibriaABI.so" \
  EQUILIBRIA_CLI="$bin/equilibria" JAX_PLATFORMS=cpu
timeout 1800 python3 -m pytest -q -p no:cacheprovider python/tests
timeout 2400 python3 -m pytest -q -p no:cacheprovider examples/nes/tests
