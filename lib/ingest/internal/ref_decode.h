// Internal to ingest: the pieces shared by the hand-written record decoders (pnd_decode.cc,
// pnc_decode.cc): strict readers of one value that also check its field rule (the rules of
// ValidateFields, validate.h), and decoders of the shared messages of common.proto into their
// views (ref_views.h). Like wire_read.h they answer false for anything but the shortest,
// complete encoding of a value protobuf would parse and the rules accept, and for a singular
// field given twice; the caller then leaves the record to protobuf.
// Reference: https://protobuf.dev/programming-guides/encoding/
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_REF_DECODE_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_REF_DECODE_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "ingest/internal/field_checks.h"
#include "ingest/internal/ref_views.h"
#include "ingest/internal/validate.h"
#include "ingest/internal/wire_read.h"

namespace polegraph::ingest_internal::ref_wire {

using wire::Bytes;
using wire::Fixed;
using wire::Int32;
using wire::Varint;

// Marks field `number` of the message being decoded as met; false when it was met before.
inline bool Once(std::uint32_t* seen, int number) {
  const std::uint32_t bit = 1u << number;
  if ((*seen & bit) != 0) return false;
  *seen |= bit;
  return true;
}

inline bool Int64(const char*& p, const char* end, std::int64_t* out) {
  std::uint64_t v = 0;
  if (!Varint(p, end, &v)) return false;
  *out = static_cast<std::int64_t>(v);
  return true;
}

// The field rules of ValidateFields (validate.h), checked on each value as it is read.

// A text (bytes) field: valid UTF-8.
inline bool Text(const char*& p, const char* end, std::string_view* out) {
  return Bytes(p, end, out) && TextIsValidUtf8(*out);
}

// An enum field: a value its schema knows.
inline bool Enum(const char*& p, const char* end, bool (*known)(int), std::int32_t* out) {
  return Int32(p, end, out) && known(*out);
}

// A time (every int64 of the schema): not negative, not more than a day after the extract.
inline bool Time(const char*& p, const char* end, std::int64_t at, std::int64_t* out) {
  return Int64(p, end, out) && *out >= 0 && !(at > 0 && *out > at + kTimeSlackSeconds);
}

// A latitude (limit 90) or longitude (180): finite and within the limit.
inline bool Coordinate(const char*& p, const char* end, double limit, double* out) {
  return Fixed(p, end, out) && std::isfinite(*out) && std::fabs(*out) <= limit;
}

// The record meta's rules: UTF-8 texts, a known classification.
bool MetaOk(const MetaFields& m);

// A walk over the fields of one message's bytes: Next() reads the next tag byte; fields that
// may occur once go through Single().
struct Fields {
  explicit Fields(std::string_view bytes) : p(bytes.data()), end(bytes.data() + bytes.size()) {}
  bool more() const { return p < end; }
  unsigned Next() { return static_cast<unsigned char>(*p++); }
  bool Single(unsigned tag) { return Once(&seen, static_cast<int>(tag >> 3)); }
  const char* p;
  const char* end;
  std::uint32_t seen = 0;
};

// One message's bytes, field by field: field(f, tag) reads the value of the field whose tag byte
// it was just given (at f.p) and answers false for an unknown tag or a value it rejects; a
// lambda with the message's switch, inlined. True when every field was read and accepted.
template <typename Field>
inline bool DecodeFields(std::string_view bytes, Field field) {
  Fields f(bytes);
  while (f.more()) {
    const unsigned tag = f.Next();
    if (!field(f, tag)) return false;
  }
  return true;
}

// DecodeFields for a message whose fields may all occur once only: false for one given twice.
template <typename Field>
inline bool DecodeSingleFields(std::string_view bytes, Field field) {
  return DecodeFields(bytes,
                      [&field](Fields& f, unsigned tag) { return f.Single(tag) && field(f, tag); });
}

// Each decodes one occurrence of its message into *out (fresh defaults), checking the rules
// of its fields; `at` is the extract time that bounds dates and times.
bool DecodeDate(std::string_view bytes, std::int64_t at, view::Date* out);
bool DecodeName(std::string_view bytes, view::PersonName* out);
bool DecodeAddress(std::string_view bytes, view::Address* out);
bool DecodePersonRef(std::string_view bytes, std::int64_t at, view::PersonRef* out);
bool DecodeVehicleRef(std::string_view bytes, view::VehicleRef* out);
// A RecordMeta field's bytes at f.p (DecodeMetaWire, anpr_decode.h), then its rules.
bool DecodeMeta(Fields& f, MetaFields* meta);

// A repeated sub-message field: one more element, decoded from the field's bytes at f.p.
template <typename T, typename Decode>
inline bool AddElement(Fields& f, std::vector<T>* to, Decode decode) {
  std::string_view sub;
  return Bytes(f.p, f.end, &sub) && decode(sub, &to->emplace_back());
}

// A record message: a oneof of sub-messages and nothing else. Each field's bytes go to
// decode(tag, sub) (inlined: a lambda with the record's switch), which sets the case and
// decodes it, false for an unknown tag or a value it rejects. True when exactly one case was
// given and decoded; false for none, for the oneof given twice (left to protobuf), for a
// payload beyond INT_MAX bytes (ExtractReader::Parse refuses those) or for a malformed one.
template <typename Decode>
inline bool DecodeOneof(std::string_view payload, Decode decode) {
  if (payload.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return false;
  Fields f(payload);
  bool set = false;
  while (f.more()) {
    const unsigned tag = f.Next();
    if (set) return false;  // the oneof twice
    std::string_view sub;
    if (!Bytes(f.p, f.end, &sub) || !decode(tag, sub)) return false;
    set = true;
  }
  return set;
}

}  // namespace polegraph::ingest_internal::ref_wire

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_REF_DECODE_H_
