// DecodePncIndex (internal/pnc_index_decode.h): what the first PNC pass of Ingest needs of a
// record — which records are accepted and what they add to the name and VRM indexes — read
// from the wire bytes, without a protobuf parse (the rules and entries: pnc_index_facts.cc).
//
// How: one strict pass over the wire format, a switch on each tag byte per message type (every
// field number of the schema is below 16, so a tag in its shortest form is one byte), reading
// the values the index and the acceptance rules of PncFacts need and stepping over the others
// (still checking their encoding). It gives up — the record is then parsed by protobuf — on a
// tag of the wrong wire type, an unknown field, a group, a longer-than-needed varint or length,
// a truncated value, and also on a singular field or sub-message given twice or both cases of
// the oneof (protobuf would keep the last or merge: producers never write that, so it is left to
// protobuf rather than mirrored). The field rules then run on the bytes (WireFieldsValid).
// Cost: O(payload bytes).
// Reference: https://protobuf.dev/programming-guides/encoding/
#include "ingest/internal/pnc_index_decode.h"

#include <limits>

#include "ingest/internal/anpr_decode.h"
#include "ingest/internal/field_checks.h"
#include "ingest/internal/wire_read.h"
#include "polegraph/pnc.pb.h"

namespace polegraph::ingest_internal {

void PncIndexFields::Clear() {
  which = Case::kNone;
  meta.Clear();
  pnc_id = cro_number = {};
  names.clear();
  date_of_birth = {};
  alternative_dobs.clear();
  addresses.clear();
  arrests = arrests_without_reference = disposals = disposals_unspecified = 0;
  vrm = vin = {};
  vrm_since = 0;
  has_keeper = keeper_has_person = keeper_has_address = false;
  keeper_pnc_id = {};
  keeper_name = {};
  keeper_dob = {};
  keeper_address = {};
}

namespace {

using wire::Bytes;
using wire::Fixed;
using wire::Int32;
using wire::Varint;
using Fields = PncIndexFields;

// Marks field `number` of the message being decoded as met; false when it was met before.
inline bool Once(std::uint32_t* seen, int number) {
  const std::uint32_t bit = 1u << number;
  if ((*seen & bit) != 0) return false;
  *seen |= bit;
  return true;
}

// A varint whose value only the field rules look at.
inline bool SkipVarint(const char*& p, const char* end) {
  std::uint64_t v = 0;
  return Varint(p, end, &v);
}

// A packed run of varints (repeated enums).
bool PackedVarints(std::string_view bytes) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  while (p < end) {
    if (!SkipVarint(p, end)) return false;
  }
  return true;
}

bool DecodeName(std::string_view bytes, Fields::Name* out) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  std::uint32_t seen = 0;
  std::string_view skip;
  while (p < end) {
    const auto tag = static_cast<unsigned char>(*p++);
    if (!Once(&seen, tag >> 3)) return false;
    switch (tag) {
      case 0x0A:  // 1: forename
        if (!Bytes(p, end, &out->forename)) return false;
        break;
      case 0x12:  // 2: middle_names
        if (!Bytes(p, end, &skip)) return false;
        break;
      case 0x1A:  // 3: surname
        if (!Bytes(p, end, &out->surname)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

bool DecodeDate(std::string_view bytes, Fields::DateParts* out) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  std::uint32_t seen = 0;
  while (p < end) {
    const auto tag = static_cast<unsigned char>(*p++);
    if (!Once(&seen, tag >> 3)) return false;
    switch (tag) {
      case 0x08:  // 1: year
        if (!Int32(p, end, &out->year)) return false;
        break;
      case 0x10:  // 2: month
        if (!Int32(p, end, &out->month)) return false;
        break;
      case 0x18:  // 3: day
        if (!Int32(p, end, &out->day)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

bool DecodeAddress(std::string_view bytes, Fields::Address* out) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  std::uint32_t seen = 0;
  double coordinate = 0;
  while (p < end) {
    const auto tag = static_cast<unsigned char>(*p++);
    if (!Once(&seen, tag >> 3)) return false;
    switch (tag) {
      case 0x0A:  // 1: uprn
        if (!Bytes(p, end, &out->uprn)) return false;
        break;
      case 0x12:  // 2: line
        if (!Bytes(p, end, &out->line)) return false;
        break;
      case 0x1A:  // 3: town
        if (!Bytes(p, end, &out->town)) return false;
        break;
      case 0x22:  // 4: postcode
        if (!Bytes(p, end, &out->postcode)) return false;
        break;
      case 0x29:  // 5: latitude (fixed64)
      case 0x31:  // 6: longitude
        if (!Fixed(p, end, &coordinate)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

// An Arrest: whether it has a crime reference or an arrest id.
bool DecodeArrest(std::string_view bytes, bool* referenced) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  std::uint32_t seen = 0;
  std::string_view arrest_id, crime_reference, skip;
  while (p < end) {
    const auto tag = static_cast<unsigned char>(*p++);
    if (!Once(&seen, tag >> 3)) return false;
    switch (tag) {
      case 0x0A:  // 1: arrest_id
        if (!Bytes(p, end, &arrest_id)) return false;
        break;
      case 0x10:  // 2: arrested_at
        if (!SkipVarint(p, end)) return false;
        break;
      case 0x1A:  // 3: offence_code
      case 0x2A:  // 5: arresting_force
        if (!Bytes(p, end, &skip)) return false;
        break;
      case 0x22:  // 4: crime_reference
        if (!Bytes(p, end, &crime_reference)) return false;
        break;
      default:
        return false;
    }
  }
  *referenced = !crime_reference.empty() || !arrest_id.empty();
  return true;
}

// A Disposal: whether its type is set.
bool DecodeDisposal(std::string_view bytes, bool* typed) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  std::uint32_t seen = 0;
  std::int32_t type = 0;
  std::string_view skip;
  while (p < end) {
    const auto tag = static_cast<unsigned char>(*p++);
    if (!Once(&seen, tag >> 3)) return false;
    switch (tag) {
      case 0x08:  // 1: type
        if (!Int32(p, end, &type)) return false;
        break;
      case 0x18:  // 3: offence_date
      case 0x20:  // 4: disposal_date
        if (!SkipVarint(p, end)) return false;
        break;
      case 0x12:  // 2: offence_code
      case 0x2A:  // 5: court
      case 0x32:  // 6: crime_reference
      case 0x3A:  // 7: outcome
        if (!Bytes(p, end, &skip)) return false;
        break;
      default:
        return false;
    }
  }
  *typed = type != pb::DISPOSAL_UNSPECIFIED;
  return true;
}

bool DecodeNominal(std::string_view bytes, Fields* out) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  std::uint32_t seen = 0;
  out->names.emplace_back();  // `name`, empty until met
  while (p < end) {
    const auto tag = static_cast<unsigned char>(*p++);
    std::string_view sub;
    bool flag = false;
    switch (tag) {
      case 0x0A:  // 1: meta
        if (!Once(&seen, 1) || !Bytes(p, end, &sub) || !DecodeMetaWire(sub, &out->meta)) {
          return false;
        }
        break;
      case 0x12:  // 2: pnc_id
        if (!Once(&seen, 2) || !Bytes(p, end, &out->pnc_id)) return false;
        break;
      case 0x1A:  // 3: cro_number
        if (!Once(&seen, 3) || !Bytes(p, end, &out->cro_number)) return false;
        break;
      case 0x22:  // 4: name
        if (!Once(&seen, 4) || !Bytes(p, end, &sub) || !DecodeName(sub, &out->names[0])) {
          return false;
        }
        break;
      case 0x2A:  // 5: aliases (repeated)
        if (!Bytes(p, end, &sub) || !DecodeName(sub, &out->names.emplace_back())) return false;
        break;
      case 0x32:  // 6: date_of_birth
        if (!Once(&seen, 6) || !Bytes(p, end, &sub) || !DecodeDate(sub, &out->date_of_birth)) {
          return false;
        }
        break;
      case 0x3A:  // 7: alternative_dates_of_birth (repeated)
        if (!Bytes(p, end, &sub) || !DecodeDate(sub, &out->alternative_dobs.emplace_back())) {
          return false;
        }
        break;
      case 0x40:  // 8: sex
      case 0x68:  // 13: wanted
      case 0x70:  // 14: missing
        if (!Once(&seen, tag >> 3) || !SkipVarint(p, end)) return false;
        break;
      case 0x4A:  // 9: addresses (repeated)
        if (!Bytes(p, end, &sub) || !DecodeAddress(sub, &out->addresses.emplace_back())) {
          return false;
        }
        break;
      case 0x50:  // 10: warning_markers (repeated enum), unpacked
        if (!SkipVarint(p, end)) return false;
        break;
      case 0x52:  // 10: warning_markers, packed
        if (!Bytes(p, end, &sub) || !PackedVarints(sub)) return false;
        break;
      case 0x5A:  // 11: arrests (repeated)
        if (!Bytes(p, end, &sub) || !DecodeArrest(sub, &flag)) return false;
        ++out->arrests;
        if (!flag) ++out->arrests_without_reference;
        break;
      case 0x62:  // 12: disposals (repeated)
        if (!Bytes(p, end, &sub) || !DecodeDisposal(sub, &flag)) return false;
        ++out->disposals;
        if (!flag) ++out->disposals_unspecified;
        break;
      default:
        return false;
    }
  }
  return true;
}

bool DecodePersonRef(std::string_view bytes, Fields* out) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  std::uint32_t seen = 0;
  while (p < end) {
    const auto tag = static_cast<unsigned char>(*p++);
    if (!Once(&seen, tag >> 3)) return false;
    std::string_view sub;
    switch (tag) {
      case 0x0A:  // 1: pnc_id
        if (!Bytes(p, end, &out->keeper_pnc_id)) return false;
        break;
      case 0x12:  // 2: name
        if (!Bytes(p, end, &sub) || !DecodeName(sub, &out->keeper_name)) return false;
        break;
      case 0x1A:  // 3: date_of_birth
        if (!Bytes(p, end, &sub) || !DecodeDate(sub, &out->keeper_dob)) return false;
        break;
      case 0x20:  // 4: sex
        if (!SkipVarint(p, end)) return false;
        break;
      case 0x2A:  // 5: address
        out->keeper_has_address = true;
        if (!Bytes(p, end, &sub) || !DecodeAddress(sub, &out->keeper_address)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

bool DecodeKeeper(std::string_view bytes, Fields* out) {
  out->has_keeper = true;
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  std::uint32_t seen = 0;
  while (p < end) {
    const auto tag = static_cast<unsigned char>(*p++);
    if (!Once(&seen, tag >> 3)) return false;
    std::string_view sub;
    switch (tag) {
      case 0x0A:  // 1: person
        out->keeper_has_person = true;
        if (!Bytes(p, end, &sub) || !DecodePersonRef(sub, out)) return false;
        break;
      case 0x10:  // 2: since
        if (!SkipVarint(p, end)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

bool DecodeStolenReport(std::string_view bytes) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  std::uint32_t seen = 0;
  std::string_view skip;
  while (p < end) {
    const auto tag = static_cast<unsigned char>(*p++);
    if (!Once(&seen, tag >> 3)) return false;
    switch (tag) {
      case 0x08:  // 1: reported_at
      case 0x10:  // 2: recovered_at
        if (!SkipVarint(p, end)) return false;
        break;
      case 0x1A:  // 3: crime_reference
        if (!Bytes(p, end, &skip)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

bool DecodeVehicle(std::string_view bytes, Fields* out) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  std::uint32_t seen = 0;
  while (p < end) {
    const auto tag = static_cast<unsigned char>(*p++);
    std::string_view sub;
    std::uint64_t v = 0;
    switch (tag) {
      case 0x0A:  // 1: meta
        if (!Once(&seen, 1) || !Bytes(p, end, &sub) || !DecodeMetaWire(sub, &out->meta)) {
          return false;
        }
        break;
      case 0x12:  // 2: vrm
        if (!Once(&seen, 2) || !Bytes(p, end, &out->vrm)) return false;
        break;
      case 0x1A:  // 3: vin
        if (!Once(&seen, 3) || !Bytes(p, end, &out->vin)) return false;
        break;
      case 0x22:  // 4: make
      case 0x2A:  // 5: model
      case 0x32:  // 6: colour
        if (!Once(&seen, tag >> 3) || !Bytes(p, end, &sub)) return false;
        break;
      case 0x3A:  // 7: keeper
        if (!Once(&seen, 7) || !Bytes(p, end, &sub) || !DecodeKeeper(sub, out)) return false;
        break;
      case 0x42:  // 8: stolen_reports (repeated)
        if (!Bytes(p, end, &sub) || !DecodeStolenReport(sub)) return false;
        break;
      case 0x48:  // 9: vrm_since
        if (!Once(&seen, 9) || !Varint(p, end, &v)) return false;
        out->vrm_since = static_cast<std::int64_t>(v);
        break;
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

bool DecodePncIndex(std::string_view payload, std::int64_t extracted_at, PncIndexFields* out) {
  // ExtractReader::Parse refuses payloads beyond INT_MAX bytes.
  if (payload.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return false;
  out->Clear();
  const char* p = payload.data();
  const char* end = p + payload.size();
  while (p < end) {
    std::string_view sub;
    const auto tag = static_cast<unsigned char>(*p++);
    if (out->which != PncIndexFields::Case::kNone) return false;  // the oneof twice
    switch (tag) {
      case 0x0A:  // 1: nominal
        out->which = PncIndexFields::Case::kNominal;
        if (!Bytes(p, end, &sub) || !DecodeNominal(sub, out)) return false;
        break;
      case 0x12:  // 2: vehicle
        out->which = PncIndexFields::Case::kVehicle;
        if (!Bytes(p, end, &sub) || !DecodeVehicle(sub, out)) return false;
        break;
      default:
        return false;
    }
  }
  return out->which != PncIndexFields::Case::kNone &&
         WireFieldsValid(payload, pb::PncRecord::descriptor(), extracted_at);
}

}  // namespace polegraph::ingest_internal
