// Internal to ingest: ANPR records as flat structs of field values, filled either from a parsed
// pb::AnprRecord or straight from a record's wire bytes by a hand-written decoder (no protobuf
// message, no copy: text fields are views into the bytes), and the facts of such a record.
//
// The decoder is a fast path, not a second parser with its own verdicts: it takes a record
// only when it can prove that protobuf's parse followed by the field rules (ValidateFields)
// would accept it with exactly these values; for anything else it answers false and the record
// goes the protobuf way, which gives the verdict and the quarantine reason.
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_ANPR_DECODE_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_ANPR_DECODE_H_

#include <cstdint>
#include <string_view>

#include "ingest/internal/facts.h"
#include "ingest/internal/validate.h"
#include "polegraph/anpr.pb.h"

namespace polegraph::ingest_internal {

// pb::Site's values (enums as their raw numbers).
struct SiteFields {
  MetaFields meta;
  std::string_view site_id, road;
  double latitude = 0, longitude = 0;
  std::int32_t direction = 0, camera = 0;

  static SiteFields Of(const pb::Site& site);
  void Clear() {  // back to the defaults (member by member: keeps the caveats' storage)
    meta.Clear();
    site_id = road = {};
    latitude = longitude = 0;
    direction = camera = 0;
  }
};

// pb::Read's values.
struct ReadFields {
  MetaFields meta;
  std::string_view vrm, site_id, make, colour;
  std::uint32_t lane = 0, read_at_ms = 0;
  std::int64_t read_at = 0;
  float confidence = 0;

  static ReadFields Of(const pb::Read& read);
  void Clear() {
    meta.Clear();
    vrm = site_id = make = colour = {};
    lane = read_at_ms = 0;
    read_at = 0;
    confidence = 0;
  }
};

// A pb::AnprRecord's values: the oneof case and the fields of the case that is set.
struct AnprFields {
  enum class Case : std::uint8_t { kNone, kSite, kRead };
  Case which = Case::kNone;
  SiteFields site;  // when which == kSite
  ReadFields read;  // when which == kRead
};

// The nesting depth below the record that DecodeAnpr follows (AnprRecord > Read > RecordMeta >
// Marking): use it only when ExtractLimits::max_nesting is at least this, since protobuf
// rejects deeper records.
inline constexpr int kAnprDecodeDepth = 3;

// Merges one occurrence of a serialised pb::RecordMeta into *out (sets `present`), as
// protobuf's parser would: a repeated record id keeps the last, a repeated marking merges,
// caveats append. False for bytes DecodeAnpr does not take (see below). Thread-safe.
bool DecodeMetaWire(std::string_view bytes, MetaFields* out);

// Decodes `payload`, a serialised pb::AnprRecord, into *out. True only when protobuf would
// parse the payload (ExtractReader::Parse) into a record with exactly these values, a site or
// a read is set, and every field rule of ValidateFields(record, extracted_at) passes. False —
// with *out unspecified — when the bytes hold anything else: malformed or truncated wire data,
// an unknown field or wire type, a field number or varint in a longer form than needed, no case
// set, or a value a field rule rejects. Repeated singular fields keep the last value and
// repeated sub-messages merge, as protobuf does. Thread-safe (touches only *out).
// Cost: O(payload bytes), no allocation unless a marking has more than 4 caveats.
bool DecodeAnpr(std::string_view payload, std::int64_t extracted_at, AnprFields* out);

// Phase (a) for one ANPR record that DecodeAnpr took: applies its marking and appends its
// facts, or quarantines it (an empty record id, an invalid VRM, ...) with the reason the
// protobuf path (AnprFacts) gives.
void AnprFieldsFacts(const AnprFields& record, RecordSink* sink);

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_ANPR_DECODE_H_
