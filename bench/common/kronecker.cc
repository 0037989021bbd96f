// Graph500 Kronecker generator (see kronecker.h). Reference: the Graph500 benchmark
// specification, "Kernel 1 / Graph Generation" (recursive matrix with A, B, C = 0.57, 0.19,
// 0.19), and Chakrabarti, Zhan, Faloutsos, "R-MAT", SDM 2004.
#include "common/kronecker.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <random>

#include "parallel/parallel.h"

namespace polegraph::bench {
namespace {

// SplitMix64: a counter-based stream, so edge i's random bits depend only on (seed, i).
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double Uniform(std::uint64_t& state) {
  state = Mix(state);
  return static_cast<double>(state >> 11) * 0x1.0p-53;
}

}  // namespace

std::vector<PlainEdge> Kronecker(int scale, int edge_factor, std::uint64_t seed) {
  const std::uint64_t n = std::uint64_t{1} << scale;
  const std::uint64_t m = n * static_cast<std::uint64_t>(edge_factor);
  constexpr double kA = 0.57, kB = 0.19, kC = 0.19;
  std::vector<std::int64_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), std::mt19937_64(seed));
  std::vector<PlainEdge> edges(m);
  internal::ParallelFor(0, m, 2, [&](std::size_t i) {
    std::uint64_t state = Mix(seed ^ (i * 0x2545f4914f6cdd1dULL));
    std::uint64_t src = 0, dst = 0;
    for (int bit = 0; bit < scale; ++bit) {
      double r = Uniform(state);
      // Quadrant: A (0,0), B (0,1), C (1,0), D (1,1).
      std::uint64_t row = r >= kA + kB ? 1 : 0;
      std::uint64_t col = (r >= kA && r < kA + kB) || r >= kA + kB + kC ? 1 : 0;
      src = (src << 1) | row;
      dst = (dst << 1) | col;
    }
    edges[i] = PlainEdge{perm[src], perm[dst], 1.0};
  });
  return edges;
}

PlainGraph KroneckerGraph(int scale, int edge_factor, std::uint64_t seed, int threads) {
  std::vector<std::int64_t> ids(std::size_t{1} << scale);
  std::iota(ids.begin(), ids.end(), 0);
  PlainGraphOptions o;
  o.directed = false;
  o.simplify = true;
  auto g = PlainGraph::FromEdges(std::move(ids), Kronecker(scale, edge_factor, seed), o, threads);
  if (!g.ok()) std::abort();  // cannot happen: every endpoint is a listed vertex
  return *std::move(g);
}

}  // namespace polegraph::bench
