// Link-analysis benchmarks on Kronecker (R-MAT a=0.57, b=c=0.19, edge factor 16) graphs built
// with GraphBuilder:
//   BM_HopDistances/S/T/D  polegraph's direction-optimising BFS at T threads, D = 0 out-edges,
//                          2 both directions; edges/s = snapshot edges / time per search.
//   BM_BoostBfs/S          boost::breadth_first_search (sequential) over an adjacency_list of
//                          the same out-edges, from the same sources.
//   BM_ShortestPath/S/T    bidirectional ShortestPath between random pairs; p50_us, p99_us.
//
//   bench_links --benchmark_filter='/16/'                # scale 16 only
//   POLEGRAPH_LINKS_BENCH_SCALES=16,18,20 bench_links    # default 16,18
// Sources and pairs are drawn from a fixed seed among nodes with at least one edge.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "polegraph/graph.h"
#include "polegraph/links.h"

namespace {

using polegraph::NodeId;

std::shared_ptr<const polegraph::Graph> Kronecker(int scale) {
  static std::map<int, std::shared_ptr<const polegraph::Graph>> cache;
  auto& g = cache[scale];
  if (g) return g;
  polegraph::GraphBuilder b;
  polegraph::ExtractInfo info;
  info.path = "kronecker";
  auto ex = b.AddExtract(info);
  const auto rec = b.AddRecord(ex, "K", 0);
  const auto lab = b.InternLabel(polegraph::Classification::kOfficial, "MPS", {});
  const std::uint32_t n = 1u << scale;
  std::vector<polegraph::GraphBuilder::Handle> h(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    h[i] = b.AddNode(polegraph::NodeKind::kPerson, absl::StrCat(i), lab, rec);
  }
  std::mt19937_64 rng(scale);
  std::uniform_real_distribution<double> u(0, 1);
  for (std::uint64_t i = 0; i < std::uint64_t{n} * 16; ++i) {
    std::uint32_t a = 0, c = 0;
    for (int bit = 0; bit < scale; ++bit) {
      const double r = u(rng);
      const std::uint32_t q = r < 0.57 ? 0 : (r < 0.76 ? 1 : (r < 0.95 ? 2 : 3));
      a = (a << 1) | (q >> 1);
      c = (c << 1) | (q & 1);
    }
    if (a != c) {
      b.AddEdge(h[a], h[c], polegraph::EdgeKind::kAssociateOf, 1700000000, lab, rec);
    }
  }
  g = *std::move(b).Build(2);
  return g;
}

std::vector<NodeId> Sources(const polegraph::Graph& g, std::size_t count) {
  std::mt19937_64 rng(1);
  std::vector<NodeId> out;
  while (out.size() < count) {
    const auto v = static_cast<NodeId>(rng() % g.num_nodes());
    if (g.out_degree(v) > 0) out.push_back(v);
  }
  return out;
}

void BM_HopDistances(benchmark::State& state) {
  auto g = Kronecker(static_cast<int>(state.range(0)));
  polegraph::QueryContext ctx;
  ctx.threads = static_cast<int>(state.range(1));
  polegraph::TraversalFilter f;
  f.direction = static_cast<polegraph::Direction>(state.range(2));
  const std::vector<NodeId> sources = Sources(*g, 64);
  std::size_t i = 0;
  for (auto _ : state) {
    const NodeId s[] = {sources[i++ % sources.size()]};
    auto tree = polegraph::HopDistances(*g, s, f, polegraph::kUnreached, ctx);
    benchmark::DoNotOptimize(tree->distance.data());
  }
  state.counters["edges_per_s"] = benchmark::Counter(static_cast<double>(g->num_edges()),
                                                     benchmark::Counter::kIsIterationInvariantRate);
}

void BM_BoostBfs(benchmark::State& state) {
  auto g = Kronecker(static_cast<int>(state.range(0)));
  using BG = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  BG bg(g->num_nodes());
  for (NodeId v = 0; v < g->num_nodes(); ++v) {
    for (auto e = g->out_offsets()[v]; e < g->out_offsets()[v + 1]; ++e) {
      boost::add_edge(v, g->out_neighbours()[e], bg);
    }
  }
  const std::vector<NodeId> sources = Sources(*g, 64);
  std::vector<std::size_t> dist(g->num_nodes());
  std::vector<boost::default_color_type> color(g->num_nodes());
  std::size_t i = 0;
  for (auto _ : state) {
    std::fill(dist.begin(), dist.end(), 0);
    boost::breadth_first_search(
        bg, boost::vertex(sources[i++ % sources.size()], bg),
        boost::visitor(boost::make_bfs_visitor(
                           boost::record_distances(dist.data(), boost::on_tree_edge())))
            .color_map(color.data()));
    benchmark::DoNotOptimize(dist.data());
  }
  state.counters["edges_per_s"] = benchmark::Counter(static_cast<double>(g->num_edges()),
                                                     benchmark::Counter::kIsIterationInvariantRate);
}

void BM_ShortestPath(benchmark::State& state) {
  auto g = Kronecker(static_cast<int>(state.range(0)));
  polegraph::QueryContext ctx;
  ctx.threads = static_cast<int>(state.range(1));
  polegraph::PathOptions opt;
  opt.max_hops = 8;
  const std::vector<NodeId> ends = Sources(*g, 512);
  std::vector<double> micros;
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    const NodeId a = ends[i % ends.size()], b = ends[(i * 7 + 3) % ends.size()];
    ++i;
    const auto start = std::chrono::steady_clock::now();
    auto r = polegraph::ShortestPath(*g, a, b, opt, ctx);
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
    found += r->hops != polegraph::kUnreached;
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  state.counters["found"] = static_cast<double>(found) / static_cast<double>(micros.size());
}

std::vector<std::int64_t> Scales() {
  std::vector<std::int64_t> out;
  const char* env = std::getenv("POLEGRAPH_LINKS_BENCH_SCALES");
  for (absl::string_view s : absl::StrSplit(env ? env : "16,18", ',', absl::SkipEmpty())) {
    std::int64_t v;
    if (absl::SimpleAtoi(s, &v) && v >= 4 && v <= 26) out.push_back(v);
  }
  return out;
}

int RegisterAll() {
  for (std::int64_t s : Scales()) {
    for (std::int64_t t : {1, 2}) {
      for (std::int64_t d : {0, 2}) {
        benchmark::RegisterBenchmark("BM_HopDistances", BM_HopDistances)
            ->Args({s, t, d})
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
  return 0;
}
const int kRegistered = RegisterAll();

}  // namespace

BENCHMARK_MAIN();
