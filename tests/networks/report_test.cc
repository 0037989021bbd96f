// Community reports: density, key players, articulation points (against removing each
// member and counting pieces by BFS), boundary brokers.
#include <catch2/catch.hpp>
#include <set>

#include "networks/networks_test_util.h"

namespace polegraph::testing {
namespace {

// Pieces of the subgraph induced by `keep` (BFS).
int Pieces(const WeightedGraph& g, const std::vector<bool>& keep) {
  std::vector<bool> seen(g.num_nodes(), false);
  int pieces = 0;
  for (NodeId s = 0; s < g.num_nodes(); ++s) {
    if (!keep[s] || seen[s]) continue;
    ++pieces;
    std::vector<NodeId> q = {s};
    seen[s] = true;
    for (std::size_t h = 0; h < q.size(); ++h) {
      for (NodeId w : g.neighbours(q[h])) {
        if (keep[w] && !seen[w]) {
          seen[w] = true;
          q.push_back(w);
        }
      }
    }
  }
  return pieces;
}

TEST_CASE("report of a hand-drawn community with a bridge and a pendant") {
  //   community 0: 0-1-2 triangle, 2-3 bridge, 3-4 pendant     community 1: 5-6, 6-7
  //   and 4-5 links the two communities.
  const WeightedGraph g = MakeGraph(
      8, {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {2, 3, 1}, {3, 4, 1}, {5, 6, 1}, {6, 7, 1}, {4, 5, 3}});
  Partition p;
  p.community = {0, 0, 0, 0, 0, 1, 1, 1};
  p.num_communities = 2;
  CommunityReportOptions opt;
  opt.top = 2;
  auto r = SummariseCommunities(g, p, opt, Threads(2));
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  const CommunitySummary& a = (*r)[0];
  CHECK(a.id == 0);
  CHECK(a.members == std::vector<NodeId>{0, 1, 2, 3, 4});
  CHECK(a.density == Approx(5.0 / 10.0));
  CHECK(a.internal_weight == 5.0);
  // Betweenness inside: vertex 2 lies on 0-3, 0-4, 1-3, 1-4 (4), vertex 3 on 0-4, 1-4, 2-4 (3).
  CHECK(a.key_players == std::vector<NodeId>{2, 3});
  CHECK(a.articulation_points == std::vector<NodeId>{2, 3});
  CHECK(a.boundary == std::vector<NodeId>{4});
  const CommunitySummary& b = (*r)[1];
  CHECK(b.key_players == std::vector<NodeId>{6});
  CHECK(b.articulation_points == std::vector<NodeId>{6});
  CHECK(b.boundary == std::vector<NodeId>{5});
  opt.min_size = 4;
  CHECK(SummariseCommunities(g, p, opt, Threads(1))->size() == 1);
}

TEST_CASE("articulation points equal the members whose removal splits their community") {
  const Planted pp = PlantedPartition(3, 14, 0.2, 0.02, 8);
  absl::StatusOr<Partition> part = DetectCommunities(pp.graph, {}, Threads(2));
  REQUIRE(part.ok());
  CommunityReportOptions opt;
  opt.top = 100;
  auto r = SummariseCommunities(pp.graph, *part, opt, Threads(2));
  REQUIRE(r.ok());
  for (const CommunitySummary& s : *r) {
    std::vector<bool> keep(pp.graph.num_nodes(), false);
    for (NodeId v : s.members) keep[v] = true;
    const int base = Pieces(pp.graph, keep);
    std::vector<NodeId> brute;
    for (NodeId v : s.members) {
      keep[v] = false;
      if (Pieces(pp.graph, keep) > base) brute.push_back(v);
      keep[v] = true;
    }
    CHECK(s.articulation_points == brute);
    // Boundary: exactly the members with a neighbour in another community.
    std::set<NodeId> outside;
    for (NodeId v : s.members) {
      for (NodeId w : pp.graph.neighbours(v)) {
        if (part->community[w] != s.id) outside.insert(v);
      }
    }
    CHECK(std::set<NodeId>(s.boundary.begin(), s.boundary.end()) == outside);
  }
}

TEST_CASE("key players of a community above the exact limit come from sampled pivots") {
  // Two stars of 200 leaves whose hubs 0 and 1 are joined; community 0 = all 402 vertices.
  // Every path between leaves of different stars runs through both hubs, so 0 and 1 are the
  // key players, exactly (limit 1000) and estimated from 16 pivots (limit 100).
  std::vector<WeightedEdge> edges = {{0, 1, 1}};
  for (NodeId i = 0; i < 200; ++i) {
    edges.push_back({0, 2 + i, 1});
    edges.push_back({1, 202 + i, 1});
  }
  const WeightedGraph g = MakeGraph(402, edges);
  Partition p;
  p.community.assign(402, 0);
  p.num_communities = 1;
  CommunityReportOptions opt;
  opt.top = 2;
  opt.betweenness_limit = 1000;
  auto exact = SummariseCommunities(g, p, opt, Threads(2));
  REQUIRE(exact.ok());
  CHECK((*exact)[0].key_players == std::vector<NodeId>{0, 1});
  CHECK_FALSE((*exact)[0].key_players_estimated);
  opt.betweenness_limit = 100;
  opt.betweenness_pivots = 16;
  auto sampled = SummariseCommunities(g, p, opt, Threads(1));
  REQUIRE(sampled.ok());
  CHECK((*sampled)[0].key_players_estimated);
  CHECK_FALSE((*sampled)[0].key_players_by_degree);
  CHECK(((*sampled)[0].key_players == std::vector<NodeId>{0, 1} ||
         (*sampled)[0].key_players == std::vector<NodeId>{1, 0}));
  CHECK(SummariseCommunities(g, p, opt, Threads(2))->at(0).key_players ==
        (*sampled)[0].key_players);
  opt.betweenness_pivots = 0;
  auto by_degree = SummariseCommunities(g, p, opt, Threads(1));
  CHECK((*by_degree)[0].key_players_by_degree);
}

}  // namespace
}  // namespace polegraph::testing
