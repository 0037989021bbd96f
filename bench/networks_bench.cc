// Community detection against peers on the same graphs: polegraph Louvain, Leiden and label
// propagation against igraph_community_multilevel, igraph_community_leiden (modularity
// objective: node weights = degrees, resolution 1/2m, beta 0.01; n_iterations 2 like
// polegraph's default max_passes, and BM_IgraphLeidenStable until stable) and
// igraph_community_label_propagation (PageRank and betweenness are in centrality_bench.cc).
// Graphs: LFR (n = 10^4 and 10^5, mu = 0.3) and Kronecker (Graph500, edge factor 16, scales 14
// and 16). With POLEGRAPH_NETWORKS_BENCH_BIG=1 in the environment the community rows also run
// on LFR 10^6 and Kronecker 20 (ids 6 and 7; igraph takes minutes there, so they are not
// registered by default). Counters report modularity (computed by polegraph::Modularity for
// every result), communities and, on LFR, NMI against the planted partition. polegraph runs at
// 1 and 2 threads; igraph is sequential. BM_LfrNmi/<10 mu>/<algorithm> is the quality curve:
// NMI against the planted partition on LFR 10^5 for mu = 0.1 .. 0.8 (algorithm 0 Louvain,
// 1 Leiden, 2 label propagation).
// Graph 9 is the person-person projection (the CLI's default meta-paths: co-offending,
// vehicles, addresses, associates, co-travel; unrestricted clearance) of a snapshot generated
// by polegraph-gen --seed 1 and ingested in process, at scale POLEGRAPH_NETWORKS_PROJECTION_SCALE
// (default 0.1 so the default rows stay quick; 10 is issue 4's row). Its rows are
// BM_Louvain/9/*, BM_Leiden/9/* and the igraph peers' /9 rows; the generated files are kept
// under $TMPDIR/polegraph-bench/networks-scale-<S>.
//
//   OMP_WAIT_POLICY=passive ./bench_networks --benchmark_filter=Leiden
//   POLEGRAPH_NETWORKS_BENCH_BIG=1 ./bench_networks --benchmark_filter='/(6|7)(/|$)'
//   ./bench_networks --benchmark_filter=BM_LfrNmi
//   POLEGRAPH_NETWORKS_PROJECTION_SCALE=10 ./bench_networks --benchmark_filter='/9(/|$)'
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

#include "common/graphs.h"
#include "common/memory.h"
#include "polegraph/ingest.h"
#include "polegraph/networks.h"

#ifdef POLEGRAPH_HAVE_IGRAPH
#include <igraph/igraph.h>
#endif

namespace {

using polegraph::NodeId;
using polegraph::WeightedGraph;

// Graph ids: 0 LFR 10^4, 1 LFR 10^5, 2 Kronecker 14, 3 Kronecker 16, 4 LFR 2000, 5 Kron 11,
// 6 LFR 10^6, 7 Kronecker 20, 8 Kronecker 18 (not in the default rows; filter for it with
// POLEGRAPH_NETWORKS_BENCH_BIG=1); 9 the person projection of a generated snapshot; 100 + 10
// mu: LFR 10^5 at that mu (the NMI curve).
struct Fixture {
  WeightedGraph g;
  std::vector<std::uint32_t> truth;  // LFR only
  std::int64_t g_bytes = 0;          // heap kept by g (and truth), for bytes_per_edge
  std::int64_t ig_bytes = 0;         // heap kept by the igraph_t
  bool weighted = false;             // pass edge weights to igraph (graph 9; the others have 1s)
  double two_m = 0.0;                // sum of the vertex strengths
#ifdef POLEGRAPH_HAVE_IGRAPH
  igraph_t ig;
  igraph_vector_t degrees;   // vertex strengths (the Leiden node weights)
  igraph_vector_t weights;   // edge weights, in igraph's edge order
#endif
};

// The scale of graph 9's generated snapshot.
std::string ProjectionScale() {
  const char* s = std::getenv("POLEGRAPH_NETWORKS_PROJECTION_SCALE");
  return s != nullptr && *s != '\0' ? s : "0.1";
}

// Graph 9: generates (once; the files are kept) and ingests a snapshot, and projects it onto
// persons. Exits with a message when the generator or the projection fails: the rows would
// measure nothing.
WeightedGraph PersonProjection() {
  namespace fs = std::filesystem;
  const std::string scale = ProjectionScale();
  const fs::path dir = fs::temp_directory_path() / "polegraph-bench" / ("networks-scale-" + scale);
  if (!fs::exists(dir / "truth.json")) {
    fs::create_directories(dir);
    const std::string cmd = absl::StrCat(POLEGRAPH_GEN, " --scale ", scale,
                                         " --seed 1 --out ", dir.string(), " > /dev/null");
    if (std::system(cmd.c_str()) != 0) {
      std::fprintf(stderr, "bench_networks: '%s' failed\n", cmd.c_str());
      std::exit(1);
    }
  }
  polegraph::IngestOptions io;
  io.threads = 2;
  auto r = polegraph::Ingest(
      {(dir / "pnc.pb").string(), (dir / "pnd.pb").string(), (dir / "anpr.pb").string()}, io);
  polegraph::QueryContext ctx;
  ctx.threads = 2;
  ctx.clearance = polegraph::Clearance::Unrestricted();
  polegraph::ProjectionOptions po;
  po.paths =
      *polegraph::ParseProjectionSpec("co-offending,vehicles,addresses,associates,co-travel");
  absl::StatusOr<polegraph::Projection> p =
      r.ok() ? polegraph::ProjectPersons(*r->graph, po, ctx)
             : absl::StatusOr<polegraph::Projection>(r.status());
  if (!p.ok()) {
    std::fprintf(stderr, "bench_networks: projection of %s: %s\n", dir.c_str(),
                 std::string(p.status().message()).c_str());
    std::exit(1);
  }
  return std::move(p->graph);
}

Fixture& Get(int id) {
  static std::map<int, std::unique_ptr<Fixture>> cache;
  auto& f = cache[id];
  if (f) return *f;
  f = std::make_unique<Fixture>();
  f->g_bytes = polegraph::bench::RetainedHeapBytes([&] {
    if (id == 0 || id == 1 || id == 4 || id == 6 || id >= 100) {
      f->g = polegraph::bench::LfrWeighted(
          id == 0 ? 10000 : id == 4 ? 2000 : id == 6 ? 1000000 : 100000,
          id >= 100 ? (id - 100) / 10.0 : 0.3, &f->truth);
    } else if (id == 9) {
      f->g = PersonProjection();
      f->weighted = true;
    } else {
      const int scale = id == 2 ? 14 : id == 3 ? 16 : id == 7 ? 20 : id == 8 ? 18 : 11;
      f->g = polegraph::bench::KroneckerWeighted(scale);
    }
  });
#ifdef POLEGRAPH_HAVE_IGRAPH
  const std::int64_t before_igraph = polegraph::bench::HeapBytesInUse();
  igraph_vector_int_t edges;
  igraph_vector_int_init(&edges, 0);
  igraph_vector_init(&f->weights, 0);
  for (NodeId u = 0; u < f->g.num_nodes(); ++u) {
    auto adj = f->g.neighbours(u);
    auto w = f->g.weights(u);
    for (std::size_t e = 0; e < adj.size(); ++e) {
      if (u < adj[e]) {
        igraph_vector_int_push_back(&edges, u);
        igraph_vector_int_push_back(&edges, adj[e]);
        igraph_vector_push_back(&f->weights, w[e]);
      }
    }
  }
  igraph_create(&f->ig, &edges, f->g.num_nodes(), IGRAPH_UNDIRECTED);
  igraph_vector_int_destroy(&edges);
  f->ig_bytes = std::max<std::int64_t>(0, polegraph::bench::HeapBytesInUse() - before_igraph);
  igraph_vector_init(&f->degrees, f->g.num_nodes());
  for (NodeId v = 0; v < f->g.num_nodes(); ++v) {
    double strength = 0.0;
    for (double w : f->g.weights(v)) strength += w;
    VECTOR(f->degrees)[v] = strength;
    f->two_m += strength;
  }
#endif
  return *f;
}

polegraph::QueryContext Ctx(int threads) {
  polegraph::QueryContext ctx;
  ctx.threads = threads;
  return ctx;
}

// Quality counters, and edges_per_s / bytes_per_edge of the graph the row ran on (`bytes`:
// polegraph's WeightedGraph or the peer's igraph_t).
void Report(benchmark::State& state, const Fixture& f, const std::vector<std::uint32_t>& c,
            std::int64_t bytes) {
  polegraph::bench::SetGraphCounters(state, static_cast<double>(f.g.num_edges()),
                                     static_cast<double>(bytes));
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
  // POLEGRAPH_NETWORKS_SEED: another seed for polegraph's rows (modularity over seeds).
  if (const char* seed = std::getenv("POLEGRAPH_NETWORKS_SEED"); seed != nullptr) {
    o.seed = std::strtoull(seed, nullptr, 10);
  }
  // POLEGRAPH_NETWORKS_PASSES: another max_passes for polegraph's Leiden rows.
  if (const char* passes = std::getenv("POLEGRAPH_NETWORKS_PASSES"); passes != nullptr) {
    o.max_passes = std::atoi(passes);
  }
  polegraph::Partition p;
  for (auto _ : state) {
    p = *polegraph::DetectCommunities(f.g, o, Ctx(static_cast<int>(state.range(1))));
  }
  Report(state, f, p.community, f.g_bytes);
}

void BM_Louvain(benchmark::State& s) { Ours(s, polegraph::CommunityAlgorithm::kLouvain); }
void BM_Leiden(benchmark::State& s) { Ours(s, polegraph::CommunityAlgorithm::kLeiden); }
void BM_Lpa(benchmark::State& s) { Ours(s, polegraph::CommunityAlgorithm::kLabelPropagation); }

// The graphs of the community rows: 0-3 and 9, and 6-8 on request (see the top of the file).
std::vector<int> CommunityGraphs() {
  std::vector<int> g = {0, 1, 2, 3, 9};
  if (std::getenv("POLEGRAPH_NETWORKS_BENCH_BIG") != nullptr) {
    g.push_back(6);
    g.push_back(7);
    g.push_back(8);
  }
  return g;
}

void CommunityRows(benchmark::internal::Benchmark* b) {
  for (int g : CommunityGraphs()) {
    for (int t : {1, 2}) b->Args({g, t});
  }
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}
BENCHMARK(BM_Louvain)->Apply(CommunityRows);
BENCHMARK(BM_Leiden)->Apply(CommunityRows);
BENCHMARK(BM_Lpa)->Apply(CommunityRows);

// The LFR quality curve: one run per (mu, algorithm) at 2 threads, NMI in the counters.
void BM_LfrNmi(benchmark::State& state) {
  const Fixture& f = Get(100 + static_cast<int>(state.range(0)));
  const polegraph::CommunityAlgorithm algorithms[] = {
      polegraph::CommunityAlgorithm::kLouvain, polegraph::CommunityAlgorithm::kLeiden,
      polegraph::CommunityAlgorithm::kLabelPropagation};
  polegraph::CommunityOptions o;
  o.algorithm = algorithms[state.range(1)];
  polegraph::Partition p;
  for (auto _ : state) p = *polegraph::DetectCommunities(f.g, o, Ctx(2));
  Report(state, f, p.community, f.g_bytes);
}
BENCHMARK(BM_LfrNmi)
    ->ArgsProduct({{1, 2, 3, 4, 5, 6, 7, 8}, {0, 1, 2}})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

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

// The community peers on the community rows' graphs; one iteration on the big ones.
void IgraphCommunityArgs(benchmark::internal::Benchmark* b) {
  for (int g : CommunityGraphs()) b->Arg(g);
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

void BM_IgraphMultilevel(benchmark::State& state) {
  Fixture& f = Get(static_cast<int>(state.range(0)));
  igraph_vector_int_t m;
  igraph_vector_int_init(&m, 0);
  const igraph_vector_t* w = f.weighted ? &f.weights : nullptr;
  for (auto _ : state) igraph_community_multilevel(&f.ig, w, 1.0, &m, nullptr, nullptr);
  Report(state, f, ToLabels(m), f.ig_bytes);
  igraph_vector_int_destroy(&m);
}
BENCHMARK(BM_IgraphMultilevel)->Apply(IgraphCommunityArgs);

void IgraphLeiden(benchmark::State& state, igraph_integer_t iterations) {
  Fixture& f = Get(static_cast<int>(state.range(0)));
  igraph_vector_int_t m;
  igraph_vector_int_init(&m, 0);
  igraph_integer_t clusters = 0;
  igraph_real_t quality = 0;
  const igraph_vector_t* w = f.weighted ? &f.weights : nullptr;
  igraph_rng_seed(igraph_rng_default(), 42);
  for (auto _ : state) {
    igraph_community_leiden(&f.ig, w, &f.degrees, 1.0 / f.two_m, 0.01, false, iterations, &m,
                            &clusters, &quality);
  }
  Report(state, f, ToLabels(m), f.ig_bytes);
  igraph_vector_int_destroy(&m);
}
// n_iterations 2, as polegraph's default max_passes (and python-igraph's and leidenalg's
// default); BM_IgraphLeidenStable: until an iteration changes nothing (n_iterations < 0).
void BM_IgraphLeiden(benchmark::State& state) { IgraphLeiden(state, 2); }
void BM_IgraphLeidenStable(benchmark::State& state) { IgraphLeiden(state, -1); }
BENCHMARK(BM_IgraphLeiden)->Apply(IgraphCommunityArgs);
BENCHMARK(BM_IgraphLeidenStable)->Apply(IgraphArgs);

void BM_IgraphLabelPropagation(benchmark::State& state) {
  Fixture& f = Get(static_cast<int>(state.range(0)));
  igraph_vector_int_t m;
  igraph_vector_int_init(&m, 0);
  igraph_rng_seed(igraph_rng_default(), 42);
  for (auto _ : state) {
    igraph_community_label_propagation(&f.ig, &m, IGRAPH_ALL, f.weighted ? &f.weights : nullptr,
                                       nullptr, nullptr);
  }
  Report(state, f, ToLabels(m), f.ig_bytes);
  igraph_vector_int_destroy(&m);
}
BENCHMARK(BM_IgraphLabelPropagation)->Apply(IgraphCommunityArgs);
#endif

}  // namespace

#include "common/bench_main.h"  // the shared main: Google Benchmark + peak memory
POLEGRAPH_BENCH_MAIN();
