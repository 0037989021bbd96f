// Node labels for GraphBuilder::Build: the least restrictive labels of a node's assertions
// (AddMinimal) and the label-set sections (PutLabelSets). A node visible under any of several
// incomparable markings (different forces, or caveat sets neither of which contains the
// other) carries a label set; Graph::VisibleLabels makes a set visible when any member is.
// Cost: O(assertions x set size) for AddMinimal; O(S log S) to number the sets of S nodes
// (a parallel sort of the nodes by set).
#include <algorithm>
#include <compare>
#include <numeric>
#include <span>
#include <utility>
#include <vector>

#include "graph/build_steps.h"

namespace polegraph::internal {

void PutLabelSets(std::size_t num_labels, const std::vector<NodeId>& set_nodes,
                  const std::vector<std::uint64_t>& set_end, const std::vector<LabelId>& members,
                  std::span<NodeLabelId> node_label, Graph::Storage& s, int threads) {
  auto set = [&](std::uint32_t i) {
    const std::uint64_t begin = i == 0 ? 0 : set_end[i - 1];
    return std::span<const LabelId>(members.data() + begin, set_end[i] - begin);
  };
  // The nodes' sets sorted (ties by node, so the order is total), then numbered by distinct
  // set in that order. Sorted by a key of the first four members (16 bits each, the first
  // in the high bits, zero past the end: members increase, so a later member is never 0 and
  // a shorter set sorts first) with a stable radix sort of the nodes in node order, then runs
  // of equal keys by the whole sets.
  Column<PrefixItem> keyed(set_nodes.size());
  ParallelFor(0, keyed.size(), threads, [&](std::size_t i) {
    const auto x = set(static_cast<std::uint32_t>(i));
    std::uint64_t key = 0;
    for (std::size_t k = 0; k < 4; ++k) key = key << 16 | (k < x.size() ? x[k] : 0u);
    keyed[i] = {key, static_cast<std::uint32_t>(i)};
  });
  RadixSortByPrefix(keyed, threads);
  const std::size_t num = keyed.size();
  std::vector<std::uint32_t> order(num);
  ParallelFor(0, num, threads, [&](std::size_t i) { order[i] = keyed[i].id; });
  std::vector<std::pair<std::size_t, std::size_t>> runs;  // equal keys, some set longer than 4
  for (std::size_t i = 0, j = 0; i < num; i = j) {
    bool long_set = false;
    for (j = i; j < num && keyed[j].prefix == keyed[i].prefix; ++j) {
      long_set = long_set || set(keyed[j].id).size() > 4;
    }
    if (long_set && j - i > 1) runs.emplace_back(i, j);
  }
  Column<PrefixItem>().swap(keyed);
  ParallelForDynamic(
      0, runs.size(), threads,
      [&](std::size_t r) {
        std::sort(order.begin() + static_cast<std::ptrdiff_t>(runs[r].first),
                  order.begin() + static_cast<std::ptrdiff_t>(runs[r].second),
                  [&](std::uint32_t a, std::uint32_t b) {
                    const auto x = set(a), y = set(b);
                    const auto c = std::lexicographical_compare_three_way(x.begin(), x.end(),
                                                                          y.begin(), y.end());
                    return c != 0 ? c < 0 : a < b;
                  });
      },
      4);
  // number[i]: 1 + the number of the set of order[i] among the distinct sets (a running
  // count of where the set differs from the one before); the distinct sets' members are
  // then copied to their places.
  std::vector<std::uint32_t> number(num);
  ParallelFor(0, num, threads, [&](std::size_t i) {
    number[i] = i == 0 || !std::ranges::equal(set(order[i]), set(order[i - 1])) ? 1 : 0;
  });
  InclusiveScan(number, threads);
  const std::size_t distinct = num == 0 ? 0 : number[num - 1];
  std::vector<std::uint32_t> first_of(distinct);  // index in `order` of each distinct set
  std::vector<std::uint32_t> set_offsets(distinct + 1, 0);
  ParallelFor(0, num, threads, [&](std::size_t i) {
    if (i == 0 || number[i] != number[i - 1]) {
      first_of[number[i] - 1] = static_cast<std::uint32_t>(i);
      set_offsets[number[i]] = static_cast<std::uint32_t>(set(order[i]).size());
    }
    node_label[set_nodes[order[i]]] = static_cast<NodeLabelId>(num_labels + number[i] - 1);
  });
  for (std::size_t d = 0; d < distinct; ++d) set_offsets[d + 1] += set_offsets[d];
  std::vector<LabelId> set_members(set_offsets[distinct]);
  ParallelFor(0, distinct, threads, [&](std::size_t d) {
    const auto x = set(order[first_of[d]]);
    std::copy(x.begin(), x.end(), set_members.begin() + set_offsets[d]);
  });
  s.Own(SectionId::label_set_offsets, std::move(set_offsets));
  s.Own(SectionId::label_set_members, std::move(set_members));
}

}  // namespace polegraph::internal
