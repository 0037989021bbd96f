// PNC extract writer: nominals (people) then vehicles. Record i < persons is the nominal of
// person i; record persons + j is vehicle j. See the README (polegraph-gen and truth.json).
#include <map>

#include "absl/strings/str_cat.h"
#include "ids.h"
#include "output.h"
#include "polegraph/extract.h"

namespace polegraph::gen {
namespace {

void AddArrest(const World& world, std::uint64_t crime, Rng& rng, pb::Nominal* n) {
  World::CrimeCore core = world.CrimeAt(crime);
  const std::string ref = world.CrimeReference(crime);
  const Offence& offence = Offences()[core.offence];
  pb::Arrest* a = n->add_arrests();
  a->set_arrest_id(absl::StrCat("ARR-", crime));
  a->set_arrested_at(core.arrest_at);
  a->set_offence_code(std::string(offence.code));
  a->set_crime_reference(ref);
  a->set_arresting_force(core.force);
  if (!rng.Chance(0.6)) return;
  // Cases not yet disposed of by the time of the extract have no disposal.
  const std::int64_t disposal_date = core.arrest_at + 86400 * rng.Range(20, 300);
  if (disposal_date >= world.period_start()) return;
  pb::Disposal* d = n->add_disposals();
  double u = rng.Unit();
  d->set_type(u < 0.55  ? pb::CONVICTION
              : u < 0.8 ? pb::CAUTION
              : u < 0.9 ? pb::ACQUITTAL
                        : pb::PENALTY_NOTICE);
  d->set_offence_code(std::string(offence.code));
  d->set_offence_date(core.from);
  d->set_disposal_date(disposal_date);
  const std::string town(Towns()[HotspotTownOf(core.hotspot)].name);
  d->set_court(rng.Chance(0.8) ? absl::StrCat(town, " Magistrates' Court")
                               : absl::StrCat(town, " Crown Court"));
  d->set_crime_reference(ref);
  switch (d->type()) {
    case pb::CONVICTION: {
      static constexpr const char* kOutcomes[] = {
          "FINE 200", "COMMUNITY ORDER 12 MONTHS", "IMPRISONMENT 18 MONTHS",
          "SUSPENDED SENTENCE 6 MONTHS", "CONDITIONAL DISCHARGE"};
      d->set_outcome(kOutcomes[rng.Below(std::size(kOutcomes))]);
      break;
    }
    case pb::CAUTION:
      d->set_outcome("SIMPLE CAUTION");
      break;
    case pb::ACQUITTAL:
      d->set_outcome("NOT GUILTY");
      break;
    default:
      d->set_outcome("PENALTY NOTICE FOR DISORDER");
      break;
  }
}

void BuildNominal(const World& world, std::uint64_t i, pb::Nominal* n) {
  const Person p = world.PersonAt(i);
  Rng rng(Mix(world.config().seed, kStreamPerson, i, 11));
  std::uint32_t town = 0;
  pb::Address home;
  MakeAddress(world.config().seed, p.home_address, &home, &town);
  world.SetMarking(rng, std::string(Towns()[town].force), 0.15, 0.0, n->mutable_meta(),
                   world.NominalRecordId(i));
  n->set_pnc_id(p.pnc_id_shown);
  if (!p.cro.empty()) n->set_cro_number(p.cro);
  SetName(p.name, n->mutable_name());
  for (const NameParts& a : p.aliases) SetName(a, n->add_aliases());
  SetDate(p.dob_day, n->mutable_date_of_birth());
  for (std::int64_t d : p.alt_dob_days) SetDate(d, n->add_alternative_dates_of_birth());
  n->set_sex(p.male ? pb::MALE : pb::FEMALE);
  *n->add_addresses() = home;
  if (p.previous_address >= 0 && static_cast<std::uint64_t>(p.previous_address) != p.home_address) {
    MakeAddress(world.config().seed, static_cast<std::uint64_t>(p.previous_address),
                n->add_addresses(), nullptr);
  }
  if (rng.Chance(0.2)) {
    int k = rng.Chance(0.7) ? 1 : 2;
    for (int m = 0; m < k; ++m) {
      n->add_warning_markers(static_cast<pb::WarningMarker>(1 + rng.Below(9)));
    }
  }
  for (std::uint64_t s = world.arrest_begin(i); s < world.arrest_begin(i + 1); ++s) {
    AddArrest(world, world.DetectedCrimeIndex(s), rng, n);
  }
  if (int g = world.GroupOfMember(i); g >= 0) {
    for (std::uint64_t c : world.groups()[static_cast<std::size_t>(g)].crimes) {
      const GroupCrime& gc = world.group_crime_list()[c];
      for (std::size_t k = 0; k < gc.people.size(); ++k) {
        if (gc.people[k] == i && gc.arrested[k]) AddArrest(world, c, rng, n);
      }
    }
  }
  n->set_wanted(rng.Chance(0.01));
  n->set_missing(rng.Chance(0.005));
}

void BuildVehicle(const World& world, std::uint64_t j, std::uint64_t keeper_member, bool is_clone,
                  pb::Vehicle* out) {
  const Vehicle v = world.VehicleAt(j);
  Rng rng(Mix(world.config().seed, kStreamVehicle, j, 11));
  const auto& make = Makes()[v.make];
  pb::PersonRef* keeper = out->mutable_keeper()->mutable_person();
  std::uint32_t town = 0;
  if (keeper_member != ~0ULL || rng.Chance(0.35)) {
    Person p = world.PersonAt(keeper_member != ~0ULL ? keeper_member : world.ActivePerson(rng));
    world.SetPersonRef(p, keeper);
    MakeAddress(world.config().seed, p.home_address, keeper->mutable_address(), &town);
  } else {
    world.MakeOtherPerson(1000000000000ULL + j, keeper);
    if (!keeper->has_address()) {
      MakeAddress(world.config().seed, rng.Below(world.counts().addresses),
                  keeper->mutable_address(), nullptr);
    }
    town = 0;
    for (std::uint32_t t = 0; t < Towns().size(); ++t) {
      if (Towns()[t].name == keeper->address().town()) town = t;
    }
  }
  world.SetMarking(rng, std::string(Towns()[town].force), 0.05, 0.0, out->mutable_meta(),
                   absl::StrCat("PNC-V-", j));
  out->set_vrm(v.vrm_shown);
  out->set_vin(v.vin);
  out->set_make(std::string(make.make));
  out->set_model(std::string(make.models[v.model]));
  out->set_colour(std::string(Colours()[v.colour]));
  out->mutable_keeper()->set_since(v.registered + 86400 * rng.Range(0, 3000));
  if (out->keeper().since() > world.period_start()) out->mutable_keeper()->set_since(v.registered);
  out->set_vrm_since(v.registered);
  if (is_clone || rng.Chance(0.015)) {
    pb::StolenReport* s = out->add_stolen_reports();
    s->set_reported_at(world.period_start() - 86400 * rng.Range(2, 200));
    const std::int64_t recovered = s->reported_at() + 86400 * rng.Range(1, 60);
    if (!is_clone && rng.Chance(0.6) && recovered < world.period_start()) {
      s->set_recovered_at(recovered);
    }
  }
}

}  // namespace

void SetDate(std::int64_t epoch_day, pb::Date* out) {
  Date3 d = DayToDate(epoch_day);
  out->set_year(d.year);
  out->set_month(d.month);
  out->set_day(d.day);
}

absl::Status WritePnc(const World& world, const std::string& path, Truth* truth) {
  pb::ExtractHeader header;
  header.set_source(pb::PNC);
  header.set_force("PNC");
  header.set_extracted_at(world.extracted_at());
  header.set_schema_version(kExtractSchemaVersion);
  header.set_extract_id(absl::StrCat("PNC-", world.config().seed, "-", world.extracted_at()));
  auto writer = ExtractWriter::Create(path, header);
  if (!writer.ok()) return writer.status();
  // Keepers of group vehicles are group members; clone vehicles are reported stolen.
  std::map<std::uint64_t, std::uint64_t> keeper_of;
  for (const Group& g : world.groups()) {
    for (std::size_t k = 0; k < g.vehicles.size(); ++k) {
      keeper_of[g.vehicles[k]] = g.members[k % g.members.size()];
    }
  }
  std::map<std::uint64_t, bool> cloner;
  for (const Clone& c : world.clones()) cloner[c.clone] = true;

  const std::uint64_t persons = world.counts().persons;
  pb::PncRecord record;
  for (std::uint64_t index = 0; index < world.pnc_end(); ++index) {
    record.Clear();
    if (index < persons) {
      BuildNominal(world, index, record.mutable_nominal());
      ++truth->nominals;
    } else {
      const std::uint64_t j = index - persons;
      auto it = keeper_of.find(j);
      BuildVehicle(world, j, it == keeper_of.end() ? ~0ULL : it->second, cloner.count(j) > 0,
                   record.mutable_vehicle());
      ++truth->vehicles;
    }
    if (world.IsBadPnc(index)) {
      Rng rng(Mix(world.config().seed, kStreamBad, 10, index));
      truth->bad_records.push_back({"pnc.pb", index, CorruptPnc(&record, rng)});
    }
    if (absl::Status s = (*writer)->Append(record); !s.ok()) return s;
  }
  truth->pnc_records = (*writer)->records_written();
  return (*writer)->Finish();
}

}  // namespace polegraph::gen
