// Memory figures for the benchmark report (bench/README.md, "Report columns (session 3)").
//
// Peak memory of a kernel: PeakRssMemoryManager, a Google Benchmark MemoryManager that the
// shared main (bench_main.h) registers. After a benchmark's timed runs, Google Benchmark 1.7
// runs it once more for min(16, iterations) iterations between Start() and Stop(). Start()
// hands the heap's free pages back to the kernel (malloc_trim), so that memory the kernel
// re-uses is faulted in again and counted, then resets the process's resident high-water mark
// (VmHWM; "5" written to /proc/self/clear_refs) and notes the resident size (VmRSS). Stop()
// reports VmHWM - that VmRSS as max_bytes_used: the peak growth of resident memory while the
// kernel ran, whoever allocated it (C++ new, C malloc in igraph, OpenMP, mmap). Inputs built
// before (cached fixtures: graphs, peer copies of them) are in the baseline, not the growth.
//
// Size of an input graph: RetainedHeapBytes(build) is the heap still allocated after `build`
// ran (glibc mallinfo2: bytes in use in every arena plus mmapped chunks; temporaries freed
// inside `build` do not count), the same measure for polegraph's structures and the peers'.
//
// Thread-safety: call from the benchmark's main thread, outside parallel regions.
#ifndef POLEGRAPH_BENCH_COMMON_MEMORY_H_
#define POLEGRAPH_BENCH_COMMON_MEMORY_H_

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

namespace polegraph::bench {

class PeakRssMemoryManager : public benchmark::MemoryManager {
 public:
  // Whether the high-water mark can be reset on this system (/proc/self/clear_refs writable
  // and VmHWM readable); *why is set to the reason when not.
  static bool Available(std::string* why);

  void Start() override;
  // max_bytes_used = GrowthBytes(); the other fields stay unset (Google Benchmark's defaults).
  void Stop(Result& result) override { result.max_bytes_used = GrowthBytes(); }
  void Stop(Result* result) override { Stop(*result); }

  // VmHWM now - VmRSS at Start() (>= 0).
  std::int64_t GrowthBytes() const;

 private:
  std::int64_t rss_at_start_ = 0;  // bytes
};

// Bytes of heap in use by the process now (every malloc arena, plus mmapped chunks).
std::int64_t HeapBytesInUse();

// The heap bytes that `build()` leaves allocated (>= 0).
template <class F>
std::int64_t RetainedHeapBytes(F&& build) {
  const std::int64_t before = HeapBytesInUse();
  build();
  const std::int64_t after = HeapBytesInUse();
  return after > before ? after - before : 0;
}

// The report's graph counters: edges_per_s = `edges` (the input graph's edges, each undirected
// edge once) / wall time of one iteration, and bytes_per_edge = input_bytes / edges (omitted
// when input_bytes <= 0).
void SetGraphCounters(benchmark::State& state, double edges, double input_bytes);

}  // namespace polegraph::bench

#endif  // POLEGRAPH_BENCH_COMMON_MEMORY_H_
