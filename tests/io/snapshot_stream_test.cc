// SnapshotWriter: a snapshot written while GraphBuilder::Build runs is byte for byte the file
// the independent serializer (snapshot_oracle.h) makes of the built graph, at 1, 2 and 8
// threads and for any order of the builder's calls, and it opens to the same graph; a Build
// that fails (before or after sections were streamed) leaves neither <path> nor
// "<path>.tmp"; misuse (another graph, a second Commit, a second Build) is a clear error.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "graph/graph_fixtures.h"
#include "graph/storage.h"
#include "graph/storage_stream.h"
#include "io/file_sink.h"
#include "io/snapshot_oracle.h"
#include "polegraph/io.h"

namespace polegraph {
namespace {

bool Exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

TEST_CASE("the file order covers every section once, by build stage", "[io][stream]") {
  std::set<internal::SectionId> seen;
  for (std::size_t k = 0; k < internal::kFileOrder.size(); ++k) {
    seen.insert(internal::kFileOrder[k]);
    if (k > 0) {
      REQUIRE(internal::StageOf(internal::kFileOrder[k - 1]) <=
              internal::StageOf(internal::kFileOrder[k]));
    }
  }
  REQUIRE(seen.size() == static_cast<std::size_t>(internal::kNumSections));
}

TEST_CASE("a snapshot streamed during Build is the oracle's bytes at any thread count",
          "[io][stream]") {
  // Small (built on one thread whatever the count) and large enough for parallel steps and
  // several write buffers; two orders of the builder's calls.
  struct Config {
    std::string dir;
    bool direct;
    int threads;
    unsigned seed;
  };
  std::vector<Config> configs;
  const std::vector<std::string> dirs = testing::Dirs();
  for (int threads : {1, 2, 8}) {
    for (unsigned seed : {0u, 4u}) configs.push_back({dirs[0], true, threads, seed});
  }
  for (const std::string& dir : dirs) {  // (tmpfs usually refuses O_DIRECT)
    for (bool direct : {true, false}) {
      if (dir != dirs[0] || !direct) configs.push_back({dir, direct, 2, 0});
    }
  }
  for (std::uint32_t n : {300u, 150000u}) {
    const testing::Facts facts = testing::RandomFacts(n, 3 * n, testing::Shape::kUniform, 9);
    const auto plain = testing::BuildOrDie(facts, 0, 2);
    const std::string oracle = testing::OracleImage(internal::GraphAccess::storage(*plain));
    if (n > 1000) REQUIRE(oracle.size() > 3 * internal::FileSink::kBufferBytes);
    for (const Config& c : configs) {
      INFO("n " << n << " dir " << c.dir << " direct " << c.direct << " threads " << c.threads
                << " seed " << c.seed);
      const std::string path = testing::PathIn(c.dir, "stream.pg");
      auto writer = internal::CreateSnapshotWriter(path, c.direct);
      REQUIRE(writer.ok());
      REQUIRE(Exists(path + ".tmp"));
      auto g = testing::MakeBuilder(facts, c.seed).Build(c.threads, **writer);
      REQUIRE(g.ok());
      REQUIRE(!Exists(path));  // nothing in place before Commit
      REQUIRE((*writer)->Commit(**g).ok());
      REQUIRE(!Exists(path + ".tmp"));
      // The same bytes as the oracle's image of the graph built without a writer (so the
      // graph is the same too).
      REQUIRE(testing::ReadFileBytes(path) == oracle);
      if (c.threads == 2 && c.seed == 0) {
        auto opened = OpenSnapshot(path);
        REQUIRE(opened.ok());
        testing::RequireSameGraph(*plain, **opened);
      }
      // Misuse after a Commit: a second Commit, a second Build.
      REQUIRE(absl::IsFailedPrecondition((*writer)->Commit(**g)));
      auto again = testing::MakeBuilder(facts).Build(c.threads, **writer);
      REQUIRE(absl::IsFailedPrecondition(again.status()));
      ::unlink(path.c_str());
    }
  }
}

TEST_CASE("SaveSnapshot and a streamed build write the same file", "[io][stream]") {
  const testing::Facts facts = testing::RandomFacts(150000, 300000, testing::Shape::kStar, 3);
  const std::string saved = testing::PathIn(POLEGRAPH_BINARY_DIR, "saved.pg");
  const std::string streamed = testing::PathIn(POLEGRAPH_BINARY_DIR, "streamed.pg");
  auto writer = SnapshotWriter::Create(streamed);
  REQUIRE(writer.ok());
  auto g = testing::MakeBuilder(facts).Build(2, **writer);
  REQUIRE(g.ok());
  REQUIRE((*writer)->Commit(**g).ok());
  REQUIRE(SaveSnapshot(**g, saved).ok());
  REQUIRE(testing::ReadFileBytes(saved) == testing::ReadFileBytes(streamed));
  // A writer no Build used takes any graph (SaveSnapshot is that).
  auto idle = SnapshotWriter::Create(saved);
  REQUIRE(idle.ok());
  REQUIRE((*idle)->Commit(**g).ok());
  REQUIRE(testing::ReadFileBytes(saved) == testing::ReadFileBytes(streamed));
  ::unlink(saved.c_str());
  ::unlink(streamed.c_str());
}

// Facts whose Build fails: `labels` distinct labels (more than 65535 fail after the tables and
// nodes were published), or 33 distinct caveats (fail before anything is published).
testing::Facts FailingFacts(bool late) {
  testing::Facts f = testing::RandomFacts(150000, 300000, testing::Shape::kUniform, 2);
  if (late) {
    for (int i = 0; i < 66000; ++i) {
      f.labels.push_back({Classification::kOfficial, "F" + std::to_string(i), {}});
    }
  } else {
    std::vector<std::string> caveats;
    for (int i = 0; i < 33; ++i) caveats.push_back("C" + std::to_string(i));
    f.labels.push_back({Classification::kOfficial, "F", caveats});
  }
  return f;
}

TEST_CASE("a failed Build leaves no snapshot and no temporary file", "[io][stream]") {
  for (bool late : {false, true}) {
    const testing::Facts facts = FailingFacts(late);
    for (int threads : {1, 2}) {
      if (!late && threads == 2) continue;  // (fails before any thread is used)
      INFO("late " << late << " threads " << threads);
      const std::string path = testing::PathIn(POLEGRAPH_BINARY_DIR, "failed.pg");
      auto writer = SnapshotWriter::Create(path);
      REQUIRE(writer.ok());
      auto g = testing::MakeBuilder(facts).Build(threads, **writer);
      REQUIRE(absl::IsInvalidArgument(g.status()));
      const auto other = testing::BuildOrDie(testing::RandomFacts(20, 40, testing::Shape::kUniform, 1));
      const absl::Status st = (*writer)->Commit(*other);
      REQUIRE(absl::IsFailedPrecondition(st));
      REQUIRE(st.message().find("Build that streamed into this writer failed") !=
              std::string::npos);
      writer->reset();
      REQUIRE(!Exists(path));
      REQUIRE(!Exists(path + ".tmp"));
    }
  }
}

TEST_CASE("a writer dropped without Commit, or given another graph, writes nothing",
          "[io][stream]") {
  const testing::Facts facts = testing::RandomFacts(150000, 300000, testing::Shape::kUniform, 6);
  const std::string path = testing::PathIn(POLEGRAPH_BINARY_DIR, "dropped.pg");
  {
    auto writer = SnapshotWriter::Create(path);
    REQUIRE(writer.ok());
    auto g = testing::MakeBuilder(facts).Build(2, **writer);
    REQUIRE(g.ok());
    const auto other = testing::BuildOrDie(facts);
    const absl::Status st = (*writer)->Commit(*other);
    REQUIRE(absl::IsFailedPrecondition(st));
    REQUIRE(st.message().find("another graph") != std::string::npos);
  }  // the writer (and its hold on the graph) goes before the graph
  REQUIRE(!Exists(path));
  REQUIRE(!Exists(path + ".tmp"));
  {
    auto writer = SnapshotWriter::Create(path);
    REQUIRE(writer.ok());
    auto g = testing::MakeBuilder(facts).Build(2, **writer);
    REQUIRE(g.ok());
    g->reset();  // the writer keeps the storage alive while it streams
  }
  REQUIRE(!Exists(path));
  REQUIRE(!Exists(path + ".tmp"));
}

TEST_CASE("a writer into a missing directory fails naming the file", "[io][stream]") {
  const std::string path = std::string(POLEGRAPH_BINARY_DIR) + "/no-such-dir/g.pg";
  auto writer = SnapshotWriter::Create(path);
  REQUIRE(absl::IsUnavailable(writer.status()));
  REQUIRE(writer.status().message().find(path + ".tmp") != std::string::npos);
}

}  // namespace
}  // namespace polegraph
