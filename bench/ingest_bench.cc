// Ingest benchmark: generated PNC + PND + ANPR extracts (polegraph-gen, seed 1) at a scale,
// ingested into a snapshot at a thread count. Reports records/s, MB/s of extract bytes, the
// process's peak resident memory, and snapshot bytes per edge (saved file size / edges).
//
//   bench_ingest --benchmark_filter='BM_Ingest/1/2'        # scale 1, 2 threads
//   POLEGRAPH_BENCH_SCALES=10 bench_ingest                 # scale 10 (about 10M records)
// Data is generated once per scale into $TMPDIR/polegraph-bench/scale-S and reused.
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/bench_main.h"
#include "polegraph/ingest.h"
#include "polegraph/io.h"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> GenerateOnce(const std::string& scale) {
  fs::path dir = fs::temp_directory_path() / "polegraph-bench" / ("scale-" + scale);
  std::vector<std::string> files = {(dir / "pnc.pb").string(), (dir / "pnd.pb").string(),
                                    (dir / "anpr.pb").string()};
  if (!fs::exists(dir / "truth.json")) {
    fs::create_directories(dir);
    std::string cmd = absl::StrCat(POLEGRAPH_GEN, " --scale ", scale, " --seed 1 --out ",
                                   dir.string(), " > /dev/null");
    if (std::system(cmd.c_str()) != 0) return {};
  }
  return files;
}

double PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void BM_Ingest(benchmark::State& state, std::string scale) {
  const int threads = static_cast<int>(state.range(0));
  std::vector<std::string> files = GenerateOnce(scale);
  if (files.empty()) {
    state.SkipWithError("polegraph-gen failed");
    return;
  }
  std::uint64_t bytes = 0;
  for (const auto& f : files) bytes += fs::file_size(f);
  polegraph::IngestOptions options;
  options.threads = threads;
  std::uint64_t records = 0, edges = 0;
  std::shared_ptr<const polegraph::Graph> graph;
  for (auto _ : state) {
    auto result = polegraph::Ingest(files, options);
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      return;
    }
    records = result->report.read;
    edges = result->graph->num_edges();
    graph = result->graph;
  }
  const std::string snap = (fs::temp_directory_path() / "polegraph-bench" / "ingest.pg").string();
  if (polegraph::SaveSnapshot(*graph, snap).ok()) {
    state.counters["snapshot_bytes_per_edge"] =
        static_cast<double>(fs::file_size(snap)) / static_cast<double>(edges);
  }
  state.counters["records"] = static_cast<double>(records);
  state.counters["edges"] = static_cast<double>(edges);
  state.counters["records_per_s"] = benchmark::Counter(
      static_cast<double>(records), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["MB_per_s"] = benchmark::Counter(static_cast<double>(bytes) / 1e6,
                                                  benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_rss_MiB"] = PeakRssMiB();
}

int RegisterAll() {
  const char* env = std::getenv("POLEGRAPH_BENCH_SCALES");
  std::string scales = env ? env : "0.1,1";
  for (absl::string_view s : absl::StrSplit(scales, ',')) {
    std::string scale(s);
    benchmark::RegisterBenchmark(("BM_Ingest/scale:" + scale).c_str(), BM_Ingest, scale)
        ->ArgName("threads")
        ->Arg(1)
        ->Arg(2)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->Iterations(1);
  }
  return 0;
}
const int kRegistered = RegisterAll();

}  // namespace

POLEGRAPH_BENCH_MAIN();
