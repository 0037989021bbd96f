// Graphalytics LCC: local clustering coefficient of every vertex.
//
// Watts & Strogatz, "Collective dynamics of 'small-world' networks", Nature 1998, with the
// LDBC Graphalytics definition for directed graphs: N(v) is the set of in- and
// out-neighbours (direction ignored, v itself excluded), and
//   LCC(v) = |{(u, w) in E : u, w in N(v)}| / (|N(v)| (|N(v)| - 1)),   0 when |N(v)| <= 1,
// counting directed edges in a directed graph (an undirected edge is stored both ways, so it
// counts twice against the same ordered-pair denominator).
//
// For each v: build N(v) (merge of the sorted in- and out-lists), stamp its members in a
// per-thread marker array (stamp = v + 1, so the array is never cleared), then for each u in
// N(v) count the out-neighbours of u that carry the stamp. When u's out-list is much longer
// than N(v), binary-search N(v)'s members in it instead. Vertices are independent and the
// counts are integers, so the result is the same at any thread count. ctx.Check() is polled
// between blocks of vertices.
// Cost: O(sum_v sum_{u in N(v)} min(d(u), |N(v)| log d(u))); n uint32 per thread.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

#include "parallel/parallel.h"
#include "polegraph/graphalytics.h"

namespace polegraph::graphalytics {
namespace {

struct Scratch {
  std::vector<NodeId> neighbours;
  std::vector<std::uint32_t> stamp;
};

double Coefficient(const PlainGraph& g, NodeId v, Scratch& s) {
  auto out = g.out_neighbours(v);
  s.neighbours.clear();
  if (g.directed()) {
    auto in = g.in_neighbours(v);
    std::set_union(out.begin(), out.end(), in.begin(), in.end(), std::back_inserter(s.neighbours));
  } else {
    s.neighbours.assign(out.begin(), out.end());
  }
  const std::size_t d = s.neighbours.size();
  if (d <= 1) return 0.0;
  const std::uint32_t mark = v + 1;
  for (NodeId u : s.neighbours) s.stamp[u] = mark;
  std::uint64_t links = 0;
  for (NodeId u : s.neighbours) {
    auto adj = g.out_neighbours(u);
    if (adj.size() > 8 * d) {
      for (NodeId w : s.neighbours) links += std::binary_search(adj.begin(), adj.end(), w);
    } else {
      for (NodeId w : adj) links += (s.stamp[w] == mark);
    }
  }
  return static_cast<double>(links) / (static_cast<double>(d) * static_cast<double>(d - 1));
}

}  // namespace

absl::StatusOr<std::vector<double>> Lcc(const PlainGraph& g, const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  const NodeId n = g.num_nodes();
  const int threads = ctx.threads;
  std::vector<double> lcc(n, 0.0);
  internal::PerThread<Scratch> scratch(threads);
  constexpr std::size_t kRound = 1 << 16;  // vertices between cancellation checks
  for (std::size_t lo = 0; lo < n; lo += kRound) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    internal::ParallelForDynamic(
        lo, std::min<std::size_t>(n, lo + kRound), threads,
        [&](std::size_t v) {
          Scratch& s = scratch.local();
          if (s.stamp.size() != n) s.stamp.assign(n, 0);
          lcc[v] = Coefficient(g, static_cast<NodeId>(v), s);
        },
        /*grain=*/64);
  }
  return lcc;
}

}  // namespace polegraph::graphalytics
