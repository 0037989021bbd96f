// Link-analysis benchmarks.
//
// Kronecker graphs (Graph500: R-MAT A = 0.57, B = C = 0.19, edge factor 16, scrambled ids,
// undirected and simplified as in bench_graphalytics and the GAP Benchmark Suite), stored in
// a snapshot built with GraphBuilder, each undirected edge once; the links BFS follows both
// directions (kBoth), i.e. the undirected graph:
//   BM_HopDistances/S/T/F  HopDistances at T threads; F = 0 default filter (admits
//                          everything: the unchecked inner loop), F = 1 edge and node kind
//                          sets that exclude a kind the graph does not use (same result, with
//                          a per-edge kind check and a per-node admission check; no time or
//                          label checks, as the window is unbounded and every label visible).
//                          edges_per_s = undirected edges / time per search (Graph500 TEPS
//                          over the whole graph).
//                          cpu_ms = the process's CPU time (all threads) per search.
//   BM_BoostBfs/S          boost::breadth_first_search (sequential) over a
//                          compressed_sparse_row_graph of the same undirected graph (both arcs),
//                          from the same sources; cpu_ms as above.
//   BM_ShortestPath/S/T    bidirectional ShortestPath between random pairs; p50_us, p99_us.
// A generated snapshot (polegraph-gen --scale 10, then polegraph ingest):
//   BM_SnapshotShortestPath/C  ShortestPath between 1,000 random pairs of entities (nodes with
//                          an edge) at 1 thread, default options, C = 0 unrestricted clearance,
//                          1 OFFICIAL (endpoints among visible nodes); p50_us, p99_us, found,
//                          mean_hops, and p50_cpu_us / p99_cpu_us (the thread's CPU time per
//                          query: the latency without the other processes of a busy
//                          machine). Reads the snapshot named by POLEGRAPH_BENCH_SNAPSHOT,
//                          reports it missing otherwise.
//
//   bench_links --benchmark_filter='/16/'                     # scale 16 only
//   POLEGRAPH_LINKS_BENCH_SCALES=20,22 bench_links            # default 16,20; 22 needs ~8 GB
//   POLEGRAPH_BENCH_SNAPSHOT=/tmp/links-s10/g.pg bench_links --benchmark_filter=Snapshot
// Sources and pairs are drawn from a fixed seed among nodes with at least one edge. Run with
// OMP_WAIT_POLICY=passive on a shared machine.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/kronecker.h"
#include "common/memory.h"
#include "polegraph/graph.h"
#include "polegraph/io.h"
#include "polegraph/links.h"

namespace {

using polegraph::NodeId;
using BoostCsr = boost::compressed_sparse_row_graph<boost::directedS>;

struct Fixture {
  std::shared_ptr<const polegraph::Graph> g;
  std::unique_ptr<BoostCsr> csr;  // built on first use by BM_BoostBfs
  std::int64_t csr_bytes = 0;     // heap kept by csr, for bytes_per_edge
};

// The Graph500 graph of a scale as a snapshot (built once per process).
Fixture& Kronecker(int scale) {
  static std::map<int, std::unique_ptr<Fixture>> cache;
  auto& f = cache[scale];
  if (f) return *f;
  f = std::make_unique<Fixture>();
  polegraph::GraphBuilder b;
  {
    const polegraph::PlainGraph plain =
        polegraph::bench::KroneckerGraph(scale, 16, /*seed=*/42, /*threads=*/2);
    polegraph::ExtractInfo info;
    info.path = "kronecker";
    const auto ex = b.AddExtract(info);
    const auto rec = b.AddRecord(ex, "K", 0);
    const auto lab = b.InternLabel(polegraph::Classification::kOfficial, "MPS", {});
    b.Reserve(1, plain.num_nodes(), 0, plain.num_edges());
    std::vector<polegraph::GraphBuilder::Handle> h(plain.num_nodes());
    for (NodeId v = 0; v < plain.num_nodes(); ++v) {
      h[v] = b.AddNode(polegraph::NodeKind::kPerson, absl::StrCat(v), lab, rec);
    }
    for (NodeId v = 0; v < plain.num_nodes(); ++v) {
      for (NodeId u : plain.out_neighbours(v)) {
        if (v < u) b.AddEdge(h[v], h[u], polegraph::EdgeKind::kAssociateOf, 1700000000, lab, rec);
      }
    }
  }
  f->g = *std::move(b).Build(2);
  return *f;
}

// `count` nodes with an edge (and visible at `clearance`), drawn with a fixed seed.
std::vector<NodeId> Sources(const polegraph::Graph& g, std::size_t count, std::uint64_t seed,
                            const polegraph::Clearance& clearance =
                                polegraph::Clearance::Unrestricted()) {
  const std::vector<bool> visible = g.VisibleLabels(clearance);
  std::mt19937_64 rng(seed);
  std::vector<NodeId> out;
  while (out.size() < count) {
    const auto v = static_cast<NodeId>(rng() % g.num_nodes());
    if (g.out_degree(v) + g.in_degree(v) > 0 && visible[g.node_label(v)]) out.push_back(v);
  }
  return out;
}

double ProcessCpuMillis() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

void SetTeps(benchmark::State& state, const polegraph::Graph& g) {
  state.counters["edges_per_s"] = benchmark::Counter(static_cast<double>(g.num_edges()),
                                                     benchmark::Counter::kIsIterationInvariantRate);
}

// cpu_ms: the process's CPU time (every thread) per iteration: the work of a search, less
// sensitive than wall time to the other processes of a shared machine.
void SetCpu(benchmark::State& state, double cpu_start) {
  state.counters["cpu_ms"] = (ProcessCpuMillis() - cpu_start) /
                             static_cast<double>(std::max<benchmark::IterationCount>(
                                 1, state.iterations()));
}

void BM_HopDistances(benchmark::State& state) {
  const polegraph::Graph& g = *Kronecker(static_cast<int>(state.range(0))).g;
  polegraph::QueryContext ctx;
  ctx.threads = static_cast<int>(state.range(1));
  polegraph::TraversalFilter f;
  if (state.range(2) == 1) {
    f.edge_kinds.reset(static_cast<std::size_t>(polegraph::EdgeKind::kKeeperOf));
    f.node_kinds.reset(static_cast<std::size_t>(polegraph::NodeKind::kOffence));
  }
  const std::vector<NodeId> sources = Sources(g, 64, 1);
  std::size_t i = 0;
  const double cpu_start = ProcessCpuMillis();
  for (auto _ : state) {
    const NodeId s[] = {sources[i++ % sources.size()]};
    auto tree = polegraph::HopDistances(g, s, f, polegraph::kUnreached, ctx);
    if (!tree.ok()) {
      state.SkipWithError(std::string(tree.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(tree->distance.data());
  }
  SetCpu(state, cpu_start);
  SetTeps(state, g);
  state.counters["bytes_per_edge"] = static_cast<double>(g.memory_bytes()) /
                                     static_cast<double>(std::max<std::uint64_t>(1, g.num_edges()));
}

void BM_BoostBfs(benchmark::State& state) {
  Fixture& fx = Kronecker(static_cast<int>(state.range(0)));
  const polegraph::Graph& g = *fx.g;
  if (!fx.csr) {
    std::vector<std::pair<NodeId, NodeId>> arcs;
    arcs.reserve(2 * g.num_edges());
    for (NodeId v = 0; v < g.num_nodes(); ++v) {
      for (auto e = g.out_offsets()[v]; e < g.out_offsets()[v + 1]; ++e) {
        arcs.emplace_back(v, g.out_neighbours()[e]);
        arcs.emplace_back(g.out_neighbours()[e], v);
      }
    }
    std::sort(arcs.begin(), arcs.end());
    fx.csr_bytes = polegraph::bench::RetainedHeapBytes([&] {
      fx.csr = std::make_unique<BoostCsr>(boost::edges_are_sorted, arcs.begin(), arcs.end(),
                                          g.num_nodes());
    });
  }
  const std::vector<NodeId> sources = Sources(g, 64, 1);
  std::vector<std::size_t> dist(g.num_nodes());
  std::vector<boost::default_color_type> color(g.num_nodes());
  std::size_t i = 0;
  const double cpu_start = ProcessCpuMillis();
  for (auto _ : state) {
    std::fill(dist.begin(), dist.end(), 0);
    boost::breadth_first_search(
        *fx.csr, boost::vertex(sources[i++ % sources.size()], *fx.csr),
        boost::visitor(boost::make_bfs_visitor(
                           boost::record_distances(dist.data(), boost::on_tree_edge())))
            .color_map(color.data()));
    benchmark::DoNotOptimize(dist.data());
  }
  SetCpu(state, cpu_start);
  SetTeps(state, g);
  state.counters["bytes_per_edge"] = static_cast<double>(fx.csr_bytes) /
                                     static_cast<double>(std::max<std::uint64_t>(1, g.num_edges()));
}

double ThreadCpuMicros() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

// Times ShortestPath between pairs drawn from `ends`; sets p50_us, p99_us (wall), p50_cpu_us,
// p99_cpu_us (thread CPU time), found, mean_hops.
void TimePaths(benchmark::State& state, const polegraph::Graph& g,
               const std::vector<NodeId>& ends, const polegraph::PathOptions& opt,
               const polegraph::QueryContext& ctx) {
  std::vector<double> micros, cpu_micros;
  std::size_t i = 0, found = 0, hops = 0;
  for (auto _ : state) {
    const NodeId a = ends[(2 * i) % ends.size()], b = ends[(2 * i + 1) % ends.size()];
    ++i;
    const double cpu_start = ThreadCpuMicros();
    const auto start = std::chrono::steady_clock::now();
    auto r = polegraph::ShortestPath(g, a, b, opt, ctx);
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
    cpu_micros.push_back(ThreadCpuMicros() - cpu_start);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    if (r->hops != polegraph::kUnreached) {
      ++found;
      hops += r->hops;
    }
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  // The calling thread's CPU time: the latency on a quiet machine (1-thread queries).
  std::sort(cpu_micros.begin(), cpu_micros.end());
  state.counters["p50_cpu_us"] = cpu_micros[cpu_micros.size() / 2];
  state.counters["p99_cpu_us"] = cpu_micros[cpu_micros.size() * 99 / 100];
  state.counters["found"] = static_cast<double>(found) / static_cast<double>(micros.size());
  state.counters["mean_hops"] =
      found == 0 ? 0.0 : static_cast<double>(hops) / static_cast<double>(found);
}

void BM_ShortestPath(benchmark::State& state) {
  const polegraph::Graph& g = *Kronecker(static_cast<int>(state.range(0))).g;
  polegraph::QueryContext ctx;
  ctx.threads = static_cast<int>(state.range(1));
  polegraph::PathOptions opt;
  opt.max_hops = 8;
  TimePaths(state, g, Sources(g, 1024, 2), opt, ctx);
}

void BM_SnapshotShortestPath(benchmark::State& state) {
  const char* path = std::getenv("POLEGRAPH_BENCH_SNAPSHOT");
  if (path == nullptr || *path == '\0') {
    state.SkipWithError(
        "missing: set POLEGRAPH_BENCH_SNAPSHOT to a snapshot (polegraph-gen --scale 10, then "
        "polegraph ingest)");
    return;
  }
  static std::shared_ptr<const polegraph::Graph> g;
  if (!g) {
    auto opened = polegraph::OpenSnapshot(path);
    if (!opened.ok()) {
      state.SkipWithError(std::string(opened.status().message()).c_str());
      return;
    }
    g = *std::move(opened);
  }
  polegraph::QueryContext ctx;  // 1 thread; C = 0: unrestricted clearance, 1: OFFICIAL
  if (state.range(0) == 0) ctx.clearance = polegraph::Clearance::Unrestricted();
  state.counters["nodes"] = g->num_nodes();
  state.counters["edges"] = static_cast<double>(g->num_edges());
  TimePaths(state, *g, Sources(*g, 2000, 3, ctx.clearance), polegraph::PathOptions{}, ctx);
}

std::vector<std::int64_t> Scales() {
  std::vector<std::int64_t> out;
  const char* env = std::getenv("POLEGRAPH_LINKS_BENCH_SCALES");
  for (absl::string_view s : absl::StrSplit(env ? env : "16,20", ',', absl::SkipEmpty())) {
    std::int64_t v;
    if (absl::SimpleAtoi(s, &v) && v >= 4 && v <= 26) out.push_back(v);
  }
  return out;
}

int RegisterAll() {
  for (std::int64_t s : Scales()) {
    for (std::int64_t t : {1, 2}) {
      for (std::int64_t f : {0, 1}) {
        benchmark::RegisterBenchmark("BM_HopDistances", BM_HopDistances)
            ->Args({s, t, f})
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
      }
    }
    benchmark::RegisterBenchmark("BM_BoostBfs", BM_BoostBfs)
        ->Args({s})
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("BM_ShortestPath", BM_ShortestPath)
        ->Args({s, 1})
        ->Args({s, 2})
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
  }
  benchmark::RegisterBenchmark("BM_SnapshotShortestPath", BM_SnapshotShortestPath)
      ->Arg(0)
      ->Arg(1)
      ->Iterations(1000)
      ->Unit(benchmark::kMicrosecond)
      ->UseRealTime();
  return 0;
}
const int kRegistered = RegisterAll();

}  // namespace

#include "common/bench_main.h"  // the shared main: Google Benchmark + peak memory
POLEGRAPH_BENCH_MAIN();
