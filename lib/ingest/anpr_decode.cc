// DecodeAnpr (internal/anpr_decode.h): a pb::AnprRecord read straight from its wire bytes.
//
// How: one pass over the protobuf wire format, a switch on each tag byte per message type. The
// schema's field numbers are all below 16, so every tag in its shortest form is one byte; a
// tag of the wrong wire type for its field (protobuf keeps it as an unknown field), an unknown
// field, a group, a longer-than-needed varint or length, a truncated value: each makes the
// decoder give up, and the record is parsed by protobuf instead (rare: producers write the
// shortest forms). What protobuf does with repeated occurrences is mirrored: a scalar or text
// field keeps its last value, a sub-message merges into the one already decoded (decoded again
// into the same struct), caveats append, and a oneof case replaces the other case. Then the
// field rules of ValidateFields run on the final values (UTF-8 of every text field, known enum
// values, times, finite reals and coordinate ranges); any failure is also left to protobuf,
// whose path names the field in the reason.
// Cost: O(payload bytes); no allocation (views into the payload).
// Reference: https://protobuf.dev/programming-guides/encoding/ (wire format, "Last One Wins").
#include "ingest/internal/anpr_decode.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "ingest/internal/field_checks.h"
#include "ingest/internal/wire_read.h"
#include "polegraph/keys.h"

namespace polegraph::ingest_internal {

using wire::Bytes;
using wire::Fixed;
using wire::Int32;
using wire::Varint;

namespace {

// Each Decode* merges one occurrence of its message into *out, as protobuf's parser does.
bool DecodeMarking(std::string_view bytes, MetaFields* out) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  while (p < end) {
    std::string_view caveat;
    switch (*p++) {
      case 0x08:  // 1: classification (varint)
        if (!Int32(p, end, &out->classification)) return false;
        break;
      case 0x12:  // 2: owning_force (bytes)
        if (!Bytes(p, end, &out->owning_force)) return false;
        break;
      case 0x1A:  // 3: caveats (repeated bytes)
        if (!Bytes(p, end, &caveat)) return false;
        out->caveats.push_back(caveat);
        break;
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

bool DecodeMetaWire(std::string_view bytes, MetaFields* out) {
  out->present = true;
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  while (p < end) {
    std::string_view marking;
    switch (*p++) {
      case 0x0A:  // 1: record_id
        if (!Bytes(p, end, &out->record_id)) return false;
        break;
      case 0x12:  // 2: marking
        if (!Bytes(p, end, &marking) || !DecodeMarking(marking, out)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

namespace {

bool DecodeSite(std::string_view bytes, SiteFields* out) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  while (p < end) {
    std::string_view meta;
    switch (*p++) {
      case 0x0A:  // 1: meta
        if (!Bytes(p, end, &meta) || !DecodeMetaWire(meta, &out->meta)) return false;
        break;
      case 0x12:  // 2: site_id
        if (!Bytes(p, end, &out->site_id)) return false;
        break;
      case 0x19:  // 3: latitude (fixed64)
        if (!Fixed(p, end, &out->latitude)) return false;
        break;
      case 0x21:  // 4: longitude (fixed64)
        if (!Fixed(p, end, &out->longitude)) return false;
        break;
      case 0x2A:  // 5: road
        if (!Bytes(p, end, &out->road)) return false;
        break;
      case 0x30:  // 6: direction (varint)
        if (!Int32(p, end, &out->direction)) return false;
        break;
      case 0x38:  // 7: camera (varint)
        if (!Int32(p, end, &out->camera)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

bool DecodeRead(std::string_view bytes, ReadFields* out) {
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  while (p < end) {
    std::string_view meta;
    std::uint64_t v = 0;
    switch (*p++) {
      case 0x0A:  // 1: meta
        if (!Bytes(p, end, &meta) || !DecodeMetaWire(meta, &out->meta)) return false;
        break;
      case 0x12:  // 2: vrm
        if (!Bytes(p, end, &out->vrm)) return false;
        break;
      case 0x1A:  // 3: site_id
        if (!Bytes(p, end, &out->site_id)) return false;
        break;
      case 0x20:  // 4: lane (uint32: the low 32 bits)
        if (!Varint(p, end, &v)) return false;
        out->lane = static_cast<std::uint32_t>(v);
        break;
      case 0x28:  // 5: read_at (int64)
        if (!Varint(p, end, &v)) return false;
        out->read_at = static_cast<std::int64_t>(v);
        break;
      case 0x30:  // 6: read_at_ms (uint32)
        if (!Varint(p, end, &v)) return false;
        out->read_at_ms = static_cast<std::uint32_t>(v);
        break;
      case 0x3D:  // 7: confidence (fixed32 float)
        if (!Fixed(p, end, &out->confidence)) return false;
        break;
      case 0x42:  // 8: make
        if (!Bytes(p, end, &out->make)) return false;
        break;
      case 0x4A:  // 9: colour
        if (!Bytes(p, end, &out->colour)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

// The field rules of ValidateFields (validate.h) on decoded values.

bool EnumOk(std::int32_t v, std::int32_t max) { return v >= 0 && v <= max; }

bool RealOk(double v, double limit) { return std::isfinite(v) && std::fabs(v) <= limit; }

bool MetaOk(const MetaFields& m) {
  if (!TextIsValidUtf8(m.record_id) || !TextIsValidUtf8(m.owning_force) ||
      !EnumOk(m.classification, pb::Classification_MAX)) {
    return false;
  }
  for (std::string_view cv : m.caveats) {
    if (!TextIsValidUtf8(cv)) return false;
  }
  return true;
}

bool SiteOk(const SiteFields& s) {
  return MetaOk(s.meta) && TextIsValidUtf8(s.site_id) && TextIsValidUtf8(s.road) &&
         RealOk(s.latitude, 90) && RealOk(s.longitude, 180) &&
         EnumOk(s.direction, pb::Direction_MAX) && EnumOk(s.camera, pb::CameraType_MAX);
}

bool ReadOk(const ReadFields& r, std::int64_t extracted_at) {
  const bool time_ok =
      r.read_at >= 0 && !(extracted_at > 0 && r.read_at > extracted_at + kTimeSlackSeconds);
  return time_ok && MetaOk(r.meta) && TextIsValidUtf8(r.vrm) && TextIsValidUtf8(r.site_id) &&
         TextIsValidUtf8(r.make) && TextIsValidUtf8(r.colour) &&
         RealOk(r.confidence, std::numeric_limits<double>::infinity());
}

}  // namespace

bool DecodeAnpr(std::string_view payload, std::int64_t extracted_at, AnprFields* out) {
  // ExtractReader::Parse refuses payloads beyond INT_MAX bytes.
  if (payload.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return false;
  out->which = AnprFields::Case::kNone;
  const char* p = payload.data();
  const char* end = p + payload.size();
  while (p < end) {
    std::string_view sub;
    switch (*p++) {
      case 0x0A:  // 1: site
        if (!Bytes(p, end, &sub)) return false;
        if (out->which != AnprFields::Case::kSite) {  // a new case starts from defaults
          out->site.Clear();
          out->which = AnprFields::Case::kSite;
        }
        if (!DecodeSite(sub, &out->site)) return false;
        break;
      case 0x12:  // 2: read
        if (!Bytes(p, end, &sub)) return false;
        if (out->which != AnprFields::Case::kRead) {
          out->read.Clear();
          out->which = AnprFields::Case::kRead;
        }
        if (!DecodeRead(sub, &out->read)) return false;
        break;
      default:
        return false;
    }
  }
  switch (out->which) {
    case AnprFields::Case::kSite:
      return SiteOk(out->site);
    case AnprFields::Case::kRead:
      return ReadOk(out->read, extracted_at);
    default:
      return false;  // no case set: protobuf's path gives the reason
  }
}

}  // namespace polegraph::ingest_internal
