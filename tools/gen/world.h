// The synthetic world behind polegraph-gen's extracts: counts for a scale, people (PNC
// nominals), vehicles, organised crime groups, the planted ANPR events (convoys and clones),
// the people duplicated into PND, and which records are deliberately made invalid.
//
// People and vehicles are pure functions of (seed, index) — PersonAt(i), VehicleAt(j) — so
// the writers generate records in any order without holding the population in memory. Only
// small things are stored: per-person arrest counts (prefix sums, 4 bytes a person), groups,
// and the planted events. See the README (polegraph-gen and truth.json) for what is planted and how it is reported.
#ifndef POLEGRAPH_TOOLS_GEN_WORLD_H_
#define POLEGRAPH_TOOLS_GEN_WORLD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "geo.h"
#include "names.h"
#include "polegraph/common.pb.h"
#include "rng.h"

namespace polegraph::gen {

struct Config {
  double scale = 1;
  std::uint64_t seed = 1;
  double bad_fraction = 0;
};

struct Counts {
  std::uint64_t persons = 0, vehicles = 0, transients = 0, addresses = 0;
  std::uint64_t undetected_crimes = 0, intel = 0, custody = 0, reads = 0;
  std::uint32_t site_positions = 0, groups = 0, clones = 0, convoys = 0;
};
Counts CountsFor(double scale);

struct Date3 {
  int year, month, day;
};
Date3 DayToDate(std::int64_t epoch_day);
std::int64_t DateToDay(int year, int month, int day);

struct Person {
  std::uint64_t index = 0;
  std::string pnc_id;        // canonical "YY/NNNNNNNA"
  std::string pnc_id_shown;  // as the PNC record writes it (sometimes unpadded)
  std::string cro;           // empty when none
  NameParts name;
  std::vector<NameParts> aliases;
  bool male = true;
  std::int64_t dob_day = 0;
  std::vector<std::int64_t> alt_dob_days;
  std::uint64_t home_address = 0;
  std::int64_t previous_address = -1;
};

struct Vehicle {
  std::uint64_t index = 0;
  std::string vrm;        // normalised (no spaces)
  std::string vrm_shown;  // as registered, with the space
  std::string vin;        // empty for transient (unregistered here) vehicles
  std::uint32_t make = 0, model = 0, colour = 0;
  std::int64_t registered = 0;  // UTC seconds
  std::uint32_t home_road = 0, home_position = 0;
};

struct MakeInfo {
  std::string_view make, wmi;
  std::vector<std::string_view> models;
};
const std::vector<MakeInfo>& Makes();
const std::vector<std::string_view>& Colours();

struct Group {
  std::uint32_t id = 0, town = 0;
  std::vector<std::uint64_t> members;    // person indices
  std::vector<std::uint64_t> vehicles;   // vehicle indices
  std::vector<std::uint64_t> addresses;  // address indices where members live
  std::vector<std::uint64_t> crimes;     // PND indices of the group's crimes
};

// A planted ANPR journey of several plates together, or a clone pair of reads.
struct ConvoyOccasion {
  std::uint32_t hour = 0, road = 0, start = 0, length = 0, start_second = 0;
  bool forward = true;
};
struct Convoy {
  std::uint32_t group = 0;
  std::vector<std::uint64_t> vehicles;  // lead first
  std::vector<std::uint32_t> offsets;   // seconds behind the lead, per vehicle
  std::vector<ConvoyOccasion> occasions;
};
struct CloneOccasion {
  std::uint32_t hour = 0, site_a = 0, site_b = 0, second_a = 0, second_b = 0;
};
struct Clone {
  std::uint64_t genuine = 0, clone = 0;  // vehicle indices: the real one and the cloner
  std::vector<CloneOccasion> occasions;
};

struct GroupCrime {
  std::uint32_t group = 0;
  std::vector<std::uint64_t> people;  // members involved
  std::vector<bool> arrested;         // per person: ARRESTED (else SUSPECT)
  std::vector<std::uint64_t> vehicles;
};
struct GroupIntel {
  std::uint32_t group = 0;
  std::vector<std::uint64_t> subjects, associates, vehicles;
  std::uint64_t address = 0;
};

struct Offence {
  std::string_view code, description;
  double weight;
};
const std::vector<Offence>& Offences();

class World {
 public:
  explicit World(const Config& config);

  const Config& config() const { return config_; }
  const Counts& counts() const { return counts_; }
  const Network& network() const { return network_; }
  std::int64_t period_start() const { return period_start_; }  // first ANPR hour, UTC
  std::uint32_t hours() const { return 28 * 24; }
  std::int64_t extracted_at() const { return period_start_ + 28 * 86400 + 6 * 3600; }

  Person PersonAt(std::uint64_t i) const;
  // PNC vehicles are 0 .. vehicles-1; transient (unlisted) vehicles follow.
  Vehicle VehicleAt(std::uint64_t j) const;
  std::string NominalRecordId(std::uint64_t i) const;

  // People drawn with a heavy tail (a few very active offenders).
  std::uint64_t ActivePerson(Rng& rng) const;
  std::uint64_t ActiveVehicle(Rng& rng) const;

  // Arrests: person i is arrested for detected crimes arrest_begin(i) .. arrest_begin(i+1)-1
  // (slots); slot s is PND crime index DetectedCrimeIndex(s).
  std::uint64_t arrest_begin(std::uint64_t i) const { return arrest_prefix_[i]; }
  std::uint64_t detected_crimes() const { return arrest_prefix_.back(); }
  std::uint64_t DetectedCrimeIndex(std::uint64_t slot) const;
  std::uint64_t SlotOfDetectedCrime(std::uint64_t crime_index) const;
  std::uint64_t PersonOfSlot(std::uint64_t slot) const;

  // PND layout: [group crimes][detected][undetected][group intel][intel][custody][duplicates].
  std::uint64_t group_crimes() const { return group_crimes_; }
  std::uint64_t crimes_end() const {
    return group_crimes_ + detected_crimes() + counts_.undetected_crimes;
  }
  std::uint64_t group_intel_begin() const { return crimes_end(); }
  std::uint64_t intel_begin() const { return crimes_end() + group_intel_; }
  std::uint64_t custody_begin() const { return intel_begin() + counts_.intel; }
  std::uint64_t duplicates_begin() const { return custody_begin() + counts_.custody; }
  std::uint64_t pnd_end() const { return duplicates_begin() + duplicate_records_.size(); }
  std::uint64_t pnc_end() const { return counts_.persons + counts_.vehicles; }

  // Crime reference and core attributes of PND crime index c (any block).
  std::string CrimeReference(std::uint64_t c) const;
  struct CrimeCore {
    std::int64_t from = 0, to = 0, arrest_at = 0;
    std::uint32_t hotspot = 0, place = 0, offence = 0;
    std::string force;
  };
  CrimeCore CrimeAt(std::uint64_t c) const;

  const std::vector<Group>& groups() const { return groups_; }
  const std::vector<GroupCrime>& group_crime_list() const { return group_crime_list_; }
  const std::vector<GroupIntel>& group_intel_list() const { return group_intel_list_; }
  const std::vector<Convoy>& convoys() const { return convoys_; }
  const std::vector<Clone>& clones() const { return clones_; }
  // The person index named by each duplicate record, in PND order (see duplicates_begin()).
  const std::vector<std::uint64_t>& duplicate_records() const { return duplicate_records_; }
  bool IsGroupMember(std::uint64_t person) const { return member_group_.contains(person); }
  int GroupOfMember(std::uint64_t person) const;
  bool IsDuplicated(std::uint64_t person) const { return duplicated_set_.contains(person); }

  // Whether record `index` of `file` (0 PNC, 1 PND, 2 ANPR) is to be made invalid. Records
  // that planted truth depends on are never chosen (`protected_record`).
  bool IsBad(int file, std::uint64_t index, bool protected_record) const;
  bool IsBadPnc(std::uint64_t index) const;
  bool IsPlantedVehicle(std::uint64_t j) const { return planted_vehicles_.contains(j); }

  // A non-PNC person (victim, witness, keeper) by number: dates of birth never fall on the
  // days used by PNC people (see the README (polegraph-gen and truth.json)), so they cannot merge with them by name + dob.
  void MakeOtherPerson(std::uint64_t key, pb::PersonRef* out) const;
  void SetPersonRef(const Person& p, pb::PersonRef* out) const;
  void SetVehicleRef(const Vehicle& v, pb::VehicleRef* out) const;
  void SetMarking(Rng& rng, const std::string& force, double sensitive, double secret,
                  pb::RecordMeta* meta, const std::string& record_id) const;

 private:
  void PlanGroups();
  void PlanAnpr();
  void PlanDuplicates();

  Config config_;
  Counts counts_;
  Network network_;
  std::int64_t period_start_ = 0;
  Permutation person_serial_, cro_serial_, vehicle_rank_, detected_perm_, vin_serial_;
  Permutation vrm_current_, vrm_prefix_, vrm_suffix_, vrm_dateless_;
  std::vector<std::uint32_t> arrest_prefix_;  // size persons+1
  std::uint64_t group_crimes_ = 0, group_intel_ = 0;
  std::vector<Group> groups_;
  std::vector<GroupCrime> group_crime_list_;
  std::vector<GroupIntel> group_intel_list_;
  std::vector<Convoy> convoys_;
  std::vector<Clone> clones_;
  std::vector<std::uint64_t> duplicate_records_;
  absl::flat_hash_set<std::uint64_t> duplicated_set_, planted_vehicles_;
  absl::flat_hash_map<std::uint64_t, std::uint32_t> member_group_;
};

}  // namespace polegraph::gen

#endif  // POLEGRAPH_TOOLS_GEN_WORLD_H_
