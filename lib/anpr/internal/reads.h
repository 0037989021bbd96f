// Shared plumbing of the ANPR analyses: the visible reads of a snapshot grouped by site or by
// plate, the time-window conversion, and option checks. Internal to lib/anpr.
#ifndef POLEGRAPH_LIB_ANPR_INTERNAL_READS_H_
#define POLEGRAPH_LIB_ANPR_INTERNAL_READS_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "polegraph/anpr.h"
#include "polegraph/graph.h"

namespace polegraph::anpr_internal {

// absl::string_view is not std::string_view in this Abseil build (TOOLCHAIN.md).
inline absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// A closed interval of UTC seconds.
struct TimeRange {
  std::int64_t from = std::numeric_limits<std::int64_t>::min();
  std::int64_t to = std::numeric_limits<std::int64_t>::max();
  bool Contains(std::int64_t t) const { return t >= from && t <= to; }
};
TimeRange MakeRange(std::optional<absl::Time> since, std::optional<absl::Time> until);
TimeRange MakeRange(absl::Time from, absl::Time to);

// What the caller may see: visible[label id], one byte a label (no bit extraction per test).
class Visibility {
 public:
  Visibility(const Graph& graph, const Clearance& clearance)
      : graph_(graph), edge_labels_(graph.edge_label()) {
    const std::vector<bool> visible = graph.VisibleLabels(clearance);
    labels_.assign(visible.begin(), visible.end());
  }
  bool Node(NodeId v) const { return labels_[graph_.node_label(v)] != 0; }
  bool Edge(EdgeId e) const { return labels_[edge_labels_[e]] != 0; }

 private:
  const Graph& graph_;
  std::span<const LabelId> edge_labels_;
  std::vector<std::uint8_t> labels_;
};

// Reads grouped by the nodes of one kind (plates or sites): the reads of the node
// first + i are reads[offsets[i] .. offsets[i+1]), sorted by (time, edge).
struct ReadGroups {
  NodeId first = 0;
  std::vector<std::size_t> offsets;
  std::vector<AnprRead> reads;
  std::size_t num_groups() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  std::size_t begin(NodeId v) const { return offsets[v - first]; }
  std::size_t end(NodeId v) const { return offsets[v - first + 1]; }
  // Indices of the groups with at least one read, ascending: the few hundred camera sites
  // among all Location nodes, so per-site loops schedule only nodes that have work.
  std::vector<std::size_t> NonEmpty() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < num_groups(); ++i) {
      if (offsets[i + 1] > offsets[i]) out.push_back(i);
    }
    return out;
  }
};

// The visible SEEN_AT reads with a known time in `range`, grouped by site (Location nodes) or
// by plate (Plate nodes). A read is visible when its edge, its plate and its site are.
ReadGroups ReadsBySite(const Graph& graph, const Visibility& vis, TimeRange range, int threads);
ReadGroups ReadsByPlate(const Graph& graph, const Visibility& vis, TimeRange range, int threads);

// Orders reads by (time, edge).
inline bool ReadBefore(const AnprRead& x, const AnprRead& y) {
  return x.time != y.time ? x.time < y.time : x.edge < y.edge;
}

}  // namespace polegraph::anpr_internal

#endif  // POLEGRAPH_LIB_ANPR_INTERNAL_READS_H_
