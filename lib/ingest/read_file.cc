// Phase (a) of Ingest for one chunk of a file: read its (already verified) record frames into
// the parser's buffer (ExtractReader::ForEachRecord), parse each into a message of the file's
// source (on a small per-thread arena), validate it and append its facts, or quarantine it.
// Damage was found when the file was scanned (ExtractReader::ScanChunks): a record that does
// not parse is quarantined; only a file that changed since its scan (or an I/O error) fails
// the chunk (ChunkFacts::status), and with it the ingest. The field rules run on the wire
// bytes first (WireFieldsValid); the reflection walk only when needed.
// ANPR records skip protobuf altogether when the hand-written decoder takes them (DecodeAnpr),
// and so do PND records (DecodePnd, PndFieldsFacts) and PNC records (DecodePnc,
// PncFieldsFacts; in the index-only pass DecodePncIndex, PncIndexFieldsFacts).
// Cost: O(chunk bytes); records are parsed onto a small arena that is reset every few records.
// Tried and dropped (session 8): a pool of the large fact arrays of freed chunks (at most 4
// sets, each array kept when the next chunk was expected to fill half of it), handed to the
// next chunks parsed so that their pages need not fault in again. Parse page-fault samples at
// scale 10 fell 0.41 -> 0.33 s, but the kept arrays (4 pooled sets on top of the window of 8,
// some with twice the capacity used) raised the ingest's peak RSS 2.38-2.41 -> 2.47-2.50 GB, and
// the peak must not grow.
#include <cstdint>
#include <memory>

#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "ingest/internal/anpr_decode.h"
#include "ingest/internal/facts.h"
#include "ingest/internal/field_checks.h"
#include "ingest/internal/pnc_decode.h"
#include "ingest/internal/pnc_index_decode.h"
#include "ingest/internal/pnd_decode.h"

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

ChunkParser::ChunkParser() = default;
ChunkParser::~ChunkParser() = default;

ChunkFacts ChunkParser::Parse(const ExtractReader& reader, const ExtractReader::Chunk& chunk,
                              bool index_only, const std::uint8_t* trusted) {
  constexpr std::size_t kArenaBlock = 256 << 10;
  constexpr int kRecordsPerArena = 32;  // records parsed between arena resets
  ChunkFacts facts;
  const pb::SourceSystem source = reader.header().source();
  void (*to_facts)(const google::protobuf::Message&, std::int64_t, RecordSink*) = PncFacts;
  switch (source) {
    case pb::PND:
      facts.source = Source::kPnd, to_facts = PndFacts;
      break;
    case pb::ANPR:
      facts.source = Source::kAnpr, to_facts = AnprFacts;
      break;
    default:  // PNC; Ingest rejects other sources before parsing
      break;
  }
  if (arena_block_ == nullptr) arena_block_ = std::make_unique<char[]>(kArenaBlock);
  google::protobuf::ArenaOptions options;
  options.initial_block = arena_block_.get();
  options.initial_block_size = kArenaBlock;
  google::protobuf::Arena arena(options);
  auto fresh = [&]() -> google::protobuf::Message* {
    using google::protobuf::Arena;
    switch (source) {
      case pb::PND:
        return Arena::CreateMessage<pb::PndRecord>(&arena);
      case pb::ANPR:
        return Arena::CreateMessage<pb::AnprRecord>(&arena);
      default:
        return Arena::CreateMessage<pb::PncRecord>(&arena);
    }
  };
  google::protobuf::Message* message = fresh();
  int on_arena = 0;
  const std::int64_t extracted_at = reader.header().extracted_at();
  const google::protobuf::Descriptor* descriptor = message->GetDescriptor();
  SizeHint& hint = hints_[static_cast<int>(facts.source)][index_only ? 1 : 0];
  if (hint.records > 0) {  // a chunk of this kind was parsed before: reserve a little more
    const double n = static_cast<double>(chunk.records) * 1.03;
    auto reserve = [n](auto& v, double per_record) {
      v.reserve(static_cast<std::size_t>(per_record * n) + 16);
    };
    reserve(facts.chars, hint.chars);
    reserve(facts.records, hint.records);
    reserve(facts.labels, hint.labels);
    reserve(facts.nodes, hint.nodes);
    reserve(facts.people, hint.people);
    reserve(facts.positions, hint.positions);
    reserve(facts.edges, hint.edges);
    reserve(facts.props, hint.props);
    reserve(facts.names, hint.names);
    reserve(facts.vrms, hint.vrms);
  }
  RecordSink sink(&reader.path(), &facts, index_only);
  const bool decode = source == pb::ANPR && reader.limits().max_nesting >= kAnprDecodeDepth;
  AnprFields decoded;
  // The first PNC pass needs only each record's verdict and index entries.
  const bool index_decode =
      index_only && source == pb::PNC && reader.limits().max_nesting >= kPncIndexDecodeDepth;
  PncIndexFields pnc_fields;
  const bool pnd_decode = source == pb::PND && reader.limits().max_nesting >= kPndDecodeDepth;
  if (pnd_decode && pnd_fields_ == nullptr) pnd_fields_ = std::make_unique<PndFields>();
  // The second PNC pass (the graph facts).
  const bool pnc_decode =
      !index_only && source == pb::PNC && reader.limits().max_nesting >= kPncDecodeDepth;
  if (pnc_decode && pnc_fields_ == nullptr) pnc_fields_ = std::make_unique<PncFields>();
  facts.status = reader.ForEachRecord(chunk, &bytes_, [&](const ExtractReader::Frame& frame) {
    if (++on_arena > kRecordsPerArena) {
      arena.Reset();
      message = fresh();
      on_arena = 1;
    }
    sink.Begin(frame.offset, frame.index, trusted != nullptr && trusted[frame.index] != 0);
    if (decode && DecodeAnpr(frame.payload, extracted_at, &decoded)) {
      AnprFieldsFacts(decoded, &sink);
      return;
    }
    if (pnd_decode && DecodePnd(frame.payload, extracted_at, pnd_fields_.get())) {
      PndFieldsFacts(*pnd_fields_, &sink);
      return;
    }
    if (pnc_decode && DecodePnc(frame.payload, extracted_at, pnc_fields_.get())) {
      PncFieldsFacts(*pnc_fields_, &sink);
      return;
    }
    if (index_decode && DecodePncIndex(frame.payload, extracted_at, &pnc_fields) &&
        PncIndexFieldsFacts(pnc_fields, &sink)) {
      return;
    }
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
  if (chunk.records > 0) {
    const double n = static_cast<double>(chunk.records);
    hint = SizeHint{facts.chars.size() / n, facts.records.size() / n, facts.labels.size() / n,
                    facts.nodes.size() / n, facts.people.size() / n,  facts.positions.size() / n,
                    facts.edges.size() / n, facts.props.size() / n,   facts.names.size() / n,
                    facts.vrms.size() / n};
  }
  return facts;
}

}  // namespace polegraph::ingest_internal
