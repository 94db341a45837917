#!/usr/bin/env bash
# Installs what the package needs, when it is missing, serially and before anything runs:
# GLPK (LP), L-BFGS-B and LAPACK/OpenBLAS (the MWMRE solver). With --tests, also what the test
# suite uses: Slurm and munge (the real job-array test), Chromium (the HTML report rendered by a
# browser), NumPy (archives opened by NumPy itself) and OpenSpiel (its .nfg reader, for the
# interoperability tests). Needs root (or sudo) for apt-get.
# Tests never install anything themselves: two apt-gets at once collide on the dpkg lock.
set -euo pipefail
packages=(libglpk-dev liblbfgsb-dev liblapacke-dev libopenblas-dev pkg-config)
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
for module in numpy:numpy pyspiel:open_spiel; do
  $tests || break
  if ! python3 -c "import ${module%%:*}" 2>/dev/null; then
    echo "Installing: ${module#*:} (pip)" >&2
    python3 -m pip install -q "${module#*:}" 2>/dev/null || python3 -m pip install -q --break-system-packages "${module#*:}"
  fi
done
command -v swift >/dev/null || { echo "swift is not on PATH; install Swift 6 first" >&2; exit 1; }
