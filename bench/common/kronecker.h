// Graph500 Kronecker (R-MAT) edge generator for benchmarks: 2^scale vertices,
// edge_factor * 2^scale edges, initiator probabilities A = 0.57, B = 0.19, C = 0.19
// (D = 0.05), vertex ids scrambled by a seeded permutation. Deterministic: edge i depends
// only on (seed, i), so the list is the same at any thread count.
//
//   std::vector<polegraph::PlainEdge> e = polegraph::bench::Kronecker(16, 16, /*seed=*/1);
#ifndef POLEGRAPH_BENCH_COMMON_KRONECKER_H_
#define POLEGRAPH_BENCH_COMMON_KRONECKER_H_

#include <cstdint>
#include <vector>

#include "polegraph/plain_graph.h"

namespace polegraph::bench {

std::vector<PlainEdge> Kronecker(int scale, int edge_factor, std::uint64_t seed);

// An undirected, simplified PlainGraph of a Kronecker edge list (vertex ids 0..2^scale-1).
PlainGraph KroneckerGraph(int scale, int edge_factor, std::uint64_t seed, int threads);

}  // namespace polegraph::bench

#endif  // POLEGRAPH_BENCH_COMMON_KRONECKER_H_
