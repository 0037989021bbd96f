// Leiden refinement: Traag, Waltman, van Eck, "From Louvain to Leiden: guaranteeing
// well-connected communities", Scientific Reports 9 (2019), Algorithm A.2 (RefinePartition /
// MergeNodesSubset) with the randomness parameter theta -> 0 (greedy choice).
//
// Inside each community S of the local-moving partition, every vertex starts as its own
// sub-community. Vertices of S are visited in the given order (the caller's seeded
// pseudo-random permutation, shared with the colouring); a vertex v that is
// still a singleton and is well connected to S (k_{v,S-v} >= gamma k_v (tot_S - k_v) / 2m)
// joins the sub-community R of S with the greatest positive gain k_{v,R} - gamma k_v tot_R / 2m
// among those R it has edges to that are themselves well connected to S
// (E(R, S-R) >= gamma tot_R (tot_S - tot_R) / 2m); ties go to the smallest R. A vertex only
// ever joins a sub-community it has an edge to, so every sub-community is connected; the next
// level aggregates the sub-communities, starting from the partition S.
// Refinement can also start from a given partition (a later Leiden pass keeps the previous
// pass's groups, leiden.cc): only the vertices alone in their group are visited and merged,
// each group's totals and weight to the rest of its community are summed up front, and the
// groups themselves never move (the paper's guarantees need only that every group lies in
// one community; a group need not be connected, and Leiden's final split covers that).
// Communities are refined independently and in parallel, each sequentially, into arrays
// indexed by its own vertices: the result does not depend on the thread count.
// Members are bucketed by community in one counting pass over `order`, so each community's
// list is already in visiting order (no per-community sort).
// Cost: O(n + m); per thread a small table, and an array of n entries once a vertex of degree
// over 64 is refined (internal/key_sums.h).
#include <algorithm>

#include "networks/internal/key_sums.h"
#include "networks/internal/multilevel.h"
#include "parallel/parallel.h"

namespace polegraph::internal {

std::vector<NodeId> Refine(const LevelGraph& lg, const std::vector<NodeId>& comm, double resolution,
                           std::span<const NodeId> order, int threads) {
  return Refine(lg, comm, resolution, order, {}, threads);
}

std::vector<NodeId> Refine(const LevelGraph& lg, const std::vector<NodeId>& comm, double resolution,
                           std::span<const NodeId> order, std::span<const NodeId> initial,
                           int threads) {
  const WeightedGraph& g = lg.g();
  const NodeId n = g.num_nodes();
  const bool seeded = !initial.empty();
  std::vector<NodeId> refined(n);
  if (seeded) {
    std::copy(initial.begin(), initial.end(), refined.begin());
  } else {
    for (NodeId v = 0; v < n; ++v) refined[v] = v;
  }
  if (n == 0 || lg.two_m <= 0.0) return refined;
  const double scale = resolution / lg.two_m;
  // Members of each community (community ids < n), in visiting order.
  std::vector<EdgeIndex> start(static_cast<std::size_t>(n) + 1, 0);
  for (NodeId v = 0; v < n; ++v) ++start[comm[v] + 1];
  for (NodeId c = 0; c < n; ++c) start[c + 1] += start[c];
  std::vector<NodeId> members(n);
  {
    std::vector<EdgeIndex> at(start.begin(), start.end() - 1);
    for (NodeId v : order) members[at[comm[v]]++] = v;
  }
  // The communities with at least two members (the others have nothing to refine), handed
  // out one at a time, largest first: a few large communities can hold much of the work (on
  // Kronecker 20 the largest holds a fifth of the arcs at every level), and one taken last
  // would leave the other threads idle. Each community's result does not depend on when it
  // is refined.
  std::vector<NodeId> multi;
  for (NodeId c = 0; c < n; ++c) {
    if (start[c + 1] - start[c] > 1) multi.push_back(c);
  }
  std::sort(multi.begin(), multi.end(), [&](NodeId a, NodeId b) {
    const EdgeIndex sa = start[a + 1] - start[a], sb = start[b + 1] - start[b];
    return sa != sb ? sa > sb : a < b;
  });
  // Each vertex's weight into its own community (for vertices of the communities above), in
  // one pass in vertex order: the CSR is read front to back, not in visiting order.
  std::vector<double> kin(n), r_ext(n), kown(seeded ? n : 0);
  std::vector<double> r_tot = lg.strength;
  ParallelForDynamic(
      0, n, threads,
      [&](std::size_t i) {
        const auto v = static_cast<NodeId>(i);
        const NodeId c = comm[v];
        double k = 0.0, own = 0.0;
        if (start[c + 1] - start[c] > 1) {
          auto adj = g.neighbours(v);
          auto w = g.weights(v);
          if (seeded) {
            const NodeId r = refined[v];
            for (std::size_t e = 0; e < adj.size(); ++e) {
              if (comm[adj[e]] == c) {
                k += w[e];
                if (refined[adj[e]] == r) own += w[e];
              }
            }
            kown[v] = own;
          } else {
            for (std::size_t e = 0; e < adj.size(); ++e) {
              if (comm[adj[e]] == c) k += w[e];
            }
          }
        }
        kin[v] = k;
        r_ext[v] = k;
      },
      /*grain=*/1024);
  std::vector<NodeId> r_size(n, 1);
  if (seeded) {
    // Vertices of one-member communities stay apart; the others are summed per group below.
    ParallelFor(0, n, threads, [&](std::size_t v) {
      if (start[comm[v] + 1] - start[comm[v]] > 1) r_size[v] = 0;
    });
  }
  PerThread<KeySums> scratch(threads);
  ParallelForDynamic(
      0, multi.size(), threads,
      [&](std::size_t i) {
        const NodeId c = multi[i];
        std::span<const NodeId> mem(members.data() + start[c], members.data() + start[c + 1]);
        KeySums& s = scratch.local();
        double tot_s = 0.0;
        for (NodeId v : mem) tot_s += lg.strength[v];
        if (seeded) {  // the initial groups' totals, in visiting order
          for (NodeId v : mem) r_tot[v] = r_ext[v] = 0.0;
          for (NodeId v : mem) {
            const NodeId r = refined[v];
            r_tot[r] += lg.strength[v];
            r_ext[r] += kin[v] - kown[v];
            ++r_size[r];
          }
        }
        for (NodeId v : mem) {
          if (r_size[refined[v]] != 1) continue;  // no longer a singleton
          const double kv = lg.strength[v];
          if (kin[v] < scale * kv * (tot_s - kv)) continue;  // not well connected to S
          auto adj = g.neighbours(v);
          auto w = g.weights(v);
          s.Begin(adj.size(), n);
          for (std::size_t e = 0; e < adj.size(); ++e) {
            if (comm[adj[e]] == c) s.Add(refined[adj[e]], w[e]);
          }
          NodeId best = v;
          double best_gain = 0.0, best_k = 0.0;
          for (std::size_t j = 0; j < s.size(); ++j) {
            const NodeId r = s.key(j);
            if (r == v) continue;
            if (r_ext[r] < scale * r_tot[r] * (tot_s - r_tot[r])) continue;
            const double gain = s.sum(j) - scale * kv * r_tot[r];
            if (gain > best_gain || (gain == best_gain && best != v && r < best)) {
              best_gain = gain;
              best = r;
              best_k = s.sum(j);
            }
          }
          s.End();
          if (best != v) {
            r_ext[best] += kin[v] - 2.0 * best_k;
            r_tot[best] += kv;
            ++r_size[best];
            r_size[v] = 0;
            refined[v] = best;
          }
        }
      },
      /*grain=*/1);
  return refined;
}

}  // namespace polegraph::internal
