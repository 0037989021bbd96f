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
// Cost: O(size of the record).
#include "absl/strings/str_cat.h"
#include "ingest/internal/anpr_decode.h"
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

// One record kind's phase (a) once its field rules have passed (or were skipped): the
// marking, then the facts; returns the first failure, with the record id in *id.
template <typename Fields, typename Facts>
absl::Status KindFacts(const Fields& f, Facts facts, RecordSink* sink, std::string* id) {
  *id = std::string(f.meta.record_id);
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
  std::string id;
  if (record.which == AnprFields::Case::kSite) {
    s = KindFacts(record.site, SiteFacts, sink, &id);
  } else if (record.which == AnprFields::Case::kRead) {
    s = KindFacts(record.read, ReadFacts, sink, &id);
  } else {
    s = absl::InvalidArgumentError("ANPR record with no site or read set");
  }
  CommitOrQuarantine(s, std::move(id), sink);
}

}  // namespace polegraph::ingest_internal
