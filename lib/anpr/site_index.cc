// SiteIndex: the camera sites of a snapshot in a Boost.Geometry R-tree, built once and shared
// by FindNearby queries (polegraph/anpr.h).
//
// How: every Location with a position and at least one SEEN_AT in-edge becomes a
// (longitude, latitude) point, bulk-loaded (packed) into an R*-tree. A query box around the
// centre is the radius converted to degrees (latitude: metres / 111.2 km; longitude: that over
// cos of the box's most poleward latitude), widened by 1 %; callers then keep the candidates
// whose haversine distance is within the radius. Visibility is not applied here (the index
// serves every clearance) but by FindNearby.
// Cost: build O(S log S) for S sites; a query O(log S + k) for k candidates.
// Reference: Beckmann et al., "The R*-tree", SIGMOD 1990; Boost.Geometry index::rtree
// (packing: Leutenegger et al., "STR: a simple and efficient algorithm for R-tree packing").
#include "anpr/internal/site_index.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace polegraph {

namespace bgi = boost::geometry::index;

std::vector<NodeId> SiteIndex::Impl::Candidates(GeoPoint centre, double radius_m) const {
  constexpr double kPi = 3.14159265358979323846;
  constexpr double kMetresPerDegree = 6371008.8 * kPi / 180.0;
  const double dlat = radius_m / kMetresPerDegree * 1.01;
  const double pole_lat = std::min(89.9, std::fabs(centre.latitude) + dlat);
  const double dlon = std::min(180.0, dlat / std::cos(pole_lat * kPi / 180));
  const boost::geometry::model::box<Point> box(
      Point(centre.longitude - dlon, centre.latitude - dlat),
      Point(centre.longitude + dlon, centre.latitude + dlat));
  std::vector<Entry> hits;
  tree.query(bgi::intersects(box), std::back_inserter(hits));
  std::vector<NodeId> out;
  out.reserve(hits.size());
  for (const Entry& h : hits) out.push_back(h.second);
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<SiteIndex> SiteIndex::Build(const Graph& graph, const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  std::vector<Impl::Entry> entries;
  const auto [first, last] = graph.KindRange(NodeKind::kLocation);
  for (NodeId v = first; v < last; ++v) {
    const GeoPoint p = graph.position(v);
    if (std::isnan(p.latitude) || std::isnan(p.longitude)) continue;
    bool camera = false;
    for (EdgeIndex i = graph.in_offsets()[v]; i < graph.in_offsets()[v + 1] && !camera; ++i) {
      camera = graph.edge_kind()[graph.in_edge()[i]] == EdgeKind::kSeenAt;
    }
    if (camera) entries.emplace_back(Impl::Point(p.longitude, p.latitude), v);
  }
  auto impl = std::make_shared<Impl>();
  impl->tree = decltype(impl->tree)(entries.begin(), entries.end());
  SiteIndex index;
  index.graph_ = &graph;
  index.impl_ = std::move(impl);
  return index;
}

}  // namespace polegraph
