#!/usr/bin/env bash
# Runs every Google Benchmark suite in build/bench (bench_<name>) at one scale and thread count,
# and writes OUT/<name>.json (Google Benchmark JSON), OUT/report.md (a table per suite, with
# peer ratios) and OUT/report.json (machine, options, and the per-suite JSON files).
# Plain bash + awk/sed: no Python or jq needed.
set -uo pipefail

usage() {
  cat <<'EOF'
Usage: bench/run-suite.sh [--scale S] [--threads T] [--out DIR] [--quick] [--build DIR]

Runs every benchmark binary in BUILD/bench (bench_anpr, bench_centrality, bench_extract,
bench_graph, bench_graphalytics, bench_ingest, bench_links, bench_networks) and writes
DIR/<name>.json, DIR/report.md and DIR/report.json. It builds nothing: build first with
scripts/setup.sh (or
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build
  ). A suite whose binary is missing is reported as "not built".

  --scale S    generated-data scale (a number, e.g. 0.1, 1, 10): POLEGRAPH_BENCH_SCALES=S for
               anpr and ingest, S x 1M records for extract, S x 10M edges for graph. The
               Kronecker/LFR suites (graphalytics, links, networks) keep their registered
               sizes. Default: each bench's own defaults.
  --threads T  run only the rows at T threads where a bench has a thread argument (1 or 2;
               graphalytics always runs polegraph at 2). Default: all registered counts.
  --out DIR    output directory (default bench-results/<UTC date-time>).
  --quick      smallest sizes, short minimum times: a smoke run of well under a minute.
  --build DIR  build directory (default: build, relative to the repository root).

OMP_WAIT_POLICY is set to passive unless already set. Peers: Boost.Graph (graphalytics, links,
centrality betweenness) and igraph (networks, centrality PageRank, graphalytics WCC; only when
built with igraph, IGRAPH_FOUND in CMakeCache.txt). A peer without rows is reported as "missing".
EOF
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scale="" threads="" out="" quick=0 build="$root/build"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --scale) scale="${2:?--scale needs a value}"; shift 2 ;;
    --threads) threads="${2:?--threads needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a value}"; shift 2 ;;
    --build) build="${2:?--build needs a value}"; shift 2 ;;
    --quick) quick=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-suite.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -n "$scale" && ! "$scale" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "run-suite.sh: --scale must be a number such as 0.1 or 10, got '$scale'" >&2; exit 2
fi
if [[ -n "$threads" && ! "$threads" =~ ^[12]$ ]]; then
  echo "run-suite.sh: --threads must be 1 or 2 (the counts the benches register), got '$threads'" >&2
  exit 2
fi
if [[ ! -d "$build/bench" ]]; then
  echo "run-suite.sh: no $build/bench; build first (scripts/setup.sh, see --help)" >&2; exit 1
fi
[[ -z "$out" ]] && out="$root/bench-results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out" || exit 1
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"

suites=(anpr centrality extract graph graphalytics ingest links networks)
T="$threads"

# Per-suite environment and --benchmark_filter for the chosen scale / threads / quick mode.
suite_env() {
  local s="$1"
  case "$s" in
    anpr|ingest)
      if ((quick)); then echo "POLEGRAPH_BENCH_SCALES=${scale:-0.01}"
      elif [[ -n "$scale" ]]; then echo "POLEGRAPH_BENCH_SCALES=$scale"; fi ;;
    extract)
      if [[ -n "$scale" ]]; then echo "POLEGRAPH_BENCH_RECORDS=$(awk -v s="$scale" 'BEGIN{printf "%d", s*1000000}')"
      elif ((quick)); then echo "POLEGRAPH_BENCH_RECORDS=100000"; fi ;;
    graph)
      if [[ -n "$scale" ]]; then echo "POLEGRAPH_BENCH_EDGES=$(awk -v s="$scale" 'BEGIN{printf "%d", s*10000000}')"
      elif ((quick)); then echo "POLEGRAPH_BENCH_EDGES=1000000"; fi ;;
    links)
      if ((quick)); then echo "POLEGRAPH_LINKS_BENCH_SCALES=14"; fi ;;
  esac
}
suite_filter() {
  local s="$1" t="${T:-[0-9]+}" e="(/|\$)"  # e: end of an argument (names may go on with /real_time)
  case "$s" in
    anpr) [[ -n "$T" ]] && echo "(/threads:$T$e)|BM_NearbyLatency" ;;
    ingest) [[ -n "$T" ]] && echo "/threads:$T$e" ;;
    graph) [[ -n "$T" ]] && echo "(BM_Build/$T$e)|BM_Save|BM_Open" ;;
    graphalytics) ((quick)) && echo "/16$e" ;;
    links) [[ -n "$T" ]] && echo "(BM_HopDistances/[0-9]+/$T/)|BM_BoostBfs|(BM_ShortestPath/[0-9]+/$T$e)" ;;
    centrality)
      # Graph ids: see bench/centrality_bench.cc; quick: LFR 10^4, Kronecker 14, LFR 2000, Kron 11.
      local g="[0-9]+"; ((quick)) && g="(0|2|4|5)"
      if [[ -n "$T" || $quick -eq 1 ]]; then
        echo "(^BM_[A-Za-z0-9]+/$g/$t$e)|(^BM_(Igraph|Boost)[A-Za-z]+/$g$e)"
      fi ;;
    networks)
      # Graph ids: 0 LFR 10^4, 1 LFR 10^5, 2 Kronecker 14, 3 Kronecker 16, 4 LFR 2000, 5 Kron 11.
      local g="[0-9]+"; ((quick)) && g="(0|2|4|5)"
      if [[ -n "$T" || $quick -eq 1 ]]; then
        echo "(^BM_[A-Za-z]+/$g/$t$e)|(^BM_(Igraph|Boost)[A-Za-z]+/$g$e)"
      fi ;;
  esac
  return 0
}

json_str() {  # JSON string literal
  local v="$1"
  v="${v//\\/\\\\}"; v="${v//\"/\\\"}"; v="${v//$'\t'/ }"; v="${v//$'\n'/ }"
  printf '"%s"' "$v"
}

# --- machine ---------------------------------------------------------------------------------
cache="$build/CMakeCache.txt"
cache_get() { sed -n "s/^$1:[A-Z]*=//p" "$cache" 2>/dev/null | head -1; }
cpu_model="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
cpus="$(nproc 2>/dev/null || echo unknown)"
cores_per_socket="$(lscpu 2>/dev/null | sed -n 's/^Core(s) per socket:[[:space:]]*//p' | head -1)"
sockets="$(lscpu 2>/dev/null | sed -n 's/^Socket(s):[[:space:]]*//p' | head -1)"
mem_gib="$(awk '/^MemTotal:/ {printf "%.1f", $2/1048576}' /proc/meminfo 2>/dev/null)"
kernel="$(uname -sr)"
cxx="$(cache_get CMAKE_CXX_COMPILER)"
cxx_version="$([[ -n "$cxx" && -x "$cxx" ]] && "$cxx" --version 2>/dev/null | head -1)"
build_type="$(cache_get CMAKE_BUILD_TYPE)"
igraph_found="$(cache_get IGRAPH_FOUND)"
commit="$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
  commit="$commit (dirty)"
fi
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
loadavg="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"

# --- run -------------------------------------------------------------------------------------
declare -A status envs filters
for s in "${suites[@]}"; do
  bin="$build/bench/bench_$s"
  envs[$s]="$(suite_env "$s")"
  filters[$s]="$(suite_filter "$s")"
  if [[ ! -x "$bin" ]]; then
    status[$s]="not built"
    echo "== $s: $bin not built, skipped (reported as not built)" >&2
    continue
  fi
  args=(--benchmark_format=json "--benchmark_out=$out/$s.json" --benchmark_out_format=json)
  [[ -n "${filters[$s]}" ]] && args+=("--benchmark_filter=${filters[$s]}")
  ((quick)) && args+=(--benchmark_min_time=0.05)
  echo "== $s: ${envs[$s]:+${envs[$s]} }$bin ${args[*]}" >&2
  t0=$SECONDS
  # shellcheck disable=SC2086  # envs[$s] is a list of NAME=VALUE words
  env ${envs[$s]} "$bin" "${args[@]}" >"$out/$s.stdout" 2>"$out/$s.stderr"
  rc=$?
  status[$s]="exit $rc, $((SECONDS - t0)) s"
  [[ $rc -ne 0 ]] && echo "== $s: exit code $rc (see $out/$s.stderr)" >&2
done

# --- parse: Google Benchmark JSON -> TSV (name, real_time, unit, label, error, counters) -------
# Relies on the library's pretty-printed output: one "key": value per line.
to_tsv() {
  awk '
    /"benchmarks": \[/ { inb = 1; next }
    !inb { next }
    /^ *\{ *$/ { n = ""; rt = ""; u = ""; lab = ""; err = ""; c = ""; agg = ""; next }
    /^ *\},? *$/ {
      if (n != "" && agg == "") print n "\t" rt "\t" u "\t" lab "\t" err "\t" c
      n = ""; next
    }
    match($0, /^ *"[^"]+": /) {
      k = substr($0, RSTART, RLENGTH); sub(/^ *"/, "", k); sub(/": $/, "", k)
      v = substr($0, RSTART + RLENGTH); sub(/,$/, "", v)
      if (v ~ /^"/) { sub(/^"/, "", v); sub(/"$/, "", v) }
      if (k == "name") n = v
      else if (k == "real_time") rt = v
      else if (k == "time_unit") u = v
      else if (k == "label") lab = v
      else if (k == "error_message") err = v
      else if (k == "aggregate_name") agg = v
      else if (k ~ /^(family_index|per_family_instance_index|run_name|run_type|repetitions|repetition_index|threads|iterations|cpu_time|error_occurred|aggregate_unit)$/) {}
      else c = c (c == "" ? "" : ";") k "=" v
    }
  ' "$1"
}

# Markdown table for one suite. Peer pairs: "polegraph-regex,peer-family,peer" (the key joining
# a polegraph row to a peer row is the first argument after the family name).
suite_table() {
  local s="$1" tsv="$2" pairs="$3" igraph_missing="$4"
  awk -F'\t' -v pairs="$pairs" -v igm="$igraph_missing" '
    function human(x,   a) {
      a = (x < 0) ? -x : x
      if (a >= 1e9) return sprintf("%.3g G", x / 1e9)
      if (a >= 1e6) return sprintf("%.3g M", x / 1e6)
      if (a >= 1e4) return sprintf("%.3g k", x / 1e3)
      if (a == int(a)) return sprintf("%d", x)
      return sprintf("%.3g", x)
    }
    function ms(t, u) {
      return u == "ns" ? t / 1e6 : u == "us" ? t / 1e3 : u == "s" ? t * 1e3 : t
    }
    function key(name,   p) { split(name, p, "/"); return p[2] }
    function fam(name,   p) { split(name, p, "/"); return p[1] }
    { gsub(/\|/, "\\|"); name[NR] = $1; t[NR] = ms($2, $3); lab[NR] = $4; err[NR] = $5; cs[NR] = $6; N = NR
      byfam[fam($1) SUBSEP key($1)] = NR }
    END {
      np = split(pairs, P, " ")
      print "| Benchmark | Real time (ms) | Throughput | Memory | Other counters | Peer ratio |"
      print "|-----------|---------------:|------------|--------|----------------|------------|"
      for (i = 1; i <= N; i++) {
        thr = ""; mem = ""; oth = ""
        nc = split(cs[i], C, ";")
        for (j = 1; j <= nc; j++) {
          split(C[j], kv, "="); k = kv[1]; v = kv[2] + 0
          cell = k " " human(v)
          if (k ~ /(_per_s|per_second)$|^TEPS$/) thr = thr (thr == "" ? "" : ", ") cell
          else if (k ~ /rss|MiB|bytes_per_edge|memory/) mem = mem (mem == "" ? "" : ", ") cell
          else oth = oth (oth == "" ? "" : ", ") cell
        }
        if (lab[i] != "") oth = oth (oth == "" ? "" : ", ") lab[i]
        ratio = ""
        for (p = 1; p <= np; p++) {
          split(P[p], q, ",")
          if (name[i] !~ q[1]) continue
          sep = (ratio == "") ? "" : "; "
          if (q[3] == "igraph" && igm != "") { ratio = ratio sep "igraph: missing"; continue }
          r = byfam[q[2] SUBSEP key(name[i])]
          if (r == "" || err[r] != "" || t[i] <= 0) ratio = ratio sep q[3] ": missing"
          else ratio = ratio sep sprintf("%s %s / polegraph = %.2fx", q[3], q[2], t[r] / t[i])
        }
        tm = (err[i] != "") ? "error: " err[i] : sprintf("%.3f", t[i])
        printf "| %s | %s | %s | %s | %s | %s |\n", name[i], tm, thr, mem, oth, ratio
      }
    }' "$tsv"
}

# Peer pairs per suite (regexes are awk EREs matched against polegraph row names).
declare -A pairs=(
  [graphalytics]='^BM_PolegraphBfs/,BM_BoostBfs,Boost.Graph ^BM_PolegraphWcc/,BM_BoostWcc,Boost.Graph ^BM_PolegraphWcc/,BM_IgraphWcc,igraph'
  [links]='^BM_HopDistances/[0-9]+/[0-9]+/0(/|$),BM_BoostBfs,Boost.Graph'
  [centrality]='^BM_PageRank/,BM_IgraphPageRank,igraph ^BM_Betweenness/,BM_BoostBetweenness,Boost.Graph'
  [networks]='^BM_Louvain/,BM_IgraphMultilevel,igraph ^BM_Leiden/,BM_IgraphLeiden,igraph ^BM_Lpa/,BM_IgraphLabelPropagation,igraph'
)
declare -A peers_of=([centrality]="Boost.Graph igraph" [graphalytics]="Boost.Graph igraph" [links]="Boost.Graph" [networks]="igraph")
peer_family() { case "$1" in Boost.Graph) echo "BM_Boost" ;; igraph) echo "BM_Igraph" ;; esac; }

report="$out/report.md"
{
  echo "# polegraph benchmark report"
  echo
  echo "Started $started; command: \`bench/run-suite.sh${scale:+ --scale $scale}${threads:+ --threads $threads}$( ((quick)) && echo ' --quick')\`."
  echo
  echo "| Machine | |"
  echo "|---|---|"
  echo "| CPU | ${cpu_model:-unknown} |"
  echo "| CPUs / sockets x cores per socket | $cpus / ${sockets:-?} x ${cores_per_socket:-?} |"
  echo "| Memory | ${mem_gib:-?} GiB |"
  echo "| Kernel | $kernel |"
  echo "| Compiler | ${cxx_version:-unknown} (${cxx:-?}) |"
  echo "| Build type | ${build_type:-unknown} ($build) |"
  echo "| igraph built in | $([[ "$igraph_found" == 1 ]] && echo yes || echo "no (IGRAPH_FOUND=${igraph_found:-unset})") |"
  echo "| Commit | $commit |"
  echo "| Load average at start | $loadavg |"
  echo "| OMP_WAIT_POLICY | $OMP_WAIT_POLICY |"
  echo
  echo "Peer ratio = peer real time / polegraph real time at the same size (> 1: polegraph faster)."
  echo "Times are wall-clock (real) times per iteration."
  for s in "${suites[@]}"; do
    echo
    echo "## $s"
    echo
    echo "Run: ${status[$s]}${envs[$s]:+; env ${envs[$s]}}${filters[$s]:+; filter \`${filters[$s]}\`}."
    if [[ "${status[$s]}" == "not built" || ! -s "$out/$s.json" ]]; then
      echo
      echo "**No results** (binary ${status[$s]}; no $s.json)."
      for p in ${peers_of[$s]:-}; do echo; echo "Peer $p: **missing** (suite did not run)."; done
      continue
    fi
    tsv="$out/.$s.tsv"
    to_tsv "$out/$s.json" >"$tsv"
    igm=""
    for p in ${peers_of[$s]:-}; do
      fam="$(peer_family "$p")"
      if ! cut -f1 "$tsv" | grep -q "^$fam"; then
        why="no $p rows in the output"
        [[ "$p" == igraph && "$igraph_found" != 1 ]] && why="not built in: IGRAPH_FOUND=${igraph_found:-unset} in CMakeCache.txt"
        echo
        echo "Peer $p: **missing** ($why)."
        [[ "$p" == igraph ]] && igm=1
      else
        echo
        echo "Peer $p: present."
      fi
    done
    echo
    suite_table "$s" "$tsv" "${pairs[$s]:-}" "$igm"
    rm -f "$tsv"
  done
} >"$report"

# --- report.json -----------------------------------------------------------------------------
{
  echo "{"
  echo "  \"started\": $(json_str "$started"),"
  echo "  \"options\": {\"scale\": $(json_str "$scale"), \"threads\": $(json_str "$threads"), \"quick\": $([[ $quick == 1 ]] && echo true || echo false), \"omp_wait_policy\": $(json_str "$OMP_WAIT_POLICY")},"
  echo "  \"machine\": {"
  echo "    \"cpu_model\": $(json_str "$cpu_model"),"
  echo "    \"cpus\": $(json_str "$cpus"),"
  echo "    \"sockets\": $(json_str "$sockets"),"
  echo "    \"cores_per_socket\": $(json_str "$cores_per_socket"),"
  echo "    \"memory_gib\": $(json_str "$mem_gib"),"
  echo "    \"kernel\": $(json_str "$kernel"),"
  echo "    \"compiler\": $(json_str "$cxx_version"),"
  echo "    \"compiler_path\": $(json_str "$cxx"),"
  echo "    \"build_type\": $(json_str "$build_type"),"
  echo "    \"igraph\": $([[ "$igraph_found" == 1 ]] && echo true || echo false),"
  echo "    \"commit\": $(json_str "$commit"),"
  echo "    \"loadavg\": $(json_str "$loadavg")"
  echo "  },"
  echo "  \"suites\": ["
  n=${#suites[@]} i=0
  for s in "${suites[@]}"; do
    i=$((i + 1))
    f=""; [[ -s "$out/$s.json" ]] && f="$s.json"
    printf '    {"name": %s, "status": %s, "json": %s, "env": %s, "filter": %s}%s\n' \
      "$(json_str "$s")" "$(json_str "${status[$s]}")" "$(json_str "$f")" \
      "$(json_str "${envs[$s]}")" "$(json_str "${filters[$s]}")" "$([[ $i -lt $n ]] && echo ,)"
  done
  echo "  ]"
  echo "}"
} >"$out/report.json"

echo "Wrote $report and $out/report.json" >&2
