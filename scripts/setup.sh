#!/usr/bin/env bash
# Installs the system libraries the package links against, when they are missing.
# GLPK (LP), L-BFGS-B and LAPACK/OpenBLAS (the MWMRE solver). Needs root (or sudo) for apt-get.
set -euo pipefail
packages=(libglpk-dev liblbfgsb-dev liblapacke-dev libopenblas-dev pkg-config)
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
command -v swift >/dev/null || { echo "swift is not on PATH; install Swift 6 first" >&2; exit 1; }
