// Cloned plates: one VRM read in two places faster than a vehicle can travel, or read on a
// vehicle whose make or colour differs from the one PNC says displays it (FindClones in
// polegraph/anpr.h).
//
// How: one parallel pass over the plates (handed out dynamically): each plate's visible reads
// are gathered straight from its out-edges into a per-thread buffer as (time << 32 | edge)
// keys and sorted (its out-edges come by site, not time), then:
//   speed  — each consecutive pair of reads at positioned sites at least min_distance_m
//            apart; implied speed = haversine distance / time apart (infinite at the same
//            instant); above max_speed_kmh it is a conflict;
//   make / colour — clone_mismatch.cc: the plate's read_make / read_colour properties are
//            matched to reads by record and compared with the vehicle displaying the plate at
//            the read's time.
// No array of every read is built: the per-thread buffers are reused from plate to plate.
// Plates go in blocks of 64 whose vehicles are prefetched before the block is processed.
// Each plate's conflicts are sorted by (first read, reason) where they are found, and the
// per-thread lists are stably sorted by plate at the end, so the order is the same at any
// thread count. The exact haversine distance is computed only for the pairs whose
// straight-line (chord) distance, times pi / 2 (an upper bound on the great-circle distance),
// could make a conflict.
// Cost: O(E_p + sum over plates of d log d) for the E_p out-edges of plates and d reads a
// plate, plus the make / colour check (O(P log P) for each plate's P properties), plus O(L)
// for the L Locations' unit vectors (32 bytes each). Memory: O(L) and per thread O(max d).
// Reference: the "two places at once" check of ANPR cloned-plate detection (e.g. NPCC
// National ANPR Standards for Policing and Law Enforcement, 2023, on cloned VRM alerts).
#include "anpr/internal/clones.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
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

constexpr double kHalfPi = 1.57079632679489661923;
constexpr double kEarthRadiusM = 6371008.8;  // as HaversineMetres

// A site as a point on the sphere of radius kEarthRadiusM (metres), when it has a position.
struct SitePoint {
  double x = 0, y = 0, z = 0;
  bool positioned = false;
  bool visible = false;  // the caller may see the Location
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

// The plate's visible reads in `range` at visible sites, as PackRead keys in (time, edge)
// order. Its out-edges are sorted by (site, kind, time, ...), so the keys need a sort.
void GatherReads(const Graph& g, const anpr_internal::Visibility& vis,
                 anpr_internal::TimeRange range, const std::vector<SitePoint>& points,
                 NodeId first_site, NodeId plate, std::vector<std::uint64_t>& out) {
  out.clear();
  const auto offsets = g.out_offsets();
  const auto sites = g.out_neighbours();
  const auto kinds = g.edge_kind();
  const auto times = g.edge_time();
  for (EdgeIndex i = offsets[plate]; i < offsets[plate + 1]; ++i) {
    const auto e = static_cast<EdgeId>(i);
    const EdgeTime t = times[e];
    if (kinds[e] != EdgeKind::kSeenAt || t == kUnknownTime || !range.Contains(t) || !vis.Edge(e)) {
      continue;
    }
    const std::size_t site = sites[i] - first_site;  // SEEN_AT targets are Locations
    if (site >= points.size() || !points[site].visible) continue;
    out.push_back(anpr_internal::PackRead(t, e));
  }
  if (!std::is_sorted(out.begin(), out.end())) std::sort(out.begin(), out.end());
}

// Appends a kSpeed conflict for each consecutive pair of the plate's reads at positioned
// sites that are at least min_distance_m apart and faster than max_speed_kmh.
void SpeedConflicts(const Graph& g, const CloneOptions& options,
                    const std::vector<SitePoint>& points, NodeId first_site, NodeId plate,
                    const std::vector<std::uint64_t>& reads, std::vector<CloneConflict>& out) {
  const auto sites = g.out_neighbours();
  const auto records = g.edge_record();
  std::uint64_t prev = 0;
  const SitePoint* prev_point = nullptr;
  for (const std::uint64_t key : reads) {
    const SitePoint& point = points[sites[anpr_internal::PackedEdge(key)] - first_site];
    if (!point.positioned) continue;
    if (prev_point != nullptr) {
      const std::int64_t seconds = std::int64_t{anpr_internal::PackedTime(key)} -
                                   std::int64_t{anpr_internal::PackedTime(prev)};
      // Great-circle distance d is at most chord * pi / 2 (a little more for rounding): when
      // even that is too short or too slow, the exact distance is not needed.
      const double bound = Chord(*prev_point, point) * (kHalfPi * 1.000001);
      const bool possible =
          bound >= options.min_distance_m && bound > 0 &&
          (seconds <= 0 || bound / static_cast<double>(seconds) * 3.6 > options.max_speed_kmh);
      if (possible) {
        const auto read = [&](std::uint64_t k) {
          const EdgeId e = anpr_internal::PackedEdge(k);
          return AnprRead{e, plate, sites[e], anpr_internal::PackedTime(k), records[e]};
        };
        const AnprRead a = read(prev), b = read(key);
        const double metres = HaversineMetres(g.position(a.site), g.position(b.site));
        const double kmh = seconds > 0 ? metres / static_cast<double>(seconds) * 3.6
                                       : std::numeric_limits<double>::infinity();
        if (metres >= options.min_distance_m && metres > 0 && kmh > options.max_speed_kmh) {
          CloneConflict c;
          c.plate = plate;
          c.reason = CloneReason::kSpeed;
          c.reads = {a, b};
          c.distance_m = metres;
          c.seconds = seconds;
          c.speed_kmh = kmh;
          out.push_back(std::move(c));
        }
      }
    }
    prev = key;
    prev_point = &point;
  }
}

bool ConflictBefore(const CloneConflict& x, const CloneConflict& y) {
  if (x.plate != y.plate) return x.plate < y.plate;
  if (x.reads[0].time != y.reads[0].time) return x.reads[0].time < y.reads[0].time;
  if (x.reads[0].edge != y.reads[0].edge) return x.reads[0].edge < y.reads[0].edge;
  return x.reason < y.reason;
}

}  // namespace

absl::StatusOr<CloneResult> FindClones(const Graph& graph, const CloneOptions& options,
                                       const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  const anpr_internal::Visibility vis(graph, ctx.clearance);
  const anpr_internal::TimeRange range = anpr_internal::MakeRange(options.since, options.until);

  // Per Location: visible or not, and its point on the sphere for a cheap distance bound.
  // Not a structured binding: lambdas below capture it (clang 14 cannot capture bindings).
  const auto site_range = graph.KindRange(NodeKind::kLocation);
  const NodeId first_site = site_range.first, last_site = site_range.second;
  std::vector<SitePoint> points(last_site - first_site);
  internal::ParallelFor(0, points.size(), ctx.threads, [&](std::size_t i) {
    const NodeId v = first_site + static_cast<NodeId>(i);
    points[i] = MakeSitePoint(graph.position(v));
    points[i].visible = vis.Node(v);
  });
  if (absl::Status s = ctx.Check(); !s.ok()) return s;

  const auto plate_range = graph.KindRange(NodeKind::kPlate);
  const NodeId first_plate = plate_range.first;
  const anpr_internal::MismatchCheck mismatch(graph, vis);
  internal::PerThread<anpr_internal::CloneScratch> scratch(ctx.threads);
  // Blocks of plates, so that the make / colour check's random reads (vehicles) for a whole
  // block can be requested from memory together before its plates are processed (measured:
  // half the CPU time at scale 10; requesting a block further ahead gained nothing more).
  constexpr std::size_t kBlock = 64;
  const NodeId last_plate = plate_range.second;
  const std::size_t blocks = (last_plate - first_plate + kBlock - 1) / kBlock;
  internal::ParallelForDynamic(
      0, blocks, ctx.threads,
      [&](std::size_t b) {
        const auto lo = static_cast<NodeId>(first_plate + b * kBlock);
        const auto hi = static_cast<NodeId>(std::min<std::size_t>(lo + kBlock, last_plate));
        if (options.compare_make_colour) {
          mismatch.PrefetchEdges(lo, hi);
          mismatch.PrefetchVehicles(lo, hi);
        }
        anpr_internal::CloneScratch& local = scratch.local();
        for (NodeId plate = lo; plate < hi; ++plate) {
          if (graph.out_offsets()[plate] == graph.out_offsets()[plate + 1] || !vis.Node(plate)) {
            continue;
          }
          GatherReads(graph, vis, range, points, first_site, plate, local.reads);
          if (local.reads.empty()) continue;
          const std::size_t before = local.found.size();
          SpeedConflicts(graph, options, points, first_site, plate, local.reads, local.found);
          if (options.compare_make_colour) mismatch.Check(plate, local.reads, local);
          // One plate's conflicts in their final order: each plate's run is then moved whole.
          std::sort(local.found.begin() + static_cast<std::ptrdiff_t>(before), local.found.end(),
                    ConflictBefore);
        }
      },
      4);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;

  CloneResult result;
  for (std::size_t t = 0; t < scratch.size(); ++t) {
    for (CloneConflict& c : scratch[t].found) result.conflicts.push_back(std::move(c));
  }
  // Each plate's conflicts are contiguous and already ordered; a stable sort by plate keeps
  // them so, whichever thread found them.
  std::stable_sort(
      result.conflicts.begin(), result.conflicts.end(),
      [](const CloneConflict& x, const CloneConflict& y) { return x.plate < y.plate; });
  for (const CloneConflict& c : result.conflicts) {
    if (result.plates.empty() || result.plates.back() != c.plate) result.plates.push_back(c.plate);
  }
  return result;
}

}  // namespace polegraph
