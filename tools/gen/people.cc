// Stateless entities of the synthetic world: people (PNC nominals), vehicles (PNC and
// transient), other people (victims, witnesses, keepers not on the PNC), and the reference
// and marking helpers the writers share. Everything here is a pure function of the seed and
// an index; see world.h.
#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ids.h"
#include "world.h"

namespace polegraph::gen {
namespace {

constexpr std::string_view kLetters24 = "ABCDEFGHJKLMNOPRSTUVWXYZ";  // no I, Q
constexpr std::string_view kTagFirst = "ABCDEFGHKLMNOPRSVWY";        // 19 memory-tag regions
constexpr std::string_view kTagSecond = "ABCDEFGHJKLMNOPRSTUVWXY";   // 23
constexpr std::string_view kYearLetters = "ABCDEFGHJKLMNPRSTVWXY";   // 21 (prefix/suffix)

const std::vector<MakeInfo> kMakes = {
    {"FORD", "WF0", {"FIESTA", "FOCUS", "TRANSIT", "KUGA"}},
    {"VAUXHALL", "W0L", {"CORSA", "ASTRA", "INSIGNIA", "VIVARO"}},
    {"VOLKSWAGEN", "WVW", {"GOLF", "POLO", "PASSAT", "TIGUAN"}},
    {"BMW", "WBA", {"1 SERIES", "3 SERIES", "5 SERIES", "X5"}},
    {"MERCEDES-BENZ", "WDD", {"A CLASS", "C CLASS", "E CLASS", "SPRINTER"}},
    {"AUDI", "WAU", {"A3", "A4", "Q5"}},
    {"TOYOTA", "SB1", {"YARIS", "COROLLA", "PRIUS", "RAV4"}},
    {"NISSAN", "SJN", {"QASHQAI", "JUKE", "MICRA"}},
    {"KIA", "KNA", {"SPORTAGE", "PICANTO", "CEED"}},
    {"HYUNDAI", "KMH", {"TUCSON", "I10", "I30"}},
    {"PEUGEOT", "VF3", {"208", "308", "3008"}},
    {"RENAULT", "VF1", {"CLIO", "MEGANE", "CAPTUR"}},
    {"SKODA", "TMB", {"OCTAVIA", "FABIA", "SUPERB"}},
    {"LAND ROVER", "SAL", {"RANGE ROVER", "DISCOVERY", "DEFENDER"}},
    {"HONDA", "SHH", {"CIVIC", "JAZZ", "CR-V"}},
    {"MINI", "WMW", {"HATCH", "COUNTRYMAN"}},
    {"VOLVO", "YV1", {"XC60", "XC90", "V40"}},
    {"TESLA", "5YJ", {"MODEL 3", "MODEL Y"}},
    {"FIAT", "ZFA", {"500", "PANDA"}},
    {"CITROEN", "VF7", {"C3", "BERLINGO"}},
};
const std::vector<std::string_view> kColours = {"BLACK",  "SILVER", "GREY",   "WHITE",
                                                "BLUE",   "RED",    "GREEN",  "BROWN",
                                                "YELLOW", "ORANGE", "PURPLE", "BEIGE"};

const WeightedTable& MakeTable() {
  static const WeightedTable t = WeightedTable::Zipf(kMakes.size(), 0.9);
  return t;
}
const WeightedTable& ColourTable() {
  static const WeightedTable t = WeightedTable::Zipf(kColours.size(), 1.1);
  return t;
}

std::int64_t FloorMod(std::int64_t a, std::int64_t m) { return ((a % m) + m) % m; }

// Moves `day` back to the nearest day with day % 3 == cls (see the README (polegraph-gen and truth.json) on dates of birth).
std::int64_t DayOfClass(std::int64_t day, int cls) { return day - FloorMod(day - cls, 3); }

}  // namespace

const std::vector<MakeInfo>& Makes() { return kMakes; }
const std::vector<std::string_view>& Colours() { return kColours; }

Person World::PersonAt(std::uint64_t i) const {
  Person p;
  p.index = i;
  Rng rng(Mix(config_.seed, kStreamPerson, i));
  p.male = rng.Chance(0.8);
  p.name = DrawName(rng, p.male);
  const std::int64_t start_day = period_start_ / 86400;
  const std::int64_t age_days =
      static_cast<std::int64_t>((16 + rng.SkewedRank(55, 1.6)) * 365.25) + rng.Range(0, 364);
  p.dob_day = DayOfClass(start_day - age_days, IsDuplicated(i) ? 1 : 0);
  if (rng.Chance(0.1)) {
    static constexpr int kOffsets[] = {3, -3, 6, 363, -366, 1095, -1095, 30};
    p.alt_dob_days.push_back(p.dob_day + kOffsets[rng.Below(std::size(kOffsets))]);
  }
  if (rng.Chance(0.15)) {
    int n = rng.Chance(0.7) ? 1 : 2;
    for (int k = 0; k < n; ++k) {
      NameParts a = p.name;
      a.middle.clear();
      if (rng.Chance(0.5))
        a.forename = DrawForename(rng, p.male);
      else
        a.surname = DrawSurname(rng);
      p.aliases.push_back(a);
    }
  }
  int birth_year = DayToDate(p.dob_day).year;
  const int first = std::max(1990, birth_year + 16), last = DayToDate(start_day).year;
  const int created = first >= last ? last : first + static_cast<int>(rng.Below(last - first + 1));
  const auto serial = static_cast<std::uint32_t>(person_serial_(i));
  p.pnc_id = FormatPncId(created % 100, serial, true);
  p.pnc_id_shown = rng.Chance(0.1) ? FormatPncId(created % 100, serial, false) : p.pnc_id;
  if (rng.Chance(0.6)) {
    std::uint64_t code = cro_serial_(i);
    p.cro = FormatCro(static_cast<std::uint32_t>(code % 1000000),
                      static_cast<int>((90 + code / 1000000) % 100));
  }
  p.home_address = rng.Below(counts_.addresses);
  if (rng.Chance(0.3)) p.previous_address = static_cast<std::int64_t>(rng.Below(counts_.addresses));
  if (auto it = member_group_.find(i); it != member_group_.end()) {
    const Group& g = groups_[it->second];
    p.home_address = g.addresses[rng.Below(g.addresses.size())];
    p.previous_address = static_cast<std::int64_t>(g.addresses[rng.Below(g.addresses.size())]);
  }
  return p;
}

std::string World::NominalRecordId(std::uint64_t i) const { return absl::StrCat("PNC-N-", i); }

Vehicle World::VehicleAt(std::uint64_t j) const {
  Vehicle v;
  v.index = j;
  Rng rng(Mix(config_.seed, j < counts_.vehicles ? kStreamVehicle : kStreamTransient, j));
  double u = rng.Unit();
  int year = 2010, month = 3;
  if (u < 0.92) {  // current format: AB12 CDE
    std::uint64_t code = vrm_current_(j);
    std::uint64_t letters = code % 13824;
    code /= 13824;
    // Age identifiers count back from the last half-year that began a month before the
    // period: 0 = that half-year, 1 = the one before, ... (never after the extract).
    const Date3 ref = DayToDate(period_start_ / 86400 - 30);
    const int latest = 2 * (ref.year - 2001) - (ref.month >= 9 ? 0 : ref.month >= 3 ? 1 : 2);
    const int half = std::max(0, latest - static_cast<int>(code % kCurrentAges));
    code /= kCurrentAges;
    char second = kTagSecond[code % 23], first = kTagFirst[(code / 23) % 19];
    year = 2001 + (half + 1) / 2;
    month = half % 2 == 0 ? 9 : 3;
    const int age_id = year % 100 + (month == 9 ? 50 : 0);
    v.vrm_shown =
        absl::StrFormat("%c%c%02d %c%c%c", first, second, age_id, kLetters24[letters / 576],
                        kLetters24[(letters / 24) % 24], kLetters24[letters % 24]);
  } else if (u < 0.96) {  // prefix: A123 BCD (1983-2001)
    std::uint64_t code = vrm_prefix_(j);
    std::uint64_t letters = code % 13824;
    code /= 13824;
    int number = static_cast<int>(code % 999) + 1;
    int y = static_cast<int>((code / 999) % 21);
    year = 1983 + y;
    month = 8;
    v.vrm_shown = absl::StrFormat("%c%d %c%c%c", kYearLetters[y], number, kLetters24[letters / 576],
                                  kLetters24[(letters / 24) % 24], kLetters24[letters % 24]);
  } else if (u < 0.985) {  // suffix: ABC 123D (1963-1983)
    std::uint64_t code = vrm_suffix_(j);
    std::uint64_t letters = code % 13824;
    code /= 13824;
    int number = static_cast<int>(code % 999) + 1;
    int y = static_cast<int>((code / 999) % 21);
    year = 1963 + y;
    month = 1;
    v.vrm_shown =
        absl::StrFormat("%c%c%c %d%c", kLetters24[letters / 576], kLetters24[(letters / 24) % 24],
                        kLetters24[letters % 24], number, kYearLetters[y]);
  } else {  // dateless / cherished: ABC 123
    std::uint64_t code = vrm_dateless_(j);
    std::uint64_t letters = code % 13824;
    int number = static_cast<int>((code / 13824) % 999) + 1;
    year = 2000 + static_cast<int>(rng.Below(25));
    v.vrm_shown =
        absl::StrFormat("%c%c%c %d", kLetters24[letters / 576], kLetters24[(letters / 24) % 24],
                        kLetters24[letters % 24], number);
  }
  for (char c : v.vrm_shown) {
    if (c != ' ') v.vrm += c;
  }
  // Times are UTC seconds and ingest rejects negative ones: marks issued before 1970 count
  // from 1970 (as if the current keeper's record began then).
  v.registered = std::max<std::int64_t>(
      DateToDay(year, month, 1 + static_cast<int>(rng.Below(28))) * 86400, 86400 * 2);
  v.make = static_cast<std::uint32_t>(MakeTable().Pick(rng));
  v.model = static_cast<std::uint32_t>(rng.Below(kMakes[v.make].models.size()));
  v.colour = static_cast<std::uint32_t>(ColourTable().Pick(rng));
  v.home_road = static_cast<std::uint32_t>(network_.road_by_length.Pick(rng));
  v.home_position =
      static_cast<std::uint32_t>(rng.Below(network_.roads[v.home_road].pos_km.size()));
  if (j < counts_.vehicles) {
    std::string vin(kMakes[v.make].wmi);
    for (int k = 0; k < 5; ++k) vin += kVinChars[rng.Below(kVinChars.size())];
    vin += '0';  // check digit placeholder
    static constexpr std::string_view kModelYear = "ABCDEFGHJKLMNPRSTVWXY123456789";
    vin += kModelYear[static_cast<std::size_t>(std::max(0, year - 1980)) % kModelYear.size()];
    const std::uint64_t code = vin_serial_(j);  // distinct per vehicle
    vin += kVinChars[(code / 1000000) % kVinChars.size()];
    vin += absl::StrFormat("%06u", static_cast<unsigned>(code % 1000000));
    vin[8] = VinCheckDigit(vin);
    v.vin = vin;
  }
  return v;
}

std::uint64_t World::ActivePerson(Rng& rng) const {
  if (detected_crimes() > 0 && rng.Chance(0.7)) return PersonOfSlot(rng.Below(detected_crimes()));
  return rng.Below(counts_.persons);
}

std::uint64_t World::ActiveVehicle(Rng& rng) const {
  if (rng.Chance(0.5)) return vehicle_rank_(rng.SkewedRank(counts_.vehicles, 2.0));
  return rng.Below(counts_.vehicles);
}

void World::MakeOtherPerson(std::uint64_t key, pb::PersonRef* out) const {
  Rng rng(Mix(config_.seed, kStreamVictim, key));
  bool male = rng.Chance(0.5);
  SetName(DrawName(rng, male), out->mutable_name());
  const std::int64_t start_day = period_start_ / 86400;
  std::int64_t day = DayOfClass(start_day - rng.Range(6 * 365, 90 * 365), 2);
  Date3 d = DayToDate(day);
  out->mutable_date_of_birth()->set_year(d.year);
  out->mutable_date_of_birth()->set_month(d.month);
  out->mutable_date_of_birth()->set_day(d.day);
  out->set_sex(male ? pb::MALE : pb::FEMALE);
  if (rng.Chance(0.5))
    MakeAddress(config_.seed, rng.Below(counts_.addresses), out->mutable_address(), nullptr);
}

void World::SetPersonRef(const Person& p, pb::PersonRef* out) const {
  out->set_pnc_id(p.pnc_id);
  SetName(p.name, out->mutable_name());
  Date3 d = DayToDate(p.dob_day);
  out->mutable_date_of_birth()->set_year(d.year);
  out->mutable_date_of_birth()->set_month(d.month);
  out->mutable_date_of_birth()->set_day(d.day);
  out->set_sex(p.male ? pb::MALE : pb::FEMALE);
}

void World::SetVehicleRef(const Vehicle& v, pb::VehicleRef* out) const {
  out->set_vrm(v.vrm_shown);
  if (!v.vin.empty()) out->set_vin(v.vin);
  out->set_make(std::string(kMakes[v.make].make));
  out->set_model(std::string(kMakes[v.make].models[v.model]));
  out->set_colour(std::string(kColours[v.colour]));
}

void World::SetMarking(Rng& rng, const std::string& force, double sensitive, double secret,
                       pb::RecordMeta* meta, const std::string& record_id) const {
  meta->set_record_id(record_id);
  pb::Marking* m = meta->mutable_marking();
  m->set_owning_force(force);
  double u = rng.Unit();
  if (u < secret) {
    m->set_classification(pb::SECRET);
    m->add_caveats("UK EYES ONLY");
  } else if (u < secret + sensitive) {
    m->set_classification(pb::OFFICIAL_SENSITIVE);
    m->add_caveats(rng.Chance(0.7) ? "PERSONAL" : "LOCSEN");
  } else {
    m->set_classification(pb::OFFICIAL);
  }
}

// Civil-from-days and days-from-civil (proleptic Gregorian), after H. Hinnant's algorithms.
Date3 DayToDate(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0)), m, d};
}

std::int64_t DateToDay(int year, int month, int day) {
  const std::int64_t y = year - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace polegraph::gen
