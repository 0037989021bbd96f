// Page-level memory hints shared by the modules: ReleaseWholePages hands the whole pages
// inside a range back to the kernel (ReleaseWholeHugePages the whole 2 MiB ones);
// AdviseHugePages asks for 2 MiB pages (kHugePage) for a range. Users: the builder's reserved
// regions (reserved_region.h), Build's bucket sort (release, group_sort.h), the community
// kernels' arrays (networks/internal/huge_pages.h, prefault.h). All are hints: where the
// kernel declines, or elsewhere than Linux, nothing changes but the memory use.
#ifndef POLEGRAPH_LIB_GRAPH_PAGES_H_
#define POLEGRAPH_LIB_GRAPH_PAGES_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace polegraph::internal {

// The size of a transparent huge page on x86-64 (and of the alignment the hints below use).
inline constexpr std::size_t kHugePage = std::size_t{2} << 20;

// The whole pages of `page` bytes (a power of two), aligned to it, inside [begin, end):
// addresses [lo, hi), none when hi <= lo.
struct PageSpan {
  std::uintptr_t lo = 0, hi = 0;
};
inline PageSpan WholePagesWithin(const void* begin, const void* end, std::uintptr_t page) {
  return {(reinterpret_cast<std::uintptr_t>(begin) + page - 1) & ~(page - 1),
          reinterpret_cast<std::uintptr_t>(end) & ~(page - 1)};
}

// Asks for 2 MiB pages for the whole 2 MiB pages inside [p, p + bytes) (madvise
// MADV_HUGEPAGE; this machine's kernel gives them only to regions advised so). Only pages not
// yet touched are affected right away. Elsewhere than Linux: nothing.
inline void AdviseHugePages(const void* p, std::size_t bytes) {
#if defined(__linux__)
  const PageSpan s = WholePagesWithin(p, static_cast<const char*>(p) + bytes, kHugePage);
  if (s.hi > s.lo) ::madvise(reinterpret_cast<void*>(s.lo), s.hi - s.lo, MADV_HUGEPAGE);
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
  const PageSpan s = WholePagesWithin(begin, end, page);
  if (s.hi > s.lo) ::madvise(reinterpret_cast<void*>(s.lo), s.hi - s.lo, MADV_DONTNEED);
#else
  (void)begin;
  (void)end;
#endif
}

// ReleaseWholePages for the whole 2 MiB-aligned 2 MiB pages (kHugePage) within [begin, end)
// only: the partial ones at both ends are kept whole. Releasing part of a transparent huge
// page splits its mapping into 4 KiB pages (the kernel's thp_split_pmd), which stay so: the
// rest of that page is then reached through small pages, and a program that releases an array
// piece by piece as it reads it (Build's bucket sort, group_sort.h) split most of them.
inline void ReleaseWholeHugePages(const void* begin, const void* end) {
  const PageSpan s = WholePagesWithin(begin, end, kHugePage);
  if (s.hi > s.lo) {
    ReleaseWholePages(reinterpret_cast<const void*>(s.lo), reinterpret_cast<const void*>(s.hi));
  }
}

// Whether the kernel hands out transparent huge pages at all (its setting is "always" or
// "madvise", not "never"). False where it cannot tell (not Linux, no sysfs).
inline bool TransparentHugePagesAvailable() {
#if defined(__linux__)
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string setting;
  if (!std::getline(in, setting)) return false;
  return setting.find("[never]") == std::string::npos;
#else
  return false;
#endif
}

// The GLIBC_TUNABLES value under which RestartWithMallocHugePages (below) restarts the
// program: the current value with glibc.malloc.hugetlb=1 appended (':'-separated). Empty when
// it does not restart: the environment already names glibc.malloc.hugetlb (whatever its value:
// the caller's choice stands, and a restarted program does not restart again), or
// POLEGRAPH_MALLOC_HUGEPAGES=0, or the kernel gives no huge pages, or elsewhere than Linux
// with glibc.
inline std::string MallocHugePagesTunables() {
#if defined(__linux__) && defined(__GLIBC__)
  const char* opt = std::getenv("POLEGRAPH_MALLOC_HUGEPAGES");
  if (opt != nullptr && std::strcmp(opt, "0") == 0) return "";
  const char* current = std::getenv("GLIBC_TUNABLES");
  std::string tunables = current != nullptr ? current : "";
  if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return "";
  if (!TransparentHugePagesAvailable()) return "";
  if (!tunables.empty()) tunables += ':';
  return tunables + "glibc.malloc.hugetlb=1";
#else
  return "";
#endif
}

// The programs' (CLI, benchmarks) first step: restarts the running program in place (execv of
// /proc/self/exe with the same arguments) with glibc's malloc asked to advise every region it
// maps or grows for 2 MiB pages (the tunable glibc.malloc.hugetlb=1, which glibc 2.35 on
// reads only at start-up; see MallocHugePagesTunables for when it does not restart). Why: on
// virtual machines whose page faults are costly, first touches of fresh 4 KiB pages dominate
// the big kernels (session 11, this machine: 10-14 us a fault; a scale-10 ingest took 1.37 M
// faults, 0.17 M with the tunable, and about 20 % less time; BFS from one source on Kronecker
// 22 4-5x less). A 2 MiB page faults in once for 512 small ones. If execv fails the program
// carries on as it is. Outputs are the same either way; resident memory can grow a little (a
// partly used 2 MiB page is resident whole). Applications that embed the library can set the
// tunable in their own environment instead.
inline void RestartWithMallocHugePages(char** argv) {
#if defined(__linux__) && defined(__GLIBC__)
  if (argv == nullptr || argv[0] == nullptr) return;
  const std::string tunables = MallocHugePagesTunables();
  if (tunables.empty()) return;
  if (::setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  // execv failed (no /proc, say): carry on; GLIBC_TUNABLES now names the tunable, so nothing
  // started from here tries again.
#else
  (void)argv;
#endif
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_PAGES_H_
