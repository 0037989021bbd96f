// World construction and planning: counts for a scale, the per-person arrest table, organised
// crime groups with their crimes and intelligence, planted convoys and clones, duplicated
// people, and the choice of deliberately invalid records. See world.h and the README (polegraph-gen and truth.json).
#include "world.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"
#include "ids.h"

namespace polegraph::gen {
namespace {

const std::vector<Offence> kOffences = {
    {"105/01", "Common assault", 12},
    {"008/06", "Assault occasioning actual bodily harm", 8},
    {"028/01", "Burglary - residential", 7},
    {"030/01", "Burglary - business and community", 3},
    {"045/00", "Theft from a vehicle", 6},
    {"048/00", "Theft or unauthorised taking of a motor vehicle", 4},
    {"046/00", "Shoplifting", 10},
    {"039/00", "Theft from the person", 3},
    {"049/00", "Other theft", 6},
    {"034/01", "Robbery of personal property", 3},
    {"058/01", "Criminal damage to a dwelling", 5},
    {"058/04", "Criminal damage to a vehicle", 5},
    {"092/01", "Possession with intent to supply controlled drugs", 3},
    {"092/02", "Possession of controlled drugs", 6},
    {"010/01", "Possession of an article with a blade or point", 2},
    {"008/10", "Harassment", 4},
    {"053/00", "Fraud by false representation", 3},
    {"803/01", "Driving while disqualified", 1},
    {"081/00", "Firearms offences", 0.3},
    {"019/07", "Rape of a female aged 16 and over", 0.5},
    {"005/01", "Attempted murder", 0.2},
    {"001/00", "Murder", 0.05},
};

const WeightedTable& OffenceTable() {
  static const WeightedTable t = [] {
    std::vector<double> w;
    for (const Offence& o : kOffences) w.push_back(o.weight);
    return WeightedTable(w);
  }();
  return t;
}

// Occasions of one planted event are at least 12 hours apart (reachable from anywhere).
std::uint32_t Apart(std::uint32_t a, std::uint32_t b) { return a > b ? a - b : b - a; }

constexpr std::uint64_t kCurrentVrmSpace = 19ULL * 23 * kCurrentAges * 13824;
constexpr std::uint64_t kOldVrmSpace = 21ULL * 999 * 13824;
constexpr std::uint64_t kDatelessVrmSpace = 999ULL * 13824;

}  // namespace

const std::vector<Offence>& Offences() { return kOffences; }

Counts CountsFor(double s) {
  Counts c;
  auto n = [s](double base, double lo) {
    return static_cast<std::uint64_t>(std::max(lo, std::round(base * s)));
  };
  c.persons = n(60000, 200);
  c.vehicles = n(80000, 300);
  c.transients = c.vehicles / 2;
  c.addresses = n(42000, 150);
  c.undetected_crimes = n(40000, 100);
  c.intel = n(35000, 100);
  c.custody = n(30000, 100);
  c.site_positions = static_cast<std::uint32_t>(std::clamp(std::round(200 * s), 60.0, 4000.0));
  c.groups = static_cast<std::uint32_t>(std::max(2.0, std::round(20 * s)));
  c.clones = static_cast<std::uint32_t>(std::max(2.0, std::round(10 * s)));
  return c;
}

World::World(const Config& config) : config_(config), counts_(CountsFor(config.scale)) {
  const std::uint64_t seed = config.seed;
  network_ = BuildNetwork(seed, counts_.site_positions);
  period_start_ = (DateToDay(2025, 1, 6) + 7 * static_cast<std::int64_t>(seed % 40)) * 86400;
  person_serial_ = Permutation(10000000, Mix(seed, kStreamWorld, 1));
  cro_serial_ = Permutation(30000000, Mix(seed, kStreamWorld, 2));
  vehicle_rank_ = Permutation(counts_.vehicles, Mix(seed, kStreamWorld, 4));
  vin_serial_ = Permutation(33000000, Mix(seed, kStreamWorld, 10));
  vrm_current_ = Permutation(kCurrentVrmSpace, Mix(seed, kStreamWorld, 5));
  vrm_prefix_ = Permutation(kOldVrmSpace, Mix(seed, kStreamWorld, 6));
  vrm_suffix_ = Permutation(kOldVrmSpace, Mix(seed, kStreamWorld, 7));
  vrm_dateless_ = Permutation(kDatelessVrmSpace, Mix(seed, kStreamWorld, 8));

  // Arrest counts: heavy-tailed (most people 0-1, a few prolific offenders dozens).
  arrest_prefix_.assign(counts_.persons + 1, 0);
  for (std::uint64_t i = 0; i < counts_.persons; ++i) {
    Rng rng(Mix(seed, kStreamPerson, i, 7));
    // Everyone on the PNC has been arrested at least once.
    double a = 1 + 0.25 * std::pow(1.0 - rng.Unit(), -0.8);
    arrest_prefix_[i + 1] = arrest_prefix_[i] + static_cast<std::uint32_t>(std::min(80.0, a));
  }
  detected_perm_ =
      Permutation(std::max<std::uint64_t>(1, detected_crimes()), Mix(seed, kStreamWorld, 9));
  PlanDuplicates();
  PlanGroups();
  PlanAnpr();
  // Reads are two thirds of all records.
  std::uint64_t others = pnc_end() + pnd_end() + network_.sites.size();
  counts_.reads = 2 * others;
}

void World::PlanDuplicates() {
  for (std::uint64_t i = 0; i < counts_.persons; ++i) {
    Rng rng(Mix(config_.seed, kStreamDuplicate, i));
    if (!rng.Chance(0.01)) continue;
    duplicated_set_.insert(i);
    duplicate_records_.push_back(i);
    if (rng.Chance(0.3)) duplicate_records_.push_back(i);
  }
}

void World::PlanGroups() {
  Rng rng(Mix(config_.seed, kStreamGroup, 0));
  Permutation member_perm(counts_.persons, Mix(config_.seed, kStreamGroup, 1));
  Permutation vehicle_perm(counts_.vehicles, Mix(config_.seed, kStreamGroup, 2));
  std::uint64_t next_member = 0, next_vehicle = 0;
  for (std::uint32_t g = 0; g < counts_.groups; ++g) {
    Group group;
    group.id = g;
    int m = static_cast<int>(rng.Range(5, 30));
    for (int k = 0; k < m; ++k) {
      std::uint64_t person = member_perm(next_member++);
      group.members.push_back(person);
      member_group_[person] = g;
    }
    int nv = std::max(2, m / 3);
    for (int k = 0; k < nv; ++k) {
      std::uint64_t v = vehicle_perm(next_vehicle++);
      group.vehicles.push_back(v);
      planted_vehicles_.insert(v);
    }
    // A group is based in one town: its addresses are there and its crimes at its hotspots.
    group.town = PickTown(rng);
    int na = static_cast<int>(rng.Range(2, 4));
    for (int k = 0, tries = 0; k < na; ++tries) {
      std::uint64_t a = rng.Below(counts_.addresses);
      std::uint32_t town = 0;
      pb::Address scratch;
      MakeAddress(config_.seed, a, &scratch, &town);
      if (town == group.town || tries > 5000) {
        group.addresses.push_back(a);
        ++k;
      }
    }
    // Co-offending: each crime involves 2-5 members, one or more arrested.
    int nc = 4 + m / 2;
    for (int k = 0; k < nc; ++k) {
      GroupCrime crime;
      crime.group = g;
      int people = static_cast<int>(std::min<std::int64_t>(m, rng.Range(2, 5)));
      std::vector<std::uint64_t> pool = group.members;
      for (int p = 0; p < people; ++p) {
        std::size_t at = rng.Below(pool.size());
        crime.people.push_back(pool[at]);
        crime.arrested.push_back(p == 0 || rng.Chance(0.4));
        pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(at));
      }
      if (rng.Chance(0.6)) crime.vehicles.push_back(group.vehicles[rng.Below(nv)]);
      group.crimes.push_back(group_crime_list_.size());
      group_crime_list_.push_back(std::move(crime));
    }
    // Intelligence: subjects with their associates, vehicles used and where they live.
    int ni = 2 + m / 2;
    for (int k = 0; k < ni; ++k) {
      GroupIntel intel;
      intel.group = g;
      std::vector<std::uint64_t> pool = group.members;
      int subjects = rng.Chance(0.7) ? 1 : 2;
      int associates = static_cast<int>(std::min<std::int64_t>(m - subjects, rng.Range(2, 4)));
      for (int p = 0; p < subjects + associates; ++p) {
        std::size_t at = rng.Below(pool.size());
        (p < subjects ? intel.subjects : intel.associates).push_back(pool[at]);
        pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(at));
      }
      intel.vehicles.push_back(group.vehicles[rng.Below(nv)]);
      if (rng.Chance(0.4)) intel.vehicles.push_back(group.vehicles[rng.Below(nv)]);
      if (intel.vehicles.size() == 2 && intel.vehicles[0] == intel.vehicles[1])
        intel.vehicles.pop_back();
      intel.address = group.addresses[rng.Below(na)];
      group_intel_list_.push_back(std::move(intel));
    }
    groups_.push_back(std::move(group));
  }
  group_crimes_ = group_crime_list_.size();
  group_intel_ = group_intel_list_.size();
}

void World::PlanAnpr() {
  Rng rng(Mix(config_.seed, kStreamPlan, 0));
  const std::uint32_t hours = this->hours();
  for (const Group& g : groups_) {
    if (g.id != 0 && !rng.Chance(0.75)) continue;
    Convoy c;
    c.group = g.id;
    std::vector<std::uint64_t> pool = g.vehicles;
    std::size_t n = pool.size() >= 3 && rng.Chance(0.3) ? 3 : 2;
    std::uint32_t offset = 0;
    for (std::size_t k = 0; k < n; ++k) {
      std::size_t at = rng.Below(pool.size());
      c.vehicles.push_back(pool[at]);
      pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(at));
      c.offsets.push_back(offset);
      offset += static_cast<std::uint32_t>(rng.Range(8, 25));
    }
    int occasions = static_cast<int>(rng.Range(2, 4));
    for (int k = 0; k < occasions; ++k) {
      ConvoyOccasion o;
      do {
        o.hour = static_cast<std::uint32_t>(rng.Below(hours));
      } while (std::any_of(c.occasions.begin(), c.occasions.end(),
                           [&](const ConvoyOccasion& x) { return Apart(x.hour, o.hour) < 12; }));
      // 3-5 consecutive positions spanning at most 50 km, so that the journey fits in the
      // hour even at the slowest speed (18 m/s); the sites are sparse at small scales.
      for (int tries = 0; tries < 200; ++tries) {
        o.road = static_cast<std::uint32_t>(network_.road_by_length.Pick(rng));
        const Road& road = network_.roads[o.road];
        auto positions = static_cast<std::uint32_t>(road.pos_km.size());
        o.length = static_cast<std::uint32_t>(std::min<std::int64_t>(positions, rng.Range(3, 5)));
        std::uint32_t first = static_cast<std::uint32_t>(rng.Below(positions - o.length + 1));
        while (o.length > 3 && road.pos_km[first + o.length - 1] - road.pos_km[first] > 50)
          --o.length;
        o.forward = rng.Chance(0.5);
        o.start = o.forward ? first : first + o.length - 1;  // reverse walks down from start
        if (road.pos_km[first + o.length - 1] - road.pos_km[first] <= 50) break;
      }
      o.start_second = static_cast<std::uint32_t>(rng.Below(1u << 30));
      c.occasions.push_back(o);
    }
    convoys_.push_back(std::move(c));
  }
  counts_.convoys = static_cast<std::uint32_t>(convoys_.size());

  const auto& sites = network_.sites;
  for (std::uint32_t k = 0; k < counts_.clones; ++k) {
    Clone c;
    do {
      c.genuine = ActiveVehicle(rng);
    } while (planted_vehicles_.contains(c.genuine) || VehicleAt(c.genuine).vrm.size() != 7 ||
             !(VehicleAt(c.genuine).vrm[2] >= '0' && VehicleAt(c.genuine).vrm[2] <= '9'));
    planted_vehicles_.insert(c.genuine);
    const Vehicle genuine = VehicleAt(c.genuine);
    for (;;) {
      c.clone = rng.Below(counts_.vehicles);
      if (planted_vehicles_.contains(c.clone)) continue;
      Vehicle v = VehicleAt(c.clone);
      if (v.make != genuine.make && v.colour != genuine.colour) break;
    }
    planted_vehicles_.insert(c.clone);
    int occasions = static_cast<int>(rng.Range(2, 3));
    for (int o = 0; o < occasions; ++o) {
      CloneOccasion x;
      do {
        x.hour = static_cast<std::uint32_t>(rng.Below(hours));
      } while (std::any_of(c.occasions.begin(), c.occasions.end(),
                           [&](const CloneOccasion& y) { return Apart(y.hour, x.hour) < 12; }));
      x.site_a = static_cast<std::uint32_t>(rng.Below(sites.size()));
      double best = -1;
      for (int tries = 0; tries < 200; ++tries) {
        auto b = static_cast<std::uint32_t>(rng.Below(sites.size()));
        double d = DistanceKm(sites[x.site_a].lat, sites[x.site_a].lon, sites[b].lat, sites[b].lon);
        if (d > best) {
          best = d;
          x.site_b = b;
        }
        if (d >= 150) break;
      }
      x.second_a = static_cast<std::uint32_t>(rng.Below(3600 - 1000));
      x.second_b = x.second_a + static_cast<std::uint32_t>(rng.Range(120, 900));
      c.occasions.push_back(x);
    }
    clones_.push_back(std::move(c));
  }
}

int World::GroupOfMember(std::uint64_t person) const {
  auto it = member_group_.find(person);
  return it == member_group_.end() ? -1 : static_cast<int>(it->second);
}

std::uint64_t World::DetectedCrimeIndex(std::uint64_t slot) const {
  return group_crimes_ + detected_perm_(slot);
}
std::uint64_t World::SlotOfDetectedCrime(std::uint64_t crime_index) const {
  return detected_perm_.Invert(crime_index - group_crimes_);
}
std::uint64_t World::PersonOfSlot(std::uint64_t slot) const {
  auto it = std::upper_bound(arrest_prefix_.begin(), arrest_prefix_.end(), slot);
  return static_cast<std::uint64_t>(it - arrest_prefix_.begin()) - 1;
}

World::CrimeCore World::CrimeAt(std::uint64_t c) const {
  CrimeCore core;
  Rng rng(Mix(config_.seed, kStreamCrime, c, 99));
  const bool group = c < group_crimes_;
  // Group crimes fall in the year before the ANPR period; others in the three years before.
  std::int64_t span = (group ? 365 : 3 * 365) * 86400LL;
  core.from =
      period_start_ - static_cast<std::int64_t>(rng.Below(static_cast<std::uint64_t>(span)));
  core.from -= core.from % 60;
  core.to = core.from + 60 * rng.Range(0, 360);
  core.arrest_at = core.to + 60 * rng.Range(30, 72 * 60);
  core.hotspot = PickHotspot(rng);
  if (group) {
    const std::uint32_t town = groups_[group_crime_list_[c].group].town;
    core.hotspot =
        FirstHotspotOf(town) + static_cast<std::uint32_t>(rng.Below(HotspotCountOf(town)));
  }
  core.place = static_cast<std::uint32_t>(rng.SkewedRank(40, 1.8));
  if (group) {
    static constexpr std::uint32_t kGroupOffences[] = {12, 2, 5, 9, 18, 3};
    core.offence = kGroupOffences[rng.Below(std::size(kGroupOffences))];
  } else {
    core.offence = static_cast<std::uint32_t>(OffenceTable().Pick(rng));
  }
  core.force = std::string(Towns()[HotspotTownOf(core.hotspot)].force);
  return core;
}

std::string World::CrimeReference(std::uint64_t c) const {
  CrimeCore core = CrimeAt(c);
  return absl::StrFormat("%s/%07u/%02d", core.force, static_cast<unsigned>(c),
                         DayToDate(core.from / 86400).year % 100);
}

bool World::IsBad(int file, std::uint64_t index, bool protected_record) const {
  if (config_.bad_fraction <= 0 || protected_record) return false;
  Rng rng(Mix(config_.seed, kStreamBad, static_cast<std::uint64_t>(file), index));
  return rng.Unit() < config_.bad_fraction;
}

bool World::IsBadPnc(std::uint64_t index) const {
  bool protect = index < counts_.persons ? (IsGroupMember(index) || IsDuplicated(index))
                                         : IsPlantedVehicle(index - counts_.persons);
  return IsBad(0, index, protect);
}

}  // namespace polegraph::gen
