// ChunkedVector: an append-only sequence stored as fixed-size chunks, for the builder's fact
// columns. Unlike std::vector it never copies its elements to grow (so appending needs no
// second buffer of the whole size), and its chunks can be freed one by one while a consumer
// walks it front to back (GroupSortBuckets releases each chunk once it has been distributed),
// which keeps Build's peak memory at about one copy of a fact column instead of two.
// Indexing is O(1): chunk i >> kShift, element i & kMask. Chunks are page-aligned
// (kPageAlign), so that whole pieces of a consumed chunk can be reused as GroupSortBuckets'
// blocks and their pages handed back to the system without keeping a partial page at each end.
// Thread-safety: none for appends; concurrent reads and writes of distinct elements are safe.
#ifndef POLEGRAPH_LIB_GRAPH_CHUNKED_VECTOR_H_
#define POLEGRAPH_LIB_GRAPH_CHUNKED_VECTOR_H_

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace polegraph::internal {

// Arrays of n trivially constructible T at a page-aligned address (AllocatePageArray<T>(n),
// uninitialised): a ChunkedVector's chunks and GroupSortBuckets' blocks.
inline constexpr std::size_t kPageAlign = 4096;
struct PageArrayDelete {
  void operator()(void* p) const { ::operator delete (p, std::align_val_t{kPageAlign}); }
};
template <typename T>
using PageArray = std::unique_ptr<T[], PageArrayDelete>;
template <typename T>
PageArray<T> AllocatePageArray(std::size_t n) {
  static_assert(std::is_trivially_default_constructible_v<T>);
  return PageArray<T>(
      static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{kPageAlign})));
}

template <typename T>
class ChunkedVector {
 public:
  static constexpr std::size_t kShift = 18;  // 256 Ki elements a chunk (a few MB)
  static constexpr std::size_t kChunk = std::size_t{1} << kShift;
  static constexpr std::size_t kMask = kChunk - 1;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t num_chunks() const { return chunks_.size(); }

  void push_back(const T& x) {
    if ((size_ & kMask) == 0) [[unlikely]] AddChunk();
    chunks_.back()[size_ & kMask] = x;
    ++size_;
  }
  T& operator[](std::size_t i) { return chunks_[i >> kShift][i & kMask]; }
  const T& operator[](std::size_t i) const { return chunks_[i >> kShift][i & kMask]; }
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }

  // Elements [c * kChunk, min(size, (c + 1) * kChunk)) are chunk c.
  std::size_t chunk_begin(std::size_t c) const { return c << kShift; }
  std::size_t chunk_end(std::size_t c) const { return std::min(size_, (c + 1) << kShift); }
  // Frees chunk c; its elements must not be read again (size() is unchanged).
  void ReleaseChunk(std::size_t c) { chunks_[c].reset(); }
  // Hands chunk c's memory (kChunk elements) to the caller, who may reuse it; as
  // ReleaseChunk otherwise.
  PageArray<T> TakeChunk(std::size_t c) { return std::move(chunks_[c]); }
  // Room for `n` elements' chunk pointers (the chunks themselves are allocated on demand).
  void reserve(std::size_t n) { chunks_.reserve((n + kMask) >> kShift); }
  void Clear() {
    std::vector<PageArray<T>>().swap(chunks_);
    size_ = 0;
  }

 private:
  // (Out of line, so that push_back stays small enough to be inlined into the applier.)
  [[gnu::noinline]] void AddChunk() { chunks_.push_back(AllocatePageArray<T>(kChunk)); }

  std::vector<PageArray<T>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_CHUNKED_VECTOR_H_
