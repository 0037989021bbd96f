// Aggregation of the multilevel algorithms: one vertex per community, the weight between two
// communities the sum of the edge weights between their members, and each community's
// internal weight (over ordered pairs, plus its members' own loops) as its self-loop.
// Parallel over communities: members are taken in ascending id and their arcs in adjacency
// order, summed per neighbour community in a per-thread KeySums (internal/key_sums.h: a small
// cache-resident table, or a dense array for communities with over 64 arcs), so every sum is
// formed in the same order at any thread count. A community's row lists its neighbour
// communities in order of first touch (deterministic for the same reason; no sort). Rows are
// appended to per-thread blocks, then copied into the CSR at offsets from a prefix sum of
// the row lengths (no per-row allocation). Session 9 (tail9): the blocks, the KeySums and the
// arrays of finished levels live in an AggregateBuffers that the caller keeps for the whole
// run (internal/aggregate_buffers.h), and a fresh output array has its pages faulted in by
// all threads (internal/prefault.h); before, every level grew fresh per-thread vectors by
// doubling (each step a new mapping, faulted in, and a copy) and faulted in a fresh output.
// On LFR 10^6 (Leiden, 2 threads, a temporary per-phase trace) aggregation's process CPU went
// from 395 / 141 / 93 ms at levels 0 / 1 / 2 to 339-350 / 95 / 36 ms, and the whole run's
// minor faults from 198-230 k to 144 k (Kronecker 20: 511-523 k to 366-372 k). Same arrays.
// Peak memory (max RSS of the driver): LFR 10^6 571 -> 551 MB, Kronecker 20 1360 -> 1438 MB
// (+6 %: level 1's rows go to level 0's blocks, all still held while they are written; the
// blocks a level did not use are freed before its output is allocated, and a spare array over
// 4x the size needed is dropped, which had been +10 %).
// Leiden asks to leave out the communities without an edge to another (whole connected
// components, on Kronecker graphs mostly the isolated vertices): they can never move again,
// and carrying them made every later level pay for them (Kronecker 20: about 403 k of the
// 558 k level-1 vertices).
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
// A community without arcs (an isolated vertex: 27 % of bench graph 9's vertices, each its
// own community at level 0) skips the sums and the row storage (session 10; same arrays).
// Cost: O(n + m); per thread a small table (k entries once a large community needs them) and
// its share of the arcs.
#include <algorithm>
#include <type_traits>

#include "networks/internal/aggregate_buffers.h"
#include "networks/internal/key_sums.h"
#include "networks/internal/multilevel.h"
#include "networks/internal/prefault.h"
#include "parallel/parallel.h"

namespace polegraph::internal {

LevelGraph Aggregate(const LevelGraph& lg, const std::vector<NodeId>& comm, std::uint32_t k,
                     int threads, std::vector<NodeId>* kept_id) {
  return Aggregate(lg, comm, k, threads, kept_id, nullptr);
}

LevelGraph Aggregate(const LevelGraph& lg, const std::vector<NodeId>& comm, std::uint32_t k,
                     int threads, std::vector<NodeId>* kept_id, AggregateBuffers* buffers) {
  if (buffers == nullptr || buffers->slots_.size() < static_cast<std::size_t>(threads)) {
    AggregateBuffers own(threads);  // one slot per thread is needed
    return Aggregate(lg, comm, k, threads, kept_id, &own);
  }
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
  // Every weight 1.0 (the level may have no weight array, see LevelGraph): each arc's weight
  // is then read from `one` (mask 0) instead of the weight array (mask all ones), without a
  // branch per arc.
  static constexpr double kOne = 1.0;
  const bool unit = lg.unit_weights;
  const std::size_t mask = unit ? 0 : ~std::size_t{0};
  using Slot = AggregateBuffers::Slot;
  using Block = AggregateBuffers::Block;
  PerThread<Slot>& scratch = buffers->slots_;
  for (std::size_t t = 0; t < scratch.size(); ++t) {
    scratch[t].current = 0;
    for (Block& b : scratch[t].blocks) b.used = 0;
  }
  // Where community c's row is (in a block of some thread's slot).
  std::vector<const NodeId*> row_targets(k);
  std::vector<const double*> row_weights(k);
  std::vector<EdgeIndex> counts(k);
  ParallelForDynamic(
      0, k, threads,
      [&](std::size_t c) {
        Slot& s = scratch.local();
        std::size_t arcs = 0;  // bounds the row's length
        for (EdgeIndex i = start[c]; i < start[c + 1]; ++i) arcs += g.degree(members[i]);
        double loop = 0.0;
        if (arcs == 0) {  // an empty row (e.g. an isolated vertex): no sums to set up
          for (EdgeIndex i = start[c]; i < start[c + 1]; ++i) loop += lg.loop[members[i]];
          counts[c] = 0;
          out.loop[c] = loop;
          out.strength[c] = loop;
          return;
        }
        s.sums.Begin(arcs, k);
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
        const std::size_t len = s.sums.size();
        if (s.blocks.empty() || s.blocks[s.current].used + len > s.blocks[s.current].capacity) {
          if (!s.blocks.empty()) ++s.current;
          if (s.current == s.blocks.size()) s.blocks.emplace_back();
          Block& b = s.blocks[s.current];
          b.used = 0;
          if (b.capacity < len) {  // default-initialised: first written by the rows
            b.capacity = std::max(buffers->block_, len);
            b.targets.reset(new NodeId[b.capacity]);
            b.weights.reset(new double[b.capacity]);
          }
        }
        Block& b = s.blocks[s.current];
        NodeId* to_t = b.targets.get() + b.used;
        double* to_w = b.weights.get() + b.used;
        row_targets[c] = to_t;
        row_weights[c] = to_w;
        b.used += len;
        counts[c] = len;
        double strength = loop;
        for (std::size_t j = 0; j < len; ++j) {
          to_t[j] = s.sums.key(j);
          to_w[j] = s.sums.sum(j);
          strength += s.sums.sum(j);
        }
        s.sums.End();
        out.loop[c] = loop;
        out.strength[c] = strength;
      },
      /*grain=*/16);
  for (double x : out.strength) out.two_m += x;  // every community's, kept or not
  // The blocks this level did not need are freed before the output is allocated (levels
  // shrink: holding an earlier level's rows would raise the peak memory).
  for (std::size_t t = 0; t < scratch.size(); ++t) {
    std::vector<Block>& blocks = scratch[t].blocks;
    if (blocks.size() > scratch[t].current + 1) blocks.resize(scratch[t].current + 1);
  }
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
  // The output arrays: a recycled level's when large enough (already faulted in; resizing
  // keeps its old contents, overwritten below), else fresh ones, zero-filled (and their
  // pages faulted in) by two threads at once (a sequential 145 ms of Kronecker 20's level 0,
  // about 9 % of its aggregation's CPU).
  const EdgeIndex arcs = out.owned.offsets.back();
  // A spare array over kMaxSpareRatio times the size needed is freed instead (it would hold
  // an early level's memory for the rest of the run).
  constexpr std::size_t kMaxSpareRatio = 4;
  auto take = [&](auto& spare, auto& to) {
    if (spare.capacity() >= arcs && spare.capacity() <= kMaxSpareRatio * arcs) {
      to = std::move(spare);
    }
    std::remove_reference_t<decltype(spare)>().swap(spare);
  };
  take(buffers->spare_targets_, out.owned.targets);
  take(buffers->spare_weights_, out.owned.arc_weights);
  // A fresh array's pages are faulted in by all threads first (prefault.h).
  if (out.owned.targets.capacity() < arcs) {
    out.owned.targets.reserve(arcs);
    PopulatePages(out.owned.targets.data(), arcs * sizeof(NodeId), threads);
  }
  if (out.owned.arc_weights.capacity() < arcs) {
    out.owned.arc_weights.reserve(arcs);
    PopulatePages(out.owned.arc_weights.data(), arcs * sizeof(double), threads);
  }
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
    const NodeId* from = row_targets[c];
    NodeId* to = out.owned.targets.data() + out.owned.offsets[i];
    if (kept_id != nullptr) {
      for (EdgeIndex j = 0; j < counts[i]; ++j) to[j] = (*kept_id)[from[j]];
    } else {
      std::copy_n(from, counts[i], to);
    }
    std::copy_n(row_weights[c], counts[i], out.owned.arc_weights.data() + out.owned.offsets[i]);
  });
  return out;
}

}  // namespace polegraph::internal
