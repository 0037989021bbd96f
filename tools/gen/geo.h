// Geography for polegraph-gen: towns of England and Wales with their postcode areas and the
// territorial police force that polices them, the roads between them (polylines through towns)
// with ANPR camera sites placed along them, residential addresses scattered around towns, and
// crime hotspots (a few per town, each with a fixed set of street places that recur).
#ifndef POLEGRAPH_TOOLS_GEN_GEO_H_
#define POLEGRAPH_TOOLS_GEN_GEO_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "polegraph/anpr.pb.h"
#include "polegraph/common.pb.h"
#include "rng.h"

namespace polegraph::gen {

struct Town {
  std::string_view name;
  double lat, lon;
  std::string_view postcode_area;
  std::string_view force;  // owning force code
  double weight;           // share of population
};
const std::vector<Town>& Towns();
// The 43 territorial police forces of England and Wales (codes used as owning_force).
const std::vector<std::string_view>& ForceCodes();

struct Site {
  std::string id;  // e.g. "M6-0042-N"
  std::uint32_t road = 0;
  std::uint32_t position = 0;  // index along the road
  bool forward = true;         // carriageway: along the road's direction of definition
  double lat = 0, lon = 0;
  pb::Direction direction = pb::DIRECTION_UNSPECIFIED;
  pb::CameraType camera = pb::FIXED;
  bool reports_make = false;  // camera reports make and colour
  std::uint32_t town = 0;     // nearest town (owning force)
};

struct Road {
  std::string name;
  bool motorway = false;
  std::vector<double> pos_lat, pos_lon;                   // camera positions along the road
  std::vector<double> pos_km;                             // distance from the start, km
  std::vector<std::uint32_t> forward_site, reverse_site;  // site index per position
};

// Roads and sites. Every road has at least 5 camera positions (two sites each, one per
// carriageway); `positions` is spread over the roads by length.
struct Network {
  std::vector<Road> roads;
  std::vector<Site> sites;
  WeightedTable road_by_length;
};
Network BuildNetwork(std::uint64_t seed, std::uint32_t positions);

double DistanceKm(double lat1, double lon1, double lat2, double lon2);

// A residential address (stateless: a function of seed and index). Different indices give
// different UPRNs.
void MakeAddress(std::uint64_t seed, std::uint64_t index, pb::Address* out, std::uint32_t* town);
// A street place at hotspot `hotspot` (0 .. NumHotspots()-1), place number `place`.
void MakeHotspotPlace(std::uint64_t seed, std::uint32_t hotspot, std::uint32_t place,
                      pb::Address* out, std::uint32_t* town);
std::uint32_t NumHotspots();
std::uint32_t HotspotTownOf(std::uint32_t hotspot);
// Hotspots of a town are FirstHotspotOf(t) .. FirstHotspotOf(t) + HotspotCountOf(t) - 1.
std::uint32_t FirstHotspotOf(std::uint32_t town);
std::uint32_t HotspotCountOf(std::uint32_t town);
// Picks a hotspot with probability by town size and a heavy tail within town.
std::uint32_t PickHotspot(Rng& rng);
// The custody suite (police station) of a town.
void MakeCustodySuite(std::uint32_t town, pb::Address* out);
std::uint32_t PickTown(Rng& rng);

}  // namespace polegraph::gen

#endif  // POLEGRAPH_TOOLS_GEN_GEO_H_
