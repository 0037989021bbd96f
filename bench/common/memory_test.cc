// Tests of the report's memory measurements (bench/common/memory.h) against what the test
// itself allocates and touches: the oracle is the byte count, known by construction.
#include "common/memory.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

namespace polegraph::bench {
namespace {

constexpr std::int64_t kMiB = 1 << 20;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;  // the sanitizers' allocators bypass glibc's malloc
#else
constexpr bool kSanitized = false;
#endif

// The kernel's RSS counters are per-CPU and lag by up to max(32, 2 x CPUs) pages on each CPU
// (Linux >= 6.2): 256 KiB on 2 CPUs.
std::int64_t CounterSlack() {
  const std::int64_t cpus = std::max(1u, std::thread::hardware_concurrency());
  return cpus * std::max<std::int64_t>(32, 2 * cpus) * 4096 + 256 * 1024;
}

// Runs `body` between Start() and Stop() of a PeakRssMemoryManager; -1 when unavailable.
template <class F>
std::int64_t PeakGrowth(F&& body) {
  std::string why;
  if (!PeakRssMemoryManager::Available(&why)) {
    WARN("peak RSS measurement unavailable: " << why);
    return -1;
  }
  PeakRssMemoryManager m;  // (Debian's libbenchmark 1.7.1 lacks the symbol a Result needs)
  m.Start();
  body();
  return m.GrowthBytes();
}

TEST_CASE("peak RSS growth counts the bytes a kernel touches, not those it only reserves") {
  const std::int64_t touched = PeakGrowth([] {
    std::unique_ptr<char[]> p(new char[64 * kMiB]);
    std::memset(p.get(), 1, 64 * kMiB);
    benchmark::DoNotOptimize(p.get());
    benchmark::ClobberMemory();  // keep the writes (new + memset + delete may be elided)
  });
  if (touched < 0) return;
  CHECK(touched >= 64 * kMiB - CounterSlack());
  // Under ASan the shadow of the block (1/8 of it) is resident too.
  CHECK(touched <= (kSanitized ? 76 : 68) * kMiB + CounterSlack());
  const std::int64_t reserved = PeakGrowth([] {
    void* p = std::malloc(64 * kMiB);  // mmapped, never touched: not resident
    REQUIRE(p != nullptr);
    benchmark::DoNotOptimize(p);
    std::free(p);
  });
  CHECK(reserved < (kSanitized ? 10 : 1) * kMiB);  // ASan poisons the block's 8 MiB shadow
}

TEST_CASE("peak RSS growth counts heap memory freed earlier and reused (malloc_trim)") {
  if (kSanitized) {
    WARN("skipped: the sanitizer's allocator is not glibc's (no malloc_trim, no mallinfo2)");
    return;
  }
  // 200 blocks of 64 KiB (below the mmap threshold: on the heap), pinned by a later block so
  // that freeing them leaves a 12.5 MiB hole inside the heap, still resident.
  constexpr int kBlocks = 200;
  constexpr std::size_t kBlock = 64 << 10;
  std::vector<char*> blocks(kBlocks);
  for (char*& b : blocks) {
    b = static_cast<char*>(std::malloc(kBlock));
    std::memset(b, 1, kBlock);
  }
  char* pin = static_cast<char*>(std::malloc(kBlock));
  std::memset(pin, 1, kBlock);
  for (char* b : blocks) std::free(b);
  const std::int64_t growth = PeakGrowth([&] {
    for (char*& b : blocks) {
      b = static_cast<char*>(std::malloc(kBlock));
      std::memset(b, 2, kBlock);
    }
    benchmark::ClobberMemory();
  });
  for (char* b : blocks) std::free(b);
  std::free(pin);
  if (growth < 0) return;
  // 200 x 64 KiB = 12.5 MiB, faulted in again
  CHECK(growth >= 12 * kMiB + kMiB / 2 - CounterSlack());
  CHECK(growth <= 16 * kMiB + CounterSlack());
}

TEST_CASE("RetainedHeapBytes counts what the build keeps, not its temporaries") {
  if (kSanitized) {
    WARN("skipped: the sanitizer's allocator is not glibc's (no malloc_trim, no mallinfo2)");
    return;
  }
  std::vector<char> kept;
  const std::int64_t k = RetainedHeapBytes([&] { kept.assign(10 * kMiB, 'x'); });
  CHECK(k >= 10 * kMiB);
  CHECK(k <= 10 * kMiB + 64 * 1024);
  const std::int64_t t = RetainedHeapBytes([] {
    std::vector<char> temporary(10 * kMiB, 'y');
    REQUIRE(temporary.back() == 'y');
  });
  CHECK(t <= 64 * 1024);
}

}  // namespace
}  // namespace polegraph::bench
