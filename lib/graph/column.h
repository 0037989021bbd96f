// Column<T>: the std::vector Build writes its large arrays into. Its allocator
// (ColumnAllocator) differs from std::allocator in two ways:
//  - resize() leaves new elements uninitialised (default-initialised): Build sizes an output
//    column bucket by bucket and then writes every element in parallel, so a zero-fill by
//    resize() would be a wasted pass over the column on one thread;
//  - an allocation of 8 MiB or more is advised to be backed by transparent huge pages
//    (madvise MADV_HUGEPAGE, for the 2 MiB-aligned part), so first touching it costs one page
//    fault per 2 MiB instead of per 4 KiB: at scale 10 the 4 KiB faults (and unmapping the
//    pages again) took about a seventh of Build's CPU time. Only advice: where transparent
//    huge pages are off it changes nothing, and the bytes of the snapshot never depend on it.
#ifndef POLEGRAPH_LIB_GRAPH_COLUMN_H_
#define POLEGRAPH_LIB_GRAPH_COLUMN_H_

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace polegraph::internal {

// Advises the kernel to back the 2 MiB-aligned part of [p, p + bytes) with huge pages, when
// the range is at least 8 MiB (a smaller one is left alone).
inline void AdviseHugePages(void* p, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t kHuge = std::uintptr_t{1} << 21;
  if (bytes < 4 * kHuge) return;
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t lo = (a + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t hi = (a + bytes) & ~(kHuge - 1);
  if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

// A std::vector of n value-initialised elements whose storage was advised (AdviseHugePages)
// before the elements were written.
template <typename T>
std::vector<T> HugeVector(std::size_t n) {
  std::vector<T> v;
  v.reserve(n);
  AdviseHugePages(v.data(), n * sizeof(T));
  v.resize(n);
  return v;
}

template <typename T>
struct ColumnAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = ColumnAllocator<U>;
  };
  ColumnAllocator() = default;
  template <typename U>
  explicit ColumnAllocator(const ColumnAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    T* p = std::allocator<T>::allocate(n);
    AdviseHugePages(p, n * sizeof(T));
    return p;
  }
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    std::construct_at(p, std::forward<Args>(args)...);
  }
};

// A large array Build writes in full after sizing it (see ColumnAllocator).
template <typename T>
using Column = std::vector<T, ColumnAllocator<T>>;

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_COLUMN_H_
