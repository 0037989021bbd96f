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
// The exact haversine distance is computed only for the pairs whose straight-line (chord)
// distance, times pi / 2 (an upper bound on the great-circle distance), could make a conflict;
// a vehicle's PNC make and colour are read once per plate.
// Cost: O(R log R) for R reads plus O(P log P) for each plate's P properties, plus O(L) for the
// L Locations' unit vectors (24 bytes each).
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

constexpr double kHalfPi = 1.57079632679489661923;
constexpr double kEarthRadiusM = 6371008.8;  // as HaversineMetres

// A site as a point on the sphere of radius kEarthRadiusM (metres), when it has a position.
struct SitePoint {
  double x = 0, y = 0, z = 0;
  bool positioned = false;
};

SitePoint MakeSitePoint(GeoPoint p) {
  if (std::isnan(p.latitude) || std::isnan(p.longitude)) return {};
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double lat = p.latitude * kRad, lon = p.longitude * kRad;
  return {kEarthRadiusM * std::cos(lat) * std::cos(lon),
          kEarthRadiusM * std::cos(lat) * std::sin(lon), kEarthRadiusM * std::sin(lat), true};
}

// Straight-line (chord) distance in metres: at most the great-circle distance d, and
// d <= chord * pi / 2.
double Chord(const SitePoint& a, const SitePoint& b) {
  const double dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
  return std::sqrt(dx * dx + dy * dy + dz * dz);
}

struct ReadProperty {
  RecordNo record;
  bool colour;  // else make
  std::string_view value;
};

// A vehicle that displays the plate (one visible DISPLAYS in-edge), with its PNC make and
// colour values canonicalised once per plate, when a read first needs them.
struct Display {
  EdgeId edge = 0;
  EdgeTime time = 0;
  NodeId vehicle = kNoNode;
  bool loaded = false;
  std::vector<std::string> makes, colours;  // canonical, sorted, distinct
};

// The plate's DISPLAYS in-edges visible to the caller, by (time, edge).
std::vector<Display> DisplaysOf(const Graph& g, const anpr_internal::Visibility& vis,
                                NodeId plate) {
  std::vector<Display> out;
  for (EdgeIndex i = g.in_offsets()[plate]; i < g.in_offsets()[plate + 1]; ++i) {
    const EdgeId e = g.in_edge()[i];
    const NodeId vehicle = g.in_neighbours()[i];
    if (g.edge_kind()[e] == EdgeKind::kDisplays && vis.Edge(e) && vis.Node(vehicle)) {
      Display d;
      d.edge = e;
      d.time = g.edge_time()[e];
      d.vehicle = vehicle;
      out.push_back(std::move(d));
    }
  }
  std::sort(out.begin(), out.end(), [](const Display& x, const Display& y) {
    return x.time != y.time ? x.time < y.time : x.edge < y.edge;
  });
  return out;
}

void Load(const Graph& g, Display& d) {
  if (d.loaded) return;
  d.loaded = true;
  for (const PropertyView& vp : g.properties(d.vehicle)) {
    if (vp.name == "make") d.makes.push_back(Canonical(vp.value));
    if (vp.name == "colour") d.colours.push_back(Canonical(vp.value));
  }
  for (auto* values : {&d.makes, &d.colours}) {
    std::sort(values->begin(), values->end());
    values->erase(std::unique(values->begin(), values->end()), values->end());
  }
}

void MismatchConflicts(const Graph& g, const anpr_internal::Visibility& vis, NodeId plate,
                       const AnprRead* begin, const AnprRead* end,
                       std::vector<CloneConflict>& out) {
  std::vector<Display> displays = DisplaysOf(g, vis, plate);
  if (displays.empty()) return;
  std::vector<ReadProperty> props;
  for (const PropertyView& p : g.properties(plate)) {
    if (p.name == "read_make") props.push_back({p.record, false, p.value});
    if (p.name == "read_colour") props.push_back({p.record, true, p.value});
  }
  if (props.empty()) return;
  std::sort(props.begin(), props.end(), [](const ReadProperty& x, const ReadProperty& y) {
    return x.record != y.record ? x.record < y.record : x.colour < y.colour;
  });
  for (const AnprRead* r = begin; r != end; ++r) {
    auto it = std::lower_bound(props.begin(), props.end(), r->record,
                               [](const ReadProperty& p, RecordNo rec) { return p.record < rec; });
    if (it == props.end() || it->record != r->record) continue;
    // The latest DISPLAYS edge not after the read (unknown time, 0, counts as earliest).
    Display* shown = nullptr;
    for (Display& d : displays) {
      if (d.time > r->time) break;
      shown = &d;
    }
    if (shown == nullptr) continue;
    Load(g, *shown);
    for (; it != props.end() && it->record == r->record; ++it) {
      const std::vector<std::string>& known = it->colour ? shown->colours : shown->makes;
      const std::string read_value = Canonical(it->value);
      if (read_value.empty() || known.empty() ||
          std::binary_search(known.begin(), known.end(), read_value)) {
        continue;
      }
      CloneConflict c;
      c.plate = plate;
      c.reason = it->colour ? CloneReason::kColourMismatch : CloneReason::kMakeMismatch;
      c.reads = {*r};
      c.vehicle = shown->vehicle;
      c.displays = shown->edge;
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

  // Unit vectors of the positioned Locations, for a cheap bound on each distance.
  const auto [first_site, last_site] = graph.KindRange(NodeKind::kLocation);
  std::vector<SitePoint> points(last_site - first_site);
  internal::ParallelFor(0, points.size(), ctx.threads, [&](std::size_t i) {
    points[i] = MakeSitePoint(graph.position(first_site + static_cast<NodeId>(i)));
  });
  internal::PerThread<std::vector<CloneConflict>> found(ctx.threads);
  internal::ParallelForDynamic(
      0, by_plate.num_groups(), ctx.threads,
      [&](std::size_t p) {
        const std::size_t lo = by_plate.offsets[p], hi = by_plate.offsets[p + 1];
        if (lo == hi) return;
        std::vector<CloneConflict>& out = found.local();
        const AnprRead* prev = nullptr;
        const SitePoint* prev_point = nullptr;
        for (std::size_t i = lo; i < hi; ++i) {
          const AnprRead& r = by_plate.reads[i];
          const SitePoint& point = points[r.site - first_site];
          if (!point.positioned) continue;
          if (prev != nullptr) {
            const std::int64_t seconds = r.time - prev->time;
            // Great-circle distance d is at most chord * pi / 2 (a little more for rounding):
            // when even that is too short or too slow, the exact distance is not needed.
            const double bound = Chord(*prev_point, point) * (kHalfPi * 1.000001);
            const bool possible = bound >= options.min_distance_m && bound > 0 &&
                                  (seconds <= 0 || bound / static_cast<double>(seconds) * 3.6 >
                                                       options.max_speed_kmh);
            const double metres =
                possible ? HaversineMetres(graph.position(prev->site), graph.position(r.site)) : 0;
            const double kmh = seconds > 0 ? metres / static_cast<double>(seconds) * 3.6
                                           : std::numeric_limits<double>::infinity();
            if (possible && metres >= options.min_distance_m && metres > 0 &&
                kmh > options.max_speed_kmh) {
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
          prev_point = &point;
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
