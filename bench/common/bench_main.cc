#include "common/bench_main.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "common/memory.h"
#include "graph/pages.h"

namespace polegraph::bench {

int BenchMain(int argc, char** argv) {
  // As the CLI (graph/pages.h): malloc's regions on 2 MiB pages, for polegraph and the peers
  // alike (they run in this process); the tunable in force goes into the report's context.
  polegraph::internal::RestartWithMallocHugePages(argv);
  benchmark::Initialize(&argc, argv);
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  benchmark::AddCustomContext("glibc_tunables", tunables != nullptr ? tunables : "");
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  static PeakRssMemoryManager manager;
  std::string why;
  const char* env = std::getenv("POLEGRAPH_BENCH_MEMORY");
  if (env != nullptr && std::strcmp(env, "0") == 0) {
    why = "off (POLEGRAPH_BENCH_MEMORY=0)";
  } else if (PeakRssMemoryManager::Available(&why)) {
    benchmark::RegisterMemoryManager(&manager);
    why =
        "max_bytes_used = peak resident-set growth (VmHWM reset via /proc/self/clear_refs after "
        "malloc_trim) over min(16, iterations) extra untimed iterations";
  } else {
    why = "off (" + why + ")";
  }
  benchmark::AddCustomContext("polegraph_memory", why);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace polegraph::bench
