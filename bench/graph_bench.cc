// Snapshot benches: GraphBuilder::Build of a synthetic ANPR-shaped graph (~10M edges: plates
// seen at sites, vehicles displaying plates, keepers) at 1 and 2 threads, SaveSnapshot, and
// OpenSnapshot with and without checksums. The builder is filled outside the timed region.
//   bench_graph --benchmark_filter=Build     (POLEGRAPH_BENCH_EDGES overrides the edge count)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "common/bench_main.h"
#include "common/memory.h"
#include "polegraph/graph.h"
#include "polegraph/io.h"

namespace {

using polegraph::EdgeKind;
using polegraph::GraphBuilder;
using polegraph::NodeKind;

std::uint64_t EdgeTarget() {
  const char* env = std::getenv("POLEGRAPH_BENCH_EDGES");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 10'000'000;
}

GraphBuilder MakeBuilder(std::uint64_t edges) {
  std::mt19937_64 rng(42);
  GraphBuilder b;
  polegraph::ExtractInfo x;
  x.path = "anpr.pb";
  x.source = polegraph::Source::kAnpr;
  const auto ex = b.AddExtract(x);
  const polegraph::LabelId lab = b.InternLabel(polegraph::Classification::kOfficial, "MPS", {});
  const std::uint64_t plates = std::max<std::uint64_t>(edges / 20, 10);
  const std::uint64_t sites = std::max<std::uint64_t>(edges / 2000, 10);
  const std::uint64_t records = std::max<std::uint64_t>(edges / 10, 10);
  std::vector<polegraph::RecordNo> rec(records);
  char buf[32];
  for (std::uint64_t i = 0; i < records; ++i) {
    std::snprintf(buf, sizeof buf, "R%09llu", static_cast<unsigned long long>(i));
    rec[i] = b.AddRecord(ex, buf, i * 64);
  }
  std::vector<GraphBuilder::Handle> plate(plates), site(sites);
  for (std::uint64_t i = 0; i < plates; ++i) {
    std::snprintf(buf, sizeof buf, "P%08llu", static_cast<unsigned long long>(i * 7919 % plates));
    plate[i] = b.AddNode(NodeKind::kPlate, buf, lab, rec[i % records]);
  }
  for (std::uint64_t i = 0; i < sites; ++i) {
    std::snprintf(buf, sizeof buf, "SITE%06llu", static_cast<unsigned long long>(i));
    site[i] = b.AddNode(NodeKind::kLocation, buf, lab, rec[i % records]);
  }
  for (std::uint64_t e = 0; e < edges; ++e) {
    b.AddEdge(plate[rng() % plates], site[rng() % sites], EdgeKind::kSeenAt,
              1700000000 + static_cast<std::int64_t>(rng() % 10'000'000), lab,
              rec[rng() % records]);
  }
  return b;
}

void BM_Build(benchmark::State& state) {
  const std::uint64_t edges = EdgeTarget();
  std::uint64_t graph_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    GraphBuilder b = MakeBuilder(edges);
    state.ResumeTiming();
    auto g = std::move(b).Build(static_cast<int>(state.range(0)));
    if (!g.ok()) state.SkipWithError("Build failed");
    benchmark::DoNotOptimize(g);
    state.PauseTiming();
    if (g.ok()) graph_bytes = (*g)->memory_bytes();
    g = absl::UnknownError("release");  // free outside the timed region
    state.ResumeTiming();
  }
  state.counters["edges"] = static_cast<double>(edges);
  // bytes_per_edge: the built graph's bytes (Graph::memory_bytes) / edges.
  polegraph::bench::SetGraphCounters(state, static_cast<double>(edges),
                                     static_cast<double>(graph_bytes));
}
BENCHMARK(BM_Build)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

const std::string& SnapshotPath() {
  static const std::string path = [] {
    const std::string p = "/tmp/polegraph_bench_graph.pg";
    auto g = MakeBuilder(EdgeTarget()).Build(2);
    if (!g.ok() || !polegraph::SaveSnapshot(**g, p).ok()) std::abort();
    return p;
  }();
  return path;
}

void BM_OpenSnapshot(benchmark::State& state) {
  const std::string& path = SnapshotPath();
  polegraph::OpenOptions options;
  options.verify_checksums = state.range(0) != 0;
  std::uint64_t edges = 0;
  for (auto _ : state) {
    auto g = polegraph::OpenSnapshot(path, options);
    if (!g.ok()) state.SkipWithError("OpenSnapshot failed");
    benchmark::DoNotOptimize(g);
    if (g.ok()) edges = (*g)->num_edges();
  }
  // bytes_per_edge: the snapshot file's bytes / edges.
  polegraph::bench::SetGraphCounters(state, static_cast<double>(edges),
                                     static_cast<double>(std::filesystem::file_size(path)));
  state.SetLabel(options.verify_checksums ? "verify checksums" : "no checksums");
}
BENCHMARK(BM_OpenSnapshot)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

POLEGRAPH_BENCH_MAIN();
