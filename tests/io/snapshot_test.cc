// Snapshot files: round trip (every accessor equal), atomic replace, and corrupt files —
// truncation at every offset, byte flips, foreign files, wrong version — each a clear error
// naming the file (and the section where one is at fault), never a crash. Run under ASan.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "graph/crc32c.h"
#include "graph/graph_fixtures.h"
#include "graph/storage.h"
#include "io/snapshot_format.h"
#include "polegraph/io.h"

namespace polegraph {
namespace {

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Overwrites one byte of a file in place.
void PokeByte(const std::string& path, std::size_t pos, char value) {
  const int fd = ::open(path.c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  REQUIRE(::pwrite(fd, &value, 1, static_cast<off_t>(pos)) == 1);
  ::close(fd);
}

testing::Facts SmallFacts() { return testing::RandomFacts(12, 30, testing::Shape::kUniform, 3); }

TEST_CASE("snapshot round trip keeps every accessor", "[io][snapshot]") {
  for (auto shape : {testing::Shape::kUniform, testing::Shape::kStar, testing::Shape::kIsolated}) {
    const testing::Facts f = testing::RandomFacts(3000, 9000, shape, 21);
    auto g = testing::BuildOrDie(f, 0, 2);
    const std::string path = testing::TempPath("roundtrip.pg");
    REQUIRE(SaveSnapshot(*g, path).ok());
    auto opened = OpenSnapshot(path);
    REQUIRE(opened.ok());
    REQUIRE((*opened)->storage().mapped());
    testing::RequireSameGraph(*g, **opened);
    // Saving the opened snapshot gives the same bytes.
    const std::string again = testing::TempPath("roundtrip2.pg");
    REQUIRE(SaveSnapshot(**opened, again).ok());
    REQUIRE(testing::ReadFileBytes(again) == testing::ReadFileBytes(path));
    REQUIRE(::access((path + ".tmp").c_str(), F_OK) != 0);  // no temporary left behind
  }
  auto empty = GraphBuilder().Build();
  REQUIRE(empty.ok());
  const std::string path = testing::TempPath("empty.pg");
  REQUIRE(SaveSnapshot(**empty, path).ok());
  auto opened = OpenSnapshot(path);
  REQUIRE(opened.ok());
  testing::RequireSameGraph(**empty, **opened);
}

TEST_CASE("the file layout is as documented", "[io][snapshot]") {
  auto g = testing::BuildOrDie(SmallFacts());
  const std::string path = testing::TempPath("layout.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string bytes = testing::ReadFileBytes(path);
  REQUIRE(bytes.substr(0, 8) == "PGSNAP01");
  internal::FileHeader h;
  std::memcpy(&h, bytes.data(), sizeof h);
  REQUIRE(h.format_version == kSnapshotFormatVersion);
  REQUIRE(h.file_size == bytes.size());
  REQUIRE(h.section_count == static_cast<std::uint32_t>(internal::kNumSections));
  for (std::uint32_t i = 0; i < h.section_count; ++i) {
    internal::SectionEntry e;
    std::memcpy(&e, bytes.data() + 64 + 64 * i, sizeof e);
    REQUIRE(e.offset % 64 == 0);
    REQUIRE(e.offset + e.size <= bytes.size());
    REQUIRE(std::string(e.name) == std::string(internal::kSectionSpecs[i].name));
    REQUIRE(e.size == g->storage().sections[i].bytes);
    if (e.size == 0) continue;  // (an empty section's data may be null)
    REQUIRE(std::memcmp(bytes.data() + e.offset, g->storage().sections[i].data, e.size) == 0);
  }
}

TEST_CASE("missing and foreign files are clear errors", "[io][snapshot]") {
  auto missing = OpenSnapshot(testing::TempPath("does-not-exist.pg"));
  REQUIRE(missing.status().code() == absl::StatusCode::kNotFound);
  REQUIRE(std::string(missing.status().message()).find("does-not-exist.pg") != std::string::npos);

  const std::string foreign = testing::TempPath("foreign.pg");
  WriteBytes(foreign, std::string(4096, 'x'));
  auto f = OpenSnapshot(foreign);
  REQUIRE(f.status().code() == absl::StatusCode::kDataLoss);
  REQUIRE(std::string(f.status().message()).find("magic") != std::string::npos);
  REQUIRE(std::string(f.status().message()).find("foreign.pg") != std::string::npos);

  WriteBytes(foreign, "");
  REQUIRE(OpenSnapshot(foreign).status().code() == absl::StatusCode::kDataLoss);

  REQUIRE(OpenSnapshot(std::string(POLEGRAPH_BINARY_DIR)).status().code() ==
          absl::StatusCode::kInvalidArgument);  // a directory
}

TEST_CASE("a snapshot of another format version is refused", "[io][snapshot]") {
  auto g = testing::BuildOrDie(SmallFacts());
  const std::string path = testing::TempPath("version.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string saved = testing::ReadFileBytes(path);
  // Version 1 is the format before pooled values, 2 the one before compact CSR offsets, 3 the
  // one before 16-bit offsets and one-byte edge labels; a later version is one this build
  // predates.
  for (std::uint32_t version : {1u, 2u, 3u, kSnapshotFormatVersion + 1}) {
    std::string bytes = saved;
    internal::FileHeader h;
    std::memcpy(&h, bytes.data(), sizeof h);
    h.format_version = version;
    h.header_crc = 0;
    h.header_crc = internal::Crc32c(0, &h, sizeof h);
    std::memcpy(bytes.data(), &h, sizeof h);
    WriteBytes(path, bytes);
    auto s = OpenSnapshot(path);
    CAPTURE(version);
    REQUIRE(s.status().code() == absl::StatusCode::kFailedPrecondition);
    const std::string message(s.status().message());
    REQUIRE(message.find(absl::StrCat("format version ", version)) != std::string::npos);
    REQUIRE(message.find("re-create the snapshot") != std::string::npos);
  }
}

TEST_CASE("truncation at every offset is an error, never a crash", "[io][snapshot]") {
  auto g = testing::BuildOrDie(SmallFacts());
  const std::string path = testing::TempPath("trunc_src.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string bytes = testing::ReadFileBytes(path);
  const std::string cut = testing::ScratchPath("trunc.pg");
  WriteBytes(cut, bytes);
  for (std::size_t len = bytes.size(); len-- > 0;) {  // shrink the file one byte at a time
    REQUIRE(::truncate(cut.c_str(), static_cast<off_t>(len)) == 0);
    for (bool verify : {true, false}) {
      auto s = OpenSnapshot(cut, {.verify_checksums = verify});
      CAPTURE(len, verify);
      REQUIRE_FALSE(s.ok());
      REQUIRE(s.status().code() == absl::StatusCode::kDataLoss);
      REQUIRE(std::string(s.status().message()).find("trunc.pg") != std::string::npos);
    }
  }
}

// Flips bytes everywhere in the file. With checksums on every flip is caught. With checksums
// off, a flip in a section either still validates (and then every accessor must stay in
// bounds: exercised by reading the whole graph, under ASan) or is a structural error.
TEST_CASE("byte flips are caught by checksums or stay in bounds", "[io][snapshot]") {
  auto g = testing::BuildOrDie(SmallFacts());
  const std::string path = testing::TempPath("flip_src.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string bytes = testing::ReadFileBytes(path);
  const std::string flipped = testing::ScratchPath("flip.pg");
  WriteBytes(flipped, bytes);
  int caught_structurally = 0;
  for (std::size_t pos = 0; pos < bytes.size(); ++pos) {
    for (unsigned char mask : {0x01, 0x80, 0xFF}) {
      PokeByte(flipped, pos, static_cast<char>(bytes[pos] ^ mask));
      CAPTURE(pos, static_cast<int>(mask));
      auto checked = OpenSnapshot(flipped);
      if (checked.ok()) {  // only padding between sections is not covered by a checksum
        testing::RequireSameGraph(*g, **checked);
        PokeByte(flipped, pos, bytes[pos]);
        continue;
      }
      REQUIRE(std::string(checked.status().message()).find("flip.pg") != std::string::npos);
      if (pos >= 64 + 64 * static_cast<std::size_t>(internal::kNumSections)) {
        // Past the header and table: the message names the damaged section.
        REQUIRE(std::string(checked.status().message()).find("section '") != std::string::npos);
      }
      auto unchecked = OpenSnapshot(flipped, {.verify_checksums = false});
      if (!unchecked.ok()) {
        PokeByte(flipped, pos, bytes[pos]);  // restore
        ++caught_structurally;
        continue;
      }
      REQUIRE(testing::ReadEverything(**unchecked) > 0);  // must stay in bounds
      unchecked = absl::UnknownError("released");         // unmap before restoring the byte
      PokeByte(flipped, pos, bytes[pos]);
    }
  }
  REQUIRE(caught_structurally > 0);
}

// Two damaged sections: on any number of checking threads the error names the first of them
// in table order (the sections are checked largest first, in parallel).
TEST_CASE("checksum errors do not depend on the checking threads", "[io][snapshot]") {
  auto g = testing::BuildOrDie(SmallFacts());
  const std::string path = testing::TempPath("crc_threads_src.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string bytes = testing::ReadFileBytes(path);
  std::vector<internal::SectionEntry> damaged;  // the first and the last non-empty section
  for (int i = 0; i < internal::kNumSections; ++i) {
    internal::SectionEntry e;
    std::memcpy(&e, bytes.data() + sizeof(internal::FileHeader) + sizeof(e) * i, sizeof(e));
    if (e.size == 0) continue;
    if (damaged.size() < 2)
      damaged.push_back(e);
    else
      damaged.back() = e;
  }
  REQUIRE(damaged.size() == 2);
  const std::string broken = testing::ScratchPath("crc_threads.pg");
  WriteBytes(broken, bytes);
  for (const internal::SectionEntry& e : damaged) {
    PokeByte(broken, e.offset, static_cast<char>(bytes[e.offset] ^ 0x20));
  }
  const std::string first(damaged.front().name, strnlen(damaged.front().name, 32));
  for (int threads : {1, 2, 8}) {
    CAPTURE(threads);
    auto opened = OpenSnapshot(broken, {.verify_checksums = true, .threads = threads});
    REQUIRE_FALSE(opened.ok());
    REQUIRE(std::string(opened.status().message()).find("section '" + first + "' checksum") !=
            std::string::npos);
  }
  // The undamaged file opens the same on any number of threads.
  for (int threads : {1, 2, 8}) {
    auto opened = OpenSnapshot(path, {.verify_checksums = true, .threads = threads});
    REQUIRE(opened.ok());
    testing::RequireSameGraph(*g, **opened);
  }
}

}  // namespace
}  // namespace polegraph
