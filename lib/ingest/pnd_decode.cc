// DecodePnd (internal/pnd_decode.h): a pb::PndRecord read straight from its wire bytes into
// flat views, without a protobuf parse (the facts: PndFieldsFacts in facts_pnd.cc).
//
// How: as DecodePncIndex (pnc_index_decode.cc) — one strict pass over the wire format, a switch
// on each tag byte per message type (every field number of the schema is below 16, so a tag in
// its shortest form is one byte), reading every value into the views. It gives up — the record
// is then parsed by protobuf — on a tag of the wrong wire type, an unknown field, a group, a
// longer-than-needed varint or length, a truncated value, and also on a singular field or
// sub-message given twice or two cases of the oneof (protobuf would keep the last or merge:
// producers never write that, so it is left to protobuf rather than mirrored). The field rules
// of ValidateFields are checked on each value as it is read (UTF-8 of every text field, known
// enum values, times, possible dates, finite coordinates in range, the record meta); a record
// failing one is left to protobuf too, whose path names the field in the reason.
// Cost: O(payload bytes); no allocation beyond the views' vectors growing.
// Reference: https://protobuf.dev/programming-guides/encoding/
#include "ingest/internal/pnd_decode.h"

#include "ingest/internal/ref_decode.h"

namespace polegraph::ingest_internal {
namespace {

using ref_wire::AddElement;
using ref_wire::Bytes;
using ref_wire::DecodeAddress;
using ref_wire::DecodeFields;
using ref_wire::DecodeMeta;
using ref_wire::DecodePersonRef;
using ref_wire::DecodeSingleFields;
using ref_wire::DecodeVehicleRef;
using ref_wire::Enum;
using ref_wire::Fields;
using ref_wire::Int32;
using ref_wire::Text;
using ref_wire::Time;

bool DecodeCrimePerson(std::string_view bytes, std::int64_t at, pnd_view::CrimePerson* out) {
  return DecodeSingleFields(bytes, [&](Fields& f, unsigned tag) {
    std::string_view sub;
    switch (tag) {
      case 0x0A:  // 1: person
        return Bytes(f.p, f.end, &sub) && DecodePersonRef(sub, at, &out->person_);
      case 0x10:  // 2: role
        return Enum(f.p, f.end, pb::CrimeRole_IsValid, &out->role_);
      default:
        return false;
    }
  });
}

bool DecodeCrime(std::string_view bytes, std::int64_t at, pnd_view::Crime* out) {
  return DecodeFields(bytes, [&](Fields& f, unsigned tag) {
    std::string_view sub;
    switch (tag) {
      case 0x0A:  // 1: meta
        return f.Single(tag) && DecodeMeta(f, &out->meta);
      case 0x12:  // 2: crime_reference
        return f.Single(tag) && Text(f.p, f.end, &out->crime_reference_);
      case 0x1A:  // 3: offence_code
        return f.Single(tag) && Text(f.p, f.end, &out->offence_code_);
      case 0x20:  // 4: committed_from
        return f.Single(tag) && Time(f.p, f.end, at, &out->committed_from_);
      case 0x28:  // 5: committed_to
        return f.Single(tag) && Time(f.p, f.end, at, &out->committed_to_);
      case 0x32:  // 6: location
        return f.Single(tag) && Bytes(f.p, f.end, &sub) && DecodeAddress(sub, &out->location_);
      case 0x3A:  // 7: people (repeated)
        return AddElement(f, &out->people_, [at](std::string_view b, pnd_view::CrimePerson* p) {
          return DecodeCrimePerson(b, at, p);
        });
      case 0x42:  // 8: vehicles (repeated)
        return AddElement(f, &out->vehicles_, DecodeVehicleRef);
      case 0x4A:  // 9: modus_operandi
        return f.Single(tag) && Text(f.p, f.end, &out->modus_operandi_);
      default:
        return false;
    }
  });
}

bool DecodeGrading(std::string_view bytes, pnd_view::Grading* out) {
  return DecodeSingleFields(bytes, [&](Fields& f, unsigned tag) {
    switch (tag) {
      case 0x08:  // 1: source
        return Enum(f.p, f.end, pb::SourceEvaluation_IsValid, &out->source_);
      case 0x10:  // 2: assessment
        return Enum(f.p, f.end, pb::IntelligenceAssessment_IsValid, &out->assessment_);
      case 0x18:  // 3: handling
        return Enum(f.p, f.end, pb::HandlingCode_IsValid, &out->handling_);
      default:
        return false;
    }
  });
}

bool DecodeIntelligenceLocation(std::string_view bytes, pnd_view::IntelligenceLocation* out) {
  return DecodeSingleFields(bytes, [&](Fields& f, unsigned tag) {
    std::string_view sub;
    switch (tag) {
      case 0x0A:  // 1: address
        return Bytes(f.p, f.end, &sub) && DecodeAddress(sub, &out->address_);
      case 0x10:  // 2: role
        return Enum(f.p, f.end, pb::LocationRole_IsValid, &out->role_);
      default:
        return false;
    }
  });
}

bool DecodeIntelligence(std::string_view bytes, std::int64_t at, pnd_view::Intelligence* out) {
  auto person = [at](std::string_view b, pnd_view::PersonRef* p) {
    return DecodePersonRef(b, at, p);
  };
  return DecodeFields(bytes, [&](Fields& f, unsigned tag) {
    std::string_view sub;
    switch (tag) {
      case 0x0A:  // 1: meta
        return f.Single(tag) && DecodeMeta(f, &out->meta);
      case 0x12:  // 2: grading
        return f.Single(tag) && Bytes(f.p, f.end, &sub) && DecodeGrading(sub, &out->grading_);
      case 0x18:  // 3: reported_at
        return f.Single(tag) && Time(f.p, f.end, at, &out->reported_at_);
      case 0x22:  // 4: subjects (repeated)
        return AddElement(f, &out->subjects_, person);
      case 0x2A:  // 5: associates (repeated)
        return AddElement(f, &out->associates_, person);
      case 0x32:  // 6: vehicles (repeated)
        return AddElement(f, &out->vehicles_, DecodeVehicleRef);
      case 0x3A:  // 7: locations (repeated)
        return AddElement(f, &out->locations_, DecodeIntelligenceLocation);
      case 0x42:  // 8: text (only checked)
        return f.Single(tag) && Text(f.p, f.end, &sub);
      default:
        return false;
    }
  });
}

bool DecodeCustody(std::string_view bytes, std::int64_t at, pnd_view::Custody* out) {
  return DecodeFields(bytes, [&](Fields& f, unsigned tag) {
    std::string_view sub;
    pnd_view::Address suite;  // only checked
    switch (tag) {
      case 0x0A:  // 1: meta
        return f.Single(tag) && DecodeMeta(f, &out->meta);
      case 0x12:  // 2: custody_id
        return f.Single(tag) && Text(f.p, f.end, &out->custody_id_);
      case 0x1A:  // 3: detainee
        out->has_detainee_ = true;
        return f.Single(tag) && Bytes(f.p, f.end, &sub) &&
               DecodePersonRef(sub, at, &out->detainee_);
      case 0x20:  // 4: arrived_at
        return f.Single(tag) && Time(f.p, f.end, at, &out->arrived_at_);
      case 0x2A:  // 5: offence_code
        return f.Single(tag) && Text(f.p, f.end, &out->offence_code_);
      case 0x32:  // 6: crime_reference
        return f.Single(tag) && Text(f.p, f.end, &out->crime_reference_);
      case 0x3A:  // 7: custody_suite
        return f.Single(tag) && Bytes(f.p, f.end, &sub) && DecodeAddress(sub, &suite);
      case 0x42:  // 8: vehicles (repeated)
        return AddElement(f, &out->vehicles_, DecodeVehicleRef);
      default:
        return false;
    }
  });
}

// Back to the defaults, keeping the vectors' storage.
void Reset(pnd_view::Crime* c) {
  c->meta.Clear();
  c->crime_reference_ = c->offence_code_ = c->modus_operandi_ = {};
  c->committed_from_ = c->committed_to_ = 0;
  c->location_ = {};
  c->people_.clear();
  c->vehicles_.clear();
}

void Reset(pnd_view::Intelligence* in) {
  in->meta.Clear();
  in->grading_ = {};
  in->reported_at_ = 0;
  in->subjects_.clear();
  in->associates_.clear();
  in->vehicles_.clear();
  in->locations_.clear();
}

void Reset(pnd_view::Custody* c) {
  c->meta.Clear();
  c->custody_id_ = c->offence_code_ = c->crime_reference_ = {};
  c->has_detainee_ = false;
  c->detainee_ = {};
  c->arrived_at_ = 0;
  c->vehicles_.clear();
}

}  // namespace

bool DecodePnd(std::string_view payload, std::int64_t extracted_at, PndFields* out) {
  out->which = PndFields::Case::kNone;
  return ref_wire::DecodeOneof(payload, [&](unsigned tag, std::string_view sub) {
    switch (tag) {
      case 0x0A:  // 1: crime
        out->which = PndFields::Case::kCrime;
        Reset(&out->crime);
        return DecodeCrime(sub, extracted_at, &out->crime);
      case 0x12:  // 2: intelligence
        out->which = PndFields::Case::kIntelligence;
        Reset(&out->intelligence);
        return DecodeIntelligence(sub, extracted_at, &out->intelligence);
      case 0x1A:  // 3: custody
        out->which = PndFields::Case::kCustody;
        Reset(&out->custody);
        return DecodeCustody(sub, extracted_at, &out->custody);
      default:
        return false;
    }
  });
}

}  // namespace polegraph::ingest_internal
