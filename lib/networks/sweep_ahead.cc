// Local moving's first sweep evaluated ahead: the bookkeeping of the stale evaluations (see
// internal/sweep_ahead.h). Moved marks the mover's neighbours, O(its arcs), and keeps the
// largest change of a community's tot (a hash map over the communities that changed).
#include "networks/internal/sweep_ahead.h"

namespace polegraph::internal {

void SweepAhead::Keep(NodeId n, std::vector<std::vector<std::pair<NodeId, MoveChoice>>>& found) {
  mark_.assign(n, 0);
  for (auto& f : found) moves_.insert(moves_.end(), f.begin(), f.end());
  for (const auto& entry : moves_) mark_[entry.first] |= kMove;
}

const MoveChoice& SweepAhead::ChoiceOf(NodeId v) const {
  const auto it = std::lower_bound(
      moves_.begin(), moves_.end(), v,
      [](const std::pair<NodeId, MoveChoice>& a, NodeId x) { return a.first < x; });
  return it->second;
}

void SweepAhead::Moved(const WeightedGraph& g, NodeId v, NodeId from, NodeId to, double kv) {
  if (all_stale_) return;
  for (NodeId u : g.neighbours(v)) mark_[u] |= kStale;
  marked_arcs_ += g.degree(v);
  if (marked_arcs_ > g.num_arcs() / kMarkShare) {
    all_stale_ = true;
    return;
  }
  Shift(shift_, max_shift_, from, to, kv);
  stale_exp_ = std::ilogb(two_scale_ * max_shift_ + rounding_);
}

}  // namespace polegraph::internal
