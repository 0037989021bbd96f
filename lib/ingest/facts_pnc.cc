// PNC records -> facts.
//   Nominal: Person keyed by normalised PNC ID (name, aliases, dob, alternative dobs, sex, CRO,
//   warning markers, wanted / missing as properties); addresses -> Location + RESIDES_AT;
//   arrests -> Offence ("<FORCE>/<CRIME REF>", else "<FORCE>/ARREST-<arrest id>") +
//   ARRESTED_FOR at arrested_at; disposals -> Offence ("<FORCE>/<CRIME REF>", else
//   "<FORCE>/PNC-<record id>-<n>", n from 1) with the disposal as properties, and CONVICTED_OF
//   (at disposal_date) for convictions. Every (name or alias) x (dob or alternative dob) goes
//   to the name index that resolves PND people without a PNC ID.
//   Vehicle: Vehicle keyed by VIN (else "VRM-<VRM>") with make / model / colour, Plate keyed by
//   VRM + DISPLAYS at vrm_since; keeper -> KEEPER_OF at since; stolen reports -> properties
//   and INVOLVED_IN to the offence of their crime reference.
// Both a parsed pb::PncRecord (PncFacts) and a record decoded from its wire bytes
// (PncFieldsFacts, pnc_decode.h) go through the same templates, so they give the same facts and
// reasons.
// Cost: O(size of the record).
#include <type_traits>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "ingest/internal/fact_refs.h"
#include "ingest/internal/keys_fast.h"
#include "ingest/internal/pnc_decode.h"
#include "ingest/internal/validate.h"
#include "polegraph/keys.h"
#include "polegraph/pnc.pb.h"

namespace polegraph::ingest_internal {
namespace {

template <typename Nominal>
absl::Status NominalFacts(const Nominal& n, RecordSink* sink) {
  if (n.pnc_id().empty()) return absl::InvalidArgumentError("nominal without a PNC ID");
  std::string pnc;
  if (char id[11]; PncIdText(n.pnc_id(), id)) {
    pnc.assign(id, sizeof id);
  } else {
    absl::StatusOr<std::string> normalised = FastPncId(n.pnc_id());
    if (!normalised.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("nominal without a valid PNC ID: ", normalised.status().message()));
    }
    pnc = *std::move(normalised);
  }
  const std::uint32_t person = sink->Node(NodeKind::kPerson, pnc);
  if (!n.cro_number().empty()) {
    absl::StatusOr<std::string> cro = NormaliseCroNumber(n.cro_number());
    if (!cro.ok()) return cro.status();
    sink->Prop(person, "cro", *cro);
  }
  // Names and dates of birth, and the name index entries they give.
  using Name = std::remove_cvref_t<decltype(n.name())>;
  using Date = std::remove_cvref_t<decltype(n.date_of_birth())>;
  absl::InlinedVector<const Name*, 4> names = {&n.name()};
  for (const Name& a : n.aliases()) names.push_back(&a);
  absl::InlinedVector<const Date*, 4> dobs;
  if (IsDateSetOf(n.date_of_birth())) dobs.push_back(&n.date_of_birth());
  for (const Date& d : n.alternative_dates_of_birth()) {
    if (!IsDateSetOf(d)) return absl::InvalidArgumentError("alternative date of birth is empty");
    dobs.push_back(&d);
  }
  absl::InlinedVector<std::string, 4> dob_texts;  // DateStringOf each, once
  for (const Date* d : dobs) dob_texts.push_back(DateStringOf(*d));
  std::string fore, sur;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::size_t at = sink->text().size();
    AppendJoinedNameOf(*names[i], &sink->text());
    sink->PropAt(person, i == 0 ? "name" : "alias", at);
    if (!sink->index_only()) continue;  // the name index is built by the first pass only
    fore.clear();
    sur.clear();
    AppendFoldName(names[i]->forename(), &fore);
    AppendFoldName(names[i]->surname(), &sur);
    if (fore.empty() || sur.empty()) continue;
    for (std::size_t j = 0; j < dobs.size(); ++j) {
      const std::string& dob = dob_texts[j];
      NameIndexEntry e;
      e.key = absl::StrCat(fore, "|", sur, "|", dob);
      e.pnc_id = pnc;
      e.record_id = sink->record_id();
      e.how =
          absl::StrCat(i == 0 ? "name '" : "alias '", fore, " ", sur, "', ",
                       j == 0 && IsDateSetOf(n.date_of_birth()) ? "dob " : "alternative dob ", dob);
      sink->chunk().names.push_back(std::move(e));
    }
  }
  for (std::size_t j = 0; j < dobs.size(); ++j) {
    sink->Prop(person, j == 0 && IsDateSetOf(n.date_of_birth()) ? "dob" : "alt_dob",
               dob_texts[j]);
  }
  if (n.sex() != pb::SEX_UNSPECIFIED) PropNamed(sink, person, "sex", SexValue(n.sex()));
  for (int m : n.warning_markers()) {
    PropNamed(sink, person, "warning", WarningValue(m));
  }
  if (n.wanted()) PropNamed(sink, person, "wanted", TrueValue());
  if (n.missing()) PropNamed(sink, person, "missing", TrueValue());
  for (const auto& a : n.addresses()) {
    absl::StatusOr<std::optional<std::uint32_t>> loc = AddressNodeOf(a, sink);
    if (!loc.ok()) return loc.status();
    if (loc->has_value()) sink->Edge(person, **loc, EdgeKind::kResidesAt, 0);
  }
  for (const auto& a : n.arrests()) {
    std::string& text = sink->text();
    const std::size_t at = text.size();
    std::string own_force;
    std::string_view force = sink->force();
    if (!a.arresting_force().empty()) {
      AppendKeyPart(a.arresting_force(), &own_force);
      force = own_force;
    }
    if (!a.crime_reference().empty()) {
      AppendOffenceKey(force, "/", a.crime_reference(), &text);
    } else if (!a.arrest_id().empty()) {
      AppendOffenceKey(force, "/ARREST-", a.arrest_id(), &text);
    } else {
      return absl::InvalidArgumentError("arrest without crime reference or arrest id");
    }
    const std::uint32_t offence = sink->NodeAt(NodeKind::kOffence, at);
    sink->Prop(offence, "offence_code", a.offence_code());
    sink->Edge(person, offence, EdgeKind::kArrestedFor, a.arrested_at());
  }
  for (int i = 0; i < n.disposals_size(); ++i) {
    const auto& d = n.disposals(i);
    if (d.type() == pb::DISPOSAL_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat("disposals[", i, "]: type unspecified"));
    }
    std::string& text = sink->text();
    const std::size_t at = text.size();
    if (d.crime_reference().empty()) {
      // KeyPart of the record id, which is in the chunk's text: taken before appending.
      const std::string id = KeyPart(sink->record_id());
      text.append(sink->force());
      text.append("/PNC-");
      text.append(id);
      text += '-';
      absl::StrAppend(&text, i + 1);
    } else {
      AppendOffenceKey(sink->force(), "/", d.crime_reference(), &text);
    }
    const std::uint32_t offence = sink->NodeAt(NodeKind::kOffence, at);
    sink->Prop(offence, "offence_code", d.offence_code());
    PropNamed(sink, offence, "disposal", DisposalValue(d.type()));
    sink->Prop(offence, "outcome", d.outcome());
    sink->Prop(offence, "court", d.court());
    if (d.offence_date() != 0) PropTime(sink, offence, "offence_date", d.offence_date());
    if (d.type() == pb::CONVICTION) {
      sink->Edge(person, offence, EdgeKind::kConvictedOf, d.disposal_date());
    }
  }
  return absl::OkStatus();
}

template <typename Vehicle>
absl::Status VehicleFacts(const Vehicle& v, RecordSink* sink) {
  const std::string vrm = NormaliseVrm(v.vrm());
  if (vrm.empty()) return absl::InvalidArgumentError("vehicle without VRM");
  if (!FastIsValidVrm(vrm)) {
    return absl::InvalidArgumentError(absl::StrCat("vehicle: invalid VRM '", vrm, "'"));
  }
  // The key (the VIN, else "VRM-<VRM>") is written in place.
  std::string& text = sink->text();
  const std::size_t at = text.size();
  AppendUpperNoSpaces(v.vin(), &text);
  if (text.size() != at && !IsValidVin(std::string_view(text).substr(at))) {
    const std::string vin = text.substr(at);
    text.resize(at);
    return absl::InvalidArgumentError(absl::StrCat("vehicle: invalid VIN '", vin, "'"));
  }
  if (text.size() == at) {
    text += "VRM-";
    text += vrm;
  }
  if (sink->index_only()) {  // the VRM index is built by the first pass only
    sink->chunk().vrms.push_back(VrmIndexEntry{vrm, text.substr(at), v.vrm_since()});
  }
  const std::uint32_t vehicle = sink->NodeAt(NodeKind::kVehicle, at);
  sink->Prop(vehicle, "make", v.make());
  sink->Prop(vehicle, "model", v.model());
  sink->Prop(vehicle, "colour", v.colour());
  const std::uint32_t plate = sink->Node(NodeKind::kPlate, vrm);
  sink->Edge(vehicle, plate, EdgeKind::kDisplays, v.vrm_since());
  if (v.has_keeper()) {
    absl::StatusOr<std::uint32_t> keeper = PersonRefNodeOf(v.keeper().person(), sink);
    if (!keeper.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("keeper: ", keeper.status().message()));
    }
    sink->Edge(*keeper, vehicle, EdgeKind::kKeeperOf, v.keeper().since());
  }
  for (const auto& s : v.stolen_reports()) {
    PropTime(sink, vehicle, "stolen_reported_at", s.reported_at());
    if (s.recovered_at() != 0) PropTime(sink, vehicle, "stolen_recovered_at", s.recovered_at());
    if (!s.crime_reference().empty()) {
      const std::size_t at = sink->text().size();
      AppendOffenceKey(sink->force(), "/", s.crime_reference(), &sink->text());
      const std::uint32_t offence = sink->NodeAt(NodeKind::kOffence, at);
      sink->Edge(vehicle, offence, EdgeKind::kInvolvedIn, s.reported_at());
    }
  }
  return absl::OkStatus();
}

}  // namespace

void PncFacts(const google::protobuf::Message& message, std::int64_t extracted_at,
              RecordSink* sink) {
  const auto& r = static_cast<const pb::PncRecord&>(message);
  absl::Status s;
  std::string id;
  auto check = [&] { return ValidateFields(r, extracted_at); };
  switch (r.record_case()) {
    case pb::PncRecord::kNominal:
      s = RecordKindFacts(r.nominal(), check, NominalFacts<pb::Nominal>, sink, &id);
      break;
    case pb::PncRecord::kVehicle:
      s = RecordKindFacts(r.vehicle(), check, VehicleFacts<pb::Vehicle>, sink, &id);
      break;
    default:
      s = ValidateFields(r, extracted_at);  // a record of another source shows here
      if (s.ok()) s = absl::InvalidArgumentError("PNC record with no nominal or vehicle set");
      break;
  }
  CommitOrQuarantine(s, std::move(id), sink);
}

void PncFieldsFacts(const PncFields& r, RecordSink* sink) {
  absl::Status s;
  std::string_view id;
  switch (r.which) {
    case PncFields::Case::kNominal:
      s = DecodedKindFacts(r.nominal, NominalFacts<pnc_view::Nominal>, sink, &id);
      break;
    case PncFields::Case::kVehicle:
      s = DecodedKindFacts(r.vehicle, VehicleFacts<pnc_view::Vehicle>, sink, &id);
      break;
    default:  // DecodePnc takes no record without a case
      s = absl::InvalidArgumentError("PNC record with no nominal or vehicle set");
      break;
  }
  CommitOrQuarantine(s, id, sink);
}

}  // namespace polegraph::ingest_internal
