// Malformed extract structure, each built frame by frame with the test's own encoder (valid
// frame CRCs, so only the framing rules and the trailer check can catch them): wrong magic,
// frames out of order, a second header, wrong trailer count or digest, whole frames removed,
// repeated or swapped, lengths above the limit, unknown frame types, unparsable header or
// trailer. Each must be DataLoss naming the file and the offset of the offending frame.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "extract/extract_test_util.h"
#include "polegraph/extract.h"

namespace polegraph {
namespace {

using test::EncodeFrame;
using test::EncodeTrailer;
using test::MakeHeader;
using test::ReferenceCrc32c;
using test::TempDir;

// What a Next() loop over a file yields: the record payloads and offsets, and how it ended.
struct Outcome {
  absl::Status open;
  std::vector<std::string> payloads;
  std::vector<std::uint64_t> offsets;
  absl::Status end;  // OK when Next() returned false
};

Outcome ReadAll(const std::string& path, ExtractLimits limits = {}) {
  Outcome o;
  auto r = ExtractReader::Open(path, limits);
  o.open = r.status();
  if (!r.ok()) return o;
  ExtractReader::Frame f;
  while (true) {
    auto more = (*r)->Next(&f);
    if (!more.ok()) {
      o.end = more.status();
      return o;
    }
    if (!*more) return o;
    o.payloads.emplace_back(f.payload);
    o.offsets.push_back(f.offset);
  }
}

bool Says(const absl::Status& s, const std::string& path, std::uint64_t offset,
          const std::string& what) {
  const std::string m(s.message());
  return s.code() == absl::StatusCode::kDataLoss && m.find(path) != std::string::npos &&
         m.find("offset " + std::to_string(offset) + ":") != std::string::npos &&
         m.find(what) != std::string::npos;
}

const std::vector<std::string> kPayloads = {"first", "", "third record", "fourth"};

std::string Magic() { return std::string(test::kMagic); }
std::string Header() { return EncodeFrame('H', MakeHeader(pb::PND).SerializeAsString()); }
std::uint32_t Digest(const std::vector<std::string>& payloads) {
  std::uint32_t d = 0;
  for (const auto& p : payloads) d = ReferenceCrc32c(d, p);
  return d;
}
// Magic, header, then the given record frames in order, then `trailer`.
std::string File(const std::vector<std::string>& records, const std::string& trailer) {
  std::string out = Magic() + Header();
  for (const auto& p : records) out += EncodeFrame('R', p);
  return out + trailer;
}

TEST_CASE("wrong or missing magic", "[extract][structure]") {
  TempDir dir;
  const std::string path = dir.File("magic.pb");
  const std::string good = test::EncodeExtract(MakeHeader(pb::PND), kPayloads);
  for (const std::string& bytes :
       {"PGXTRCT2" + good.substr(8), good.substr(8), std::string(), std::string("PGX")}) {
    test::WriteBytes(path, bytes);
    CHECK(Says(ReadAll(path).open, path, 0, "not a polegraph extract"));
    CHECK(Says(ExtractReader::Verify(path).status(), path, 0, "magic"));
  }
}

TEST_CASE("frames before the header", "[extract][structure]") {
  TempDir dir;
  const std::string path = dir.File("order.pb");
  test::WriteBytes(path, Magic() + EncodeFrame('R', "rec") + Header() +
                             EncodeTrailer(1, ReferenceCrc32c(0, "rec")));
  CHECK(Says(ReadAll(path).open, path, 8, "expected a header frame first, found a record frame"));
  test::WriteBytes(path, Magic() + EncodeTrailer(0, 0));
  CHECK(Says(ReadAll(path).open, path, 8, "found a trailer frame"));
  test::WriteBytes(path, Magic());
  CHECK(Says(ReadAll(path).open, path, 8, "truncated"));
}

TEST_CASE("a second header", "[extract][structure]") {
  TempDir dir;
  const std::string path = dir.File("twice.pb");
  const std::string head = File({kPayloads[0], kPayloads[1]}, "");
  test::WriteBytes(path, head + Header() + EncodeFrame('R', kPayloads[2]) +
                             EncodeTrailer(3, Digest({kPayloads[0], kPayloads[1], kPayloads[2]})));
  Outcome o = ReadAll(path);
  CHECK(o.payloads == std::vector<std::string>{kPayloads[0], kPayloads[1]});
  CHECK(Says(o.end, path, head.size(), "second header"));
}

TEST_CASE("a trailer whose count or digest is wrong", "[extract][structure]") {
  TempDir dir;
  const std::string path = dir.File("trailer.pb");
  const std::uint64_t trailer_at = File(kPayloads, "").size();
  const std::uint32_t digest = Digest(kPayloads);
  for (std::uint64_t count : {std::uint64_t{3}, std::uint64_t{5}, std::uint64_t{0}}) {
    test::WriteBytes(path, File(kPayloads, EncodeTrailer(count, digest)));
    Outcome o = ReadAll(path);
    CHECK(o.payloads == kPayloads);  // every record is returned before the trailer check
    CHECK(Says(o.end, path, trailer_at, "the trailer counts " + std::to_string(count)));
  }
  test::WriteBytes(path, File(kPayloads, EncodeTrailer(4, digest ^ 1u)));
  CHECK(Says(ReadAll(path).end, path, trailer_at, "digest"));
  test::WriteBytes(path, File(kPayloads, EncodeTrailer(4, digest)));
  CHECK(ReadAll(path).end.ok());
}

TEST_CASE("whole record frames removed, repeated or swapped", "[extract][structure]") {
  TempDir dir;
  const std::string path = dir.File("frames.pb");
  const std::string trailer = EncodeTrailer(kPayloads.size(), Digest(kPayloads));
  const std::vector<std::vector<std::string>> variants = {
      {kPayloads[0], kPayloads[1], kPayloads[3]},                              // one removed
      {kPayloads[0], kPayloads[1], kPayloads[2], kPayloads[3], kPayloads[3]},  // one repeated
      {kPayloads[0], kPayloads[1], kPayloads[3], kPayloads[2]},                // two swapped
  };
  // (The digest chains payload bytes only, as the format specifies, so moving the *empty*
  // record kPayloads[1] would leave the digest unchanged; every record is still intact then.)
  const std::vector<std::string> expected = {"counts 4 records but the file holds 3",
                                             "counts 4 records but the file holds 5", "digest"};
  for (std::size_t v = 0; v < variants.size(); ++v) {
    test::WriteBytes(path, File(variants[v], trailer));
    Outcome o = ReadAll(path);
    CHECK(o.payloads == variants[v]);
    CHECK(Says(o.end, path, File(variants[v], "").size(), expected[v]));
    CHECK(Says(ExtractReader::Verify(path).status(), path, File(variants[v], "").size(),
               expected[v]));
  }
}

TEST_CASE("a frame length above max_record_bytes", "[extract][structure]") {
  TempDir dir;
  const std::string path = dir.File("long.pb");
  const std::vector<std::string> payloads = {std::string(10, 'a'), std::string(100, 'b'),
                                             std::string(101, 'c'), std::string(5, 'd')};
  test::WriteBytes(path, File(payloads, EncodeTrailer(4, Digest(payloads))));
  CHECK(ReadAll(path).end.ok());  // within the default limit
  Outcome o = ReadAll(path, {.max_record_bytes = 100});
  CHECK(o.payloads == std::vector<std::string>{payloads[0], payloads[1]});  // 100 is allowed
  CHECK(Says(o.end, path, File({payloads[0], payloads[1]}, "").size(),
             "record frame length 101 exceeds the limit of 100"));
  // A hostile length near 4 GiB is refused by the limit before anything is read.
  const std::string head = File({payloads[0]}, "");
  test::WriteBytes(path, head + "R" + test::Le32(0xFFFFFFFFu) + std::string(64, 'z'));
  o = ReadAll(path);
  CHECK(o.payloads.size() == 1);
  CHECK(Says(o.end, path, head.size(), "length 4294967295 exceeds the limit"));
  // Within the limit but past the end of the file.
  test::WriteBytes(path, head + "R" + test::Le32(1000) + std::string(64, 'z'));
  CHECK(Says(ReadAll(path).end, path, head.size(), "truncated"));
  // The header frame is held to the limit as well.
  CHECK(Says(ReadAll(path, {.max_record_bytes = 8}).open, path, 8, "header frame length"));
}

TEST_CASE("frames of unknown type, and header or trailer that do not parse",
          "[extract][structure]") {
  TempDir dir;
  const std::string path = dir.File("odd.pb");
  const std::string head = File({kPayloads[0]}, "");
  const std::uint32_t d = Digest({kPayloads[0]});
  test::WriteBytes(path, head + EncodeFrame('X', "data") + EncodeTrailer(1, d));
  Outcome o = ReadAll(path);
  CHECK(o.payloads.size() == 1);
  CHECK(Says(o.end, path, head.size(), "unknown type 0x58"));

  test::WriteBytes(path, head + EncodeFrame('T', "\xff\xff"));
  CHECK(Says(ReadAll(path).end, path, head.size(), "trailer frame does not parse"));

  test::WriteBytes(path, Magic() + EncodeFrame('H', "\x0a\x05zz") + EncodeTrailer(0, 0));
  CHECK(Says(ReadAll(path).open, path, 8, "header frame does not parse"));
}

}  // namespace
}  // namespace polegraph
