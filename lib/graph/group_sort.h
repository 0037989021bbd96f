// GroupSort: turns an unordered list of items, each belonging to one of n groups (a node),
// into a CSR — offsets plus the items grouped, each group sorted, optionally de-duplicated.
//
// How: count items per group (atomic increments), exclusive prefix sum into offsets, scatter
// each item to its group's next free slot (atomic cursors; the order within a group after the
// scatter depends on thread timing), then sort every group by `less`, which must be a strict
// total order on items of one group, so the result is the same at any thread count. With
// `dedupe`, equivalent neighbours are collapsed and the CSR compacted (count, prefix sum, copy).
// Cost: O(items + n) work plus the per-group sorts; memory: one copy of the items.
#ifndef POLEGRAPH_LIB_GRAPH_GROUP_SORT_H_
#define POLEGRAPH_LIB_GRAPH_GROUP_SORT_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "parallel/parallel.h"
#include "polegraph/types.h"

namespace polegraph::internal {

template <typename T, typename GroupOf, typename Less>
void GroupSort(std::size_t num_groups, std::vector<T>&& items, GroupOf group_of, Less less,
               bool dedupe, int threads, std::vector<EdgeIndex>* offsets, std::vector<T>* out) {
  std::vector<EdgeIndex> counts(num_groups, 0);
  ParallelFor(0, items.size(), threads,
              [&](std::size_t i) { FetchAdd<EdgeIndex>(counts[group_of(items[i])], 1); });
  PrefixSum(counts, *offsets, threads);
  std::vector<EdgeIndex> cursor(offsets->begin(), offsets->end() - 1);
  std::vector<T> grouped(items.size());
  ParallelFor(0, items.size(), threads, [&](std::size_t i) {
    const EdgeIndex at = FetchAdd<EdgeIndex>(cursor[group_of(items[i])], 1);
    grouped[at] = std::move(items[i]);
  });
  std::vector<T>().swap(items);
  const std::vector<EdgeIndex>& off = *offsets;
  ParallelForDynamic(0, num_groups, threads, [&](std::size_t g) {
    std::sort(grouped.begin() + static_cast<std::ptrdiff_t>(off[g]),
              grouped.begin() + static_cast<std::ptrdiff_t>(off[g + 1]), less);
  });
  if (!dedupe) {
    *out = std::move(grouped);
    return;
  }
  auto same = [&](const T& a, const T& b) { return !less(a, b) && !less(b, a); };
  ParallelForDynamic(0, num_groups, threads, [&](std::size_t g) {
    EdgeIndex kept = 0;
    for (EdgeIndex i = off[g]; i < off[g + 1]; ++i) {
      if (i == off[g] || !same(grouped[i - 1], grouped[i])) ++kept;
    }
    counts[g] = kept;
  });
  std::vector<EdgeIndex> new_offsets;
  PrefixSum(counts, new_offsets, threads);
  out->assign(new_offsets.back(), T{});
  ParallelForDynamic(0, num_groups, threads, [&](std::size_t g) {
    EdgeIndex at = new_offsets[g];
    for (EdgeIndex i = off[g]; i < off[g + 1]; ++i) {
      // Compare with the last kept item (the previous one may have been moved from).
      if (i == off[g] || !same((*out)[at - 1], grouped[i])) (*out)[at++] = std::move(grouped[i]);
    }
  });
  *offsets = std::move(new_offsets);
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_GROUP_SORT_H_
