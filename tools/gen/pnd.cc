// PND extract writer. Record layout (indices): group crimes, detected crimes (each tied to one
// PNC arrest), undetected crimes, group intelligence, intelligence, custody, then the records
// that name PNC people without their PNC ID (the planted duplicates). See the README (polegraph-gen and truth.json).
#include "absl/strings/str_cat.h"
#include "output.h"
#include "polegraph/extract.h"

namespace polegraph::gen {
namespace {

constexpr const char* kModusOperandi[] = {
    "Entry forced via rear door using a screwdriver",
    "Offender approached victim on foot",
    "Vehicle window smashed and items taken",
    "Items concealed in bag and left without paying",
    "Offender made threats and demanded phone",
    "Drugs deal arranged by mobile phone",
    "Keyless entry relay used to take vehicle",
    "Victim struck during an argument",
    "Criminal damage to front window",
    "Goods obtained using cloned bank card",
};
constexpr const char* kIntelText[] = {
    "Subject is believed to be supplying class A drugs in the area",
    "Subject seen in company of associates at the address",
    "Vehicle used to transport stolen goods",
    "Subject is believed to be storing a firearm",
    "Associates meet regularly at the location late at night",
    "Subject is using a false name and a second mobile phone",
};

std::string PersonKey(const Person& p) { return absl::StrCat("person:", p.pnc_id); }

void AddPerson(const World& world, std::uint64_t person, pb::CrimeRole role, pb::Crime* crime) {
  pb::CrimePerson* cp = crime->add_people();
  world.SetPersonRef(world.PersonAt(person), cp->mutable_person());
  cp->set_role(role);
}
void AddOther(const World& world, std::uint64_t key, pb::CrimeRole role, pb::Crime* crime) {
  pb::CrimePerson* cp = crime->add_people();
  world.MakeOtherPerson(key, cp->mutable_person());
  cp->set_role(role);
}

void SetGrading(Rng& rng, pb::Grading* g) {
  double u = rng.Unit();
  g->set_source(u < 0.5 ? pb::RELIABLE : u < 0.9 ? pb::UNTESTED : pb::NOT_RELIABLE);
  u = rng.Unit();
  g->set_assessment(u < 0.2    ? pb::KNOWN_DIRECTLY
                    : u < 0.6  ? pb::KNOWN_INDIRECTLY_CORROBORATED
                    : u < 0.85 ? pb::KNOWN_INDIRECTLY
                    : u < 0.97 ? pb::NOT_KNOWN
                               : pb::SUSPECTED_FALSE);
  g->set_handling(rng.Chance(0.8) ? pb::LAWFUL_SHARING : pb::SHARING_WITH_CONDITIONS);
}

void BuildCrime(const World& world, std::uint64_t c, pb::Crime* crime) {
  const std::uint64_t seed = world.config().seed;
  Rng rng(Mix(seed, kStreamCrime, c));
  World::CrimeCore core = world.CrimeAt(c);
  world.SetMarking(rng, core.force, 0.18, 0.02, crime->mutable_meta(), absl::StrCat("PND-C-", c));
  crime->set_crime_reference(world.CrimeReference(c));
  crime->set_offence_code(std::string(Offences()[core.offence].code));
  crime->set_committed_from(core.from);
  crime->set_committed_to(core.to);
  MakeHotspotPlace(seed, core.hotspot, core.place, crime->mutable_location(), nullptr);
  crime->set_modus_operandi(kModusOperandi[rng.Below(std::size(kModusOperandi))]);
  const std::uint64_t other_key = 2000000000000ULL + c * 4;
  if (c < world.group_crimes()) {
    const GroupCrime& gc = world.group_crime_list()[c];
    for (std::size_t k = 0; k < gc.people.size(); ++k) {
      AddPerson(world, gc.people[k], gc.arrested[k] ? pb::ARRESTED : pb::SUSPECT, crime);
    }
    if (rng.Chance(0.6)) AddOther(world, other_key + 1, pb::VICTIM, crime);
    for (std::uint64_t v : gc.vehicles)
      world.SetVehicleRef(world.VehicleAt(v), crime->add_vehicles());
    return;
  }
  const bool detected = c < world.group_crimes() + world.detected_crimes();
  std::uint64_t arrested = ~0ULL;
  if (detected) {
    arrested = world.PersonOfSlot(world.SlotOfDetectedCrime(c));
    AddPerson(world, arrested, pb::ARRESTED, crime);
  }
  if (rng.Chance(detected ? 0.3 : 0.25)) {
    std::uint64_t s = world.ActivePerson(rng);
    if (s != arrested && !world.IsGroupMember(s)) AddPerson(world, s, pb::SUSPECT, crime);
  }
  if (rng.Chance(0.75)) AddOther(world, other_key + 1, pb::VICTIM, crime);
  if (rng.Chance(0.2)) AddOther(world, other_key + 2, pb::WITNESS, crime);
  if (rng.Chance(0.15)) {
    world.SetVehicleRef(world.VehicleAt(world.ActiveVehicle(rng)), crime->add_vehicles());
  }
}

void BuildGroupIntel(const World& world, std::uint64_t k, pb::Intelligence* intel) {
  const std::uint64_t seed = world.config().seed;
  Rng rng(Mix(seed, kStreamIntel, k, 1));
  const GroupIntel& gi = world.group_intel_list()[k];
  const Person first = world.PersonAt(gi.subjects[0]);
  std::uint32_t town = 0;
  pb::IntelligenceLocation* home = intel->add_locations();
  MakeAddress(seed, gi.address, home->mutable_address(), &town);
  home->set_role(pb::HOME_ADDRESS);
  world.SetMarking(rng, std::string(Towns()[town].force), 0.6, 0.15, intel->mutable_meta(),
                   absl::StrCat("PND-I-G", k));
  SetGrading(rng, intel->mutable_grading());
  intel->set_reported_at(world.period_start() - 86400 * rng.Range(1, 365));
  for (std::uint64_t s : gi.subjects) world.SetPersonRef(world.PersonAt(s), intel->add_subjects());
  for (std::uint64_t a : gi.associates)
    world.SetPersonRef(world.PersonAt(a), intel->add_associates());
  for (std::uint64_t v : gi.vehicles)
    world.SetVehicleRef(world.VehicleAt(v), intel->add_vehicles());
  if (rng.Chance(0.5)) {
    pb::IntelligenceLocation* f = intel->add_locations();
    MakeHotspotPlace(seed, PickHotspot(rng), static_cast<std::uint32_t>(rng.Below(40)),
                     f->mutable_address(), nullptr);
    f->set_role(pb::FREQUENTS);
  }
  intel->set_text(kIntelText[rng.Below(std::size(kIntelText))]);
}

void BuildIntel(const World& world, std::uint64_t k, pb::Intelligence* intel) {
  const std::uint64_t seed = world.config().seed;
  Rng rng(Mix(seed, kStreamIntel, k));
  std::vector<std::uint64_t> people;
  int subjects = rng.Chance(0.8) ? 1 : 2, associates = static_cast<int>(rng.Range(0, 3));
  while (people.size() < static_cast<std::size_t>(subjects + associates)) {
    std::uint64_t p = rng.Chance(0.6) ? world.ActivePerson(rng) : rng.Below(world.counts().persons);
    bool seen = false;
    for (std::uint64_t q : people) seen = seen || q == p;
    if (!seen) people.push_back(p);
  }
  const Person subject = world.PersonAt(people[0]);
  std::uint32_t town = 0;
  pb::Address home;
  MakeAddress(seed, subject.home_address, &home, &town);
  world.SetMarking(rng, std::string(Towns()[town].force), 0.3, 0.05, intel->mutable_meta(),
                   absl::StrCat("PND-I-", k));
  SetGrading(rng, intel->mutable_grading());
  intel->set_reported_at(world.period_start() - 86400 * rng.Range(1, 3 * 365));
  for (std::size_t i = 0; i < people.size(); ++i) {
    world.SetPersonRef(world.PersonAt(people[i]), static_cast<int>(i) < subjects
                                                      ? intel->add_subjects()
                                                      : intel->add_associates());
  }
  int vehicles = rng.Chance(0.4) ? static_cast<int>(rng.Range(1, 2)) : 0;
  for (int v = 0; v < vehicles; ++v) {
    world.SetVehicleRef(world.VehicleAt(world.ActiveVehicle(rng)), intel->add_vehicles());
  }
  if (rng.Chance(0.4)) {
    pb::IntelligenceLocation* l = intel->add_locations();
    if (rng.Chance(0.5)) {
      *l->mutable_address() = home;
      l->set_role(pb::HOME_ADDRESS);
    } else {
      MakeHotspotPlace(seed, PickHotspot(rng), static_cast<std::uint32_t>(rng.Below(40)),
                       l->mutable_address(), nullptr);
      l->set_role(pb::FREQUENTS);
    }
  }
  intel->set_text(kIntelText[rng.Below(std::size(kIntelText))]);
}

void BuildCustody(const World& world, std::uint64_t k, pb::Custody* custody) {
  Rng rng(Mix(world.config().seed, kStreamCustody, k));
  const std::uint64_t slot = rng.Below(std::max<std::uint64_t>(1, world.detected_crimes()));
  const std::uint64_t crime = world.DetectedCrimeIndex(slot);
  const World::CrimeCore core = world.CrimeAt(crime);
  world.SetMarking(rng, core.force, 0.2, 0.0, custody->mutable_meta(), absl::StrCat("PND-K-", k));
  custody->set_custody_id(absl::StrCat(core.force, "-CUS-", k));
  world.SetPersonRef(world.PersonAt(world.PersonOfSlot(slot)), custody->mutable_detainee());
  custody->set_arrived_at(core.arrest_at + 60 * rng.Range(10, 120));
  custody->set_offence_code(std::string(Offences()[core.offence].code));
  custody->set_crime_reference(world.CrimeReference(crime));
  MakeCustodySuite(HotspotTownOf(core.hotspot), custody->mutable_custody_suite());
  if (rng.Chance(0.1)) {
    world.SetVehicleRef(world.VehicleAt(world.ActiveVehicle(rng)), custody->add_vehicles());
  }
}

// A record naming PNC person `person` by a spelling variant (or alias) and date of birth only.
DuplicateRecord BuildDuplicate(const World& world, std::uint64_t d, pb::PndRecord* record) {
  const std::uint64_t seed = world.config().seed;
  const std::uint64_t person = world.duplicate_records()[d];
  const Person p = world.PersonAt(person);
  Rng rng(Mix(seed, kStreamDuplicate, person, 1 + d));
  NameParts name;
  std::string kind;
  if (!p.aliases.empty() && rng.Chance(0.3)) {
    name = p.aliases[rng.Below(p.aliases.size())];
  } else {
    name = SpellingVariant(p.name, rng, &kind);
  }
  std::int64_t dob = p.dob_day;
  if (!p.alt_dob_days.empty() && rng.Chance(0.5)) dob = p.alt_dob_days[0];
  pb::PersonRef ref;
  SetName(name, ref.mutable_name());
  SetDate(dob, ref.mutable_date_of_birth());
  ref.set_sex(p.male ? pb::MALE : pb::FEMALE);
  std::uint32_t town = 0;
  pb::Address home;
  MakeAddress(seed, p.home_address, &home, &town);
  const std::string force(Towns()[town].force);
  if (d % 2 == 0) {
    pb::Custody* c = record->mutable_custody();
    world.SetMarking(rng, force, 0.2, 0.0, c->mutable_meta(), absl::StrCat("PND-D-", d));
    c->set_custody_id(absl::StrCat(force, "-CUS-D", d));
    *c->mutable_detainee() = ref;
    c->set_arrived_at(world.period_start() - 86400 * rng.Range(1, 700));
    c->set_offence_code(std::string(Offences()[rng.Below(Offences().size())].code));
    MakeCustodySuite(town, c->mutable_custody_suite());
  } else {
    pb::Intelligence* intel = record->mutable_intelligence();
    world.SetMarking(rng, force, 0.3, 0.0, intel->mutable_meta(), absl::StrCat("PND-D-", d));
    SetGrading(rng, intel->mutable_grading());
    intel->set_reported_at(world.period_start() - 86400 * rng.Range(1, 700));
    *intel->add_subjects() = ref;
    pb::IntelligenceLocation* l = intel->add_locations();
    *l->mutable_address() = home;
    l->set_role(pb::HOME_ADDRESS);
    intel->set_text(kIntelText[rng.Below(std::size(kIntelText))]);
  }
  return {PersonKey(p), world.duplicates_begin() + d,
          absl::StrCat(name.forename, " ", name.surname)};
}

}  // namespace

absl::Status WritePnd(const World& world, const std::string& path, Truth* truth) {
  pb::ExtractHeader header;
  header.set_source(pb::PND);
  header.set_force("PND");
  header.set_extracted_at(world.extracted_at());
  header.set_schema_version(kExtractSchemaVersion);
  header.set_extract_id(absl::StrCat("PND-", world.config().seed, "-", world.extracted_at()));
  auto writer = ExtractWriter::Create(path, header);
  if (!writer.ok()) return writer.status();
  pb::PndRecord record;
  for (std::uint64_t index = 0; index < world.pnd_end(); ++index) {
    record.Clear();
    bool planted = false;
    if (index < world.crimes_end()) {
      BuildCrime(world, index, record.mutable_crime());
      planted = index < world.group_crimes();
      ++truth->crimes;
    } else if (index < world.intel_begin()) {
      BuildGroupIntel(world, index - world.group_intel_begin(), record.mutable_intelligence());
      planted = true;
      ++truth->intelligence;
    } else if (index < world.custody_begin()) {
      BuildIntel(world, index - world.intel_begin(), record.mutable_intelligence());
      ++truth->intelligence;
    } else if (index < world.duplicates_begin()) {
      BuildCustody(world, index - world.custody_begin(), record.mutable_custody());
      ++truth->custody;
    } else {
      truth->duplicates.push_back(BuildDuplicate(world, index - world.duplicates_begin(), &record));
      planted = true;
      ++(record.has_custody() ? truth->custody : truth->intelligence);
    }
    if (world.IsBad(1, index, planted)) {
      Rng rng(Mix(world.config().seed, kStreamBad, 11, index));
      truth->bad_records.push_back({"pnd.pb", index, CorruptPnd(&record, rng)});
    }
    if (absl::Status s = (*writer)->Append(record); !s.ok()) return s;
  }
  truth->pnd_records = (*writer)->records_written();
  return (*writer)->Finish();
}

}  // namespace polegraph::gen
