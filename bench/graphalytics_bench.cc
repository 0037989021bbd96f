// Graphalytics BFS and WCC against Boost.Graph, and WCC against igraph (when built with it),
// on the same Kronecker graph (Graph500 parameters, edge factor 16, undirected), scales 16-20.
// polegraph runs at 2 threads; Boost's and igraph's algorithms are sequential. Boost BFS runs
// on a compressed_sparse_row_graph (the fair CSR-to-CSR comparison), Boost
// connected_components on an undirected adjacency_list (it needs an undirected graph), igraph
// on its own igraph_t (igraph_connected_components, IGRAPH_WEAK).
//
//   ./bench_graphalytics --benchmark_filter='/18'
// On a shared, oversubscribed machine run with OMP_WAIT_POLICY=passive: spinning OpenMP
// barriers otherwise dominate the wall time of the parallel kernels.
#include <benchmark/benchmark.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/connected_components.hpp>
#include <map>
#include <memory>
#include <vector>

#include "common/bench_main.h"
#include "common/kronecker.h"
#include "common/memory.h"
#include "polegraph/graphalytics.h"

#ifdef POLEGRAPH_HAVE_IGRAPH
#include <igraph/igraph.h>
#endif

namespace {

using polegraph::NodeId;
using polegraph::PlainGraph;
using BoostCsr = boost::compressed_sparse_row_graph<boost::directedS>;
using BoostUndirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

constexpr int kThreads = 2;

struct Fixture {
  PlainGraph g;
  std::unique_ptr<BoostCsr> csr;
  std::unique_ptr<BoostUndirected> adj;
  NodeId source = 0;
  // Heap bytes each copy of the graph holds (RetainedHeapBytes): polegraph's PlainGraph,
  // Boost's CSR and adjacency_list, igraph's igraph_t.
  std::int64_t g_bytes = 0, csr_bytes = 0, adj_bytes = 0, ig_bytes = 0;
#ifdef POLEGRAPH_HAVE_IGRAPH
  igraph_t ig;
#endif
};

// Built once per scale and kept for the process.
Fixture& Get(int scale) {
  static std::map<int, std::unique_ptr<Fixture>> cache;
  auto& f = cache[scale];
  if (f) return *f;
  f = std::make_unique<Fixture>();
  f->g_bytes = polegraph::bench::RetainedHeapBytes(
      [&] { f->g = polegraph::bench::KroneckerGraph(scale, 16, /*seed=*/42, kThreads); });
  std::vector<std::pair<NodeId, NodeId>> arcs;
  arcs.reserve(f->g.num_arcs());
  for (NodeId v = 0; v < f->g.num_nodes(); ++v) {
    for (NodeId u : f->g.out_neighbours(v)) arcs.emplace_back(v, u);
  }
  f->csr_bytes = polegraph::bench::RetainedHeapBytes([&] {
    f->csr = std::make_unique<BoostCsr>(boost::edges_are_sorted, arcs.begin(), arcs.end(),
                                        f->g.num_nodes());
  });
  f->adj_bytes = polegraph::bench::RetainedHeapBytes([&] {
    f->adj = std::make_unique<BoostUndirected>(f->g.num_nodes());
    for (auto [v, u] : arcs) {
      if (v < u) boost::add_edge(v, u, *f->adj);
    }
  });
#ifdef POLEGRAPH_HAVE_IGRAPH
  f->ig_bytes = polegraph::bench::RetainedHeapBytes([&] {
    igraph_vector_int_t edges;
    igraph_vector_int_init(&edges, 0);
    for (auto [v, u] : arcs) {
      if (v < u) {
        igraph_vector_int_push_back(&edges, v);
        igraph_vector_int_push_back(&edges, u);
      }
    }
    igraph_create(&f->ig, &edges, f->g.num_nodes(), IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&edges);
  });
#endif
  // The source: the first vertex (in a scrambled order) with an edge.
  for (NodeId k = 0; k < f->g.num_nodes(); ++k) {
    NodeId v = static_cast<NodeId>((k * 2654435761u) % f->g.num_nodes());
    if (f->g.out_degree(v) > 0) {
      f->source = v;
      break;
    }
  }
  return *f;
}

// edges_per_s: undirected edges / time (Graph500 TEPS); bytes_per_edge: the heap bytes of the
// graph copy the row's kernel reads / edges.
void SetCounters(benchmark::State& state, const PlainGraph& g, std::int64_t input_bytes) {
  state.counters["vertices"] = g.num_nodes();
  state.counters["edges"] = static_cast<double>(g.num_edges());
  polegraph::bench::SetGraphCounters(state, static_cast<double>(g.num_edges()),
                                     static_cast<double>(input_bytes));
}

void BM_PolegraphBfs(benchmark::State& state) {
  Fixture& f = Get(static_cast<int>(state.range(0)));
  polegraph::QueryContext ctx;
  ctx.threads = kThreads;
  for (auto _ : state) {
    auto d = polegraph::graphalytics::Bfs(f.g, f.source, ctx);
    benchmark::DoNotOptimize(d);
  }
  SetCounters(state, f.g, f.g_bytes);
}

void BM_BoostBfs(benchmark::State& state) {
  Fixture& f = Get(static_cast<int>(state.range(0)));
  std::vector<std::int64_t> depth(f.g.num_nodes());
  for (auto _ : state) {
    std::fill(depth.begin(), depth.end(), polegraph::graphalytics::kUnreachable);
    depth[f.source] = 0;
    boost::breadth_first_search(*f.csr, f.source,
                                boost::visitor(boost::make_bfs_visitor(boost::record_distances(
                                    boost::make_iterator_property_map(
                                        depth.begin(), boost::get(boost::vertex_index, *f.csr)),
                                    boost::on_tree_edge()))));
    benchmark::DoNotOptimize(depth.data());
  }
  SetCounters(state, f.g, f.csr_bytes);
}

void BM_PolegraphWcc(benchmark::State& state) {
  Fixture& f = Get(static_cast<int>(state.range(0)));
  polegraph::QueryContext ctx;
  ctx.threads = kThreads;
  for (auto _ : state) {
    auto c = polegraph::graphalytics::Wcc(f.g, ctx);
    benchmark::DoNotOptimize(c);
  }
  SetCounters(state, f.g, f.g_bytes);
}

void BM_BoostWcc(benchmark::State& state) {
  Fixture& f = Get(static_cast<int>(state.range(0)));
  std::vector<int> comp(f.g.num_nodes());
  for (auto _ : state) {
    int k = boost::connected_components(*f.adj, comp.data());
    benchmark::DoNotOptimize(k);
  }
  SetCounters(state, f.g, f.adj_bytes);
}

#ifdef POLEGRAPH_HAVE_IGRAPH
void BM_IgraphWcc(benchmark::State& state) {
  Fixture& f = Get(static_cast<int>(state.range(0)));
  igraph_vector_int_t membership, size;
  igraph_vector_int_init(&membership, 0);
  igraph_vector_int_init(&size, 0);
  for (auto _ : state) {
    igraph_integer_t k = 0;
    igraph_connected_components(&f.ig, &membership, &size, &k, IGRAPH_WEAK);
    benchmark::DoNotOptimize(k);
  }
  igraph_vector_int_destroy(&membership);
  igraph_vector_int_destroy(&size);
  SetCounters(state, f.g, f.ig_bytes);
}
BENCHMARK(BM_IgraphWcc)->DenseRange(16, 20, 2)->Unit(benchmark::kMillisecond)->UseRealTime();
#endif

}  // namespace

BENCHMARK(BM_PolegraphBfs)->DenseRange(16, 20, 2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BoostBfs)->DenseRange(16, 20, 2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PolegraphWcc)->DenseRange(16, 20, 2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BoostWcc)->DenseRange(16, 20, 2)->Unit(benchmark::kMillisecond)->UseRealTime();
POLEGRAPH_BENCH_MAIN();
