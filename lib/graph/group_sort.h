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

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_GROUP_SORT_H_
