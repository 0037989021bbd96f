// ReleaseWholePages: hands the whole pages inside a range back to the kernel.
#ifndef POLEGRAPH_LIB_GRAPH_RELEASE_PAGES_H_
#define POLEGRAPH_LIB_GRAPH_RELEASE_PAGES_H_

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace polegraph::internal {

// Tells the kernel that the whole pages within [begin, end) are not needed again
// (madvise MADV_DONTNEED): they leave the resident set; anonymous memory reads back as zeros,
// a private file mapping reloads from the file. The partial pages at both ends, which may
// hold neighbouring data, are kept. The system's page size is used (madvise rounds lengths up
// to whole pages, so a smaller assumed size could take a neighbour's page). Elsewhere than
// Linux: nothing (the memory is freed when its owner frees it).
inline void ReleaseWholePages(const void* begin, const void* end) {
#if defined(__linux__)
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const std::uintptr_t lo = (reinterpret_cast<std::uintptr_t>(begin) + page - 1) / page * page;
  const std::uintptr_t hi = reinterpret_cast<std::uintptr_t>(end) / page * page;
  if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
#else
  (void)begin;
  (void)end;
#endif
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_RELEASE_PAGES_H_
