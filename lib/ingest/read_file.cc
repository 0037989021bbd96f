// Phase (a) of Ingest for one chunk of a file: walk its (already verified) record frames,
// parse each into one reused message of the file's source, validate it and append its facts,
// or quarantine it. Damage was found when the file was scanned (ExtractReader::ScanChunks), so
// nothing here can fail the ingest: a record that does not parse is quarantined. The field
// rules run on the wire bytes first (WireFieldsValid); the reflection walk only when needed.
// Cost: O(chunk bytes); one message object per source is reused for every record.
#include "absl/strings/str_cat.h"
#include "ingest/internal/facts.h"
#include "ingest/internal/field_checks.h"

namespace polegraph::ingest_internal {

absl::StatusOr<Source> HeaderSource(const pb::ExtractHeader& header, const std::string& path) {
  switch (header.source()) {
    case pb::PNC:
      return Source::kPnc;
    case pb::PND:
      return Source::kPnd;
    case pb::ANPR:
      return Source::kAnpr;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": extract header names no known source system (source ",
                       static_cast<int>(header.source()), "); expected PNC, PND or ANPR"));
  }
}

ChunkFacts ChunkParser::Parse(const ExtractReader& reader, const ExtractReader::Chunk& chunk,
                              bool index_only, const std::uint8_t* trusted) {
  ChunkFacts facts;
  google::protobuf::Message* message = &pnc_;
  void (*to_facts)(const google::protobuf::Message&, std::int64_t, RecordSink*) = PncFacts;
  switch (reader.header().source()) {
    case pb::PND:
      facts.source = Source::kPnd, message = &pnd_, to_facts = PndFacts;
      break;
    case pb::ANPR:
      facts.source = Source::kAnpr, message = &anpr_, to_facts = AnprFacts;
      break;
    default:  // PNC; Ingest rejects other sources before parsing
      break;
  }
  const std::int64_t extracted_at = reader.header().extracted_at();
  const google::protobuf::Descriptor* descriptor = message->GetDescriptor();
  RecordSink sink(&reader.path(), &facts, index_only);
  reader.ForEachRecord(chunk, [&](const ExtractReader::Frame& frame) {
    sink.Begin(frame.offset, frame.index, trusted != nullptr && trusted[frame.index] != 0);
    absl::Status parsed = reader.Parse(frame.payload, message);
    if (!parsed.ok()) {
      sink.Quarantine("", absl::StrCat("payload does not parse: ", parsed.message()));
      return;
    }
    // The field rules on the wire bytes: several times cheaper than the reflection walk, which
    // then runs only for the records this check does not pass (to give the verdict and reason).
    if (!sink.trusted() && WireFieldsValid(frame.payload, descriptor, extracted_at)) sink.Trust();
    to_facts(*message, extracted_at, &sink);
  });
  return facts;
}

}  // namespace polegraph::ingest_internal
