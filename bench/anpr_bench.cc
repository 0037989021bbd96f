// ANPR analytics benchmark on generated data (polegraph-gen, seed 1, ingested once per scale):
// FindConvoys and FindClones at 1 and 2 threads (reads/s), and FindNearby latency on a shared
// SiteIndex (p50 / p99 over 1000 queries: a random camera site's position, 1 km radius, a
// random 2-hour window).
//
//   bench_anpr                                  # scales 0.1 and 1
//   POLEGRAPH_BENCH_SCALES=10 bench_anpr
// Data is generated into $TMPDIR/polegraph-bench/anpr-scale-S and reused. When that directory
// holds a snapshot graph.pg (e.g. `polegraph ingest ... --out DIR/graph.pg`, or a symlink to a
// directory prepared once), it is opened instead of ingesting the extracts again: at scale 10
// and above ingest takes minutes and most of the machine's memory.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/bench_main.h"
#include "polegraph/anpr.h"
#include "polegraph/ingest.h"
#include "polegraph/io.h"

namespace {

namespace fs = std::filesystem;

std::shared_ptr<const polegraph::Graph> GraphAt(const std::string& scale) {
  static std::map<std::string, std::shared_ptr<const polegraph::Graph>> cache;
  if (auto it = cache.find(scale); it != cache.end()) return it->second;
  fs::path dir = fs::temp_directory_path() / "polegraph-bench" / ("anpr-scale-" + scale);
  if (!fs::exists(dir / "truth.json")) {
    fs::create_directories(dir);
    std::string cmd = absl::StrCat(POLEGRAPH_GEN, " --scale ", scale, " --seed 1 --out ",
                                   dir.string(), " > /dev/null");
    if (std::system(cmd.c_str()) != 0) return nullptr;
  }
  if (fs::exists(dir / "graph.pg")) {
    auto opened = polegraph::OpenSnapshot((dir / "graph.pg").string());
    if (!opened.ok()) return nullptr;
    return cache[scale] = *opened;
  }
  polegraph::IngestOptions options;
  options.threads = 2;
  auto r = polegraph::Ingest(
      {(dir / "pnc.pb").string(), (dir / "pnd.pb").string(), (dir / "anpr.pb").string()}, options);
  if (!r.ok()) return nullptr;
  return cache[scale] = r->graph;
}

polegraph::QueryContext Context(int threads) {
  polegraph::QueryContext ctx;
  ctx.threads = threads;
  ctx.clearance = polegraph::Clearance::Unrestricted();
  return ctx;
}

// The convoy window: 90 s, or POLEGRAPH_BENCH_WINDOW seconds. A wider window stands in for
// denser traffic: co-sightings per read grow with reads per site per second times the window,
// so scale 10 with a 450 s window meets about as many as scale 100 (5x the reads per site).
std::int64_t WindowSeconds() {
  const char* env = std::getenv("POLEGRAPH_BENCH_WINDOW");
  return env != nullptr ? std::max<std::int64_t>(1, std::atoll(env)) : 90;
}

// CPU seconds used so far by every thread of this process (user + system). Per iteration, next
// to the benchmark's own CPU column (the main thread only), it shows how the work was shared:
// with 2 threads, a main-thread share far from half means one thread did most of it.
double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

double Reads(const polegraph::Graph& g) {
  double n = 0;
  for (polegraph::EdgeKind k : g.edge_kind()) n += k == polegraph::EdgeKind::kSeenAt;
  return n;
}

// bytes_per_edge: the input graph's bytes (Graph::memory_bytes) / its edges.
void SetBytesPerEdge(benchmark::State& state, const polegraph::Graph& g) {
  if (g.num_edges() == 0) return;
  state.counters["bytes_per_edge"] =
      static_cast<double>(g.memory_bytes()) / static_cast<double>(g.num_edges());
}

void BM_Convoys(benchmark::State& state, std::string scale) {
  auto g = GraphAt(scale);
  if (g == nullptr) return state.SkipWithError("generate / ingest failed");
  const auto ctx = Context(static_cast<int>(state.range(0)));
  polegraph::ConvoyOptions options;
  options.window = absl::Seconds(WindowSeconds());
  std::size_t pairs = 0;
  std::uint64_t candidates = 0;
  const double cpu0 = ProcessCpuSeconds();
  for (auto _ : state) {
    auto r = polegraph::FindConvoys(*g, options, ctx);
    if (!r.ok()) return state.SkipWithError(std::string(r.status().message()).c_str());
    pairs = r->pairs.size();
    candidates = r->candidate_pairs;
  }
  state.counters["process_cpu_ms"] =
      (ProcessCpuSeconds() - cpu0) * 1e3 / static_cast<double>(state.iterations());
  state.counters["pairs"] = static_cast<double>(pairs);
  state.counters["candidate_pairs"] = static_cast<double>(candidates);
  state.counters["window_s"] = static_cast<double>(WindowSeconds());
  state.counters["reads_per_s"] =
      benchmark::Counter(Reads(*g), benchmark::Counter::kIsIterationInvariantRate);
  SetBytesPerEdge(state, *g);
}

void BM_Clones(benchmark::State& state, std::string scale) {
  auto g = GraphAt(scale);
  if (g == nullptr) return state.SkipWithError("generate / ingest failed");
  const auto ctx = Context(static_cast<int>(state.range(0)));
  std::size_t conflicts = 0;
  const double cpu0 = ProcessCpuSeconds();
  for (auto _ : state) {
    auto r = polegraph::FindClones(*g, {}, ctx);
    if (!r.ok()) return state.SkipWithError(std::string(r.status().message()).c_str());
    conflicts = r->conflicts.size();
  }
  state.counters["process_cpu_ms"] =
      (ProcessCpuSeconds() - cpu0) * 1e3 / static_cast<double>(state.iterations());
  state.counters["conflicts"] = static_cast<double>(conflicts);
  state.counters["reads_per_s"] =
      benchmark::Counter(Reads(*g), benchmark::Counter::kIsIterationInvariantRate);
  SetBytesPerEdge(state, *g);
}

void BM_NearbyLatency(benchmark::State& state, std::string scale) {
  auto g = GraphAt(scale);
  if (g == nullptr) return state.SkipWithError("generate / ingest failed");
  std::vector<polegraph::NodeId> sites;
  std::int64_t lo = INT64_MAX, hi = 0;
  for (polegraph::EdgeId e = 0; e < g->num_edges(); ++e) {
    if (g->edge_kind()[e] != polegraph::EdgeKind::kSeenAt) continue;
    lo = std::min<std::int64_t>(lo, g->edge_time()[e]);
    hi = std::max<std::int64_t>(hi, g->edge_time()[e]);
  }
  const auto [first, last] = g->KindRange(polegraph::NodeKind::kLocation);
  for (polegraph::NodeId v = first; v < last; ++v) {
    if (g->key(v).substr(0, 5) == "SITE-") sites.push_back(v);
  }
  if (sites.empty()) return state.SkipWithError("no sites");
  const auto ctx = Context(1);
  auto index = polegraph::SiteIndex::Build(*g, ctx);
  if (!index.ok()) return state.SkipWithError("index failed");
  std::vector<double> micros;
  std::size_t reads = 0;
  for (auto _ : state) {
    std::mt19937 rng(1);
    micros.clear();
    for (int q = 0; q < 1000; ++q) {
      polegraph::NearbyOptions o;
      o.at = g->position(sites[rng() % sites.size()]);
      const std::int64_t from = lo + static_cast<std::int64_t>(rng() % (hi - lo + 1));
      o.from = absl::FromUnixSeconds(from);
      o.to = absl::FromUnixSeconds(from + 7200);
      o.radius_m = 1000;
      const auto t0 = std::chrono::steady_clock::now();
      auto r = polegraph::FindNearby(*index, o, ctx);
      const auto t1 = std::chrono::steady_clock::now();
      if (!r.ok()) return state.SkipWithError(std::string(r.status().message()).c_str());
      reads += r->reads.size();
      micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  state.counters["reads_per_query"] =
      static_cast<double>(reads) / 1000.0 / static_cast<double>(state.iterations());
  state.counters["queries_per_s"] =
      benchmark::Counter(1000.0, benchmark::Counter::kIsIterationInvariantRate);
  SetBytesPerEdge(state, *g);
}

int RegisterAll() {
  const char* env = std::getenv("POLEGRAPH_BENCH_SCALES");
  std::string scales = env ? env : "0.1,1";
  for (absl::string_view s : absl::StrSplit(scales, ',')) {
    std::string scale(s);
    benchmark::RegisterBenchmark(("BM_Convoys/scale:" + scale).c_str(), BM_Convoys, scale)
        ->ArgName("threads")
        ->Arg(1)
        ->Arg(2)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("BM_Clones/scale:" + scale).c_str(), BM_Clones, scale)
        ->ArgName("threads")
        ->Arg(1)
        ->Arg(2)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("BM_NearbyLatency/scale:" + scale).c_str(), BM_NearbyLatency,
                                 scale)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1);
  }
  return 0;
}
const int kRegistered = RegisterAll();

}  // namespace

POLEGRAPH_BENCH_MAIN();
