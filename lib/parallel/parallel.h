// The parallel primitives every polegraph algorithm is written on (DESIGN.md §3): a parallel
// for over an index range with a grain size, a parallel prefix sum, and per-thread buffers.
// Built on OpenMP; the thread count is always passed in (from a QueryContext or a build
// option), never read from globals or the environment. Small ranges run sequentially: an
// OpenMP region costs microseconds, so work below `grain` items per thread is not split.
// Exceptions: an exception that leaves an OpenMP region ends the process (std::terminate), so
// every region here catches what its body throws (std::bad_alloc above all), lets the threads
// stop taking work, and rethrows the first one caught to the caller once the region is over,
// as the sequential loop would have thrown it. The items not yet run are skipped; which ones
// ran before the stop depends on the threads, as it would for any error part-way.
//
//   polegraph::internal::ParallelFor(0, n, /*threads=*/2, [&](std::size_t i) { out[i] = f(i); });
#ifndef POLEGRAPH_LIB_PARALLEL_PARALLEL_H_
#define POLEGRAPH_LIB_PARALLEL_PARALLEL_H_

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <utility>
#include <vector>

namespace polegraph::internal {

inline constexpr std::size_t kDefaultGrain = 2048;

// Threads to use for a range of n items: at most `threads`, at least 1, and no more than
// n / grain (so each thread gets a worthwhile share).
inline int ThreadsFor(std::size_t n, int threads, std::size_t grain = kDefaultGrain) {
  if (threads < 1) threads = 1;
  std::size_t useful = std::max<std::size_t>(1, n / std::max<std::size_t>(grain, 1));
  return static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(threads), useful));
}

// The first exception thrown by the threads of one parallel region (see the top): Catch()
// inside a catch block on any thread keeps the first and sets stopped(); Rethrow() on the
// calling thread, after the region's end has ordered the threads' writes before it, throws
// that exception (and forgets it) if there was one.
class FirstException {
 public:
  void Catch() {
    if (!stopped_.exchange(true, std::memory_order_acq_rel)) error_ = std::current_exception();
  }
  bool stopped() const { return stopped_.load(std::memory_order_relaxed); }
  void Rethrow() {
    if (!stopped_.load(std::memory_order_acquire)) return;
    std::exception_ptr e = std::move(error_);
    error_ = nullptr;
    stopped_.store(false, std::memory_order_relaxed);
    std::rethrow_exception(e);
  }

 private:
  std::atomic<bool> stopped_{false};
  std::exception_ptr error_;
};

// Calls f(i) for every i in [begin, end), split into contiguous blocks, one per thread (the
// static schedule of OpenMP: with q = n / t and r = n % t, the first r threads take q + 1
// items and the others q, in thread order; each block depends only on n and t).
template <typename F>
void ParallelFor(std::size_t begin, std::size_t end, int threads, F&& f,
                 std::size_t grain = kDefaultGrain) {
  if (end <= begin) return;
  const int t = ThreadsFor(end - begin, threads, grain);
  if (t == 1) {
    for (std::size_t i = begin; i < end; ++i) f(i);
    return;
  }
  FirstException error;
#pragma omp parallel num_threads(t)
  {
    const std::size_t n = end - begin;
    const auto team = static_cast<std::size_t>(omp_get_num_threads());
    const auto me = static_cast<std::size_t>(omp_get_thread_num());
    const std::size_t q = n / team, r = n % team;
    const std::size_t lo = begin + me * q + std::min(me, r);
    const std::size_t hi = lo + q + (me < r ? 1 : 0);
    try {
      for (std::size_t i = lo; i < hi; ++i) f(i);
    } catch (...) {
      error.Catch();
    }
  }
  error.Rethrow();
}

// Like ParallelFor, but hands out chunks of `grain` items dynamically (for skewed work such as
// per-node loops over heavy-tailed degrees). f(i) must not depend on which thread runs it.
template <typename F>
void ParallelForDynamic(std::size_t begin, std::size_t end, int threads, F&& f,
                        std::size_t grain = 64) {
  if (end <= begin) return;
  const int t = ThreadsFor(end - begin, threads, grain);
  if (t == 1) {
    for (std::size_t i = begin; i < end; ++i) f(i);
    return;
  }
  grain = std::max<std::size_t>(grain, 1);
  const std::size_t chunks = (end - begin + grain - 1) / grain;
  std::atomic<std::size_t> next{0};  // the next chunk to hand out
  FirstException error;
#pragma omp parallel num_threads(t)
  {
    try {
      for (std::size_t c;
           !error.stopped() && (c = next.fetch_add(1, std::memory_order_relaxed)) < chunks;) {
        const std::size_t lo = begin + c * grain, hi = std::min(end, lo + grain);
        for (std::size_t i = lo; i < hi; ++i) f(i);
      }
    } catch (...) {
      error.Catch();
    }
  }
  error.Rethrow();
}

// Runs f(block, block_begin, block_end) on `blocks` contiguous blocks of [0, n) in parallel.
// The block boundaries depend only on n and `blocks`, so per-block results combined in block
// order are deterministic.
template <typename F>
void ParallelBlocks(std::size_t n, int blocks, F&& f) {
  if (blocks < 1) blocks = 1;
  FirstException error;
#pragma omp parallel for num_threads(blocks) schedule(static, 1) if (blocks > 1)
  for (int b = 0; b < blocks; ++b) {
    std::size_t lo = n * static_cast<std::size_t>(b) / static_cast<std::size_t>(blocks);
    std::size_t hi = n * static_cast<std::size_t>(b + 1) / static_cast<std::size_t>(blocks);
    if (error.stopped()) continue;
    try {
      f(b, lo, hi);
    } catch (...) {
      error.Catch();
    }
  }
  error.Rethrow();
}

// Exclusive prefix sum of counts into offsets (offsets.size() == counts.size() + 1);
// returns the total. Two passes over blocks: block sums, then local scans.
template <typename Count, typename Offset>
Offset PrefixSum(const std::vector<Count>& counts, std::vector<Offset>& offsets, int threads) {
  const std::size_t n = counts.size();
  offsets.resize(n + 1);
  const int blocks = ThreadsFor(n, threads, 1 << 16);
  std::vector<Offset> block_sum(static_cast<std::size_t>(blocks) + 1, 0);
  ParallelBlocks(n, blocks, [&](int b, std::size_t lo, std::size_t hi) {
    Offset s = 0;
    for (std::size_t i = lo; i < hi; ++i) s += static_cast<Offset>(counts[i]);
    block_sum[static_cast<std::size_t>(b) + 1] = s;
  });
  for (int b = 0; b < blocks; ++b) block_sum[b + 1] += block_sum[b];
  ParallelBlocks(n, blocks, [&](int b, std::size_t lo, std::size_t hi) {
    Offset s = block_sum[static_cast<std::size_t>(b)];
    for (std::size_t i = lo; i < hi; ++i) {
      offsets[i] = s;
      s += static_cast<Offset>(counts[i]);
    }
  });
  offsets[n] = block_sum[static_cast<std::size_t>(blocks)];
  return offsets[n];
}

// Sum of f(i) over [0, n) in a fixed order: the range is cut into blocks of `block` items
// (the cut does not depend on the thread count), each block is summed left to right, and
// the block sums are added in block order. The floating-point result is therefore
// bit-identical at any thread count.
template <typename T, typename F>
T DeterministicSum(std::size_t n, int threads, F&& f, std::size_t block = 4096) {
  if (n == 0) return T{};
  const std::size_t blocks = (n + block - 1) / block;
  std::vector<T> partial(blocks, T{});
  // Handed out one block at a time: the work per block follows the data (a graph's arcs are
  // often bunched in part of the id range; a static half each left one thread with 68 % of
  // bench graph 9's arcs). Each block's sum is the same whoever forms it.
  ParallelForDynamic(
      0, blocks, threads,
      [&](std::size_t b) {
        T s{};
        const std::size_t hi = std::min(n, (b + 1) * block);
        for (std::size_t i = b * block; i < hi; ++i) s += f(i);
        partial[b] = s;
      },
      /*grain=*/1);
  T total{};
  for (const T& s : partial) total += s;
  return total;
}

// One buffer per thread, appended to without locks inside a parallel region and combined
// afterwards in thread order.
template <typename T>
class PerThread {
 public:
  explicit PerThread(int threads) : slots_(static_cast<std::size_t>(std::max(threads, 1))) {}
  // The calling thread's slot. Inside this object's own parallel region thread numbers are
  // below size(); a caller that runs sequentially inside some outer parallel region may have
  // a larger thread number, and then is the only user of the object, so any slot is safe.
  T& local() {
    return slots_[static_cast<std::size_t>(omp_get_thread_num()) % slots_.size()].value;
  }
  std::size_t size() const { return slots_.size(); }
  T& operator[](std::size_t i) { return slots_[i].value; }

 private:
  struct alignas(64) Slot {
    T value{};
  };
  std::vector<Slot> slots_;
};

// Sorts `v` by `less` with up to `threads` threads: blocks are sorted in parallel, then merged
// pairwise (each round's merges in parallel). When `less` is a strict total order on the
// values (no two distinct values equivalent) the result does not depend on the thread count.
// Extra memory: one buffer of v.size() elements when more than one block is used.
template <typename T, typename Less>
void ParallelSort(std::vector<T>& v, int threads, Less less, std::size_t grain = 1 << 14) {
  const std::size_t n = v.size();
  const int blocks = ThreadsFor(n, threads, grain);
  if (blocks <= 1) {
    std::sort(v.begin(), v.end(), less);
    return;
  }
  std::vector<std::size_t> bound(static_cast<std::size_t>(blocks) + 1);
  for (int b = 0; b <= blocks; ++b) {
    bound[static_cast<std::size_t>(b)] =
        n * static_cast<std::size_t>(b) / static_cast<std::size_t>(blocks);
  }
  ParallelBlocks(n, blocks, [&](int, std::size_t lo, std::size_t hi) {
    std::sort(v.begin() + static_cast<std::ptrdiff_t>(lo),
              v.begin() + static_cast<std::ptrdiff_t>(hi), less);
  });
  std::vector<T> tmp(n);
  std::vector<T>* src = &v;
  std::vector<T>* dst = &tmp;
  for (std::size_t width = 1; width < static_cast<std::size_t>(blocks); width *= 2) {
    const std::size_t pairs = (static_cast<std::size_t>(blocks) + 2 * width - 1) / (2 * width);
    // Each pair's merge is a task (ParallelForDynamic carries an exception out, see the top).
    ParallelForDynamic(
        0, pairs, threads,
        [&](std::size_t p) {
          const std::size_t b0 = p * 2 * width;
          const std::size_t b1 = std::min(b0 + width, static_cast<std::size_t>(blocks));
          const std::size_t b2 = std::min(b0 + 2 * width, static_cast<std::size_t>(blocks));
          auto at = [](std::vector<T>* x, std::size_t i) {
            return x->begin() + static_cast<std::ptrdiff_t>(i);
          };
          std::merge(std::make_move_iterator(at(src, bound[b0])),
                     std::make_move_iterator(at(src, bound[b1])),
                     std::make_move_iterator(at(src, bound[b1])),
                     std::make_move_iterator(at(src, bound[b2])), at(dst, bound[b0]), less);
        },
        /*grain=*/1);
    std::swap(src, dst);
  }
  if (src != &v) v = std::move(*src);
}

// Atomically adds `delta` to `x` (relaxed); returns the previous value. For counting and
// scatter passes whose final result does not depend on the interleaving.
template <typename T>
T FetchAdd(T& x, T delta) {
  return std::atomic_ref<T>(x).fetch_add(delta, std::memory_order_relaxed);
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_PARALLEL_PARALLEL_H_
