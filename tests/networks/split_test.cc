// Leiden's restricted final split (lib/networks/split.cc): SplitSuspects on a hand-worked
// graph and against a brute-force breadth-first search on random graphs, at 1, 2 and 8
// threads; SplitDisconnected (level_graph.cc) against the same search; RenumberMap by hand;
// and Leiden's communities on a graph with whole components (left out of aggregation, labelled
// at the end of a pass) against what they must be.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <vector>

#include "networks/internal/multilevel.h"
#include "networks_test_util.h"
#include "polegraph/networks.h"

namespace polegraph {
namespace {

// The parts of community c: vertices of c grouped by connectivity inside c, each part's
// vertices ascending, parts in order of their smallest vertex. Plain BFS over the edge list.
std::vector<std::vector<NodeId>> BruteParts(const WeightedGraph& g, const std::vector<NodeId>& comm,
                                            NodeId c) {
  const NodeId n = g.num_nodes();
  std::vector<bool> seen(n, false);
  std::vector<std::vector<NodeId>> parts;
  for (NodeId s = 0; s < n; ++s) {
    if (comm[s] != c || seen[s]) continue;
    std::vector<NodeId> part = {s};
    seen[s] = true;
    for (std::size_t h = 0; h < part.size(); ++h) {
      for (NodeId u : g.neighbours(part[h])) {
        if (comm[u] == c && !seen[u]) {
          seen[u] = true;
          part.push_back(u);
        }
      }
    }
    std::sort(part.begin(), part.end());
    parts.push_back(std::move(part));
  }
  return parts;
}

// The labels SplitSuspects must give (its contract, built from BruteParts): a community not
// suspect keeps its label; a suspect one keeps it on its first part, and its j-th other part
// gets k + (other parts of the suspect communities before it) + j - 1.
std::vector<NodeId> WantSplit(const WeightedGraph& g, const std::vector<NodeId>& comm,
                              std::uint32_t k, const std::vector<std::uint8_t>& suspect,
                              std::uint32_t* labels) {
  std::vector<NodeId> want = comm;
  NodeId next = k;
  for (NodeId c = 0; c < k; ++c) {
    if (!suspect[c]) continue;
    const auto parts = BruteParts(g, comm, c);
    for (std::size_t j = 1; j < parts.size(); ++j) {
      for (NodeId v : parts[j]) want[v] = next;
      ++next;
    }
  }
  *labels = next;
  return want;
}

// `count` edges between uniformly drawn vertices of 0..n-1 (self-loops dropped, repeats summed).
WeightedGraph RandomGraph(std::mt19937& rng, NodeId n, int count) {
  std::uniform_int_distribution<NodeId> vertex(0, n - 1);
  std::vector<WeightedEdge> edges;
  for (int e = 0; e < count; ++e) edges.push_back({vertex(rng), vertex(rng), 1.0});
  return testing::MakeGraph(n, edges);
}

//   0 - 1   2 - 3        6 - 7
//   |       |            |
//   4       5   8        9
// comm: {0,1,2,3,4,5} -> 0 (parts {0,1,4} and {2,3,5}), {6,7,8,9} -> 1 (parts {6,7,9}, {8}),
// {10} -> 2 (no edge). Suspect 0 only: {2,3,5} -> 3, community 1 untouched (even though it is
// disconnected: SplitSuspects trusts the caller). Suspect 0 and 1: {2,3,5} -> 3, {8} -> 4.
TEST_CASE("SplitSuspects splits only the suspect communities, by hand") {
  const WeightedGraph g = testing::MakeGraph(
      11, {{0, 1, 1.0}, {0, 4, 1.0}, {2, 3, 2.0}, {2, 5, 1.0}, {6, 7, 1.0}, {6, 9, 0.5}});
  const std::vector<NodeId> comm = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2};
  for (int threads : {1, 2, 8}) {
    std::vector<NodeId> a = comm;
    const std::vector<std::uint8_t> only0 = {1, 0, 0};
    CHECK(internal::SplitSuspects(g, a, 3, only0, threads) == 4);
    CHECK(a == std::vector<NodeId>{0, 0, 3, 3, 0, 3, 1, 1, 1, 1, 2});
    std::vector<NodeId> b = comm;
    const std::vector<std::uint8_t> both = {1, 1, 0};
    CHECK(internal::SplitSuspects(g, b, 3, both, threads) == 5);
    CHECK(b == std::vector<NodeId>{0, 0, 3, 3, 0, 3, 1, 1, 4, 1, 2});
    std::vector<NodeId> c = comm;
    const std::vector<std::uint8_t> none = {0, 0, 0};
    CHECK(internal::SplitSuspects(g, c, 3, none, threads) == 3);
    CHECK(c == comm);
  }
}

TEST_CASE("SplitSuspects matches a brute-force search on random graphs") {
  std::mt19937 rng(17);
  for (int round = 0; round < 6; ++round) {
    const NodeId n = 3000;
    const std::uint32_t k = round < 3 ? 40 : 700;  // large communities, then many small ones
    const WeightedGraph g = RandomGraph(rng, n, 2500 + 1500 * round);
    std::uniform_int_distribution<NodeId> label(0, k - 1);
    std::vector<NodeId> comm(n);
    for (NodeId& c : comm) c = label(rng);
    std::vector<std::uint8_t> suspect(k);
    for (std::uint8_t& s : suspect) s = rng() % 3 != 0;
    std::uint32_t want_labels = 0;
    const std::vector<NodeId> want = WantSplit(g, comm, k, suspect, &want_labels);
    for (int threads : {1, 2, 8}) {
      INFO("round " << round << ", threads " << threads);
      std::vector<NodeId> got = comm;
      CHECK(internal::SplitSuspects(g, got, k, suspect, threads) == want_labels);
      CHECK(got == want);
    }
  }
}

// SplitDisconnected (level_graph.cc): every community split into its parts, renumbered by
// smallest vertex. Random graphs with random communities (many parts each), and with one
// community holding most vertices (its largest part is the one the sampling settles, so most
// of its vertices skip their arcs); against BruteParts.
TEST_CASE("SplitDisconnected matches a brute-force search on random graphs") {
  std::mt19937 rng(29);
  for (int round = 0; round < 6; ++round) {
    const NodeId n = 4000;
    const std::uint32_t k = round % 2 == 0 ? 30 : 600;
    const WeightedGraph g = RandomGraph(rng, n, 3000 + 4000 * round);
    std::uniform_int_distribution<NodeId> label(0, k - 1);
    std::vector<NodeId> comm(n);
    for (NodeId& c : comm) c = round >= 4 && rng() % 10 != 0 ? 0 : label(rng);
    // The oracle: parts of every community, labelled in order of their smallest vertex.
    std::vector<NodeId> want(n);
    std::vector<std::pair<NodeId, std::vector<NodeId>>> parts;  // (smallest vertex, part)
    for (NodeId c = 0; c < k; ++c) {
      for (auto& part : BruteParts(g, comm, c)) parts.emplace_back(part[0], std::move(part));
    }
    std::sort(parts.begin(), parts.end());
    for (std::size_t j = 0; j < parts.size(); ++j) {
      for (NodeId v : parts[j].second) want[v] = static_cast<NodeId>(j);
    }
    for (int threads : {1, 2, 8}) {
      INFO("round " << round << ", threads " << threads);
      std::vector<NodeId> got = comm;
      CHECK(internal::SplitDisconnected(g, got, threads) == parts.size());
      CHECK(got == want);
    }
  }
}

TEST_CASE("RenumberMap renumbers by smallest member and returns the map") {
  std::vector<NodeId> labels = {7, 3, 7, 9, 3, 0};
  std::vector<NodeId> map;
  CHECK(internal::RenumberMap(labels, map) == 4);
  CHECK(labels == std::vector<NodeId>{0, 1, 0, 2, 1, 3});
  const NodeId x = internal::kNoVertex;
  CHECK(map == std::vector<NodeId>{3, x, x, 1, x, x, x, 0, x, 2});
}

// Two planted groups of 30 vertices (dense inside, sparse between), then whole components:
// three triangles, two single edges and four isolated vertices. Local moving puts each small
// component in one community, which aggregation then leaves out (no edge to another); the end
// of the pass must give each its own label: every triangle and edge one community, every
// isolated vertex alone, nothing else in them.
TEST_CASE("Leiden labels the components left out of aggregation") {
  testing::Planted planted = testing::PlantedPartition(2, 30, 0.5, 0.02, 23);
  std::vector<WeightedEdge> edges;
  const NodeId base = planted.graph.num_nodes();
  for (NodeId u = 0; u < base; ++u) {
    for (NodeId v : planted.graph.neighbours(u)) {
      if (u < v) edges.push_back({u, v, 1.0});
    }
  }
  std::vector<std::vector<NodeId>> components;
  NodeId next = base;
  for (int t = 0; t < 3; ++t, next += 3) {
    edges.push_back({next, next + 1, 1.0});
    edges.push_back({next + 1, next + 2, 1.0});
    edges.push_back({next, next + 2, 1.0});
    components.push_back({next, next + 1, next + 2});
  }
  for (int e = 0; e < 2; ++e, next += 2) {
    edges.push_back({next, next + 1, 2.0});
    components.push_back({next, next + 1});
  }
  for (int i = 0; i < 4; ++i, ++next) components.push_back({next});
  const WeightedGraph g = testing::MakeGraph(next, edges);
  CommunityOptions o;
  o.algorithm = CommunityAlgorithm::kLeiden;
  std::vector<std::uint32_t> first;
  for (int threads : {1, 2, 8}) {
    INFO("threads " << threads);
    QueryContext ctx;
    ctx.threads = threads;
    const Partition p = *DetectCommunities(g, o, ctx);
    CHECK(testing::CommunitiesConnected(g, p.community));
    CHECK(p.modularity == Approx(testing::BruteModularity(g, p.community)).margin(1e-9));
    for (const auto& comp : components) {
      const std::uint32_t c = p.community[comp[0]];
      for (NodeId v : comp) CHECK(p.community[v] == c);
      CHECK(std::count(p.community.begin(), p.community.end(), c) ==
            static_cast<std::ptrdiff_t>(comp.size()));
    }
    // The planted groups are recovered (at most a few vertices off): two communities there.
    std::vector<std::uint32_t> planted_labels(p.community.begin(), p.community.begin() + base);
    std::sort(planted_labels.begin(), planted_labels.end());
    CHECK(std::unique(planted_labels.begin(), planted_labels.end()) - planted_labels.begin() == 2);
    if (first.empty()) first = p.community;
    CHECK(p.community == first);
  }
}

}  // namespace
}  // namespace polegraph
