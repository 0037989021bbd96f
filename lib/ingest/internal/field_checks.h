// Internal to ingest: the field rules of ValidateFields, compiled once per message type
// (field_checks.cc), and the fast check of a serialised record against them (validate_wire.cc).
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_FIELD_CHECKS_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_FIELD_CHECKS_H_

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "polegraph/keys.h"

namespace polegraph::ingest_internal {

// What to check of one field, decided once per message type: the walks touch only the fields
// that have a rule (text, enums, times, reals, sub-messages), in field-number order (the order
// of Reflection::ListFields).
struct FieldCheck {
  enum class Kind : std::uint8_t { kText, kEnum, kTime, kFloat, kDouble, kMessage };
  const google::protobuf::FieldDescriptor* field = nullptr;
  Kind kind = Kind::kText;
  bool repeated = false;
  bool date = false;        // a pb::Date sub-message
  bool wire_ok = true;      // the wire check understands the field's encoding
  double limit = 0;         // |value| bound of a latitude (90) or longitude (180); 0: none
  int enum_min = 0;         // enums: valid[v - enum_min] for v in range
  std::vector<bool> valid;  // empty: look values up in the descriptor
  const struct TypeChecks* sub = nullptr;  // sub-messages: the checks of their type
};

inline constexpr std::int32_t kNoRule = -1;       // a known field no rule applies to
inline constexpr std::int32_t kUnknownField = -2;  // not a field of the type

struct TypeChecks {
  std::vector<FieldCheck> checks;      // by field number
  std::vector<std::int32_t> by_number;  // field number -> index into checks, or the above
  // For kNoRule fields: the wire type of their declared type, | 0x80 when a packed encoding
  // (wire type 2) is also valid. Another wire type makes protobuf keep the value as unknown.
  std::vector<std::uint8_t> wire_type;
};

// IsValidUtf8(s), with all-ASCII text (nearly every field) settled 8 bytes at a time inline.
inline bool TextIsValidUtf8(std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t high = 0;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    high |= w;
  }
  for (; n > 0; ++p, --n) high |= static_cast<unsigned char>(*p);
  return (high & 0x8080808080808080ull) == 0 || IsValidUtf8(s);
}

// The checks of a message type, compiled once per type and thread (references stay valid).
const TypeChecks& ChecksOf(const google::protobuf::Descriptor* type);

// A fast check of `payload`, a serialised message of `type` that has parsed, against the rules
// of ValidateFields, walking the wire bytes instead of the parsed message. Returns true only
// when ValidateFields would accept the message; false when a rule fails or the bytes hold
// something this check leaves to ValidateFields (an unknown field, a singular field repeated, an
// unexpected encoding) — the caller then runs ValidateFields for the verdict and the reason.
bool WireFieldsValid(std::string_view payload, const google::protobuf::Descriptor* type,
                     std::int64_t extracted_at);

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_FIELD_CHECKS_H_
