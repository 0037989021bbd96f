// The PND wire decoder (DecodePnd + PndFieldsFacts, used by ChunkParser::Parse) against its
// oracle, the protobuf path it replaces: ExtractReader::Parse into a pb::PndRecord, the wire
// check, then PndFacts (the reflection walk for the verdict and reason). For every input —
// generated records, hand-made encodings, every nesting limit and many random mutations — the
// chunk's facts (records, labels, nodes and their hashes, people, positions, edges, properties,
// quarantine) must be identical; and whenever the decoder takes a record, protobuf must parse
// it and the field rules (ValidateFields) must accept it.
#include "ingest/internal/pnd_decode.h"

#include <catch2/catch.hpp>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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
using record_oracle::PndTraits;
using record_oracle::Tally;

Tally Compare(const std::vector<std::string>& payloads, ExtractLimits limits = {},
              std::int64_t extracted_at = kExtractedAt) {
  return record_oracle::Compare<PndTraits>(payloads, limits, extracted_at);
}

const GeneratedRecords& Generated() {
  static const GeneratedRecords all = GenerateRecords("pnd.pb", 17);
  return all;
}

TEST_CASE("PND decoder and protobuf path agree on every generated record") {
  const Tally t = Compare(Generated().payloads, {}, Generated().extracted_at);
  record_oracle::CheckGenerated(t);
}

TEST_CASE("PND decoder and protobuf path agree on empty and one-record extracts") {
  CHECK(Compare({}).records == 0);
  const Tally one =
      Compare({Crime("C1", "CR1", {{RefByPnc("16/1234J"), pb::SUSPECT}}).SerializeAsString()});
  CHECK(one.records == 1);
  CHECK(one.decoded == 1);
  CHECK(one.accepted == 1);
}

// --- Hand-made encodings --------------------------------------------------------------------

std::string Meta(const std::string& id) {
  return anpr_oracle::MetaBytes(id, anpr_oracle::Marking(1, "MPS", {"PERSONAL"}));
}
std::string Date(int y, int m, int d) {
  return VarintField(1, static_cast<std::uint32_t>(y)) + VarintField(2, m) + VarintField(3, d);
}
std::string Name(const std::string& fore, const std::string& sur) {
  return Len(1, fore) + Len(3, sur);
}
std::string Address(const std::string& uprn, double lat = 51.5, double lon = -0.1) {
  return Len(1, uprn) + Len(2, "1 High St") + Len(4, "SW1A 1AA") + Fixed(5, lat) + Fixed(6, lon);
}
std::string PersonByName(const std::string& extra = "") {
  return Len(2, Name("Ann", "Lee")) + Len(3, Date(1980, 2, 29)) + VarintField(4, 2) + extra;
}
std::string Vehicle(const std::string& vrm, const std::string& vin = "") {
  return Len(1, vrm) + (vin.empty() ? "" : Len(2, vin)) + Len(3, "Ford");
}
std::string CrimeBody(const std::string& id, const std::string& person,
                      const std::string& extra = "") {
  return Len(1, Meta(id)) + Len(2, "CR/" + id) + Len(3, "101") + VarintField(4, kT0) +
         Len(6, Address("U1")) + Len(7, Len(1, person) + VarintField(2, 1)) +
         Len(8, Vehicle("AB12CDE")) + extra;
}
std::string AsCrime(const std::string& body) { return Len(1, body); }
std::string IntelBody(const std::string& id, const std::string& extra = "") {
  return Len(1, Meta(id)) + Len(2, VarintField(1, 1) + VarintField(2, 2) + VarintField(3, 1)) +
         VarintField(3, kT0) + Len(4, PersonByName()) + Len(5, Len(1, "16/1234J")) +
         Len(6, Vehicle("XY99ZZZ")) + Len(7, Len(1, Address("U2")) + VarintField(2, 2)) +
         Len(8, "free text") + extra;
}
std::string CustodyBody(const std::string& id, const std::string& extra = "") {
  return Len(1, Meta(id)) + Len(2, "K" + id) + Len(3, PersonByName(Len(5, Address("U3")))) +
         VarintField(4, kT0) + Len(5, "102") + Len(7, Address("U4")) +
         Len(8, Vehicle("AB12CDE", "1HGCM82633A004352")) + extra;
}

TEST_CASE("PND decoder and protobuf path agree on hand-made encodings") {
  const std::string good = CrimeBody("C1", Len(1, "16/1234J"));
  const std::vector<std::string> cases = {
      AsCrime(good),
      Len(2, IntelBody("I1")),
      Len(3, CustodyBody("K1")),
      Len(3, CustodyBody("K2", Len(6, "CR9"))),
      "",                                          // no case set
      AsCrime(""),                                 // a crime with nothing in it
      AsCrime(good) + AsCrime(good),               // the oneof twice (protobuf merges)
      AsCrime(good) + Len(2, IntelBody("I2")),     // two cases: the last wins
      AsCrime(good + Len(2, "CR2")),               // a singular field twice
      AsCrime(good + Len(1, Meta("C9"))),          // the meta twice (merged)
      AsCrime(good + VarintField(15, 1)),          // an unknown field
      AsCrime(good + Tag(2, 0) + Varint(5)),       // a known field with the wrong wire type
      AsCrime(good).substr(0, 20),                 // truncated
      Tag(1, 2) + "\x80\x01" + good.substr(0, 1),  // a length beyond the record
      AsCrime(Len(1, Meta("C3")) + Tag(4, 0) + "\x81\x80\x00"),     // a varint longer than needed
      AsCrime(CrimeBody("C4", PersonByName(), VarintField(4, 7))),  // committed_from twice
      AsCrime(CrimeBody("C5", Len(1, "16/1234K"))),                 // a bad check letter
      AsCrime(CrimeBody("C6", PersonByName(Len(5, Address(""))))),  // an address with no key
      AsCrime(CrimeBody("C7", Len(2, Name("Ann", "Lee")))),         // a name without dob
      AsCrime(Len(1, Meta("C8")) + Len(2, "R") + Len(8, Len(1, "A!B")))  // a bad VRM
  };
  const Tally t = Compare(cases);
  CHECK(t.records == cases.size());
  CHECK(t.decoded >= 4);
  CHECK(t.quarantined >= 8);
}

TEST_CASE("PND decoder leaves every field rule failure to the protobuf path") {
  const std::string bad_utf8 = "\xc3\x28";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::string> cases = {
      AsCrime(CrimeBody("R1", PersonByName(), Len(9, bad_utf8))),            // text
      AsCrime(CrimeBody("R2", Len(2, Name(bad_utf8, "Lee")))),               // nested text
      AsCrime(CrimeBody("R3", PersonByName(VarintField(4, 7)))),             // sex twice, unknown
      AsCrime(CrimeBody("R4", Len(2, Name("A", "B")) + VarintField(4, 9))),  // unknown sex
      AsCrime(CrimeBody("R5", Len(2, Name("A", "B")) + Len(3, Date(1980, 2, 30)))),  // day
      AsCrime(CrimeBody("R6", Len(2, Name("A", "B")) + Len(3, Date(1899, 1, 1)))),   // year
      AsCrime(CrimeBody("R7", Len(2, Name("A", "B")) + Len(3, Date(2999, 1, 1)))),   // future
      AsCrime(Len(1, Meta("R8")) + Len(2, "X") + VarintField(5, kExtractedAt + 2 * 86400)),
      AsCrime(Len(1, Meta("R9")) + Len(2, "X") + Tag(4, 0) + Varint(~std::uint64_t{0})),  // < 0
      AsCrime(Len(1, Meta("RA")) + Len(2, "X") + Len(6, Address("U", 91, 0))),
      AsCrime(Len(1, Meta("RB")) + Len(2, "X") + Len(6, Address("U", 0, -180.5))),
      AsCrime(Len(1, Meta("RC")) + Len(2, "X") + Len(6, Address("U", nan, 0))),
      AsCrime(Len(1, anpr_oracle::MetaBytes("RD", anpr_oracle::Marking(7, "MPS", {}))) +
              Len(2, "X")),  // unknown classification
      AsCrime(Len(1, anpr_oracle::MetaBytes(bad_utf8, anpr_oracle::Marking(1, "MPS", {}))) +
              Len(2, "X")),
      AsCrime(CrimeBody("RE", PersonByName()) +
              Len(7, Len(1, PersonByName()) + VarintField(2, 9))),  // role
      Len(2, IntelBody("RF", Len(2, VarintField(2, 6)))),           // grading twice
      Len(2, Len(1, Meta("RG")) + Len(2, VarintField(2, 6)) + Len(4, PersonByName())),
      Len(2, Len(1, Meta("RH")) + Len(4, PersonByName()) +
                 Len(7, Len(1, Address("U")) + VarintField(2, 3))),  // location role
      Len(2, IntelBody("RI", Len(8, bad_utf8))),                     // text twice
      Len(3, CustodyBody("RJ", Len(7, Address("U", 95, 0)))),        // suite twice
      Len(3, Len(1, Meta("RK")) + Len(2, "K") + Len(3, PersonByName()) +
                 Len(7, Address("U", 95, 0))),  // the custody suite's latitude
      Len(3, Len(1, Meta("RL")) + Len(2, "K") + Len(3, PersonByName()) +
                 VarintField(4, kExtractedAt + 2 * 86400)),  // arrived_at
  };
  const Tally t = Compare(cases);
  CHECK(t.records == cases.size());
  CHECK(t.quarantined >= cases.size() - 4);
}

// Crime > CrimePerson > PersonRef > Address is 4 levels below the record: protobuf quarantines
// such a record when ExtractLimits::max_nesting < 4, and the decoder must not be used then.
TEST_CASE("PND decoder and protobuf path agree under every nesting limit") {
  const std::vector<std::string> cases = {
      AsCrime(CrimeBody("N1", PersonByName(Len(5, Address("U9"))))),
      AsCrime(Len(1, Meta("N2")) + Len(2, "X")), Len(2, IntelBody("N3")),
      Len(3, CustodyBody("N4"))};
  for (int nesting = 1; nesting <= 6; ++nesting) {
    INFO("max_nesting " << nesting);
    ExtractLimits limits;
    limits.max_nesting = nesting;
    const Tally t = Compare(cases, limits);
    CHECK(t.records == cases.size());
    if (nesting >= ingest_internal::kPndDecodeDepth) CHECK(t.decoded == cases.size());
  }
}

// Random damage to generated records: byte changes, bit flips, truncations, insertions,
// deletions and splices of two records. Many still parse; many break a rule.
TEST_CASE("PND decoder and protobuf path agree on mutated records") {
  const std::vector<std::string> cases =
      MutatedRecords(Generated().payloads, /*stride=*/1, /*seed=*/20261126);
  const Tally t = Compare(cases, {}, Generated().extracted_at);
  record_oracle::CheckMutated(t);
}

}  // namespace
}  // namespace polegraph::testing
