// Internal to ingest: the facts of the schemas' shared parts — person, address and vehicle
// references and names — written once for any type with the accessors of the generated
// protobuf classes (pb::PersonRef, pb::Address, pb::VehicleRef, pb::PersonName, pb::Date), so
// that a parsed message and a record decoded from its wire bytes (pnd_decode.h, whose views
// have the same accessors, returning string views) give the same facts and reasons from the
// same code.
// Cost: O(size of the reference).
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_FACT_REFS_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_FACT_REFS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "ingest/internal/facts.h"
#include "ingest/internal/keys_fast.h"
#include "ingest/internal/validate.h"
#include "polegraph/keys.h"

namespace polegraph::ingest_internal {

// NoSpaces(KeyPart(s)): upper-cased, without ' ' (other whitespace kept).
inline std::string UpperNoBlanks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == ' ') continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

// FoldName(s) without its spaces.
inline std::string FoldNoSpaces(std::string_view s) {
  std::string out = FastFoldName(s);
  std::erase(out, ' ');
  return out;
}

template <typename Date>
bool IsDateSetOf(const Date& d) {
  return d.year() != 0 || d.month() != 0 || d.day() != 0;
}

template <typename Date>
std::string DateStringOf(const Date& d) {
  return DateText(d.year(), d.month(), d.day());
}

// "Forename Middle Names Surname" as written (trimmed parts, single spaces).
template <typename Name>
std::string JoinNameOf(const Name& n) {
  std::string out;
  const std::string_view parts[3] = {n.forename(), n.middle_names(), n.surname()};
  for (std::string_view p : parts) {
    while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
    while (!p.empty() && p.back() == ' ') p.remove_suffix(1);
    if (p.empty()) continue;
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

// Adds the Location of an address (UPRN, else postcode + first line; position when non-zero).
// nullopt for an empty address; InvalidArgument for an address with no key.
template <typename Address>
absl::StatusOr<std::optional<std::uint32_t>> AddressNodeOf(const Address& a, RecordSink* sink) {
  const std::string_view line = a.line(), town = a.town(), postcode = a.postcode();
  const std::string uprn_key = UpperNoBlanks(a.uprn());
  const std::string postcode_key = UpperNoSpaces(postcode);  // NoSpaces(NormalisePostcode())
  const std::string line_key = FoldNoSpaces(line);
  std::string key;
  if (!uprn_key.empty()) {
    key = uprn_key;
  } else if (!postcode_key.empty() && !line_key.empty()) {
    key = absl::StrCat("PC-", Av(postcode_key), "-", Av(line_key));
  } else if (postcode_key.empty() && line_key.empty() && town.empty()) {
    return std::optional<std::uint32_t>();  // no address given
  } else {
    return absl::InvalidArgumentError("address without UPRN or postcode and first line");
  }
  const std::uint32_t node = sink->Node(NodeKind::kLocation, key);
  std::string shown;
  for (std::string_view part : {line, town, postcode}) {
    if (part.empty()) continue;
    if (!shown.empty()) shown += ", ";
    shown += part;
  }
  sink->Prop(node, "address", shown);
  if (a.latitude() != 0 || a.longitude() != 0) sink->Position(node, a.latitude(), a.longitude());
  return std::optional<std::uint32_t>(node);
}

// Adds a person reference: by valid PNC ID, else by folded forename + surname + date of birth
// (all required). Adds name / dob / sex properties and RESIDES_AT to the ref's address.
template <typename Ref>
absl::StatusOr<std::uint32_t> PersonRefNodeOf(const Ref& ref, RecordSink* sink) {
  std::uint32_t node;
  const std::string_view pnc_id = ref.pnc_id();
  const bool has_dob = IsDateSetOf(ref.date_of_birth());
  const std::string dob = has_dob ? DateStringOf(ref.date_of_birth()) : std::string();
  if (!pnc_id.empty()) {
    absl::StatusOr<std::string> pnc = FastPncId(pnc_id);
    if (!pnc.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("person reference with invalid PNC ID: ", pnc.status().message()));
    }
    NodeFact f;
    f.kind = NodeKind::kPerson;
    f.how = Resolution::kPersonRef;
    node = sink->Unresolved(f, *pnc);
  } else {
    PersonKeyFact p;
    p.forename = FastFoldName(ref.name().forename());
    p.surname = FastFoldName(ref.name().surname());
    if (p.forename.empty() || p.surname.empty() || !has_dob) {
      return absl::InvalidArgumentError("person without PNC ID or name and date of birth");
    }
    p.dob = dob;
    node = sink->PersonByName(std::move(p));
  }
  sink->Prop(node, "name", JoinNameOf(ref.name()));
  if (has_dob) sink->Prop(node, "dob", dob);
  if (ref.sex() != pb::SEX_UNSPECIFIED) sink->Prop(node, "sex", pb::Sex_Name(ref.sex()));
  if (ref.has_address()) {
    absl::StatusOr<std::optional<std::uint32_t>> home = AddressNodeOf(ref.address(), sink);
    if (!home.ok()) return home.status();
    if (home->has_value()) sink->Edge(node, **home, EdgeKind::kResidesAt, 0);
  }
  return node;
}

// Adds a vehicle reference: a VIN gives the Vehicle (plus its Plate and DISPLAYS when a VRM is
// also given); a VRM alone gives the Plate (`vrm_as_plate`) or an unresolved vehicle known by
// VRM. Invalid VIN / VRM, or neither, is InvalidArgument.
template <typename Ref>
absl::StatusOr<std::uint32_t> VehicleRefNodeOf(const Ref& ref, bool vrm_as_plate,
                                               RecordSink* sink) {
  const std::string vin = UpperNoSpaces(ref.vin());
  const std::string vrm = NormaliseVrm(ref.vrm());
  if (!vin.empty() && !IsValidVin(vin)) {
    return absl::InvalidArgumentError(
        absl::StrCat("vehicle reference: invalid VIN '", Av(vin), "'"));
  }
  if (!vrm.empty() && !IsValidVrm(vrm)) {
    return absl::InvalidArgumentError(
        absl::StrCat("vehicle reference: invalid VRM '", Av(vrm), "'"));
  }
  if (vin.empty() && vrm.empty()) {
    return absl::InvalidArgumentError("vehicle reference without VIN or VRM");
  }
  std::uint32_t node;
  if (!vin.empty()) {
    node = sink->Node(NodeKind::kVehicle, vin);
    if (!vrm.empty()) {
      const std::uint32_t plate = sink->Node(NodeKind::kPlate, vrm);
      sink->Edge(node, plate, EdgeKind::kDisplays, 0);
    }
  } else if (vrm_as_plate) {
    return sink->Node(NodeKind::kPlate, vrm);
  } else {
    NodeFact f;
    f.kind = NodeKind::kVehicle;
    f.how = Resolution::kVehicleByVrm;
    node = sink->Unresolved(f, vrm);
  }
  sink->Prop(node, "make", ref.make());
  sink->Prop(node, "model", ref.model());
  sink->Prop(node, "colour", ref.colour());
  return node;
}

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_FACT_REFS_H_
