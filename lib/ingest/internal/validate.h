// Internal to ingest: the validation rules shared by every record type (validate.cc) and the
// record meta's facts (the facts of people, addresses and vehicles: fact_refs.h). Each failing rule is an InvalidArgument status whose message is the
// quarantine reason.
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_VALIDATE_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_VALIDATE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "ingest/internal/facts.h"
#include "polegraph/common.pb.h"

namespace polegraph::ingest_internal {

inline constexpr std::int64_t kTimeSlackSeconds = 24 * 60 * 60;

// Walks every field of `message` by reflection and checks the rules that depend only on a
// field's type: text (bytes) fields are valid UTF-8; enum values are known to the schema; int64
// fields (every one is a UTC time in these schemas) are not negative and not after
// extracted_at + 1 day (when extracted_at > 0); Date messages are possible dates (see
// CheckDate); latitude / longitude are in range; no field is unknown to the schema (a record of
// another source parses with unknown fields). The reason names the field path.
absl::Status ValidateFields(const google::protobuf::Message& message, std::int64_t extracted_at);

// A Date that is set (not all zero) must have month 1-12, a day that exists in that month,
// year >= 1900, and not be after the extract date (when extracted_at > 0).
absl::Status CheckDate(const pb::Date& date, std::int64_t extracted_at);
// The same for a Date's values.
absl::Status CheckDateParts(std::int32_t year, std::int32_t month, std::int32_t day,
                            std::int64_t extracted_at);
bool IsDateSet(const pb::Date& date);
std::string DateString(const pb::Date& date);  // "YYYY-MM-DD"
std::string DateText(std::int32_t year, std::int32_t month, std::int32_t day);  // the same
// Appends DateText(year, month, day) to *out, with no string of its own for a plain date.
void AppendDateText(std::int32_t year, std::int32_t month, std::int32_t day, std::string* out);
std::string TimeString(std::int64_t seconds);  // "YYYY-MM-DDTHH:MM:SSZ"

// A record meta's values as ApplyMeta needs them, viewed in a parsed pb::RecordMeta or in the
// record's wire bytes (anpr_decode.h); the views must outlive the ApplyMeta call.
struct MetaFields {
  bool present = false;  // the record has a meta (has_meta)
  std::string_view record_id;
  std::int32_t classification = 0;  // a pb::Classification value, maybe unknown
  std::string_view owning_force;
  absl::InlinedVector<std::string_view, 4> caveats;

  static MetaFields Of(bool has_meta, const pb::RecordMeta& meta);
  void Clear() {
    present = false;
    record_id = owning_force = {};
    classification = 0;
    caveats.clear();
  }
};

// Checks the record meta (present, record id, classification, owning force) and starts the
// record's facts with its id and label.
absl::Status ApplyMeta(const MetaFields& meta, RecordSink* sink);
inline absl::Status ApplyMeta(bool has_meta, const pb::RecordMeta& meta, RecordSink* sink) {
  return ApplyMeta(MetaFields::Of(has_meta, meta), sink);
}

// One record kind's phase (a): takes its id (for the quarantine), applies its marking, runs
// `check()` (the source's field rules; skipped for a trusted record, see RecordSink) and then
// `facts(rec, sink)`. Returns the first failure.
template <typename Rec, typename Check, typename Facts>
absl::Status RecordKindFacts(const Rec& rec, Check check, Facts facts, RecordSink* sink,
                             std::string* id) {
  *id = rec.meta().record_id();
  absl::Status s = ApplyMeta(rec.has_meta(), rec.meta(), sink);
  if (s.ok() && !sink->trusted()) s = check();
  if (s.ok()) s = facts(rec, sink);
  return s;
}

// RecordKindFacts for a record kind decoded from its wire bytes (pnc_decode.h, pnd_decode.h;
// `rec.meta` its MetaFields), whose field rules the decoder checked as it read them: takes its
// id (a view into the record's bytes), applies its marking, then `facts(rec, sink)`. Returns
// the first failure.
template <typename Rec, typename Facts>
absl::Status DecodedKindFacts(const Rec& rec, Facts facts, RecordSink* sink,
                              std::string_view* id) {
  *id = rec.meta.record_id;
  absl::Status s = ApplyMeta(rec.meta, sink);
  if (s.ok()) s = facts(rec, sink);
  return s;
}

// Keeps the record's facts when `s` is OK, or quarantines the record under `id` with the
// reason in `s`.
inline void CommitOrQuarantine(const absl::Status& s, std::string id, RecordSink* sink) {
  if (s.ok()) {
    sink->Commit();
  } else {
    sink->Quarantine(std::move(id), std::string(s.message()));
  }
}
// The same with the id viewed in the record's bytes (copied only for a quarantine).
inline void CommitOrQuarantine(const absl::Status& s, std::string_view id, RecordSink* sink) {
  if (s.ok()) {
    sink->Commit();
  } else {
    sink->Quarantine(std::string(id), std::string(s.message()));
  }
}

// A force or reference as used inside keys: trimmed, upper-cased.
std::string KeyPart(std::string_view s);
void AppendKeyPart(std::string_view s, std::string* out);  // appends KeyPart(s)

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_VALIDATE_H_
