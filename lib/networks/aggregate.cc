// Aggregation of the multilevel algorithms: one vertex per community, the weight between two
// communities the sum of the edge weights between their members, and each community's
// internal weight (over ordered pairs, plus its members' own loops) as its self-loop.
// Parallel over communities: members are taken in ascending id and their arcs in adjacency
// order, summed per neighbour community in a per-thread KeySums (internal/key_sums.h: a small
// cache-resident table, or a dense array for communities with over 64 arcs), so every sum is
// formed in the same order at any thread count. A community's row lists its neighbour
// communities in order of first touch (deterministic for the same reason; no sort). Rows are
// appended to per-thread buffers, then copied into the CSR at offsets from a prefix sum of
// the row lengths (no per-row allocation). Leiden asks to leave out the communities without
// an edge to another (whole connected components, on Kronecker graphs mostly the isolated
// vertices): they can never move again, and carrying them made every later level pay for
// them (Kronecker 20: about 403 k of the 558 k level-1 vertices).
// Each member's neighbours' communities are gathered into a per-thread buffer in a loop
// without branches before they are summed, so their cache misses overlap (session 7: about a
// fifth less of Aggregate's share of perf samples on Kronecker 20; the sums are formed in the
// same order, so the results are bit-identical).
// Tried in session 8 and dropped: the output CSR in 2 MB pages (ResizeHuge) to speed up its
// sequential zero-fill (about 145 ms of the main thread's CPU at Kronecker 20's level 0): the
// huge-page faults cost 3-5x more CPU under this machine's memory pressure (418-757 against
// 145-148 ms, alternated). KeySums starting every use in its table and moving to the dense
// array at the 65th key: Aggregate's perf share on LFR 10^6 unchanged (0.174-0.178x
// LocalMoving's against 0.161-0.175x).
// A level whose weights are all 1.0 (LevelGraph::unit_weights: Leiden's renumbered level 0 of
// an unweighted graph has no weight array) is summed without reading them (session 8, level8;
// same sums).
// Cost: O(n + m); per thread a small table (k entries once a large community needs them) and
// its share of the arcs.
#include <algorithm>

#include "networks/internal/key_sums.h"
#include "networks/internal/multilevel.h"
#include "parallel/parallel.h"

namespace polegraph::internal {

LevelGraph Aggregate(const LevelGraph& lg, const std::vector<NodeId>& comm, std::uint32_t k,
                     int threads, std::vector<NodeId>* kept_id) {
  const WeightedGraph& g = lg.g();
  const NodeId n = g.num_nodes();
  std::vector<EdgeIndex> start(static_cast<std::size_t>(k) + 1, 0);
  for (NodeId v = 0; v < n; ++v) ++start[comm[v] + 1];
  for (std::uint32_t c = 0; c < k; ++c) start[c + 1] += start[c];
  std::vector<NodeId> members(n);
  {
    std::vector<EdgeIndex> at(start.begin(), start.end() - 1);
    for (NodeId v = 0; v < n; ++v) members[at[comm[v]]++] = v;
  }
  LevelGraph out;
  out.loop.assign(k, 0.0);
  out.strength.assign(k, 0.0);
  struct Scratch {
    KeySums sums;
    std::vector<NodeId> targets;  // this thread's rows, back to back
    std::vector<double> weights;
    std::vector<NodeId> dest;  // one vertex's neighbours' communities
  };
  // Every weight 1.0 (the level may have no weight array, see LevelGraph): each arc's weight
  // is then read from `one` (mask 0) instead of the weight array (mask all ones), without a
  // branch per arc.
  static constexpr double kOne = 1.0;
  const bool unit = lg.unit_weights;
  const std::size_t mask = unit ? 0 : ~std::size_t{0};
  PerThread<Scratch> scratch(threads);
  // Where community c's row is: thread slot and offset in that slot's buffers.
  std::vector<std::uint32_t> row_slot(k);
  std::vector<EdgeIndex> row_at(k), counts(k);
  ParallelForDynamic(
      0, k, threads,
      [&](std::size_t c) {
        Scratch& s = scratch.local();
        std::size_t arcs = 0;  // bounds the row's length
        for (EdgeIndex i = start[c]; i < start[c + 1]; ++i) arcs += g.degree(members[i]);
        s.sums.Begin(arcs, k);
        double loop = 0.0;
        for (EdgeIndex i = start[c]; i < start[c + 1]; ++i) {
          const NodeId v = members[i];
          loop += lg.loop[v];
          auto adj = g.neighbours(v);
          const double* w = unit ? &kOne : g.weights(v).data();
          // The neighbours' communities first, in a loop without branches, so their cache
          // misses overlap; then the sums, in the same order as before.
          if (s.dest.size() < adj.size()) s.dest.resize(adj.size());
          NodeId* dest = s.dest.data();
          for (std::size_t e = 0; e < adj.size(); ++e) dest[e] = comm[adj[e]];
          for (std::size_t e = 0; e < adj.size(); ++e) {
            const NodeId d = dest[e];
            const double we = w[e & mask];
            if (d == c) {
              loop += we;
              continue;
            }
            s.sums.Add(d, we);
          }
        }
        std::uint32_t slot = 0;
        while (&scratch[slot] != &s) ++slot;
        row_slot[c] = slot;
        row_at[c] = s.targets.size();
        counts[c] = s.sums.size();
        double strength = loop;
        for (std::size_t j = 0; j < s.sums.size(); ++j) {
          s.targets.push_back(s.sums.key(j));
          s.weights.push_back(s.sums.sum(j));
          strength += s.sums.sum(j);
        }
        s.sums.End();
        out.loop[c] = loop;
        out.strength[c] = strength;
      },
      /*grain=*/16);
  for (double x : out.strength) out.two_m += x;  // every community's, kept or not
  // The rows to keep, in community order: all, or (kept_id given) those with an arc.
  std::vector<NodeId> rows;
  if (kept_id != nullptr) {
    kept_id->assign(k, kNoVertex);
    for (std::uint32_t c = 0; c < k; ++c) {
      if (counts[c] > 0) {
        (*kept_id)[c] = static_cast<NodeId>(rows.size());
        rows.push_back(c);
      }
    }
    std::vector<EdgeIndex> kept_counts(rows.size());
    std::vector<double> loop(rows.size()), strength(rows.size());
    ParallelFor(0, rows.size(), threads, [&](std::size_t i) {
      kept_counts[i] = counts[rows[i]];
      loop[i] = out.loop[rows[i]];
      strength[i] = out.strength[rows[i]];
    });
    counts = std::move(kept_counts);
    out.loop = std::move(loop);
    out.strength = std::move(strength);
  }
  PrefixSum(counts, out.owned.offsets, threads);
  // The two arrays are zero-filled (and their pages faulted in) by two threads at once (a
  // sequential 145 ms of Kronecker 20's level 0, about 9 % of its aggregation's CPU).
  const EdgeIndex arcs = out.owned.offsets.back();
  ParallelFor(
      0, 2, arcs >= (EdgeIndex{1} << 16) ? threads : 1,
      [&](std::size_t i) {
        if (i == 0) {
          out.owned.targets.resize(arcs);
        } else {
          out.owned.arc_weights.resize(arcs);
        }
      },
      /*grain=*/1);
  ParallelFor(0, counts.size(), threads, [&](std::size_t i) {
    const std::size_t c = kept_id != nullptr ? rows[i] : i;
    const Scratch& s = scratch[row_slot[c]];
    const NodeId* from = s.targets.data() + row_at[c];
    NodeId* to = out.owned.targets.data() + out.owned.offsets[i];
    if (kept_id != nullptr) {
      for (EdgeIndex j = 0; j < counts[i]; ++j) to[j] = (*kept_id)[from[j]];
    } else {
      std::copy_n(from, counts[i], to);
    }
    std::copy_n(s.weights.data() + row_at[c], counts[i],
                out.owned.arc_weights.data() + out.owned.offsets[i]);
  });
  return out;
}

}  // namespace polegraph::internal
