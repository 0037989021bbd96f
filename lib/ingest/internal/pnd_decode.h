// Internal to ingest: PND records read straight from their wire bytes by a hand-written decoder
// (pnd_decode.cc) into flat views (ref_views.h and below) — text fields are views into the bytes,
// no protobuf message, no copy — with the accessors of the generated classes, so that the facts
// code of the protobuf path (facts_pnd.cc, fact_refs.h) runs on them unchanged.
//
// Like DecodeAnpr (anpr_decode.h) and DecodePncIndex, this is a fast path, not a second parser
// with its own verdicts: the decoder takes a record only when protobuf would parse it into
// exactly these values and the field rules (ValidateFields) accept it; for anything else the
// caller runs the protobuf path, which gives the verdict and the quarantine reason. For a
// record it takes, PndFieldsFacts gives the facts, or the quarantine reason, that PndFacts
// gives for the parsed record.
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_PND_DECODE_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_PND_DECODE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "ingest/internal/facts.h"
#include "ingest/internal/ref_views.h"
#include "ingest/internal/validate.h"
#include "polegraph/pnd.pb.h"

namespace polegraph::ingest_internal::pnd_view {

using view::Address;
using view::Date;
using view::PersonName;
using view::PersonRef;
using view::VehicleRef;

struct CrimePerson {
  PersonRef person_;
  std::int32_t role_ = 0;
  const PersonRef& person() const { return person_; }
  pb::CrimeRole role() const { return static_cast<pb::CrimeRole>(role_); }
};

struct Crime {
  MetaFields meta;
  std::string_view crime_reference_, offence_code_, modus_operandi_;
  std::int64_t committed_from_ = 0, committed_to_ = 0;
  Address location_;
  std::vector<CrimePerson> people_;
  std::vector<VehicleRef> vehicles_;
  std::string_view crime_reference() const { return crime_reference_; }
  std::string_view offence_code() const { return offence_code_; }
  std::string_view modus_operandi() const { return modus_operandi_; }
  std::int64_t committed_from() const { return committed_from_; }
  std::int64_t committed_to() const { return committed_to_; }
  const Address& location() const { return location_; }
  int people_size() const { return static_cast<int>(people_.size()); }
  const CrimePerson& people(int i) const { return people_[static_cast<std::size_t>(i)]; }
  int vehicles_size() const { return static_cast<int>(vehicles_.size()); }
  const VehicleRef& vehicles(int i) const { return vehicles_[static_cast<std::size_t>(i)]; }
};

struct Grading {
  std::int32_t source_ = 0, assessment_ = 0, handling_ = 0;
  std::int32_t source() const { return source_; }
  std::int32_t assessment() const { return assessment_; }
  std::int32_t handling() const { return handling_; }
};

struct IntelligenceLocation {
  Address address_;
  std::int32_t role_ = 0;
  const Address& address() const { return address_; }
  pb::LocationRole role() const { return static_cast<pb::LocationRole>(role_); }
};

struct Intelligence {
  MetaFields meta;
  Grading grading_;
  std::int64_t reported_at_ = 0;
  std::vector<PersonRef> subjects_, associates_;
  std::vector<VehicleRef> vehicles_;
  std::vector<IntelligenceLocation> locations_;
  const Grading& grading() const { return grading_; }
  std::int64_t reported_at() const { return reported_at_; }
  int subjects_size() const { return static_cast<int>(subjects_.size()); }
  const PersonRef& subjects(int i) const { return subjects_[static_cast<std::size_t>(i)]; }
  int associates_size() const { return static_cast<int>(associates_.size()); }
  const PersonRef& associates(int i) const { return associates_[static_cast<std::size_t>(i)]; }
  int vehicles_size() const { return static_cast<int>(vehicles_.size()); }
  const VehicleRef& vehicles(int i) const { return vehicles_[static_cast<std::size_t>(i)]; }
  int locations_size() const { return static_cast<int>(locations_.size()); }
  const IntelligenceLocation& locations(int i) const {
    return locations_[static_cast<std::size_t>(i)];
  }
};

struct Custody {
  MetaFields meta;
  std::string_view custody_id_, offence_code_, crime_reference_;
  bool has_detainee_ = false;
  PersonRef detainee_;
  std::int64_t arrived_at_ = 0;
  std::vector<VehicleRef> vehicles_;
  std::string_view custody_id() const { return custody_id_; }
  std::string_view offence_code() const { return offence_code_; }
  std::string_view crime_reference() const { return crime_reference_; }
  bool has_detainee() const { return has_detainee_; }
  const PersonRef& detainee() const { return detainee_; }
  std::int64_t arrived_at() const { return arrived_at_; }
  int vehicles_size() const { return static_cast<int>(vehicles_.size()); }
  const VehicleRef& vehicles(int i) const { return vehicles_[static_cast<std::size_t>(i)]; }
};

}  // namespace polegraph::ingest_internal::pnd_view

namespace polegraph::ingest_internal {

// A pb::PndRecord's values: the oneof case and the fields of the case that is set. Reused from
// record to record (the vectors keep their storage).
struct PndFields {
  enum class Case : std::uint8_t { kNone, kCrime, kIntelligence, kCustody };
  Case which = Case::kNone;
  pnd_view::Crime crime;
  pnd_view::Intelligence intelligence;
  pnd_view::Custody custody;
};

// The nesting depth below the record that DecodePnd follows (PndRecord > Crime > CrimePerson >
// PersonRef > Address): use it only when ExtractLimits::max_nesting is at least this, since
// protobuf rejects deeper records.
inline constexpr int kPndDecodeDepth = 4;

// Decodes `payload`, a serialised pb::PndRecord, into *out. True only when protobuf would parse
// the payload (ExtractReader::Parse) into a record with exactly these values, a case is set,
// and every field rule of ValidateFields(record, extracted_at) passes. False — with *out
// unspecified — for anything else: malformed or truncated wire data, an unknown field or wire
// type, a field number or varint in a longer form than needed, a singular field or sub-message
// given twice or both cases of the oneof (protobuf would keep the last or merge: left to it), no
// case set, or a value a field rule rejects. Thread-safe (touches only *out).
// Cost: O(payload bytes); no allocation beyond the vectors' growth.
bool DecodePnd(std::string_view payload, std::int64_t extracted_at, PndFields* out);

// Phase (a) for one PND record that DecodePnd took: applies its marking and appends its facts,
// or quarantines it, exactly as PndFacts does for the parsed record (facts_pnd.cc).
void PndFieldsFacts(const PndFields& record, RecordSink* sink);

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_PND_DECODE_H_
