// Internal to ingest: the facts of the schemas' shared parts — person, address and vehicle
// references and names — written once for any type with the accessors of the generated
// protobuf classes (pb::PersonRef, pb::Address, pb::VehicleRef, pb::PersonName, pb::Date), so
// that a parsed message and a record decoded from its wire bytes (pnd_decode.h, whose views
// have the same accessors, returning string views) give the same facts and reasons from the
// same code.
// Cost: O(size of the reference).
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_FACT_REFS_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_FACT_REFS_H_

#include <array>
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
#include "polegraph/common.pb.h"
#include "polegraph/graph.h"
#include "polegraph/keys.h"
#include "polegraph/pnc.pb.h"

namespace polegraph::ingest_internal {

// The name of a value of a generated enum with its GraphBuilder::ValueHash, from a table of
// the values 0..N-1 built on first use (thread-safe): the generated X_Name looks the value up
// in the descriptor pool on every call. `name` is X_Name; values outside the table go to it.
struct NamedValue {
  std::string_view text;
  std::uint64_t hash = 0;
};
template <int N, typename Name>
NamedValue EnumValueOf(int v, Name name) {
  static const std::array<NamedValue, N> table = [&name] {
    std::array<NamedValue, N> t;
    for (int i = 0; i < N; ++i) {
      t[i].text = name(i);
      t[i].hash = GraphBuilder::ValueHash(t[i].text);
    }
    return t;
  }();
  if (v >= 0 && v < N) return table[v];
  const std::string_view text = name(v);
  return NamedValue{text, GraphBuilder::ValueHash(text)};
}
inline NamedValue SexValue(int v) {
  return EnumValueOf<pb::Sex_ARRAYSIZE>(
      v, [](int x) -> const std::string& { return pb::Sex_Name(x); });
}
inline NamedValue WarningValue(int v) {
  return EnumValueOf<pb::WarningMarker_ARRAYSIZE>(
      v, [](int x) -> const std::string& { return pb::WarningMarker_Name(x); });
}
inline NamedValue DisposalValue(int v) {
  return EnumValueOf<pb::DisposalType_ARRAYSIZE>(
      v, [](int x) -> const std::string& { return pb::DisposalType_Name(x); });
}
// "true" (the flags' value) with its hash.
inline NamedValue TrueValue() {
  static const std::uint64_t hash = GraphBuilder::ValueHash("true");
  return NamedValue{"true", hash};
}
// Adds the property `name` = value's text (none when empty), with its hash.
inline void PropNamed(RecordSink* sink, std::uint32_t node, std::string_view name, NamedValue v) {
  sink->PropHashed(node, name, v.text, v.hash);
}

template <typename Date>
bool IsDateSetOf(const Date& d) {
  return d.year() != 0 || d.month() != 0 || d.day() != 0;
}

template <typename Date>
std::string DateStringOf(const Date& d) {
  return DateText(d.year(), d.month(), d.day());
}

// Appends "Forename Middle Names Surname" as written (trimmed parts, single spaces).
template <typename Name>
void AppendJoinedNameOf(const Name& n, std::string* out) {
  const std::size_t from = out->size();
  const std::string_view parts[3] = {n.forename(), n.middle_names(), n.surname()};
  for (std::string_view p : parts) {
    while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
    while (!p.empty() && p.back() == ' ') p.remove_suffix(1);
    if (p.empty()) continue;
    if (out->size() != from) *out += ' ';
    out->append(p);
  }
}

template <typename Name>
std::string JoinNameOf(const Name& n) {
  std::string out;
  AppendJoinedNameOf(n, &out);
  return out;
}

// Adds the Location of an address (UPRN, else postcode + first line; position when non-zero).
// nullopt for an empty address; InvalidArgument for an address with no key. The key and the
// "address" value are written straight into the chunk's text (RecordSink::NodeAt).
template <typename Address>
absl::StatusOr<std::optional<std::uint32_t>> AddressNodeOf(const Address& a, RecordSink* sink) {
  const std::string_view line = a.line(), town = a.town(), postcode = a.postcode();
  std::string& text = sink->text();
  const std::size_t at = text.size();
  AppendUpperNoBlanks(a.uprn(), &text);  // the UPRN's key, NoSpaces(KeyPart(uprn))
  if (text.size() == at) {  // no UPRN: "PC-<postcode>-<line>", both required
    text += "PC-";
    const std::size_t postcode_at = text.size();
    AppendUpperNoSpaces(postcode, &text);  // NoSpaces(NormalisePostcode(postcode))
    const bool has_postcode = text.size() != postcode_at;
    text += '-';
    const std::size_t line_at = text.size();
    AppendFoldNoSpaces(line, &text);
    const bool has_line = text.size() != line_at;
    if (!has_postcode || !has_line) {
      text.resize(at);
      if (!has_postcode && !has_line && town.empty()) {
        return std::optional<std::uint32_t>();  // no address given
      }
      return absl::InvalidArgumentError("address without UPRN or postcode and first line");
    }
  }
  const std::uint32_t node = sink->NodeAt(NodeKind::kLocation, at);
  const std::size_t shown = text.size();
  for (std::string_view part : {line, town, postcode}) {
    if (part.empty()) continue;
    if (text.size() != shown) text += ", ";
    text.append(part);
  }
  sink->PropAt(node, "address", shown);
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
  if (!pnc_id.empty()) {
    NodeFact f;
    f.kind = NodeKind::kPerson;
    f.how = Resolution::kPersonRef;
    char id[11];
    if (PncIdText(pnc_id, id)) {
      node = sink->Unresolved(f, std::string_view(id, sizeof id));
    } else {
      absl::StatusOr<std::string> pnc = FastPncId(pnc_id);
      if (!pnc.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("person reference with invalid PNC ID: ", pnc.status().message()));
      }
      node = sink->Unresolved(f, *pnc);
    }
  } else {
    PersonKeyFact p;
    p.forename = FastFoldName(ref.name().forename());
    p.surname = FastFoldName(ref.name().surname());
    if (p.forename.empty() || p.surname.empty() || !has_dob) {
      return absl::InvalidArgumentError("person without PNC ID or name and date of birth");
    }
    p.dob = DateStringOf(ref.date_of_birth());
    node = sink->PersonByName(std::move(p));
  }
  std::string& text = sink->text();
  std::size_t at = text.size();
  AppendJoinedNameOf(ref.name(), &text);
  sink->PropAt(node, "name", at);
  if (has_dob) {
    at = text.size();
    const auto& d = ref.date_of_birth();
    AppendDateText(d.year(), d.month(), d.day(), &text);
    sink->PropAt(node, "dob", at);
  }
  if (ref.sex() != pb::SEX_UNSPECIFIED) PropNamed(sink, node, "sex", SexValue(ref.sex()));
  if (ref.has_address()) {
    absl::StatusOr<std::optional<std::uint32_t>> home = AddressNodeOf(ref.address(), sink);
    if (!home.ok()) return home.status();
    if (home->has_value()) sink->Edge(node, **home, EdgeKind::kResidesAt, 0);
  }
  return node;
}

// Adds the property `name` = TimeString(t) (validate.h), without a string of its own for years
// 1000-9999.
inline void PropTime(RecordSink* sink, std::uint32_t node, std::string_view name,
                     std::int64_t t) {
  char text[20];
  if (FastTimeText(t, text)) {
    sink->Prop(node, name, std::string_view(text, sizeof text));
  } else {
    sink->Prop(node, name, TimeString(t));
  }
}

// Appends force + infix + KeyPart(reference): an offence key, written in place.
inline void AppendOffenceKey(std::string_view force, std::string_view infix,
                             std::string_view reference, std::string* out) {
  out->append(force);
  out->append(infix);
  AppendKeyPart(reference, out);
}

// Adds a vehicle reference: a VIN gives the Vehicle (plus its Plate and DISPLAYS when a VRM is
// also given); a VRM alone gives the Plate (`vrm_as_plate`) or an unresolved vehicle known by
// VRM. Invalid VIN / VRM, or neither, is InvalidArgument.
template <typename Ref>
absl::StatusOr<std::uint32_t> VehicleRefNodeOf(const Ref& ref, bool vrm_as_plate,
                                               RecordSink* sink) {
  // The VIN is written in place as the vehicle's key (and dropped again when not used).
  std::string& text = sink->text();
  const std::size_t at = text.size();
  AppendUpperNoSpaces(ref.vin(), &text);
  const bool has_vin = text.size() != at;
  const std::string vrm = NormaliseVrm(ref.vrm());
  if (has_vin && !IsValidVin(std::string_view(text).substr(at))) {
    const std::string vin = text.substr(at);
    text.resize(at);
    return absl::InvalidArgumentError(
        absl::StrCat("vehicle reference: invalid VIN '", Av(vin), "'"));
  }
  if (!vrm.empty() && !FastIsValidVrm(vrm)) {
    text.resize(at);
    return absl::InvalidArgumentError(
        absl::StrCat("vehicle reference: invalid VRM '", Av(vrm), "'"));
  }
  if (!has_vin && vrm.empty()) {
    return absl::InvalidArgumentError("vehicle reference without VIN or VRM");
  }
  std::uint32_t node;
  if (has_vin) {
    node = sink->NodeAt(NodeKind::kVehicle, at);
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
