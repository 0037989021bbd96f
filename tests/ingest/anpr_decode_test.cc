// The hand-written ANPR decoder (DecodeAnpr, used by ChunkParser::Parse) against its oracle, the
// protobuf path it replaces: ExtractReader::Parse into a pb::AnprRecord, the wire check, then
// AnprFacts (the reflection walk for the verdict and reason). For every input — generated
// records, hand-made encodings and many random mutations — the chunk's facts (accepted records,
// labels, nodes, edges, properties, positions and hashes) and its quarantine (offsets, record
// ids, reasons) must be identical; and whenever the decoder takes a record, its values must be
// exactly the fields protobuf parsed and the field rules must accept them.
#include "ingest/internal/anpr_decode.h"

#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "anpr_decode_oracle.h"
#include "fixture.h"

namespace polegraph::testing {
namespace {

using namespace anpr_oracle;  // NOLINT(build/namespaces): a test's own helpers
using ingest_internal::AnprFields;
using ingest_internal::DecodeAnpr;

const GeneratedRecords& Generated() {
  static const GeneratedRecords all = GenerateRecords("anpr.pb", 11);
  return all;
}

TEST_CASE("decoded and protobuf paths agree on every generated ANPR record") {
  const Tally t = Compare(Generated().payloads, {}, Generated().extracted_at);
  CHECK(t.records > 5000);
  CHECK(t.quarantined > 50);  // the generator's bad records
  // The fast path takes every record whose bytes are canonical and pass the field rules:
  // everything but the bad records that break a field rule.
  CHECK(t.decoded >= t.accepted);
  CHECK(t.decoded > t.records * 97 / 100);
}

// Hand-made encodings. Each line's comment says what protobuf does with it; the test asserts
// only that both paths agree (and, where noted, that the fast path takes the record).
TEST_CASE("decoded and protobuf paths agree on hand-made encodings") {
  const std::string read = ReadBody(), site = SiteBody();
  const std::string bad_utf8 = "\xC3\x28";
  const std::uint64_t minus_one = ~std::uint64_t{0};
  std::vector<std::string> cases = {
      AsRead(read),  // canonical read and site
      AsSite(site),
      "",                                                     // no case set
      AsRead(""),                                             // empty read: no meta
      AsSite(""),                                             // empty site
      AsRead(Len(1, "") + Len(2, "AB12CDE") + Len(3, "s1")),  // empty meta: empty record_id
      AsRead(Len(1, Len(1, "R1")) + Len(2, "AB12CDE") + Len(3, "s1")),  // no marking
      AsRead(Len(1, MetaBytes("R1", Len(2, "ANPR"))) + Len(2, "AB12CDE") + Len(3, "s1")),
      AsRead(Len(1, MetaBytes("R1", Marking(1, "  "))) + Len(2, "AB12CDE") + Len(3, "s1")),
      AsRead(Len(1, DefaultMeta("R1")) + Len(3, "s1")),                 // no VRM
      AsRead(Len(1, DefaultMeta("R1")) + Len(2, "AB12CDE")),            // no site id
      AsRead(Len(1, DefaultMeta("R1")) + Len(2, "!!") + Len(3, "s1")),  // invalid VRM
      AsRead(read + Fixed(7, 1.5f)),                                    // confidence outside 0..1
      AsRead(read + Fixed(7, std::nanf(""))),                           // confidence not finite
      AsRead(read + Fixed(7, -0.0f)),
      // Repeated singular fields: the last value wins; repeated messages merge.
      AsRead(read + Len(2, "XY99 ZZZ") + VarintField(5, kT0 + 5)),
      AsRead(read + Len(1, Len(1, "R9"))),                         // meta merges: id replaced
      AsRead(read + Len(1, Len(2, Marking(2, "GMP", {"EYES"})))),  // caveats append
      AsRead(read) + AsRead(Len(9, "RED")),                        // read merges
      AsRead(read) + AsSite(site),                                 // the oneof switches
      AsSite(site) + AsRead(read),
      AsRead(read) + AsSite(site) + AsRead(Len(2, "AB12CDE")),  // a fresh read: no meta
      AsRead(read + Len(2, bad_utf8)),                          // invalid UTF-8, then
      AsRead(Len(2, bad_utf8) + read),                          // replaced by a valid VRM
      // Unknown fields and wire types.
      AsRead(read) + VarintField(3, 1),                            // unknown in AnprRecord
      AsRead(read + VarintField(10, 1)),                           // unknown in Read
      AsRead(read + Len(1, VarintField(3, 1))),                    // unknown in RecordMeta
      AsRead(read + Len(1, Len(2, VarintField(4, 1)))),            // unknown in Marking
      AsRead(read + Tag(100000, 0) + Varint(1)),                   // a large field number
      AsRead(read + VarintField(2, 7)),                            // VRM as a varint
      AsRead(read + Fixed(5, std::int64_t{kT0})),                  // read_at as fixed64
      AsRead(read + VarintField(7, 1)),                            // confidence as a varint
      AsRead(read + Len(4, Varint(3) + Varint(4))),                // lane packed
      AsRead(read + VarintField(1, 1)),                            // meta as a varint
      AsSite(site + Len(6, Varint(1))),                            // direction packed
      AsRead(read + Tag(12, 3) + VarintField(1, 5) + Tag(12, 4)),  // an unknown group
      AsRead(read + Tag(12, 4)),                                   // a stray end-group
      AsRead(read + Tag(12, 6) + Varint(1)),                       // wire types 6 and 7
      AsRead(read + Tag(12, 7) + Varint(1)),
      AsRead(read) + std::string("\x02\x00", 2),  // field number 0
      AsRead(read + std::string("\x00", 1)),
      // Varints: extremes, longer forms than needed, too long.
      AsRead(read + VarintField(5, 0x7FFFFFFFFFFFFFFFull)),  // far after the extract
      AsRead(read + VarintField(5, minus_one)),              // negative time, 10 bytes
      AsRead(read + VarintField(4, minus_one) + VarintField(6, 0x100000005ull)),
      AsRead(read + Tag(5, 0) + "\x81\x80\x80\x80" + std::string("\x00", 1)),  // long form
      AsRead(read + Tag(5, 0) + std::string(9, '\xFF') + "\x7F"),              // 10th byte > 1
      AsRead(read + Tag(5, 0) + std::string(10, '\xFF') + "\x01"),             // 11 bytes
      AsRead(read + std::string("\xA8\x00", 2) + Varint(kT0)),                 // tag in a long form
      std::string("\x12\x80\x00", 3),                                       // length in a long form
      AsRead(read + Len(1, MetaBytes("R1", Marking(-1, "ANPR")))),          // enum -1 (10 bytes)
      AsRead(read + Len(1, MetaBytes("R1", Marking(7, "ANPR")))),           // unknown enum value
      AsRead(read + Len(1, Len(2, Tag(1, 0) + Varint((1ull << 32) + 2)))),  // int32 wraps to 2
      AsSite(site + VarintField(6, minus_one)),
      AsSite(site + VarintField(7, 4)),
      AsSite(site + Fixed(3, 90.0) + Fixed(4, -180.0)),  // on the limits
      AsSite(site + Fixed(3, 90.5)),                     // beyond them
      AsSite(site + Fixed(4, 180.25)),
      AsSite(site + Fixed(3, std::numeric_limits<double>::infinity())),
      AsSite(site + Fixed(3, 0.0) + Fixed(4, 0.0)),  // no position
      AsSite(site + Fixed(3, -0.0) + Fixed(4, 0.0)),
      AsSite(site + Len(2, "")),  // no site id
      AsSite(site + Len(2, bad_utf8)),
      AsRead(read + Len(8, bad_utf8)),  // invalid UTF-8 in each text
      AsRead(read + Len(9, bad_utf8)),
      AsRead(read + Len(3, bad_utf8)),
      AsRead(read + Len(1, Len(1, bad_utf8))),
      AsRead(read + Len(1, Len(2, Len(2, bad_utf8)))),
      AsRead(read + Len(1, Len(2, Len(3, bad_utf8)))),
      AsRead(read + Len(1, Len(2, Len(3, "  ") + Len(3, "b") + Len(3, "A") + Len(3, "a")))),
      AsRead(read + Len(1, Len(2, Len(3, "1") + Len(3, "2") + Len(3, "3") + Len(3, "4") +
                                      Len(3, "5") + Len(3, "6")))),  // > 4 caveats
      AsRead(read + VarintField(5, kExtractedAt + 86400)),           // the last second allowed
      AsRead(read + VarintField(5, kExtractedAt + 86401)),
  };
  // Every prefix of a read and of a site: truncated at each byte.
  for (const std::string& whole : {AsRead(read), AsSite(site)}) {
    for (std::size_t n = 0; n < whole.size(); ++n) cases.push_back(whole.substr(0, n));
  }
  const Tally t = Compare(cases);
  CHECK(t.records == cases.size());
  CHECK(t.decoded > 20);
  CHECK(t.quarantined > 40);

  // The fast path must take the canonical records and the repeated fields it mirrors (the
  // decoded views point into the payloads, so these stay alive).
  AnprFields d;
  REQUIRE(DecodeAnpr(cases[0], kExtractedAt, &d));
  CHECK(d.read.vrm == "AB12 CDE");
  CHECK(d.read.meta.caveats.size() == 1);
  const std::string last = AsRead(read + Len(2, "XY99 ZZZ") + VarintField(5, kT0 + 5));
  REQUIRE(DecodeAnpr(last, kExtractedAt, &d));
  CHECK(d.read.vrm == "XY99 ZZZ");
  CHECK(d.read.read_at == kT0 + 5);
  const std::string merged = AsRead(read + Len(1, Len(2, Marking(2, "GMP", {"EYES"}))));
  REQUIRE(DecodeAnpr(merged, kExtractedAt, &d));
  CHECK(d.read.meta.record_id == "R1");
  CHECK(d.read.meta.classification == 2);
  CHECK(d.read.meta.owning_force == "GMP");
  CHECK(d.read.meta.caveats.size() == 2);
  const std::string switched = AsRead(read) + AsSite(site) + AsRead(Len(2, "AB12CDE"));
  REQUIRE(DecodeAnpr(switched, kExtractedAt, &d));
  CHECK(d.which == AnprFields::Case::kRead);
  CHECK_FALSE(d.read.meta.present);
  CHECK(d.read.site_id.empty());
}

// The recursion limit: a read's marking is 3 levels below the record, so protobuf quarantines
// it when ExtractLimits::max_nesting < 3, and the decoder must not be used then.
TEST_CASE("decoded and protobuf paths agree under every nesting limit") {
  const std::vector<std::string> cases = {AsRead(ReadBody()), AsSite(SiteBody()),
                                          AsRead(Len(2, "AB12CDE") + Len(3, "s1"))};
  for (int nesting = 1; nesting <= 4; ++nesting) {
    ExtractLimits limits;
    limits.max_nesting = nesting;
    const Tally t = Compare(cases, limits);
    CHECK(t.accepted == (nesting >= ingest_internal::kAnprDecodeDepth ? 2u : 0u));
  }
}

// Random damage to generated records: byte changes, bit flips, truncations, insertions,
// deletions and splices of two records. Most still parse; many break a rule.
TEST_CASE("decoded and protobuf paths agree on mutated records") {
  const std::vector<std::string> cases =
      MutatedRecords(Generated().payloads, /*stride=*/2, /*seed=*/20261126);
  const Tally t = Compare(cases, {}, Generated().extracted_at);
  CHECK(t.records > 10000);
  CHECK(t.decoded > t.records / 10);
  CHECK(t.quarantined > t.records / 10);
  CHECK(t.accepted > t.records / 10);
}

}  // namespace
}  // namespace polegraph::testing
