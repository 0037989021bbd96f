// Every validation rule of ingest: each case writes an extract holding one valid record and one
// record that breaks exactly one rule, and checks that only the bad record is quarantined, with
// the expected reason, its index, offset and record id, and that read = accepted + quarantined.
#include <tuple>

#include <catch2/catch.hpp>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "fixture.h"
#include "ingest/internal/validate.h"

namespace polegraph::testing {
namespace {

struct Case {
  std::string name;
  pb::SourceSystem source;
  std::string payload;
  std::string reason;     // expected substring of the quarantine reason
  std::string record_id;  // expected record id in the quarantine entry
};

std::string ValidFor(pb::SourceSystem source) {
  switch (source) {
    case pb::PNC:
      return Nominal("GOOD", "10/1C", "Ann", "Able", Dob(1980, 1, 2)).SerializeAsString();
    case pb::PND:
      return Crime("GOOD", "CR-GOOD").SerializeAsString();
    default:
      return Site("GOOD", "S1").SerializeAsString();
  }
}

std::vector<Case> Cases() {
  std::vector<Case> cases;
  auto nominal = [] { return Nominal("BAD", "10/2D", "Bob", "Baker", Dob(1970, 5, 6)); };
  auto add = [&](std::string name, pb::SourceSystem s, std::string payload, std::string reason,
                 std::string id = "BAD") {
    cases.push_back(Case{std::move(name), s, std::move(payload), std::move(reason), std::move(id)});
  };
  {
    auto r = nominal();
    r.mutable_nominal()->clear_meta();
    add("meta missing", pb::PNC, r.SerializeAsString(), "record meta missing", "");
  }
  {
    auto r = nominal();
    r.mutable_nominal()->mutable_meta()->set_record_id("");
    add("empty record id", pb::PNC, r.SerializeAsString(), "empty record_id", "");
  }
  {
    auto r = nominal();
    r.mutable_nominal()->mutable_meta()->mutable_marking()->set_classification(
        pb::CLASSIFICATION_UNSPECIFIED);
    add("classification unspecified", pb::PNC, r.SerializeAsString(), "classification unspecified");
  }
  {
    auto r = nominal();
    r.mutable_nominal()->mutable_meta()->mutable_marking()->set_classification(
        static_cast<pb::Classification>(9));
    add("classification unknown", pb::PNC, r.SerializeAsString(), "unknown classification 9");
  }
  {
    auto r = nominal();
    r.mutable_nominal()->mutable_meta()->mutable_marking()->set_owning_force(" ");
    add("empty force", pb::PNC, r.SerializeAsString(), "empty owning force");
  }
  {
    auto r = nominal();
    r.mutable_nominal()->mutable_name()->set_surname(
        "Bak\xFF"
        "er");
    add("text not UTF-8", pb::PNC, r.SerializeAsString(),
        "nominal.name.surname: text is not valid UTF-8");
  }
  {
    auto r = nominal();
    r.mutable_nominal()->set_sex(static_cast<pb::Sex>(7));
    add("unknown enum", pb::PNC, r.SerializeAsString(), "nominal.sex: unknown Sex value 7");
  }
  {
    auto r = nominal();
    r.mutable_nominal()->add_warning_markers(static_cast<pb::WarningMarker>(99));
    add("unknown repeated enum", pb::PNC, r.SerializeAsString(),
        "nominal.warning_markers[0]: unknown WarningMarker value 99");
  }
  {
    auto r = nominal();
    *r.mutable_nominal()->mutable_date_of_birth() = Dob(1970, 13, 1);
    add("month 13", pb::PNC, r.SerializeAsString(), "impossible date 1970-13-1: month");
  }
  {
    auto r = nominal();
    *r.mutable_nominal()->mutable_date_of_birth() = Dob(1970, 2, 31);
    add("31 Feb", pb::PNC, r.SerializeAsString(), "impossible date 1970-2-31: day");
  }
  {
    auto r = nominal();
    *r.mutable_nominal()->add_alternative_dates_of_birth() = Dob(2001, 2, 29);
    add("29 Feb of a common year", pb::PNC, r.SerializeAsString(),
        "nominal.alternative_dates_of_birth[0]: impossible date 2001-2-29: day");
  }
  {
    auto r = nominal();
    *r.mutable_nominal()->mutable_date_of_birth() = Dob(1899, 12, 31);
    add("year before 1900", pb::PNC, r.SerializeAsString(), "before 1900");
  }
  {
    auto r = nominal();
    *r.mutable_nominal()->mutable_date_of_birth() = Dob(2024, 6, 2);  // extract: 2024-06-01
    add("date after extract", pb::PNC, r.SerializeAsString(), "after the extract date");
  }
  {
    auto r = nominal();
    r.mutable_nominal()->add_arrests()->set_arrested_at(-5);
    add("negative time", pb::PNC, r.SerializeAsString(),
        "nominal.arrests[0].arrested_at: time -5 is negative");
  }
  {
    auto r = nominal();
    pb::Arrest* a = r.mutable_nominal()->add_arrests();
    a->set_arrest_id("A1");
    a->set_arrested_at(kExtractedAt + 86400 + 1);
    add("time after extract + 1 day", pb::PNC, r.SerializeAsString(),
        "more than a day after the extract time");
  }
  {
    auto r = nominal();
    r.mutable_nominal()->set_pnc_id("");
    add("nominal without PNC ID", pb::PNC, r.SerializeAsString(), "nominal without a PNC ID");
  }
  {
    auto r = nominal();
    r.mutable_nominal()->set_pnc_id("10/2E");  // 'D' is right
    add("PNC ID with a wrong check letter", pb::PNC, r.SerializeAsString(),
        "nominal without a valid PNC ID: PNC ID '10/2E' has check letter 'E' but 'D' is expected");
  }
  {
    auto r = nominal();
    r.mutable_nominal()->set_cro_number("12/34");
    add("invalid CRO", pb::PNC, r.SerializeAsString(), "CRO number '12/34' is not NNNNNN/YYA");
  }
  add("vehicle without VRM", pb::PNC, Vehicle("BAD", "", "").SerializeAsString(),
      "vehicle without VRM");
  add("vehicle with invalid VRM", pb::PNC, Vehicle("BAD", "AB12 CD", "").SerializeAsString(),
      "vehicle: invalid VRM 'AB12CD'");
  add("vehicle with invalid VIN", pb::PNC,
      Vehicle("BAD", "AB12 CDE", "WVWZZZ1JZXO000001").SerializeAsString(),
      "vehicle: invalid VIN 'WVWZZZ1JZXO000001'");
  {
    auto r = Vehicle("BAD", "AB12CDE", "");
    *r.mutable_vehicle()->mutable_keeper()->mutable_person() =
        RefByName("Carl", "", Dob(1990, 1, 1));
    add("keeper without name and dob", pb::PNC, r.SerializeAsString(),
        "keeper: person without PNC ID or name and date of birth");
  }
  add("crime without crime reference", pb::PND, Crime("BAD", " ").SerializeAsString(),
      "crime without crime reference");
  add("crime suspect without key", pb::PND,
      Crime("BAD", "CR-1", {{RefByName("Dan", "Day", pb::Date()), pb::SUSPECT}})
          .SerializeAsString(),
      "people[0]: person without PNC ID or name and date of birth");
  add("crime person with invalid PNC ID", pb::PND,
      Crime("BAD", "CR-1", {{RefByPnc("10/1D"), pb::VICTIM}}).SerializeAsString(),
      "people[0]: person reference with invalid PNC ID");
  add("read without VRM", pb::ANPR, Read("BAD", "", "S1", kT0).SerializeAsString(),
      "read without VRM");
  add("read without site", pb::ANPR, Read("BAD", "AB12CDE", "", kT0).SerializeAsString(),
      "read without site id");
  add("read with invalid VRM", pb::ANPR, Read("BAD", "AB1234C", "S1", kT0).SerializeAsString(),
      "read: invalid VRM 'AB1234C'");
  {
    auto r = Read("BAD", "AB12CDE", "S1", kT0);
    r.mutable_read()->set_confidence(1.5f);
    add("confidence above 1", pb::ANPR, r.SerializeAsString(), "confidence 1.5 is outside 0..1");
  }
  {
    auto r = Read("BAD", "AB12CDE", "S1", kT0);
    r.mutable_read()->set_make("F\xC3\x28rd");  // invalid 2-byte sequence
    add("read text not UTF-8", pb::ANPR, r.SerializeAsString(),
        "read.make: text is not valid UTF-8");
  }
  add("read time negative", pb::ANPR, Read("BAD", "AB12CDE", "S1", -1).SerializeAsString(),
      "read.read_at: time -1 is negative");
  add("read time after the extract", pb::ANPR,
      Read("BAD", "AB12CDE", "S1", kExtractedAt + 90000).SerializeAsString(),
      "read.read_at: time 2024-06-02T01:00:00Z is more than a day after the extract time "
      "2024-06-01T00:00:00Z");
  add("read with a field unknown to the schema", pb::ANPR,
      Read("BAD", "AB12CDE", "S1", kT0).SerializeAsString() + std::string("\x78\x01", 2),
      "AnprRecord: field 15 is not in the AnprRecord schema");
  add("read of an undefined site", pb::ANPR, Read("BAD", "AB12CDE", "S9", kT0).SerializeAsString(),
      "read names site 'S9' that no ingested ANPR extract defines");
  add("payload does not parse", pb::PNC, std::string("\x0a\xff\xff\xff\xff\x0f", 6),
      "payload does not parse", "");
  add("oneof not set", pb::PNC, std::string(), "PNC record with no nominal or vehicle set", "");
  // A PND custody record (field 3 of PndRecord) in a PNC extract.
  {
    pb::PndRecord r;
    *r.mutable_custody()->mutable_meta() = Meta("BAD");
    add("record of another source", pb::PNC, r.SerializeAsString(),
        "field 3 is not in the PncRecord schema", "");
  }
  return cases;
}

TEST_CASE("every validation rule quarantines the bad record only, with a precise reason") {
  TempDir dir;
  for (const Case& c : Cases()) {
    SECTION(c.name) {
      const std::string path = dir.File("x.pb");
      const std::string good = ValidFor(c.source);
      WriteExtract(path, c.source, {good, c.payload});
      std::vector<std::string> paths = {path};
      if (c.source == pb::ANPR) {
        // Sites S1 (and GOOD's S1) are defined; S9 is not.
      }
      auto r = Ingest(paths, {});
      REQUIRE(r.ok());
      const IngestReport& rep = r->report;
      CHECK(rep.read == 2);
      CHECK(rep.accepted == 1);
      CHECK(rep.quarantined == 1);
      REQUIRE(rep.files.size() == 1);
      CHECK(rep.files[0].read == rep.files[0].accepted + rep.files[0].quarantined);
      REQUIRE(rep.quarantine.size() == 1);
      const QuarantineEntry& q = rep.quarantine[0];
      INFO(q.reason);
      CHECK(q.reason.find(c.reason) != std::string::npos);
      CHECK(q.file == path);
      CHECK(q.index == 1);
      CHECK(q.record_id == c.record_id);
      // The offset is that of the second record frame, as an independent reader sees it.
      auto reader = ExtractReader::Open(path);
      REQUIRE(reader.ok());
      ExtractReader::Frame f;
      REQUIRE((*reader)->Next(&f).value());
      REQUIRE((*reader)->Next(&f).value());
      CHECK(q.offset == f.offset);
      // The good record made it into the graph.
      CHECK(r->graph->num_records() == 1);
      CHECK(r->graph->record(0).record_id == "GOOD");
    }
  }
}

TEST_CASE("valid edge cases are accepted: 29 Feb of a leap year, dob on the extract date") {
  TempDir dir;
  auto a = Nominal("N1", "10/1C", "Ann", "Able", Dob(2000, 2, 29));
  auto b = Nominal("N2", "10/2D", "Bob", "Baker", Dob(2024, 6, 1));
  auto c = Read("R1", "ab12 cde", "s1", kExtractedAt + 86400);  // a day late: allowed
  WriteExtract(dir.File("pnc.pb"), pb::PNC, Payloads(a, b));
  WriteExtract(dir.File("anpr.pb"), pb::ANPR, Payloads(Site("S", "S1"), c));
  auto r = Ingest({dir.File("pnc.pb"), dir.File("anpr.pb")}, {});
  REQUIRE(r.ok());
  CHECK(r->report.quarantined == 0);
  CHECK(r->report.accepted == 4);
  CHECK(r->graph->Find(NodeKind::kPlate, "AB12CDE").has_value());
}

TEST_CASE("quarantine balance over several files, and WriteQuarantine writes JSON lines") {
  TempDir dir;
  auto bad = Nominal("B\"1", "10/1D", "X", "Y", Dob(1980, 1, 1));  // wrong check letter
  WriteExtract(dir.File("a.pb"), pb::PNC,
               {Nominal("N1", "10/1C", "A", "B", Dob(1980, 1, 1)).SerializeAsString(),
                bad.SerializeAsString(), std::string("\xff", 1)});
  WriteExtract(dir.File("b.pb"), pb::PND,
               Payloads(Crime("C1", "CR-1"), Crime("C2", ""), Crime("C3", "CR-3")));
  auto r = Ingest({dir.File("b.pb"), dir.File("a.pb")}, Options(2));
  REQUIRE(r.ok());
  const IngestReport& rep = r->report;
  CHECK(rep.read == 6);
  CHECK(rep.accepted == 3);
  CHECK(rep.quarantined == 3);
  REQUIRE(rep.files.size() == 2);
  CHECK(rep.files[0].file == dir.File("b.pb"));  // in the order of `paths`
  CHECK(rep.files[0].read == 3);
  CHECK(rep.files[0].quarantined == 1);
  CHECK(rep.files[1].read == 3);
  CHECK(rep.files[1].quarantined == 2);
  REQUIRE(rep.quarantine.size() == 3);  // sorted by (file, offset)
  CHECK(rep.quarantine[0].file == dir.File("a.pb"));
  CHECK(rep.quarantine[0].index == 1);
  CHECK(rep.quarantine[1].index == 2);
  CHECK(rep.quarantine[2].file == dir.File("b.pb"));
  CHECK(rep.quarantine[2].record_id == "C2");

  const std::string out = dir.File("q.jsonl");
  REQUIRE(WriteQuarantine(rep, out).ok());
  std::FILE* f = std::fopen(out.c_str(), "rb");
  REQUIRE(f != nullptr);
  std::string text(4096, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), f));
  std::fclose(f);
  const std::string first = text.substr(0, text.find('\n'));
  CHECK(first == absl::StrCat("{\"file\":\"", dir.File("a.pb"),
                              "\",\"offset\":", rep.quarantine[0].offset,
                              ",\"index\":1,\"record_id\":\"B\\\"1\",\"reason\":\"",
                              rep.quarantine[0].reason, "\"}"));
  CHECK(std::count(text.begin(), text.end(), '\n') == 3);
  CHECK_FALSE(WriteQuarantine(rep, dir.File("no/such/dir/q.jsonl")).ok());
}

}  // namespace
}  // namespace polegraph::testing

namespace polegraph::testing {
namespace {

// Random payloads (and valid records with random bytes flipped) never crash ingest and always
// balance: every record is accepted or quarantined.
TEST_CASE("random and mutated payloads are accepted or quarantined, never lost") {
  TempDir dir;
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&] {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return state;
  };
  std::vector<std::string> paths;
  for (pb::SourceSystem source : {pb::PNC, pb::PND, pb::ANPR}) {
    std::vector<std::string> payloads;
    const std::string valid = ValidFor(source);
    for (int i = 0; i < 300; ++i) {
      std::string p;
      if (i % 2 == 0) {
        p.resize(next() % 64);
        for (char& c : p) c = static_cast<char>(next());
      } else {
        p = valid;
        p[next() % p.size()] = static_cast<char>(next());
      }
      payloads.push_back(std::move(p));
    }
    paths.push_back(dir.File(absl::StrCat("r", static_cast<int>(source), ".pb")));
    WriteExtract(paths.back(), source, payloads);
  }
  auto r = Ingest(paths, Options(2));
  REQUIRE(r.ok());
  CHECK(r->report.read == 900);
  CHECK(r->report.read == r->report.accepted + r->report.quarantined);
  CHECK(r->report.quarantined > 0);
  CHECK(r->report.quarantine.size() == r->report.quarantined);
  for (const FileReport& f : r->report.files) CHECK(f.read == f.accepted + f.quarantined);
  CHECK(r->graph->num_records() == r->report.accepted);
}

}  // namespace
}  // namespace polegraph::testing

// DateString and TimeString are written out by hand for speed; the oracle is absl's formatter.
TEST_CASE("date and time strings match absl's formatting") {
  for (std::int64_t t : {std::int64_t{0}, std::int64_t{59}, std::int64_t{951782400},  // 2000-02-29
                         std::int64_t{1700000000}, std::int64_t{1717200000 + 86399},
                         std::int64_t{253402300799},    // 9999-12-31T23:59:59Z
                         std::int64_t{253402300800},    // year 10000: the fallback path
                         std::int64_t{-1}, std::int64_t{-62167219200}}) {
    INFO(t);
    CHECK(polegraph::ingest_internal::TimeString(t) ==
          absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(t), absl::UTCTimeZone()));
  }
  for (auto [y, m, d] : {std::tuple{1900, 1, 1}, std::tuple{2024, 2, 29}, std::tuple{9999, 12, 31},
                         std::tuple{7, 3, 4}, std::tuple{0, 0, 0}, std::tuple{12345, 1, 1},
                         std::tuple{-5, 1, 1}, std::tuple{2020, 123, 7}}) {
    polegraph::pb::Date date;
    date.set_year(y);
    date.set_month(m);
    date.set_day(d);
    CHECK(polegraph::ingest_internal::DateString(date) ==
          absl::StrFormat("%04d-%02d-%02d", y, m, d));
  }
}
