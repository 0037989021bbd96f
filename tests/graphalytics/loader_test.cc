// PlainGraph loaders: structure of the CSR, id mapping, error messages with file:line,
// determinism of a parallel load.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <new>
#include <string>
#include <vector>

#include "polegraph/plain_graph.h"
#include "sanitizers.h"
#include "test_graphs.h"

using polegraph::NodeId;
using polegraph::PlainGraph;
using polegraph::PlainGraphOptions;
using polegraph::testing::TempDir;
using polegraph::testing::WriteText;

namespace {

std::vector<std::int64_t> Ext(const PlainGraph& g, std::span<const NodeId> dense) {
  std::vector<std::int64_t> out;
  for (NodeId v : dense) out.push_back(g.external_id(v));
  return out;
}

PlainGraphOptions Opts(bool directed, bool weighted, bool simplify = false) {
  PlainGraphOptions o;
  o.directed = directed;
  o.weighted = weighted;
  o.simplify = simplify;
  return o;
}

// Error message of a failed load (empty when it succeeded).
std::string LoadError(const std::string& v, const std::string& e, PlainGraphOptions o) {
  auto g = PlainGraph::LoadGraphalytics(v, e, o, 2);
  return g.ok() ? std::string() : std::string(g.status().message());
}

}  // namespace

TEST_CASE("EVLP directed weighted graph: CSR both ways, weights, ids in .v order", "[loader]") {
  //   .v order: 58 238 431 598 893 (the specification's example)
  //   58 -> 238 (1.4), 431 -> 598 (4.2), 598 -> 238 (1.2), 598 -> 431 (0.0), 598 -> 893 (0.1)
  TempDir dir("loader");
  WriteText(dir.File("g.v"), "58\n238\n431\n598\n893\n");
  WriteText(dir.File("g.e"), "58 238 1.4\n431 598 4.2\n598 238 1.2\n598 431 0.0\n598 893 0.1\n");
  auto g = PlainGraph::LoadGraphalytics(dir.File("g.v"), dir.File("g.e"), Opts(true, true), 2);
  REQUIRE(g.ok());
  CHECK(g->num_nodes() == 5);
  CHECK(g->num_edges() == 5);
  CHECK(g->directed());
  CHECK(g->weighted());
  NodeId v598 = *g->Find(598);
  CHECK(v598 == 3);
  CHECK(Ext(*g, g->out_neighbours(v598)) == std::vector<std::int64_t>{238, 431, 893});
  auto w = g->out_weights(v598);
  CHECK(std::vector<double>(w.begin(), w.end()) == std::vector<double>{1.2, 0.0, 0.1});
  NodeId v238 = *g->Find(238);
  CHECK(Ext(*g, g->in_neighbours(v238)) == std::vector<std::int64_t>{58, 598});
  auto iw = g->in_weights(v238);
  CHECK(std::vector<double>(iw.begin(), iw.end()) == std::vector<double>{1.4, 1.2});
  CHECK(g->out_degree(v238) == 0);
  CHECK_FALSE(g->Find(59).has_value());
}

TEST_CASE("EVLP undirected graph stores each edge both ways", "[loader]") {
  TempDir dir("loader");
  WriteText(dir.File("g.v"), "1\n2 some-property\n3\n");  // vertex properties are ignored
  WriteText(dir.File("g.e"), "1 2\n2 3\n");
  auto g = PlainGraph::LoadGraphalytics(dir.File("g.v"), dir.File("g.e"), Opts(false, false), 1);
  REQUIRE(g.ok());
  CHECK(g->num_edges() == 2);
  CHECK(g->num_arcs() == 4);
  CHECK(Ext(*g, g->out_neighbours(1)) == std::vector<std::int64_t>{1, 3});
  CHECK(Ext(*g, g->in_neighbours(1)) == std::vector<std::int64_t>{1, 3});
  CHECK(g->out_weights(1).empty());
}

TEST_CASE("Edge list: comments, tabs, negative and huge ids, ascending dense ids", "[loader]") {
  TempDir dir("loader");
  WriteText(dir.File("g.txt"),
            "# a comment\n% another\n\n9223372036854775807\t-5\n-5 0 \r\n  0 42\n");
  auto g = PlainGraph::LoadEdgeList(dir.File("g.txt"), Opts(true, false), 2);
  REQUIRE(g.ok());
  CHECK(g->external_ids() == std::vector<std::int64_t>{-5, 0, 42, 9223372036854775807});
  CHECK(g->num_edges() == 3);
  CHECK(Ext(*g, g->out_neighbours(*g->Find(9223372036854775807))) == std::vector<std::int64_t>{-5});
}

TEST_CASE("Load errors name the file and line", "[loader]") {
  TempDir dir("loader");
  const std::string v = dir.File("g.v"), e = dir.File("g.e");
  WriteText(v, "1\n2\n3\n");
  SECTION("malformed edge line") {
    WriteText(e, "1 2\n\n2 x\n");
    CHECK(LoadError(v, e, Opts(true, false)) == e + ":3: expected a second vertex id, found 'x'");
  }
  SECTION("edge naming a vertex not in the .v file") {
    WriteText(e, "1 2\n2 3\n3 9\n");
    CHECK(LoadError(v, e, Opts(true, false)) ==
          e + ":3: vertex 9 is not listed in the vertex file " + v);
  }
  SECTION("negative weight") {
    WriteText(e, "1 2 0.5\n2 3 -1\n");
    std::string msg = LoadError(v, e, Opts(true, true));
    CHECK(msg.rfind(e + ":2: weight -1 is not a finite non-negative number", 0) == 0);
  }
  SECTION("missing weight") {
    WriteText(e, "1 2 0.5\n2 3\n");
    CHECK(LoadError(v, e, Opts(true, true)) ==
          e + ":2: missing weight (the graph was declared weighted)");
  }
  SECTION("self-loop") {
    WriteText(e, "1 1\n");
    CHECK(LoadError(v, e, Opts(true, false)).rfind(e + ":1: self-loop on vertex 1", 0) == 0);
  }
  SECTION("repeated edge, and its undirected mirror") {
    WriteText(e, "1 2\n1 2\n");
    CHECK(LoadError(v, e, Opts(true, false)).rfind(e + ": edge 1 2 is listed more than once", 0) ==
          0);
    WriteText(e, "1 2\n2 1\n");
    CHECK(LoadError(v, e, Opts(true, false)).empty());  // two directed edges: fine
    CHECK(LoadError(v, e, Opts(false, false)).find("listed more than once") != std::string::npos);
  }
  SECTION("vertex listed twice") {
    WriteText(v, "1\n2\n\n2\n");
    WriteText(e, "1 2\n");
    CHECK(LoadError(v, e, Opts(true, false)) == v + ":4: vertex id 2 is listed twice");
  }
  SECTION("id out of range and trailing text") {
    WriteText(e, "1 99999999999999999999\n");
    CHECK(LoadError(v, e, Opts(true, false)).rfind(e + ":1: vertex id", 0) == 0);
    WriteText(e, "1 2 0.5 7\n");
    CHECK(LoadError(v, e, Opts(true, true)) == e + ":1: unexpected text after the record: '7'");
  }
  SECTION("missing file") {
    auto g = PlainGraph::LoadGraphalytics(dir.File("nope.v"), e, Opts(true, false), 1);
    CHECK(g.status().code() == absl::StatusCode::kNotFound);
  }
  SECTION("a weight beyond the range of a double, and non-finite weights") {
    WriteText(e, "1 2 0.5\n2 3 1e400\n");
    CHECK(LoadError(v, e, Opts(true, true)) ==
          e + ":2: weight '1e400' is out of the range of a double");
    WriteText(e, "1 2 inf\n");
    CHECK(LoadError(v, e, Opts(true, true)).rfind(e + ":1: weight inf is not a finite", 0) == 0);
    WriteText(e, "1 2 nan\n");
    CHECK(LoadError(v, e, Opts(true, true)).rfind(e + ":1: weight nan is not a finite", 0) == 0);
  }
}

TEST_CASE("A directory given as a vertex or edge file is refused, not read", "[loader]") {
  // fopen() succeeds on a directory and its "size" is about 2^63: the loader used to try to
  // allocate that and abort with std::bad_alloc.
  TempDir dir("loader");
  const std::string sub = dir.File("sub"), v = dir.File("g.v"), e = dir.File("g.e");
  std::filesystem::create_directories(sub);
  WriteText(v, "1\n2\n");
  WriteText(e, "1 2\n");
  auto list = PlainGraph::LoadEdgeList(sub, Opts(false, false), 1);
  CHECK(list.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(list.status().message()) == sub + ": not a regular file");
  auto bad_v = PlainGraph::LoadGraphalytics(sub, e, Opts(true, false), 2);
  CHECK(bad_v.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(bad_v.status().message()) == sub + ": not a regular file");
  auto bad_e = PlainGraph::LoadGraphalytics(v, sub, Opts(true, false), 2);
  CHECK(bad_e.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(bad_e.status().message()) == sub + ": not a regular file");
  // The character device /dev/null is refused the same way (no size to read).
  auto dev = PlainGraph::LoadEdgeList("/dev/null", Opts(false, false), 1);
  CHECK(std::string(dev.status().message()) == "/dev/null: not a regular file");
  // A regular file whose st_size (0 in /proc) understates it is still read to its end: its
  // first line is "Name:\t...", which is no vertex id.
  auto proc = PlainGraph::LoadEdgeList("/proc/self/status", Opts(false, false), 1);
  CHECK(std::string(proc.status().message()) ==
        "/proc/self/status:1: expected a vertex id, found 'Name:'");
}

TEST_CASE("Empty and comment-only edge lists give an empty graph", "[loader]") {
  TempDir dir("loader");
  WriteText(dir.File("empty.txt"), "");
  WriteText(dir.File("comments.txt"), "# nothing\n% here\n\n");
  for (const char* name : {"empty.txt", "comments.txt"}) {
    auto g = PlainGraph::LoadEdgeList(dir.File(name), Opts(false, true), 2);
    REQUIRE(g.ok());
    CHECK(g->num_nodes() == 0);
    CHECK(g->num_edges() == 0);
  }
}

TEST_CASE("simplify drops self-loops and repeats, keeping the lightest copy", "[loader]") {
  TempDir dir("loader");
  WriteText(dir.File("g.txt"), "1 2 5\n1 1 1\n1 2 3\n2 3 1\n");
  auto g = PlainGraph::LoadEdgeList(dir.File("g.txt"), Opts(true, true, true), 2);
  REQUIRE(g.ok());
  CHECK(g->num_edges() == 2);
  CHECK(g->out_weights(0)[0] == 3.0);
}

TEST_CASE("A multi-chunk parallel load equals a one-thread load", "[loader]") {
  // About 3 MB of edges, so the loader cuts the text into several chunks.
  TempDir dir("loader");
  std::mt19937_64 rng(5);
  std::string text;
  int first_self_loop = 0;
  for (int i = 0; i < 200'000; ++i) {
    std::uint64_t s = rng() % 50'000, t = rng() % 50'000;
    if (s == t && first_self_loop == 0) first_self_loop = i + 1;
    text += std::to_string(s) + " " + std::to_string(t) + " " +
            std::to_string(static_cast<double>(rng() % 1000) / 7.0) + "\n";
  }
  WriteText(dir.File("g.txt"), text);
  auto a = PlainGraph::LoadEdgeList(dir.File("g.txt"), Opts(true, true, true), 1);
  auto b = PlainGraph::LoadEdgeList(dir.File("g.txt"), Opts(true, true, true), 8);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->num_nodes() == b->num_nodes());
  REQUIRE(a->num_edges() == b->num_edges());
  for (NodeId v = 0; v < a->num_nodes(); ++v) {
    REQUIRE(std::equal(a->out_neighbours(v).begin(), a->out_neighbours(v).end(),
                       b->out_neighbours(v).begin(), b->out_neighbours(v).end()));
    REQUIRE(std::equal(a->in_weights(v).begin(), a->in_weights(v).end(), b->in_weights(v).begin(),
                       b->in_weights(v).end()));
  }
  // An error in a later chunk still reports the right line.
  WriteText(dir.File("bad.txt"), text + "1 2 oops\n");
  auto c = PlainGraph::LoadEdgeList(dir.File("bad.txt"), Opts(true, true, true), 8);
  CHECK(std::string(c.status().message()) ==
        dir.File("bad.txt") + ":200001: expected a weight, found 'oops'");
  REQUIRE(first_self_loop > 0);
  auto d = PlainGraph::LoadEdgeList(dir.File("g.txt"), Opts(true, true, false), 8);
  CHECK(std::string(d.status().message())
            .rfind(dir.File("g.txt") + ":" + std::to_string(first_self_loop) + ": self-loop", 0) ==
        0);
}

// Not built under ASan or TSan: they reserve terabytes of address space and handle a failed
// allocation themselves.
#ifndef POLEGRAPH_TEST_SANITIZED
// Abseil's flat_hash_map (20220623) frees memory it does not own when the very first
// allocation of an empty table throws (its destructor then runs on a table that claims a
// capacity): the id map of a graph with scattered ids was reserved that way. Here the child
// process's address space is limited to a little more than it already uses, so the id map's
// reservation throws std::bad_alloc: it must reach the caller, and the process go on.
TEST_CASE("A graph whose id map cannot be allocated throws bad_alloc, no crash", "[loader]") {
  constexpr std::size_t kVertices = 4'000'000;  // an id map of 64 MB and more
  std::vector<std::int64_t> ids(kVertices);
  for (std::size_t i = 0; i < kVertices; ++i) ids[i] = static_cast<std::int64_t>(3 * i);
  std::fflush(nullptr);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    long pages = 0;
    {
      std::FILE* f = std::fopen("/proc/self/statm", "r");
      if (f == nullptr || std::fscanf(f, "%ld", &pages) != 1) _exit(10);
      std::fclose(f);
    }
    // Room for the copy of ids that FromEdges takes (32 MB) and little more.
    const rlim_t limit = static_cast<rlim_t>(pages) * 4096 + (48u << 20);
    const rlimit lim{limit, limit};
    if (setrlimit(RLIMIT_AS, &lim) != 0) _exit(11);
    try {
      auto g = PlainGraph::FromEdges(ids, {}, Opts(false, false), 1);
      _exit(g.ok() ? 12 : 13);  // the limit did not bite, or an error instead of bad_alloc
    } catch (const std::bad_alloc&) {
      _exit(0);
    }
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  INFO("signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
#endif  // POLEGRAPH_TEST_SANITIZED
