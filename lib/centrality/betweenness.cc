// Exact betweenness centrality: Brandes, "A faster algorithm for betweenness centrality",
// J. Math. Sociol. 25 (2001), on hop counts, with the data layout of the GAP Benchmark
// Suite's bc.cc (Beamer, Asanović, Patterson 2015) adapted to pulls on an undirected graph.
//
// Per source s, with one 16-byte slot {value, dist} per vertex so that every arc touches one
// cache line:
//  - Forward: a BFS whose queue is kept as the visiting order. When a vertex v is dequeued,
//    every vertex of the previous level is final, so v pulls its path count
//    sigma(v) = sum of sigma(u) over neighbours u with dist(u) = dist(v) - 1 in the same scan
//    that discovers the next level and lists v's successors (dist = dist(v) + 1) in a
//    per-thread array (the successor lists of the BFS DAG: at most one entry per edge). The
//    predecessor test and the successor append are branch-free (a branch mispredicts on about
//    a quarter of the arcs); the discovery stays a branch (about one misprediction per
//    vertex, cheaper than branch-free bookkeeping on every arc).
//  - Backward: over the stored order in reverse, v sums over its successor list
//    S(v) = sum of (1 + delta(w)) / sigma(w), so delta(v) = sigma(v) S(v) is added to the
//    accumulator, and v's slot value becomes (1 + delta(v)) / sigma(v) = 1 / sigma(v) + S(v)
//    for its predecessors. No predecessor lists and no test per arc; no per-source
//    allocation: scratch is per thread, sized once, and only the visited slots are reset.
// Degree-1 sources are folded into their neighbour's search (Baglioni, Geraci, Pellegrini,
// Lastres, "Fast exact computation of betweenness centrality in social networks", ASONAM
// 2012, uses the same observation): a leaf l of u reaches everything through u, so
// delta_l(v) = delta_u(v) for v != u and delta_l(u) = r - 2 (r: vertices reached); u's
// dependencies are added 1 + leaves(u) times. Isolated vertices depend on nothing and are
// not searched from.
//
// Determinism: sources are cut into blocks of kBlock; a block is run by one thread, in list
// order, into its own accumulator row; rows are added into the result in block order (a
// round of blocks in parallel, then the reduction). Only kBlock fixes the order of the sums,
// so the result is bit-identical at any thread count. Values are halved at the end (an
// undirected pair is seen from both ends), as boost::brandes_betweenness_centrality does.
// Cost: O(n m) time (n: sources searched); per thread a slot array, an order array and list
// starts (32 bytes per vertex) and a successor array (4 bytes per arc), plus one accumulator
// row of n doubles per block in flight (8 per thread, at most 2^23 doubles).
#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <numeric>

#include "centrality/internal/brandes.h"
#include "parallel/parallel.h"
#include "polegraph/centrality.h"

namespace polegraph {
namespace internal {
namespace {

constexpr std::size_t kBlock = 32;  // sources per block: fixes the summation order

struct Slot {
  double value;       // sigma in the forward pass, (1 + delta) / sigma in the backward pass
  std::int32_t dist;  // -1: not reached from the current source
};

// keep ? value : 0.0 without a branch (the compare is unpredictable; a branch costs a
// misprediction on a third of the arcs).
inline double Select(bool keep, double value) {
  const std::uint64_t mask = std::uint64_t{0} - static_cast<std::uint64_t>(keep);
  return std::bit_cast<double>(std::bit_cast<std::uint64_t>(value) & mask);
}

struct Scratch {
  std::vector<Slot> slot;
  std::vector<NodeId> order;
  std::vector<NodeId> succ;  // successors of order[i]: succ[first[i] .. first[i+1])
  std::vector<std::size_t> first;
};

// Adds (1 + leaves) times s's dependencies into acc (n entries), and leaves * (r - 2) to
// acc[s], r = vertices reached: the dependencies of `leaves` degree-1 neighbours of s, whose
// own searches are folded into this one (see Betweenness).
void AddSource(const WeightedGraph& g, NodeId s, std::uint32_t leaves, Scratch& b, double* acc) {
  const EdgeIndex* off = g.offsets.data();
  const NodeId* adj = g.targets.data();
  Slot* slot = b.slot.data();
  NodeId* order = b.order.data();
  NodeId* succ = b.succ.data();
  std::size_t* first = b.first.data();
  std::size_t size = 1, pos = 0;
  order[0] = s;
  slot[s] = {1.0, 0};
  for (std::size_t head = 0; head < size; ++head) {
    const NodeId v = order[head];
    const std::int32_t dv = slot[v].dist;
    double sigma = 0.0;
    first[head] = pos;
    for (EdgeIndex e = off[v]; e < off[v + 1]; ++e) {
      const NodeId w = adj[e];
      Slot& x = slot[w];
      std::int32_t dx = x.dist;
      if (dx < 0) {
        dx = x.dist = dv + 1;
        order[size++] = w;
      }
      sigma += Select(dx == dv - 1, x.value);
      succ[pos] = w;  // kept only for a successor (succ has 2m + 1 entries)
      pos += dx == dv + 1;
    }
    if (head > 0) slot[v].value = sigma;
  }
  first[size] = pos;
  const double weight = 1.0 + leaves;
  for (std::size_t i = size; i-- > 1;) {
    const NodeId v = order[i];
    double sum = 0.0;
    for (std::size_t k = first[i]; k < first[i + 1]; ++k) sum += slot[succ[k]].value;
    const double sigma = slot[v].value;
    acc[v] += weight * (sigma * sum);
    slot[v].value = 1.0 / sigma + sum;
  }
  if (leaves > 0 && size > 2) acc[s] += static_cast<double>(leaves) * static_cast<double>(size - 2);
  for (std::size_t i = 0; i < size; ++i) slot[order[i]].dist = -1;
}

// AddDependencies with leaves[k] degree-1 neighbours folded into sources[k] (leaves empty:
// none).
absl::Status RunSources(const WeightedGraph& g, std::span<const NodeId> sources,
                        std::span<const std::uint32_t> leaves, const QueryContext& ctx,
                        std::vector<double>& bc) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  const std::size_t n = g.num_nodes();
  assert(bc.size() == n);
  assert(leaves.empty() || leaves.size() == sources.size());
  if (n == 0 || sources.empty()) return absl::OkStatus();
  const std::size_t blocks = (sources.size() + kBlock - 1) / kBlock;
  const std::size_t threads = static_cast<std::size_t>(ctx.threads);
  // Rows are added in block order whatever the round size, so the round may depend on the
  // thread count without changing a single bit of the result.
  const std::size_t round =
      std::min(blocks, std::max(threads, std::min(8 * threads, (std::size_t{1} << 23) / n)));
  std::vector<double> rows(round * n);
  PerThread<Scratch> scratch(ctx.threads);
  for (std::size_t b0 = 0; b0 < blocks; b0 += round) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    const std::size_t count = std::min(round, blocks - b0);
    ParallelForDynamic(
        0, count, ctx.threads,
        [&](std::size_t i) {
          Scratch& b = scratch.local();
          if (b.slot.size() < n) {
            b.slot.assign(n, Slot{0.0, -1});
            b.order.resize(n);
            b.first.resize(n + 1);
            // At most one successor per edge on a symmetric graph; sized by arcs so that a
            // WeightedGraph built by hand without the reverse arcs cannot overflow it.
            b.succ.resize(g.num_arcs() + 1);
          }
          double* row = rows.data() + i * n;
          std::fill(row, row + n, 0.0);
          const std::size_t lo = (b0 + i) * kBlock;
          const std::size_t hi = std::min(sources.size(), lo + kBlock);
          for (std::size_t k = lo; k < hi; ++k) {
            assert(sources[k] < n);
            AddSource(g, sources[k], leaves.empty() ? 0 : leaves[k], b, row);
          }
        },
        /*grain=*/1);
    ParallelFor(0, n, ctx.threads, [&](std::size_t v) {
      double sum = bc[v];
      for (std::size_t i = 0; i < count; ++i) sum += rows[i * n + v];
      bc[v] = sum;
    });
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status AddDependencies(const WeightedGraph& g, std::span<const NodeId> sources,
                             const QueryContext& ctx, std::vector<double>& bc) {
  return RunSources(g, sources, {}, ctx, bc);
}

}  // namespace internal

absl::StatusOr<std::vector<double>> Betweenness(const WeightedGraph& g, const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (absl::Status s = g.Validate(ctx.threads); !s.ok()) return s;
  const NodeId n = g.num_nodes();
  std::vector<double> bc(n, 0.0);
  // A degree-1 vertex l whose neighbour u has degree > 1 reaches everything through u, so
  // delta_l(v) = delta_u(v) for v != u, and delta_l(u) = (vertices reached) - 2: l's search is
  // folded into u's. Vertices of degree 0 depend on nothing and are skipped.
  std::vector<std::uint32_t> leaves_of(n, 0);
  std::vector<bool> folded(n, false);
  for (NodeId v = 0; v < n; ++v) {
    if (g.degree(v) == 1 && g.degree(g.neighbours(v)[0]) > 1) {
      ++leaves_of[g.neighbours(v)[0]];
      folded[v] = true;
    }
  }
  std::vector<NodeId> sources;
  std::vector<std::uint32_t> leaves;
  for (NodeId v = 0; v < n; ++v) {
    if (g.degree(v) == 0 || folded[v]) continue;
    sources.push_back(v);
    leaves.push_back(leaves_of[v]);
  }
  if (absl::Status s = internal::RunSources(g, sources, leaves, ctx, bc); !s.ok()) return s;
  for (double& x : bc) x /= 2.0;
  return bc;
}

}  // namespace polegraph
