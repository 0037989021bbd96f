// ExtractReader::Parse: explicit limits, whole-payload consumption, and InvalidArgument (not
// DataLoss) for payloads that frame correctly but are not valid messages.
#include <catch2/catch.hpp>
#include <string>

#include "extract/extract_test_util.h"
#include "polegraph/extract.h"

namespace polegraph {
namespace {

using test::MakeHeader;
using test::TempDir;

// A reader over an empty PND extract, opened with the given nesting limit.
std::unique_ptr<ExtractReader> OpenReader(const TempDir& dir, int max_nesting) {
  const std::string path = dir.File("p.pb");
  test::WriteBytes(path, test::EncodeExtract(MakeHeader(pb::PND), {}));
  auto r = ExtractReader::Open(path, {.max_nesting = max_nesting});
  REQUIRE(r.ok());
  return std::move(*r);
}

// PndRecord -> crime (depth 1) -> people (2) -> person (3) -> name (4): nesting depth 4.
pb::PndRecord NestedRecord() {
  pb::PndRecord r;
  r.mutable_crime()->add_people()->mutable_person()->mutable_name()->set_surname("DEEP");
  return r;
}

TEST_CASE("Parse rejects payloads that are not messages", "[extract][parse]") {
  TempDir dir;
  auto r = OpenReader(dir, 16);
  const std::vector<std::string> bad = {
      std::string("\xff", 1),             // field 31, wire type 7: no such wire type
      std::string("\x08\x80", 2),         // varint cut short
      std::string("\x0a\x05", 2) + "ab",  // length-delimited field runs past the payload
      std::string("\x0c", 1),             // an end-group tag with no group: stops early
      std::string("\x12\x00\x0c", 3),     // valid field, then a stray end-group tag
      std::string("\x00", 1),             // field number 0
  };
  for (const std::string& p : bad) {
    INFO("payload of " << p.size() << " bytes, first 0x" << std::hex
                       << int{static_cast<unsigned char>(p[0])});
    pb::PndRecord rec;
    absl::Status s = r->Parse(p, &rec);
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(s.message().find("PndRecord") != std::string::npos);
  }
  pb::PndRecord rec;
  CHECK(r->Parse("", &rec).ok());  // the empty payload is a valid (empty) message
  CHECK(rec.record_case() == pb::PndRecord::RECORD_NOT_SET);
}

TEST_CASE("Parse applies the nesting limit exactly", "[extract][parse]") {
  TempDir dir;
  const std::string payload = NestedRecord().SerializeAsString();
  pb::PndRecord rec;
  CHECK(OpenReader(dir, 4)->Parse(payload, &rec).ok());
  CHECK(rec.crime().people(0).person().name().surname() == "DEEP");
  absl::Status s = OpenReader(dir, 3)->Parse(payload, &rec);
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  CHECK(s.message().find("nested deeper than 3") != std::string::npos);
}

TEST_CASE("Parse limits nesting of unknown groups too", "[extract][parse]") {
  // Field 15 as a group: start tag (15 << 3 | 3) = '{', end tag (15 << 3 | 4) = '|'. Unknown to
  // PndRecord, so only the recursion limit stands between a hostile payload and deep recursion.
  TempDir dir;
  auto r = OpenReader(dir, 16);
  pb::PndRecord rec;
  CHECK(r->Parse(std::string(3, '{') + std::string(3, '|'), &rec).ok());
  CHECK(r->Parse(std::string(16, '{') + std::string(16, '|'), &rec).ok());
  CHECK(r->Parse(std::string(17, '{') + std::string(17, '|'), &rec).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(r->Parse(std::string(100000, '{') + std::string(100000, '|'), &rec).code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("a record that frames correctly but does not parse reaches the caller",
          "[extract][parse]") {
  // The frame is intact (Next() succeeds); Parse() is what fails, with InvalidArgument, so
  // ingest can quarantine that one record and go on.
  TempDir dir;
  const std::string path = dir.File("bad_record.pb");
  {
    auto w = ExtractWriter::Create(path, MakeHeader(pb::PND));
    REQUIRE(w.ok());
    REQUIRE((*w)->AppendSerialized(std::string("\xff\xff\xff", 3)).ok());
    REQUIRE((*w)->Append(test::SamplePndRecords(1)[0]).ok());
    REQUIRE((*w)->Finish().ok());
  }
  auto r = ExtractReader::Open(path);
  REQUIRE(r.ok());
  ExtractReader::Frame f;
  pb::PndRecord rec;
  REQUIRE((*r)->Next(&f).value());
  CHECK((*r)->Parse(f.payload, &rec).code() == absl::StatusCode::kInvalidArgument);
  REQUIRE((*r)->Next(&f).value());
  CHECK(f.index == 1);
  REQUIRE((*r)->Parse(f.payload, &rec).ok());
  CHECK(rec.crime().crime_reference() == "CR/0");
  CHECK(!(*r)->Next(&f).value());
}

}  // namespace
}  // namespace polegraph
