// Node labels for GraphBuilder::Build: the least restrictive labels of a node's assertions
// (AddMinimal) and the label-set sections (PutLabelSets). A node visible under any of several
// incomparable markings (different forces, or caveat sets neither of which contains the
// other) carries a label set; Graph::VisibleLabels makes a set visible when any member is.
// Cost: O(assertions x set size) for AddMinimal; O(S log S) to number S sets.
#include <algorithm>
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

void PutLabelSets(const std::vector<CanonicalLabel>& table,
                  const std::vector<std::pair<NodeId, std::vector<CanonicalLabel>>>& node_sets,
                  std::vector<NodeLabelId>& node_label, Graph::Storage& s) {
  auto label_id = [&](const CanonicalLabel& l) {
    return static_cast<LabelId>(std::lower_bound(table.begin(), table.end(), l) - table.begin());
  };
  std::vector<std::vector<LabelId>> sets;
  for (const auto& [v, labels] : node_sets) {
    std::vector<LabelId> ids;
    for (const CanonicalLabel& l : labels) ids.push_back(label_id(l));
    sets.push_back(std::move(ids));  // increasing: `labels` is sorted like `table`
  }
  std::vector<std::vector<LabelId>> distinct = sets;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  for (std::size_t i = 0; i < sets.size(); ++i) {
    const auto set = std::lower_bound(distinct.begin(), distinct.end(), sets[i]) - distinct.begin();
    node_label[node_sets[i].first] = static_cast<NodeLabelId>(table.size() + set);
  }
  std::vector<std::uint32_t> set_offsets{0};
  std::vector<LabelId> set_members;
  for (const std::vector<LabelId>& set : distinct) {
    set_members.insert(set_members.end(), set.begin(), set.end());
    set_offsets.push_back(static_cast<std::uint32_t>(set_members.size()));
  }
  s.Own(SectionId::label_set_offsets, std::move(set_offsets));
  s.Own(SectionId::label_set_members, std::move(set_members));
}

}  // namespace polegraph::internal
