#!/usr/bin/env bash
# Installs the built polegraph into a temporary prefix and builds examples/ against it as an
# outside project would: find_package(polegraph CONFIG REQUIRED) + polegraph::polegraph.
# Then runs every example and checks its output:
#   quickstart         the two OFFICIAL links to the offence are listed (by the link analysis
#                      and by the hand-filtered CSR), the person named only by SECRET
#                      intelligence is not;
#   extract_roundtrip  3 records read, 2 accepted, 1 quarantined with its reason;
#   investigate        on a scale-0.01 snapshot made by the installed polegraph-gen and
#                      polegraph ingest: the clearance used is printed, and at the default
#                      OFFICIAL no link of an OFFICIAL-SENSITIVE record appears;
#   networks           on the same snapshot: communities found and one link explained by its
#                      records.
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

fail() { echo "check_install: $*" >&2; exit 1; }
expect() {  # expect FILE PATTERN: FILE has a line matching the fixed string PATTERN
  grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$(basename "$1"): no line with '$2'"; }
}
refuse() {  # refuse FILE PATTERN: FILE has no line matching the fixed string PATTERN
  if grep -qF -- "$2" "$1"; then cat "$1" >&2; fail "$(basename "$1"): shows '$2'"; fi
}

# quickstart: a graph built in code, seen at OFFICIAL.
"$tmp/build/example_quickstart" >"$tmp/quickstart.out"
expect "$tmp/quickstart.out" "clearance OFFICIAL: 2 links to offence:MPS/CR-1"
expect "$tmp/quickstart.out" "link: person:16/0012345L SUSPECT_IN offence:MPS/CR-1 (PND record CRIME-1)"
expect "$tmp/quickstart.out" "link: person:18/0054321T ARRESTED_FOR offence:MPS/CR-1 (PND record CRIME-1)"
expect "$tmp/quickstart.out" "raw:  person:16/0012345L SUSPECT_IN offence:MPS/CR-1 (PND record CRIME-1)"
expect "$tmp/quickstart.out" "raw:  person:18/0054321T ARRESTED_FOR offence:MPS/CR-1 (PND record CRIME-1)"
refuse "$tmp/quickstart.out" "20/0000001E"
refuse "$tmp/quickstart.out" "INTEL-7"

# extract_roundtrip: ExtractWriter -> Ingest -> report.
mkdir "$tmp/extract"
"$tmp/build/example_extract_roundtrip" "$tmp/extract" >"$tmp/extract_roundtrip.out"
expect "$tmp/extract_roundtrip.out" "wrote $tmp/extract/pnc.pb: 3 records"
expect "$tmp/extract_roundtrip.out" "read 3, accepted 2, quarantined 1"
expect "$tmp/extract_roundtrip.out" "quarantined: record 1 (PNC-V-1) at offset"
expect "$tmp/extract_roundtrip.out" "invalid VRM '!!'"
expect "$tmp/extract_roundtrip.out" "  person:16/0012345L"
expect "$tmp/extract_roundtrip.out" "  person:18/0054321T"

# A small synthetic snapshot, made by the installed tools (well under a second each).
"$tmp/prefix/bin/polegraph-gen" --scale 0.01 --seed 3 --out "$tmp/data" >/dev/null
"$tmp/prefix/bin/polegraph" ingest "$tmp/data/pnc.pb" "$tmp/data/pnd.pb" "$tmp/data/anpr.pb" \
  --out "$tmp/g.pg" >/dev/null
members=$(grep -o '"person:[^"]*"' "$tmp/data/truth.json" | head -2 | tr -d '"')
[ "$(echo "$members" | wc -l)" = 2 ] || fail "truth.json names fewer than two group members"

# investigate: the default clearance is OFFICIAL and says so; a caller cleared for
# OFFICIAL-SENSITIVE with the generator's caveats is told which clearance was used too.
# shellcheck disable=SC2086  # two entity names
"$tmp/build/example_investigate" "$tmp/g.pg" $members >"$tmp/investigate.out"
expect "$tmp/investigate.out" "? (clearance OFFICIAL, caveats none)"
# shellcheck disable=SC2086
"$tmp/build/example_investigate" "$tmp/g.pg" $members --clearance official-sensitive \
  --caveats PERSONAL,LOCSEN >"$tmp/investigate_os.out"
expect "$tmp/investigate_os.out" "? (clearance OFFICIAL-SENSITIVE, caveats PERSONAL,LOCSEN)"
# Every record id the OFFICIAL run shows must be one an OFFICIAL caller may see: compare with
# the CLI's own path search at the same clearance (links.h as well, through another caller).
"$tmp/prefix/bin/polegraph" path "$tmp/g.pg" --from "$(echo "$members" | sed -n 1p)" \
  --to "$(echo "$members" | sed -n 2p)" --text >"$tmp/path.out"
for id in $(grep -o 'record [^]]*]' "$tmp/investigate.out" | sed 's/record //; s/]//'); do
  expect "$tmp/path.out" "$id"
done
"$tmp/build/example_investigate" "$tmp/g.pg" >"$tmp/investigate_busiest.out"
expect "$tmp/investigate_busiest.out" "? (clearance OFFICIAL, caveats none)"
if "$tmp/build/example_investigate" "$tmp/g.pg" person:20/0000001E person:20/0000001E \
  >/dev/null 2>"$tmp/investigate_missing.err"; then
  fail "investigate accepted an entity that is not in the snapshot"
fi
expect "$tmp/investigate_missing.err" "entity 'person:20/0000001E' not found"

# networks: communities at OFFICIAL, and one link with the records behind it.
"$tmp/build/example_networks" "$tmp/g.pg" >"$tmp/networks.out"
expect "$tmp/networks.out" "clearance OFFICIAL: projection of"
expect "$tmp/networks.out" "leiden (seed 7): "
expect "$tmp/networks.out" "largest community #"
expect "$tmp/networks.out" ") because:"
grep -qE '^    person:.* -[A-Z_]+-> .*\[(PNC|PND) record [^]]+\]$' "$tmp/networks.out" ||
  { cat "$tmp/networks.out" >&2; fail "networks: no explained link with its record"; }

echo "installed package: ok"
