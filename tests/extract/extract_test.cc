// ExtractWriter / ExtractReader: round trips for every source, the writer's atomic-file
// behaviour, and its bytes checked against an independent encoder of the documented format
// (tests/extract/extract_test_util.h). Damage detection is in extract_damage_test.cc, the
// Parse() limits in extract_parse_test.cc.
#include "polegraph/extract.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "extract/extract_test_util.h"

namespace polegraph {
namespace {

using test::EncodeExtract;
using test::MakeHeader;
using test::ReadBytes;
using test::TempDir;

// Writes `records` with ExtractWriter, then checks the file byte for byte against the
// independent encoder, reads it back, and checks payloads, offsets, indices and the trailer.
template <typename Record>
void CheckRoundTrip(pb::SourceSystem source, const std::vector<Record>& records) {
  TempDir dir;
  const std::string path = dir.File("extract.pb");
  std::vector<std::string> payloads;
  {
    auto w = ExtractWriter::Create(path, MakeHeader(source));
    REQUIRE(w.ok());
    for (const Record& r : records) {
      REQUIRE((*w)->Append(r).ok());
      payloads.push_back(r.SerializeAsString());
    }
    CHECK((*w)->records_written() == records.size());
    REQUIRE((*w)->Finish().ok());
  }
  const std::string bytes = ReadBytes(path);
  REQUIRE(bytes == EncodeExtract(MakeHeader(source), payloads));

  auto r = ExtractReader::Open(path);
  REQUIRE(r.ok());
  CHECK((*r)->header().source() == source);
  CHECK((*r)->header().force() == "MPS");
  CHECK((*r)->header().extract_id() == "test-extract-0001");
  CHECK((*r)->file_size() == bytes.size());
  // Oracle for offsets: magic, header frame (9 bytes of framing + payload), then records.
  std::uint64_t expected_offset = 8 + 9 + MakeHeader(source).ByteSizeLong();
  ExtractReader::Frame f;
  std::uint64_t n = 0;
  while (true) {
    auto more = (*r)->Next(&f);
    REQUIRE(more.ok());
    if (!*more) break;
    REQUIRE(n < records.size());
    CHECK(f.index == n);
    CHECK(f.offset == expected_offset);
    CHECK(f.payload == payloads[n]);
    Record parsed;
    REQUIRE((*r)->Parse(f.payload, &parsed).ok());
    CHECK(parsed.SerializeAsString() == payloads[n]);
    expected_offset += 9 + payloads[n].size();
    ++n;
  }
  CHECK(n == records.size());
  CHECK((*r)->trailer().record_count() == records.size());
  std::uint32_t digest = 0;
  for (const std::string& p : payloads) digest = test::ReferenceCrc32c(digest, p);
  CHECK((*r)->trailer().digest() == digest);
  // Next() after the end keeps returning false.
  auto again = (*r)->Next(&f);
  REQUIRE(again.ok());
  CHECK(!*again);

  auto verified = ExtractReader::Verify(path);
  REQUIRE(verified.ok());
  CHECK(verified->record_count() == records.size());
  CHECK(verified->digest() == digest);
}

TEST_CASE("PNC records round trip", "[extract]") {
  const auto records = test::SamplePncRecords(20);
  CheckRoundTrip(pb::PNC, records);
}

TEST_CASE("PND records round trip", "[extract]") {
  CheckRoundTrip(pb::PND, test::SamplePndRecords(25));
}

TEST_CASE("ANPR records round trip", "[extract]") {
  CheckRoundTrip(pb::ANPR, test::SampleAnprRecords(40));
}

TEST_CASE("an extract with no records round trips", "[extract]") {
  CheckRoundTrip(pb::PNC, std::vector<pb::PncRecord>{});
}

TEST_CASE("a file several times the write buffer round trips", "[extract]") {
  // ~30k reads of ~60 bytes: about 2 MB, so the writer flushes its 1 MiB buffer repeatedly.
  std::vector<pb::AnprRecord> reads;
  for (std::uint64_t i = 0; i < 30000; ++i) reads.push_back(test::SampleAnprRead(i));
  CheckRoundTrip(pb::ANPR, reads);
}

TEST_CASE("parsed records keep their field values", "[extract]") {
  TempDir dir;
  const std::string path = dir.File("anpr.pb");
  {
    auto w = ExtractWriter::Create(path, MakeHeader(pb::ANPR));
    REQUIRE(w.ok());
    REQUIRE((*w)->Append(test::SampleAnprRead(42)).ok());
    REQUIRE((*w)->Finish().ok());
  }
  auto r = ExtractReader::Open(path);
  REQUIRE(r.ok());
  ExtractReader::Frame f;
  REQUIRE((*r)->Next(&f).value());
  pb::AnprRecord rec;
  REQUIRE((*r)->Parse(f.payload, &rec).ok());
  REQUIRE(rec.has_read());
  CHECK(rec.read().vrm() == "AB52CDE");
  CHECK(rec.read().site_id() == "S2");
  CHECK(rec.read().lane() == 0);
  CHECK(rec.read().read_at() == 1764000042);
  CHECK(rec.read().meta().record_id() == "R42");
}

TEST_CASE("the writer builds <path>.tmp and renames it on Finish", "[extract][writer]") {
  TempDir dir;
  const std::string path = dir.File("pnc.pb");
  auto w = ExtractWriter::Create(path, MakeHeader(pb::PNC));
  REQUIRE(w.ok());
  REQUIRE((*w)->Append(test::SamplePncRecords(3)[1]).ok());
  CHECK(std::filesystem::exists(path + ".tmp"));
  CHECK(!std::filesystem::exists(path));
  REQUIRE((*w)->Finish().ok());
  CHECK(std::filesystem::exists(path));
  CHECK(!std::filesystem::exists(path + ".tmp"));
  // After Finish, the writer refuses more work.
  CHECK((*w)->Append(test::SamplePncRecords(3)[1]).code() == absl::StatusCode::kFailedPrecondition);
  CHECK((*w)->Finish().code() == absl::StatusCode::kFailedPrecondition);
  w->reset();
  CHECK(std::filesystem::exists(path));  // destroying a finished writer keeps the file
}

TEST_CASE("a writer destroyed unfinished leaves no file", "[extract][writer]") {
  TempDir dir;
  const std::string path = dir.File("pnd.pb");
  {
    auto w = ExtractWriter::Create(path, MakeHeader(pb::PND));
    REQUIRE(w.ok());
    for (const auto& r : test::SamplePndRecords(5)) REQUIRE((*w)->Append(r).ok());
    CHECK(std::filesystem::exists(path + ".tmp"));
  }
  CHECK(!std::filesystem::exists(path + ".tmp"));
  CHECK(!std::filesystem::exists(path));
}

TEST_CASE("the writer fills in the schema version", "[extract][writer]") {
  TempDir dir;
  const std::string path = dir.File("pnc.pb");
  pb::ExtractHeader h = MakeHeader(pb::PNC);
  h.clear_schema_version();
  {
    auto w = ExtractWriter::Create(path, h);
    REQUIRE(w.ok());
    REQUIRE((*w)->Finish().ok());
  }
  auto r = ExtractReader::Open(path);
  REQUIRE(r.ok());
  CHECK((*r)->header().schema_version() == kExtractSchemaVersion);
  CHECK(ReadBytes(path) == EncodeExtract(MakeHeader(pb::PNC), {}));
}

TEST_CASE("the writer rejects bad input with clear errors", "[extract][writer]") {
  TempDir dir;
  const std::string path = dir.File("x.pb");
  SECTION("a record of another source") {
    auto w = ExtractWriter::Create(path, MakeHeader(pb::PNC));
    REQUIRE(w.ok());
    absl::Status s = (*w)->Append(test::SampleAnprRead(1));
    CHECK(s.code() == absl::StatusCode::kInvalidArgument);
    CHECK(s.message().find("AnprRecord") != std::string::npos);
    CHECK((*w)->records_written() == 0);
    REQUIRE((*w)->Finish().ok());  // the writer is still usable
    CHECK(ExtractReader::Verify(path)->record_count() == 0);
  }
  SECTION("a payload above the default record limit") {
    auto w = ExtractWriter::Create(path, MakeHeader(pb::ANPR));
    REQUIRE(w.ok());
    const std::string big((4u << 20) + 1, 'x');
    CHECK((*w)->AppendSerialized(big).code() == absl::StatusCode::kInvalidArgument);
    const std::string fits(4u << 20, 'x');
    CHECK((*w)->AppendSerialized(fits).ok());
    REQUIRE((*w)->Finish().ok());
    CHECK(ExtractReader::Verify(path)->record_count() == 1);
  }
  SECTION("a header without a source") {
    auto w = ExtractWriter::Create(path, MakeHeader(pb::SOURCE_UNSPECIFIED));
    CHECK(w.status().code() == absl::StatusCode::kInvalidArgument);
  }
  SECTION("a header with another schema version") {
    pb::ExtractHeader h = MakeHeader(pb::PNC);
    h.set_schema_version(2);
    CHECK(ExtractWriter::Create(path, h).status().code() == absl::StatusCode::kInvalidArgument);
  }
  SECTION("a directory that does not exist") {
    auto w = ExtractWriter::Create(dir.File("no/such/dir/x.pb"), MakeHeader(pb::PNC));
    CHECK(w.status().code() == absl::StatusCode::kNotFound);
    CHECK(w.status().message().find("no/such/dir/x.pb.tmp") != std::string::npos);
  }
  CHECK(!std::filesystem::exists(path + ".tmp"));
}

TEST_CASE("Open reports missing files and bad arguments", "[extract][reader]") {
  TempDir dir;
  auto r = ExtractReader::Open(dir.File("missing.pb"));
  CHECK(r.status().code() == absl::StatusCode::kNotFound);
  CHECK(r.status().message().find("missing.pb") != std::string::npos);
  CHECK(ExtractReader::Verify(dir.File("missing.pb")).status().code() ==
        absl::StatusCode::kNotFound);
  // A directory is not an extract.
  CHECK(ExtractReader::Open(dir.File("")).status().code() == absl::StatusCode::kInvalidArgument);
  // Limits must be positive.
  const std::string path = dir.File("ok.pb");
  test::WriteBytes(path, EncodeExtract(MakeHeader(pb::PNC), {}));
  CHECK(ExtractReader::Open(path, {.max_record_bytes = 0}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(ExtractReader::Open(path, {.max_nesting = 0}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(ExtractReader::Open(path).ok());
}

TEST_CASE("an unsupported schema version or source is FailedPrecondition", "[extract][reader]") {
  TempDir dir;
  const std::string path = dir.File("v2.pb");
  pb::ExtractHeader h = MakeHeader(pb::PND);
  h.set_schema_version(2);
  test::WriteBytes(path, EncodeExtract(h, {"x"}));
  auto r = ExtractReader::Open(path);
  CHECK(r.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(r.status().message().find("schema version 2") != std::string::npos);
  CHECK(ExtractReader::Verify(path).status().code() == absl::StatusCode::kFailedPrecondition);

  h = MakeHeader(pb::SOURCE_UNSPECIFIED);
  test::WriteBytes(path, EncodeExtract(h, {}));
  CHECK(ExtractReader::Open(path).status().code() == absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace polegraph
