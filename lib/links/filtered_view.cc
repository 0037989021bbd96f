// Filter validation and the per-call masks of the filtered view (see filtered_view.h).
#include "links/filtered_view.h"

#include <algorithm>
#include <array>
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
  if (!every_time || (!every_kind && !all_visible)) {
    view.edge_check_ = EdgeCheck::kFull;
  } else if (!every_kind) {
    view.edge_check_ = EdgeCheck::kKind;
  } else {
    view.edge_check_ = all_visible ? EdgeCheck::kNone : EdgeCheck::kLabel;
  }
  // Every node admitted: no per-node mask at all (node_ok() is then constant).
  view.check_nodes_ = !(all_visible && filter.node_kinds.all());
  if (!view.check_nodes_) return view;
  if (lazy_nodes) {
    view.node_kind_mask_ = static_cast<std::uint32_t>(filter.node_kinds.to_ulong());
    const Graph::Storage& storage = internal::GraphAccess::storage(graph);
    view.node_kind_ = storage.node_kind;
    view.node_label_ = storage.node_label;
    view.subjects_.assign(subjects.begin(), subjects.end());
    std::sort(view.subjects_.begin(), view.subjects_.end());
    return view;
  }
  // Nodes are sorted by kind, so a node's kind is known from its id: each word of the bitmap
  // (64 nodes) is computed whole by one thread, with label lookups only when some are hidden.
  const std::uint32_t kinds = static_cast<std::uint32_t>(filter.node_kinds.to_ulong());
  std::array<NodeId, kNumNodeKinds + 1> kind_first{};
  for (int k = 0; k < kNumNodeKinds; ++k) {
    kind_first[k] = graph.KindRange(static_cast<NodeKind>(k)).first;
  }
  kind_first[kNumNodeKinds] = view.n_;
  view.admitted_.assign((std::size_t{view.n_} + 63) / 64, 0);
  const std::span<const NodeLabelId> labels = internal::GraphAccess::storage(graph).node_label;
  internal::ParallelFor(0, view.admitted_.size(), ctx.threads, [&](std::size_t w) {
    const NodeId lo = static_cast<NodeId>(w * 64);
    const NodeId hi = std::min<NodeId>(view.n_, lo + 64);
    int k = static_cast<int>(std::upper_bound(kind_first.begin(), kind_first.end(), lo) -
                             kind_first.begin()) - 1;
    std::uint64_t bits = 0;
    for (NodeId v = lo; v < hi; ++v) {
      while (v >= kind_first[k + 1]) ++k;
      if (((kinds >> k) & 1u) != 0 && (all_visible || view.visible_label_[labels[v]] != 0)) {
        bits |= std::uint64_t{1} << (v - lo);
      }
    }
    view.admitted_[w] = bits;
  }, /*grain=*/256);
  for (NodeId s : subjects) view.admitted_[s / 64] |= std::uint64_t{1} << (s % 64);
  return view;
}

}  // namespace links_internal
}  // namespace polegraph
