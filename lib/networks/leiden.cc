// Leiden community detection: Traag, Waltman, van Eck, "From Louvain to Leiden: guaranteeing
// well-connected communities", Scientific Reports 9, 5233 (2019).
//
// Each level: local moving (local_moving.cc; colour-synchronous, parallel, deterministic)
// from the current partition P; refinement of P (refine.cc) into well-connected
// sub-communities; aggregation of the *refined* partition, with each aggregate vertex starting
// the next level in the community of P that contains it. Stops when local moving leaves every
// vertex alone, when refinement merges nothing, or after max_levels. Refinement only merges a
// vertex into a sub-community it has an edge to, so the sub-communities are connected; as a
// last guard (a community of P can still fall apart when local moving takes a bridging
// aggregate out of it) every final community is split into its connected parts, which only
// raises modularity. Session 8: only the communities that lost a vertex at some level of the
// pass can have fallen apart, and they are split on the last level's graph, whose vertices
// are connected sets of input vertices (split.cc); a pass that refined from kept groups (see
// below) splits its level 0 as before. Same partitions as splitting every community of the
// input; the split fell from about 5 % of Leiden's CPU on LFR 10^6 to nothing measurable.
// Like the paper, the whole algorithm is repeated from its last partition
// (options.max_passes times at most) until a pass changes nothing. A pass after the first
// ends after its level-0 local moving when that moved at most n / 10^4 vertices: the last
// partition with those few moves (each one raised modularity) is final, without refining
// and aggregating the whole graph and the levels above again. On LFR graphs (10^4-10^6
// vertices, mu 0.3) that local moving moves 0-3 vertices, and the rest of the pass had
// raised Q by only 0.0002 (LFR 10^6: 0.669192 instead of 0.669428, igraph 0.669493) for a
// quarter of the run; on Kronecker graphs it moves about a tenth of the vertices (115 k on
// Kronecker 20), so the pass runs in full as before (it lifts Kronecker 20 from Q 0.0768 to
// 0.0812). Randomness (colouring and
// refinement orders: one seeded permutation per level, shared by both) is seeded by seed and
// level; level 0 (the input graph, its level graph, permutation and colouring) is built once
// and reused by every pass. Aggregation leaves out the refined communities without an edge to
// another (whole connected components, e.g. isolated vertices: they can never move again),
// so later levels do not carry them; their vertices get their own communities at the end of
// the pass (each such refined community is one whole component).
// Locality: after the first local moving, level 0 is renumbered by community (each
// community's vertices get consecutive ids; PermuteLevelGraph copies the graph once), so
// refinement and aggregation of level 0, the levels above (whose ids follow the smallest
// member) and every later pass read neighbouring vertices from nearby memory instead of all
// over the graph. The input's own ids only come back in the final labels. (With the other
// changes of session 5: about 15 % less CPU on Kronecker 20, a few per cent on LFR 10^6; see
// bench/HISTORY.md. Costs one more copy of the input graph.) Renumbering level 0 before the
// first local moving instead, in the order of two label-propagation rounds (session 7,
// branch order7-exp), was slower on LFR 10^6 (+6-38 % CPU) and no faster on Kronecker 20:
// with the schedule on the new ids, runs of 64 ids hold mutual neighbours and the block
// colouring splits into many more classes; with the input ids' schedule, local moving loses
// its run locality (see bench/HISTORY.md, "Session 7: Leiden level 0 ...").
// A later pass colours its level 0 with pass 1's classes mapped through the renumbering.
// Colouring it afresh on the renumbered graph (SeededOrder of the new ids; session 8, level8,
// after session 6's try) is still not worth it now that local moving evaluates the first sweep
// ahead: Kronecker 20's pass-2 level 0 (where evaluating ahead gives up) made the same number
// of evaluations (838 k) in 0.52 against 0.55 CPU s on one thread, and the colouring cost more
// (Leiden 6.25 against 6.10 CPU s); Q 0.081308 against 0.081307.
// A full later pass refines its level 0 from the previous pass's groups, not from singletons,
// when its level-0 local moving moved more than n / 100 vertices: a vertex that local moving
// left where it was keeps the vertex of the previous pass's last level it belonged to (a
// subset of its community, connected until some of its vertices moved away: the paper asks
// only that each aggregate vertex lie inside one community); the vertices that moved start
// alone and are merged by the usual rule (refine.cc). Level 1 is then small (Kronecker 20:
// 4.7 k vertices and 87 k arcs instead of 154 k and 30 M), and the levels above cost next to
// nothing. It gives up re-splitting the unchanged parts of the communities, which the second
// iteration of igraph and of the paper does: Kronecker 14 / 16 / 20 end at Q 0.109696 /
// 0.099336 / 0.081304 instead of 0.110158 / 0.099661 / 0.081662 (igraph 0.108738 / 0.098751 /
// 0.081796), for about a fifth less CPU on Kronecker 20. Few moves are different: on the
// person projection (bench graph 9) 86 of 23.8 k vertices move, and re-splitting every
// community from singletons is worth 0.0015 of Q there (0.820823, against 0.819371 with kept
// groups; igraph 0.821307), so a pass with at most n / 100 moves refines from singletons.
// Session 9 (tail9): pass 1's classes are renamed onto the renumbered level 0 by a stable
// counting sort of the new ids by class (RenameClasses) instead of mapping each class and
// sorting it (LFR 10^6: about 39 -> 6 ms of CPU); aggregation keeps its memory across levels
// and passes (AggregateBuffers, aggregate.cc). Same partitions.
// Session 10 (proj10): each level used to update every input vertex's vertex of the current
// level (node_of, and the left-out ones' numbers): O(n of the input) per level, and the
// person projection (bench graph 9) runs 18 levels over two passes. Now each level keeps its
// step up (StepUp: refined community, next-level vertex or left-out number, O(level size))
// and the pass composes them once at its end, from the last level down (ComposeDown): graph
// 9's per-level bookkeeping fell from 166-183 to 14-17 ms of process CPU at 2 threads, same
// partitions. The last pass's labels go to FinishPartition as already numbered (no copy, no
// second renumbering; graph 9 at 1 thread: 125-167 -> 98-110 ms).
// Tried in session 10 and dropped: level 0's renumbering with the vertices without edges (27 % of
// graph 9) after all the others (idea: denser per-vertex arrays at level 0 of both passes). The
// partition changed (graph 9 Q 0.823208 instead of 0.823196, Kronecker 20 0.081442 instead of
// 0.081307): the first pass's level-0 refinement (after the renumbering) visits order0 read as new
// ids, so any other renumbering changes its visiting order; and no phase got measurably faster
// (graph 9, 2 threads, load 8: refinement 692-704 against 714-788 ms, local moving the same), so it
// was not worth mapping the order through the change.
// Cost: O(m) per sweep plus O(m) refinement and aggregation per level.
#include <algorithm>
#include <atomic>

#include "networks/internal/aggregate_buffers.h"
#include "networks/internal/communities.h"
#include "networks/internal/multilevel.h"
#include "parallel/parallel.h"

namespace polegraph::internal {
namespace {

// A pass after the first ends after its level-0 local moving when that moved at most
// n / kSettledFraction vertices (see the top).
constexpr NodeId kSettledFraction = 10000;
// A pass after the first keeps the previous pass's groups in its level-0 refinement when its
// level-0 local moving moved more than n / kRegroupFraction vertices (see the top).
constexpr NodeId kRegroupFraction = 100;

// The renumbering of level 0 by community: communities in label order, each one's vertices
// in ascending id. comm holds labels 0..k-1. Sequential counting sort, O(n + k).
std::vector<NodeId> ByCommunity(const std::vector<NodeId>& comm, std::uint32_t k) {
  std::vector<NodeId> at(static_cast<std::size_t>(k) + 1, 0);
  for (NodeId c : comm) ++at[c + 1];
  for (std::uint32_t c = 0; c < k; ++c) at[c + 1] += at[c];
  std::vector<NodeId> perm(comm.size());
  for (std::size_t v = 0; v < comm.size(); ++v) perm[v] = at[comm[v]]++;
  return perm;
}

// The partition a later pass's level-0 refinement starts from (see the top): a vertex that
// level-0 local moving left in its community (`from`, the labels before it, equals `comm`)
// keeps the group `group[v]` it had at the previous pass's last level, the others (and
// left-out vertices, kNoVertex) start alone. Each group is labelled by its smallest kept
// vertex, as Refine's initial partition asks. Sequential, O(n + groups).
std::vector<NodeId> KeptGroups(const std::vector<NodeId>& from, const std::vector<NodeId>& comm,
                               const std::vector<NodeId>& group) {
  const std::size_t n = comm.size();
  NodeId groups = 0;
  for (NodeId x : group) {
    if (x != kNoVertex) groups = std::max(groups, x + 1);
  }
  std::vector<NodeId> label(groups, kNoVertex), initial(n);
  for (std::size_t v = 0; v < n; ++v) {
    initial[v] = static_cast<NodeId>(v);
    if (from[v] != comm[v] || group[v] == kNoVertex) continue;
    NodeId& l = label[group[v]];
    if (l == kNoVertex) l = static_cast<NodeId>(v);
    initial[v] = l;
  }
  return initial;
}

// The colour classes under the renumbering perm (new id perm[v]), each in ascending new id:
// the new ids in ascending order bucketed by their vertex's class, a stable counting sort over
// blocks of ids (the same classes whatever the blocks; no comparison sort of each class, which
// cost about 40 ms of CPU on LFR 10^6). O(n + classes x blocks), parallel.
std::vector<std::vector<NodeId>> RenameClasses(const std::vector<std::vector<NodeId>>& classes,
                                               const std::vector<NodeId>& perm, int threads) {
  const std::size_t n = perm.size(), count = classes.size();
  std::vector<NodeId> class_of(n, kNoVertex);  // new id -> its class (kNoVertex: in none)
  ParallelForDynamic(
      0, count, threads,
      [&](std::size_t c) {
        for (NodeId v : classes[c]) class_of[perm[v]] = static_cast<NodeId>(c);
      },
      /*grain=*/1);
  const int blocks = ThreadsFor(n, threads, std::size_t{1} << 16);
  // at[b * count + c]: where block b's members of class c go.
  std::vector<std::size_t> at(static_cast<std::size_t>(blocks) * count, 0);
  ParallelBlocks(n, blocks, [&](int b, std::size_t lo, std::size_t hi) {
    std::size_t* mine = at.data() + static_cast<std::size_t>(b) * count;
    for (std::size_t i = lo; i < hi; ++i) {
      if (class_of[i] != kNoVertex) ++mine[class_of[i]];
    }
  });
  std::vector<std::vector<NodeId>> out(count);
  for (std::size_t c = 0; c < count; ++c) {
    std::size_t total = 0;
    for (int b = 0; b < blocks; ++b) {
      const std::size_t x = at[static_cast<std::size_t>(b) * count + c];
      at[static_cast<std::size_t>(b) * count + c] = total;
      total += x;
    }
    out[c].resize(total);
  }
  ParallelBlocks(n, blocks, [&](int b, std::size_t lo, std::size_t hi) {
    std::size_t* mine = at.data() + static_cast<std::size_t>(b) * count;
    for (std::size_t i = lo; i < hi; ++i) {
      const NodeId c = class_of[i];
      if (c != kNoVertex) out[c][mine[c]++] = static_cast<NodeId>(i);
    }
  });
  return out;
}

// One level's step up to the next: refined[u] is level vertex u's refined community, kept[r]
// that community's vertex on the next level, or kNoVertex when it was left out (a whole
// connected component), and then gone[r] numbers it among the communities the pass left out.
struct StepUp {
  std::vector<NodeId> refined, kept, gone;
};

// Labels of the last level's vertices (top) carried down the steps to level 0's vertices; a
// vertex left out on the way gets left(its gone number). Parallel, O(sum of the level sizes):
// once per pass, instead of updating every input vertex's vertex at every level.
template <typename Left>
std::vector<NodeId> ComposeDown(const std::vector<StepUp>& steps, std::vector<NodeId> top,
                                Left left, int threads) {
  for (std::size_t l = steps.size(); l-- > 0;) {
    const StepUp& s = steps[l];
    std::vector<NodeId> below(s.refined.size());
    ParallelFor(0, below.size(), threads, [&](std::size_t u) {
      const NodeId r = s.refined[u];
      below[u] = s.kept[r] == kNoVertex ? left(s.gone[r]) : top[s.kept[r]];
    });
    top = std::move(below);
  }
  return top;
}

}  // namespace

absl::StatusOr<Partition> Leiden(const WeightedGraph& graph, const CommunityOptions& options,
                                 const QueryContext& ctx) {
  const NodeId n = graph.num_nodes();
  const int threads = ctx.threads;
  const LevelGraph lg0 = MakeLevelGraph(graph, threads);
  const std::vector<NodeId> order0 = SeededOrder(n, Mix64(options.seed), threads);
  const std::vector<std::vector<NodeId>> classes0 =
      ColourClasses(lg0.g(), order0, ClassCap(n), threads);
  // After the first local moving, level 0 is renumbered by community (see the top): perm[v] is
  // vertex v's id there, and lgp, order0p and classes0p are level 0's graph, order and colour
  // classes under the new ids.
  bool permuted = false;
  std::vector<NodeId> perm;
  LevelGraph lgp;
  std::vector<NodeId> order0p;
  std::vector<std::vector<NodeId>> classes0p;
  std::vector<NodeId> start(n);  // the partition a pass starts from
  for (NodeId v = 0; v < n; ++v) start[v] = v;
  int levels = 0;
  bool settled = false;  // a later pass's level-0 local moving moved (almost) nothing
  // The previous pass's last-level vertex of each level-0 vertex (kNoVertex: left out; empty
  // before the first pass ends).
  std::vector<NodeId> last_top;
  AggregateBuffers buffers(threads);  // kept across levels and passes
  for (int pass = 0; pass < options.max_passes && !settled; ++pass) {
    const LevelGraph* lg = permuted ? &lgp : &lg0;
    LevelGraph aggregated;
    std::vector<NodeId> comm(n);  // the partition P of the current level's vertices
    if (permuted) {
      ParallelFor(0, n, threads, [&](std::size_t v) { comm[perm[v]] = start[v]; });
    } else {
      comm = start;
    }
    // How each level's vertices map to the next level's (see StepUp), composed at the end.
    std::vector<StepUp> steps;
    // A later pass's level-0 refinement keeps the previous pass's groups (see the top).
    const bool keep_groups = pass > 0 && permuted && !last_top.empty();
    // The final split (split.cc): suspect[c] marks the communities of the current level that
    // may be disconnected (those that lost a vertex at some level of this pass; the pass
    // starts from connected ones), ncomm bounds comm's labels. loose: the level's vertices
    // need not be connected (kept groups), so the split runs on level 0 instead.
    std::vector<std::uint8_t> suspect(n, 0);
    std::uint32_t ncomm = n;
    bool loose = false;
    // The refined communities left out so far in this pass (see StepUp).
    NodeId left_count = 0;
    // Renumbers `labels` (community labels of comm's label space) and carries the marks along.
    auto renumber_carrying = [&](std::vector<NodeId>& labels) {
      std::vector<NodeId> relabel;
      ncomm = RenumberMap(labels, relabel);
      std::vector<std::uint8_t> next(ncomm, 0);
      for (std::size_t l = 0; l < relabel.size(); ++l) {
        if (relabel[l] != kNoVertex) next[relabel[l]] = suspect[l];
      }
      suspect = std::move(next);
      return ncomm;
    };
    for (int level = 0; level < options.max_levels; ++level) {
      const NodeId size = lg->g().num_nodes();
      const std::vector<NodeId> from = comm;  // the partition before local moving
      std::vector<NodeId> order;
      std::vector<std::vector<NodeId>> classes;
      if (level > 0) {
        order = SeededOrder(size, Mix64(options.seed + static_cast<std::uint64_t>(level)), threads);
        classes = ColourClasses(lg->g(), order, ClassCap(size), threads);
      }
      const std::vector<NodeId>& ord = level > 0 ? order : permuted ? order0p : order0;
      absl::StatusOr<std::uint64_t> moved =
          LocalMoving(*lg,
                      level > 0  ? classes
                      : permuted ? classes0p
                                 : classes0,
                      options.resolution, options.max_sweeps, comm, ctx);
      if (!moved.ok()) return moved.status();
      ++levels;
      std::vector<NodeId> initial;  // refinement's start (empty: singletons)
      if (level == 0 && keep_groups && *moved > n / kRegroupFraction) {
        initial = KeptGroups(from, comm, last_top);
        loose = true;
      }
      // The communities that lost a vertex may have fallen apart (split.cc).
      ParallelFor(0, size, threads, [&](std::size_t v) {
        if (from[v] != comm[v]) {
          std::atomic_ref<std::uint8_t>(suspect[from[v]]).store(1, std::memory_order_relaxed);
        }
      });
      const std::uint32_t k = renumber_carrying(comm);
      if (k == size) break;
      // A later pass whose first local moving hardly moved anything ends here (see the top).
      if (pass > 0 && level == 0 && *moved <= n / kSettledFraction) {
        settled = true;
        break;
      }
      if (level == 0 && !permuted) {
        perm = ByCommunity(comm, k);
        lgp = PermuteLevelGraph(lg0, perm, threads);
        order0p.resize(n);
        ParallelFor(0, n, threads, [&](std::size_t i) { order0p[i] = perm[order0[i]]; });
        classes0p = RenameClasses(classes0, perm, threads);
        std::vector<NodeId> comm_p(n);
        ParallelFor(0, n, threads, [&](std::size_t v) { comm_p[perm[v]] = comm[v]; });
        comm = std::move(comm_p);  // still numbered by smallest vertex
        lg = &lgp;
        permuted = true;
      }
      std::vector<NodeId> refined = Refine(*lg, comm, options.resolution, ord, initial, threads);
      const std::uint32_t kr = Renumber(refined);
      if (kr == size) break;  // refinement merged nothing: P is final
      if (absl::Status s = ctx.Check(); !s.ok()) return s;
      std::vector<NodeId> kept;  // refined community -> vertex of the next level, or kNoVertex
      LevelGraph next = Aggregate(*lg, refined, kr, threads, &kept, &buffers);
      std::vector<NodeId> next_comm(next.g().num_nodes());
      // Members of one refined community share comm: the writes agree whoever wins.
      ParallelFor(0, size, threads, [&](std::size_t v) {
        const NodeId r = kept[refined[v]];
        if (r != kNoVertex) {
          std::atomic_ref<NodeId>(next_comm[r]).store(comm[v], std::memory_order_relaxed);
        }
      });
      renumber_carrying(next_comm);  // ids below the next level's size
      // A left-out refined community is a whole connected component: it gets its own label
      // at the end of the pass.
      std::vector<NodeId> gone(kr, kNoVertex);  // left-out refined community -> its number
      for (std::uint32_t r = 0; r < kr; ++r) {
        if (kept[r] == kNoVertex) gone[r] = left_count++;
      }
      steps.push_back({std::move(refined), std::move(kept), std::move(gone)});
      buffers.Recycle(std::move(aggregated));
      aggregated = std::move(next);
      lg = &aggregated;
      comm = std::move(next_comm);
    }
    const NodeId last_size = lg->g().num_nodes();
    // Each input vertex's level-0 vertex (perm, or itself) -> its final label.
    std::vector<NodeId> final_comm(n);
    auto from_level0 = [&](const std::vector<NodeId>& label0) {
      ParallelFor(0, n, threads, [&](std::size_t v) {
        final_comm[v] = label0[permuted ? perm[v] : static_cast<NodeId>(v)];
      });
    };
    if (!loose) {  // split the last level's suspect communities (split.cc)
      const std::uint32_t parts = SplitSuspects(lg->g(), comm, ncomm, suspect, threads);
      from_level0(ComposeDown(
          steps, std::move(comm), [parts](NodeId g) { return parts + g; }, threads));
      Renumber(final_comm);
    } else if (permuted) {  // split on the renumbered graph (nearby memory), then input ids
      std::vector<NodeId> split = ComposeDown(
          steps, std::move(comm), [](NodeId) { return NodeId{0}; }, threads);
      SplitDisconnected(lgp.g(), split, threads);
      from_level0(split);
      Renumber(final_comm);
    } else {  // unreachable: kept groups need a renumbered level 0
      from_level0(ComposeDown(
          steps, std::move(comm), [](NodeId) { return NodeId{0}; }, threads));
      SplitDisconnected(graph, final_comm, threads);
    }
    buffers.Recycle(std::move(aggregated));
    if (pass + 1 < options.max_passes) {  // the next pass may keep this one's groups
      std::vector<NodeId> top(last_size);
      for (NodeId x = 0; x < last_size; ++x) top[x] = x;
      last_top = ComposeDown(
          steps, std::move(top), [](NodeId) { return kNoVertex; }, threads);
    }
    const bool stable = final_comm == start;
    start = std::move(final_comm);
    if (stable) break;
  }
  // start is numbered by smallest vertex: the identity, or a pass's Renumber()ed labels.
  return FinishPartition(graph, std::move(start), options.resolution, levels, threads, lg0.strength,
                         lg0.unit_weights, /*renumbered=*/true);
}

}  // namespace polegraph::internal
