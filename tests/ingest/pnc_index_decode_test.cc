// The first PNC pass's wire decoder (DecodePncIndex + PncIndexFieldsFacts, used by
// ChunkParser::Parse with index_only) against its oracle, the protobuf path it replaces:
// ExtractReader::Parse into a pb::PncRecord, the wire check, then PncFacts into an index-only
// sink (the reflection walk for the verdict and reason). For every input — generated records,
// hand-made encodings, every nesting limit and many random mutations — the chunk's index facts
// (accepted records, labels, name and VRM index entries, quarantine) must be identical; and
// whenever the decoder takes a record, every value it read must be what protobuf parsed and the
// field rules must accept the record.
#include "ingest/internal/pnc_index_decode.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "anpr_decode_oracle.h"
#include "fixture.h"
#include "pnc_index_oracle.h"

namespace polegraph::testing {
namespace {

using anpr_oracle::Fixed;
using anpr_oracle::Len;
using anpr_oracle::Marking;
using anpr_oracle::MetaBytes;
using anpr_oracle::Tag;
using anpr_oracle::Varint;
using anpr_oracle::VarintField;
using pnc_index_oracle::Compare;
using pnc_index_oracle::Tally;

const GeneratedRecords& Generated() {
  static const GeneratedRecords all = GenerateRecords("pnc.pb", 13);
  return all;
}

TEST_CASE("PNC index decoder and protobuf path agree on every generated record") {
  const Tally t = Compare(Generated().payloads, {}, Generated().extracted_at);
  record_oracle::CheckGenerated(t);
  CHECK(t.names > t.records / 2);
  CHECK(t.vrms > t.records / 10);
  CHECK(t.decoded >= t.accepted);
}

// --- Hand-made encodings --------------------------------------------------------------------

std::string DefaultMeta(const std::string& id) {
  return MetaBytes(id, Marking(1, "MPS", {"PERSONAL"}));
}
std::string Name(const std::string& fore, const std::string& sur, const std::string& mid = "") {
  std::string n = Len(1, fore);
  if (!mid.empty()) n += Len(2, mid);
  return n + Len(3, sur);
}
std::string Date(int y, int m, int d) {
  return VarintField(1, static_cast<std::uint64_t>(y)) +
         VarintField(2, static_cast<std::uint64_t>(m)) +
         VarintField(3, static_cast<std::uint64_t>(d));
}
std::string Address(const std::string& uprn, const std::string& line, const std::string& town,
                    const std::string& postcode) {
  std::string a;
  if (!uprn.empty()) a += Len(1, uprn);
  if (!line.empty()) a += Len(2, line);
  if (!town.empty()) a += Len(3, town);
  if (!postcode.empty()) a += Len(4, postcode);
  return a;
}
// A valid nominal's fields (PNC ID 16/0001234J has the right check letter).
std::string NominalBody(const std::string& id = "N1") {
  return Len(1, DefaultMeta(id)) + Len(2, "16/1234J") + Len(4, Name("John", "Smith", "Paul")) +
         Len(5, Name("Johnny", "Smith")) + Len(6, Date(1990, 2, 1)) + Len(7, Date(1990, 1, 2)) +
         VarintField(8, 1) + Len(9, Address("", "1 High St", "Town", "AB1 2CD")) +
         Len(10, Varint(1) + Varint(4)) +
         Len(11,
             Len(1, "A1") + VarintField(2, static_cast<std::uint64_t>(kT0)) + Len(3, "030/01")) +
         Len(12, VarintField(1, 1) + Len(2, "030/01") + Len(6, "CR1"));
}
std::string VehicleBody(const std::string& id = "V1") {
  return Len(1, DefaultMeta(id)) + Len(2, "AB12 CDE") + Len(3, "1HGCM82633A004352") +
         Len(4, "FORD") + Len(7, Len(1, Len(1, "16/1234J")) + VarintField(2, 5)) +
         Len(8, VarintField(1, static_cast<std::uint64_t>(kT0)) + Len(3, "CR2")) +
         VarintField(9, static_cast<std::uint64_t>(kT0));
}
std::string AsNominal(const std::string& body) { return Len(1, body); }
std::string AsVehicle(const std::string& body) { return Len(2, body); }
std::string Keeper(const std::string& person) { return Len(7, Len(1, person)); }
std::string VehicleWith(const std::string& extra) {
  return AsVehicle(Len(1, DefaultMeta("V2")) + Len(2, "AB12CDE") + extra);
}

TEST_CASE("PNC index decoder and protobuf path agree on hand-made encodings") {
  const std::string nominal = NominalBody(), vehicle = VehicleBody();
  const std::string meta = Len(1, DefaultMeta("N2"));
  const std::string pnc = Len(2, "16/1234J");
  const std::vector<std::string> cases = {
      AsNominal(nominal),  // canonical nominal and vehicle: both taken
      AsVehicle(vehicle),
      "",  // no case set
      AsNominal(""), AsVehicle(""),
      AsNominal(pnc),                                               // no meta
      AsNominal(Len(1, "") + pnc),                                  // empty record id
      AsNominal(Len(1, MetaBytes("N2", Marking(0, "MPS"))) + pnc),  // classification unset
      AsNominal(Len(1, MetaBytes("N2", Marking(1, " "))) + pnc),    // empty force
      AsNominal(meta),                                              // no PNC ID
      AsNominal(meta + Len(2, "16/1234A")),                         // wrong check letter
      AsNominal(meta + pnc + Len(3, "BAD")),                        // invalid CRO
      AsNominal(meta + pnc + Len(3, "123456/90A")),
      AsNominal(meta + pnc + Len(7, "")),                 // an empty alternative dob
      AsNominal(meta + pnc + Len(6, Date(1990, 2, 30))),  // impossible dob
      AsNominal(meta + pnc + Len(6, Date(2090, 2, 1))),   // dob after the extract
      AsNominal(meta + pnc + Len(4, Name("  ", "Smith")) + Len(6, Date(1990, 2, 1))),
      AsNominal(meta + pnc + Len(4, Name("Ann", "Lee")) + Len(5, Name("", "X")) +
                Len(5, Name("Annie", "Lee")) + Len(7, Date(1991, 3, 4))),  // only alt dobs
      AsNominal(meta + pnc + Len(9, Address("", "", "", ""))),             // empty address
      AsNominal(meta + pnc + Len(9, Address("", "", "Town", ""))),         // town alone
      AsNominal(meta + pnc + Len(9, Address(" ", "1 High St", "", ""))),   // no postcode
      AsNominal(meta + pnc + Len(9, Address("100", "", "", ""))),          // UPRN
      AsNominal(meta + pnc +
                Len(9, Address("", "1 High St", "", "AB1 2CD") + Fixed(5, 51.5) + Fixed(6, -0.1))),
      AsNominal(meta + pnc + Len(9, Address("", "x", "", "AB1 2CD") + Fixed(5, 95.0))),  // lat
      AsNominal(meta + pnc + Len(11, Len(3, "030/01"))),  // arrest without ref
      AsNominal(meta + pnc + Len(11, Len(4, "CR9") + Len(5, "gmp"))),
      AsNominal(meta + pnc + Len(12, Len(2, "030/01"))),                 // disposal untyped
      AsNominal(meta + pnc + Len(12, VarintField(1, 9))),                // unknown disposal type
      AsNominal(meta + pnc + VarintField(10, 3) + VarintField(10, 99)),  // unknown marker
      AsNominal(meta + pnc + VarintField(10, 3) + VarintField(13, 1) + VarintField(14, 1)),
      AsNominal(meta + pnc + Len(10, "")),      // empty packed run
      AsNominal(meta + pnc + Len(10, "\x80")),  // truncated packed varint
      AsNominal(meta + pnc + VarintField(11, static_cast<std::uint64_t>(kT0))),  // wire type
      // Singular fields or the oneof given twice: left to protobuf (last wins / merge).
      AsNominal(nominal + Len(2, "16/1234A")), AsNominal(nominal + Len(4, Name("Jim", "Brown"))),
      AsNominal(nominal + Len(6, Date(1980, 1, 1))), AsNominal(nominal + meta),
      AsNominal(Len(1, DefaultMeta("N3") + Len(1, "N4")) + pnc),  // record id twice (in meta)
      AsNominal(nominal) + AsNominal(Len(8, "")), AsNominal(nominal) + AsVehicle(vehicle),
      AsVehicle(vehicle) + AsNominal(nominal),
      // Vehicles: VRM, VIN and keeper rules.
      AsVehicle(Len(1, DefaultMeta("V3"))),                 // no VRM
      AsVehicle(Len(1, DefaultMeta("V3")) + Len(2, "!!")),  // invalid VRM
      VehicleWith(""),                                      // VRM only: "VRM-" key
      VehicleWith(Len(3, "SHORTVIN")),                      // invalid VIN
      VehicleWith(Len(7, "")),                              // keeper without person
      VehicleWith(Keeper("")),                              // empty person
      VehicleWith(Keeper(Len(1, "16/1234A"))),              // invalid keeper PNC ID
      VehicleWith(Keeper(Len(2, Name("Ann", "Lee")) + Len(3, Date(1980, 5, 6)))),
      VehicleWith(Keeper(Len(2, Name("Ann", "Lee")))),       // no dob
      VehicleWith(Keeper(Len(1, "16/1234J") + Len(5, ""))),  // empty address: fine
      VehicleWith(Keeper(Len(1, "16/1234J") + Len(5, Address("", "", "T", "")))),
      VehicleWith(Keeper(Len(1, "16/1234J") + VarintField(4, 7))),  // unknown sex
      VehicleWith(Len(8, VarintField(2, 1)) + Len(8, "")),          // stolen reports
      VehicleWith(VarintField(9, static_cast<std::uint64_t>(kExtractedAt) + 100000000)),
      VehicleWith(Len(2, "XY99ZZZ")),                                               // VRM twice
      VehicleWith(Len(7, Len(1, Len(1, "16/1234J"))) + Len(7, VarintField(2, 1))),  // merges
      // Unknown fields, wire types and non-canonical encodings.
      AsNominal(nominal) + VarintField(3, 1), AsNominal(nominal + VarintField(15, 1)),
      AsNominal(nominal + Len(9, VarintField(7, 1))),
      AsVehicle(vehicle + Tag(100000, 0) + Varint(1)),
      AsNominal(nominal + Fixed(8, std::int32_t{1})),    // sex as fixed32
      AsNominal(nominal.substr(0, nominal.size() - 1)),  // truncated
      AsNominal(Len(1, DefaultMeta("N5")) + std::string("\x12\x88\x00", 3) + "16/1234J"),
      AsNominal(Len(1, DefaultMeta("N6")) + std::string("\x40\x81\x00", 3)),  // long varint
      AsNominal(Len(1, DefaultMeta("N7")) + Tag(12, 3) + Tag(12, 4)),         // a group
  };
  const Tally t = Compare(cases);
  CHECK(t.records == cases.size());
  CHECK(t.accepted >= 20);
  CHECK(t.quarantined >= 20);
  CHECK(t.decoded >= 15);
}

// The recursion limit: a keeper's address is 4 levels below the record, so protobuf
// quarantines such a record when ExtractLimits::max_nesting < 4, and the decoder must not be
// used then.
TEST_CASE("PNC index decoder and protobuf path agree under every nesting limit") {
  const std::vector<std::string> cases = {
      AsNominal(NominalBody()), AsVehicle(VehicleBody()),
      VehicleWith(Keeper(Len(1, "16/1234J") + Len(5, Address("9", "", "", ""))))};
  for (int nesting = 1; nesting <= 5; ++nesting) {
    ExtractLimits limits;
    limits.max_nesting = nesting;
    const Tally t = Compare(cases, limits);
    CHECK(t.accepted == (nesting >= 4 ? 3u : nesting == 3 ? 2u : 0u));
  }
}

// Random damage to generated records: byte changes, bit flips, truncations, insertions,
// deletions and splices of two records. Many still parse; many break a rule.
TEST_CASE("PNC index decoder and protobuf path agree on mutated records") {
  const std::vector<std::string> cases =
      MutatedRecords(Generated().payloads, /*stride=*/1, /*seed=*/20261126);
  const Tally t = Compare(cases, {}, Generated().extracted_at);
  record_oracle::CheckMutated(t);
}

}  // namespace
}  // namespace polegraph::testing
