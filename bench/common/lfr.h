// LFR benchmark graphs (Lancichinetti, Fortunato, Radicchi, "Benchmark graphs for testing
// community detection algorithms", Phys. Rev. E 78, 046110 (2008)): power-law degrees
// (exponent tau1) and community sizes (exponent tau2), and a mixing parameter mu — the
// fraction of each vertex's edges that leave its community. Used by tests (small graphs) and
// the networks bench. Deterministic for a seed.
//
// A simplified construction: degrees from a truncated continuous power law whose lower end is
// solved so the mean is avg_degree; sizes from a truncated power law, the last trimmed to fit
// n; vertices (largest internal degree first) placed in a random community with room that can
// hold their internal degree; internal and external stubs paired by two configuration models,
// dropping self-loops, repeats and external pairs that fall inside one community (no
// rewiring), so the realised mixing differs from mu by a few hundredths: `mixing` reports it.
//
//   polegraph::bench::LfrGraph g = polegraph::bench::Lfr({.n = 1000, .mu = 0.2, .seed = 3});
//   // g.edges (u < v), g.community[v]
#ifndef POLEGRAPH_BENCH_COMMON_LFR_H_
#define POLEGRAPH_BENCH_COMMON_LFR_H_

#include <cstdint>
#include <vector>

#include "polegraph/weighted_graph.h"

namespace polegraph::bench {

struct LfrOptions {
  NodeId n = 1000;
  double avg_degree = 15;
  double max_degree = 50;
  double tau1 = 2.5;  // degree exponent
  double tau2 = 1.5;  // community size exponent
  double mu = 0.2;    // mixing
  std::uint32_t min_community = 20;
  std::uint32_t max_community = 100;
  std::uint64_t seed = 1;
};

struct LfrGraph {
  NodeId n = 0;
  std::vector<WeightedEdge> edges;       // weight 1, u < v, sorted, no repeats
  std::vector<std::uint32_t> community;  // planted community of each vertex
  double mixing = 0.0;                   // realised fraction of edges between communities
};

LfrGraph Lfr(const LfrOptions& options);

}  // namespace polegraph::bench

#endif  // POLEGRAPH_BENCH_COMMON_LFR_H_
