// Community detection against peers on the same graphs: polegraph Louvain, Leiden and label
// propagation against igraph_community_multilevel, igraph_community_leiden (modularity
// objective: node weights = degrees, resolution 1/2m) and igraph_community_label_propagation
// (PageRank and betweenness are in centrality_bench.cc). Graphs: LFR (n = 10^4 and 10^5,
// mu = 0.3) and Kronecker (Graph500, edge factor 16, scales 14 and 16). Counters report
// modularity (computed by
// polegraph::Modularity for every result), communities and, on LFR, NMI against the planted
// partition. polegraph runs at 1 and 2 threads; igraph and Boost are sequential.
//
//   OMP_WAIT_POLICY=passive ./bench_networks --benchmark_filter=Leiden
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <vector>

#include "common/kronecker.h"
#include "common/lfr.h"
#include "polegraph/networks.h"

#ifdef POLEGRAPH_HAVE_IGRAPH
#include <igraph/igraph.h>
#endif

namespace {

using polegraph::NodeId;
using polegraph::WeightedGraph;

// Graph ids: 0 LFR 10^4, 1 LFR 10^5, 2 Kronecker 14, 3 Kronecker 16, 4 LFR 2000, 5 Kron 11.
struct Fixture {
  WeightedGraph g;
  std::vector<std::uint32_t> truth;  // LFR only
#ifdef POLEGRAPH_HAVE_IGRAPH
  igraph_t ig;
  igraph_vector_t degrees;
#endif
};

Fixture& Get(int id) {
  static std::map<int, std::unique_ptr<Fixture>> cache;
  auto& f = cache[id];
  if (f) return *f;
  f = std::make_unique<Fixture>();
  if (id == 0 || id == 1 || id == 4) {
    polegraph::bench::LfrOptions o;
    o.n = id == 0 ? 10000 : id == 1 ? 100000 : 2000;
    o.mu = 0.3;
    o.seed = 42;
    polegraph::bench::LfrGraph lfr = polegraph::bench::Lfr(o);
    f->g = *WeightedGraph::FromEdges(lfr.n, lfr.edges, 2);
    f->truth = std::move(lfr.community);
  } else {
    const int scale = id == 2 ? 14 : id == 3 ? 16 : 11;
    f->g = *WeightedGraph::FromPlain(polegraph::bench::KroneckerGraph(scale, 16, 42, 2), 2);
  }
#ifdef POLEGRAPH_HAVE_IGRAPH
  igraph_vector_int_t edges;
  igraph_vector_int_init(&edges, 0);
  for (NodeId u = 0; u < f->g.num_nodes(); ++u) {
    for (NodeId v : f->g.neighbours(u)) {
      if (u < v) {
        igraph_vector_int_push_back(&edges, u);
        igraph_vector_int_push_back(&edges, v);
      }
    }
  }
  igraph_create(&f->ig, &edges, f->g.num_nodes(), IGRAPH_UNDIRECTED);
  igraph_vector_int_destroy(&edges);
  igraph_vector_init(&f->degrees, f->g.num_nodes());
  for (NodeId v = 0; v < f->g.num_nodes(); ++v) {
    VECTOR(f->degrees)[v] = static_cast<double>(f->g.degree(v));
  }
#endif
  return *f;
}

polegraph::QueryContext Ctx(int threads) {
  polegraph::QueryContext ctx;
  ctx.threads = threads;
  return ctx;
}

void Report(benchmark::State& state, const Fixture& f, const std::vector<std::uint32_t>& c) {
  state.counters["modularity"] = *polegraph::Modularity(f.g, c);
  std::uint32_t k = 0;
  for (std::uint32_t x : c) k = std::max(k, x + 1);
  state.counters["communities"] = k;
  if (!f.truth.empty()) {
    state.counters["nmi"] = *polegraph::NormalizedMutualInformation(c, f.truth);
  }
}

void Ours(benchmark::State& state, polegraph::CommunityAlgorithm a) {
  const Fixture& f = Get(static_cast<int>(state.range(0)));
  polegraph::CommunityOptions o;
  o.algorithm = a;
  polegraph::Partition p;
  for (auto _ : state) {
    p = *polegraph::DetectCommunities(f.g, o, Ctx(static_cast<int>(state.range(1))));
  }
  Report(state, f, p.community);
}

void BM_Louvain(benchmark::State& s) { Ours(s, polegraph::CommunityAlgorithm::kLouvain); }
void BM_Leiden(benchmark::State& s) { Ours(s, polegraph::CommunityAlgorithm::kLeiden); }
void BM_Lpa(benchmark::State& s) { Ours(s, polegraph::CommunityAlgorithm::kLabelPropagation); }

void CommunityArgs(benchmark::internal::Benchmark* b) {
  for (int g : {0, 1, 2, 3}) {
    for (int t : {1, 2}) b->Args({g, t});
  }
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}
BENCHMARK(BM_Louvain)->Apply(CommunityArgs);
BENCHMARK(BM_Leiden)->Apply(CommunityArgs);
BENCHMARK(BM_Lpa)->Apply(CommunityArgs);

#ifdef POLEGRAPH_HAVE_IGRAPH
std::vector<std::uint32_t> ToLabels(const igraph_vector_int_t& m) {
  std::vector<std::uint32_t> c(static_cast<std::size_t>(igraph_vector_int_size(&m)));
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = static_cast<std::uint32_t>(VECTOR(m)[i]);
  return c;
}

void IgraphArgs(benchmark::internal::Benchmark* b) {
  for (int g : {0, 1, 2, 3}) b->Arg(g);
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

void BM_IgraphMultilevel(benchmark::State& state) {
  Fixture& f = Get(static_cast<int>(state.range(0)));
  igraph_vector_int_t m;
  igraph_vector_int_init(&m, 0);
  for (auto _ : state) igraph_community_multilevel(&f.ig, nullptr, 1.0, &m, nullptr, nullptr);
  Report(state, f, ToLabels(m));
  igraph_vector_int_destroy(&m);
}
BENCHMARK(BM_IgraphMultilevel)->Apply(IgraphArgs);

void BM_IgraphLeiden(benchmark::State& state) {
  Fixture& f = Get(static_cast<int>(state.range(0)));
  igraph_vector_int_t m;
  igraph_vector_int_init(&m, 0);
  igraph_integer_t clusters = 0;
  igraph_real_t quality = 0;
  const double two_m = 2.0 * static_cast<double>(f.g.num_edges());
  igraph_rng_seed(igraph_rng_default(), 42);
  for (auto _ : state) {
    // n_iterations < 0: iterate until stable, as polegraph's levels do.
    igraph_community_leiden(&f.ig, nullptr, &f.degrees, 1.0 / two_m, 0.01, false, -1, &m, &clusters,
                            &quality);
  }
  Report(state, f, ToLabels(m));
  igraph_vector_int_destroy(&m);
}
BENCHMARK(BM_IgraphLeiden)->Apply(IgraphArgs);

void BM_IgraphLabelPropagation(benchmark::State& state) {
  Fixture& f = Get(static_cast<int>(state.range(0)));
  igraph_vector_int_t m;
  igraph_vector_int_init(&m, 0);
  igraph_rng_seed(igraph_rng_default(), 42);
  for (auto _ : state) {
    igraph_community_label_propagation(&f.ig, &m, IGRAPH_ALL, nullptr, nullptr, nullptr);
  }
  Report(state, f, ToLabels(m));
  igraph_vector_int_destroy(&m);
}
BENCHMARK(BM_IgraphLabelPropagation)->Apply(IgraphArgs);
#endif

}  // namespace

BENCHMARK_MAIN();
