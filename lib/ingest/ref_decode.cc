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
  const bool read = DecodeSingleFields(bytes, [&](Fields& f, unsigned tag) {
    switch (tag) {
      case 0x08:  // 1: year
        return Int32(f.p, f.end, &out->year_);
      case 0x10:  // 2: month
        return Int32(f.p, f.end, &out->month_);
      case 0x18:  // 3: day
        return Int32(f.p, f.end, &out->day_);
      default:
        return false;
    }
  });
  return read && CheckDateParts(out->year_, out->month_, out->day_, at).ok();
}

bool DecodeName(std::string_view bytes, view::PersonName* out) {
  return DecodeSingleFields(bytes, [&](Fields& f, unsigned tag) {
    switch (tag) {
      case 0x0A:  // 1: forename
        return Text(f.p, f.end, &out->forename_);
      case 0x12:  // 2: middle_names
        return Text(f.p, f.end, &out->middle_names_);
      case 0x1A:  // 3: surname
        return Text(f.p, f.end, &out->surname_);
      default:
        return false;
    }
  });
}

bool DecodeAddress(std::string_view bytes, view::Address* out) {
  return DecodeSingleFields(bytes, [&](Fields& f, unsigned tag) {
    switch (tag) {
      case 0x0A:  // 1: uprn
        return Text(f.p, f.end, &out->uprn_);
      case 0x12:  // 2: line
        return Text(f.p, f.end, &out->line_);
      case 0x1A:  // 3: town
        return Text(f.p, f.end, &out->town_);
      case 0x22:  // 4: postcode
        return Text(f.p, f.end, &out->postcode_);
      case 0x29:  // 5: latitude (fixed64)
        return Coordinate(f.p, f.end, 90, &out->latitude_);
      case 0x31:  // 6: longitude (fixed64)
        return Coordinate(f.p, f.end, 180, &out->longitude_);
      default:
        return false;
    }
  });
}

bool DecodePersonRef(std::string_view bytes, std::int64_t at, view::PersonRef* out) {
  return DecodeSingleFields(bytes, [&](Fields& f, unsigned tag) {
    std::string_view sub;
    switch (tag) {
      case 0x0A:  // 1: pnc_id
        return Text(f.p, f.end, &out->pnc_id_);
      case 0x12:  // 2: name
        return Bytes(f.p, f.end, &sub) && DecodeName(sub, &out->name_);
      case 0x1A:  // 3: date_of_birth
        return Bytes(f.p, f.end, &sub) && DecodeDate(sub, at, &out->date_of_birth_);
      case 0x20:  // 4: sex
        return Enum(f.p, f.end, pb::Sex_IsValid, &out->sex_);
      case 0x2A:  // 5: address
        out->has_address_ = true;
        return Bytes(f.p, f.end, &sub) && DecodeAddress(sub, &out->address_);
      default:
        return false;
    }
  });
}

bool DecodeVehicleRef(std::string_view bytes, view::VehicleRef* out) {
  return DecodeSingleFields(bytes, [&](Fields& f, unsigned tag) {
    switch (tag) {
      case 0x0A:  // 1: vrm
        return Text(f.p, f.end, &out->vrm_);
      case 0x12:  // 2: vin
        return Text(f.p, f.end, &out->vin_);
      case 0x1A:  // 3: make
        return Text(f.p, f.end, &out->make_);
      case 0x22:  // 4: model
        return Text(f.p, f.end, &out->model_);
      case 0x2A:  // 5: colour
        return Text(f.p, f.end, &out->colour_);
      default:
        return false;
    }
  });
}

bool DecodeMeta(Fields& f, MetaFields* meta) {
  std::string_view sub;
  return Bytes(f.p, f.end, &sub) && DecodeMetaWire(sub, meta) && MetaOk(*meta);
}

}  // namespace polegraph::ingest_internal::ref_wire
