// The R-tree behind SiteIndex (polegraph/anpr.h): camera sites as (longitude, latitude) points
// in degrees. Internal to lib/anpr; keeps Boost.Geometry out of the public header.
#ifndef POLEGRAPH_LIB_ANPR_INTERNAL_SITE_INDEX_H_
#define POLEGRAPH_LIB_ANPR_INTERNAL_SITE_INDEX_H_

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cstdint>
#include <utility>
#include <vector>

#include "polegraph/anpr.h"

namespace polegraph {

struct SiteIndex::Impl {
  using Point = boost::geometry::model::point<double, 2, boost::geometry::cs::cartesian>;
  using Entry = std::pair<Point, NodeId>;
  boost::geometry::index::rtree<Entry, boost::geometry::index::rstar<16>> tree;

  // Sites whose point lies in the box of +-radius around `centre` (a superset of those within
  // the radius), ascending by NodeId.
  std::vector<NodeId> Candidates(GeoPoint centre, double radius_m) const;

  // The SEEN_AT reads of known time at an indexed site with time in [from, to], as a range of
  // EdgeIds in (time, edge) order (whatever their labels). O(log d) for the site's d reads.
  std::pair<const EdgeId*, const EdgeId*> ReadsBetween(const Graph& g, NodeId site,
                                                       std::int64_t from, std::int64_t to) const;

  // Per indexed site (ascending NodeId), its reads by (time, edge): reads[offsets[i] ..
  // offsets[i + 1]) for sites[i]. 4 bytes a read.
  std::vector<NodeId> sites;
  std::vector<std::size_t> offsets;
  std::vector<EdgeId> reads;
};

namespace internal {

// The index behind a SiteIndex, for FindNearby (SiteIndex::Impl is private; SiteIndexAccess
// is SiteIndex's friend).
struct SiteIndexAccess {
  static const SiteIndex::Impl& impl(const SiteIndex& index) { return *index.impl_; }
};

}  // namespace internal
}  // namespace polegraph

#endif  // POLEGRAPH_LIB_ANPR_INTERNAL_SITE_INDEX_H_
