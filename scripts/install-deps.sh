#!/usr/bin/env bash
# Installs polegraph's build dependencies from Debian 12's packages (run as root).
# Skips apt entirely when every package is already installed.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-graph-dev libboost-dev libabsl-dev libprotobuf-dev protobuf-compiler
  catch2 libbenchmark-dev libomp-dev
  libigraph-dev          # peer for the benches (bench-only)
  clang libclang-rt-14-dev  # ThreadSanitizer runs and fuzzing
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
