// The PNC wire decoder of the graph pass (DecodePnc + PncFieldsFacts, used by
// ChunkParser::Parse when not index-only) against its oracle, the protobuf path it replaces:
// ExtractReader::Parse into a pb::PncRecord, the wire check, then PncFacts (the reflection walk
// for the verdict and reason). For every input — generated records, hand-made encodings, every
// nesting limit and many random mutations — the chunk's facts (records, labels, nodes and their
// hashes, name and VRM index entries, positions, edges, properties, quarantine) must be
// identical; and whenever the decoder takes a record, protobuf must parse it and the field
// rules must accept it.
#include "ingest/internal/pnc_decode.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "anpr_decode_oracle.h"
#include "fixture.h"
#include "record_decode_oracle.h"

namespace polegraph::testing {
namespace {

using anpr_oracle::Fixed;
using anpr_oracle::Len;
using anpr_oracle::Tag;
using anpr_oracle::Varint;
using anpr_oracle::VarintField;
using record_oracle::PncTraits;
using record_oracle::Tally;

Tally Compare(const std::vector<std::string>& payloads, ExtractLimits limits = {},
              std::int64_t extracted_at = kExtractedAt) {
  return record_oracle::Compare<PncTraits>(payloads, limits, extracted_at);
}

const GeneratedRecords& Generated() {
  static const GeneratedRecords all = GenerateRecords("pnc.pb", 19);
  return all;
}

TEST_CASE("PNC decoder and protobuf path agree on every generated record") {
  const Tally t = Compare(Generated().payloads, {}, Generated().extracted_at);
  record_oracle::CheckGenerated(t);
}

TEST_CASE("PNC decoder and protobuf path agree on empty and one-record extracts") {
  CHECK(Compare({}).records == 0);
  const Tally one =
      Compare({Nominal("N1", "16/1234J", "Ann", "Lee", Dob(1980, 1, 2)).SerializeAsString()});
  CHECK(one.records == 1);
  CHECK(one.decoded == 1);
  CHECK(one.accepted == 1);
}

// --- Hand-made encodings --------------------------------------------------------------------

std::string Meta(const std::string& id) {
  return anpr_oracle::MetaBytes(id, anpr_oracle::Marking(2, "GMP", {"PERSONAL", "a"}));
}
std::string Date(int y, int m, int d) {
  return VarintField(1, static_cast<std::uint32_t>(y)) + VarintField(2, m) + VarintField(3, d);
}
std::string Name(const std::string& fore, const std::string& sur, const std::string& mid = "") {
  return Len(1, fore) + (mid.empty() ? "" : Len(2, mid)) + Len(3, sur);
}
std::string Address(const std::string& uprn, double lat = 53.4, double lon = -2.2) {
  return Len(1, uprn) + Len(2, "2 Low Rd") + Len(3, "Salford") + Len(4, "m5 4wt") + Fixed(5, lat) +
         Fixed(6, lon);
}
std::string NominalBody(const std::string& id, const std::string& extra = "") {
  return Len(1, Meta(id)) + Len(2, "2016/1234J") + Len(3, "12345/16Z") +
         Len(4, Name("Ann", "Lee", "Marie")) + Len(5, Name("Annie", "O'Lee")) +
         Len(6, Date(1980, 2, 29)) + Len(7, Date(1981, 3, 1)) + VarintField(8, 2) +
         Len(9, Address("U1")) + Len(9, Address("", 0, 0)) + VarintField(10, 3) +
         Len(10, Varint(1) + Varint(9)) +
         Len(11, Len(1, "A1") + VarintField(2, kT0) + Len(3, "030/01") + Len(5, "wmp")) +
         Len(11, Len(4, "cr/7") + Len(3, "031/02")) +
         Len(12, VarintField(1, 1) + Len(2, "105/01") + VarintField(3, kT0) +
                     VarintField(4, kT0 + 86400) + Len(5, "Crown") + Len(7, "JAIL")) +
         Len(12, VarintField(1, 2) + Len(6, "CR/9")) + VarintField(13, 1) + VarintField(14, 0) +
         extra;
}
std::string AsNominal(const std::string& body) { return Len(1, body); }
std::string VehicleBody(const std::string& id, const std::string& extra = "") {
  const std::string keeper_person =
      Len(2, Name("Bob", "Ray")) + Len(3, Date(1970, 5, 6)) + Len(5, Address("U2"));
  return Len(1, Meta(id)) + Len(2, "ab12 cde") + Len(3, "1hgcm82633a004352") + Len(4, "Ford") +
         Len(5, "Focus") + Len(6, "Blue") + Len(7, Len(1, keeper_person) + VarintField(2, kT0)) +
         Len(8, VarintField(1, kT0) + VarintField(2, kT0 + 60) + Len(3, "CR/5")) +
         Len(8, VarintField(1, kT0 + 120)) + VarintField(9, kT0) + extra;
}
std::string AsVehicle(const std::string& body) { return Len(2, body); }

TEST_CASE("PNC decoder and protobuf path agree on hand-made encodings") {
  const std::string nominal = NominalBody("N1");
  const std::vector<std::string> cases = {
      AsNominal(nominal),
      AsVehicle(VehicleBody("V1")),
      AsVehicle(Len(1, Meta("V2")) + Len(2, "XY99ZZZ")),               // keyed by VRM
      AsVehicle(Len(1, Meta("V3")) + Len(2, "XY99ZZZ") + Len(7, "")),  // a keeper, no person
      AsNominal(Len(1, Meta("N2")) + Len(2, "16/1234J")),              // the bare minimum
      "",                                                              // no case set
      AsNominal(""),                                                   // nothing in it
      AsNominal(nominal) + AsNominal(nominal),                         // the oneof twice (merged)
      AsNominal(nominal) + AsVehicle(VehicleBody("V4")),               // two cases: the last wins
      AsNominal(nominal + Len(2, "16/1234J")),                         // a singular field twice
      AsNominal(nominal + VarintField(15, 1)),                         // an unknown field
      AsNominal(nominal + Tag(2, 0) + Varint(5)),          // a known field, wrong wire type
      AsNominal(nominal).substr(0, 40),                    // truncated
      AsNominal(NominalBody("N3", VarintField(8, 1))),     // sex twice
      AsNominal(Len(1, Meta("N4")) + Len(2, "16/1234K")),  // a bad check letter
      AsNominal(Len(1, Meta("N5")) + Len(2, "16/1234J") + Len(3, "bad")),  // a bad CRO
      AsNominal(Len(1, Meta("N6")) + Len(2, "16/1234J") + Len(7, "")),     // an empty alt dob
      AsNominal(Len(1, Meta("N7")) + Len(2, "16/1234J") + Len(11, "")),    // an arrest, no key
      AsNominal(Len(1, Meta("N8")) + Len(2, "16/1234J") + Len(12, "")),    // a disposal, no type
      AsNominal(Len(1, Meta("N9")) + Len(2, "16/1234J") + Len(9, Len(3, "Town only"))),
      AsNominal(Len(1, Meta("NA"))),                                           // no PNC ID
      AsVehicle(Len(1, Meta("V5")) + Len(2, "NOT A VRM!")),                    // a bad VRM
      AsVehicle(Len(1, Meta("V6")) + Len(2, "AB12CDE") + Len(3, "SHORTVIN")),  // a bad VIN
      AsVehicle(Len(1, Meta("V7"))),                                           // no VRM
      AsVehicle(VehicleBody("V8", VarintField(9, kT0))),                       // vrm_since twice
  };
  const Tally t = Compare(cases);
  CHECK(t.records == cases.size());
  CHECK(t.decoded >= 10);
  CHECK(t.quarantined >= 12);
}

TEST_CASE("PNC decoder leaves every field rule failure to the protobuf path") {
  const std::string bad_utf8 = "\xc3\x28";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::string head = Len(1, Meta("R")) + Len(2, "16/1234J");
  const std::vector<std::string> cases = {
      AsNominal(head + Len(4, Name(bad_utf8, "Lee"))),
      AsNominal(head + Len(5, Name("A", bad_utf8))),
      AsNominal(head + Len(6, Date(1980, 13, 1))),
      AsNominal(head + Len(7, Date(1899, 12, 31))),
      AsNominal(head + VarintField(8, 4)),                // unknown sex
      AsNominal(head + Len(9, Address("U", -90.5, 0))),   // latitude
      AsNominal(head + Len(9, Address("U", 0, nan))),     // longitude
      AsNominal(head + VarintField(10, 10)),              // unknown marker, unpacked
      AsNominal(head + Len(10, Varint(1) + Varint(12))),  // unknown marker, packed
      AsNominal(head + Len(11, VarintField(2, kExtractedAt + 3 * 86400))),  // arrested_at
      AsNominal(head + Len(11, Len(5, bad_utf8))),
      AsNominal(head + Len(12, VarintField(1, 6))),  // unknown disposal type
      AsNominal(head + Len(12, VarintField(1, 1) + Tag(3, 0) + Varint(~std::uint64_t{0}))),
      AsNominal(head + Len(12, VarintField(1, 1) + Len(7, bad_utf8))),
      AsNominal(Len(1, anpr_oracle::MetaBytes("R", anpr_oracle::Marking(9, "MPS", {}))) +
                Len(2, "16/1234J")),  // unknown classification
      AsNominal(Len(1, anpr_oracle::MetaBytes("R", anpr_oracle::Marking(1, "MPS", {bad_utf8}))) +
                Len(2, "16/1234J")),
      AsVehicle(Len(1, Meta("R")) + Len(2, "AB12CDE") + Len(6, bad_utf8)),
      AsVehicle(Len(1, Meta("R")) + Len(2, "AB12CDE") + VarintField(9, kExtractedAt * 2)),
      AsVehicle(Len(1, Meta("R")) + Len(2, "AB12CDE") +
                Len(7, Len(1, Len(3, Date(2030, 1, 1))))),  // keeper dob after the extract
      AsVehicle(Len(1, Meta("R")) + Len(2, "AB12CDE") +
                Len(7, Len(1, Len(5, Address("U", 100, 0))))),  // keeper address latitude
      AsVehicle(Len(1, Meta("R")) + Len(2, "AB12CDE") + Len(8, Len(3, bad_utf8))),
      AsVehicle(Len(1, Meta("R")) + Len(2, "AB12CDE") + Len(7, VarintField(2, kExtractedAt * 2))),
  };
  const Tally t = Compare(cases);
  CHECK(t.records == cases.size());
  CHECK(t.decoded == 0);
  CHECK(t.quarantined == cases.size());
}

// Vehicle > Keeper > PersonRef > Address is 4 levels below the record: protobuf quarantines
// such a record when ExtractLimits::max_nesting < 4, and the decoder must not be used then.
TEST_CASE("PNC decoder and protobuf path agree under every nesting limit") {
  const std::vector<std::string> cases = {AsVehicle(VehicleBody("V1")),
                                          AsNominal(NominalBody("N1")),
                                          AsNominal(Len(1, Meta("N2")) + Len(2, "16/1234J"))};
  for (int nesting = 1; nesting <= 6; ++nesting) {
    INFO("max_nesting " << nesting);
    ExtractLimits limits;
    limits.max_nesting = nesting;
    const Tally t = Compare(cases, limits);
    CHECK(t.records == cases.size());
    if (nesting >= ingest_internal::kPncDecodeDepth) CHECK(t.decoded == cases.size());
  }
}

// Random damage to generated records: byte changes, bit flips, truncations, insertions,
// deletions and splices of two records. Many still parse; many break a rule.
TEST_CASE("PNC decoder and protobuf path agree on mutated records") {
  const std::vector<std::string> cases =
      MutatedRecords(Generated().payloads, /*stride=*/1, /*seed=*/20261127);
  const Tally t = Compare(cases, {}, Generated().extracted_at);
  record_oracle::CheckMutated(t);
}

// The name and VRM index entries are read only from the first (index-only) pass, so only that
// pass builds them; the graph pass's vehicle keys are the index's vehicle keys.
TEST_CASE("PNC index entries come from the index pass only, with the graph pass's keys") {
  TempDir dir;
  std::vector<ExtractReader::Chunk> chunks;
  const auto reader =
      record_oracle::WriteAndScan(dir.File("pnc.pb"), pb::PNC, Generated().payloads, {},
                                  Generated().extracted_at, &chunks);
  ingest_internal::ChunkParser parser;
  std::size_t names = 0, vrms = 0;
  for (const auto& chunk : chunks) {
    const ingest_internal::ChunkFacts index = parser.Parse(*reader, chunk, /*index_only=*/true);
    const ingest_internal::ChunkFacts graph = parser.Parse(*reader, chunk);
    CHECK(graph.names.empty());
    CHECK(graph.vrms.empty());
    names += index.names.size();
    vrms += index.vrms.size();
    std::set<std::string> vehicles;
    for (const auto& n : graph.nodes) {
      if (n.kind == NodeKind::kVehicle) vehicles.insert(std::string(graph.Text(n.key)));
    }
    for (const auto& v : index.vrms) CHECK(vehicles.count(v.vehicle_key) == 1);
  }
  CHECK(names > 500);
  CHECK(vrms > 500);
}

// A file rewritten after its scan: the parse of a chunk whose bytes changed, or that the file
// no longer reaches, comes back with DataLoss (which fails the ingest), never with facts of
// bytes the scan did not verify; the chunks before the change parse as they did.
TEST_CASE("A chunk whose file changed after the scan fails with DataLoss") {
  TempDir dir;
  const std::string path = dir.File("pnc.pb");
  std::vector<ExtractReader::Chunk> chunks;
  const auto reader = record_oracle::WriteAndScan(path, pb::PNC, Generated().payloads, {},
                                                  Generated().extracted_at, &chunks);
  REQUIRE(chunks.size() >= 3);
  ingest_internal::ChunkParser parser;
  const ingest_internal::ChunkFacts before = parser.Parse(*reader, chunks[0]);
  REQUIRE(before.status.ok());
  REQUIRE(!before.records.empty());
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto rewrite = [&](const std::string& b) {  // in place: the reader's own file
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(b.data(), static_cast<std::streamsize>(b.size()));
  };
  std::string changed = bytes;
  const std::uint64_t at = chunks[1].begin + 12;  // inside chunk 1's first record
  changed[at] = static_cast<char>(changed[at] ^ 0x20);
  rewrite(changed);
  CHECK(parser.Parse(*reader, chunks[0]).records.size() == before.records.size());
  const ingest_internal::ChunkFacts bad = parser.Parse(*reader, chunks[1]);
  CHECK(bad.status.code() == absl::StatusCode::kDataLoss);
  CHECK(std::string(bad.status.message()).find("changed after it was verified") !=
        std::string::npos);
  CHECK(bad.records.empty());  // its first record was the changed one
  rewrite(bytes.substr(0, chunks[2].begin + 1));
  CHECK(parser.Parse(*reader, chunks[1]).status.ok());  // whole again, as verified
  const ingest_internal::ChunkFacts cut = parser.Parse(*reader, chunks[2], /*index_only=*/true);
  CHECK(cut.status.code() == absl::StatusCode::kDataLoss);
  CHECK(std::string(cut.status.message()).find("truncated") != std::string::npos);
  CHECK(cut.records.empty());
}

}  // namespace
}  // namespace polegraph::testing
