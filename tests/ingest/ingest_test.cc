// Ingest end to end on a small, hand-worked extract set:
//
//   pnc.pb   N1 person 10/1C John Smith, lives at UPRN 100023336956; arrested (A1) for crime
//               CR-9; convicted on CR-9; cautioned for a crime without reference (-> PNC-N1-2)
//            V1 vehicle WVWZZZ1JZXW000001 displaying AB12CDE, kept by 10/1C, stolen (CR-7)
//   pnd.pb   C1 crime CR-9 at "2 Low Rd, B33 8TH"; suspect 10/1C; vehicle XY51ABC (plate only)
//            K1 custody K-1 of Ann Other 1991-01-01 (no PNC ID, no PNC match)
//   anpr.pb  S1 site M6-1;  anpr2.pb  R1 read of "ab12cde" at M6-1 (a site of the other file)
//
//   person:10/0000001C --RESIDES_AT--> location:100023336956
//          |  |  |  `---ARRESTED_FOR, CONVICTED_OF, SUSPECT_IN--> offence:MPS/CR-9
//          |  |  `--KEEPER_OF--> vehicle:WVW...001 --DISPLAYS--> plate:AB12CDE --SEEN_AT-->
//          |  |                      `--INVOLVED_IN--> offence:MPS/CR-7      location:SITE-M6-1
//   offence:MPS/CR-9 --OCCURRED_AT--> location:PC-B338TH-2LOWRD;  plate:XY51ABC --INVOLVED_IN-->
//   offence:MPS/CR-9;  person:OTHER/ANN/1991-01-01 --ARRESTED_FOR--> offence:MPS/CUSTODY-K-1;
//   offence:MPS/PNC-N1-2 (a caution: no edge, disposal as property).
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "fixture.h"
#include "polegraph/io.h"

namespace polegraph::testing {
namespace {

struct Files {
  TempDir dir;
  std::vector<std::string> paths;
};

std::unique_ptr<Files> WriteSmallSet() {
  auto f = std::make_unique<Files>();
  auto n1 = Nominal("N1", "10/1C", "John", "Smith", Dob(1980, 1, 2));
  pb::Nominal* n = n1.mutable_nominal();
  pb::Address* home = n->add_addresses();
  home->set_uprn("100023336956");
  home->set_line("1 High St");
  home->set_postcode("sw1a 1aa");
  home->set_latitude(51.5);
  home->set_longitude(-0.14);
  pb::Arrest* a = n->add_arrests();
  a->set_arrest_id("A1");
  a->set_arrested_at(kT0 + 10);
  a->set_crime_reference("cr-9");
  pb::Disposal* d1 = n->add_disposals();
  d1->set_type(pb::CONVICTION);
  d1->set_crime_reference("CR-9");
  d1->set_disposal_date(kT0 + 1000);
  pb::Disposal* d2 = n->add_disposals();
  d2->set_type(pb::CAUTION);
  d2->set_offence_code("105/01");
  auto v1 = Vehicle("V1", "AB12 CDE", "WVWZZZ1JZXW000001");
  pb::Vehicle* v = v1.mutable_vehicle();
  v->set_vrm_since(kT0 - 5000);
  v->set_make("VW");
  *v->mutable_keeper()->mutable_person() = RefByPnc("10/1C");
  v->mutable_keeper()->set_since(kT0 - 4000);
  pb::StolenReport* s = v->add_stolen_reports();
  s->set_crime_reference("CR-7");
  s->set_reported_at(kT0 + 5);
  WriteExtract(f->dir.File("pnc.pb"), pb::PNC, Payloads(n1, v1));

  auto c1 = Crime("C1", "CR-9", {{RefByPnc("10/1C"), pb::SUSPECT}});
  pb::Address* place = c1.mutable_crime()->mutable_location();
  place->set_line("2 Low Rd");
  place->set_postcode("B33 8TH");
  c1.mutable_crime()->add_vehicles()->set_vrm("XY51ABC");
  pb::PndRecord k1;
  pb::Custody* k = k1.mutable_custody();
  *k->mutable_meta() = Meta("K1");
  k->set_custody_id("K-1");
  *k->mutable_detainee() = RefByName("Ann", "Other", Dob(1991, 1, 1));
  k->set_arrived_at(kT0 + 20);
  WriteExtract(f->dir.File("pnd.pb"), pb::PND, Payloads(c1, k1));

  WriteExtract(f->dir.File("anpr.pb"), pb::ANPR, Payloads(Site("S1", "m6-1")), "ANPR", "A1");
  WriteExtract(f->dir.File("anpr2.pb"), pb::ANPR, Payloads(Read("R1", "ab12cde", "M6-1", kT0 + 30)),
               "ANPR", "A2");
  f->paths = {f->dir.File("pnc.pb"), f->dir.File("pnd.pb"), f->dir.File("anpr.pb"),
              f->dir.File("anpr2.pb")};
  return f;
}

std::string T(std::int64_t t) { return std::to_string(t); }

TEST_CASE("the small extract set gives the hand-worked nodes and edges") {
  auto f = WriteSmallSet();
  auto r = Ingest(f->paths, {});
  REQUIRE(r.ok());
  CHECK(r->report.quarantined == 0);
  CHECK(r->report.read == 6);
  const Graph& g = *r->graph;
  CHECK(NodeStrings(g) == std::vector<std::string>{
                              "location:100023336956",
                              "location:PC-B338TH-2LOWRD",
                              "location:SITE-M6-1",
                              "offence:MPS/CR-7",
                              "offence:MPS/CR-9",
                              "offence:MPS/CUSTODY-K-1",
                              "offence:MPS/PNC-N1-2",
                              "person:10/0000001C",
                              "person:OTHER/ANN/1991-01-01",
                              "plate:AB12CDE",
                              "plate:XY51ABC",
                              "vehicle:WVWZZZ1JZXW000001",
                          });
  std::vector<std::string> expected = {
      "person:10/0000001C -RESIDES_AT@0-> location:100023336956",
      "person:10/0000001C -ARRESTED_FOR@" + T(kT0 + 10) + "-> offence:MPS/CR-9",
      "person:10/0000001C -CONVICTED_OF@" + T(kT0 + 1000) + "-> offence:MPS/CR-9",
      "vehicle:WVWZZZ1JZXW000001 -DISPLAYS@" + T(kT0 - 5000) + "-> plate:AB12CDE",
      "person:10/0000001C -KEEPER_OF@" + T(kT0 - 4000) + "-> vehicle:WVWZZZ1JZXW000001",
      "vehicle:WVWZZZ1JZXW000001 -INVOLVED_IN@" + T(kT0 + 5) + "-> offence:MPS/CR-7",
      "offence:MPS/CR-9 -OCCURRED_AT@" + T(kT0) + "-> location:PC-B338TH-2LOWRD",
      "person:10/0000001C -SUSPECT_IN@" + T(kT0) + "-> offence:MPS/CR-9",
      "plate:XY51ABC -INVOLVED_IN@" + T(kT0) + "-> offence:MPS/CR-9",
      "person:OTHER/ANN/1991-01-01 -ARRESTED_FOR@" + T(kT0 + 20) + "-> offence:MPS/CUSTODY-K-1",
      "plate:AB12CDE -SEEN_AT@" + T(kT0 + 30) + "-> location:SITE-M6-1",
  };
  std::sort(expected.begin(), expected.end());
  CHECK(EdgeStrings(g) == expected);

  // Properties and positions.
  CHECK(g.property(MustFind(g, NodeKind::kOffence, "MPS/PNC-N1-2"), "disposal") == "CAUTION");
  CHECK(g.property(MustFind(g, NodeKind::kOffence, "MPS/PNC-N1-2"), "offence_code") == "105/01");
  CHECK(g.property(MustFind(g, NodeKind::kVehicle, "WVWZZZ1JZXW000001"), "make") == "VW");
  CHECK(g.property(MustFind(g, NodeKind::kPerson, "10/0000001C"), "dob") == "1980-01-02");
  CHECK(g.property(MustFind(g, NodeKind::kLocation, "SITE-M6-1"), "road") == "M6");
  CHECK(g.position(MustFind(g, NodeKind::kLocation, "SITE-M6-1")).latitude == 52.5);
  CHECK(g.position(MustFind(g, NodeKind::kLocation, "100023336956")).longitude == -0.14);
  // Offence CR-9 is asserted by PNC N1 and PND C1: one node, a recorded crime-reference merge.
  const NodeId cr9 = MustFind(g, NodeKind::kOffence, "MPS/CR-9");
  CHECK(NodeRecordIds(g, cr9) == std::vector<std::string>{"C1", "N1"});
  REQUIRE(g.merges(cr9).size() == 1);
  CHECK(g.merges(cr9)[0].rule == MergeRule::kOffenceRef);
  CHECK(g.merges(cr9)[0].explanation == "crime reference 'MPS/CR-9' matched PNC N1");
  // Extracts: one per file, with record counts.
  REQUIRE(g.num_extracts() == 4);
  std::uint64_t records = 0;
  for (std::uint32_t i = 0; i < g.num_extracts(); ++i) records += g.extract(i).record_count;
  CHECK(records == 6);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_CASE("the snapshot bytes do not depend on thread count, file order or chunk size") {
  auto f = WriteSmallSet();
  std::string reference;
  int run = 0;
  for (int threads : {1, 2, 8}) {
    for (int shuffle = 0; shuffle < 3; ++shuffle) {
      std::vector<std::string> paths = f->paths;
      if (shuffle == 1) std::reverse(paths.begin(), paths.end());
      if (shuffle == 2) std::rotate(paths.begin(), paths.begin() + 2, paths.end());
      IngestOptions options = Options(threads);
      options.records_per_chunk = 1 + static_cast<std::uint64_t>(shuffle) * 2;  // 1, 3, 5
      auto r = Ingest(paths, options);
      REQUIRE(r.ok());
      const std::string out = f->dir.File("g" + std::to_string(run++) + ".pg");
      REQUIRE(SaveSnapshot(*r->graph, out).ok());
      const std::string bytes = ReadAll(out);
      REQUIRE_FALSE(bytes.empty());
      if (reference.empty()) reference = bytes;
      INFO("threads " << threads << ", order " << shuffle);
      CHECK(bytes == reference);
    }
  }
}

// Two ANPR extracts (A applied before B: same force and time, extract ids A < B):
//   A: R1 reads AA11AAA at site S2, then R2 reads BB22BBB at S9, then Site S1
//   B: Site S2, then R3 reads AA11AAA at S1
// S2 is defined only after R1 (in a later file), so R1 waits for it and is applied; no file
// defines S9, so R2 is quarantined; R3's site S1 came earlier. The result does not depend on
// how the files are cut into chunks or on the thread count.
TEST_CASE("a read waits for its site to be defined later, a read of no defined site is "
          "quarantined") {
  TempDir dir;
  const std::string a = dir.File("a.pb"), b = dir.File("b.pb");
  WriteExtract(a, pb::ANPR,
               Payloads(Read("R1", "AA11AAA", "S2", kT0), Read("R2", "BB22BBB", "S9", kT0 + 1),
                        Site("SITE1", "S1")),
               "NADC", "A");
  WriteExtract(b, pb::ANPR, Payloads(Site("SITE2", "S2"), Read("R3", "AA11AAA", "S1", kT0 + 2)),
               "NADC", "B");
  std::string reference;
  for (int threads : {1, 2}) {
    for (std::uint64_t chunk : {1, 2, 100}) {
      INFO("threads " << threads << ", records per chunk " << chunk);
      IngestOptions options = Options(threads);
      options.records_per_chunk = chunk;
      auto r = Ingest({b, a}, options);
      REQUIRE(r.ok());
      const IngestReport& rep = r->report;
      CHECK(rep.read == 5);
      CHECK(rep.accepted == 4);
      REQUIRE(rep.quarantine.size() == 1);
      CHECK(rep.quarantine[0].file == a);
      CHECK(rep.quarantine[0].record_id == "R2");
      CHECK(rep.quarantine[0].index == 1);
      CHECK(rep.quarantine[0].reason ==
            "read names site 'S9' that no ingested ANPR extract defines");
      REQUIRE(rep.files.size() == 2);
      CHECK(rep.files[1].file == a);
      CHECK(rep.files[1].accepted == 2);
      CHECK(rep.files[1].quarantined == 1);
      CHECK(rep.files[0].accepted == 2);
      CHECK(EdgeStrings(*r->graph) ==
            std::vector<std::string>{
                absl::StrCat("plate:AA11AAA -SEEN_AT@", kT0, "-> location:SITE-S2"),
                absl::StrCat("plate:AA11AAA -SEEN_AT@", kT0 + 2, "-> location:SITE-S1")});
      CHECK_FALSE(r->graph->Find(NodeKind::kPlate, "BB22BBB").has_value());
      const std::string out = dir.File("g.pg");
      REQUIRE(SaveSnapshot(*r->graph, out).ok());
      const std::string bytes = ReadAll(out);
      if (reference.empty()) reference = bytes;
      CHECK(bytes == reference);
    }
  }
}

// Flips one byte inside the payload of record `record` of the file.
std::uint64_t Damage(const std::string& path, int record) {
  std::uint64_t offset = 0;
  {
    auto reader = ExtractReader::Open(path);
    REQUIRE(reader.ok());
    ExtractReader::Frame frame;
    for (int i = 0; i <= record; ++i) REQUIRE((*reader)->Next(&frame).value());
    offset = frame.offset;
  }
  std::string bytes = ReadAll(path);
  bytes[offset + 7] ^= 0x20;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  return offset;
}

TEST_CASE("a damaged file fails the ingest with no graph, naming the file and the offset") {
  auto f = WriteSmallSet();
  const std::uint64_t offset = Damage(f->dir.File("pnd.pb"), 1);
  auto r = Ingest(f->paths, Options(2));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == absl::StatusCode::kDataLoss);
  const std::string message(r.status().message());
  // The frame of the damaged record: "<path>: offset <frame offset>: ...".
  CHECK(message.find(f->dir.File("pnd.pb") + ": offset " + std::to_string(offset) + ":") !=
        std::string::npos);
}

TEST_CASE("salvage keeps the records before the damage and reports where reading stopped") {
  auto f = WriteSmallSet();
  const std::uint64_t offset = Damage(f->dir.File("pnd.pb"), 1);
  auto r = Ingest(f->paths, Options(2, true));
  REQUIRE(r.ok());
  const IngestReport& rep = r->report;
  REQUIRE(rep.salvaged.size() == 1);
  CHECK(rep.salvaged[0].file == f->dir.File("pnd.pb"));
  CHECK(rep.salvaged[0].offset == offset);
  CHECK_FALSE(rep.salvaged[0].error.empty());
  CHECK(rep.files[1].read == 1);  // C1 only
  CHECK(rep.read == 5);
  CHECK(rep.read == rep.accepted + rep.quarantined);
  const Graph& g = *r->graph;
  CHECK(g.Find(NodeKind::kPlate, "XY51ABC").has_value());                  // from C1
  CHECK_FALSE(g.Find(NodeKind::kOffence, "MPS/CUSTODY-K-1").has_value());  // K1 was lost
  CHECK_FALSE(g.Find(NodeKind::kPerson, "OTHER/ANN/1991-01-01").has_value());
}

TEST_CASE("a truncated file is damaged too, and salvage keeps every record before the cut") {
  auto f = WriteSmallSet();
  const std::string path = f->dir.File("pnc.pb");
  std::string bytes = ReadAll(path);
  bytes.resize(bytes.size() - 3);  // cut inside the trailer
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  auto failed = Ingest(f->paths, {});
  REQUIRE_FALSE(failed.ok());
  CHECK(std::string(failed.status().message()).find("pnc.pb") != std::string::npos);
  auto r = Ingest(f->paths, Options(1, true));
  REQUIRE(r.ok());
  REQUIRE(r->report.salvaged.size() == 1);
  CHECK(r->report.files[0].read == 2);
  CHECK(r->graph->Find(NodeKind::kPerson, "10/0000001C").has_value());
}

TEST_CASE("bad options and missing files are errors") {
  CHECK(Ingest({}, Options(0)).status().code() == absl::StatusCode::kInvalidArgument);
  IngestOptions no_chunk;
  no_chunk.records_per_chunk = 0;
  CHECK(Ingest({}, no_chunk).status().code() == absl::StatusCode::kInvalidArgument);
  auto r = Ingest({"/nonexistent/pnc.pb"}, {});
  REQUIRE_FALSE(r.ok());
  auto empty = Ingest({}, {});
  REQUIRE(empty.ok());
  CHECK(empty->graph->num_nodes() == 0);
}

}  // namespace
}  // namespace polegraph::testing
