// ChunkedVector: an append-only sequence stored as fixed-size chunks, for the builder's fact
// columns. Unlike std::vector it never copies its elements to grow (so appending needs no
// second buffer of the whole size), and its chunks can be freed one by one while a consumer
// walks it front to back (GroupSortBuckets releases each chunk once it has been distributed),
// which keeps Build's peak memory at about one copy of a fact column instead of two.
// Indexing is O(1): chunk i >> kShift, element i & kMask.
// Chunks (1-5 MB for the builder's facts) come from the block recycler (block_recycler.h): a
// chunk released inside Build's RecyclerScope is kept and taken by Build's next big arrays
// that fit in it, instead of being freed while fresh memory is found for them. Session 19,
// scale-10 ingest at 2 threads, the old and new binaries alternated (ten pairs): peak RSS
// 2.37-2.44 -> 2.20-2.31 GiB; time within this host's noise (build 7.38-7.76 s either way in
// the quieter pairs); snapshots byte-identical. Note that GroupSortBuckets gives a chunk's
// pages back to the system before it releases the chunk (group_sort.h), so a kept chunk saves
// its allocation, not its page faults; keeping those pages resident instead was measured in
// session 20 (Build 0.1-0.3 s faster, max RSS +0.25 GiB at scale 10) and not taken.
// Thread-safety: none for appends; concurrent reads and writes of distinct elements are safe.
#ifndef POLEGRAPH_LIB_GRAPH_CHUNKED_VECTOR_H_
#define POLEGRAPH_LIB_GRAPH_CHUNKED_VECTOR_H_

#include <algorithm>
#include <cstddef>
#include <memory>
#include <type_traits>
#include <vector>

#include "graph/block_recycler.h"

namespace polegraph::internal {

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
    if ((size_ & kMask) == 0) {
      chunks_.emplace_back(static_cast<T*>(RecyclerAllocate(kChunk * sizeof(T))));
    }
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
  // Room for `n` elements' chunk pointers (the chunks themselves are allocated on demand).
  void reserve(std::size_t n) { chunks_.reserve((n + kMask) >> kShift); }
  void Clear() {
    std::vector<Chunk>().swap(chunks_);
    size_ = 0;
  }

 private:
  // Elements live in raw recycler blocks: never constructed or destroyed.
  static_assert(std::is_trivially_default_constructible_v<T> &&
                std::is_trivially_destructible_v<T>);
  struct Free {
    void operator()(T* p) const { RecyclerFree(p); }
  };
  using Chunk = std::unique_ptr<T[], Free>;
  std::vector<Chunk> chunks_;
  std::size_t size_ = 0;
};

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_CHUNKED_VECTOR_H_
