#!/usr/bin/env bash
# Installs the built polegraph into a temporary prefix and builds examples/ against it as an
# outside project would: find_package(polegraph CONFIG REQUIRED) + polegraph::polegraph.
# Then runs one example binary to show it links and works.
set -euo pipefail
src=$1 bin=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$bin" --prefix "$tmp/prefix" >/dev/null
# A sanitizer build's libraries need the consumer to link the same runtime, with the same compiler.
cache="$bin/CMakeCache.txt"
sanitize=$(sed -n 's/^POLEGRAPH_SANITIZE:STRING=//p' "$cache")
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$cache")
flags=""
case "$sanitize" in
  address) flags="-fsanitize=address,undefined" ;;
  thread) flags="-fsanitize=thread" ;;
esac
cmake -S "$src/examples" -B "$tmp/build" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_CXX_FLAGS="$flags" >/dev/null
cmake --build "$tmp/build" >/dev/null
test -x "$tmp/build/example_quickstart"
"$tmp/build/example_quickstart" | grep -q "link: person:16/0012345N SUSPECT_IN offence:MPS/CR-1"
echo "installed package: ok"
