// Local moving's first sweep evaluated ahead: the bookkeeping of the stale evaluations (see
// internal/sweep_ahead.h). Changed marks the members of a community and their neighbours,
// O(their arcs) once per community and sweep, and builds the start partition's member lists on
// its first call (a counting sort, O(n)).
#include "networks/internal/sweep_ahead.h"

namespace polegraph::internal {

void SweepAhead::Keep(NodeId n, std::vector<std::vector<std::pair<NodeId, MoveChoice>>>& found) {
  mark_.assign(n, 0);
  changed_.assign(n, 0);
  for (auto& f : found) moves_.insert(moves_.end(), f.begin(), f.end());
  for (const auto& entry : moves_) mark_[entry.first] |= kMove;
}

const MoveChoice& SweepAhead::ChoiceOf(NodeId v) const {
  const auto it = std::lower_bound(
      moves_.begin(), moves_.end(), v,
      [](const std::pair<NodeId, MoveChoice>& a, NodeId x) { return a.first < x; });
  return it->second;
}

void SweepAhead::Changed(const WeightedGraph& g, NodeId c, std::span<const NodeId> comm) {
  if (all_stale_ || changed_[c] != 0) return;
  changed_[c] = 1;
  const NodeId n = g.num_nodes();
  if (member_at_.empty()) {
    member_at_.assign(static_cast<std::size_t>(n) + 1, 0);
    for (NodeId v = 0; v < n; ++v) ++member_at_[comm[v] + 1];
    for (NodeId x = 0; x < n; ++x) member_at_[x + 1] += member_at_[x];
    members_.resize(n);
    std::vector<NodeId> at(member_at_.begin(), member_at_.end() - 1);
    for (NodeId v = 0; v < n; ++v) members_[at[comm[v]]++] = v;
  }
  for (NodeId i = member_at_[c]; i < member_at_[c + 1]; ++i) {
    const NodeId x = members_[i];
    mark_[x] |= kStale;
    for (NodeId u : g.neighbours(x)) mark_[u] |= kStale;
    marked_arcs_ += g.degree(x);
  }
  if (marked_arcs_ > g.num_arcs() / kMarkShare) all_stale_ = true;
}

}  // namespace polegraph::internal
