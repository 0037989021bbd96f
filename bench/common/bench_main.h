// The shared main of the bench binaries: Google Benchmark's main (flags, filters, reporters)
// plus the peak-memory measurement of bench/common/memory.h, registered unless
// POLEGRAPH_BENCH_MEMORY=0 is in the environment or the system cannot reset the peak (the
// JSON context says which: "polegraph_memory"). Use it instead of BENCHMARK_MAIN():
//   POLEGRAPH_BENCH_MAIN();
// Costs: every benchmark runs min(16, iterations) more iterations, untimed (a second ingest
// for bench_ingest, whose rows run one iteration).
#ifndef POLEGRAPH_BENCH_COMMON_BENCH_MAIN_H_
#define POLEGRAPH_BENCH_COMMON_BENCH_MAIN_H_

namespace polegraph::bench {

int BenchMain(int argc, char** argv);

}  // namespace polegraph::bench

#define POLEGRAPH_BENCH_MAIN()                                                        \
  int main(int argc, char** argv) { return ::polegraph::bench::BenchMain(argc, argv); } \
  static_assert(true, "require a semicolon")

#endif  // POLEGRAPH_BENCH_COMMON_BENCH_MAIN_H_
