// Each Graphalytics rule pinned on a small hand-made graph, values worked by hand.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "polegraph/graphalytics.h"
#include "test_graphs.h"

namespace ga = polegraph::graphalytics;
using polegraph::NodeId;
using polegraph::PlainEdge;
using polegraph::PlainGraph;
using polegraph::PlainGraphOptions;
using polegraph::testing::Ctx;

namespace {

PlainGraph Make(std::vector<std::int64_t> ids, std::vector<PlainEdge> edges, bool directed,
                bool weighted = false) {
  PlainGraphOptions o;
  o.directed = directed;
  o.weighted = weighted;
  auto g = PlainGraph::FromEdges(std::move(ids), edges, o, 1);
  REQUIRE(g.ok());
  return *std::move(g);
}

// Value of vertex `id` in a result indexed by dense id.
template <typename T>
T At(const PlainGraph& g, const std::vector<T>& r, std::int64_t id) {
  return r[*g.Find(id)];
}

}  // namespace

TEST_CASE("BFS: hop counts along out-edges, unreachable = 2^63 - 1", "[semantics][bfs]") {
  //   70 -> 10 -> 20 -> 30
  //         ^           |
  //         |           v
  //         40 <------ 50        60 (isolated)
  // From 10: 20:1 30:2 50:3 40:4; 70 only has an edge *into* 10, so it is unreachable, as is
  // 60.
  PlainGraph g = Make({70, 60, 50, 40, 30, 20, 10},
                      {{10, 20}, {20, 30}, {30, 50}, {50, 40}, {40, 10}, {70, 10}}, true);
  for (int threads : {1, 2, 8}) {
    auto d = ga::Bfs(g, *g.Find(10), Ctx(threads));
    REQUIRE(d.ok());
    CHECK(At(g, *d, 10) == 0);
    CHECK(At(g, *d, 20) == 1);
    CHECK(At(g, *d, 30) == 2);
    CHECK(At(g, *d, 50) == 3);
    CHECK(At(g, *d, 40) == 4);
    CHECK(At(g, *d, 70) == 9223372036854775807);
    CHECK(At(g, *d, 60) == ga::kUnreachable);
  }
  CHECK(ga::FormatValue(ga::kUnreachable) == "9223372036854775807");
  CHECK(ga::Bfs(g, 7, Ctx(1)).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("BFS on a star switches to bottom-up and stays correct", "[semantics][bfs]") {
  // Hub 0 -> 1..999, and i -> i+1 for i in 1..998; from the hub every other vertex is at
  // depth 1 (the first step already exceeds m/alpha, so it runs bottom-up); from 1 the
  // chain gives depth i - 1 and the hub is unreachable.
  std::vector<std::int64_t> ids;
  std::vector<PlainEdge> edges;
  for (int i = 0; i < 1000; ++i) ids.push_back(i);
  for (int i = 1; i < 1000; ++i) edges.push_back({0, i, 1.0});
  for (int i = 1; i < 999; ++i) edges.push_back({i, i + 1, 1.0});
  PlainGraph g = Make(ids, edges, true);
  auto d = ga::Bfs(g, 0, Ctx(2));
  REQUIRE(d.ok());
  for (int i = 1; i < 1000; ++i) REQUIRE((*d)[i] == 1);
  auto e = ga::Bfs(g, 1, Ctx(2));
  REQUIRE(e.ok());
  CHECK((*e)[0] == ga::kUnreachable);
  for (int i = 1; i < 1000; ++i) REQUIRE((*e)[i] == i - 1);
}

TEST_CASE("WCC ignores direction, label = smallest external id", "[semantics][wcc]") {
  //   50 -> 7 <- 30        100 -> 9        3
  // Components {7, 30, 50} -> 7, {9, 100} -> 9, {3} -> 3. The .v order is not sorted, so
  // the smallest external id is not the smallest dense id.
  PlainGraph g = Make({50, 7, 30, 9, 100, 3}, {{50, 7}, {30, 7}, {100, 9}}, true);
  for (int threads : {1, 2, 8}) {
    auto c = ga::Wcc(g, Ctx(threads));
    REQUIRE(c.ok());
    CHECK(*c == std::vector<std::int64_t>{7, 7, 7, 9, 9, 3});
  }
}

TEST_CASE("WCC finds an edge from the giant component seen only from the other end",
          "[semantics][wcc]") {
  // Directed chain 0 -> 1 -> ... -> 999 (the giant component, linked in Afforest's first
  // phase); 500 also points to 501..503 and to 2000, its fourth out-neighbour, so only
  // 2000's in-edge joins 2000 to the giant. 3000 -> 3001 is a separate component.
  std::vector<std::int64_t> ids;
  std::vector<PlainEdge> edges;
  for (int i = 0; i < 1000; ++i) ids.push_back(i);
  for (int i : {2000, 3000, 3001}) ids.push_back(i);
  for (int i = 0; i < 999; ++i) edges.push_back({i, i + 1, 1.0});
  for (int t : {502, 503, 2000}) edges.push_back({500, t, 1.0});
  edges.push_back({3000, 3001, 1.0});
  PlainGraph g = Make(ids, edges, true);
  for (int threads : {1, 2}) {
    auto c = ga::Wcc(g, Ctx(threads));
    REQUIRE(c.ok());
    for (int i = 0; i < 1000; ++i) REQUIRE((*c)[i] == 0);
    CHECK(At(g, *c, 2000) == 0);
    CHECK(At(g, *c, 3000) == 3000);
    CHECK(At(g, *c, 3001) == 3000);
  }
}

TEST_CASE("CDLP: reciprocal neighbours count twice, ties go to the smallest label",
          "[semantics][cdlp]") {
  // Directed: 10 <-> 50, 20 -> 10, 30 -> 10, 40 -> 20, 40 -> 30, 60 isolated.
  // Iteration 1 (labels = ids):
  //   10: in {20, 30, 50}, out {50}: 50 twice -> 50 (a single count would tie -> 20)
  //   20: in {40}, out {10}: tie 10/40 -> 10      30: same -> 10
  //   40: out {20, 30}: tie -> 20                 50: 10 in and out -> 10
  //   60: no neighbours, keeps 60
  // Iteration 2 (labels 10:50 20:10 30:10 40:20 50:10 60:60):
  //   10: 20,30,50 in (10,10,10) + 50 out (10) -> 10     20: 40 (20), 10 (50) -> 20
  //   30: -> 20     40: 20 (10), 30 (10) -> 10     50: 10 (50) twice -> 50     60 -> 60
  PlainGraph g = Make({30, 10, 60, 20, 50, 40},
                      {{10, 50}, {50, 10}, {20, 10}, {30, 10}, {40, 20}, {40, 30}}, true);
  for (int threads : {1, 2, 8}) {
    auto one = ga::Cdlp(g, 1, Ctx(threads));
    REQUIRE(one.ok());
    CHECK(At(g, *one, 10) == 50);
    CHECK(At(g, *one, 20) == 10);
    CHECK(At(g, *one, 30) == 10);
    CHECK(At(g, *one, 40) == 20);
    CHECK(At(g, *one, 50) == 10);
    CHECK(At(g, *one, 60) == 60);
    auto two = ga::Cdlp(g, 2, Ctx(threads));
    REQUIRE(two.ok());
    CHECK(At(g, *two, 10) == 10);
    CHECK(At(g, *two, 20) == 20);
    CHECK(At(g, *two, 30) == 20);
    CHECK(At(g, *two, 40) == 10);
    CHECK(At(g, *two, 50) == 50);
    CHECK(At(g, *two, 60) == 60);
  }
  auto zero = ga::Cdlp(g, 0, Ctx(1));
  REQUIRE(zero.ok());
  CHECK(*zero == g.external_ids());
  CHECK(ga::Cdlp(g, -1, Ctx(1)).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("CDLP on an undirected path counts each neighbour once", "[semantics][cdlp]") {
  // 10 - 20 - 30: 10 takes 20, 20 ties 10/30 -> 10, 30 takes 20.
  PlainGraph g = Make({10, 20, 30}, {{10, 20}, {20, 30}}, false);
  auto l = ga::Cdlp(g, 1, Ctx(2));
  REQUIRE(l.ok());
  CHECK(*l == std::vector<std::int64_t>{20, 10, 20});
}

TEST_CASE("PageRank spreads the dangling rank over all vertices", "[semantics][pr]") {
  // 1 -> 2 -> 3, vertex 3 dangling, d = 0.85, PR_0 = 1/3.
  // Iteration 1: sink = 1/3.
  //   PR(1) = 0.15/3 + 0.85/3 * 1/3                = 13/90
  //   PR(2) = 0.15/3 + 0.85 * 1/3 + 0.85/3 * 1/3   = 77/180 = PR(3)
  // Iteration 2: sink = 77/180.
  //   PR(1) = 0.05 + 0.85 * 77/540
  //   PR(2) = 0.05 + 0.85 * 13/90 + 0.85 * 77/540
  //   PR(3) = 0.05 + 0.85 * 77/180 + 0.85 * 77/540
  PlainGraph g = Make({1, 2, 3}, {{1, 2}, {2, 3}}, true);
  auto one = ga::PageRank(g, 1, 0.85, Ctx(1));
  REQUIRE(one.ok());
  CHECK((*one)[0] == Approx(13.0 / 90).epsilon(1e-14));
  CHECK((*one)[1] == Approx(77.0 / 180).epsilon(1e-14));
  CHECK((*one)[2] == Approx(77.0 / 180).epsilon(1e-14));
  auto two = ga::PageRank(g, 2, 0.85, Ctx(2));
  REQUIRE(two.ok());
  CHECK((*two)[0] == Approx(0.05 + 0.85 * 77 / 540).epsilon(1e-14));
  CHECK((*two)[1] == Approx(0.05 + 0.85 * 13 / 90 + 0.85 * 77 / 540).epsilon(1e-14));
  CHECK((*two)[2] == Approx(0.05 + 0.85 * 77 / 180 + 0.85 * 77 / 540).epsilon(1e-14));
  CHECK((*two)[0] + (*two)[1] + (*two)[2] == Approx(1.0).epsilon(1e-14));
  auto zero = ga::PageRank(g, 0, 0.85, Ctx(1));
  REQUIRE(zero.ok());
  CHECK(*zero == std::vector<double>{1.0 / 3, 1.0 / 3, 1.0 / 3});
  CHECK(ga::PageRank(g, 1, 1.5, Ctx(1)).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("LCC counts directed edges among the direction-free neighbourhood", "[semantics][lcc]") {
  // Directed: 1 -> 2, 3 -> 1, 2 -> 3, 3 -> 2, 1 -> 4.
  //   N(1) = {2, 3, 4}; edges inside: 2->3, 3->2 -> 2 / (3*2) = 1/3
  //   N(2) = {1, 3} (3 is in- and out-neighbour, counted once in N); inside: 3->1 -> 1/2
  //   N(3) = {1, 2}; inside: 1->2 -> 1/2
  //   N(4) = {1}: 0
  PlainGraph g = Make({1, 2, 3, 4}, {{1, 2}, {3, 1}, {2, 3}, {3, 2}, {1, 4}}, true);
  auto c = ga::Lcc(g, Ctx(2));
  REQUIRE(c.ok());
  CHECK(*c == std::vector<double>{1.0 / 3, 0.5, 0.5, 0.0});
  // Undirected triangle 1-2-3 with a pendant 3-4: 1, 1, 1/3, 0.
  PlainGraph u = Make({1, 2, 3, 4}, {{1, 2}, {2, 3}, {3, 1}, {3, 4}}, false);
  auto cu = ga::Lcc(u, Ctx(1));
  REQUIRE(cu.ok());
  CHECK(*cu == std::vector<double>{1.0, 1.0, 1.0 / 3, 0.0});
}

TEST_CASE("SSSP: weighted distances, zero weights, Infinity when unreachable",
          "[semantics][sssp]") {
  //   4 --1.0--> 1 --1.5--> 2 --0.25--> 3 --0.0--> 5
  //              \________2.0_________/^
  // From 1: 2:1.5, 3:min(2.0, 1.75) = 1.75, 5:1.75, 4: unreachable.
  PlainGraph g =
      Make({1, 2, 3, 4, 5}, {{1, 2, 1.5}, {2, 3, 0.25}, {1, 3, 2.0}, {4, 1, 1.0}, {3, 5, 0.0}},
           true, true);
  for (int threads : {1, 2, 8}) {
    auto d = ga::Sssp(g, 0, Ctx(threads));
    REQUIRE(d.ok());
    CHECK(*d == std::vector<double>{0.0, 1.5, 1.75, std::numeric_limits<double>::infinity(), 1.75});
  }
  CHECK(ga::FormatValue(std::numeric_limits<double>::infinity()) == "Infinity");
  CHECK(ga::FormatValue(2.476533217845853e-08) == "2.476533217845853e-08");
  CHECK(ga::FormatValue(0.69) == "6.899999999999999e-01");
  CHECK(ga::FormatValue(0.0) == "0.000000000000000e+00");
  // An unweighted graph is refused.
  PlainGraph u = Make({1, 2}, {{1, 2}}, true);
  CHECK(ga::Sssp(u, 0, Ctx(1)).status().code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("Negative weights are refused before SSSP runs", "[semantics][sssp]") {
  PlainGraphOptions o;
  o.weighted = true;
  auto g = PlainGraph::FromEdges({1, 2}, {{1, 2, -0.5}}, o, 1);
  CHECK(g.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(g.status().message()).find("weight -0.5") != std::string::npos);
}
