// SaveSnapshot's streamed writer (lib/io/file_sink.h): the file it writes, with O_DIRECT and
// with ordinary writes, on disk and on tmpfs, is byte for byte the file an independent
// serializer of snapshot_format.h makes (snapshot_oracle.h); FileSink alone writes streams of sizes around its buffer boundaries
// exactly, patches its first bytes, and reports a missing directory.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "graph/graph_fixtures.h"
#include "graph/storage.h"
#include "io/file_sink.h"
#include "io/snapshot_format.h"
#include "io/snapshot_oracle.h"
#include "polegraph/io.h"

namespace polegraph {
namespace {

TEST_CASE("saved snapshots are the documented bytes, direct or not", "[io][save]") {
  // Small (one buffer) and large (about 30 MB: the first buffer held back, the other two
  // written in turn by the helper thread, a partial last block).
  for (std::uint32_t n : {300u, 400000u}) {
    const auto g =
        testing::BuildOrDie(testing::RandomFacts(n, 3 * n, testing::Shape::kUniform, 5), 0, 2);
    const std::string oracle = testing::OracleImage(internal::GraphAccess::storage(*g));
    if (n > 1000) REQUIRE(oracle.size() > 3 * internal::FileSink::kBufferBytes);
    for (const std::string& dir : testing::Dirs()) {
      for (bool direct : {true, false}) {
        INFO("n " << n << " dir " << dir << " direct " << direct);
        const std::string path = testing::PathIn(dir, "g.pg");
        REQUIRE(internal::SaveSnapshotTo(*g, path, direct).ok());
        REQUIRE(testing::ReadFileBytes(path) == oracle);
        REQUIRE(::access((path + ".tmp").c_str(), F_OK) != 0);
        auto opened = OpenSnapshot(path);
        REQUIRE(opened.ok());
        testing::RequireSameGraph(*g, **opened);
        ::unlink(path.c_str());
      }
    }
  }
}

TEST_CASE("FileSink writes streams of any size exactly", "[io][save]") {
  constexpr std::size_t kB = internal::FileSink::kBufferBytes;
  std::mt19937 rng(7);
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{4095}, std::size_t{4097},
                           kB - 1, kB, kB + 1, 2 * kB, 3 * kB + 123, 5 * kB + 4096}) {
    std::string want(size, '\0');
    for (char& c : want) c = static_cast<char>(rng());
    for (bool direct : {true, false}) {
      INFO("size " << size << " direct " << direct);
      const std::string path = testing::PathIn(POLEGRAPH_BINARY_DIR, "sink.bin");
      internal::FileSink sink;
      REQUIRE(sink.Open(path, direct).ok());
      // Appended in uneven pieces, some as zeros to be patched where they fall in the first
      // buffer (the rest are appended as zeros and must stay so).
      std::string expect = want;
      std::size_t at = 0;
      for (std::size_t piece = 1; at < size; piece = piece * 3 + 1) {
        const std::size_t k = std::min(piece, size - at);
        if (piece % 2 == 0) {
          sink.AppendZeros(k);
          if (at + k <= kB) {
            sink.Patch(at, want.data() + at, k);
          } else {
            std::memset(expect.data() + at, 0, k);
          }
        } else {
          sink.Append(want.data() + at, k);
        }
        at += k;
      }
      REQUIRE(sink.size() == size);
      REQUIRE(sink.Finish().ok());
      REQUIRE(testing::ReadFileBytes(path) == expect);
      ::unlink(path.c_str());
    }
  }
}

TEST_CASE("a save into a missing directory fails naming the file", "[io][save]") {
  const auto g = testing::BuildOrDie(testing::RandomFacts(50, 100, testing::Shape::kUniform, 1));
  const std::string path = std::string(POLEGRAPH_BINARY_DIR) + "/no-such-dir/g.pg";
  for (bool direct : {true, false}) {
    const absl::Status st = internal::SaveSnapshotTo(*g, path, direct);
    REQUIRE(absl::IsUnavailable(st));
    REQUIRE(st.message().find(path + ".tmp") != std::string::npos);
  }
}

}  // namespace
}  // namespace polegraph
