// ANPR records -> facts.
//   Site: Location "SITE-<SITE ID>" with position, road, direction and camera type; the site
//   id joins the set of defined sites.
//   Read: Plate keyed by the normalised VRM as read, SEEN_AT the site's Location at read_at;
//   the make and colour the camera recognised, when it did, as plate properties "read_make"
//   and "read_colour" of the read's record (so clone analysis can compare them with PNC).
//   Whether the site is defined (by any ANPR extract of the ingest) is checked when the read
//   is applied (resolve.cc), since a read may name a site of another extract or chunk.
// Both paths — a parsed pb::AnprRecord (AnprFacts) and a record decoded from its wire bytes
// (AnprFieldsFacts, anpr_decode.h) — turn the record into the same flat fields first, so one
// piece of code gives the facts and reasons of both.
// The decoded path also takes shortcuts which the protobuf path does without, so that
// anpr_decode_test.cc checks them against it: a read of a site met before in the chunk
// (RecordSink::AnprCache) reuses the site key's text and NodeHash instead of building, copying
// and hashing "SITE-<ID>" again; the VRM is normalised into a buffer on the stack; the record
// id is copied only for a quarantine. (Reusing the last record's label when the marking is the
// same was tried and dropped: consecutive reads rarely share a marking, and the misses cost
// more than ApplyMeta's own cache saved.)
// Cost: O(size of the record).
#include "absl/strings/str_cat.h"
#include "ingest/internal/anpr_decode.h"
#include "ingest/internal/keys_fast.h"
#include "ingest/internal/validate.h"
#include "polegraph/anpr.pb.h"
#include "polegraph/keys.h"

namespace polegraph::ingest_internal {
namespace {

// "SITE-" + KeyPart(site_id), or empty when that part is.
std::string SiteKey(std::string_view site_id) {
  std::string key;
  key.reserve(5 + site_id.size());
  key = "SITE-";
  AppendKeyPart(site_id, &key);
  if (key.size() == 5) key.clear();
  return key;
}

// The facts of a site or read whose field rules passed (enum values are known ones).
absl::Status SiteFacts(const SiteFields& s, RecordSink* sink) {
  std::string key = SiteKey(s.site_id);
  if (key.empty()) return absl::InvalidArgumentError("site without site id");
  const std::uint32_t site = sink->Node(NodeKind::kLocation, std::move(key));
  sink->SetDefinedSite(site);
  if (s.latitude != 0 || s.longitude != 0) sink->Position(site, s.latitude, s.longitude);
  sink->Prop(site, "road", s.road);
  if (s.direction != pb::DIRECTION_UNSPECIFIED) {
    sink->Prop(site, "direction", pb::Direction_Name(static_cast<pb::Direction>(s.direction)));
  }
  if (s.camera != pb::CAMERA_UNSPECIFIED) {
    sink->Prop(site, "camera", pb::CameraType_Name(static_cast<pb::CameraType>(s.camera)));
  }
  return absl::OkStatus();
}

absl::Status ReadFacts(const ReadFields& r, RecordSink* sink) {
  const std::string vrm = NormaliseVrm(r.vrm);
  if (vrm.empty()) return absl::InvalidArgumentError("read without VRM");
  std::string site_key = SiteKey(r.site_id);
  if (site_key.empty()) return absl::InvalidArgumentError("read without site id");
  if (!IsValidVrm(vrm)) {
    return absl::InvalidArgumentError(absl::StrCat("read: invalid VRM '", vrm, "'"));
  }
  if (!(r.confidence >= 0.0f && r.confidence <= 1.0f)) {
    return absl::InvalidArgumentError(
        absl::StrCat("read: confidence ", r.confidence, " is outside 0..1"));
  }
  const std::uint32_t plate = sink->Node(NodeKind::kPlate, vrm);
  const std::uint32_t site = sink->Node(NodeKind::kLocation, std::move(site_key));
  sink->Edge(plate, site, EdgeKind::kSeenAt, r.read_at);
  sink->Prop(plate, "read_make", r.make);  // empty values are not kept
  sink->Prop(plate, "read_colour", r.colour);
  sink->SetReadSite(site);
  return absl::OkStatus();
}

// NormaliseVrm(vrm) (keys.h) written into buf, which holds at least vrm.size() chars.
std::string_view NormaliseVrmInto(std::string_view vrm, char* buf) {
  std::size_t n = 0;
  for (char c : vrm) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '-' || c == '.') {
      continue;
    }
    buf[n++] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return std::string_view(buf, n);
}

// ReadFacts with the chunk's shortcuts: the same facts and reasons, in the same order.
absl::Status CachedReadFacts(const ReadFields& r, RecordSink* sink) {
  char buf[32];
  std::string long_vrm;
  std::string_view vrm;
  if (r.vrm.size() <= sizeof buf) {
    vrm = NormaliseVrmInto(r.vrm, buf);
  } else {
    long_vrm = NormaliseVrm(r.vrm);
    vrm = long_vrm;
  }
  if (vrm.empty()) return absl::InvalidArgumentError("read without VRM");
  auto& sites = sink->anpr_cache().sites;
  const auto known = sites.find(std::string_view(r.site_id.data(), r.site_id.size()));
  std::string site_key;
  if (known == sites.end()) {
    site_key = SiteKey(r.site_id);
    if (site_key.empty()) return absl::InvalidArgumentError("read without site id");
  }
  if (!FastIsValidVrm(vrm)) {
    return absl::InvalidArgumentError(absl::StrCat("read: invalid VRM '", Av(vrm), "'"));
  }
  if (!(r.confidence >= 0.0f && r.confidence <= 1.0f)) {
    return absl::InvalidArgumentError(
        absl::StrCat("read: confidence ", r.confidence, " is outside 0..1"));
  }
  const std::uint32_t plate = sink->Node(NodeKind::kPlate, vrm);
  std::uint32_t site;
  if (known != sites.end()) {
    site = sink->NodeHashed(NodeKind::kLocation, known->second.key, known->second.hash);
  } else {
    RecordSink::AnprCache::Site entry;
    entry.key = sink->chunk().AddText(site_key);
    entry.hash = GraphBuilder::NodeHash(NodeKind::kLocation, site_key);
    site = sink->NodeHashed(NodeKind::kLocation, entry.key, entry.hash);
    sites.emplace(std::string(r.site_id), entry);
  }
  sink->Edge(plate, site, EdgeKind::kSeenAt, r.read_at);
  sink->Prop(plate, "read_make", r.make);
  sink->Prop(plate, "read_colour", r.colour);
  sink->SetReadSite(site);
  return absl::OkStatus();
}

// One decoded record kind's phase (a) (its field rules passed in DecodeAnpr): the marking,
// then the facts; returns the first failure.
template <typename Fields, typename Facts>
absl::Status KindFacts(const Fields& f, Facts facts, RecordSink* sink) {
  absl::Status s = ApplyMeta(f.meta, sink);
  if (s.ok()) s = facts(f, sink);
  return s;
}

}  // namespace

SiteFields SiteFields::Of(const pb::Site& s) {
  SiteFields f;
  f.meta = MetaFields::Of(s.has_meta(), s.meta());
  f.site_id = s.site_id();
  f.road = s.road();
  f.latitude = s.latitude();
  f.longitude = s.longitude();
  f.direction = s.direction();
  f.camera = s.camera();
  return f;
}

ReadFields ReadFields::Of(const pb::Read& r) {
  ReadFields f;
  f.meta = MetaFields::Of(r.has_meta(), r.meta());
  f.vrm = r.vrm();
  f.site_id = r.site_id();
  f.make = r.make();
  f.colour = r.colour();
  f.lane = r.lane();
  f.read_at = r.read_at();
  f.read_at_ms = r.read_at_ms();
  f.confidence = r.confidence();
  return f;
}

void AnprFacts(const google::protobuf::Message& message, std::int64_t extracted_at,
               RecordSink* sink) {
  const auto& r = static_cast<const pb::AnprRecord&>(message);
  absl::Status s;
  std::string id;
  // As RecordKindFacts (validate.h), on the record's values viewed as AnprFields.
  auto kind = [&](const auto& fields, auto facts) {
    id = std::string(fields.meta.record_id);
    s = ApplyMeta(fields.meta, sink);
    if (s.ok() && !sink->trusted()) s = ValidateFields(r, extracted_at);
    if (s.ok()) s = facts(fields, sink);
  };
  switch (r.record_case()) {
    case pb::AnprRecord::kSite:
      kind(SiteFields::Of(r.site()), SiteFacts);
      break;
    case pb::AnprRecord::kRead:
      kind(ReadFields::Of(r.read()), ReadFacts);
      break;
    default:
      s = ValidateFields(r, extracted_at);
      if (s.ok()) s = absl::InvalidArgumentError("ANPR record with no site or read set");
      break;
  }
  CommitOrQuarantine(s, std::move(id), sink);
}

void AnprFieldsFacts(const AnprFields& record, RecordSink* sink) {
  absl::Status s;
  std::string_view id;  // a view into the record's bytes, copied only for a quarantine
  if (record.which == AnprFields::Case::kSite) {
    id = record.site.meta.record_id;
    s = KindFacts(record.site, SiteFacts, sink);
  } else if (record.which == AnprFields::Case::kRead) {
    id = record.read.meta.record_id;
    s = KindFacts(record.read, CachedReadFacts, sink);
  } else {
    s = absl::InvalidArgumentError("ANPR record with no site or read set");
  }
  if (s.ok()) {
    sink->Commit();
  } else {
    sink->Quarantine(std::string(id), std::string(s.message()));
  }
}

}  // namespace polegraph::ingest_internal
