// Internal to ingest: what the first PNC pass (the name and VRM indexes, see ingest.cc) needs of
// a PNC record, read straight from its wire bytes by a hand-written decoder instead of a
// protobuf parse followed by PncFacts.
//
// Like DecodeAnpr (anpr_decode.h) this is a fast path, not a second parser with its own
// verdicts: the decoder takes a record only when protobuf would parse it into exactly these
// values and the field rules (ValidateFields) accept it, and PncIndexFieldsFacts adds its index
// entries only when PncFacts would accept the record; for anything else the caller runs the
// protobuf path, which gives the verdict and the quarantine reason.
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_PNC_INDEX_DECODE_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_PNC_INDEX_DECODE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "ingest/internal/facts.h"
#include "ingest/internal/validate.h"

namespace polegraph::ingest_internal {

// The values of a pb::PncRecord that decide whether PncFacts accepts it and what it adds to the
// name and VRM indexes (views into the payload; other fields are only checked).
struct PncIndexFields {
  enum class Case : std::uint8_t { kNone, kNominal, kVehicle };
  struct Name {
    std::string_view forename, surname;
  };
  struct DateParts {
    std::int32_t year = 0, month = 0, day = 0;
  };
  struct Address {
    std::string_view uprn, line, town, postcode;
  };

  Case which = Case::kNone;
  MetaFields meta;  // of the nominal or vehicle
  // Nominal.
  std::string_view pnc_id, cro_number;
  std::vector<Name> names;  // names[0]: `name` (empty when absent), then the aliases in order
  DateParts date_of_birth;
  std::vector<DateParts> alternative_dobs;
  std::vector<Address> addresses;
  std::uint32_t arrests = 0, arrests_without_reference = 0;  // neither crime ref nor arrest id
  std::uint32_t disposals = 0, disposals_unspecified = 0;    // type DISPOSAL_UNSPECIFIED
  // Vehicle.
  std::string_view vrm, vin;
  std::int64_t vrm_since = 0;
  bool has_keeper = false;
  bool keeper_has_person = false;
  std::string_view keeper_pnc_id;  // of the keeper's PersonRef
  Name keeper_name;
  DateParts keeper_dob;
  bool keeper_has_address = false;
  Address keeper_address;

  void Clear();  // back to the defaults (keeps the vectors' storage)
};

// The nesting depth below the record that DecodePncIndex follows (PncRecord > Vehicle > Keeper >
// PersonRef > Address): use it only when ExtractLimits::max_nesting is at least this, since
// protobuf rejects deeper records.
inline constexpr int kPncIndexDecodeDepth = 4;

// Decodes `payload`, a serialised pb::PncRecord, into *out. True only when protobuf would parse
// the payload into a record with exactly these values, a nominal or a vehicle is set, and every
// field rule of ValidateFields(record, extracted_at) passes. False — with *out unspecified —
// for anything else: malformed or truncated wire data, an unknown field or wire type, a field
// number or varint in a longer form than needed, a singular field or the oneof given twice, no
// case set, or a value a field rule rejects. Thread-safe (touches only *out and a per-thread
// scratch). Cost: O(payload bytes): DecodePnc (pnc_decode.h), then a copy of the views the index
// needs; no allocation beyond the vectors' growth.
bool DecodePncIndex(std::string_view payload, std::int64_t extracted_at, PncIndexFields* out);

// The first PNC pass for one record that DecodePncIndex took, into an index-only sink whose
// record has begun: when PncFacts would accept the record (with its field rules passed),
// applies its marking, appends its name or VRM index entries exactly as PncFacts does, commits
// it and returns true; when only its marking fails, quarantines it with PncFacts' reason and
// returns true. Otherwise returns false and leaves the sink as it was: the caller runs
// PncFacts, which gives the verdict.
bool PncIndexFieldsFacts(const PncIndexFields& record, RecordSink* sink);

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_PNC_INDEX_DECODE_H_
