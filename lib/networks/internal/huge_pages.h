// Memory for the arrays that local moving and the colouring read at random (one entry per
// vertex or community, megabytes on large graphs): backed by 2 MB pages where the kernel allows
// it, so the random reads miss the TLB far less often (with 4 KB pages a 4-8 MB array spans
// 1-2 thousand pages, about as many as the TLB holds, and the graph's own arrays compete for
// it). This machine's kernel gives 2 MB pages only to regions advised with MADV_HUGEPAGE
// (transparent_hugepage=madvise), which std::vector's buffers are not. Best effort: if the
// kernel declines, the memory is ordinary.
#ifndef POLEGRAPH_LIB_NETWORKS_INTERNAL_HUGE_PAGES_H_
#define POLEGRAPH_LIB_NETWORKS_INTERNAL_HUGE_PAGES_H_

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "graph/pages.h"

namespace polegraph::internal {

// Sizes an empty vector to n value-initialised elements in a fresh buffer advised for 2 MB
// pages before it is first written.
template <typename T>
void ResizeHuge(std::vector<T>& v, std::size_t n) {
  std::vector<T>().swap(v);
  v.reserve(n);
  AdviseHugePages(v.data(), n * sizeof(T));
  v.resize(n);
}

// A fixed-size, zero-filled array of a trivial type in its own mapping, advised for 2 MB pages
// (arrays under 2 MB come from the ordinary heap). Move-only.
template <typename T>
class HugeArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  HugeArray() = default;
  explicit HugeArray(std::size_t n) : size_(n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes >= kHugePage) {
      bytes_ = (bytes + kHugePage - 1) & ~(kHugePage - 1);
      void* p = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p != MAP_FAILED) {
        AdviseHugePages(p, bytes_);
        data_ = static_cast<T*>(p);
        return;
      }
      bytes_ = 0;
    }
    data_ = static_cast<T*>(std::calloc(n == 0 ? 1 : n, sizeof(T)));
    if (data_ == nullptr) throw std::bad_alloc();
  }
  HugeArray(HugeArray&& o) noexcept { *this = std::move(o); }
  HugeArray& operator=(HugeArray&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(bytes_, o.bytes_);
    return *this;
  }
  HugeArray(const HugeArray&) = delete;
  HugeArray& operator=(const HugeArray&) = delete;
  ~HugeArray() {
    if (bytes_ != 0) {
      ::munmap(data_, bytes_);
    } else {
      std::free(data_);
    }
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t bytes_ = 0;  // of the mapping; 0 when data_ is from calloc
};

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_NETWORKS_INTERNAL_HUGE_PAGES_H_
