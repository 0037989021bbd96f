// The weighted graphs the community and centrality benches share (seed 42, built with 2
// threads): an LFR benchmark graph and a Graph500 Kronecker graph (edge factor 16), so that
// both suites measure their kernels on exactly the same graphs.
#ifndef POLEGRAPH_BENCH_COMMON_GRAPHS_H_
#define POLEGRAPH_BENCH_COMMON_GRAPHS_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "common/kronecker.h"
#include "common/lfr.h"
#include "polegraph/weighted_graph.h"

namespace polegraph::bench {

// LFR with n vertices and mixing mu; the planted communities go to *truth when given.
inline WeightedGraph LfrWeighted(std::uint32_t n, double mu,
                                 std::vector<std::uint32_t>* truth = nullptr) {
  LfrOptions o;
  o.n = n;
  o.mu = mu;
  o.seed = 42;
  LfrGraph lfr = Lfr(o);
  WeightedGraph g = *WeightedGraph::FromEdges(lfr.n, lfr.edges, 2);
  if (truth != nullptr) *truth = std::move(lfr.community);
  return g;
}

// Kronecker (Graph500 parameters) at the given scale.
inline WeightedGraph KroneckerWeighted(int scale) {
  return *WeightedGraph::FromPlain(KroneckerGraph(scale, 16, 42, 2), 2);
}

}  // namespace polegraph::bench

#endif  // POLEGRAPH_BENCH_COMMON_GRAPHS_H_
