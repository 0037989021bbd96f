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

void AddMinimal(const CanonicalLabel& l, std::vector<CanonicalLabel>& minimal) {
  auto covers = [](const CanonicalLabel& a, const CanonicalLabel& b) {  // a at most b
    return a.force == b.force && a.classification <= b.classification &&
           (a.caveats & ~b.caveats) == 0;
  };
  for (const CanonicalLabel& m : minimal) {
    if (covers(m, l)) return;
  }
  std::erase_if(minimal, [&](const CanonicalLabel& m) { return covers(l, m); });
  minimal.push_back(l);
}

void PutLabelSets(std::size_t num_labels, const std::vector<NodeId>& set_nodes,
                  const std::vector<std::uint64_t>& set_end,
                  const std::vector<LabelId>& members, std::vector<NodeLabelId>& node_label,
                  Graph::Storage& s, int threads) {
  auto set = [&](std::uint32_t i) {
    const std::uint64_t begin = i == 0 ? 0 : set_end[i - 1];
    return std::span<const LabelId>(members.data() + begin, set_end[i] - begin);
  };
  // The nodes' sets sorted (ties by node, so the order is total), then numbered by distinct
  // set in that order.
  std::vector<std::uint32_t> order(set_nodes.size());
  std::iota(order.begin(), order.end(), 0u);
  ParallelSort(order, threads, [&](std::uint32_t a, std::uint32_t b) {
    const auto x = set(a), y = set(b);
    const auto c = std::lexicographical_compare_three_way(x.begin(), x.end(), y.begin(), y.end());
    return c != 0 ? c < 0 : a < b;
  });
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
