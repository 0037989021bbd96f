#!/usr/bin/env bash
# The README's first command: install the dependencies, build polegraph, then run the main
# job on built-in synthetic data — generate PNC, PND and ANPR extracts, ingest them into a
# snapshot, and print a short report (counts by kind, quarantined records, an example link).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build
out=out/demo
rm -rf "$out" && mkdir -p "$out"
build/tools/polegraph-gen --scale 0.1 --seed 7 --bad-fraction 0.001 --out "$out" >/dev/null
build/tools/polegraph ingest "$out/pnc.pb" "$out/pnd.pb" "$out/anpr.pb" --out "$out/demo.pg" \
  --threads 2 --text
echo
build/examples/example_investigate "$out/demo.pg" $(grep -o '"person:[^"]*"' "$out/truth.json" | head -2 | tr -d '"')
