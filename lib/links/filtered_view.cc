// Filter validation and the per-call masks of the filtered view (see filtered_view.h).
#include "links/filtered_view.h"

#include <algorithm>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "graph/storage.h"
#include "parallel/parallel.h"

namespace polegraph {

absl::Status ValidateFilter(const TraversalFilter& filter) {
  if (filter.node_kinds.none()) {
    return absl::InvalidArgumentError(
        "TraversalFilter.node_kinds admits no node kind: allow at least one (default: all)");
  }
  if (filter.edge_kinds.none()) {
    return absl::InvalidArgumentError(
        "TraversalFilter.edge_kinds admits no edge kind: allow at least one (default: all)");
  }
  if (filter.since > filter.until) {
    return absl::InvalidArgumentError(absl::StrCat("TraversalFilter time window is empty: since ",
                                                   filter.since, " > until ", filter.until));
  }
  if (filter.max_results == 0) {
    return absl::InvalidArgumentError("TraversalFilter.max_results must be at least 1");
  }
  if (filter.direction != Direction::kOut && filter.direction != Direction::kIn &&
      filter.direction != Direction::kBoth) {
    return absl::InvalidArgumentError(
        absl::StrCat("TraversalFilter.direction out of range: ",
                     static_cast<int>(filter.direction)));
  }
  return absl::OkStatus();
}

namespace links_internal {

absl::StatusOr<FilteredView> FilteredView::Make(const Graph& graph, const TraversalFilter& filter,
                                                const QueryContext& ctx,
                                                std::span<const NodeId> subjects,
                                                bool lazy_nodes) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (absl::Status s = ValidateFilter(filter); !s.ok()) return s;
  FilteredView view;
  view.graph_ = &graph;
  view.filter_ = filter;
  view.n_ = graph.num_nodes();
  view.threads_ = ctx.threads;
  view.kind_mask_ = static_cast<std::uint32_t>(filter.edge_kinds.to_ulong());

  const std::vector<bool> visible = graph.VisibleLabels(ctx.clearance);
  view.visible_label_.assign(visible.begin(), visible.end());
  for (NodeId s : subjects) {
    if (s >= view.n_ || !view.visible_label_[graph.node_label(s)]) {
      return absl::NotFoundError(absl::StrCat(
          "subject node ", s, " does not exist or is not visible at the caller's clearance"));
    }
  }
  view.out_off_ = graph.out_offsets();
  view.in_off_ = graph.in_offsets();
  view.out_nbr_ = graph.out_neighbours();
  view.in_nbr_ = graph.in_neighbours();
  view.in_edge_ = graph.in_edge();
  view.edge_kind_ = graph.edge_kind();
  view.edge_time_ = graph.edge_time();
  view.edge_label_ = graph.edge_label();
  const bool all_visible = std::all_of(view.visible_label_.begin(), view.visible_label_.end(),
                                       [](std::uint8_t b) { return b != 0; });

  // The cheapest exact checks (see EdgeCheck): an edge time is a uint32, so a window covering
  // [1, 2^32 - 1] with unknown times included admits every time.
  const bool every_kind = filter.edge_kinds.all();
  const bool every_time = filter.include_unknown_time && filter.since <= 1 &&
                          filter.until >= std::int64_t{std::numeric_limits<EdgeTime>::max()};
  if (!every_kind || !every_time) {
    view.edge_check_ = EdgeCheck::kFull;
  } else {
    view.edge_check_ = all_visible ? EdgeCheck::kNone : EdgeCheck::kLabel;
  }
  // Every node admitted: no per-node mask at all (node_ok() is then constant).
  view.check_nodes_ = !(all_visible && filter.node_kinds.all());
  if (!view.check_nodes_) return view;
  if (lazy_nodes) {
    view.node_kind_mask_ = static_cast<std::uint32_t>(filter.node_kinds.to_ulong());
    view.node_kind_ = graph.storage().node_kind;
    view.node_label_ = graph.storage().node_label;
    view.subjects_.assign(subjects.begin(), subjects.end());
    std::sort(view.subjects_.begin(), view.subjects_.end());
    return view;
  }
  view.admitted_.assign(view.n_, 0);
  for (int k = 0; k < kNumNodeKinds; ++k) {
    if (!filter.node_kinds.test(static_cast<std::size_t>(k))) continue;
    const auto [first, last] = graph.KindRange(static_cast<NodeKind>(k));
    if (all_visible) {  // the common case: no label lookups
      std::fill(view.admitted_.begin() + first, view.admitted_.begin() + last, 1);
      continue;
    }
    internal::ParallelFor(first, last, ctx.threads, [&](std::size_t v) {
      view.admitted_[v] = view.visible_label_[graph.node_label(static_cast<NodeId>(v))];
    });
  }
  for (NodeId s : subjects) view.admitted_[s] = 1;
  return view;
}

}  // namespace links_internal
}  // namespace polegraph
