// Page-level memory hints shared by the modules: ReleaseWholePages hands the whole pages
// inside a range back to the kernel; AdviseHugePages asks for 2 MiB pages (kHugePage) for a
// range. Users: the builder's reserved regions (reserved_region.h), the extract reader and
// Build's bucket sort (release), the community kernels' arrays (networks/internal/huge_pages.h,
// prefault.h). Both are hints: where the kernel declines, or elsewhere than Linux, nothing
// changes but the memory use.
#ifndef POLEGRAPH_LIB_GRAPH_PAGES_H_
#define POLEGRAPH_LIB_GRAPH_PAGES_H_

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace polegraph::internal {

// The size of a transparent huge page on x86-64 (and of the alignment the hints below use).
inline constexpr std::size_t kHugePage = std::size_t{2} << 20;

// Asks for 2 MiB pages for the whole 2 MiB pages inside [p, p + bytes) (madvise
// MADV_HUGEPAGE; this machine's kernel gives them only to regions advised so). Only pages not
// yet touched are affected right away. Elsewhere than Linux: nothing.
inline void AdviseHugePages(const void* p, std::size_t bytes) {
#if defined(__linux__)
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t lo = (begin + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t hi = (begin + bytes) & ~(kHugePage - 1);
  if (hi > lo) ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

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

#endif  // POLEGRAPH_LIB_GRAPH_PAGES_H_
