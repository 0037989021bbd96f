// PND records -> facts.
//   Crime: Offence "<OWNING FORCE>/<CRIME REF>" (offence code, committed from / to, MO);
//   OCCURRED_AT its location; people by role SUSPECT_IN / ARRESTED_FOR / VICTIM_OF /
//   WITNESS_TO and vehicles (VIN -> Vehicle, else VRM -> Plate) INVOLVED_IN, at committed_from.
//   Intelligence: ASSOCIATE_OF from each subject to each associate; USED from each subject to
//   each vehicle (VIN -> Vehicle; VRM alone -> resolved in phase (b)); locations RESIDES_AT /
//   FREQUENTS by role; all at reported_at; the grading ("1/A/P") as property "intel_grading"
//   of each subject.
//   Custody: detainee ARRESTED_FOR the offence ("<FORCE>/<CRIME REF>", else
//   "<FORCE>/CUSTODY-<custody id>") and USED the vehicles, at arrived_at.
// Both a parsed pb::PndRecord (PndFacts) and a record decoded from its wire bytes
// (PndFieldsFacts, pnd_decode.h) go through the same templates, so they give the same facts and
// reasons.
// Cost: O(size of the record).
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "ingest/internal/fact_refs.h"
#include "ingest/internal/pnd_decode.h"
#include "ingest/internal/validate.h"
#include "polegraph/keys.h"
#include "polegraph/pnd.pb.h"

namespace polegraph::ingest_internal {
namespace {

absl::Status Prefixed(std::string_view what, const absl::Status& s) {
  return absl::InvalidArgumentError(absl::StrCat(Av(what), ": ", s.message()));
}

template <typename Crime>
absl::Status CrimeFacts(const Crime& c, RecordSink* sink) {
  if (KeyPartEmpty(c.crime_reference())) {
    return absl::InvalidArgumentError("crime without crime reference");
  }
  const std::size_t at = sink->text().size();
  AppendOffenceKey(sink->force(), "/", c.crime_reference(), &sink->text());
  const std::uint32_t offence = sink->NodeAt(NodeKind::kOffence, at);
  sink->Prop(offence, "offence_code", c.offence_code());
  if (c.committed_from() != 0) PropTime(sink, offence, "committed_from", c.committed_from());
  if (c.committed_to() != 0) PropTime(sink, offence, "committed_to", c.committed_to());
  sink->Prop(offence, "modus_operandi", c.modus_operandi());
  const std::int64_t t = c.committed_from();
  absl::StatusOr<std::optional<std::uint32_t>> place = AddressNodeOf(c.location(), sink);
  if (!place.ok()) return Prefixed("location", place.status());
  if (place->has_value()) sink->Edge(offence, **place, EdgeKind::kOccurredAt, t);
  for (int i = 0; i < c.people_size(); ++i) {
    const auto& p = c.people(i);
    EdgeKind kind;
    switch (p.role()) {
      case pb::SUSPECT:
        kind = EdgeKind::kSuspectIn;
        break;
      case pb::ARRESTED:
        kind = EdgeKind::kArrestedFor;
        break;
      case pb::VICTIM:
        kind = EdgeKind::kVictimOf;
        break;
      case pb::WITNESS:
        kind = EdgeKind::kWitnessTo;
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat("people[", i, "]: role unspecified"));
    }
    absl::StatusOr<std::uint32_t> person = PersonRefNodeOf(p.person(), sink);
    if (!person.ok()) return Prefixed(absl::StrCat("people[", i, "]"), person.status());
    sink->Edge(*person, offence, kind, t);
  }
  for (int i = 0; i < c.vehicles_size(); ++i) {
    absl::StatusOr<std::uint32_t> v = VehicleRefNodeOf(c.vehicles(i), /*vrm_as_plate=*/true, sink);
    if (!v.ok()) return Prefixed(absl::StrCat("vehicles[", i, "]"), v.status());
    sink->Edge(*v, offence, EdgeKind::kInvolvedIn, t);
  }
  return absl::OkStatus();
}

char GradeLetter(int value, std::string_view letters) {
  return value >= 1 && static_cast<std::size_t>(value) <= letters.size()
             ? letters[static_cast<std::size_t>(value) - 1]
             : '-';
}

template <typename Intelligence>
absl::Status IntelligenceFacts(const Intelligence& in, RecordSink* sink) {
  if (in.subjects_size() == 0) return absl::InvalidArgumentError("intelligence without subjects");
  const std::int64_t t = in.reported_at();
  const std::string grading = {GradeLetter(in.grading().source(), "123"), '/',
                               GradeLetter(in.grading().assessment(), "ABCDE"), '/',
                               GradeLetter(in.grading().handling(), "PC")};
  absl::InlinedVector<std::uint32_t, 8> subjects, associates, vehicles;
  for (int i = 0; i < in.subjects_size(); ++i) {
    absl::StatusOr<std::uint32_t> p = PersonRefNodeOf(in.subjects(i), sink);
    if (!p.ok()) return Prefixed(absl::StrCat("subjects[", i, "]"), p.status());
    sink->Prop(*p, "intel_grading", grading);
    subjects.push_back(*p);
  }
  for (int i = 0; i < in.associates_size(); ++i) {
    absl::StatusOr<std::uint32_t> p = PersonRefNodeOf(in.associates(i), sink);
    if (!p.ok()) return Prefixed(absl::StrCat("associates[", i, "]"), p.status());
    associates.push_back(*p);
  }
  for (int i = 0; i < in.vehicles_size(); ++i) {
    absl::StatusOr<std::uint32_t> v =
        VehicleRefNodeOf(in.vehicles(i), /*vrm_as_plate=*/false, sink);
    if (!v.ok()) return Prefixed(absl::StrCat("vehicles[", i, "]"), v.status());
    vehicles.push_back(*v);
  }
  for (std::uint32_t s : subjects) {
    for (std::uint32_t a : associates) sink->Edge(s, a, EdgeKind::kAssociateOf, t);
    for (std::uint32_t v : vehicles) sink->Edge(s, v, EdgeKind::kUsed, t);
  }
  for (int i = 0; i < in.locations_size(); ++i) {
    const auto& l = in.locations(i);
    EdgeKind kind;
    switch (l.role()) {
      case pb::HOME_ADDRESS:
        kind = EdgeKind::kResidesAt;
        break;
      case pb::FREQUENTS:
        kind = EdgeKind::kFrequents;
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat("locations[", i, "]: role unspecified"));
    }
    absl::StatusOr<std::optional<std::uint32_t>> place = AddressNodeOf(l.address(), sink);
    if (!place.ok()) return Prefixed(absl::StrCat("locations[", i, "]"), place.status());
    if (!place->has_value()) {
      return absl::InvalidArgumentError(absl::StrCat("locations[", i, "]: empty address"));
    }
    for (std::uint32_t s : subjects) sink->Edge(s, **place, kind, t);
  }
  return absl::OkStatus();
}

template <typename Custody>
absl::Status CustodyFacts(const Custody& c, RecordSink* sink) {
  if (!c.has_detainee()) return absl::InvalidArgumentError("custody without detainee");
  absl::StatusOr<std::uint32_t> detainee = PersonRefNodeOf(c.detainee(), sink);
  if (!detainee.ok()) return Prefixed("detainee", detainee.status());
  const std::size_t at = sink->text().size();
  if (!KeyPartEmpty(c.crime_reference())) {
    AppendOffenceKey(sink->force(), "/", c.crime_reference(), &sink->text());
  } else if (!KeyPartEmpty(c.custody_id())) {
    AppendOffenceKey(sink->force(), "/CUSTODY-", c.custody_id(), &sink->text());
  } else {
    return absl::InvalidArgumentError("custody without crime reference or custody id");
  }
  const std::uint32_t offence = sink->NodeAt(NodeKind::kOffence, at);
  sink->Prop(offence, "offence_code", c.offence_code());
  sink->Edge(*detainee, offence, EdgeKind::kArrestedFor, c.arrived_at());
  for (int i = 0; i < c.vehicles_size(); ++i) {
    absl::StatusOr<std::uint32_t> v = VehicleRefNodeOf(c.vehicles(i), /*vrm_as_plate=*/false, sink);
    if (!v.ok()) return Prefixed(absl::StrCat("vehicles[", i, "]"), v.status());
    sink->Edge(*detainee, *v, EdgeKind::kUsed, c.arrived_at());
  }
  return absl::OkStatus();
}

}  // namespace

void PndFacts(const google::protobuf::Message& message, std::int64_t extracted_at,
              RecordSink* sink) {
  const auto& r = static_cast<const pb::PndRecord&>(message);
  absl::Status s;
  std::string id;
  auto check = [&] { return ValidateFields(r, extracted_at); };
  auto run = [&](const auto& rec, auto facts) {
    s = RecordKindFacts(rec, check, facts, sink, &id);
  };
  switch (r.record_case()) {
    case pb::PndRecord::kCrime:
      run(r.crime(), CrimeFacts<pb::Crime>);
      break;
    case pb::PndRecord::kIntelligence:
      run(r.intelligence(), IntelligenceFacts<pb::Intelligence>);
      break;
    case pb::PndRecord::kCustody:
      run(r.custody(), CustodyFacts<pb::Custody>);
      break;
    default:
      s = ValidateFields(r, extracted_at);
      if (s.ok()) {
        s = absl::InvalidArgumentError("PND record with no crime, intelligence or custody set");
      }
      break;
  }
  CommitOrQuarantine(s, std::move(id), sink);
}

void PndFieldsFacts(const PndFields& r, RecordSink* sink) {
  absl::Status s;
  std::string_view id;
  switch (r.which) {
    case PndFields::Case::kCrime:
      s = DecodedKindFacts(r.crime, CrimeFacts<pnd_view::Crime>, sink, &id);
      break;
    case PndFields::Case::kIntelligence:
      s = DecodedKindFacts(r.intelligence, IntelligenceFacts<pnd_view::Intelligence>, sink, &id);
      break;
    case PndFields::Case::kCustody:
      s = DecodedKindFacts(r.custody, CustodyFacts<pnd_view::Custody>, sink, &id);
      break;
    default:  // DecodePnd takes no record without a case
      s = absl::InvalidArgumentError("PND record with no crime, intelligence or custody set");
      break;
  }
  CommitOrQuarantine(s, id, sink);
}

}  // namespace polegraph::ingest_internal
