// Cloned plates: one VRM read in two places faster than a vehicle can travel, or read on a
// vehicle whose make or colour differs from the one PNC says displays it (FindClones in
// polegraph/anpr.h).
//
// How: gather the visible reads by plate, sorted by (time, edge). Per plate in parallel:
//   speed  — each consecutive pair of reads at positioned sites at least min_distance_m
//            apart; implied speed = haversine distance / time apart (infinite at the same
//            instant); above max_speed_kmh it is a conflict;
//   make / colour — the plate's read_make / read_colour properties are matched to reads by
//            record; the vehicle displaying the plate at the read's time is the one with the
//            latest visible DISPLAYS edge not after it; a read value matching none of that
//            vehicle's values (case-insensitive) is a conflict.
// Conflicts go to per-thread buffers and are sorted by (plate, first read, reason) at the end.
// Cost: O(R log R) for R reads plus O(P log P) for each plate's P properties.
// Reference: the "two places at once" check of ANPR cloned-plate detection (e.g. NPCC
// National ANPR Standards for Policing and Law Enforcement, 2023, on cloned VRM alerts).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "anpr/internal/reads.h"
#include "parallel/parallel.h"
#include "polegraph/anpr.h"

namespace polegraph {

std::string_view CloneReasonName(CloneReason reason) {
  switch (reason) {
    case CloneReason::kSpeed:
      return "speed";
    case CloneReason::kMakeMismatch:
      return "make";
    case CloneReason::kColourMismatch:
      return "colour";
  }
  return "unknown";
}

namespace {

absl::Status ValidateOptions(const CloneOptions& o) {
  if (!(o.max_speed_kmh > 0) || !std::isfinite(o.max_speed_kmh)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "CloneOptions.max_speed_kmh must be a positive number, got ", o.max_speed_kmh));
  }
  if (!(o.min_distance_m >= 0) || !std::isfinite(o.min_distance_m)) {
    return absl::InvalidArgumentError("CloneOptions.min_distance_m must be >= 0");
  }
  if (o.since && o.until && *o.since > *o.until) {
    return absl::InvalidArgumentError("CloneOptions.since is after until");
  }
  return absl::OkStatus();
}

std::string Canonical(std::string_view s) {
  std::string v = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(anpr_internal::Sv(s)));
  return v == "GRAY" ? "GREY" : v;
}

struct ReadProperty {
  RecordNo record;
  bool colour;  // else make
  std::string_view value;
};

// The plate's DISPLAYS in-edges visible to the caller, by (time, edge).
std::vector<EdgeId> DisplaysOf(const Graph& g, const anpr_internal::Visibility& vis, NodeId plate) {
  std::vector<EdgeId> out;
  for (EdgeIndex i = g.in_offsets()[plate]; i < g.in_offsets()[plate + 1]; ++i) {
    const EdgeId e = g.in_edge()[i];
    if (g.edge_kind()[e] == EdgeKind::kDisplays && vis.Edge(e) && vis.Node(g.in_neighbours()[i])) {
      out.push_back(e);
    }
  }
  std::sort(out.begin(), out.end(), [&](EdgeId x, EdgeId y) {
    const EdgeTime tx = g.edge_time()[x], ty = g.edge_time()[y];
    return tx != ty ? tx < ty : x < y;
  });
  return out;
}

void MismatchConflicts(const Graph& g, const anpr_internal::Visibility& vis, NodeId plate,
                       const AnprRead* begin, const AnprRead* end,
                       std::vector<CloneConflict>& out) {
  std::vector<ReadProperty> props;
  for (const PropertyView& p : g.properties(plate)) {
    if (p.name == "read_make") props.push_back({p.record, false, p.value});
    if (p.name == "read_colour") props.push_back({p.record, true, p.value});
  }
  if (props.empty()) return;
  const std::vector<EdgeId> displays = DisplaysOf(g, vis, plate);
  if (displays.empty()) return;
  std::sort(props.begin(), props.end(), [](const ReadProperty& x, const ReadProperty& y) {
    return x.record != y.record ? x.record < y.record : x.colour < y.colour;
  });
  for (const AnprRead* r = begin; r != end; ++r) {
    auto it = std::lower_bound(props.begin(), props.end(), r->record,
                               [](const ReadProperty& p, RecordNo rec) { return p.record < rec; });
    if (it == props.end() || it->record != r->record) continue;
    // The latest DISPLAYS edge not after the read (unknown time, 0, counts as earliest).
    EdgeId displays_edge = 0;
    bool found = false;
    for (EdgeId e : displays) {
      if (g.edge_time()[e] > r->time) break;
      displays_edge = e;
      found = true;
    }
    if (!found) continue;
    const NodeId vehicle = g.edge_source(displays_edge);
    for (; it != props.end() && it->record == r->record; ++it) {
      const std::string_view name = it->colour ? "colour" : "make";
      const std::string read_value = Canonical(it->value);
      if (read_value.empty()) continue;
      std::vector<std::string> known;
      bool match = false;
      for (const PropertyView& vp : g.properties(vehicle)) {
        if (vp.name != name) continue;
        known.push_back(Canonical(vp.value));
        match = match || known.back() == read_value;
      }
      if (match || known.empty()) continue;
      std::sort(known.begin(), known.end());
      known.erase(std::unique(known.begin(), known.end()), known.end());
      CloneConflict c;
      c.plate = plate;
      c.reason = it->colour ? CloneReason::kColourMismatch : CloneReason::kMakeMismatch;
      c.reads = {*r};
      c.vehicle = vehicle;
      c.displays = displays_edge;
      c.read_value = read_value;
      c.vehicle_value = absl::StrJoin(known, "/");
      out.push_back(std::move(c));
    }
  }
}

}  // namespace

absl::StatusOr<CloneResult> FindClones(const Graph& graph, const CloneOptions& options,
                                       const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  const anpr_internal::Visibility vis(graph, ctx.clearance);
  const anpr_internal::ReadGroups by_plate = anpr_internal::ReadsByPlate(
      graph, vis, anpr_internal::MakeRange(options.since, options.until), ctx.threads);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;

  internal::PerThread<std::vector<CloneConflict>> found(ctx.threads);
  internal::ParallelForDynamic(
      0, by_plate.num_groups(), ctx.threads,
      [&](std::size_t p) {
        const std::size_t lo = by_plate.offsets[p], hi = by_plate.offsets[p + 1];
        if (lo == hi) return;
        std::vector<CloneConflict>& out = found.local();
        const AnprRead* prev = nullptr;
        GeoPoint prev_pos{0, 0};
        for (std::size_t i = lo; i < hi; ++i) {
          const AnprRead& r = by_plate.reads[i];
          const GeoPoint pos = graph.position(r.site);
          if (std::isnan(pos.latitude) || std::isnan(pos.longitude)) continue;
          if (prev != nullptr) {
            const double metres = HaversineMetres(prev_pos, pos);
            const std::int64_t seconds = r.time - prev->time;
            const double kmh = seconds > 0 ? metres / static_cast<double>(seconds) * 3.6
                                           : std::numeric_limits<double>::infinity();
            if (metres >= options.min_distance_m && metres > 0 && kmh > options.max_speed_kmh) {
              CloneConflict c;
              c.plate = r.plate;
              c.reason = CloneReason::kSpeed;
              c.reads = {*prev, r};
              c.distance_m = metres;
              c.seconds = seconds;
              c.speed_kmh = kmh;
              out.push_back(std::move(c));
            }
          }
          prev = &r;
          prev_pos = pos;
        }
        if (options.compare_make_colour) {
          MismatchConflicts(graph, vis, by_plate.first + static_cast<NodeId>(p),
                            by_plate.reads.data() + lo, by_plate.reads.data() + hi, out);
        }
      },
      64);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;

  CloneResult result;
  for (std::size_t t = 0; t < found.size(); ++t) {
    for (CloneConflict& c : found[t]) result.conflicts.push_back(std::move(c));
  }
  std::sort(result.conflicts.begin(), result.conflicts.end(),
            [](const CloneConflict& x, const CloneConflict& y) {
              if (x.plate != y.plate) return x.plate < y.plate;
              if (x.reads[0].time != y.reads[0].time) return x.reads[0].time < y.reads[0].time;
              if (x.reads[0].edge != y.reads[0].edge) return x.reads[0].edge < y.reads[0].edge;
              return x.reason < y.reason;
            });
  for (const CloneConflict& c : result.conflicts) {
    if (result.plates.empty() || result.plates.back() != c.plate) result.plates.push_back(c.plate);
  }
  return result;
}

}  // namespace polegraph
