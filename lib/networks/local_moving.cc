// Local moving of the Louvain and Leiden algorithms, made parallel and deterministic by
// colour-synchronous scheduling.
//
// Moving vertex v (strength k_v) out of its community into community c changes modularity by
// (2 / 2m) * [k_{v,c} - gamma k_v tot_c / 2m] - (the same for its own community without v),
// where k_{v,c} is the weight of v's edges into c and tot_c the strength of c. Each sweep
// visits the colour classes in order (no two vertices of a class are neighbours, so their
// choices do not interact through edges). Within a class every vertex computes its best
// community in parallel from the state as it stood before the class — neighbour weights per
// community in a per-thread dense array — and the moves are then applied sequentially in the
// class's vertex order, updating tot; a move whose gain no longer holds against tot as
// updated by the earlier moves of the class is dropped, so every applied move raises modularity
// and local moving cannot cycle (without that check a few vertices of one class could swap
// back and forth until max_sweeps). The result depends only on the graph, the colouring and
// the start partition, never on the thread count. Ties prefer staying, then the smallest
// community id. The colourings the multilevel algorithms use cap the class size at about
// n / 256, at least 1024 (ClassCap): the classes are then blocks of a seeded random order
// (level_graph.cc), so a sweep approximates the sequential sweep of igraph's
// and Blondel et al.'s Louvain in that order (later blocks see the communities earlier blocks
// formed). An uncapped greedy colouring puts half the vertices, mostly leaves, in colour 0 and
// the hubs in the last colours: every leaf then decides among singletons before any hub
// moves, and on Kronecker 20 modularity ended 0.005-0.006 below igraph's (within 0.0011 of it
// with the cap). Smaller blocks also converge in fewer sweeps: with n / 64 Louvain took 1.7x
// the CPU on Kronecker 20. Vertices whose neighbourhood has not changed since their last
// evaluation are skipped (pruning; Ozaki, Tezuka, Inaba, "A simple acceleration method for
// the Louvain algorithm", 2016), which cuts late sweeps to the few vertices still in play. A
// vertex of high strength waits until neighbours holding 1 % of its strength have moved: on
// Kronecker graphs the hubs were otherwise re-evaluated in nearly every sweep (some leaf
// always moves), so sweeps 1-8 cost almost a full sweep each; the wait saves about 25 % of
// Louvain's CPU on Kronecker 20 with modularity unchanged within 0.0002 (with the n / 64 cap
// it had cost 0.004). A vertex that chose to stay also waits until the moved weight could
// have closed half its margin over the best other candidate (kMarginShare; session 7): a
// moving neighbour of weight w shifts v's gains for its old and new community by at most w
// each. That skips most re-evaluations of vertices well inside their community: 15 % fewer
// evaluations on LFR 10^6 and 13 % fewer at Kronecker 20's level 1 (about 4-6 % of Leiden's
// CPU), modularity within 0.00002 on every bench graph (a share of 1, twice the bound, lost
// 0.0002-0.0003 on the Kronecker graphs). A move reactivates only the neighbours outside the
// community the vertex joined (like the queue of Traag et al.'s fast local moving), and each
// class is evaluated from a compact list of its active vertices. A class goes to the team
// when its active vertices hold kMinParallelClassArcs arcs, in tasks of about kChunkArcs arcs:
// on aggregated levels a class of a few hundred vertices can hold 10^5 arcs (Kronecker 20's
// level 1 and pass 2's level 1 ran wholly on one thread when the rule counted vertices).
// Only the move check is sequential: reactivating the movers' neighbours (nearly a sweep's
// arcs in the first sweeps) runs on the team, with the moved weight summed in fixed point so
// the flags do not depend on the order of the additions. Vertices of degree up to 64 sum
// their weights per neighbouring community in a small cache-resident table instead of the
// dense array; the dense path sums without a branch per arc (session 8: Kronecker 20 Leiden -9
// to -11 % CPU, Louvain -17 %; 5.5 M fewer mispredictions on Kronecker 16). (Lu,
// Halappanavar, Kalyanaraman, "Parallel heuristics for scalable community detection", Parallel
// Computing 2015, schedule local moving by colouring the same way.)
// Memory (session 6): level 0 of a large graph is bound by memory, not instructions (LFR 10^5
// runs at about 2 instructions per cycle, LFR 10^6 at a third of that). The seeded order is
// made of runs of 64 consecutive ids (SeededOrder), so a class holds whole runs and reads
// their arcs, strengths, flags and communities from consecutive memory: Louvain's CPU on
// LFR 10^6 fell from about 5.0 to 2.9 s (1 thread), with modularity the same within seed noise
// on every bench graph. The neighbours' communities are gathered in a loop without branches
// before they are summed (so their misses overlap), the arrays read at random are in 2 MB
// pages (internal/huge_pages.h), and a graph whose weights are all 1
// (LevelGraph::unit_weights) is summed without reading them: a few per cent together, within
// this machine's noise. (Software prefetching of the next vertices' arcs and neighbours'
// communities gained nothing measurable once the classes were made of runs, and was removed.)
// First sweep evaluated ahead (session 8; internal/sweep_ahead.h): from a start that is not
// all singletons (Leiden's upper levels and later passes) most vertices stay, yet the first
// sweep evaluates every vertex class by class, scattered over memory (Leiden's pass 2 on LFR
// 10^6: 0.40 CPU s, a sixth of its local moving, for one move). Every vertex is evaluated
// first in vertex order against the start state; a class then evaluates only the vertices
// that an earlier move made stale (a move from A to B: the start members of A and B and their
// neighbours) and applies the others' moves as chosen ahead: the class-by-class result. Given
// up after a part with many moves (Louvain-like levels: n / 64 vertices evaluated for nothing).
// Tried and dropped (session 8; bench/README.md): reading tot only for the candidates whose
// k_c (a bound on their gain) could beat the best and the margin (same partitions, 0-8 % more
// CPU on LFR 10^6: the extra passes cost more than the reads saved); active, wait and strength
// in one 16-byte entry per vertex for reactivation (same partitions, no gain); leaving the
// vertices alone in their start community out of an upper level's first sweep (not exact: Q
// of Kronecker 20 0.081307 -> 0.081126, CPU within noise); the table path without a branch per
// arc like the dense path (more instructions and mispredictions: the probe loop remains).
// Why pruning does not bite on LFR 10^6's levels 2-7 (session 8, level8; 51 k ... 682 vertices
// of degree 90-700, 7-17 sweeps, 0.5 of 2.5 CPU s): the stay-wait is at its 1 % floor for
// 90-100 % of the evaluations there (half the margin is less: the vertices are near ties), the
// re-evaluations are triggered by neighbours moving between two other communities (60.5 k
// against 0.4 k moves out of the vertex's own community on the level of 13.8 k vertices), and
// the sweeps keep making real moves (15.3 k moves over 13.8 k vertices, 4-8 % a sweep).
// Tried and dropped: counting a move between two other communities at half its weight (it can
// close the margin to its target by w, not 2w, but the floor binds): the upper levels' arcs
// evaluated -30 % (67.9 M -> 47.3 M), but Q of Kronecker 20 0.081307 -> 0.080976 (aggregated
// levels only: 0.081186; LFR 10^6 0.669197 -> 0.669150), so not Q-neutral. The tot term of a
// neighbour's move (k_u k_mover / 2m, about 0.07 against arc weights of 1-1.5 there) cannot
// tighten the bound either.
// One team per call (session 9, parallel/work_team.h): an OpenMP region per class (3,703
// evaluation and 572 reactivation regions of Leiden's 4,405 on LFR 10^6) paid, under
// OMP_WAIT_POLICY=passive, a futex wake of the worker and, at the join, the caller's own sleep
// until the worker arrived, often a worker that woke too late to find work. The team's helpers
// still sleep between classes (no spinning: session 8's spinning team lost 3x on an
// oversubscribed machine), but the caller runs the last two tasks of a class itself, closes the
// job and waits only for a helper inside a task. Per Leiden call on LFR 10^6: regions 4,405
// -> 139, futex calls 17.6 k -> 6.2 k, context switches 14.0 k -> 3.8 k, the caller's sleeps in
// a join 17 (1,737 while it waited for every helper to check in); same partitions.
// Two CPU hogs beside it (spin8's test): no loss (Leiden Kronecker 20 5.0-5.5 s against base's
// 5.4-8.2 s). (Waiting with std::atomic::wait instead of a bare futex lost 2x beside a build:
// its sched_yield calls put the waiting thread at the back of the run queue.)
// The calling thread's serial part per class, tried and dropped (session 9, lm9b; same
// partitions at every step, tests and TSan green; bench/README.md): the evaluation tasks
// scanning their part of the class themselves, skipping the inactive vertices and writing the
// moves chosen compactly (no active list built on the caller, the apply walking only the
// moves), the team chosen from the class's arcs in its last sweep as the tasks counted them,
// and a class light in its last sweep started on the caller and handed to the team once the
// arcs met projected kMinParallelClassArcs more. Leiden on LFR 10^6, 2 threads, load ~1,
// 24 runs each, interleaved: main-thread CPU 1.773 -> 1.748 s (median), wall 1.805 ->
// 1.817 s, process CPU 2.85 -> 2.91 s: no gain. The serial part was small: the caller's list
// and apply loop took 3.9 % of 1-thread CPU, the tasks' scan 2.8-3.4 % after the change, and
// of that only the share the helper takes in classes on the team leaves the caller. The guess
// from the last sweep sends classes to the team that turn out light (1,069 against 3,687 that
// needed it; Kronecker 20: 3,498 against 9,588), each a hand-over. Also dropped: a plain, not
// locked, addition of the moved weight when the caller reactivates alone (reactivation 10.3
// against 10.4 % of 1-thread CPU: bound by the misses on the neighbours, not the lock); a
// helper spinning 20-200 us for the next job before it sleeps (load 4.5: main-thread CPU no
// lower at 20-50 us, +0.2 s at 200 us). Not attempted: folding a class's reactivation into the
// next class's job (it needs a barrier inside a job).
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

// A class is evaluated on the team once its active vertices have this many arcs between them.
// Counted in arcs, not vertices: on an aggregated level a class of a few hundred vertices can
// hold a hundred thousand arcs (Kronecker 20's level 1: 153 k vertices, 30 M arcs, classes of
// at most 1024 vertices, which a count of vertices had left on one thread).
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
// (With 256 Leiden took 14 % more CPU than without a table on Kronecker 20, whose hubs'
// neighbours sit in few communities; with 64, 6 % less there and 15 % less on LFR 10^6.)
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
  // first arcs, then its neighbours' communities, then (once those are in the cache) tot of
  // the communities. A chain of three dependent misses per arc otherwise stalls a vertex of
  // small degree, whose few arcs give the processor little else to overlap.
  auto prefetch_arcs = [&](NodeId v) {
    const EdgeIndex e = g.offsets[v];
    PrefetchLine(g.targets.data() + e);
    if (!unit) PrefetchLine(g.arc_weights.data() + e);
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
          for (NodeId v : cls) {
            if (active[v]) {
              act.push_back(v);
              act_arcs += g.degree(v);
            }
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
