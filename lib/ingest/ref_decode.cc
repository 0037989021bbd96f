// The shared pieces of the hand-written record decoders (internal/ref_decode.h): the record
// meta's rules and the decoders of common.proto's messages (Date, PersonName, Address,
// PersonRef, VehicleRef) into their views, each field's rule checked as it is read.
// Cost: O(bytes); no allocation.
// Reference: https://protobuf.dev/programming-guides/encoding/
#include "ingest/internal/ref_decode.h"

#include "ingest/internal/anpr_decode.h"

namespace polegraph::ingest_internal::ref_wire {

bool MetaOk(const MetaFields& m) {
  if (!TextIsValidUtf8(m.record_id) || !TextIsValidUtf8(m.owning_force) ||
      !pb::Classification_IsValid(m.classification)) {
    return false;
  }
  for (std::string_view cv : m.caveats) {
    if (!TextIsValidUtf8(cv)) return false;
  }
  return true;
}

bool DecodeDate(std::string_view bytes, std::int64_t at, view::Date* out) {
  Fields f(bytes);
  while (f.more()) {
    const unsigned tag = f.Next();
    if (!f.Single(tag)) return false;
    switch (tag) {
      case 0x08:  // 1: year
        if (!Int32(f.p, f.end, &out->year_)) return false;
        break;
      case 0x10:  // 2: month
        if (!Int32(f.p, f.end, &out->month_)) return false;
        break;
      case 0x18:  // 3: day
        if (!Int32(f.p, f.end, &out->day_)) return false;
        break;
      default:
        return false;
    }
  }
  return CheckDateParts(out->year_, out->month_, out->day_, at).ok();
}

bool DecodeName(std::string_view bytes, view::PersonName* out) {
  Fields f(bytes);
  while (f.more()) {
    const unsigned tag = f.Next();
    if (!f.Single(tag)) return false;
    switch (tag) {
      case 0x0A:  // 1: forename
        if (!Text(f.p, f.end, &out->forename_)) return false;
        break;
      case 0x12:  // 2: middle_names
        if (!Text(f.p, f.end, &out->middle_names_)) return false;
        break;
      case 0x1A:  // 3: surname
        if (!Text(f.p, f.end, &out->surname_)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

bool DecodeAddress(std::string_view bytes, view::Address* out) {
  Fields f(bytes);
  while (f.more()) {
    const unsigned tag = f.Next();
    if (!f.Single(tag)) return false;
    switch (tag) {
      case 0x0A:  // 1: uprn
        if (!Text(f.p, f.end, &out->uprn_)) return false;
        break;
      case 0x12:  // 2: line
        if (!Text(f.p, f.end, &out->line_)) return false;
        break;
      case 0x1A:  // 3: town
        if (!Text(f.p, f.end, &out->town_)) return false;
        break;
      case 0x22:  // 4: postcode
        if (!Text(f.p, f.end, &out->postcode_)) return false;
        break;
      case 0x29:  // 5: latitude (fixed64)
        if (!Coordinate(f.p, f.end, 90, &out->latitude_)) return false;
        break;
      case 0x31:  // 6: longitude (fixed64)
        if (!Coordinate(f.p, f.end, 180, &out->longitude_)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

bool DecodePersonRef(std::string_view bytes, std::int64_t at, view::PersonRef* out) {
  Fields f(bytes);
  while (f.more()) {
    const unsigned tag = f.Next();
    if (!f.Single(tag)) return false;
    std::string_view sub;
    switch (tag) {
      case 0x0A:  // 1: pnc_id
        if (!Text(f.p, f.end, &out->pnc_id_)) return false;
        break;
      case 0x12:  // 2: name
        if (!Bytes(f.p, f.end, &sub) || !DecodeName(sub, &out->name_)) return false;
        break;
      case 0x1A:  // 3: date_of_birth
        if (!Bytes(f.p, f.end, &sub) || !DecodeDate(sub, at, &out->date_of_birth_)) return false;
        break;
      case 0x20:  // 4: sex
        if (!Enum(f.p, f.end, pb::Sex_IsValid, &out->sex_)) return false;
        break;
      case 0x2A:  // 5: address
        out->has_address_ = true;
        if (!Bytes(f.p, f.end, &sub) || !DecodeAddress(sub, &out->address_)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

bool DecodeVehicleRef(std::string_view bytes, view::VehicleRef* out) {
  Fields f(bytes);
  while (f.more()) {
    const unsigned tag = f.Next();
    if (!f.Single(tag)) return false;
    switch (tag) {
      case 0x0A:  // 1: vrm
        if (!Text(f.p, f.end, &out->vrm_)) return false;
        break;
      case 0x12:  // 2: vin
        if (!Text(f.p, f.end, &out->vin_)) return false;
        break;
      case 0x1A:  // 3: make
        if (!Text(f.p, f.end, &out->make_)) return false;
        break;
      case 0x22:  // 4: model
        if (!Text(f.p, f.end, &out->model_)) return false;
        break;
      case 0x2A:  // 5: colour
        if (!Text(f.p, f.end, &out->colour_)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

bool DecodeMeta(Fields& f, MetaFields* meta) {
  std::string_view sub;
  return Bytes(f.p, f.end, &sub) && DecodeMetaWire(sub, meta) && MetaOk(*meta);
}

}  // namespace polegraph::ingest_internal::ref_wire
