// Cloned plates, the make / colour check: a read whose camera-recognised make or colour differs
// from the vehicle PNC says displays the plate at that time (MismatchCheck in
// lib/anpr/internal/clones.h, used by FindClones in clones.cc).
//
// How: the plate's read_make / read_colour properties carry the read's record; they are
// gathered (as value ids of the snapshot's property-value pool, property names resolved to
// ids once per call) and sorted by record, and each read finds its own by binary search. The
// vehicle displaying the plate at the read's time is the one with the latest visible DISPLAYS
// edge not after it (unknown time, 0, counts as earliest); its make and colour value ids are
// read once per plate. A read value whose id is one of the vehicle's ids matches at once (the
// common case: no string work); otherwise both sides are compared canonically (upper case,
// trimmed, GRAY = GREY), and a value matching none of the vehicle's is a conflict. The
// vehicle side sits at random places in the snapshot; PrefetchEdges / PrefetchVehicles
// request it for a block of plates before the block is checked, so the misses overlap.
// Cost: O(d + P log P + r log P) per plate for its in-degree d, P properties and r reads.
// Reference: NPCC National ANPR Standards for Policing and Law Enforcement (2023), on
// vehicle-description mismatches as a sign of a cloned VRM.
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "anpr/internal/clones.h"
#include "graph/storage.h"

namespace polegraph::anpr_internal {

std::string CanonicalValue(std::string_view s) {
  std::string v = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(Sv(s)));
  return v == "GRAY" ? "GREY" : v;
}

MismatchCheck::MismatchCheck(const Graph& graph, const Visibility& vis) : graph_(graph), vis_(vis) {
  const internal::StringColumn& names = internal::GraphAccess::storage(graph).prop_names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string_view name = names.Get(i);
    const auto id = static_cast<std::uint32_t>(i);
    if (name == "read_make") read_make_ = id;
    if (name == "read_colour") read_colour_ = id;
    if (name == "make") make_ = id;
    if (name == "colour") colour_ = id;
  }
}

namespace {

using Display = CloneScratch::Display;
using ReadProperty = CloneScratch::ReadProperty;

// The canonical values of value ids [begin, end) of `values`, sorted and distinct.
std::vector<std::string> CanonicalValues(const Graph::Storage& s,
                                         const std::vector<std::uint32_t>& values,
                                         std::uint32_t begin, std::uint32_t end) {
  std::vector<std::string> out;
  for (std::uint32_t i = begin; i < end; ++i) {
    out.push_back(CanonicalValue(s.prop_values.Get(values[i])));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

void MismatchCheck::PrefetchEdges(NodeId first, NodeId last) const {
  if (read_make_ == kNone && read_colour_ == kNone) return;
  const Graph::Storage& s = internal::GraphAccess::storage(graph_);
  const auto in_offsets = graph_.in_offsets();
  const auto in_edge = graph_.in_edge();
  const auto in_neighbours = graph_.in_neighbours();
  for (EdgeIndex i = in_offsets[first]; i < in_offsets[last]; ++i) {
    const EdgeId e = in_edge[i];
    const NodeId v = in_neighbours[i];
    __builtin_prefetch(&s.edge_kind[e]);
    __builtin_prefetch(&s.edge_label[e]);
    __builtin_prefetch(&s.edge_time[e]);
    __builtin_prefetch(&s.node_label[v]);
    __builtin_prefetch(&s.node_prop_offsets.base[v >> internal::kCompactShift]);
    __builtin_prefetch(&s.node_prop_offsets.delta[v]);
  }
}

void MismatchCheck::PrefetchVehicles(NodeId first, NodeId last) const {
  if (read_make_ == kNone && read_colour_ == kNone) return;
  const Graph::Storage& s = internal::GraphAccess::storage(graph_);
  const auto in_offsets = graph_.in_offsets();
  const auto in_neighbours = graph_.in_neighbours();
  for (EdgeIndex i = in_offsets[first]; i < in_offsets[last]; ++i) {
    const EdgeIndex p = s.node_prop_offsets[in_neighbours[i]];
    if (p < s.prop_name.size()) {
      __builtin_prefetch(&s.prop_name[p]);
      __builtin_prefetch(&s.prop_value[p]);
    }
  }
}

void MismatchCheck::Check(NodeId plate, std::span<const std::uint64_t> reads,
                          CloneScratch& scratch) const {
  if (read_make_ == kNone && read_colour_ == kNone) return;
  const Graph& g = graph_;
  const Graph::Storage& s = internal::GraphAccess::storage(g);

  // The plate's read properties, by (record, make before colour).
  std::vector<ReadProperty>& props = scratch.props;
  props.clear();
  const EdgeIndex prop_begin = s.node_prop_offsets[plate],
                  prop_end = s.node_prop_offsets[plate + 1];
  for (EdgeIndex i = prop_begin; i < prop_end; ++i) {
    const std::uint32_t name = s.PropName(i);
    if (name != read_make_ && name != read_colour_) continue;
    props.push_back({s.PropRecord(plate, i), name == read_colour_, s.prop_value[i]});
  }
  if (props.empty()) return;

  // The vehicles displaying it, by (time, edge).
  std::vector<Display>& displays = scratch.displays;
  displays.clear();
  const auto in_offsets = g.in_offsets();
  for (EdgeIndex i = in_offsets[plate]; i < in_offsets[plate + 1]; ++i) {
    const EdgeId e = g.in_edge()[i];
    const NodeId vehicle = g.in_neighbours()[i];
    if (g.edge_kind()[e] == EdgeKind::kDisplays && vis_.Edge(e) && vis_.Node(vehicle)) {
      displays.push_back({.edge = e, .time = g.edge_time()[e], .vehicle = vehicle});
    }
  }
  if (displays.empty()) return;
  std::sort(displays.begin(), displays.end(), [](const Display& x, const Display& y) {
    return x.time != y.time ? x.time < y.time : x.edge < y.edge;
  });
  std::sort(props.begin(), props.end(), [](const ReadProperty& x, const ReadProperty& y) {
    return x.record != y.record ? x.record < y.record : x.colour < y.colour;
  });
  scratch.values.clear();

  const auto records = g.edge_record();
  auto next = props.begin();  // just past the last read's properties
  for (const std::uint64_t key : reads) {
    const EdgeId edge = PackedEdge(key);
    const EdgeTime time = PackedTime(key);
    const RecordNo record = records[edge];
    // Records are numbered in extract order, which mostly follows time: try the properties
    // after the last read's first, else search them all.
    auto it = next;
    if (it == props.end() || it->record != record) {
      it = std::lower_bound(props.begin(), props.end(), record,
                            [](const ReadProperty& p, RecordNo rec) { return p.record < rec; });
      if (it == props.end() || it->record != record) continue;
    }
    Display* shown = nullptr;
    for (Display& d : displays) {
      if (d.time > time) break;
      shown = &d;
    }
    if (shown == nullptr) continue;
    if (!shown->loaded) {
      shown->loaded = true;
      std::vector<std::uint32_t>& values = scratch.values;
      const EdgeIndex lo = s.node_prop_offsets[shown->vehicle];
      const EdgeIndex hi = s.node_prop_offsets[shown->vehicle + 1];
      // Properties are sorted by name id, so the makes come out before or after the colours
      // as the names sort; gather each name's values in its own pass.
      shown->make_begin = static_cast<std::uint32_t>(values.size());
      for (EdgeIndex i = lo; i < hi; ++i) {
        if (s.PropName(i) == make_) values.push_back(s.prop_value[i]);
      }
      shown->colour_begin = static_cast<std::uint32_t>(values.size());
      for (EdgeIndex i = lo; i < hi; ++i) {
        if (s.PropName(i) == colour_) values.push_back(s.prop_value[i]);
      }
      shown->colour_end = static_cast<std::uint32_t>(values.size());
    }
    for (; it != props.end() && it->record == record; next = ++it) {
      const std::uint32_t begin = it->colour ? shown->colour_begin : shown->make_begin;
      const std::uint32_t end = it->colour ? shown->colour_end : shown->colour_begin;
      const auto first = scratch.values.begin() + begin, last = scratch.values.begin() + end;
      if (std::find(first, last, it->value) != last) continue;  // the same string
      const std::vector<std::string> known = CanonicalValues(s, scratch.values, begin, end);
      const std::string read_value = CanonicalValue(s.prop_values.Get(it->value));
      if (read_value.empty() || known.empty() ||
          std::binary_search(known.begin(), known.end(), read_value)) {
        continue;
      }
      CloneConflict c;
      c.plate = plate;
      c.reason = it->colour ? CloneReason::kColourMismatch : CloneReason::kMakeMismatch;
      c.reads = {AnprRead{edge, plate, g.out_neighbours()[edge], time, record}};
      c.vehicle = shown->vehicle;
      c.displays = shown->edge;
      c.read_value = read_value;
      c.vehicle_value = absl::StrJoin(known, "/");
      scratch.found.push_back(std::move(c));
    }
  }
}

}  // namespace polegraph::anpr_internal
