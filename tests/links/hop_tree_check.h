// The brute-force check of a HopDistances tree shared by the BFS tests: given the expected
// distances (from an oracle BFS or Boost.Graph on the oracle view), every node's expected
// parent is the smallest (node, EdgeId) step from a node one level nearer, and HopDistances
// must return exactly those distances and parents at 1, 2 and 8 threads.
#ifndef POLEGRAPH_TESTS_LINKS_HOP_TREE_CHECK_H_
#define POLEGRAPH_TESTS_LINKS_HOP_TREE_CHECK_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "fixture.h"

namespace polegraph::links_test {

// Expected parents on the oracle view `adj`, for the distances `want`: the smallest reverse
// step (u, e) with want[u] == want[v] - 1; {kNoNode, kNoEdge} for sources and unreached nodes.
inline std::vector<OStep> OracleParents(const OAdj& adj, const std::vector<std::uint32_t>& want) {
  OAdj radj(adj.size());
  for (NodeId u = 0; u < adj.size(); ++u) {
    for (const OStep& s : adj[u]) radj[s.to].push_back({u, s.edge});
  }
  for (auto& l : radj) std::sort(l.begin(), l.end());
  std::vector<OStep> parent(adj.size(), OStep{kNoNode, kNoEdge});
  for (NodeId v = 0; v < adj.size(); ++v) {
    if (want[v] == kUnreached || want[v] == 0) continue;
    for (const OStep& s : radj[v]) {
      if (want[s.to] == want[v] - 1) {
        parent[v] = s;
        break;
      }
    }
  }
  return parent;
}

// HopDistances(sources, f, max_hops) at 1, 2 and 8 threads against `want` and OracleParents.
inline void CheckHopTree(const Built& b, const TraversalFilter& f,
                         const std::vector<NodeId>& sources, std::uint32_t max_hops,
                         const OAdj& adj, const std::vector<std::uint32_t>& want) {
  const std::vector<OStep> parent = OracleParents(adj, want);
  for (int threads : {1, 2, 8}) {
    auto tree = HopDistances(*b.graph, sources, f, max_hops, Ctx(threads));
    REQUIRE(tree.ok());
    REQUIRE(tree->distance == want);
    for (NodeId v = 0; v < adj.size(); ++v) {
      INFO("threads=" << threads << " v=" << v);
      REQUIRE(tree->parent[v] == parent[v].to);
      REQUIRE(tree->parent_edge[v] == parent[v].edge);
    }
  }
}

}  // namespace polegraph::links_test

#endif  // POLEGRAPH_TESTS_LINKS_HOP_TREE_CHECK_H_
