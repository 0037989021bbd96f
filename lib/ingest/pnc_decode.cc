// DecodePnc (internal/pnc_decode.h): a pb::PncRecord read straight from its wire bytes into
// flat views, without a protobuf parse (the facts: PncFieldsFacts in facts_pnc.cc).
//
// How: as DecodePnd (pnd_decode.cc) — one strict pass over the wire format, a switch on each
// tag byte per message type (every field number of the schema is below 16, so a tag in its
// shortest form is one byte), each value checked against its field rule as it is read (UTF-8
// of every text field, known enum values, times, possible dates, finite coordinates in range,
// the record meta). It gives up — the record is then parsed by protobuf — on a tag of the wrong
// wire type, an unknown field, a group, a longer-than-needed varint or length, a truncated
// value, a singular field or sub-message given twice, two cases of the oneof, or a value a rule
// rejects. Warning markers, a repeated enum, are read in both encodings protobuf accepts
// (packed and not), appended in order as protobuf does.
// Cost: O(payload bytes); no allocation beyond the views' vectors growing.
// Reference: https://protobuf.dev/programming-guides/encoding/
#include "ingest/internal/pnc_decode.h"

#include "ingest/internal/ref_decode.h"

namespace polegraph::ingest_internal {
namespace {

using ref_wire::AddElement;
using ref_wire::Bytes;
using ref_wire::DecodeAddress;
using ref_wire::DecodeDate;
using ref_wire::DecodeFields;
using ref_wire::DecodeMeta;
using ref_wire::DecodeName;
using ref_wire::DecodePersonRef;
using ref_wire::DecodeSingleFields;
using ref_wire::Enum;
using ref_wire::Fields;
using ref_wire::Text;
using ref_wire::Time;
using ref_wire::Varint;

bool DecodeArrest(std::string_view bytes, std::int64_t at, pnc_view::Arrest* out) {
  return DecodeSingleFields(bytes, [&](Fields& f, unsigned tag) {
    switch (tag) {
      case 0x0A:  // 1: arrest_id
        return Text(f.p, f.end, &out->arrest_id_);
      case 0x10:  // 2: arrested_at
        return Time(f.p, f.end, at, &out->arrested_at_);
      case 0x1A:  // 3: offence_code
        return Text(f.p, f.end, &out->offence_code_);
      case 0x22:  // 4: crime_reference
        return Text(f.p, f.end, &out->crime_reference_);
      case 0x2A:  // 5: arresting_force
        return Text(f.p, f.end, &out->arresting_force_);
      default:
        return false;
    }
  });
}

bool DecodeDisposal(std::string_view bytes, std::int64_t at, pnc_view::Disposal* out) {
  return DecodeSingleFields(bytes, [&](Fields& f, unsigned tag) {
    switch (tag) {
      case 0x08:  // 1: type
        return Enum(f.p, f.end, pb::DisposalType_IsValid, &out->type_);
      case 0x12:  // 2: offence_code
        return Text(f.p, f.end, &out->offence_code_);
      case 0x18:  // 3: offence_date
        return Time(f.p, f.end, at, &out->offence_date_);
      case 0x20:  // 4: disposal_date
        return Time(f.p, f.end, at, &out->disposal_date_);
      case 0x2A:  // 5: court
        return Text(f.p, f.end, &out->court_);
      case 0x32:  // 6: crime_reference
        return Text(f.p, f.end, &out->crime_reference_);
      case 0x3A:  // 7: outcome
        return Text(f.p, f.end, &out->outcome_);
      default:
        return false;
    }
  });
}

// A bool field: protobuf reads any varint, non-zero as true.
bool Bool(const char*& p, const char* end, bool* out) {
  std::uint64_t v = 0;
  if (!Varint(p, end, &v)) return false;
  *out = v != 0;
  return true;
}

// One warning marker (a varint), appended when the schema knows it.
bool Marker(const char*& p, const char* end, std::vector<std::int32_t>* out) {
  std::int32_t v = 0;
  if (!Enum(p, end, pb::WarningMarker_IsValid, &v)) return false;
  out->push_back(v);
  return true;
}

bool DecodeNominal(std::string_view bytes, std::int64_t at, pnc_view::Nominal* out) {
  auto date = [at](std::string_view b, view::Date* d) { return DecodeDate(b, at, d); };
  auto arrest = [at](std::string_view b, pnc_view::Arrest* a) { return DecodeArrest(b, at, a); };
  auto disposal = [at](std::string_view b, pnc_view::Disposal* d) {
    return DecodeDisposal(b, at, d);
  };
  return DecodeFields(bytes, [&](Fields& f, unsigned tag) {
    std::string_view sub;
    switch (tag) {
      case 0x0A:  // 1: meta
        return f.Single(tag) && DecodeMeta(f, &out->meta);
      case 0x12:  // 2: pnc_id
        return f.Single(tag) && Text(f.p, f.end, &out->pnc_id_);
      case 0x1A:  // 3: cro_number
        return f.Single(tag) && Text(f.p, f.end, &out->cro_number_);
      case 0x22:  // 4: name
        return f.Single(tag) && Bytes(f.p, f.end, &sub) && DecodeName(sub, &out->name_);
      case 0x2A:  // 5: aliases (repeated)
        return AddElement(f, &out->aliases_, DecodeName);
      case 0x32:  // 6: date_of_birth
        return f.Single(tag) && Bytes(f.p, f.end, &sub) && date(sub, &out->date_of_birth_);
      case 0x3A:  // 7: alternative_dates_of_birth (repeated)
        return AddElement(f, &out->alternative_dates_of_birth_, date);
      case 0x40:  // 8: sex
        return f.Single(tag) && Enum(f.p, f.end, pb::Sex_IsValid, &out->sex_);
      case 0x4A:  // 9: addresses (repeated)
        return AddElement(f, &out->addresses_, DecodeAddress);
      case 0x50:  // 10: warning_markers (repeated enum), one unpacked
        return Marker(f.p, f.end, &out->warning_markers_);
      case 0x52: {  // 10: warning_markers, packed
        if (!Bytes(f.p, f.end, &sub)) return false;
        const char* p = sub.data();
        const char* end = p + sub.size();
        while (p < end) {
          if (!Marker(p, end, &out->warning_markers_)) return false;
        }
        return true;
      }
      case 0x5A:  // 11: arrests (repeated)
        return AddElement(f, &out->arrests_, arrest);
      case 0x62:  // 12: disposals (repeated)
        return AddElement(f, &out->disposals_, disposal);
      case 0x68:  // 13: wanted
        return f.Single(tag) && Bool(f.p, f.end, &out->wanted_);
      case 0x70:  // 14: missing
        return f.Single(tag) && Bool(f.p, f.end, &out->missing_);
      default:
        return false;
    }
  });
}

bool DecodeKeeper(std::string_view bytes, std::int64_t at, pnc_view::Keeper* out) {
  return DecodeSingleFields(bytes, [&](Fields& f, unsigned tag) {
    std::string_view sub;
    switch (tag) {
      case 0x0A:  // 1: person
        out->has_person_ = true;
        return Bytes(f.p, f.end, &sub) && DecodePersonRef(sub, at, &out->person_);
      case 0x10:  // 2: since
        return Time(f.p, f.end, at, &out->since_);
      default:
        return false;
    }
  });
}

bool DecodeStolenReport(std::string_view bytes, std::int64_t at, pnc_view::StolenReport* out) {
  return DecodeSingleFields(bytes, [&](Fields& f, unsigned tag) {
    switch (tag) {
      case 0x08:  // 1: reported_at
        return Time(f.p, f.end, at, &out->reported_at_);
      case 0x10:  // 2: recovered_at
        return Time(f.p, f.end, at, &out->recovered_at_);
      case 0x1A:  // 3: crime_reference
        return Text(f.p, f.end, &out->crime_reference_);
      default:
        return false;
    }
  });
}

bool DecodeVehicle(std::string_view bytes, std::int64_t at, pnc_view::Vehicle* out) {
  auto stolen = [at](std::string_view b, pnc_view::StolenReport* s) {
    return DecodeStolenReport(b, at, s);
  };
  return DecodeFields(bytes, [&](Fields& f, unsigned tag) {
    std::string_view sub;
    switch (tag) {
      case 0x0A:  // 1: meta
        return f.Single(tag) && DecodeMeta(f, &out->meta);
      case 0x12:  // 2: vrm
        return f.Single(tag) && Text(f.p, f.end, &out->vrm_);
      case 0x1A:  // 3: vin
        return f.Single(tag) && Text(f.p, f.end, &out->vin_);
      case 0x22:  // 4: make
        return f.Single(tag) && Text(f.p, f.end, &out->make_);
      case 0x2A:  // 5: model
        return f.Single(tag) && Text(f.p, f.end, &out->model_);
      case 0x32:  // 6: colour
        return f.Single(tag) && Text(f.p, f.end, &out->colour_);
      case 0x3A:  // 7: keeper
        out->has_keeper_ = true;
        return f.Single(tag) && Bytes(f.p, f.end, &sub) && DecodeKeeper(sub, at, &out->keeper_);
      case 0x42:  // 8: stolen_reports (repeated)
        return AddElement(f, &out->stolen_reports_, stolen);
      case 0x48:  // 9: vrm_since
        return f.Single(tag) && Time(f.p, f.end, at, &out->vrm_since_);
      default:
        return false;
    }
  });
}

// Back to the defaults, keeping the vectors' storage.
void Reset(pnc_view::Nominal* n) {
  n->meta.Clear();
  n->pnc_id_ = n->cro_number_ = {};
  n->name_ = {};
  n->aliases_.clear();
  n->date_of_birth_ = {};
  n->alternative_dates_of_birth_.clear();
  n->sex_ = 0;
  n->addresses_.clear();
  n->warning_markers_.clear();
  n->arrests_.clear();
  n->disposals_.clear();
  n->wanted_ = n->missing_ = false;
}

void Reset(pnc_view::Vehicle* v) {
  v->meta.Clear();
  v->vrm_ = v->vin_ = v->make_ = v->model_ = v->colour_ = {};
  v->has_keeper_ = false;
  v->keeper_ = {};
  v->stolen_reports_.clear();
  v->vrm_since_ = 0;
}

}  // namespace

bool DecodePnc(std::string_view payload, std::int64_t extracted_at, PncFields* out) {
  out->which = PncFields::Case::kNone;
  return ref_wire::DecodeOneof(payload, [&](unsigned tag, std::string_view sub) {
    switch (tag) {
      case 0x0A:  // 1: nominal
        out->which = PncFields::Case::kNominal;
        Reset(&out->nominal);
        return DecodeNominal(sub, extracted_at, &out->nominal);
      case 0x12:  // 2: vehicle
        out->which = PncFields::Case::kVehicle;
        Reset(&out->vehicle);
        return DecodeVehicle(sub, extracted_at, &out->vehicle);
      default:
        return false;
    }
  });
}

}  // namespace polegraph::ingest_internal
