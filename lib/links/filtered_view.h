// The filtered view every link analysis traverses: a TraversalFilter and a clearance applied to
// a snapshot, as per-node and per-label masks computed once per call.
//
// A traversal step u -> v through edge e is admitted when
//   - e is of an allowed kind, its time passes the window, and its label is visible, and
//   - v is admitted: visible, and of an allowed kind (or a subject of the call).
// The caller only steps from admitted nodes, so both endpoints are always visible: an item the
// clearance does not cover is never traversed (DESIGN.md §2: skipped inside the traversal).
//
// "Forward" follows the filter's direction; "reverse" the opposite one (for backward searches).
// Steps are enumerated list by list (out-CSR, then in-CSR); within a list in increasing
// (neighbour id, EdgeId) order, which the snapshot's sort order guarantees.
#ifndef POLEGRAPH_LIB_LINKS_FILTERED_VIEW_H_
#define POLEGRAPH_LIB_LINKS_FILTERED_VIEW_H_

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"
#include "links/adjacency_index.h"
#include "polegraph/graph.h"
#include "polegraph/links.h"
#include "polegraph/query.h"

namespace polegraph::links_internal {

// (node, EdgeId) packed so that the numeric order is the (node id, EdgeId) order.
using StepKey = std::uint64_t;
inline constexpr StepKey kNoStep = ~StepKey{0};
inline StepKey PackStep(NodeId v, EdgeId e) { return (StepKey{v} << 32) | e; }
inline NodeId StepNode(StepKey k) { return static_cast<NodeId>(k >> 32); }
inline EdgeId StepEdge(StepKey k) { return static_cast<EdgeId>(k & 0xffffffffu); }

// Which per-edge checks a step must make for a view to be exact: none (every edge kind, an
// unbounded window and every label visible), the label only (the clearance hides some labels),
// the kind only (some kinds excluded, an unbounded window, every label visible: one byte per
// edge, no label or time lookups), or all of kind, window and label.
enum class EdgeCheck : std::uint8_t { kNone, kLabel, kKind, kFull };

// A compile-time choice of checks for FilteredView's step enumerations; kNodes = whether the
// neighbour's admission (kind and label) must be looked up.
template <EdgeCheck kEdgesV, bool kNodesV>
struct StepChecks {
  static constexpr EdgeCheck kEdges = kEdgesV;
  static constexpr bool kNodes = kNodesV;
};
using FullChecks = StepChecks<EdgeCheck::kFull, true>;

class FilteredView {
 public:
  // Validates the filter and the context, checks that every subject exists and is visible
  // (NotFound otherwise) and builds the per-node mask when one is needed (O(n), ctx.threads).
  // lazy_nodes: no per-node mask; node_ok() looks the node's kind and label up instead
  // (O(subjects) per call; for searches that touch few nodes, such as ShortestPath).
  static absl::StatusOr<FilteredView> Make(const Graph& graph, const TraversalFilter& filter,
                                           const QueryContext& ctx,
                                           std::span<const NodeId> subjects,
                                           bool lazy_nodes = false);

  const Graph& graph() const { return *graph_; }
  NodeId num_nodes() const { return n_; }
  int threads() const { return threads_; }
  const TraversalFilter& filter() const { return filter_; }

  [[gnu::always_inline]] bool node_ok(NodeId v) const {
    if (!check_nodes_) return true;
    if (!admitted_.empty()) return ((admitted_[v / 64] >> (v % 64)) & 1u) != 0;
    return LazyNodeOk(v);
  }
  bool node_visible(NodeId v) const { return visible_label_[graph_->node_label(v)] != 0; }
  // Kind, window and label of an edge (not its endpoints).
  bool edge_ok(EdgeId e) const {
    if (!((kind_mask_ >> static_cast<unsigned>(edge_kind_[e])) & 1u)) return false;
    if (!visible_label_[edge_label_[e]]) return false;
    const EdgeTime t = edge_time_[e];
    if (t == kUnknownTime) return filter_.include_unknown_time;
    return static_cast<std::int64_t>(t) >= filter_.since &&
           static_cast<std::int64_t>(t) <= filter_.until;
  }
  // Whether an edge would pass the filter with both endpoints admitted (for listing edges).
  bool edge_admitted(EdgeId e, NodeId a, NodeId b) const {
    return edge_ok(e) && node_ok(a) && node_ok(b);
  }

  // The checks C makes, for an edge (not its endpoints) and a neighbour. Exact when C is
  // FullChecks or what WithChecks() chose.
  template <typename C>
  bool edge_pass(EdgeId e) const {
    if constexpr (C::kEdges == EdgeCheck::kNone) {
      return true;
    } else if constexpr (C::kEdges == EdgeCheck::kLabel) {
      return visible_label_[edge_label_[e]] != 0;
    } else if constexpr (C::kEdges == EdgeCheck::kKind) {
      return ((kind_mask_ >> static_cast<unsigned>(edge_kind_[e])) & 1u) != 0;
    } else {
      return edge_ok(e);
    }
  }
  template <typename C>
  bool node_pass(NodeId v) const {
    if constexpr (C::kNodes) {
      return node_ok(v);
    } else {
      return true;
    }
  }
  EdgeCheck edge_check() const { return edge_check_; }
  bool check_nodes() const { return check_nodes_; }

  // Which CSR lists a step in the given sense scans.
  bool scans_out(bool reverse) const {
    return filter_.direction == Direction::kBoth ||
           (filter_.direction == Direction::kOut) != reverse;
  }
  bool scans_in(bool reverse) const {
    return filter_.direction == Direction::kBoth ||
           (filter_.direction == Direction::kIn) != reverse;
  }
  // Number of CSR entries a step from v scans (the BFS heuristics' edge counts).
  [[gnu::always_inline]] std::uint64_t scan_degree(NodeId v, bool reverse) const {
    std::uint64_t d = 0;
    if (scans_out(reverse)) d += out_off_[v + 1] - out_off_[v];
    if (scans_in(reverse)) d += in_off_[v + 1] - in_off_[v];
    return d;
  }

  // Calls f(v, e) for every admitted step from u (u itself is assumed admitted). C selects
  // the checks made (FullChecks: all of them; WithChecks() passes the cheapest exact set).
  template <typename C = FullChecks, typename F>
  void ForEachStep(NodeId u, bool reverse, F&& f) const {
    ForEachStepIf<C>(u, reverse, [](NodeId) { return true; }, f);
  }
  // Like ForEachStep, for the steps whose neighbour v passes pre(v), a pure predicate tested
  // before the filter's own checks (a BFS tests "unreached" first: on late levels most
  // neighbours are reached, and their edges then cost no kind, time or label lookups).
  template <typename C = FullChecks, typename Pre, typename F>
  void ForEachStepIf(NodeId u, bool reverse, Pre&& pre, F&& f) const {
    if (scans_out(reverse)) {
      const EdgeIndex end = out_off_[u + 1];
      for (EdgeIndex i = out_off_[u]; i < end; ++i) {
        const NodeId v = out_nbr_[i];
        const auto e = static_cast<EdgeId>(i);
        if (pre(v) && node_pass<C>(v) && edge_pass<C>(e)) f(v, e);
      }
    }
    if (scans_in(reverse)) {
      const EdgeIndex end = in_off_[u + 1];
      for (EdgeIndex i = in_off_[u]; i < end; ++i) {
        const NodeId v = in_nbr_[i];
        if (!pre(v) || !node_pass<C>(v)) continue;
        const EdgeId e = in_edge_[i];
        if (edge_pass<C>(e)) f(v, e);
      }
    }
  }

  // The smallest StepKey(v, e) over admitted steps from u with accept(v, e); kNoStep if none.
  // Each list is sorted by (neighbour, EdgeId), so a list stops at its first accepted step,
  // and the list scanned second stops at the first neighbour past the first list's hit. The
  // list whose first neighbour is smaller goes first (a graph stored with each undirected
  // edge once, from its smaller endpoint, keeps the smaller neighbours in the in-list: its hit
  // ends the out-list's scan at the first entry). Two plain loops rather than one merged walk
  // of both lists: the merge reads fewer entries but mispredicts its which-list branch at
  // every step (bottom-up BFS levels spend most of their time here).
  // accept(v, e), or accept(v) when it does not look at the edge (then the in-list's EdgeIds
  // are read only at the hit), must be a pure predicate (tested before the filter's checks).
  template <typename C = FullChecks, typename Accept>
  StepKey MinStep(NodeId u, bool reverse, Accept&& accept) const {
    const bool out = scans_out(reverse);
    const bool in = scans_in(reverse);
    if (out && in) {
      const EdgeIndex ob = out_off_[u], ib = in_off_[u];
      if (ib != in_off_[u + 1] && (ob == out_off_[u + 1] || in_nbr_[ib] < out_nbr_[ob])) {
        const StepKey best = MinInStep<C>(u, kNoNode, kNoStep, accept);
        return MinOutStep<C>(u, StepNode(best), best, accept);
      }
    }
    StepKey best = out ? MinOutStep<C>(u, kNoNode, kNoStep, accept) : kNoStep;
    // kNoNode's bits are StepNode(kNoStep): no limit when the out-list had no hit.
    if (in) best = MinInStep<C>(u, StepNode(best), best, accept);
    return best;
  }

  // The in-list flag of a deferred step's code (PrefixStep, MinStepDeferred).
  static constexpr std::uint32_t kInList = std::uint32_t{1} << 31;
  // PrefixStep's answer when u's indexed entries neither hold an accepted step nor are the
  // whole of u's lists (MinStep must decide).
  static constexpr StepKey kUndecided = kNoStep - 1;

  // MinStep(u, reverse, accept) for a view that scans both lists (kBoth), with accept(v) by
  // node only, decided from u's first entries in `index` when one of them is accepted or they
  // are all of u's steps (then neither list is read, except the in-list's EdgeId at the hit);
  // kUndecided otherwise. With C::kEdges == kNone and a non-null `where`, a hit's EdgeId is
  // not computed: the result is PackStep(v, 0) and *where = DeferredEdge's code for it (the
  // caller calls DeferredEdge later: it reads u's offset and, for an in-list hit, its EdgeId,
  // random reads that would otherwise stall a scan).
  template <typename C = FullChecks, typename Accept>
  [[gnu::always_inline]] StepKey PrefixStep(NodeId u, const AdjacencyIndex& index,
                                            Accept&& accept,
                                            std::uint32_t* where = nullptr) const {
    const AdjacencyIndex::Prefix& p = index.prefix[u];
    const unsigned from_in = index.from_in[u];
    unsigned in_before = 0;  // in-list entries among the first k
    for (unsigned k = 0; k < AdjacencyIndex::kPrefix; ++k) {
      const NodeId v = p.nbr[k];
      if (v == kNoNode) return kNoStep;  // padding: the lists ended
      const unsigned in = (from_in >> k) & 1u;
      if (accept(v) && node_pass<C>(v)) {
        if constexpr (C::kEdges == EdgeCheck::kNone) {
          if (where != nullptr) {
            *where = in != 0 ? (kInList | in_before) : k - in_before;
            return PackStep(v, 0);
          }
        }
        const EdgeId e = in != 0 ? in_edge_[in_off_[u] + in_before]
                                 : static_cast<EdgeId>(out_off_[u] + (k - in_before));
        if (edge_pass<C>(e)) return PackStep(v, e);
      }
      in_before += in;
    }
    return (from_in & AdjacencyIndex::kComplete) != 0 ? kNoStep : kUndecided;
  }
  // The EdgeId of u's step coded `where` by PrefixStep or MinStepDeferred: entry (where &
  // ~kInList) of u's in-list if kInList is set, of its out-list otherwise.
  EdgeId DeferredEdge(NodeId u, std::uint32_t where) const {
    return (where & kInList) != 0 ? in_edge_[in_off_[u] + (where & ~kInList)]
                                  : static_cast<EdgeId>(out_off_[u] + where);
  }
  // MinStep for C::kEdges == kNone and accept(v) by node only, without reading EdgeIds: the
  // result is PackStep(v, 0) (kNoStep if none) and *where the hit's code for DeferredEdge.
  // (Only a neighbour reached through both lists needs an EdgeId to pick the smaller step;
  // then it is read here, and *where still codes the step chosen.)
  template <typename C, typename Accept>
  StepKey MinStepDeferred(NodeId u, bool reverse, Accept&& accept, std::uint32_t* where) const {
    static_assert(C::kEdges == EdgeCheck::kNone);
    NodeId out_hit = kNoNode, in_hit = kNoNode;
    EdgeIndex out_at = 0, in_at = 0;
    const bool out = scans_out(reverse);
    const bool in = scans_in(reverse);
    const EdgeIndex ob = out ? out_off_[u] : 0, oe = out ? out_off_[u + 1] : 0;
    const EdgeIndex ib = in ? in_off_[u] : 0, ie = in ? in_off_[u + 1] : 0;
    auto scan_out = [&](NodeId limit) {
      for (EdgeIndex i = ob; i < oe; ++i) {
        const NodeId v = out_nbr_[i];
        if (v > limit) return;
        if (accept(v) && node_pass<C>(v)) {
          out_hit = v;
          out_at = i;
          return;
        }
      }
    };
    auto scan_in = [&](NodeId limit) {
      for (EdgeIndex j = ib; j < ie; ++j) {
        const NodeId v = in_nbr_[j];
        if (v > limit) return;
        if (accept(v) && node_pass<C>(v)) {
          in_hit = v;
          in_at = j;
          return;
        }
      }
    };
    // As MinStep: the list whose first neighbour is smaller first; the other stops past its hit.
    if (ib != ie && (ob == oe || in_nbr_[ib] < out_nbr_[ob])) {
      scan_in(kNoNode);
      scan_out(in_hit);
    } else {
      scan_out(kNoNode);
      scan_in(out_hit);
    }
    bool take_in;
    if (in_hit != out_hit) {
      take_in = in_hit < out_hit;
    } else if (in_hit == kNoNode) {
      return kNoStep;
    } else {
      take_in = in_edge_[in_at] < static_cast<EdgeId>(out_at);
    }
    if (take_in) {
      *where = kInList | static_cast<std::uint32_t>(in_at - ib);
      return PackStep(in_hit, 0);
    }
    *where = static_cast<std::uint32_t>(out_at - ob);
    return PackStep(out_hit, 0);
  }
  // PrefixStep, then MinStep when undecided: always MinStep's result.
  template <typename C = FullChecks, typename Accept>
  StepKey MinStepIndexed(NodeId u, bool reverse, const AdjacencyIndex& index,
                         Accept&& accept) const {
    const StepKey best = PrefixStep<C>(u, index, accept);
    return best == kUndecided ? MinStep<C>(u, reverse, accept) : best;
  }

  // Word w of the nodes with a step in the given sense (bit v - 64 w), from `index`.
  std::uint64_t steps_word(const AdjacencyIndex& index, std::size_t w, bool reverse) const {
    return (scans_out(reverse) ? index.has_out[w] : 0) | (scans_in(reverse) ? index.has_in[w] : 0);
  }
  // The admitted nodes among `candidates`, bits of word w (bit v - 64 w).
  std::uint64_t admitted_bits(std::size_t w, std::uint64_t candidates) const {
    if (!check_nodes_) return candidates;
    if (!admitted_.empty()) return candidates & admitted_[w];
    std::uint64_t out = 0;
    for (std::uint64_t todo = candidates; todo != 0; todo &= todo - 1) {
      const int b = std::countr_zero(todo);
      if (LazyNodeOk(static_cast<NodeId>(w * 64 + static_cast<std::size_t>(b)))) {
        out |= std::uint64_t{1} << b;
      }
    }
    return out;
  }

  // Calls f(C{}) with the cheapest StepChecks that are exact for this view's filter and
  // clearance (e.g. no per-edge checks at all when everything is admitted), so that a
  // traversal's inner loops are compiled once per case and branch-free of unused checks.
  template <typename F>
  decltype(auto) WithChecks(F&& f) const {
    if (check_nodes_) {
      switch (edge_check_) {
        case EdgeCheck::kNone: return f(StepChecks<EdgeCheck::kNone, true>{});
        case EdgeCheck::kLabel: return f(StepChecks<EdgeCheck::kLabel, true>{});
        case EdgeCheck::kKind: return f(StepChecks<EdgeCheck::kKind, true>{});
        case EdgeCheck::kFull: break;
      }
      return f(FullChecks{});
    }
    switch (edge_check_) {
      case EdgeCheck::kNone: return f(StepChecks<EdgeCheck::kNone, false>{});
      case EdgeCheck::kLabel: return f(StepChecks<EdgeCheck::kLabel, false>{});
      case EdgeCheck::kKind: return f(StepChecks<EdgeCheck::kKind, false>{});
      case EdgeCheck::kFull: break;
    }
    return f(StepChecks<EdgeCheck::kFull, false>{});
  }

 private:
  FilteredView() = default;
  // MinStep's scans of one list: min(best, the first accepted step from u whose neighbour is
  // at most `limit`).
  template <typename C, typename Accept>
  StepKey MinOutStep(NodeId u, NodeId limit, StepKey best, Accept& accept) const {
    constexpr bool kByNode = std::is_invocable_r_v<bool, Accept&, NodeId>;
    const EdgeIndex end = out_off_[u + 1];
    for (EdgeIndex i = out_off_[u]; i < end; ++i) {
      const NodeId v = out_nbr_[i];
      if (v > limit) break;
      const auto e = static_cast<EdgeId>(i);
      bool hit;
      if constexpr (kByNode) {
        hit = accept(v);
      } else {
        hit = accept(v, e);
      }
      if (hit && node_pass<C>(v) && edge_pass<C>(e)) return std::min(best, PackStep(v, e));
    }
    return best;
  }
  template <typename C, typename Accept>
  StepKey MinInStep(NodeId u, NodeId limit, StepKey best, Accept& accept) const {
    constexpr bool kByNode = std::is_invocable_r_v<bool, Accept&, NodeId>;
    const EdgeIndex end = in_off_[u + 1];
    for (EdgeIndex j = in_off_[u]; j < end; ++j) {
      const NodeId v = in_nbr_[j];
      if (v > limit) break;
      if constexpr (kByNode) {
        if (!accept(v) || !node_pass<C>(v)) continue;
        const EdgeId e = in_edge_[j];
        if (edge_pass<C>(e)) return std::min(best, PackStep(v, e));
      } else {
        const EdgeId e = in_edge_[j];
        if (accept(v, e) && node_pass<C>(v) && edge_pass<C>(e)) {
          return std::min(best, PackStep(v, e));
        }
      }
    }
    return best;
  }
  bool LazyNodeOk(NodeId v) const {
    return (((node_kind_mask_ >> static_cast<unsigned>(node_kind_[v])) & 1u) != 0 &&
            visible_label_[node_label_[v]] != 0) ||
           std::binary_search(subjects_.begin(), subjects_.end(), v);
  }

  const Graph* graph_ = nullptr;
  TraversalFilter filter_;
  NodeId n_ = 0;
  int threads_ = 1;
  std::uint32_t kind_mask_ = 0;
  EdgeCheck edge_check_ = EdgeCheck::kFull;
  bool check_nodes_ = true;
  std::vector<std::uint8_t> visible_label_;  // by LabelId
  // Admitted nodes, one bit per NodeId (n / 8 bytes: cache-resident where a byte per node
  // would not be); empty when !check_nodes_ or lazy.
  std::vector<std::uint64_t> admitted_;
  // Lazy node checks: allowed node kinds, the node columns, the sorted subjects.
  std::uint32_t node_kind_mask_ = 0;
  std::span<const NodeKind> node_kind_;
  std::span<const NodeLabelId> node_label_;
  std::vector<NodeId> subjects_;
  std::span<const EdgeIndex> out_off_, in_off_;
  std::span<const NodeId> out_nbr_, in_nbr_;
  std::span<const EdgeId> in_edge_;
  std::span<const EdgeKind> edge_kind_;
  std::span<const EdgeTime> edge_time_;
  std::span<const LabelId> edge_label_;
};

}  // namespace polegraph::links_internal

#endif  // POLEGRAPH_LIB_LINKS_FILTERED_VIEW_H_
