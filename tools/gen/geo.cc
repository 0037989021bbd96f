// Towns, forces, roads with camera sites, addresses and hotspots; see geo.h.
#include "geo.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace polegraph::gen {
namespace {

constexpr double kPi = 3.14159265358979323846;

const std::vector<Town> kTowns = {
    {"London", 51.5074, -0.1278, "E", "MPS", 9.0},
    {"Birmingham", 52.4862, -1.8904, "B", "WMP", 3.0},
    {"Manchester", 53.4808, -2.2426, "M", "GMP", 3.0},
    {"Leeds", 53.8008, -1.5491, "LS", "WYP", 2.0},
    {"Liverpool", 53.4084, -2.9916, "L", "MER", 1.5},
    {"Sheffield", 53.3811, -1.4701, "S", "SYP", 1.5},
    {"Bristol", 51.4545, -2.5879, "BS", "AVS", 1.2},
    {"Newcastle upon Tyne", 54.9783, -1.6178, "NE", "NMB", 1.0},
    {"Nottingham", 52.9548, -1.1581, "NG", "NTT", 1.0},
    {"Leicester", 52.6369, -1.1398, "LE", "LEI", 1.0},
    {"Coventry", 52.4068, -1.5197, "CV", "WMP", 0.9},
    {"Bradford", 53.7960, -1.7594, "BD", "WYP", 1.0},
    {"Cardiff", 51.4816, -3.1791, "CF", "SWP", 1.0},
    {"Swansea", 51.6214, -3.9436, "SA", "SWP", 0.6},
    {"Newport", 51.5842, -2.9977, "NP", "GWE", 0.4},
    {"Stoke-on-Trent", 53.0027, -2.1794, "ST", "STF", 0.7},
    {"Wolverhampton", 52.5862, -2.1288, "WV", "WMP", 0.7},
    {"Derby", 52.9225, -1.4746, "DE", "DER", 0.7},
    {"Plymouth", 50.3755, -4.1427, "PL", "DDC", 0.6},
    {"Exeter", 50.7184, -3.5339, "EX", "DDC", 0.4},
    {"Southampton", 50.9097, -1.4044, "SO", "HAM", 0.7},
    {"Portsmouth", 50.8198, -1.0880, "PO", "HAM", 0.6},
    {"Reading", 51.4543, -0.9781, "RG", "TVP", 0.6},
    {"Oxford", 51.7520, -1.2577, "OX", "TVP", 0.5},
    {"Milton Keynes", 52.0406, -0.7594, "MK", "TVP", 0.6},
    {"Northampton", 52.2405, -0.9027, "NN", "NTH", 0.6},
    {"Cambridge", 52.2053, 0.1218, "CB", "CAM", 0.4},
    {"Peterborough", 52.5695, -0.2405, "PE", "CAM", 0.5},
    {"Norwich", 52.6309, 1.2974, "NR", "NFK", 0.5},
    {"Ipswich", 52.0567, 1.1482, "IP", "SFK", 0.4},
    {"Chelmsford", 51.7356, 0.4685, "CM", "ESX", 0.5},
    {"Luton", 51.8787, -0.4200, "LU", "BDF", 0.5},
    {"Brighton", 50.8225, -0.1372, "BN", "SXP", 0.6},
    {"Maidstone", 51.2704, 0.5227, "ME", "KNT", 0.5},
    {"Guildford", 51.2362, -0.5704, "GU", "SRY", 0.4},
    {"Watford", 51.6565, -0.3903, "WD", "HRT", 0.4},
    {"Hull", 53.7676, -0.3274, "HU", "HUM", 0.6},
    {"York", 53.9590, -1.0815, "YO", "NYP", 0.4},
    {"Middlesbrough", 54.5742, -1.2350, "TS", "CLE", 0.5},
    {"Sunderland", 54.9069, -1.3838, "SR", "NMB", 0.5},
    {"Durham", 54.7753, -1.5849, "DH", "DUR", 0.3},
    {"Carlisle", 54.8925, -2.9329, "CA", "CUM", 0.3},
    {"Preston", 53.7632, -2.7031, "PR", "LAN", 0.5},
    {"Blackpool", 53.8175, -3.0357, "FY", "LAN", 0.4},
    {"Lincoln", 53.2307, -0.5406, "LN", "LIN", 0.3},
    {"Gloucester", 51.8642, -2.2382, "GL", "GLO", 0.4},
    {"Worcester", 52.1936, -2.2216, "WR", "WMR", 0.3},
    {"Swindon", 51.5558, -1.7797, "SN", "WIL", 0.5},
    {"Bournemouth", 50.7192, -1.8808, "BH", "DOR", 0.5},
    {"Chester", 53.1934, -2.8931, "CH", "CHE", 0.4},
    {"Warwick", 52.2819, -1.5849, "CV", "WAR", 0.2},
    {"Wrexham", 53.0465, -2.9938, "LL", "NWP", 0.3},
    {"Bangor", 53.2274, -4.1293, "LL", "NWP", 0.15},
    {"Aberystwyth", 52.4153, -4.0829, "SY", "DPP", 0.1},
    {"Carmarthen", 51.8576, -4.3121, "SA", "DPP", 0.1},
    {"City of London", 51.5155, -0.0922, "EC", "COL", 0.1},
    {"Taunton", 51.0150, -3.1029, "TA", "AVS", 0.2},
};

const std::vector<std::string_view> kForces = {
    "AVS", "BDF", "CAM", "CHE", "CLE", "COL", "CUM", "DER", "DDC", "DOR", "DUR",
    "DPP", "ESX", "GLO", "GMP", "GWE", "HAM", "HRT", "HUM", "KNT", "LAN", "LEI",
    "LIN", "MER", "MPS", "NFK", "NWP", "NYP", "NTH", "NMB", "NTT", "SWP", "SYP",
    "STF", "SFK", "SRY", "SXP", "TVP", "WAR", "WMR", "WMP", "WYP", "WIL",
};

struct RoadDef {
  std::string_view name;
  std::vector<std::string_view> towns;
};
const std::vector<RoadDef> kRoads = {
    {"M1",
     {"London", "Luton", "Milton Keynes", "Northampton", "Leicester", "Nottingham", "Sheffield",
      "Leeds"}},
    {"M6", {"Coventry", "Birmingham", "Wolverhampton", "Stoke-on-Trent", "Preston", "Carlisle"}},
    {"M4", {"London", "Reading", "Swindon", "Bristol", "Newport", "Cardiff", "Swansea"}},
    {"M5", {"Birmingham", "Worcester", "Gloucester", "Bristol", "Taunton", "Exeter"}},
    {"M62", {"Liverpool", "Manchester", "Leeds", "Hull"}},
    {"A1(M)", {"London", "Peterborough", "York", "Durham", "Newcastle upon Tyne"}},
    {"M40", {"London", "Oxford", "Warwick", "Birmingham"}},
    {"M11", {"London", "Cambridge"}},
    {"A14", {"Northampton", "Cambridge", "Ipswich"}},
    {"A12", {"London", "Chelmsford", "Ipswich", "Norwich"}},
    {"M3", {"London", "Southampton"}},
    {"M27", {"Bournemouth", "Southampton", "Portsmouth", "Brighton"}},
    {"M23", {"London", "Brighton"}},
    {"M20", {"London", "Maidstone"}},
    {"A55", {"Chester", "Bangor"}},
    {"A483", {"Wrexham", "Chester"}},
    {"A38", {"Birmingham", "Derby"}},
    {"A38(W)", {"Exeter", "Plymouth"}},
    {"A19", {"Middlesbrough", "Sunderland", "Newcastle upon Tyne"}},
    {"M55", {"Preston", "Blackpool"}},
    {"A48", {"Swansea", "Carmarthen"}},
    {"A487", {"Carmarthen", "Aberystwyth"}},
    {"A46", {"Lincoln", "Nottingham", "Leicester", "Coventry"}},
    {"A41", {"London", "Watford"}},
    {"M25", {"Watford", "Guildford", "Maidstone", "Chelmsford", "Watford"}},
};

const Town& TownByName(std::string_view name) {
  for (const Town& t : kTowns) {
    if (t.name == name) return t;
  }
  return kTowns[0];  // unreachable: every road names a listed town
}

constexpr std::string_view kStreets[] = {
    "High Street",   "Station Road",   "Church Lane",    "Victoria Road", "Park Avenue",
    "Mill Lane",     "The Crescent",   "Queens Road",    "Albert Street", "King Street",
    "New Road",      "Manor Way",      "Green Lane",     "Grange Road",   "Chapel Street",
    "Windsor Close", "Elm Grove",      "Oak Avenue",     "London Road",   "Springfield Road",
    "School Lane",   "North Street",   "Mount Pleasant", "Orchard Way",   "Cromwell Road",
    "Brookside",     "Stanley Street", "Beech Drive",
};
constexpr std::string_view kPremises[] = {
    "Tesco Extra car park",
    "Co-op",
    "Lidl",
    "The Red Lion PH",
    "Railway Station car park",
    "Retail Park",
    "Wetherspoons",
    "McDonald's",
    "Bus Station",
    "Shell petrol station",
    "Leisure Centre",
    "Community Centre",
};
constexpr std::string_view kUnitLetters = "ABDEFGHJLNPQRSTUWXYZ";

std::string Postcode(Rng& rng, const Town& town) {
  return absl::StrFormat("%s%d %d%c%c", town.postcode_area, 1 + rng.Below(20), rng.Below(10),
                         kUnitLetters[rng.Below(kUnitLetters.size())],
                         kUnitLetters[rng.Below(kUnitLetters.size())]);
}

const WeightedTable& TownTable() {
  static const WeightedTable t = [] {
    std::vector<double> w;
    for (const Town& town : kTowns) w.push_back(town.weight);
    return WeightedTable(w);
  }();
  return t;
}

// Hotspots: ceil(3 * weight) per town, numbered town by town.
const std::vector<std::uint32_t>& HotspotTown() {
  static const std::vector<std::uint32_t> h = [] {
    std::vector<std::uint32_t> v;
    for (std::uint32_t t = 0; t < kTowns.size(); ++t) {
      int n = static_cast<int>(std::ceil(3.0 * kTowns[t].weight));
      for (int k = 0; k < n; ++k) v.push_back(t);
    }
    return v;
  }();
  return h;
}

std::uint32_t NearestTown(double lat, double lon) {
  std::uint32_t best = 0;
  double best_d = 1e18;
  for (std::uint32_t t = 0; t < kTowns.size(); ++t) {
    double d = DistanceKm(lat, lon, kTowns[t].lat, kTowns[t].lon);
    if (d < best_d) {
      best_d = d;
      best = t;
    }
  }
  return best;
}

}  // namespace

const std::vector<Town>& Towns() { return kTowns; }
const std::vector<std::string_view>& ForceCodes() { return kForces; }
std::uint32_t PickTown(Rng& rng) { return static_cast<std::uint32_t>(TownTable().Pick(rng)); }

double DistanceKm(double lat1, double lon1, double lat2, double lon2) {
  const double r = 6371.0, to_rad = kPi / 180.0;
  double dlat = (lat2 - lat1) * to_rad, dlon = (lon2 - lon1) * to_rad;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1 * to_rad) *
                                                           std::cos(lat2 * to_rad) *
                                                           std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * r * std::asin(std::sqrt(a));
}

Network BuildNetwork(std::uint64_t seed, std::uint32_t positions) {
  Network net;
  std::vector<double> lengths;
  double total = 0;
  for (const RoadDef& def : kRoads) {
    double len = 0;
    for (std::size_t i = 1; i < def.towns.size(); ++i) {
      const Town& a = TownByName(def.towns[i - 1]);
      const Town& b = TownByName(def.towns[i]);
      len += DistanceKm(a.lat, a.lon, b.lat, b.lon);
    }
    lengths.push_back(len);
    total += len;
  }
  net.road_by_length = WeightedTable(lengths);
  for (std::size_t r = 0; r < kRoads.size(); ++r) {
    const RoadDef& def = kRoads[r];
    Road road;
    road.name = std::string(def.name);
    road.motorway = def.name[0] == 'M' || def.name.find("(M)") != std::string_view::npos;
    auto n = static_cast<std::uint32_t>(std::max(5.0, std::round(positions * lengths[r] / total)));
    // Positions evenly spaced along the polyline, inset from the ends (not inside towns).
    for (std::uint32_t p = 0; p < n; ++p) {
      double target = lengths[r] * (p + 0.5) / n, walked = 0;
      for (std::size_t i = 1; i < def.towns.size(); ++i) {
        const Town& a = TownByName(def.towns[i - 1]);
        const Town& b = TownByName(def.towns[i]);
        double seg = DistanceKm(a.lat, a.lon, b.lat, b.lon);
        if (walked + seg >= target || i + 1 == def.towns.size()) {
          double f = seg > 0 ? std::min(1.0, (target - walked) / seg) : 0;
          road.pos_lat.push_back(a.lat + f * (b.lat - a.lat));
          road.pos_lon.push_back(a.lon + f * (b.lon - a.lon));
          road.pos_km.push_back(target);
          break;
        }
        walked += seg;
      }
    }
    for (std::uint32_t p = 0; p < n; ++p) {
      // Bearing of travel along the road's definition at this position.
      std::uint32_t p0 = p == 0 ? 0 : p - 1, p1 = p + 1 < n ? p + 1 : p;
      double dlat = road.pos_lat[p1] - road.pos_lat[p0];
      double dlon = (road.pos_lon[p1] - road.pos_lon[p0]) * std::cos(road.pos_lat[p] * kPi / 180.0);
      bool north_south = std::fabs(dlat) >= std::fabs(dlon);
      const pb::Direction along = north_south ? (dlat >= 0 ? pb::NORTHBOUND : pb::SOUTHBOUND)
                                              : (dlon >= 0 ? pb::EASTBOUND : pb::WESTBOUND);
      for (bool forward : {true, false}) {
        Site s;
        s.road = static_cast<std::uint32_t>(r);
        s.position = p;
        s.forward = forward;
        s.direction = forward                   ? along
                      : along == pb::NORTHBOUND ? pb::SOUTHBOUND
                      : along == pb::SOUTHBOUND ? pb::NORTHBOUND
                      : along == pb::EASTBOUND  ? pb::WESTBOUND
                                                : pb::EASTBOUND;
        const char* dir_code = s.direction == pb::NORTHBOUND   ? "N"
                               : s.direction == pb::SOUTHBOUND ? "S"
                               : s.direction == pb::EASTBOUND  ? "E"
                                                               : "W";
        // Carriageways a few metres apart.
        s.lat = std::round((road.pos_lat[p] + (forward ? 0.00005 : -0.00005)) * 1e6) / 1e6;
        s.lon = std::round(road.pos_lon[p] * 1e6) / 1e6;
        s.id = absl::StrFormat("%s-%04u-%s", road.name, p, dir_code);
        Rng rng(Mix(seed, kStreamSite, r * 100000 + p * 2 + (forward ? 0 : 1)));
        double u = rng.Unit();
        s.camera = u < 0.85 ? pb::FIXED : (u < 0.95 ? pb::MOBILE : pb::COVERT);
        s.reports_make = rng.Chance(0.3);
        s.town = NearestTown(s.lat, s.lon);
        (forward ? road.forward_site : road.reverse_site)
            .push_back(static_cast<std::uint32_t>(net.sites.size()));
        net.sites.push_back(std::move(s));
      }
    }
    net.roads.push_back(std::move(road));
  }
  return net;
}

void MakeAddress(std::uint64_t seed, std::uint64_t index, pb::Address* out,
                 std::uint32_t* town_out) {
  static const Permutation kUprn(1000000000ULL, 0x9e3779b9ULL);
  Rng rng(Mix(seed, kStreamAddress, index));
  std::uint32_t t = PickTown(rng);
  const Town& town = kTowns[t];
  double spread = 0.02 + 0.02 * town.weight / 9.0;
  out->set_uprn(absl::StrCat(10000000000ULL + kUprn(index)));
  int number = static_cast<int>(1 + rng.SkewedRank(180, 1.5));
  std::string line =
      absl::StrCat(number, " ", std::string(kStreets[rng.Below(std::size(kStreets))]));
  if (rng.Chance(0.12)) line = absl::StrCat("Flat ", 1 + rng.Below(24), ", ", line);
  out->set_line(line);
  out->set_town(std::string(town.name));
  out->set_postcode(Postcode(rng, town));
  out->set_latitude(std::round((town.lat + spread * rng.Normal()) * 1e6) / 1e6);
  out->set_longitude(std::round((town.lon + 1.6 * spread * rng.Normal()) * 1e6) / 1e6);
  if (town_out) *town_out = t;
}

std::uint32_t HotspotTownOf(std::uint32_t hotspot) { return HotspotTown()[hotspot]; }

std::uint32_t FirstHotspotOf(std::uint32_t town) {
  const auto& h = HotspotTown();
  return static_cast<std::uint32_t>(std::lower_bound(h.begin(), h.end(), town) - h.begin());
}
std::uint32_t HotspotCountOf(std::uint32_t town) {
  const auto& h = HotspotTown();
  return static_cast<std::uint32_t>(std::upper_bound(h.begin(), h.end(), town) -
                                    std::lower_bound(h.begin(), h.end(), town));
}

std::uint32_t NumHotspots() { return static_cast<std::uint32_t>(HotspotTown().size()); }

std::uint32_t PickHotspot(Rng& rng) {
  static const WeightedTable table = [] {
    std::vector<double> w;
    for (std::uint32_t t : HotspotTown()) {
      w.push_back(kTowns[t].weight / std::ceil(3.0 * kTowns[t].weight));
    }
    return WeightedTable(w);
  }();
  return static_cast<std::uint32_t>(table.Pick(rng));
}

void MakeHotspotPlace(std::uint64_t seed, std::uint32_t hotspot, std::uint32_t place,
                      pb::Address* out, std::uint32_t* town_out) {
  std::uint32_t t = HotspotTown()[hotspot];
  const Town& town = kTowns[t];
  Rng centre(Mix(seed, kStreamWorld, 1000 + hotspot));
  double clat = town.lat + 0.015 * centre.Normal(), clon = town.lon + 0.024 * centre.Normal();
  Rng rng(Mix(seed, kStreamWorld, 1000 + hotspot, 1 + place));
  if (rng.Chance(0.5)) {
    out->set_uprn(absl::StrCat(20000000000ULL + hotspot * 1000ULL + place));
    out->set_line(std::string(kPremises[rng.Below(std::size(kPremises))]));
  } else {
    out->set_line(absl::StrCat("Outside ", 1 + rng.Below(120), " ",
                               std::string(kStreets[rng.Below(std::size(kStreets))])));
  }
  out->set_town(std::string(town.name));
  out->set_postcode(Postcode(rng, town));
  out->set_latitude(std::round((clat + 0.002 * rng.Normal()) * 1e6) / 1e6);
  out->set_longitude(std::round((clon + 0.003 * rng.Normal()) * 1e6) / 1e6);
  if (town_out) *town_out = t;
}

void MakeCustodySuite(std::uint32_t t, pb::Address* out) {
  const Town& town = kTowns[t];
  out->set_uprn(absl::StrCat(30000000000ULL + t));
  out->set_line(absl::StrCat(std::string(town.name), " Custody Suite"));
  out->set_town(std::string(town.name));
  Rng rng(Mix(0, kStreamWorld, 77, t));
  out->set_postcode(Postcode(rng, town));
  out->set_latitude(town.lat);
  out->set_longitude(town.lon);
}

}  // namespace polegraph::gen
