// SiteIndex: the camera sites of a snapshot in a Boost.Geometry R-tree, built once and shared
// by FindNearby queries (polegraph/anpr.h).
//
// How: every Location with a position and at least one SEEN_AT in-edge becomes a
// (longitude, latitude) point, bulk-loaded (packed) into an R*-tree. A query box around the
// centre is the radius converted to degrees (latitude: metres / 111.2 km; longitude: that over
// cos of the box's most poleward latitude), widened by 1 %; callers then keep the candidates
// whose haversine distance is within the radius. Visibility is not applied here (the index
// serves every clearance) but by FindNearby. Each site's reads of known time are also kept
// sorted by (time, edge), so that a query reads only those in its time range: a query's cost
// does not grow with the site's history.
// Cost: build O(S log S + R log d) for S sites and R reads (d per site), memory 4 bytes a read;
// a query O(log S + k) for k candidates, then O(log d + m) per site for m reads in range.
// Reference: Beckmann et al., "The R*-tree", SIGMOD 1990; Boost.Geometry index::rtree
// (packing: Leutenegger et al., "STR: a simple and efficient algorithm for R-tree packing").
#include "anpr/internal/site_index.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "parallel/parallel.h"

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

std::pair<const EdgeId*, const EdgeId*> SiteIndex::Impl::ReadsBetween(const Graph& g, NodeId site,
                                                                      std::int64_t from,
                                                                      std::int64_t to) const {
  const auto it = std::lower_bound(sites.begin(), sites.end(), site);
  if (it == sites.end() || *it != site || from > to) return {nullptr, nullptr};
  const auto i = static_cast<std::size_t>(it - sites.begin());
  const EdgeId* begin = reads.data() + offsets[i];
  const EdgeId* end = reads.data() + offsets[i + 1];
  const auto times = g.edge_time();
  const EdgeId* lo = std::partition_point(
      begin, end, [&](EdgeId e) { return static_cast<std::int64_t>(times[e]) < from; });
  const EdgeId* hi = std::partition_point(
      lo, end, [&](EdgeId e) { return static_cast<std::int64_t>(times[e]) <= to; });
  return {lo, hi};
}

absl::StatusOr<SiteIndex> SiteIndex::Build(const Graph& graph, const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  std::vector<Impl::Entry> entries;
  auto impl = std::make_shared<Impl>();
  const auto range = graph.KindRange(NodeKind::kLocation);  // no binding: lambdas capture it
  const NodeId first = range.first, last = range.second;
  const auto kinds = graph.edge_kind();
  const auto times = graph.edge_time();
  std::vector<std::size_t> counts;
  for (NodeId v = first; v < last; ++v) {
    const GeoPoint p = graph.position(v);
    if (std::isnan(p.latitude) || std::isnan(p.longitude)) continue;
    bool camera = false;
    std::size_t timed = 0;
    for (EdgeIndex i = graph.in_offsets()[v]; i < graph.in_offsets()[v + 1]; ++i) {
      const EdgeId e = graph.in_edge()[i];
      if (kinds[e] != EdgeKind::kSeenAt) continue;
      camera = true;
      timed += times[e] != kUnknownTime;
    }
    if (!camera) continue;
    entries.emplace_back(Impl::Point(p.longitude, p.latitude), v);
    impl->sites.push_back(v);
    counts.push_back(timed);
  }
  if (absl::Status s = ctx.Check(); !s.ok()) return s;
  internal::PrefixSum(counts, impl->offsets, ctx.threads);
  impl->reads.resize(impl->offsets.back());
  internal::ParallelForDynamic(
      0, impl->sites.size(), ctx.threads,
      [&](std::size_t i) {
        const NodeId v = impl->sites[i];
        EdgeId* out = impl->reads.data() + impl->offsets[i];
        EdgeId* k = out;
        for (EdgeIndex j = graph.in_offsets()[v]; j < graph.in_offsets()[v + 1]; ++j) {
          const EdgeId e = graph.in_edge()[j];
          if (kinds[e] == EdgeKind::kSeenAt && times[e] != kUnknownTime) *k++ = e;
        }
        std::sort(out, k, [&](EdgeId x, EdgeId y) {
          return times[x] != times[y] ? times[x] < times[y] : x < y;
        });
      },
      4);
  impl->tree = decltype(impl->tree)(entries.begin(), entries.end());
  SiteIndex index;
  index.graph_ = &graph;
  index.impl_ = std::move(impl);
  return index;
}

}  // namespace polegraph
