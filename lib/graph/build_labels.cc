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
                  std::vector<NodeLabelId>& node_label, Graph::Storage& s, int threads) {
  auto set = [&](std::uint32_t i) {
    const std::uint64_t begin = i == 0 ? 0 : set_end[i - 1];
    return std::span<const LabelId>(members.data() + begin, set_end[i] - begin);
  };
  // The nodes' sets sorted (ties by node, so the order is total), then numbered by distinct
  // set in that order. Sorted by a key of the first four members (16 bits each, the first
  // in the high bits, zero past the end: members increase, so a later member is never 0 and
  // a shorter set sorts first), then runs of equal keys by the whole sets.
  struct Keyed {
    std::uint64_t key;
    std::uint32_t node;
  };
  std::vector<Keyed> keyed(set_nodes.size());
  ParallelFor(0, keyed.size(), threads, [&](std::size_t i) {
    const auto x = set(static_cast<std::uint32_t>(i));
    std::uint64_t key = 0;
    for (std::size_t k = 0; k < 4; ++k) key = key << 16 | (k < x.size() ? x[k] : 0u);
    keyed[i] = {key, static_cast<std::uint32_t>(i)};
  });
  ParallelSort(keyed, threads, [](const Keyed& a, const Keyed& b) {
    return a.key != b.key ? a.key < b.key : a.node < b.node;
  });
  std::vector<std::uint32_t> order(keyed.size());
  for (std::size_t i = 0; i < keyed.size(); ++i) order[i] = keyed[i].node;
  std::vector<std::pair<std::size_t, std::size_t>> runs;  // equal keys, some set longer than 4
  for (std::size_t i = 0, j = 0; i < keyed.size(); i = j) {
    bool long_set = false;
    for (j = i; j < keyed.size() && keyed[j].key == keyed[i].key; ++j) {
      long_set = long_set || set(keyed[j].node).size() > 4;
    }
    if (long_set && j - i > 1) runs.emplace_back(i, j);
  }
  std::vector<Keyed>().swap(keyed);
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
  std::vector<std::uint32_t> set_offsets{0};
  std::vector<LabelId> set_members;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto x = set(order[i]);
    if (i == 0 || !std::ranges::equal(x, set(order[i - 1]))) {
      set_members.insert(set_members.end(), x.begin(), x.end());
      set_offsets.push_back(static_cast<std::uint32_t>(set_members.size()));
    }
    node_label[set_nodes[order[i]]] = static_cast<NodeLabelId>(num_labels + set_offsets.size() - 2);
  }
  s.Own(SectionId::label_set_offsets, std::move(set_offsets));
  s.Own(SectionId::label_set_members, std::move(set_members));
}

}  // namespace polegraph::internal
