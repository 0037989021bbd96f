// Damage detection: a small extract (20 PNC records of 0 to ~1.5 KB) is cut at every byte
// offset and has every byte changed (XOR 0x01 and XOR 0xFF); each damaged copy must fail both
// Verify() and a Next() loop with DataLoss naming the file and the offset of the damaged
// frame, after Next() has returned exactly the intact records before it (the salvage
// contract). The expected frame layout comes from the test's own encoder, not the reader.
// A file changed or cut after ScanChunks verified it fails ForEachRecord (DataLoss), never a
// parse of bytes that were not verified; one cut while Next() reads it fails Next().
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "extract/extract_test_util.h"
#include "polegraph/extract.h"

namespace polegraph {
namespace {

using test::EncodeExtract;
using test::EncodeFrame;
using test::MakeHeader;
using test::TempDir;
using test::WriteBytes;

// The small extract and, as the oracle, where each of its frames starts.
struct SmallExtract {
  std::string bytes;
  std::vector<std::string> payloads;
  std::vector<std::uint64_t> record_offsets;  // offset of each record frame
  std::uint64_t header_offset = 8, trailer_offset = 0;

  SmallExtract() {
    for (const auto& r : test::SamplePncRecords(20)) payloads.push_back(r.SerializeAsString());
    bytes = EncodeExtract(MakeHeader(pb::PNC), payloads);
    std::uint64_t at = 8 + EncodeFrame('H', MakeHeader(pb::PNC).SerializeAsString()).size();
    for (const std::string& p : payloads) {
      record_offsets.push_back(at);
      at += 9 + p.size();
    }
    trailer_offset = at;
  }

  // Start of the frame holding byte `b` of the file (b >= 8).
  std::uint64_t FrameStart(std::uint64_t b) const {
    std::uint64_t start = header_offset;
    for (std::uint64_t off : record_offsets) {
      if (off <= b) start = off;
    }
    return b >= trailer_offset ? trailer_offset : start;
  }
};

const SmallExtract& Small() {
  static const SmallExtract s;
  return s;
}

bool Mentions(const absl::Status& s, const std::string& path, std::uint64_t offset) {
  const std::string m(s.message());
  return m.find(path) != std::string::npos &&
         m.find("offset " + std::to_string(offset) + ":") != std::string::npos;
}

// ScanChunks(3) on the file: the chunks hold exactly the first `intact` records, three by
// three, and walking them gives the oracle's offsets, indices and payloads; the scan fails with
// DataLoss at `bad_offset`, or succeeds when bad_offset is 0 (an intact file).
void CheckChunks(const std::string& path, std::uint64_t intact, std::uint64_t bad_offset) {
  const SmallExtract& s = Small();
  auto r = ExtractReader::Open(path);
  REQUIRE(r.ok());
  std::vector<ExtractReader::Chunk> chunks;
  const absl::Status scanned = (*r)->ScanChunks(3, &chunks);
  if (bad_offset == 0) {
    CHECK(scanned.ok());
  } else {
    CHECK(scanned.code() == absl::StatusCode::kDataLoss);
    CHECK(Mentions(scanned, path, bad_offset));
    CHECK((*r)->position() == bad_offset);
  }
  CHECK(chunks.size() == (intact + 2) / 3);
  std::uint64_t n = 0;
  for (const ExtractReader::Chunk& c : chunks) {
    CHECK(c.first_index == n);
    CHECK(c.records == std::min<std::uint64_t>(3, intact - n));
    CHECK(c.begin == s.record_offsets[n]);
    std::string bytes;
    const absl::Status read = (*r)->ForEachRecord(c, &bytes, [&](const ExtractReader::Frame& f) {
      REQUIRE(n < intact);
      CHECK(f.index == n);
      CHECK(f.offset == s.record_offsets[n]);
      CHECK(f.payload == s.payloads[n]);
      ++n;
    });
    REQUIRE(read.ok());
    CHECK(c.end == (n < s.record_offsets.size() ? s.record_offsets[n] : s.trailer_offset));
  }
  CHECK(n == intact);
}

// Reads a damaged file whose first damaged frame starts at `bad_offset` (0 when the magic is
// damaged) and checks: Verify fails; Open fails when the damage is in the magic or header;
// otherwise Next() returns exactly the records whose frames start before `bad_offset`, intact,
// then DataLoss at `bad_offset`, and keeps returning it.
void CheckDamaged(const std::string& path, std::uint64_t bad_offset) {
  const SmallExtract& s = Small();
  auto verified = ExtractReader::Verify(path);
  REQUIRE(verified.status().code() == absl::StatusCode::kDataLoss);
  CHECK(Mentions(verified.status(), path, bad_offset));

  auto r = ExtractReader::Open(path);
  if (bad_offset <= s.header_offset) {
    REQUIRE(r.status().code() == absl::StatusCode::kDataLoss);
    CHECK(Mentions(r.status(), path, bad_offset));
    return;
  }
  REQUIRE(r.ok());
  ExtractReader::Frame f;
  std::uint64_t n = 0;
  absl::Status error;
  while (true) {
    auto more = (*r)->Next(&f);
    if (!more.ok()) {
      error = more.status();
      break;
    }
    REQUIRE(*more);  // a damaged file never reaches a verified end
    REQUIRE(n < s.payloads.size());
    CHECK(f.index == n);
    CHECK(f.offset == s.record_offsets[n]);
    CHECK(f.payload == s.payloads[n]);
    ++n;
  }
  CHECK(error.code() == absl::StatusCode::kDataLoss);
  CHECK(Mentions(error, path, bad_offset));
  CHECK((*r)->position() == bad_offset);
  std::uint64_t intact = 0;
  while (intact < s.record_offsets.size() && s.record_offsets[intact] < bad_offset) ++intact;
  CHECK(n == intact);
  // The error is sticky.
  auto again = (*r)->Next(&f);
  CHECK(again.status() == error);
  CheckChunks(path, intact, bad_offset);
}

TEST_CASE("the small extract is well formed", "[extract][damage]") {
  const SmallExtract& s = Small();
  TempDir dir;
  const std::string path = dir.File("small.pb");
  WriteBytes(path, s.bytes);
  auto t = ExtractReader::Verify(path);
  REQUIRE(t.ok());
  CHECK(t->record_count() == 20);
  CHECK(s.payloads[0].empty());  // the mix includes an empty payload ...
  std::size_t largest = 0;
  for (const auto& p : s.payloads) largest = std::max(largest, p.size());
  CHECK(largest > 1000);  // ... and a large one
  CheckChunks(path, 20, 0);
}

TEST_CASE("a file cut at any offset is an error, never a shorter file", "[extract][damage]") {
  const SmallExtract& s = Small();
  for (std::uint64_t cut = 0; cut < s.bytes.size(); ++cut) {
    INFO("cut at " << cut << " of " << s.bytes.size());
    const test::MemFile file(std::string_view(s.bytes).substr(0, cut));
    const std::string& path = file.path();
    // A cut inside the magic is reported at offset 0; otherwise at the first frame that is not
    // whole: the one holding byte `cut` of the original, which for a cut exactly on a frame
    // boundary is the missing next frame (the header, a record or the trailer).
    CheckDamaged(path, cut < 8 ? 0 : s.FrameStart(cut));
  }
}

TEST_CASE("a cut exactly at a frame boundary reports the missing trailer", "[extract][damage]") {
  const SmallExtract& s = Small();
  TempDir dir;
  const std::string path = dir.File("cut.pb");
  WriteBytes(path, std::string_view(s.bytes).substr(0, s.trailer_offset));
  auto v = ExtractReader::Verify(path);
  CHECK(v.status().code() == absl::StatusCode::kDataLoss);
  CHECK(std::string(v.status().message()).find("without a trailer") != std::string::npos);
  CheckDamaged(path, s.trailer_offset);
}

TEST_CASE("any single changed byte is detected", "[extract][damage]") {
  const SmallExtract& s = Small();
  for (unsigned char mask : {0x01, 0xFF}) {
    for (std::uint64_t b = 0; b < s.bytes.size(); ++b) {
      INFO("byte " << b << " XOR " << int{mask});
      std::string damaged = s.bytes;
      damaged[b] = static_cast<char>(damaged[b] ^ static_cast<char>(mask));
      const test::MemFile file(damaged);
      const std::string& path = file.path();
      CheckDamaged(path, b < 8 ? 0 : s.FrameStart(b));
    }
  }
}

TEST_CASE("trailing bytes after the trailer are an error", "[extract][damage]") {
  const SmallExtract& s = Small();
  TempDir dir;
  const std::string path = dir.File("tail.pb");
  for (const std::string& tail : {std::string(1, '\0'), std::string("R"), std::string(100, 'x')}) {
    WriteBytes(path, s.bytes + tail);
    CheckDamaged(path, s.bytes.size());
    CHECK(std::string(ExtractReader::Verify(path).status().message()).find("after the trailer") !=
          std::string::npos);
  }
  // A whole second (valid) trailer is trailing bytes too.
  WriteBytes(path, s.bytes + s.bytes.substr(s.trailer_offset));
  CheckDamaged(path, s.bytes.size());
}

// The file is rewritten in place (the reader's own file) after ScanChunks verified it, with
// `changed` instead of the small extract; then every chunk is walked with ForEachRecord.
// Returns, per chunk, its status and the indices of the frames fn saw.
struct Walk {
  std::vector<absl::Status> status;
  std::vector<std::vector<std::uint64_t>> seen;
};
Walk WalkAfterChange(const std::string& path, const std::string& changed) {
  const SmallExtract& s = Small();
  WriteBytes(path, s.bytes);
  auto r = ExtractReader::Open(path);
  REQUIRE(r.ok());
  std::vector<ExtractReader::Chunk> chunks;
  REQUIRE((*r)->ScanChunks(3, &chunks).ok());
  WriteBytes(path, changed);
  Walk w;
  std::string bytes;
  for (const ExtractReader::Chunk& c : chunks) {
    w.seen.emplace_back();
    w.status.push_back((*r)->ForEachRecord(c, &bytes, [&](const ExtractReader::Frame& f) {
      CHECK(f.offset == s.record_offsets[f.index]);
      CHECK(f.payload == s.payloads[f.index]);
      w.seen.back().push_back(f.index);
    }));
  }
  return w;
}

TEST_CASE("a record byte changed after the scan fails that chunk's walk, at its frame",
          "[extract][damage]") {
  const SmallExtract& s = Small();
  TempDir dir;
  const std::string path = dir.File("changed.pb");
  for (std::uint64_t b = s.record_offsets[0]; b < s.trailer_offset; ++b) {
    INFO("byte " << b);
    std::string changed = s.bytes;
    changed[b] = static_cast<char>(changed[b] ^ '\xFF');
    const Walk w = WalkAfterChange(path, changed);
    const std::uint64_t bad = s.FrameStart(b);
    const std::uint64_t bad_record = static_cast<std::uint64_t>(
        std::find(s.record_offsets.begin(), s.record_offsets.end(), bad) -
        s.record_offsets.begin());
    REQUIRE(bad_record < 20);
    for (std::size_t c = 0; c < w.status.size(); ++c) {
      // Chunks hold records 3c .. 3c + 2; only the one holding the changed record fails, after
      // handing over the records before it.
      std::vector<std::uint64_t> expect;
      for (std::uint64_t i = 3 * c; i < std::min<std::uint64_t>(3 * c + 3, 20); ++i) {
        if (c != bad_record / 3 || i < bad_record) expect.push_back(i);
      }
      CHECK(w.seen[c] == expect);
      if (c == bad_record / 3) {
        CHECK(w.status[c].code() == absl::StatusCode::kDataLoss);
        CHECK(Mentions(w.status[c], path, bad));
        CHECK(std::string(w.status[c].message()).find("changed after it was verified") !=
              std::string::npos);
      } else {
        CHECK(w.status[c].ok());
      }
    }
  }
}

TEST_CASE("a file truncated after the scan fails the walk of every chunk past the cut",
          "[extract][damage]") {
  const SmallExtract& s = Small();
  TempDir dir;
  const std::string path = dir.File("shrunk.pb");
  for (std::uint64_t cut = s.record_offsets[0]; cut < s.trailer_offset; ++cut) {
    INFO("cut at " << cut);
    const Walk w = WalkAfterChange(path, s.bytes.substr(0, cut));
    for (std::size_t c = 0; c < w.status.size(); ++c) {
      const std::uint64_t last = std::min<std::uint64_t>(3 * c + 3, 20);  // one past
      const std::uint64_t end = last < 20 ? s.record_offsets[last] : s.trailer_offset;
      if (end <= cut) {  // wholly before the cut: read as verified
        CHECK(w.status[c].ok());
        CHECK(w.seen[c].size() == last - 3 * c);
      } else {  // nothing of it is parsed: the read comes up short
        CHECK(w.status[c].code() == absl::StatusCode::kDataLoss);
        CHECK(Mentions(w.status[c], path, s.record_offsets[3 * c]));
        CHECK(std::string(w.status[c].message()).find("truncated") != std::string::npos);
        CHECK(w.seen[c].empty());
      }
    }
  }
}

TEST_CASE("a file truncated while Next() reads it is DataLoss after its intact records",
          "[extract][damage]") {
  // 22,000 records, over 3 MiB: more than the reader's window, which reads again after the cut.
  const SmallExtract& s = Small();
  std::vector<std::string> payloads;
  for (int copy = 0; copy < 1100; ++copy) {
    payloads.insert(payloads.end(), s.payloads.begin(), s.payloads.end());
  }
  const std::string bytes = EncodeExtract(MakeHeader(pb::PNC), payloads);
  REQUIRE(bytes.size() > (std::size_t{3} << 20));
  TempDir dir;
  const std::string path = dir.File("shrinking.pb");
  WriteBytes(path, bytes);
  auto r = ExtractReader::Open(path);
  REQUIRE(r.ok());
  ExtractReader::Frame f;
  std::uint64_t n = 0;
  REQUIRE((*r)->Next(&f).value());  // the window now holds the first MiB
  ++n;
  const std::uint64_t cut = bytes.size() / 2;
  WriteBytes(path, std::string_view(bytes).substr(0, cut));
  absl::Status error;
  std::uint64_t end = 0;  // where the last record returned ends
  while (true) {
    auto more = (*r)->Next(&f);
    if (!more.ok()) {
      error = more.status();
      break;
    }
    REQUIRE(*more);
    CHECK(f.payload == payloads[f.index]);
    end = f.offset + 9 + f.payload.size();
    ++n;
  }
  CHECK(error.code() == absl::StatusCode::kDataLoss);
  CHECK(Mentions(error, path, (*r)->position()));
  CHECK(std::string(error.message()).find("truncated after it was opened") != std::string::npos);
  CHECK((*r)->position() == end);  // the frame after the last one returned
  CHECK(end <= cut);
  CHECK(n > 1);
  CHECK(n < payloads.size());
}

}  // namespace
}  // namespace polegraph
