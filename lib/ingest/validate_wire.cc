// WireFieldsValid (internal/field_checks.h): the rules of ValidateFields checked on the
// serialised bytes of a record rather than through reflection on the parsed message.
//
// How: one pass over the protobuf wire format, driven by the compiled per-type checks: a tag
// names the field (a dense index by field number), its value is decoded only as far as its
// rule needs (UTF-8 of text, the enum table, the time bounds, finiteness and range of reals, the
// year/month/day of a Date) and sub-messages recurse. Every occurrence is checked, packed
// repeated values included. Whatever the reflection walk would judge differently — an unknown
// field, a singular field occurring twice (protobuf keeps the last, or merges messages), an
// encoding the check does not expect — makes it answer false, and the caller falls back to the
// reflection walk; so "true" always means the reflection walk would accept the message, and the
// verdict and reason of every record are the reflection walk's.
// Cost: O(payload bytes), no allocation (a singular-field bitmask per message).
#include <cmath>
#include <cstddef>
#include <cstring>

#include "ingest/internal/field_checks.h"
#include "ingest/internal/validate.h"
#include "polegraph/keys.h"

namespace polegraph::ingest_internal {
namespace {

using Kind = FieldCheck::Kind;

bool Varint(const char*& p, const char* end, std::uint64_t* v) {
  if (p < end && static_cast<unsigned char>(*p) < 0x80) {  // one byte: most tags and lengths
    *v = static_cast<unsigned char>(*p++);
    return true;
  }
  std::uint64_t x = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    const auto b = static_cast<unsigned char>(*p++);
    x |= std::uint64_t{b & 0x7Fu} << shift;
    if (b < 0x80) {
      *v = x;
      return true;
    }
  }
  return false;
}

bool TimeOk(std::int64_t t, std::int64_t extracted_at) {
  return t >= 0 && !(extracted_at > 0 && t > extracted_at + kTimeSlackSeconds);
}

bool EnumOk(const FieldCheck& c, std::uint64_t raw) {
  const std::int64_t v = static_cast<std::int32_t>(static_cast<std::uint32_t>(raw));
  const std::int64_t at = v - c.enum_min;
  return at >= 0 && at < static_cast<std::int64_t>(c.valid.size()) &&
         c.valid[static_cast<std::size_t>(at)];
}

bool RealOk(const FieldCheck& c, double v) {
  return std::isfinite(v) && !(c.limit > 0 && std::fabs(v) > c.limit);
}

// A little-endian float or double at p (advanced past it), finite and within its limit.
template <typename Real>
bool FixedRealOk(const FieldCheck& c, const char*& p, const char* end) {
  Real v;
  if (end - p < static_cast<std::ptrdiff_t>(sizeof v)) return false;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return RealOk(c, v);
}

// A Date's bytes: only fields 1-3 (year, month, day) as varints, each at most once.
bool DateOk(std::string_view bytes, std::int64_t extracted_at) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  std::int64_t part[4] = {0, 0, 0, 0};
  bool seen[4] = {false, false, false, false};
  while (p < end) {
    std::uint64_t tag = 0, v = 0;
    if (!Varint(p, end, &tag) || (tag & 7) != 0) return false;
    const std::uint64_t field = tag >> 3;
    if (field < 1 || field > 3 || seen[field] || !Varint(p, end, &v)) return false;
    seen[field] = true;
    part[field] = static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  }
  pb::Date d;
  d.set_year(static_cast<std::int32_t>(part[1]));
  d.set_month(static_cast<std::int32_t>(part[2]));
  d.set_day(static_cast<std::int32_t>(part[3]));
  return CheckDate(d, extracted_at).ok();
}

// One value of a scalar field with its wire type; packed repeated values loop here too.
bool ScalarOk(const FieldCheck& c, int wire_type, const char*& p, const char* end,
              std::int64_t extracted_at) {
  auto one = [&](int wt) {
    switch (c.kind) {
      case Kind::kEnum:
      case Kind::kTime: {
        std::uint64_t v = 0;
        if (wt != 0 || !Varint(p, end, &v)) return false;
        return c.kind == Kind::kEnum ? EnumOk(c, v)
                                     : TimeOk(static_cast<std::int64_t>(v), extracted_at);
      }
      case Kind::kFloat:
        return wt == 5 && FixedRealOk<float>(c, p, end);
      case Kind::kDouble:
        return wt == 1 && FixedRealOk<double>(c, p, end);
      default:
        return false;
    }
  };
  if (wire_type != 2) return one(wire_type);
  if (!c.repeated) return false;  // a packed encoding of a singular field
  std::uint64_t len = 0;
  if (!Varint(p, end, &len) || len > static_cast<std::uint64_t>(end - p)) return false;
  const char* packed_end = p + len;
  const int wt = c.kind == Kind::kFloat ? 5 : c.kind == Kind::kDouble ? 1 : 0;
  while (p < packed_end) {
    if (!one(wt) || p > packed_end) return false;
  }
  return true;
}

bool SkipValue(int wire_type, const char*& p, const char* end) {
  std::uint64_t v = 0;
  switch (wire_type) {
    case 0:
      return Varint(p, end, &v);
    case 1:
      if (end - p < 8) return false;
      p += 8;
      return true;
    case 2:
      if (!Varint(p, end, &v) || v > static_cast<std::uint64_t>(end - p)) return false;
      p += v;
      return true;
    case 5:
      if (end - p < 4) return false;
      p += 4;
      return true;
    default:  // groups: not in these schemas
      return false;
  }
}

bool Walk(std::string_view bytes, const TypeChecks& type, std::int64_t extracted_at) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  std::uint64_t seen = 0;  // singular fields met, by check index (< 64; more: give up)
  while (p < end) {
    std::uint64_t tag = 0;
    if (!Varint(p, end, &tag)) return false;
    const std::uint64_t number = tag >> 3;
    const int wire_type = static_cast<int>(tag & 7);
    if (number == 0 || number >= type.by_number.size()) return false;
    const std::int32_t slot = type.by_number[number];
    if (slot == kUnknownField) return false;
    if (slot == kNoRule) {
      const std::uint8_t expected = type.wire_type[number];
      const bool packed = (expected & 0x80) != 0 && wire_type == 2;
      if ((wire_type != (expected & 0x7F) && !packed) || !SkipValue(wire_type, p, end)) {
        return false;  // another wire type: protobuf keeps it as an unknown field
      }
      continue;
    }
    const FieldCheck& c = type.checks[static_cast<std::size_t>(slot)];
    if (!c.wire_ok) return false;
    if (!c.repeated) {
      if (slot >= 64 || (seen >> slot & 1u) != 0) return false;
      seen |= std::uint64_t{1} << slot;
    }
    if (c.kind == Kind::kText || c.kind == Kind::kMessage) {
      std::uint64_t len = 0;
      if (wire_type != 2 || !Varint(p, end, &len) || len > static_cast<std::uint64_t>(end - p)) {
        return false;
      }
      const std::string_view value(p, len);
      p += len;
      if (c.kind == Kind::kText) {
        if (!TextIsValidUtf8(value)) return false;
      } else if (c.date ? !DateOk(value, extracted_at)
                        : !Walk(value, *c.sub, extracted_at)) {
        return false;
      }
      continue;
    }
    if (!ScalarOk(c, wire_type, p, end, extracted_at)) return false;
  }
  return true;
}

}  // namespace

bool WireFieldsValid(std::string_view payload, const google::protobuf::Descriptor* type,
                     std::int64_t extracted_at) {
  return Walk(payload, ChecksOf(type), extracted_at);
}

}  // namespace polegraph::ingest_internal
