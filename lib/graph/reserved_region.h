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
// Elsewhere than Linux, or when the system refuses the reservation (an address-space limit,
// strict overcommit), Reserve returns false and the caller keeps its ordinary allocation.
#ifndef POLEGRAPH_LIB_GRAPH_RESERVED_REGION_H_
#define POLEGRAPH_LIB_GRAPH_RESERVED_REGION_H_

#include <cstddef>
#include <cstring>
#include <memory>

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

// Append-only bytes (a StringPool's chars): in an ordinary allocation, doubling, until they
// reach kRegionMin, then moved once into a ReservedRegion of kRegionMax bytes where they never
// move again (no copy at each doubling; huge pages for the random reads of lookups). Past
// kRegionMax, or where no region can be reserved, an ordinary doubling allocation throughout.
// Not thread-safe; not copyable or movable.
class AppendBuffer {
 public:
  static constexpr std::size_t kRegionMin = std::size_t{2} << 20;
  static constexpr std::size_t kRegionMax = std::size_t{1} << 37;

  AppendBuffer() = default;
  AppendBuffer(const AppendBuffer&) = delete;
  AppendBuffer& operator=(const AppendBuffer&) = delete;

  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  void Append(const char* p, std::size_t n) {
    if (n == 0) return;
    if (size_ + n > capacity_) Grow(size_ + n);
    std::memcpy(data_ + size_, p, n);
    size_ += n;
  }
  // Room for `bytes` in all without moving (a hint).
  void Reserve(std::size_t bytes) {
    if (bytes > capacity_) Grow(bytes);
  }
  void Clear();  // frees everything

 private:
  void Grow(std::size_t needed);  // capacity_ >= needed afterwards

  std::unique_ptr<char[]> heap_;
  char* data_ = nullptr;  // heap_ or region_.data()
  std::size_t size_ = 0, capacity_ = 0;
  ReservedRegion region_;
};

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_RESERVED_REGION_H_
