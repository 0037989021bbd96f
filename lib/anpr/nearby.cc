// The scene: which plates were read near a place around a time, which vehicles display them,
// and who keeps or uses those vehicles (FindNearby in polegraph/anpr.h).
//
// How: the SiteIndex R-tree (site_index.cc) gives the camera sites in a box around the
// centre; each is kept when the caller may see it and one of its reads, and its haversine
// distance is within the radius. Then the sites' reads in [from, to], their plates, the vehicles
// that display those plates (DISPLAYS) and the people who keep or use them (KEEPER_OF / USED), each
// with the path from the site. For an offence, the centre is its OCCURRED_AT location and the range
// its committed_from / committed_to widened by the margin. The sites' reads in the range come
// from the SiteIndex, which keeps each site's reads by time.
// Cost: O(log S + k) for k candidates among S sites (plus building the index when none is
// given), O(log d + m log E) per site for its d reads, m of them in the range, plus the
// in-degrees of the plates and vehicles reached: nothing grows with a site's whole history.
// Reference: Beckmann et al., "The R*-tree", SIGMOD 1990 (via SiteIndex).
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "anpr/internal/reads.h"
#include "anpr/internal/site_index.h"
#include "polegraph/anpr.h"

namespace polegraph {
namespace {

bool HasPosition(GeoPoint p) { return !std::isnan(p.latitude) && !std::isnan(p.longitude); }

// A time property: UTC seconds, or ISO 8601 / RFC 3339 ("2024-03-01T12:00:00Z", offsets too).
// False when absent or unreadable.
bool ParseTimeProperty(std::optional<std::string_view> v, std::int64_t* seconds) {
  if (!v) return false;
  if (absl::SimpleAtoi(anpr_internal::Sv(*v), seconds)) return true;
  absl::Time t;
  std::string err;
  for (const char* format :
       {absl::RFC3339_full, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"}) {
    if (absl::ParseTime(format, std::string(*v), absl::UTCTimeZone(), &t, &err)) {
      *seconds = absl::ToUnixSeconds(t);
      return true;
    }
  }
  return false;
}

// Centre and time range of an offence's scene.
absl::Status OffenceScene(const Graph& g, const anpr_internal::Visibility& vis, NodeId offence,
                          absl::Duration margin, NearbyResult& r) {
  if (offence >= g.num_nodes() || g.kind(offence) != NodeKind::kOffence || !vis.Node(offence)) {
    return absl::NotFoundError(absl::StrCat("nearby: node ", offence, " is not a visible offence"));
  }
  std::optional<NodeId> place;
  for (EdgeIndex i = g.out_offsets()[offence]; i < g.out_offsets()[offence + 1]; ++i) {
    const auto e = static_cast<EdgeId>(i);
    const NodeId loc = g.out_neighbours()[i];
    if (g.edge_kind()[e] == EdgeKind::kOccurredAt && vis.Edge(e) && vis.Node(loc) &&
        HasPosition(g.position(loc))) {
      place = loc;
      break;
    }
  }
  if (!place) {
    return absl::FailedPreconditionError(
        absl::StrCat("nearby: ", g.Name(offence),
                     " has no visible OCCURRED_AT location with a position; "
                     "give --at LAT,LON instead"));
  }
  r.centre = g.position(*place);
  std::int64_t from = 0, to = 0;
  const bool has_from = ParseTimeProperty(g.property(offence, "committed_from"), &from);
  const bool has_to = ParseTimeProperty(g.property(offence, "committed_to"), &to);
  if (!has_from && !has_to) {
    return absl::FailedPreconditionError(
        absl::StrCat("nearby: ", g.Name(offence),
                     " has no readable committed_from / committed_to time; "
                     "give --from and --to instead"));
  }
  const std::int64_t m = absl::ToInt64Seconds(margin);
  r.from = (has_from ? from : to) - m;
  r.to = (has_to ? to : from) + m;
  return absl::OkStatus();
}

absl::Status ValidateOptions(const NearbyOptions& o) {
  if (o.offence.has_value() == o.at.has_value()) {
    return absl::InvalidArgumentError("NearbyOptions: give exactly one of offence and at");
  }
  if (!(o.radius_m > 0) || !std::isfinite(o.radius_m)) {
    return absl::InvalidArgumentError(
        absl::StrCat("NearbyOptions.radius_m must be a positive number, got ", o.radius_m));
  }
  if (o.at && (!(std::fabs(o.at->latitude) <= 90) || !(std::fabs(o.at->longitude) <= 180))) {
    return absl::InvalidArgumentError("NearbyOptions.at is not a WGS84 latitude, longitude");
  }
  if (o.margin < absl::ZeroDuration() || o.margin > kMaxAnprDuration) {
    return absl::InvalidArgumentError(
        absl::StrCat("NearbyOptions.margin must be from 0 to 366 days (8784h), got ",
                     absl::FormatDuration(o.margin)));
  }
  if (o.at && o.from > o.to) return absl::InvalidArgumentError("NearbyOptions.from is after to");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<NearbyResult> FindNearby(const Graph& graph, const NearbyOptions& options,
                                        const QueryContext& ctx) {
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  absl::StatusOr<SiteIndex> index = SiteIndex::Build(graph, ctx);
  if (!index.ok()) return index.status();
  return FindNearby(*index, options, ctx);
}

absl::StatusOr<NearbyResult> FindNearby(const SiteIndex& index, const NearbyOptions& options,
                                        const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  const Graph& g = index.graph();
  const auto& impl = internal::SiteIndexAccess::impl(index);
  const anpr_internal::Visibility vis(g, ctx.clearance);
  NearbyResult r;
  r.radius_m = options.radius_m;
  if (options.offence) {
    if (absl::Status s = OffenceScene(g, vis, *options.offence, options.margin, r); !s.ok()) {
      return s;
    }
  } else {
    r.centre = *options.at;
    const anpr_internal::TimeRange range = anpr_internal::MakeRange(options.from, options.to);
    r.from = range.from;
    r.to = range.to;
  }

  // Candidate sites from the index, kept when visible, with a visible read, and in range.
  for (NodeId site : impl.Candidates(r.centre, options.radius_m)) {
    if (!vis.Node(site)) continue;
    bool camera = false;
    for (EdgeIndex i = g.in_offsets()[site]; i < g.in_offsets()[site + 1] && !camera; ++i) {
      const EdgeId e = g.in_edge()[i];
      camera = g.edge_kind()[e] == EdgeKind::kSeenAt && vis.Edge(e);
    }
    const double d = HaversineMetres(r.centre, g.position(site));
    if (camera && d <= options.radius_m) r.sites.push_back({site, d});
  }
  std::sort(r.sites.begin(), r.sites.end(), [](const NearbySite& x, const NearbySite& y) {
    return x.distance_m != y.distance_m ? x.distance_m < y.distance_m : x.site < y.site;
  });

  // Reads at those sites in the range, then plates, vehicles, people.
  for (const NearbySite& s : r.sites) {
    const auto [begin, end] = impl.ReadsBetween(g, s.site, r.from, r.to);
    for (const EdgeId* it = begin; it != end; ++it) {
      const EdgeId e = *it;
      const NodeId plate = g.edge_source(e);
      if (!vis.Edge(e) || !vis.Node(plate)) continue;
      r.reads.push_back({e, plate, s.site, g.edge_time()[e], g.edge_record()[e]});
    }
  }
  std::sort(r.reads.begin(), r.reads.end(), anpr_internal::ReadBefore);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;

  std::vector<AnprRead> first_read = r.reads;  // each plate's earliest read (stable by time)
  std::stable_sort(first_read.begin(), first_read.end(),
                   [](const AnprRead& x, const AnprRead& y) { return x.plate < y.plate; });
  first_read.erase(
      std::unique(first_read.begin(), first_read.end(),
                  [](const AnprRead& x, const AnprRead& y) { return x.plate == y.plate; }),
      first_read.end());
  for (const AnprRead& read : first_read) {
    r.plates.push_back({read.plate, {read.site, read.plate}, {read.edge}});
    for (EdgeIndex i = g.in_offsets()[read.plate]; i < g.in_offsets()[read.plate + 1]; ++i) {
      const EdgeId d = g.in_edge()[i];
      const NodeId vehicle = g.in_neighbours()[i];
      if (g.edge_kind()[d] != EdgeKind::kDisplays || !vis.Edge(d) || !vis.Node(vehicle)) continue;
      r.vehicles.push_back({vehicle, {read.site, read.plate, vehicle}, {read.edge, d}});
    }
  }
  std::sort(r.vehicles.begin(), r.vehicles.end(), [](const SceneLink& x, const SceneLink& y) {
    return std::tie(x.node, x.path[1], x.edges[1]) < std::tie(y.node, y.path[1], y.edges[1]);
  });
  for (const SceneLink& v : r.vehicles) {
    for (EdgeIndex i = g.in_offsets()[v.node]; i < g.in_offsets()[v.node + 1]; ++i) {
      const EdgeId k = g.in_edge()[i];
      const NodeId person = g.in_neighbours()[i];
      const EdgeKind kind = g.edge_kind()[k];
      if ((kind != EdgeKind::kKeeperOf && kind != EdgeKind::kUsed) || !vis.Edge(k) ||
          !vis.Node(person)) {
        continue;
      }
      SceneLink p{person, v.path, v.edges};
      p.path.push_back(person);
      p.edges.push_back(k);
      r.people.push_back(std::move(p));
    }
  }
  std::sort(r.people.begin(), r.people.end(), [](const SceneLink& x, const SceneLink& y) {
    return std::tie(x.node, x.path[2], x.edges[2], x.path[1]) <
           std::tie(y.node, y.path[2], y.edges[2], y.path[1]);
  });
  return r;
}

}  // namespace polegraph
