// Local moving of the Louvain and Leiden algorithms, made parallel and deterministic by
// colour-synchronous scheduling.
//
// Moving vertex v (strength k_v) out of its community into community c changes modularity by
// (2 / 2m) * [k_{v,c} - gamma k_v tot_c / 2m] - (the same for its own community without v),
// where k_{v,c} is the weight of v's edges into c and tot_c the strength of c. Each sweep
// visits the colour classes in order (no two vertices of a class are neighbours, so their
// choices do not interact through edges). Within a class every vertex computes its best
// community in parallel from the state as it stood before the class, and the moves are then
// applied sequentially in the class's vertex order, updating tot; a move whose gain no longer
// holds against tot as updated by the earlier moves of the class is dropped, so every applied
// move raises modularity and local moving cannot cycle. The result depends only on the graph,
// the colouring and the start partition, never on the thread count. Ties prefer staying, then
// the smallest community id. The multilevel algorithms' colourings cap a class at about n / 256
// vertices (ClassCap): blocks of a seeded order of runs of 64 ids (level_graph.cc), so a sweep
// approximates a sequential sweep in that order and a class reads whole runs from consecutive
// memory. Pruning (Ozaki, Tezuka, Inaba 2016): a vertex is evaluated again only once
// neighbours holding kReactivate of its strength, or kMarginShare of the margin by which it
// chose to stay, have moved (summed in fixed point, so the flags do not depend on the order of
// the additions); a move reactivates only the neighbours outside the community it joined, as
// in Traag et al.'s queue. Each class is evaluated from a compact list of its active vertices,
// on the team (parallel/work_team.h, one per call) once they hold kMinParallelClassArcs arcs;
// the movers' neighbours are reactivated on the team above kMinParallelArcs. Vertices of degree
// up to 64 sum their weights per community in a small table, the others in a dense array. From
// a start that is not all singletons the first sweep is evaluated ahead in vertex order
// (internal/sweep_ahead.h) and a class re-evaluates only what earlier moves made stale.
// Session 10 (lm10): an evaluation task prefetches a few vertices ahead their first arcs, their
// neighbours' communities and then tot of those (small degrees only): graph 9's level 0 is a
// chain of three dependent misses per arc with 4-6 arcs a vertex (1 thread: local moving's CPU
// about -0.4 s of 2.3 s; LFR 10^6 about -0.3 s; Kronecker 20 the same).
// History, measurements and dead ends of sessions 5-10 (the arc-count team rule, the table
// path, the run order, huge pages, the evaluation ahead, the one team per call, the calling
// thread's serial part, and what was tried and dropped): bench/README.md, "Session 10: Leiden
// local moving (lm10)". Read it before trying something here.
// (Lu, Halappanavar, Kalyanaraman, "Parallel heuristics for scalable community detection",
// Parallel Computing 2015, schedule local moving by colouring the same way.)
// Cost: O(m) per sweep; per thread a small table, and an array of n doubles once a vertex of
// degree over 64 is evaluated.
#include <algorithm>
#include <atomic>
#include <bit>

#include "graph/prefetch.h"
#include "networks/internal/huge_pages.h"
#include "networks/internal/multilevel.h"
#include "networks/internal/sweep_ahead.h"
#include "parallel/parallel.h"
#include "parallel/work_team.h"

namespace polegraph::internal {
namespace {

// A class is evaluated on the team once its active vertices have this many arcs between them
// (arcs, not vertices: an aggregated level's class of a few hundred vertices can hold 10^5).
constexpr std::size_t kMinParallelClassArcs = 8192;
// An evaluation task holds about this many arcs (at most kChunk vertices), so a few hubs do not
// leave one thread with most of a class.
constexpr std::size_t kChunkArcs = 2048;
// Activation runs on the team once the moves of a class have this many arcs between them.
constexpr std::size_t kMinParallelArcs = 16384;
// A vertex is evaluated again once neighbours holding this fraction of its strength have
// moved since its last evaluation (any one neighbour for most vertices of an unweighted graph:
// only vertices of degree over 100 wait for more).
constexpr double kReactivate = 0.01;
// The moved weight is summed in fixed point, as a fraction of the vertex's strength in units
// of 2^-32: integer sums do not depend on the order the moves are added in, so activation can
// run in parallel and still decide the same at any thread count.
constexpr double kFixedOne = 4294967296.0;
constexpr std::uint64_t kReactivateFixed = static_cast<std::uint64_t>(kReactivate * kFixedOne);
// A vertex that chose to stay, with its own community ahead of every other candidate by a
// margin M (in the units of the gain k_{v,c} - gamma k_v tot_c / 2m; the empty community,
// gain 0, counts as a candidate), waits until neighbours holding kMarginShare M of weight have
// moved: a neighbour of weight w moving from A to B changes v's gains for A and B by at most w
// each (the tot terms only shrink the change), so less moved weight cannot have closed the
// margin. (Moves of non-neighbours change tot of v's own community too; pruning ignores them
// like Ozaki et al.'s.)
constexpr double kMarginShare = 0.5;

// Vertices up to this degree sum their weights per neighbouring community in a small
// open-addressing table (a few KB, cache-resident); the others in a dense array of n doubles,
// whose entries are spread over megabytes on large graphs. Either way the sums are formed in
// arc order and the choice does not depend on the scan order (ties go to the smallest id), so
// the result is the same.
constexpr std::size_t kTableMaxDegree = 64;
constexpr NodeId kEmpty = ~NodeId{0};

struct Scratch {
  HugeArray<double> acc;        // dense sums (high-degree vertices), zero between uses
  std::vector<NodeId> touched;  // communities of acc in order of first touch
  std::vector<NodeId> keys;     // the table: community, or kEmpty
  std::vector<double> vals;
  std::vector<std::uint32_t> slots;  // filled slots of the table
  std::vector<NodeId> cs;            // the evaluated vertex's neighbours' communities
  std::vector<double> tots;          // tot of its candidate communities
};

constexpr std::size_t kChunk = 64;  // positions per task of the parallel loops
// The sequential apply step fetches tot of the moves this many positions ahead.
constexpr std::size_t kApplyAhead = 8;
// Building the class's list of active vertices fetches their flags and degrees this far ahead.
constexpr std::size_t kScanAhead = 48;
// An evaluation task prefetches, kArcsAhead positions ahead, the first arcs of the vertex
// there; kCommAhead positions ahead, its neighbours' communities; kTotAhead positions ahead,
// tot of those communities (the last two for vertices of degree up to kPrefetchMaxDegree).
constexpr std::size_t kArcsAhead = 12;
constexpr std::size_t kCommAhead = 4;
constexpr std::size_t kTotAhead = 2;
constexpr std::size_t kPrefetchMaxDegree = 16;

}  // namespace

absl::StatusOr<std::uint64_t> LocalMoving(const LevelGraph& lg,
                                          const std::vector<std::vector<NodeId>>& classes,
                                          double resolution, int max_sweeps,
                                          std::vector<NodeId>& comm_io, const QueryContext& ctx,
                                          bool evaluate_ahead) {
  const WeightedGraph& g = lg.g();
  const NodeId n = g.num_nodes();
  const int threads = ctx.threads;
  if (n == 0 || lg.two_m <= 0.0) return std::uint64_t{0};
  // The arrays read at random are in 2 MB pages (internal/huge_pages.h), the partition a
  // copy of comm_io, written back at the end.
  HugeArray<NodeId> comm(n);
  std::copy(comm_io.begin(), comm_io.end(), comm.data());
  HugeArray<double> tot(n);
  for (NodeId v = 0; v < n; ++v) tot[comm[v]] += lg.strength[v];
  const double scale = resolution / lg.two_m;
  const bool unit = lg.unit_weights;
  PerThread<Scratch> scratch(threads);
  // Each evaluated vertex's choice, by position in the class's active list (read back in that
  // order): its best community and its weights into it and into its own community, for the
  // check at apply time.
  // Everything the sequential apply step reads about v is here, so it reads this array in
  // order and touches only tot (and comm, active of the movers) at random.
  using Choice = MoveChoice;
  std::vector<Choice> choice;
  // Pruning: a vertex is evaluated only while it or a neighbour has moved since its last
  // evaluation (all vertices in the first sweep). One flag per vertex: evaluating clears it,
  // a move sets it on the vertex and on the neighbours it reactivates; a flag set on a vertex
  // whose class is still to come in this sweep is served in this sweep, otherwise in the next.
  HugeArray<std::uint8_t> active(n);
  std::fill_n(active.data(), n, std::uint8_t{1});
  // Fixed-point weight of v's edges to neighbours that moved since v's last evaluation.
  HugeArray<std::uint64_t> moved_weight(n);
  // The moved weight at which v is evaluated again, in the same fixed point: kReactivate, or
  // kMarginShare of v's margin at its last evaluation if that is more (capped at 2^32 - 1,
  // i.e. all of v's strength).
  HugeArray<std::uint32_t> wait(n);
  std::fill_n(wait.data(), n, static_cast<std::uint32_t>(kReactivateFixed));
  std::vector<NodeId> act, movers;  // the class's active vertices; those of them that moved
  std::vector<std::uint32_t> todo;  // in the first sweep evaluated ahead: act's stale entries
  std::uint64_t moved_total = 0;
  // Reactivates the neighbours of a vertex v that moved into community c, except those in c
  // (v's move only binds them closer; Traag et al.'s queue skips them the same way).
  auto reactivate = [&](NodeId v, NodeId c) {
    auto adj = g.neighbours(v);
    const double* wv = unit ? nullptr : g.weights(v).data();
    for (std::size_t e = 0; e < adj.size(); ++e) {
      const NodeId u = adj[e];
      std::atomic_ref<std::uint8_t> flag(active[u]);
      if (comm[u] == c || flag.load(std::memory_order_relaxed) != 0) continue;
      const double we = unit ? 1.0 : wv[e];
      const auto add = static_cast<std::uint64_t>(we / lg.strength[u] * kFixedOne);
      const std::uint64_t need = wait[u];
      if (add < need && FetchAdd(moved_weight[u], add) + add < need) continue;
      flag.store(1, std::memory_order_relaxed);
    }
  };
  // Evaluates v against the state before its class: returns its best community, and sets the
  // moved weight it waits for (wait). Clears its flag and moved weight.
  auto evaluate = [&](Scratch& s, NodeId v) -> Choice {
    moved_weight[v] = 0;
    active[v] = 0;
    const NodeId own = comm[v];
    auto adj = g.neighbours(v);
    const double* w = unit ? nullptr : g.weights(v).data();
    auto weight = [&](std::size_t e) { return unit ? 1.0 : w[e]; };
    const double kv = lg.strength[v];
    double own_k = 0.0;
    NodeId best_c = own;
    double best_k = 0.0;
    double best_gain = 0.0;
    double other_gain = 0.0;  // the best gain of another community (0: the empty one)
    auto score = [&](NodeId c, double k, double tot_c) {
      const double gain = k - scale * kv * tot_c;
      other_gain = std::max(other_gain, gain);
      if (gain > best_gain || (gain == best_gain && best_c != own && c < best_c)) {
        best_gain = gain;
        best_c = c;
        best_k = k;
      }
    };
    // The neighbours' communities are gathered first, in a loop without branches, so their
    // cache misses overlap; a branch on each one as it arrives (own community or not, which
    // the predictor cannot guess) would make the processor wait for them one by one. Likewise
    // tot of the candidates before they are compared. Same sums in the same order either way.
    const std::size_t d = adj.size();
    if (s.cs.size() < d) s.cs.resize(d);
    NodeId* cs = s.cs.data();
    for (std::size_t e = 0; e < d; ++e) cs[e] = comm[adj[e]];
    if (d <= kTableMaxDegree) {
      const std::size_t cap = std::bit_ceil(std::max<std::size_t>(16, 2 * d));
      const int shift = 64 - std::countr_zero(cap);
      if (s.keys.size() < cap) {
        s.keys.resize(cap);
        s.vals.resize(cap);
      }
      std::fill_n(s.keys.begin(), cap, kEmpty);
      s.slots.clear();
      for (std::size_t e = 0; e < d; ++e) {
        const NodeId c = cs[e];
        if (c == own) {
          own_k += weight(e);
          continue;
        }
        std::size_t h = (c * 0x9e3779b97f4a7c15ULL) >> shift;
        while (s.keys[h] != c && s.keys[h] != kEmpty) h = (h + 1) & (cap - 1);
        if (s.keys[h] == kEmpty) {
          s.keys[h] = c;
          s.vals[h] = weight(e);
          s.slots.push_back(static_cast<std::uint32_t>(h));
        } else {
          s.vals[h] += weight(e);
        }
      }
      const std::size_t k = s.slots.size();
      if (s.tots.size() < k + 1) s.tots.resize(k + 1);
      for (std::size_t j = 0; j < k; ++j) s.tots[j] = tot[s.keys[s.slots[j]]];
      best_k = own_k;
      best_gain = own_k - scale * kv * (tot[own] - kv);
      for (std::size_t j = 0; j < k; ++j) {
        score(s.keys[s.slots[j]], s.vals[s.slots[j]], s.tots[j]);
      }
    } else {
      // Without a branch per arc (whether c is new, whether it is v's own community: neither
      // is predictable): own's weights are summed in acc like the others' (the same additions
      // in the same order as a separate sum), and own is skipped when the candidates are
      // scored. (Session 8.)
      if (s.acc.size() < n) s.acc = HugeArray<double>(n);
      if (s.touched.size() < d) s.touched.resize(d);
      NodeId* touched = s.touched.data();
      std::size_t k = 0;
      for (std::size_t e = 0; e < d; ++e) {
        const NodeId c = cs[e];
        touched[k] = c;
        k += s.acc[c] == 0.0;
        s.acc[c] += weight(e);
      }
      own_k = s.acc[own];
      if (s.tots.size() < k + 1) s.tots.resize(k + 1);
      for (std::size_t j = 0; j < k; ++j) s.tots[j] = tot[touched[j]];
      best_k = own_k;
      best_gain = own_k - scale * kv * (tot[own] - kv);
      for (std::size_t j = 0; j < k; ++j) {  // one pass: score and clear
        const NodeId c = touched[j];
        if (c != own) score(c, s.acc[c], s.tots[j]);
        s.acc[c] = 0.0;
      }
    }
    // A vertex that moves (or whose move is dropped) is active again anyway; one that stays
    // waits for kMarginShare of its margin (at least kReactivate of its strength).
    double wait_share = kReactivate;
    if (best_c == own && kv > 0.0) {
      const double own_gain = own_k - scale * kv * (tot[own] - kv);
      wait_share = std::max(wait_share, kMarginShare * (own_gain - other_gain) / kv);
    }
    wait[v] =
        wait_share >= 1.0 ? ~std::uint32_t{0} : static_cast<std::uint32_t>(wait_share * kFixedOne);
    return {own, best_c, static_cast<std::uint32_t>(adj.size()), kv, best_k, own_k};
  };
  // Prefetching for an evaluation a few positions ahead (session 10; see the top): the vertex's
  // strength, community and first arcs, then its neighbours' communities, then (once those are in the cache) tot of
  // the communities. A chain of three dependent misses per arc otherwise stalls a vertex of
  // small degree, whose few arcs give the processor little else to overlap.
  auto prefetch_arcs = [&](NodeId v) {
    PrefetchLine(&lg.strength[v]);
    PrefetchLine(&comm[v]);
    const EdgeIndex e = g.offsets[v], end = g.offsets[v + 1];
    const EdgeIndex last = end > e ? end - 1 : e;  // the vertices evaluated have edges
    PrefetchLine(g.targets.data() + e);
    PrefetchLine(g.targets.data() + last);
    if (!unit) {
      PrefetchLine(g.arc_weights.data() + e);
      PrefetchLine(g.arc_weights.data() + last);
    }
  };
  auto prefetch_comm = [&](NodeId v) {
    const auto adj = g.neighbours(v);
    if (adj.size() > kPrefetchMaxDegree) return;
    for (NodeId u : adj) PrefetchLine(&comm[u]);
  };
  auto prefetch_tot = [&](NodeId v) {
    const auto adj = g.neighbours(v);
    if (adj.size() > kPrefetchMaxDegree) return;
    for (NodeId u : adj) PrefetchLine(&tot[comm[u]]);
  };
  // The first sweep from a start that is not all singletons is evaluated ahead (see the top).
  SweepAhead ahead_sweep;
  NodeId next = 0;
  const bool singletons =
      std::all_of(comm_io.begin(), comm_io.end(), [&next](NodeId c) { return c == next++; });
  bool ahead = evaluate_ahead && max_sweeps > 0 && !singletons;
  auto choose = [&](NodeId v) { return evaluate(scratch.local(), v); };
  if (ahead && !ahead_sweep.Evaluate(g, threads, choose)) {
    ahead = false;  // evaluated in classes after all: flags back as they were
    std::fill_n(active.data(), ahead_sweep.evaluated_end(), std::uint8_t{1});
  }
  // One team for all sweeps (parallel/work_team.h), not an OpenMP region per class; a graph too
  // small for any class to reach the team runs without one.
  const int team_threads = g.num_arcs() < kMinParallelClassArcs ? 1 : threads;
  absl::Status status;
  RunTeam(team_threads, [&](WorkTeam& team) {
    for (int sweep = 0; sweep < max_sweeps; ++sweep) {
      if (status = ctx.Check(); !status.ok()) return;  // comm_io is left as it was
      std::uint64_t moved = 0;
      if (sweep == 1 && ahead) {
        ahead = false;
        ahead_sweep = SweepAhead();
      }
      for (const std::vector<NodeId>& cls : classes) {
        act.clear();
        todo.clear();
        std::size_t act_arcs = 0;
        if (ahead) {  // the stale vertices are evaluated, the others' moves taken from ahead
          for (NodeId v : cls) {
            if (ahead_sweep.Stale(v)) {
              todo.push_back(static_cast<std::uint32_t>(act.size()));
              act_arcs += g.degree(v);
            } else if (!ahead_sweep.Moves(v)) {
              continue;  // stays, as evaluated ahead
            }
            act.push_back(v);
          }
        } else {
          // Without a branch on the flag (unpredictable in later sweeps), its line fetched
          // kScanAhead vertices ahead (a class renamed onto a permuted level is scattered);
          // then the degrees of those taken, likewise.
          act.resize(cls.size());
          std::size_t taken = 0;
          for (std::size_t i = 0; i < cls.size(); ++i) {
            if (i + kScanAhead < cls.size()) PrefetchLine(&active[cls[i + kScanAhead]]);
            act[taken] = cls[i];
            taken += active[cls[i]] != 0;
          }
          act.resize(taken);
          for (std::size_t i = 0; i < taken; ++i) {
            if (i + kScanAhead < taken) PrefetchLine(&g.offsets[act[i + kScanAhead]]);
            act_arcs += g.degree(act[i]);
          }
        }
        if (act.empty()) continue;
        choice.resize(act.size());
        if (ahead) {
          for (std::size_t i = 0, j = 0; i < act.size(); ++i) {
            if (j < todo.size() && todo[j] == i) {
              ++j;
              continue;
            }
            choice[i] = ahead_sweep.ChoiceOf(act[i]);
          }
        }
        const std::size_t evals = ahead ? todo.size() : act.size();
        // Small classes run on the calling thread: waking the team costs more than they do (the
        // result is the same either way).
        const std::size_t per_task = std::clamp<std::size_t>(
            evals * kChunkArcs / std::max<std::size_t>(act_arcs, 1), 1, kChunk);
        const std::size_t tasks = (evals + per_task - 1) / per_task;
        auto evaluate_task = [&](std::size_t j) {
          const std::size_t lo = j * per_task, hi = std::min(lo + per_task, evals);
          Scratch& s = scratch.local();
          auto at = [&](std::size_t k) { return act[ahead ? todo[k] : k]; };
          for (std::size_t k = lo; k < std::min(hi, lo + kCommAhead); ++k) prefetch_comm(at(k));
          for (std::size_t k = lo; k < hi; ++k) {
            if (k + 2 * kArcsAhead < hi) PrefetchLine(&g.offsets[at(k + 2 * kArcsAhead)]);
            if (k + kArcsAhead < hi) prefetch_arcs(at(k + kArcsAhead));
            if (k + kCommAhead < hi) prefetch_comm(at(k + kCommAhead));
            if (k + kTotAhead < hi) prefetch_tot(at(k + kTotAhead));
            const std::size_t i = ahead ? todo[k] : k;
            choice[i] = evaluate(s, act[i]);
          }
        };
        if (act_arcs < kMinParallelClassArcs) {
          for (std::size_t j = 0; j < tasks; ++j) evaluate_task(j);
        } else {
          team.Run(tasks, evaluate_task);
        }
        movers.clear();
        std::size_t mover_arcs = 0;
        for (std::size_t i = 0; i < act.size(); ++i) {
          if (i + kApplyAhead < act.size()) {
            const Choice& later = choice[i + kApplyAhead];
            if (later.best != later.own) {
              __builtin_prefetch(&tot[later.best]);
              __builtin_prefetch(&tot[later.own]);
            }
          }
          const Choice& ch = choice[i];
          const NodeId own = ch.own, to = ch.best;
          if (to == own) continue;
          // Earlier moves of this class may have changed tot of v's own or target community
          // (never v's edge weights: no two vertices of a class are neighbours). Move only if
          // the move still gains against the current tot, so every applied move raises
          // modularity and local moving cannot cycle.
          const NodeId v = act[i];
          const double kv = ch.strength;
          active[v] = 1;  // moved or dropped: choose again next sweep
          if (ch.k_best - scale * kv * tot[to] <= ch.k_own - scale * kv * (tot[own] - kv)) continue;
          if (ahead) {  // before comm changes: the first call reads the start partition
            const std::span<const NodeId> start(comm.data(), n);
            ahead_sweep.Changed(g, own, start);
            ahead_sweep.Changed(g, to, start);
          }
          tot[own] -= kv;
          tot[to] += kv;
          comm[v] = to;
          movers.push_back(v);
          mover_arcs += ch.degree;
        }
        moved += movers.size();
        // No two movers are neighbours, so none of them is reactivated here; the flags and
        // fixed-point sums of the others come out the same in any interleaving.
        // Tasks of about kChunkArcs arcs, like the evaluation's.
        const std::size_t per_chunk = std::clamp<std::size_t>(
            movers.size() * kChunkArcs / std::max<std::size_t>(mover_arcs, 1), 1, kChunk);
        const std::size_t mover_chunks = (movers.size() + per_chunk - 1) / per_chunk;
        auto reactivate_task = [&](std::size_t j) {
          const std::size_t lo = j * per_chunk, hi = std::min(lo + per_chunk, movers.size());
          for (std::size_t i = lo; i < hi; ++i) reactivate(movers[i], comm[movers[i]]);
        };
        if (mover_arcs < kMinParallelArcs) {
          for (std::size_t j = 0; j < mover_chunks; ++j) reactivate_task(j);
        } else {
          team.Run(mover_chunks, reactivate_task);
        }
      }
      moved_total += moved;
      if (moved == 0) break;
    }
  });
  if (!status.ok()) return status;
  std::copy_n(comm.data(), n, comm_io.begin());
  return moved_total;
}

}  // namespace polegraph::internal
