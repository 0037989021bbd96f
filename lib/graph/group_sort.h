// GroupSort: turns an unordered list of items, each belonging to one of n groups (a node),
// into a CSR — offsets plus the items grouped, each group sorted, optionally de-duplicated.
//
// How: count items per group (atomic increments), exclusive prefix sum into offsets, scatter
// each item to its group's next free slot (atomic cursors; the order within a group after the
// scatter depends on thread timing), then sort every group by `less`, which must be a strict
// total order on items of one group, so the result is the same at any thread count. The input
// is a ChunkedVector whose chunks are freed as soon as they are scattered, so the items exist
// about once at any time, not twice. Groups of more than kBigGroup items (an ANPR camera with
// a million sightings) are sorted one at a time with every thread (a parallel merge sort),
// the rest one group per thread. With `dedupe`, equivalent items are collapsed: each group
// is compacted within its own range in parallel, then the groups are moved down in place in
// one sequential pass (no second buffer).
// Cost: O(items + n) work plus the per-group sorts; memory: the grouped items plus offsets.
#ifndef POLEGRAPH_LIB_GRAPH_GROUP_SORT_H_
#define POLEGRAPH_LIB_GRAPH_GROUP_SORT_H_

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "graph/chunked_vector.h"
#include "parallel/parallel.h"
#include "polegraph/types.h"

namespace polegraph::internal {

inline constexpr EdgeIndex kBigGroup = EdgeIndex{1} << 15;

template <typename T, typename GroupOf, typename Less>
void GroupSort(std::size_t num_groups, ChunkedVector<T>& items, GroupOf group_of, Less less,
               bool dedupe, int threads, std::vector<EdgeIndex>* offsets, std::vector<T>* out) {
  std::vector<EdgeIndex> counts(num_groups, 0);
  ParallelFor(0, items.size(), threads,
              [&](std::size_t i) { FetchAdd<EdgeIndex>(counts[group_of(items[i])], 1); });
  PrefixSum(counts, *offsets, threads);
  std::vector<T>& grouped = *out;
  grouped.clear();
  grouped.resize(items.size());
  {
    std::vector<EdgeIndex> cursor(offsets->begin(), offsets->end() - 1);
    for (std::size_t c = 0; c < items.num_chunks(); ++c) {
      ParallelFor(items.chunk_begin(c), items.chunk_end(c), threads, [&](std::size_t i) {
        const EdgeIndex at = FetchAdd<EdgeIndex>(cursor[group_of(items[i])], 1);
        grouped[at] = items[i];
      });
      items.ReleaseChunk(c);
    }
  }
  items.Clear();
  const std::vector<EdgeIndex>& off = *offsets;
  auto range = [&](std::size_t g) {
    return std::pair(grouped.begin() + static_cast<std::ptrdiff_t>(off[g]),
                     grouped.begin() + static_cast<std::ptrdiff_t>(off[g + 1]));
  };
  std::vector<std::size_t> big;
  for (std::size_t g = 0; g < num_groups; ++g) {
    if (counts[g] > kBigGroup) big.push_back(g);
  }
  ParallelForDynamic(0, num_groups, threads, [&](std::size_t g) {
    if (counts[g] > kBigGroup) return;
    auto [lo, hi] = range(g);
    std::sort(lo, hi, less);
  });
  for (std::size_t g : big) {
    auto [lo, hi] = range(g);
    std::vector<T> part(lo, hi);
    ParallelSort(part, threads, less);
    std::copy(part.begin(), part.end(), lo);
  }
  if (!dedupe) return;
  auto same = [&](const T& a, const T& b) { return !less(a, b) && !less(b, a); };
  ParallelForDynamic(0, num_groups, threads, [&](std::size_t g) {
    auto [lo, hi] = range(g);
    counts[g] = static_cast<EdgeIndex>(std::unique(lo, hi, same) - lo);
  });
  std::vector<EdgeIndex> new_offsets;
  PrefixSum(counts, new_offsets, threads);
  // new_offsets[g] <= off[g]: moving the groups down in increasing order never overwrites an
  // item not yet moved.
  for (std::size_t g = 0; g < num_groups; ++g) {
    if (new_offsets[g] == off[g]) continue;
    auto [lo, hi] = range(g);
    std::move(lo, lo + static_cast<std::ptrdiff_t>(counts[g]),
              grouped.begin() + static_cast<std::ptrdiff_t>(new_offsets[g]));
  }
  grouped.resize(new_offsets.back());
  *offsets = std::move(new_offsets);
}

// GroupSortEmit: GroupSort for the largest fact columns, in node-range buckets, handing each
// group's sorted (and optionally de-duplicated) items to emit(group, first, last) in group
// order instead of returning a grouped copy; *offsets receives the CSR offsets of the emitted
// items. The items are first appended to kBuckets buckets of consecutive groups with about
// equal item counts (each source chunk freed once distributed), then each bucket is scattered
// into one buffer of a bucket's size, sorted per group and emitted, and its chunks freed. So
// the items exist about once, plus one bucket's buffer, plus what `emit` writes (output
// columns reserved in advance are resident only as far as written): about 1.1x of the column
// where GroupSort needs 2x. Deterministic as GroupSort (per-group sorts by a total order).
inline constexpr int kBuckets = 8;

// Returns the C allocator's free heap pages to the system. GroupSortEmit frees a bucket's chunks
// (a few MB each, so glibc carves them from its heaps) while `emit` fills output columns that
// get their own mappings: without a trim the freed chunks stay resident until the step ends,
// and at scale 10 the edge step's resident set peaked with all the edge facts still counted
// (2.6 GB, ~0.35 GB of it free heap). Costs a walk of the free lists (about a millisecond).
inline void TrimFreeHeap() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}
// Buckets of at least this many chunks are trimmed after (smaller ones leave little to return).
inline constexpr std::size_t kTrimChunks = 4;

template <typename T, typename GroupOf, typename Less, typename Emit>
void GroupSortEmit(std::size_t num_groups, ChunkedVector<T>& items, GroupOf group_of, Less less,
                   bool dedupe, int threads, std::vector<EdgeIndex>* offsets, Emit emit) {
  std::vector<EdgeIndex> counts(num_groups, 0);
  ParallelFor(0, items.size(), threads,
              [&](std::size_t i) { FetchAdd<EdgeIndex>(counts[group_of(items[i])], 1); });
  std::vector<EdgeIndex> raw;  // offsets before de-duplication
  PrefixSum(counts, raw, threads);
  // Bucket k holds groups [first[k], first[k + 1]).
  std::vector<std::size_t> first(kBuckets + 1, num_groups);
  first[0] = 0;
  for (int k = 1; k < kBuckets; ++k) {
    const EdgeIndex at = raw.back() * static_cast<EdgeIndex>(k) / kBuckets;
    first[static_cast<std::size_t>(k)] =
        static_cast<std::size_t>(std::lower_bound(raw.begin(), raw.end() - 1, at) - raw.begin());
  }
  std::vector<ChunkedVector<T>> buckets(kBuckets);
  for (std::size_t c = 0; c < items.num_chunks(); ++c) {
    for (std::size_t i = items.chunk_begin(c); i < items.chunk_end(c); ++i) {
      const std::size_t g = group_of(items[i]);
      const auto k = std::upper_bound(first.begin() + 1, first.end() - 1, g) - first.begin() - 1;
      buckets[static_cast<std::size_t>(k)].push_back(items[i]);
    }
    items.ReleaseChunk(c);
  }
  items.Clear();
  std::vector<T> buffer;
  for (std::size_t k = 0; k < kBuckets; ++k) {
    const std::size_t g_lo = first[k], g_hi = first[k + 1];
    ChunkedVector<T>& bucket = buckets[k];
    const EdgeIndex base = raw[g_lo];
    buffer.resize(bucket.size());
    {
      std::vector<EdgeIndex> cursor(raw.begin() + static_cast<std::ptrdiff_t>(g_lo),
                                    raw.begin() + static_cast<std::ptrdiff_t>(g_hi));
      for (std::size_t c = 0; c < bucket.num_chunks(); ++c) {
        ParallelFor(bucket.chunk_begin(c), bucket.chunk_end(c), threads, [&](std::size_t i) {
          const EdgeIndex at = FetchAdd<EdgeIndex>(cursor[group_of(bucket[i]) - g_lo], 1);
          buffer[at - base] = bucket[i];
        });
        bucket.ReleaseChunk(c);
      }
      const bool trim = bucket.num_chunks() >= kTrimChunks;
      bucket.Clear();
      if (trim) TrimFreeHeap();
    }
    auto range = [&](std::size_t g) {
      return std::pair(buffer.begin() + static_cast<std::ptrdiff_t>(raw[g] - base),
                       buffer.begin() + static_cast<std::ptrdiff_t>(raw[g + 1] - base));
    };
    ParallelForDynamic(g_lo, g_hi, threads, [&](std::size_t g) {
      if (counts[g] > kBigGroup) return;
      auto [lo, hi] = range(g);
      std::sort(lo, hi, less);
    });
    for (std::size_t g = g_lo; g < g_hi; ++g) {
      if (counts[g] <= kBigGroup) continue;
      auto [lo, hi] = range(g);
      std::vector<T> part(lo, hi);
      ParallelSort(part, threads, less);
      std::copy(part.begin(), part.end(), lo);
    }
    if (dedupe) {
      auto same = [&](const T& a, const T& b) { return !less(a, b) && !less(b, a); };
      ParallelForDynamic(g_lo, g_hi, threads, [&](std::size_t g) {
        auto [lo, hi] = range(g);
        counts[g] = static_cast<EdgeIndex>(std::unique(lo, hi, same) - lo);
      });
    }
    for (std::size_t g = g_lo; g < g_hi; ++g) {
      const T* at = buffer.data() + (raw[g] - base);
      emit(g, at, at + counts[g]);
    }
  }
  PrefixSum(counts, *offsets, threads);
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_GROUP_SORT_H_
