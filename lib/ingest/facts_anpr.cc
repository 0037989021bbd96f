// ANPR records -> facts.
//   Site: Location "SITE-<SITE ID>" with position, road, direction and camera type; the site
//   id joins the set of defined sites.
//   Read: Plate keyed by the normalised VRM as read, SEEN_AT the site's Location at read_at;
//   the make and colour the camera recognised, when it did, as plate properties "read_make"
//   and "read_colour" of the read's record (so clone analysis can compare them with PNC).
//   Whether the site is defined (by any ANPR extract of the ingest) is checked when the read
//   is applied (resolve.cc), since a read may name a site of another extract or chunk.
// Cost: O(size of the record).
#include "absl/strings/str_cat.h"
#include "ingest/internal/validate.h"
#include "polegraph/anpr.pb.h"
#include "polegraph/keys.h"

namespace polegraph::ingest_internal {
namespace {

std::string SiteKey(std::string_view site_id) {
  std::string id = KeyPart(site_id);
  return id.empty() ? id : absl::StrCat("SITE-", id);
}

absl::Status SiteFacts(const pb::Site& s, RecordSink* sink) {
  std::string key = SiteKey(s.site_id());
  if (key.empty()) return absl::InvalidArgumentError("site without site id");
  const std::uint32_t site = sink->Node(NodeKind::kLocation, std::move(key));
  sink->SetDefinedSite(site);
  if (s.latitude() != 0 || s.longitude() != 0) sink->Position(site, s.latitude(), s.longitude());
  sink->Prop(site, "road", s.road());
  if (s.direction() != pb::DIRECTION_UNSPECIFIED) {
    sink->Prop(site, "direction", pb::Direction_Name(s.direction()));
  }
  if (s.camera() != pb::CAMERA_UNSPECIFIED) {
    sink->Prop(site, "camera", pb::CameraType_Name(s.camera()));
  }
  return absl::OkStatus();
}

absl::Status ReadFacts(const pb::Read& r, RecordSink* sink) {
  const std::string vrm = NormaliseVrm(r.vrm());
  if (vrm.empty()) return absl::InvalidArgumentError("read without VRM");
  std::string site_key = SiteKey(r.site_id());
  if (site_key.empty()) return absl::InvalidArgumentError("read without site id");
  if (!IsValidVrm(vrm)) {
    return absl::InvalidArgumentError(absl::StrCat("read: invalid VRM '", vrm, "'"));
  }
  if (!(r.confidence() >= 0.0f && r.confidence() <= 1.0f)) {
    return absl::InvalidArgumentError(
        absl::StrCat("read: confidence ", r.confidence(), " is outside 0..1"));
  }
  const std::uint32_t plate = sink->Node(NodeKind::kPlate, vrm);
  const std::uint32_t site = sink->Node(NodeKind::kLocation, std::move(site_key));
  sink->Edge(plate, site, EdgeKind::kSeenAt, r.read_at());
  sink->Prop(plate, "read_make", r.make());  // empty values are not kept
  sink->Prop(plate, "read_colour", r.colour());
  sink->SetReadSite(site);
  return absl::OkStatus();
}

}  // namespace

void AnprFacts(const google::protobuf::Message& message, std::int64_t extracted_at,
               RecordSink* sink) {
  const auto& r = static_cast<const pb::AnprRecord&>(message);
  absl::Status s;
  std::string id;
  switch (r.record_case()) {
    case pb::AnprRecord::kSite:
      s = RecordKindFacts(
          r.site(), [&] { return ValidateFields(r, extracted_at); }, SiteFacts, sink, &id);
      break;
    case pb::AnprRecord::kRead:
      s = RecordKindFacts(
          r.read(), [&] { return ValidateFields(r, extracted_at); }, ReadFacts, sink, &id);
      break;
    default:
      s = ValidateFields(r, extracted_at);
      if (s.ok()) s = absl::InvalidArgumentError("ANPR record with no site or read set");
      break;
  }
  CommitOrQuarantine(s, std::move(id), sink);
}

}  // namespace polegraph::ingest_internal
