// Frontier structures for level-synchronous traversals (BFS, delta-stepping), after the GAP
// Benchmark Suite: per-thread buffers that collect the next frontier without locks, a bitmap
// with atomic set for bottom-up steps, and an atomic minimum for relaxations.
//
//   FrontierBuffers<NodeId> next(threads);
//   ParallelForDynamic(0, frontier.size(), threads, [&](std::size_t i) {
//     for (NodeId u : g.out_neighbours(frontier[i])) if (Claim(u)) next.local().push_back(u);
//   });
//   next.Collect(frontier, threads);
#ifndef POLEGRAPH_LIB_PARALLEL_FRONTIER_H_
#define POLEGRAPH_LIB_PARALLEL_FRONTIER_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "parallel/parallel.h"

namespace polegraph::internal {

// The next frontier of a level-synchronous traversal, built without locks: inside a
// ParallelFor / ParallelForDynamic body each thread appends to local(); Collect() then
// concatenates the per-thread buffers (in thread order, copies in parallel) and clears them;
// they keep their capacity, so a traversal that reuses one object allocates only while the
// buffers grow, not once per level.
// The order of items within the collected frontier depends on scheduling, so algorithms
// must not let results depend on it (BFS depths and shortest distances do not).
template <typename T>
class FrontierBuffers {
 public:
  explicit FrontierBuffers(int threads) : locals_(threads) {}
  std::vector<T>& local() { return locals_.local(); }
  // Replaces `out` with the concatenation of the buffers; returns its size.
  std::size_t Collect(std::vector<T>& out, int threads) {
    std::vector<std::size_t>& at = at_;  // kept: a traversal collects once per level
    at.assign(locals_.size() + 1, 0);
    for (std::size_t t = 0; t < locals_.size(); ++t) at[t + 1] = at[t] + locals_[t].size();
    out.resize(at.back());
    // Small frontiers are copied sequentially: an OpenMP region would cost more.
    const int copy_threads = at.back() < (std::size_t{1} << 16) ? 1 : threads;
    ParallelFor(
        0, locals_.size(), copy_threads,
        [&](std::size_t t) {
          std::copy(locals_[t].begin(), locals_[t].end(), out.begin() + at[t]);
          locals_[t].clear();
        },
        /*grain=*/1);
    return out.size();
  }

 private:
  PerThread<std::vector<T>> locals_;
  std::vector<std::size_t> at_;
};

// A bit set over [0, n) whose set_atomic / clear_atomic may be called concurrently with reads.
class Bitmap {
 public:
  explicit Bitmap(std::size_t n) : words_((n + 63) / 64) {}
  void reset() {
    for (auto& w : words_) w.store(0, std::memory_order_relaxed);
  }
  bool get(std::size_t i) const {
    return (words_[i / 64].load(std::memory_order_relaxed) >> (i % 64)) & 1u;
  }
  void set_atomic(std::size_t i) {
    words_[i / 64].fetch_or(std::uint64_t{1} << (i % 64), std::memory_order_relaxed);
  }
  // Sets bit i; returns whether this call set it (it was clear).
  bool test_and_set_atomic(std::size_t i) {
    const std::uint64_t bit = std::uint64_t{1} << (i % 64);
    return (words_[i / 64].fetch_or(bit, std::memory_order_relaxed) & bit) == 0;
  }
  // Plain (non-atomic read-modify-write) set and clear: only while no other thread writes
  // the word.
  void set_plain(std::size_t i) {
    auto& w = words_[i / 64];
    w.store(w.load(std::memory_order_relaxed) | (std::uint64_t{1} << (i % 64)),
            std::memory_order_relaxed);
  }
  void clear_plain(std::size_t i) {
    auto& w = words_[i / 64];
    w.store(w.load(std::memory_order_relaxed) & ~(std::uint64_t{1} << (i % 64)),
            std::memory_order_relaxed);
  }
  void clear_atomic(std::size_t i) {
    words_[i / 64].fetch_and(~(std::uint64_t{1} << (i % 64)), std::memory_order_relaxed);
  }
  std::size_t num_words() const { return words_.size(); }
  // Word w (bits [64 w, 64 w + 64)).
  std::uint64_t word(std::size_t w) const { return words_[w].load(std::memory_order_relaxed); }
  // Replaces word w (bits [64 w, 64 w + 64)); for a writer that owns the word.
  void store_word(std::size_t w, std::uint64_t bits) {
    words_[w].store(bits, std::memory_order_relaxed);
  }
  void swap(Bitmap& other) { words_.swap(other.words_); }

  // A copyable handle for reading in an inner loop: it holds the words' address, which the
  // compiler would otherwise reload from the vector around every atomic load.
  class Reader {
   public:
    explicit Reader(const Bitmap& b) : words_(b.words_.data()) {}
    bool get(std::size_t i) const {
      return (words_[i / 64].load(std::memory_order_relaxed) >> (i % 64)) & 1u;
    }

   private:
    const std::atomic<std::uint64_t>* words_;
  };
  Reader reader() const { return Reader(*this); }

 private:
  std::vector<std::atomic<std::uint64_t>> words_;
};

// Lowers `target` to `value` if smaller; returns true when this call lowered it.
template <typename T>
bool AtomicMin(std::atomic<T>& target, T value) {
  T current = target.load(std::memory_order_relaxed);
  while (value < current) {
    if (target.compare_exchange_weak(current, value, std::memory_order_relaxed)) return true;
  }
  return false;
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_PARALLEL_FRONTIER_H_
