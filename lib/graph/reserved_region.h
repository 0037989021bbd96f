// ReservedRegion: memory that grows in place inside one reservation of address space, on
// transparent huge pages (for the builder's interning tables, lib/graph/string_pool.h).
//
// What: Reserve(bytes) maps `bytes` of address space once (Linux: an anonymous private mapping
// with MAP_NORESERVE, 2 MiB-aligned, marked MADV_HUGEPAGE); nothing is resident until touched,
// and the kernel backs what is touched with 2 MiB pages where it can. A table that lives at
// data() can so grow from 1 MiB to its final size without ever moving or re-zeroing what it
// had: only the bytes it finally uses are faulted in, once.
// Why: the builder's node and value tables are hundreds of MB read at random; on 4 KiB pages
// under KVM's nested paging every lookup is a TLB miss and a two-dimensional page walk (session
// 8: ~1/3 of the applier's slot-prefetch stall). Huge pages were tried twice before (sessions 7
// and 8) with the tables as std::vectors and dropped: each growth allocated and zeroed a fresh,
// larger table on fresh huge pages (on this VM the first touch of a 2 MiB page the host has
// reclaimed costs milliseconds), about three times the final size in all.
// Cost: one mmap and one madvise per Reserve; munmap when destroyed or Release()d.
// RegionVector<T> below is the growable array built on it.
// Elsewhere than Linux, or when the system refuses the reservation (an address-space limit,
// strict overcommit), Reserve returns false and the caller keeps its ordinary allocation.
#ifndef POLEGRAPH_LIB_GRAPH_RESERVED_REGION_H_
#define POLEGRAPH_LIB_GRAPH_RESERVED_REGION_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>

namespace polegraph::internal {

// Not thread-safe; not copyable or movable (the owner keeps pointers into it).
class ReservedRegion {
 public:
  ReservedRegion() = default;
  ReservedRegion(const ReservedRegion&) = delete;
  ReservedRegion& operator=(const ReservedRegion&) = delete;
  ~ReservedRegion() { Release(); }

  // Reserves `bytes` of zero-filled address space at a 2 MiB-aligned data(), unless reserved
  // already (then nothing changes). Returns whether data() is now usable for size() bytes.
  bool Reserve(std::size_t bytes);
  // Unmaps the region (its contents are lost); size() becomes 0.
  void Release();
  void* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  void* mapping_ = nullptr;  // what mmap returned (for munmap)
  std::size_t mapped_ = 0;
  void* data_ = nullptr;  // 2 MiB-aligned, inside the mapping
  std::size_t size_ = 0;
};

// A growable array of trivially copyable T (a StringPool's chars, the resolver's per-node
// origins): in an ordinary allocation, doubling, until that would reach kRegionMin bytes, then
// moved once into a ReservedRegion of `max_bytes` where it never moves again (no copy at each
// growth; huge pages for random reads). Past max_bytes, or where no region can be reserved, an
// ordinary doubling allocation throughout. Not thread-safe; not copyable or movable.
template <typename T>
class RegionVector {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  static constexpr std::size_t kRegionMin = std::size_t{2} << 20;

  explicit RegionVector(std::size_t max_bytes = std::size_t{1} << 37) : max_bytes_(max_bytes) {}
  RegionVector(const RegionVector&) = delete;
  RegionVector& operator=(const RegionVector&) = delete;
  ~RegionVector() { FreeHeap(); }

  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T& back() { return data_[size_ - 1]; }
  const T& back() const { return data_[size_ - 1]; }

  void push_back(const T& value) {
    if (size_ == capacity_) Grow(size_ + 1);
    data_[size_++] = value;
  }
  void Append(const T* p, std::size_t n) {
    if (n == 0) return;
    if (size_ + n > capacity_) Grow(size_ + n);
    std::memcpy(static_cast<void*>(data_ + size_), p, n * sizeof(T));
    size_ += n;
  }
  // Grows to n elements, the new ones set to `fill` (never shrinks).
  void GrowTo(std::size_t n, const T& fill) {
    if (n <= size_) return;
    if (n > capacity_) Grow(std::max(n, size_ + size_ / 2));
    std::fill(data_ + size_, data_ + n, fill);
    size_ = n;
  }
  // Room for n elements in all without moving (a hint).
  void Reserve(std::size_t n) {
    if (n > capacity_) Grow(n);
  }
  // Frees everything.
  void Clear() {
    FreeHeap();
    region_.Release();
    data_ = nullptr;
    size_ = capacity_ = 0;
  }

 private:
  void Grow(std::size_t needed) {  // capacity_ >= needed afterwards
    const std::size_t capacity = std::max({needed, 2 * capacity_, std::size_t{16}});
    if (capacity * sizeof(T) >= kRegionMin && needed * sizeof(T) <= max_bytes_ &&
        region_.Reserve(max_bytes_)) {
      T* const to = static_cast<T*>(region_.data());
      if (data_ != to) {
        if (size_ > 0) std::memcpy(static_cast<void*>(to), data_, size_ * sizeof(T));
        FreeHeap();
        data_ = to;
        capacity_ = region_.size() / sizeof(T);
      }
      return;
    }
    T* const bigger = static_cast<T*>(
        ::operator new(capacity * sizeof(T), std::align_val_t{alignof(T)}));
    if (size_ > 0) std::memcpy(static_cast<void*>(bigger), data_, size_ * sizeof(T));
    FreeHeap();
    region_.Release();  // the elements were in it if it was reserved (past max_bytes_)
    heap_ = data_ = bigger;
    capacity_ = capacity;
  }
  void FreeHeap() {
    if (heap_ != nullptr) ::operator delete(heap_, std::align_val_t{alignof(T)});
    heap_ = nullptr;
  }

  std::size_t max_bytes_;
  T* heap_ = nullptr;  // the ordinary allocation, when in use
  T* data_ = nullptr;  // heap_ or region_.data()
  std::size_t size_ = 0, capacity_ = 0;
  ReservedRegion region_;
};

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_RESERVED_REGION_H_
