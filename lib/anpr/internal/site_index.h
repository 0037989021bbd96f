// The R-tree behind SiteIndex (polegraph/anpr.h): camera sites as (longitude, latitude) points
// in degrees. Internal to lib/anpr; keeps Boost.Geometry out of the public header.
#ifndef POLEGRAPH_LIB_ANPR_INTERNAL_SITE_INDEX_H_
#define POLEGRAPH_LIB_ANPR_INTERNAL_SITE_INDEX_H_

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
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
};

}  // namespace polegraph

#endif  // POLEGRAPH_LIB_ANPR_INTERNAL_SITE_INDEX_H_
