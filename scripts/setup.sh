#!/usr/bin/env bash
# Installs what the package needs, when it is missing, serially and before anything runs:
# GLPK (LP), GMP (the exact re-solve of LP bases), zlib (the CRC-32 of archive entries), L-BFGS-B and LAPACK/OpenBLAS (the MWMRE solver). With --tests, also what the test
# suite uses: Slurm and munge (the real job-array test), Chromium (the HTML report rendered by a
# browser), and from PyPI NumPy (archives opened by NumPy itself), cffi and pytest (the Python
# package and its tests), OpenSpiel with cvxpy and matplotlib (its .nfg reader, and JPSRO with
# our meta-solvers). Python 3 and pip come from Debian when missing. Needs root (or sudo) for
# apt-get.
# Tests never install anything themselves: two apt-gets at once collide on the dpkg lock.
set -euo pipefail
packages=(libglpk-dev liblbfgsb-dev liblapacke-dev libopenblas-dev libgmp-dev zlib1g-dev pkg-config)
# Python 3 and pip, for the Python package (python/): from Debian only when there is none.
command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1 || packages+=(python3 python3-pip)
tests=false
[ "${1:-}" = "--tests" ] && tests=true
$tests && packages+=(slurm-wlm munge chromium python3-pip)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# pip, also where the system Python is externally managed (PEP 668).
pip_install() {
  python3 -m pip install -q "$@" 2>/dev/null || python3 -m pip install -q --break-system-packages "$@"
}
python_modules=(numpy:numpy cffi:cffi)
$tests && python_modules+=(pytest:pytest pyspiel:open_spiel cvxpy:cvxpy matplotlib:matplotlib jax:jax flax:flax optax:optax)
for module in "${python_modules[@]}"; do
  if ! python3 -c "import ${module%%:*}" 2>/dev/null; then
    echo "Installing: ${module#*:} (pip)" >&2
    pip_install "${module#*:}"
  fi
done
command -v swift >/dev/null || { echo "swift is not on PATH; install Swift 6 first" >&2; exit 1; }
