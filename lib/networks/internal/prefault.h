// Sizing a large fresh array with its pages faulted in by several threads at once. A new
// std::vector's value-initialisation zero-fills it on the calling thread, and the kernel
// faults in (and zeroes) every page on that one thread too: on this machine's kernel, with
// 2 MB pages under direct compaction, about 1 GB/s (PermuteLevelGraph's 53 MB of arcs on LFR
// 10^6: 50 ms of the calling thread while the others wait). Here the fresh buffer's pages are
// first populated by `threads` threads in parallel (madvise MADV_POPULATE_WRITE, Linux 5.14,
// on disjoint slices), then zero-filled as before, now on resident pages. Best effort: where
// the kernel declines, the zero-fill faults the pages in as before. Same contents either way.
#ifndef POLEGRAPH_LIB_NETWORKS_INTERNAL_PREFAULT_H_
#define POLEGRAPH_LIB_NETWORKS_INTERNAL_PREFAULT_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "networks/internal/huge_pages.h"
#include "parallel/parallel.h"

namespace polegraph::internal {

// Faults in the whole 4 KB pages inside [p, p + bytes) on up to `threads` threads, in slices
// of 2 MB-aligned pieces.
inline void PopulatePages(const void* p, std::size_t bytes, int threads) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  constexpr std::uintptr_t kPage = 4096;
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t lo = (begin + kPage - 1) & ~(kPage - 1);
  const std::uintptr_t hi = (begin + bytes) & ~(kPage - 1);
  if (hi <= lo) return;
  // Piece i covers [cut(i), cut(i + 1)): 2 MB-aligned inner boundaries.
  const std::uintptr_t first = (lo + kHugePage) & ~(kHugePage - 1);
  const std::size_t pieces = hi > first ? (hi - first + kHugePage - 1) / kHugePage + 1 : 1;
  auto cut = [&](std::size_t i) {
    if (i == 0) return lo;
    const std::uintptr_t c = first + (i - 1) * kHugePage;
    return c < hi ? c : hi;
  };
  ParallelFor(
      0, pieces, threads,
      [&](std::size_t i) {
        const std::uintptr_t a = cut(i), b = cut(i + 1);
        if (b > a) ::madvise(reinterpret_cast<void*>(a), b - a, MADV_POPULATE_WRITE);
      },
      /*grain=*/1);
#else
  (void)p;
  (void)bytes;
  (void)threads;
#endif
}

// Sizes v to n value-initialised elements in a fresh buffer (huge: advised for 2 MB pages,
// as ResizeHuge), its pages faulted in on up to `threads` threads first.
template <typename T>
void ResizePrefaulted(std::vector<T>& v, std::size_t n, int threads, bool huge) {
  std::vector<T>().swap(v);
  v.reserve(n);
  if (huge) AdviseHugePages(v.data(), n * sizeof(T));
  PopulatePages(v.data(), n * sizeof(T), threads);
  v.resize(n);
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_NETWORKS_INTERNAL_PREFAULT_H_
