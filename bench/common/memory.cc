#include "common/memory.h"

#include <malloc.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace polegraph::bench {
namespace {

// A "Name:   1234 kB" line of /proc/self/status, in bytes; -1 when absent.
std::int64_t StatusBytes(const std::string& name) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, name.size() + 1, name + ":") != 0) continue;
    return std::strtoll(line.c_str() + name.size() + 1, nullptr, 10) * 1024;
  }
  return -1;
}

bool ResetHighWaterMark() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5\n";
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace

bool PeakRssMemoryManager::Available(std::string* why) {
  if (StatusBytes("VmHWM") < 0) {
    *why = "no VmHWM in /proc/self/status";
    return false;
  }
  if (!ResetHighWaterMark()) {
    *why = "/proc/self/clear_refs is not writable (cannot reset the peak)";
    return false;
  }
  return true;
}

void PeakRssMemoryManager::Start() {
  malloc_trim(0);
  ResetHighWaterMark();
  rss_at_start_ = StatusBytes("VmRSS");
}

std::int64_t PeakRssMemoryManager::GrowthBytes() const {
  const std::int64_t peak = StatusBytes("VmHWM");
  return peak > rss_at_start_ ? peak - rss_at_start_ : 0;
}

std::int64_t HeapBytesInUse() {
  const struct mallinfo2 m = mallinfo2();
  return static_cast<std::int64_t>(m.uordblks + m.hblkhd);
}

void SetGraphCounters(benchmark::State& state, double edges, double input_bytes) {
  state.counters["edges_per_s"] =
      benchmark::Counter(edges, benchmark::Counter::kIsIterationInvariantRate);
  if (input_bytes > 0 && edges > 0) state.counters["bytes_per_edge"] = input_bytes / edges;
}

}  // namespace polegraph::bench
