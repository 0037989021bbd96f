#!/usr/bin/env bash
# Runs every Google Benchmark suite in build/bench (bench_<name>) at one scale and thread count,
# and writes OUT/<name>.json (Google Benchmark JSON), OUT/report.md (a table per suite: time,
# throughput, peak memory, bytes per edge, peer ratios) and OUT/report.json (machine, options,
# and every row's columns). The columns are explained in bench/README.md ("Report columns").
# Plain bash + awk/sed: no Python or jq needed.
set -uo pipefail

usage() {
  cat <<'EOF'
Usage: bench/run-suite.sh [--scale S] [--threads T] [--out DIR] [--quick] [--build DIR]
                          [--suites LIST] [--filter REGEX] [--no-memory] [--dry-run]

Runs every benchmark binary in BUILD/bench (bench_anpr, bench_centrality, bench_extract,
bench_graph, bench_graphalytics, bench_ingest, bench_links, bench_networks) and writes
DIR/<name>.json, DIR/report.md and DIR/report.json. It builds nothing: build first with
scripts/setup.sh (or
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build
  ). A suite whose binary is missing is reported as "not built".

  --scale S    generated-data scale (a number, e.g. 0.1, 1, 10): POLEGRAPH_BENCH_SCALES=S for
               anpr and ingest, S x 1M records for extract, S x 10M edges for graph; links
               runs Kronecker 16 (S < 1), 16 and 20 (S < 10) or 16, 20 and 22 (S >= 10);
               S >= 10 adds networks' big graphs (LFR 10^6, Kronecker 20), and networks' person
               projection (graph 9) is that of a scale-S snapshot; graphalytics runs
               Kronecker 16 (S < 1), 16 and 18 (S < 10) or 16, 18 and 20 (S >= 10);
               centrality runs its small graphs (LFR 2000 and 10^4, Kronecker 11, 12, 14) at
               S < 1, adds LFR 10^5 and Kronecker 16 at S >= 1 and Kronecker 18 and 20 at
               S >= 10 (graphalytics and centrality through the per-suite filter). Default:
               each bench's own defaults (every registered size).
  --threads T  run only the rows at T threads where a bench has a thread argument (1 or 2;
               graphalytics always runs polegraph at 2). Default: all registered counts.
  --out DIR    output directory (default bench-results/<UTC date-time>).
  --quick      smallest sizes, short minimum times: a smoke run of well under a minute.
  --build DIR  build directory (default: build, relative to the repository root).
  --suites L   run only these suites (comma-separated, e.g. graphalytics,centrality); the
               others are reported as "not run".
  --filter R   --benchmark_filter for the suites run, instead of the per-suite filter.
  --no-memory  skip the peak-memory pass (POLEGRAPH_BENCH_MEMORY=0): each benchmark otherwise
               runs min(16, iterations) extra untimed iterations to measure its peak memory.
  --dry-run    print each suite's command (environment, binary, arguments) and exit.

OMP_WAIT_POLICY is set to passive unless already set. Peers: Boost.Graph (graphalytics, links,
centrality betweenness) and igraph (networks, centrality PageRank, graphalytics WCC; only when
built with igraph, IGRAPH_FOUND in CMakeCache.txt). A peer without rows is reported as "missing".
EOF
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scale="" threads="" out="" quick=0 build="$root/build" only="" filter="" memory=1 dry=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --suites) only="${2:?--suites needs a value}"; shift 2 ;;
    --filter) filter="${2:?--filter needs a value}"; shift 2 ;;
    --no-memory) memory=0; shift ;;
    --dry-run) dry=1; shift ;;
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
suites=(anpr centrality extract graph graphalytics ingest links networks)
if [[ -n "$only" ]]; then
  for s in ${only//,/ }; do
    if [[ ! " ${suites[*]} " == *" $s "* ]]; then
      echo "run-suite.sh: unknown suite '$s' in --suites (one of: ${suites[*]})" >&2; exit 2
    fi
  done
fi
selected() { [[ -z "$only" || ",$only," == *",$1,"* ]]; }
if [[ ! -d "$build/bench" && $dry -eq 0 ]]; then
  echo "run-suite.sh: no $build/bench; build first (scripts/setup.sh, see --help)" >&2; exit 1
fi
[[ -z "$out" ]] && out="$root/bench-results/$(date -u +%Y%m%dT%H%M%SZ)"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
((memory)) || export POLEGRAPH_BENCH_MEMORY=0

T="$threads"
# scale >= lo (awk: scale is a decimal number)
scale_ge() { awk -v s="$scale" -v lo="$1" 'BEGIN{exit !(s + 0 >= lo + 0)}'; }

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
      if ((quick)); then echo "POLEGRAPH_LINKS_BENCH_SCALES=14"
      elif [[ -n "$scale" ]]; then
        if scale_ge 10; then echo "POLEGRAPH_LINKS_BENCH_SCALES=16,20,22"
        elif scale_ge 1; then echo "POLEGRAPH_LINKS_BENCH_SCALES=16,20"
        else echo "POLEGRAPH_LINKS_BENCH_SCALES=16"; fi
      fi ;;
    networks)
      if [[ -n "$scale" && $quick -eq 0 ]]; then
        local big=""; scale_ge 10 && big=" POLEGRAPH_NETWORKS_BENCH_BIG=1"
        echo "POLEGRAPH_NETWORKS_PROJECTION_SCALE=$scale$big"
      fi ;;
  esac
}
suite_filter() {
  local s="$1" t="${T:-[0-9]+}" e="(/|\$)"  # e: end of an argument (names may go on with /real_time)
  if [[ -n "$filter" ]]; then echo "$filter"; return 0; fi
  case "$s" in
    anpr) [[ -n "$T" ]] && echo "(/threads:$T$e)|BM_NearbyLatency" ;;
    ingest) [[ -n "$T" ]] && echo "/threads:$T$e" ;;
    graph) [[ -n "$T" ]] && echo "(BM_Build/$T$e)|BM_Save|BM_Open" ;;
    graphalytics)
      # Kronecker scales (rows BM_<Kernel>/<scale>): the registered 16, 18, 20 by --scale.
      if ((quick)); then echo "/16$e"
      elif [[ -n "$scale" ]]; then
        if scale_ge 10; then echo "/(16|18|20)$e"
        elif scale_ge 1; then echo "/(16|18)$e"
        else echo "/16$e"; fi
      fi ;;
    links) [[ -n "$T" ]] && echo "(BM_HopDistances/[0-9]+/$T/)|BM_BoostBfs|(BM_ShortestPath/[0-9]+/$T$e)" ;;
    centrality)
      # Graph ids: see bench/centrality_bench.cc; quick: LFR 10^4, Kronecker 14, LFR 2000, Kron 11.
      # By --scale: S < 1 those and Kronecker 12 (6); S >= 1 adds LFR 10^5 (1) and Kronecker
      # 16 (3); S >= 10 adds Kronecker 18 (7) and 20 (8), i.e. every graph.
      local g="[0-9]+"
      if ((quick)); then g="(0|2|4|5)"
      elif [[ -n "$scale" ]]; then
        if scale_ge 10; then g="[0-9]+"
        elif scale_ge 1; then g="(0|1|2|3|4|5|6)"
        else g="(0|2|4|5|6)"; fi
      fi
      if [[ -n "$T" || -n "$scale" || $quick -eq 1 ]]; then
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
((dry)) || mkdir -p "$out" || exit 1
for s in "${suites[@]}"; do
  bin="$build/bench/bench_$s"
  envs[$s]="$(suite_env "$s")"
  filters[$s]="$(suite_filter "$s")"
  if ! selected "$s"; then
    status[$s]="not run (--suites $only)"
    continue
  fi
  if ((dry)); then
    args=(--benchmark_out="$out/$s.json" --benchmark_out_format=json)
    [[ -n "${filters[$s]}" ]] && args+=("--benchmark_filter=${filters[$s]}")
    ((quick)) && args+=(--benchmark_min_time=0.05)
    echo "$s: OMP_WAIT_POLICY=$OMP_WAIT_POLICY${POLEGRAPH_BENCH_MEMORY:+ POLEGRAPH_BENCH_MEMORY=$POLEGRAPH_BENCH_MEMORY}${envs[$s]:+ ${envs[$s]}} $(printf '%q ' "$bin" "${args[@]}")$([[ -x "$bin" ]] || echo '  # not built')"
    continue
  fi
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
  # The load when the suite ends: a busy machine slows the 2-thread rows far more than the
  # single-threaded peers, so a report is read with the load it ran under.
  status[$s]="exit $rc, $((SECONDS - t0)) s, load average $(cut -d' ' -f1 /proc/loadavg 2>/dev/null) at its end"
  [[ $rc -ne 0 ]] && echo "== $s: exit code $rc (see $out/$s.stderr)" >&2
done

((dry)) && exit 0

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

# One suite's rows as a Markdown table (mode md) or a JSON array (mode json). Columns: real time;
# throughput (counters ending in _per_s / per_second); peak memory (max_bytes_used, from the
# shared main's memory manager; ingest's process peak_rss_MiB beside it); bytes per edge
# (bytes_per_edge, snapshot_bytes_per_edge); other counters; peer ratios of time and of peak
# memory and of bytes per edge. Peer pairs: "polegraph-regex,peer-family,peer" (the key joining a polegraph row to a
# peer row is the first argument after the family name).
suite_rows() {
  local mode="$1" tsv="$2" pairs="$3" igraph_missing="$4"
  awk -F'\t' -v mode="$mode" -v pairs="$pairs" -v igm="$igraph_missing" '
    function human(x,   a) {
      a = (x < 0) ? -x : x
      if (a >= 1e9) return sprintf("%.3g G", x / 1e9)
      if (a >= 1e6) return sprintf("%.3g M", x / 1e6)
      if (a >= 1e4) return sprintf("%.3g k", x / 1e3)
      if (a == int(a)) return sprintf("%d", x)
      return sprintf("%.3g", x)
    }
    function bytes(x) {
      if (x >= 1073741824) return sprintf("%.2f GiB", x / 1073741824)
      if (x >= 1048576) return sprintf("%.1f MiB", x / 1048576)
      return sprintf("%.0f KiB", x / 1024)
    }
    function ms(t, u) {
      return u == "ns" ? t / 1e6 : u == "us" ? t / 1e3 : u == "s" ? t * 1e3 : t
    }
    function key(name,   p) { split(name, p, "/"); return p[2] }
    function fam(name,   p) { split(name, p, "/"); return p[1] }
    function js(x) { gsub(/\\/, "\\\\", x); gsub(/"/, "\\\"", x); return "\"" x "\"" }
    function jn(x) { x += 0; return (x != x || x == x + 1 && x != 0) ? "null" : sprintf("%.6g", x) }
    function esc(x) { gsub(/\|/, "\\|", x); return x }
    function add(list, item) { return list (list == "" ? "" : ", ") item }
    { name[NR] = $1; t[NR] = ms($2, $3); lab[NR] = $4; err[NR] = $5; N = NR
      byfam[fam($1) SUBSEP key($1)] = NR
      pk[NR] = ""; ppk[NR] = ""; bpe[NR] = ""; sbpe[NR] = ""; thr[NR] = ""; oth[NR] = ""
      jthr[NR] = ""; joth[NR] = ""
      nc = split($6, C, ";")
      for (j = 1; j <= nc; j++) {
        k = C[j]; sub(/=.*/, "", k); v = C[j]; sub(/^[^=]*=/, "", v); v += 0
        if (k == "max_bytes_used") pk[NR] = v
        else if (k == "allocs_per_iter") {}
        else if (k == "peak_rss_MiB") ppk[NR] = v
        else if (k == "bytes_per_edge") bpe[NR] = v
        else if (k == "snapshot_bytes_per_edge") sbpe[NR] = v
        else if (k ~ /(_per_s|per_second)$|^TEPS$/) {
          thr[NR] = add(thr[NR], k " " human(v)); jthr[NR] = add(jthr[NR], js(k) ": " jn(v))
        } else {
          oth[NR] = add(oth[NR], k " " human(v)); joth[NR] = add(joth[NR], js(k) ": " jn(v))
        }
      }
    }
    END {
      np = split(pairs, P, " ")
      if (mode == "md") {
        print "| Benchmark | Real time (ms) | Throughput | Peak memory (RSS growth) | Bytes/edge | Other counters | Peer ratio (time, peak memory, bytes/edge) |"
        print "|-----------|---------------:|------------|-------------------------:|-----------:|----------------|------------|"
      } else {
        print "["
      }
      for (i = 1; i <= N; i++) {
        ratio = ""; jpeers = ""
        for (p = 1; p <= np; p++) {
          split(P[p], q, ",")
          if (name[i] !~ q[1]) continue
          if (q[3] == "igraph" && igm != "") r = ""
          else r = byfam[q[2] SUBSEP key(name[i])]
          if (r == "" || err[r] != "" || t[i] <= 0) {
            ratio = ratio (ratio == "" ? "" : "; ") q[3] ": missing"
            jpeers = add(jpeers, "{\"peer\": " js(q[3]) ", \"missing\": true}")
            continue
          }
          cell = sprintf("%s %s / polegraph = %.2fx", q[3], q[2], t[r] / t[i])
          mr = (pk[r] != "" && pk[i] != "" && pk[i] > 0) ? pk[r] / pk[i] : ""
          if (mr != "") cell = cell sprintf(", peak memory %.2fx", mr)
          br = (bpe[r] != "" && bpe[i] != "" && bpe[i] > 0) ? bpe[r] / bpe[i] : ""
          if (br != "") cell = cell sprintf(", bytes/edge %.2fx", br)
          ratio = ratio (ratio == "" ? "" : "; ") cell
          jpeers = add(jpeers, "{\"peer\": " js(q[3]) ", \"row\": " js(name[r]) ", \"time_ratio\": " \
                                 jn(t[r] / t[i]) ", \"peak_memory_ratio\": " (mr == "" ? "null" : jn(mr)) \
                                 ", \"bytes_per_edge_ratio\": " (br == "" ? "null" : jn(br)) "}")
        }
        if (mode == "md") {
          tm = (err[i] != "") ? "error: " err[i] : sprintf("%.3f", t[i])
          mem = (pk[i] != "") ? bytes(pk[i]) : ""
          if (ppk[i] != "") mem = add(mem, sprintf("process peak %.0f MiB", ppk[i]))
          b = (bpe[i] != "") ? sprintf("%.1f", bpe[i]) : ""
          if (sbpe[i] != "") b = add(b, sprintf("snapshot %.1f", sbpe[i]))
          o = oth[i]; if (lab[i] != "") o = add(o, lab[i])
          printf "| %s | %s | %s | %s | %s | %s | %s |\n", esc(name[i]), esc(tm), thr[i], mem, b, esc(o),
                 ratio
        } else {
          printf "      {\"name\": %s, \"real_time_ms\": %s, \"error\": %s, \"throughput\": {%s}, " \
                 "\"peak_memory_bytes\": %s, \"process_peak_rss_mib\": %s, \"bytes_per_edge\": %s, " \
                 "\"snapshot_bytes_per_edge\": %s, \"counters\": {%s}, \"label\": %s, \"peers\": [%s]}%s\n",
                 js(name[i]), (err[i] != "" ? "null" : jn(t[i])), (err[i] != "" ? js(err[i]) : "null"),
                 jthr[i], (pk[i] != "" ? jn(pk[i]) : "null"), (ppk[i] != "" ? jn(ppk[i]) : "null"),
                 (bpe[i] != "" ? jn(bpe[i]) : "null"), (sbpe[i] != "" ? jn(sbpe[i]) : "null"),
                 joth[i], js(lab[i]), jpeers, (i < N ? "," : "")
        }
      }
      if (mode != "md") print "    ]"
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
declare -A peer_json  # suite -> JSON object of its peers' status
memory_context="$(sed -n 's/^ *"polegraph_memory": "\(.*\)",\{0,1\}$/\1/p' "$out"/*.json 2>/dev/null | head -1)"
{
  echo "# polegraph benchmark report"
  echo
  echo "Started $started; command: \`bench/run-suite.sh${scale:+ --scale $scale}${threads:+ --threads $threads}$( ((quick)) && echo ' --quick')${only:+ --suites $only}${filter:+ --filter '$filter'}$( ((memory)) || echo ' --no-memory')\`."
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
  echo "| Load average at start / end | $loadavg / $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) |"
  echo "| OMP_WAIT_POLICY | $OMP_WAIT_POLICY |"
  echo
  echo "Times are wall-clock (real) times per iteration. Throughput: edges_per_s = the input graph's"
  echo "edges / time (graph kernels); records, reads, queries or bytes per second otherwise. Peak"
  echo "memory: growth of resident memory while the kernel ran (${memory_context:-not measured})."
  echo "Bytes/edge: the input graph's bytes / its edges (\"snapshot\": the saved file's)."
  echo "Peer ratio = peer / polegraph, of real time, peak memory and bytes/edge, at the same size"
  echo "(> 1: polegraph faster / smaller). See bench/README.md, \"Report columns (session 3)\"."
  for s in "${suites[@]}"; do
    echo
    echo "## $s"
    echo
    pj=""
    if [[ "${status[$s]}" != exit* || ! -s "$out/$s.json" ]]; then
      echo "**No results**: ${status[$s]/not built/binary not built}; no $s.json."
      for p in ${peers_of[$s]:-}; do
        echo; echo "Peer $p: **missing** (suite did not run)."
        pj="$pj${pj:+, }$(json_str "$p"): $(json_str "missing (suite did not run)")"
      done
      peer_json[$s]="{$pj}"
      continue
    fi
    echo "Run: ${status[$s]}${envs[$s]:+; env ${envs[$s]}}${filters[$s]:+; filter \`${filters[$s]}\`}."
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
        pj="$pj${pj:+, }$(json_str "$p"): $(json_str "missing ($why)")"
      else
        echo
        echo "Peer $p: present."
        pj="$pj${pj:+, }$(json_str "$p"): \"present\""
      fi
    done
    peer_json[$s]="{$pj}"
    echo
    suite_rows md "$tsv" "${pairs[$s]:-}" "$igm"
    suite_rows json "$tsv" "${pairs[$s]:-}" "$igm" >"$out/.$s.rows.json"
    rm -f "$tsv"
  done
} >"$report"

# --- report.json -----------------------------------------------------------------------------
{
  echo "{"
  echo "  \"started\": $(json_str "$started"),"
  echo "  \"options\": {\"scale\": $(json_str "$scale"), \"threads\": $(json_str "$threads"), \"quick\": $([[ $quick == 1 ]] && echo true || echo false), \"suites\": $(json_str "$only"), \"filter\": $(json_str "$filter"), \"omp_wait_policy\": $(json_str "$OMP_WAIT_POLICY")},"
  echo "  \"memory_measurement\": $(json_str "${memory_context:-not measured}"),"
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
    printf '    {"name": %s, "status": %s, "json": %s, "env": %s, "filter": %s, "peers": %s,\n' \
      "$(json_str "$s")" "$(json_str "${status[$s]}")" "$(json_str "$f")" \
      "$(json_str "${envs[$s]}")" "$(json_str "${filters[$s]}")" "${peer_json[$s]:-{\}}"
    printf '     "rows": '
    if [[ -s "$out/.$s.rows.json" ]]; then cat "$out/.$s.rows.json"; else echo "[]"; fi
    printf '    }%s\n' "$([[ $i -lt $n ]] && echo ,)"
    rm -f "$out/.$s.rows.json"
  done
  echo "  ]"
  echo "}"
} >"$out/report.json"

echo "Wrote $report and $out/report.json" >&2
