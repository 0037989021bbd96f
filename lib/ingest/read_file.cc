// Phase (a) of Ingest for one file: read every frame with ExtractReader, parse it into one
// reused message of the header's source, validate it and append its facts, or quarantine it.
// A damaged file stops at the damage: the error fails the ingest, or with `salvage` the
// records before it are kept and a SalvageNote says where reading stopped.
// Cost: O(file size); one message object is reused for every record (TOOLCHAIN.md: keeping
// parsed messages alive halves decode speed).
#include "absl/strings/str_cat.h"
#include "ingest/internal/facts.h"
#include "polegraph/anpr.pb.h"
#include "polegraph/extract.h"
#include "polegraph/pnc.pb.h"
#include "polegraph/pnd.pb.h"

namespace polegraph::ingest_internal {

FileFacts ReadFileFacts(const std::string& path, std::size_t path_index,
                        const IngestOptions& options) {
  FileFacts f;
  f.path = path;
  f.path_index = path_index;
  absl::StatusOr<std::unique_ptr<ExtractReader>> opened = ExtractReader::Open(path, options.limits);
  if (!opened.ok()) {
    if (options.salvage && opened.status().code() == absl::StatusCode::kDataLoss) {
      f.salvage = SalvageNote{path, 0, std::string(opened.status().message())};
      f.header_ok = false;
    } else {
      f.status = opened.status();
    }
    return f;
  }
  ExtractReader& reader = **opened;
  f.header = reader.header();
  pb::PncRecord pnc;
  pb::PndRecord pnd;
  pb::AnprRecord anpr;
  google::protobuf::Message* message;
  void (*facts)(const google::protobuf::Message&, std::int64_t, RecordSink*);
  switch (f.header.source()) {
    case pb::PNC:
      f.source = Source::kPnc, message = &pnc, facts = PncFacts;
      break;
    case pb::PND:
      f.source = Source::kPnd, message = &pnd, facts = PndFacts;
      break;
    case pb::ANPR:
      f.source = Source::kAnpr, message = &anpr, facts = AnprFacts;
      break;
    default:
      f.status = absl::InvalidArgumentError(
          absl::StrCat(path, ": extract header names no known source system (source ",
                       static_cast<int>(f.header.source()), "); expected PNC, PND or ANPR"));
      return f;
  }
  const std::int64_t extracted_at = f.header.extracted_at();
  RecordSink sink(&f);
  ExtractReader::Frame frame;
  // Offset of the first frame not yet read: after the magic and the header frame.
  std::uint64_t next_offset = 8 + 9 + f.header.ByteSizeLong();
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&frame);
    if (!more.ok()) {
      if (options.salvage) {
        f.salvage = SalvageNote{path, next_offset, std::string(more.status().message())};
        return f;
      }
      f.status = more.status();
      return f;
    }
    if (!*more) break;
    ++f.read;
    next_offset = frame.offset + 9 + frame.payload.size();
    sink.Begin(frame.offset, frame.index);
    absl::Status parsed = reader.Parse(frame.payload, message);
    if (!parsed.ok()) {
      sink.Quarantine("", absl::StrCat("payload does not parse: ", parsed.message()));
      continue;
    }
    facts(*message, extracted_at, &sink);
  }
  f.digest = reader.trailer().digest();
  return f;
}

}  // namespace polegraph::ingest_internal
