// ANPR extract writer: every camera site, then the reads in time order, generated one hour at
// a time so memory stays bounded at any scale.
//
// Ordinary traffic: each hour gets a share of the reads by a daily rhythm (rush hours, quiet
// nights, flatter weekends). A read budget is filled with journeys: a vehicle (PNC vehicles
// with a heavy tail of very active ones, plus transient vehicles not on the PNC) makes a round
// trip from its home camera position along its home road, past up to 4 cameras and back on the
// other carriageway, within the hour; a vehicle makes at most one journey an hour, and every
// journey starts and ends at home, so a plate is never in two places at once except where a
// clone is planted. Planted events (convoys, clones) are added in their hour; the vehicles
// involved make no other journey within 6 hours of them. A small fraction of ordinary reads of
// PNC vehicles are misread (one confusable character, still a valid VRM shape).
#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "ids.h"
#include "output.h"
#include "polegraph/extract.h"

namespace polegraph::gen {
namespace {

constexpr double kWeekday[24] = {0.25, 0.15, 0.1, 0.1, 0.15, 0.35, 0.8,  1.6,
                                 1.8,  1.3,  1.0, 1.0, 1.05, 1.05, 1.05, 1.15,
                                 1.5,  1.75, 1.4, 1.0, 0.8,  0.65, 0.5,  0.35};
constexpr double kWeekend[24] = {0.3,  0.21, 0.15, 0.1,  0.1,  0.15, 0.25, 0.42,
                                 0.64, 0.85, 0.98, 1.02, 1.02, 1.02, 0.98, 0.94,
                                 0.9,  0.85, 0.77, 0.68, 0.6,  0.51, 0.42, 0.34};
constexpr double kMisreadRate = 0.004;
constexpr std::int64_t kPlantedQuietHours = 6;

struct PendingRead {
  std::int64_t t = 0;
  std::uint32_t ms = 0, site = 0, lane = 1;
  std::uint64_t seq = 0;
  std::string vrm, true_vrm;  // true_vrm set for misreads
  std::int32_t make = -1, colour = -1;
  float confidence = 0.9f;
  bool planted = false;
};

double HourWeight(std::uint32_t hour) {
  // The period starts on a Monday at 00:00 UTC.
  std::uint32_t day = hour / 24 % 7;
  return day >= 5 ? kWeekend[hour % 24] : kWeekday[hour % 24];
}

double Speed(const Road& road, Rng& rng) {  // metres per second
  return road.motorway ? 27.0 + 6.0 * rng.Unit() : 18.0 + 7.0 * rng.Unit();
}

std::uint32_t SiteAt(const Road& road, std::uint32_t position, bool forward) {
  return forward ? road.forward_site[position] : road.reverse_site[position];
}

class HourGenerator {
 public:
  explicit HourGenerator(const World& world) : world_(world) {
    const std::uint32_t hours = world.hours();
    convoys_at_.resize(hours);
    clones_at_.resize(hours);
    std::uint64_t planted = 0;
    for (std::size_t c = 0; c < world.convoys().size(); ++c) {
      const Convoy& convoy = world.convoys()[c];
      for (std::size_t o = 0; o < convoy.occasions.size(); ++o) {
        convoys_at_[convoy.occasions[o].hour].push_back({c, o});
        planted += convoy.occasions[o].length * convoy.vehicles.size();
      }
    }
    for (std::size_t c = 0; c < world.clones().size(); ++c) {
      for (std::size_t o = 0; o < world.clones()[c].occasions.size(); ++o) {
        clones_at_[world.clones()[c].occasions[o].hour].push_back({c, o});
        planted += 2;
      }
    }
    ordinary_ = world.counts().reads > planted ? world.counts().reads - planted : 0;
    for (std::uint32_t h = 0; h < hours; ++h) total_weight_ += HourWeight(h);
    // Vehicles in a planted event make no ordinary journey within 6 hours of it, so the
    // planted reads are the only ones that could put them in two places at once.
    blocked_at_.resize(hours);
    auto block = [&](std::uint32_t hour, std::uint64_t vehicle) {
      for (std::int64_t h = std::int64_t{hour} - kPlantedQuietHours;
           h <= std::int64_t{hour} + kPlantedQuietHours; ++h) {
        if (h >= 0 && h < std::int64_t{hours}) blocked_at_[h].push_back(vehicle);
      }
    };
    for (const Convoy& convoy : world.convoys()) {
      for (const ConvoyOccasion& o : convoy.occasions) {
        for (std::uint64_t v : convoy.vehicles) block(o.hour, v);
      }
    }
    for (const Clone& clone : world.clones()) {
      for (const CloneOccasion& o : clone.occasions) {
        block(o.hour, clone.genuine);
        block(o.hour, clone.clone);
      }
    }
  }

  // Generates hour `h`'s reads, sorted by time.
  void Generate(std::uint32_t h, std::vector<PendingRead>* out) {
    out->clear();
    seq_ = 0;
    blocked_.clear();
    blocked_.insert(blocked_at_[h].begin(), blocked_at_[h].end());
    used_.clear();
    const std::int64_t start = world_.period_start() + 3600LL * h;
    Rng rng(Mix(world_.config().seed, kStreamHour, h));
    for (auto [c, o] : convoys_at_[h]) PlantConvoy(world_.convoys()[c], o, start, rng, out);
    for (auto [c, o] : clones_at_[h]) PlantClone(world_.clones()[c], o, start, rng, out);
    cumulative_weight_ += HourWeight(h);
    const auto target = static_cast<std::uint64_t>(
        std::llround(static_cast<double>(ordinary_) * cumulative_weight_ / total_weight_));
    std::uint64_t budget = target - std::min(target, produced_);
    std::uint64_t attempts = 0;
    while (budget > 0 && attempts++ < 20 * budget + 1000) {
      std::uint64_t produced = Journey(start, budget, rng, out);
      budget -= produced;
      produced_ += produced;
    }
    std::sort(out->begin(), out->end(), [](const PendingRead& a, const PendingRead& b) {
      if (a.t != b.t) return a.t < b.t;
      if (a.ms != b.ms) return a.ms < b.ms;
      return a.seq < b.seq;
    });
  }

 private:
  void Add(const Vehicle& v, std::string vrm, std::uint32_t site, std::int64_t t, Rng& rng,
           bool planted, std::vector<PendingRead>* out) {
    const Site& s = world_.network().sites[site];
    const Road& road = world_.network().roads[s.road];
    PendingRead r;
    r.t = t;
    r.ms = static_cast<std::uint32_t>(rng.Below(1000));
    r.site = site;
    r.lane = static_cast<std::uint32_t>(1 + rng.Below(road.motorway ? 3 : 2));
    r.seq = seq_++;
    r.vrm = std::move(vrm);
    if (s.reports_make) {
      r.make = static_cast<std::int32_t>(v.make);
      r.colour = static_cast<std::int32_t>(v.colour);
    }
    r.confidence = static_cast<float>(std::round((0.8 + 0.19 * rng.Unit()) * 1000) / 1000);
    r.planted = planted;
    out->push_back(std::move(r));
  }

  void PlantConvoy(const Convoy& c, std::size_t o, std::int64_t start, Rng& rng,
                   std::vector<PendingRead>* out) {
    const ConvoyOccasion& occ = c.occasions[o];
    const Road& road = world_.network().roads[occ.road];
    std::vector<Vehicle> vehicles;
    for (std::uint64_t v : c.vehicles) {
      vehicles.push_back(world_.VehicleAt(v));
      blocked_.insert(v);
    }
    const double speed = Speed(road, rng);
    std::vector<double> at{0};
    for (std::uint32_t k = 1; k < occ.length; ++k) {
      std::uint32_t p0 = occ.forward ? occ.start + k - 1 : occ.start - k + 1;
      std::uint32_t p1 = occ.forward ? p0 + 1 : p0 - 1;
      at.push_back(at.back() + std::fabs(road.pos_km[p1] - road.pos_km[p0]) * 1000 / speed);
    }
    const double span = std::min(at.back(), 3000.0);
    const std::int64_t t0 =
        start +
        static_cast<std::int64_t>(occ.start_second % static_cast<std::uint32_t>(3600 - span - 120));
    for (std::uint32_t k = 0; k < occ.length; ++k) {
      std::uint32_t p = occ.forward ? occ.start + k : occ.start - k;
      std::uint32_t site = SiteAt(road, p, occ.forward);
      for (std::size_t v = 0; v < vehicles.size(); ++v) {
        std::int64_t jitter = v == 0 ? 0 : rng.Range(-3, 3);
        std::int64_t t =
            t0 + static_cast<std::int64_t>(std::min(at[k], 3000.0)) + c.offsets[v] + jitter;
        Add(vehicles[v], vehicles[v].vrm, site, t, rng, true, out);
      }
    }
  }

  void PlantClone(const Clone& c, std::size_t o, std::int64_t start, Rng& rng,
                  std::vector<PendingRead>* out) {
    const CloneOccasion& occ = c.occasions[o];
    blocked_.insert(c.genuine);
    blocked_.insert(c.clone);
    const Vehicle genuine = world_.VehicleAt(c.genuine);
    const Vehicle cloner = world_.VehicleAt(c.clone);
    Add(genuine, genuine.vrm, occ.site_a, start + occ.second_a, rng, true, out);
    Add(cloner, genuine.vrm, occ.site_b, start + occ.second_b, rng, true, out);
  }

  // A round trip from the vehicle's home camera position: out along its home road past up to
  // 4 cameras on one carriageway, a stop, and back past the same cameras on the other, all
  // within the hour. Every journey starts and ends at the home position, so consecutive
  // journeys of a vehicle are always reachable (no plate is in two places at once).
  std::uint64_t Journey(std::int64_t start, std::uint64_t budget, Rng& rng,
                        std::vector<PendingRead>* out) {
    const Counts& counts = world_.counts();
    std::uint64_t j = rng.Chance(0.85) ? world_.ActiveVehicle(rng)
                                       : counts.vehicles + rng.Below(counts.transients);
    if (blocked_.contains(j) || !used_.insert(j).second) return 0;
    const Vehicle v = world_.VehicleAt(j);
    const Road& road = world_.network().roads[v.home_road];
    const auto n = static_cast<std::int64_t>(road.pos_km.size());
    const std::int64_t home = v.home_position;
    const bool forward = home == 0 || (home + 1 < n && rng.Chance(0.5));
    const double speed = Speed(road, rng);
    const auto dwell = static_cast<double>(rng.Range(120, 900));
    std::int64_t length = rng.Geometric(1, 0.8, 4);
    length = std::min<std::int64_t>(length, forward ? n - home : home + 1);
    auto km_to = [&](std::int64_t k) {  // distance from home to the k-th camera out
      return std::fabs(road.pos_km[forward ? home + k : home - k] - road.pos_km[home]);
    };
    while (length > 1 && 2 * km_to(length - 1) * 1000 / speed + dwell > 3000) --length;
    const double turn = km_to(length - 1) * 1000 / speed + dwell;  // back at the far camera
    std::vector<std::pair<std::uint32_t, double>> stops;           // (site, seconds from start)
    for (std::int64_t k = 0; k < length; ++k) {
      auto p = static_cast<std::uint32_t>(forward ? home + k : home - k);
      stops.push_back({SiteAt(road, p, forward), km_to(k) * 1000 / speed});
    }
    for (std::int64_t k = length - 1; k >= 0; --k) {
      auto p = static_cast<std::uint32_t>(forward ? home + k : home - k);
      stops.push_back(
          {SiteAt(road, p, !forward), turn + (km_to(length - 1) - km_to(k)) * 1000 / speed});
    }
    if (stops.size() > budget) stops.resize(budget);  // the hour's last reads
    const std::int64_t t0 =
        start + rng.Range(0, 3599 - static_cast<std::int64_t>(stops.back().second));
    const bool may_misread = j < counts.vehicles && !world_.IsBadPnc(counts.persons + j);
    for (const auto& [site, offset] : stops) {
      Add(v, v.vrm, site, t0 + static_cast<std::int64_t>(offset), rng, false, out);
      if (may_misread && rng.Chance(kMisreadRate)) {
        std::vector<std::string> candidates = MisreadCandidates(v.vrm);
        if (!candidates.empty()) {
          PendingRead& r = out->back();
          r.true_vrm = v.vrm;
          r.vrm = candidates[rng.Below(candidates.size())];
          r.confidence = static_cast<float>(std::round((0.55 + 0.25 * rng.Unit()) * 1000) / 1000);
        }
      }
    }
    return stops.size();
  }

  const World& world_;
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> convoys_at_, clones_at_;
  std::uint64_t ordinary_ = 0, produced_ = 0, seq_ = 0;
  double total_weight_ = 0, cumulative_weight_ = 0;
  std::vector<std::vector<std::uint64_t>> blocked_at_;
  absl::flat_hash_set<std::uint64_t> blocked_, used_;
};

}  // namespace

absl::Status WriteAnpr(const World& world, const std::string& path, Truth* truth) {
  pb::ExtractHeader header;
  header.set_source(pb::ANPR);
  header.set_force("NADC");
  header.set_extracted_at(world.extracted_at());
  header.set_schema_version(kExtractSchemaVersion);
  header.set_extract_id(absl::StrCat("ANPR-", world.config().seed, "-", world.extracted_at()));
  auto writer = ExtractWriter::Create(path, header);
  if (!writer.ok()) return writer.status();
  pb::AnprRecord record;
  const auto& sites = world.network().sites;
  std::uint64_t index = 0;
  for (const Site& s : sites) {
    record.Clear();
    pb::Site* site = record.mutable_site();
    pb::RecordMeta* meta = site->mutable_meta();
    meta->set_record_id(absl::StrCat("SITE-", s.id));
    meta->mutable_marking()->set_owning_force(std::string(Towns()[s.town].force));
    meta->mutable_marking()->set_classification(s.camera == pb::COVERT ? pb::OFFICIAL_SENSITIVE
                                                                       : pb::OFFICIAL);
    site->set_site_id(s.id);
    site->set_latitude(s.lat);
    site->set_longitude(s.lon);
    site->set_road(world.network().roads[s.road].name);
    site->set_direction(s.direction);
    site->set_camera(s.camera);
    if (absl::Status st = (*writer)->Append(record); !st.ok()) return st;
    ++index;
  }
  truth->sites = sites.size();
  HourGenerator generator(world);
  std::vector<PendingRead> reads;
  for (std::uint32_t h = 0; h < world.hours(); ++h) {
    generator.Generate(h, &reads);
    for (const PendingRead& r : reads) {
      const Site& s = sites[r.site];
      record.Clear();
      pb::Read* read = record.mutable_read();
      pb::RecordMeta* meta = read->mutable_meta();
      meta->set_record_id(absl::StrCat("R", index));
      meta->mutable_marking()->set_owning_force(std::string(Towns()[s.town].force));
      meta->mutable_marking()->set_classification(s.camera == pb::COVERT ? pb::OFFICIAL_SENSITIVE
                                                                         : pb::OFFICIAL);
      read->set_vrm(r.vrm);
      read->set_site_id(s.id);
      read->set_lane(r.lane);
      read->set_read_at(r.t);
      read->set_read_at_ms(r.ms);
      read->set_confidence(r.confidence);
      if (r.make >= 0) {
        read->set_make(std::string(Makes()[static_cast<std::size_t>(r.make)].make));
        read->set_colour(std::string(Colours()[static_cast<std::size_t>(r.colour)]));
      }
      const bool misread = !r.true_vrm.empty();
      if (misread) truth->misreads.push_back({r.true_vrm, r.vrm, index});
      if (world.IsBad(2, index, r.planted || misread)) {
        Rng rng(Mix(world.config().seed, kStreamBad, 12, index));
        truth->bad_records.push_back({"anpr.pb", index, CorruptAnpr(&record, rng)});
      }
      if (absl::Status st = (*writer)->Append(record); !st.ok()) return st;
      ++index;
      ++truth->reads;
    }
  }
  truth->anpr_records = (*writer)->records_written();
  return (*writer)->Finish();
}

}  // namespace polegraph::gen
