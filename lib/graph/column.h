// Column<T>: the std::vector Build writes its large output arrays into. Its allocator
// (ColumnAllocator) differs from std::allocator only in that resize() leaves new elements
// uninitialised (default-initialised): Build sizes an output column bucket by bucket and then
// writes every element in parallel, so a zero-fill by resize() would be a wasted pass over
// the column on one thread. Its blocks come from the block recycler (block_recycler.h): inside
// Build, a column of a MiB or more may land on the resident pages of one an earlier step freed.
// (Advising large columns to transparent huge pages was tried and
// dropped: at scale 10 on the 2-core test machine it made Build slower, not faster.)
#ifndef POLEGRAPH_LIB_GRAPH_COLUMN_H_
#define POLEGRAPH_LIB_GRAPH_COLUMN_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "graph/block_recycler.h"

namespace polegraph::internal {

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
    static_assert(alignof(T) <= alignof(std::max_align_t), "malloc alignment");
    if (n > std::size_t(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(RecyclerAllocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t) noexcept { RecyclerFree(p); }
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
