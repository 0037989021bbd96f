// The oracle of the record decoders' tests (pnd_decode_test.cc, pnc_decode_test.cc): the
// graph pass of ChunkParser::Parse done the protobuf way (ExtractReader::Parse, the wire check,
// the source's facts function), a line-per-fact dump of a whole ChunkFacts, and Compare(),
// which runs the production ChunkParser (decoder on) and the oracle on the same extract and
// checks that they agree, and the tallies' checks the tests share. Traits name the source:
// Record (the message), Fields (the decoder's views), kSource, kHeaderSource, kDepth, Decode and
// Facts (PncTraits, PndTraits below). pnc_index_oracle.h runs ProtobufPath index-only.
#ifndef POLEGRAPH_TESTS_INGEST_RECORD_DECODE_ORACLE_H_
#define POLEGRAPH_TESTS_INGEST_RECORD_DECODE_ORACLE_H_

#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "anpr_decode_oracle.h"
#include "fixture.h"
#include "ingest/internal/facts.h"
#include "ingest/internal/field_checks.h"
#include "ingest/internal/pnc_decode.h"
#include "ingest/internal/pnd_decode.h"
#include "ingest/internal/validate.h"

namespace polegraph::testing::record_oracle {

using anpr_oracle::CheckSameDump;
using ingest_internal::Av;
using ingest_internal::ChunkFacts;
using ingest_internal::ChunkParser;
using ingest_internal::RecordSink;

// A source's traits from its parts; kDecode and kFacts are plain functions (no indirection).
template <typename RecordT, typename FieldsT, Source kSourceV, pb::SourceSystem kHeaderSourceV,
          int kDepthV, auto kDecode, auto kFacts>
struct Traits {
  using Record = RecordT;
  using Fields = FieldsT;
  static constexpr Source kSource = kSourceV;
  static constexpr pb::SourceSystem kHeaderSource = kHeaderSourceV;
  static constexpr int kDepth = kDepthV;
  static bool Decode(std::string_view payload, std::int64_t at, Fields* out) {
    return kDecode(payload, at, out);
  }
  static void Facts(const Record& m, std::int64_t at, RecordSink* sink) { kFacts(m, at, sink); }
};
using PncTraits =
    Traits<pb::PncRecord, ingest_internal::PncFields, Source::kPnc, pb::PNC,
           ingest_internal::kPncDecodeDepth, ingest_internal::DecodePnc, ingest_internal::PncFacts>;
using PndTraits =
    Traits<pb::PndRecord, ingest_internal::PndFields, Source::kPnd, pb::PND,
           ingest_internal::kPndDecodeDepth, ingest_internal::DecodePnd, ingest_internal::PndFacts>;

// One line per fact, in order: equal dumps mean equal ChunkFacts.
inline std::vector<std::string> Dump(const ChunkFacts& f) { return anpr_oracle::DumpFacts(f); }

// The oracle: ChunkParser::Parse's protobuf path for every record of the chunk (index-only:
// the first PNC pass).
template <typename Traits>
inline ChunkFacts ProtobufPath(const ExtractReader& reader, const ExtractReader::Chunk& chunk,
                               bool index_only = false) {
  return anpr_oracle::ProtobufFacts<typename Traits::Record>(
      reader, chunk, Traits::kSource,
      [](const typename Traits::Record& m, std::int64_t at, RecordSink* sink) {
        Traits::Facts(m, at, sink);
      },
      index_only);
}

struct Tally {
  std::size_t records = 0, decoded = 0, accepted = 0, quarantined = 0;
};

// The checks on a Compare of all generated records of a source.
inline void CheckGenerated(const Tally& t) {
  CHECK(t.records > 1000);
  CHECK(t.quarantined > 5);  // the generator's bad records
  // The fast path decodes every record whose bytes are canonical and pass the field rules.
  CHECK(t.decoded > t.records * 95 / 100);
}

// The checks on a Compare of the generated records after random damage (MutatedRecords): many
// still parse; many break a rule.
inline void CheckMutated(const Tally& t) {
  CHECK(t.records > 4000);
  CHECK(t.decoded > t.records / 20);
  CHECK(t.quarantined > t.records / 10);
  CHECK(t.accepted > t.records / 20);
}

// Writes `payloads` as an extract of `source` at `path`, opens it with `limits` and scans it
// into chunks of a few records each.
inline std::unique_ptr<ExtractReader> WriteAndScan(const std::string& path, pb::SourceSystem source,
                                                   const std::vector<std::string>& payloads,
                                                   ExtractLimits limits, std::int64_t extracted_at,
                                                   std::vector<ExtractReader::Chunk>* chunks) {
  WriteExtract(path, source, payloads, "MPS", "X1", extracted_at);
  auto reader = ExtractReader::Open(path, limits);
  REQUIRE(reader.ok());
  REQUIRE((*reader)->ScanChunks(64, chunks).ok());
  return *std::move(reader);
}

// Writes `payloads` as an extract of Traits' source, reads it back with `limits` and compares
// the production parse (decoder on; the graph pass) with the oracle on every chunk of a few
// records; counts the records the decoder takes, checking that protobuf parses each and the
// field rules accept it.
template <typename Traits>
inline Tally Compare(const std::vector<std::string>& payloads, ExtractLimits limits = {},
                     std::int64_t extracted_at = kExtractedAt) {
  TempDir dir;
  std::vector<ExtractReader::Chunk> chunks;
  const auto reader = WriteAndScan(dir.File("x.pb"), Traits::kHeaderSource, payloads, limits,
                                   extracted_at, &chunks);
  Tally t;
  ChunkParser parser;
  typename Traits::Fields fields;
  for (const auto& chunk : chunks) {
    const ChunkFacts decoded = parser.Parse(*reader, chunk);
    const ChunkFacts oracle = ProtobufPath<Traits>(*reader, chunk);
    CheckSameDump(Dump(decoded), Dump(oracle));
    t.accepted += oracle.records.size();
    t.quarantined += oracle.quarantine.size();
    std::string bytes;
    const absl::Status read =
        reader->ForEachRecord(chunk, &bytes, [&](const ExtractReader::Frame& f) {
          ++t.records;
          if (limits.max_nesting < Traits::kDepth ||
              !Traits::Decode(f.payload, extracted_at, &fields)) {
            return;
          }
          ++t.decoded;
          typename Traits::Record
              m;  // what the decoder takes, protobuf parses and the field rules accept
          REQUIRE(reader->Parse(f.payload, &m).ok());
          CHECK(ingest_internal::ValidateFields(m, extracted_at).ok());
          CHECK(static_cast<int>(fields.which) == static_cast<int>(m.record_case()));
        });
    REQUIRE(read.ok());
  }
  return t;
}

}  // namespace polegraph::testing::record_oracle

#endif  // POLEGRAPH_TESTS_INGEST_RECORD_DECODE_ORACLE_H_
