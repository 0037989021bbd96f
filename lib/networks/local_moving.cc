// Local moving of the Louvain and Leiden algorithms, made parallel and deterministic by
// colour-synchronous scheduling (as Lu, Halappanavar, Kalyanaraman, Parallel Computing 2015).
//
// Moving vertex v (strength k_v) out of its community into community c changes modularity by
// (2 / 2m) * [k_{v,c} - gamma k_v tot_c / 2m] - (the same for its own community without v).
// Each sweep visits the colour classes in order (no two vertices of a class are neighbours).
// Within a class every vertex computes its best community in parallel from the state before the
// class; the moves are then applied sequentially in the class's order, and a move whose gain no
// longer holds against tot as updated by the earlier ones is dropped, so every applied move
// raises modularity and local moving cannot cycle. The result depends only on the graph, the
// colouring and the start partition, never on the thread count; ties prefer staying, then the
// smallest id. The classes (ClassCap: at most about n / 256) are blocks of a seeded order of
// runs of 64 ids (level_graph.cc): a sweep approximates a sequential one in that order and
// reads whole runs from consecutive memory. Pruning (Ozaki, Tezuka, Inaba 2016): a vertex is
// evaluated again only once neighbours holding kReactivate of its strength, or kMarginShare of
// the margin by which it stayed, have moved (in fixed point: the same at any thread count); a
// move reactivates only neighbours outside the community it joined (Traag et al.'s queue).
// A class goes to the team (parallel/work_team.h, one per call) from kMinParallelClassArcs arcs
// of active vertices, reactivation from kMinParallelArcs. Degrees up to 8 sum per community by a
// linear search (SmallSums, internal/key_sums.h), up to 64 in a small table, larger ones in a
// dense array. From a start that is not all singletons the first sweep is evaluated ahead
// (internal/sweep_ahead.h), else every vertex of a class is active when the first sweep reaches
// it, so the class is taken as it is (its arcs counted once, by the team). Session 10: an
// evaluation task prefetches a few vertices ahead their offsets, then strength, community and
// arcs, then the neighbours' communities, then tot of those: on graph 9 (degrees 4-6) each arc
// was a chain of dependent misses (Leiden, 2 threads, same partitions: process CPU -12 % on
// graph 9 and LFR 10^6).
// History, measurements and dead ends of sessions 5-10: bench/HISTORY.md, "Session 10: Leiden
// local moving (lm10)" and "... round 2 (lmc10)" (team thresholds, arrays kept across levels:
// no gain) -- read them before trying something here.
// Sessions 17 and 18 (the linear search, the first sweep's classes as they are; evaluations
// ahead kept by their slack): bench/HISTORY.md, the end of "local_moving.cc's design history".
// Cost: O(m) per sweep; per thread a small table, and an array of n doubles once a vertex of
// degree over 64 is evaluated.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>

#include "graph/prefetch.h"
#include "networks/internal/arc_prefetch.h"
#include "networks/internal/huge_pages.h"
#include "networks/internal/key_sums.h"
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
// moved since its last evaluation (any one neighbour below degree 100 on an unweighted graph).
constexpr double kReactivate = 0.01;
// The moved weight is summed in fixed point, in units of 2^-32 of the vertex's strength:
// integer sums do not depend on the order of the additions (parallel activation).
constexpr double kFixedOne = 4294967296.0;
constexpr std::uint64_t kReactivateFixed = static_cast<std::uint64_t>(kReactivate * kFixedOne);
// A vertex that chose to stay with a margin M over every other candidate (gain units; the
// empty community, gain 0, counts) waits until neighbours holding kMarginShare M have moved:
// a neighbour of weight w moving from A to B shifts v's gains for A and B by at most w each,
// so less cannot have closed the margin (moves of non-neighbours are ignored, like Ozaki's).
constexpr double kMarginShare = 0.5;
// That share of v's strength is rounded down to a multiple of 1 / kWaitSteps (before the
// kReactivate floor), so an evaluation ahead whose tot have shifted a little since still gives
// the same wait (internal/sweep_ahead.h: its slack). Session 18: the full-precision wait
// changed with any shift; the rounding lowers it by under 0.4 % of the strength. Leiden's
// modularity moved by at most 0.00015 on the bench graphs (graph 9 0.823196 -> 0.823193, LFR
// 10^6 0.669197 -> 0.669208, Kronecker 20 0.0813065 -> 0.0813152; bench/README.md).
constexpr double kWaitSteps = 256.0;
// The steps below this many give a share under kReactivate, so the wait is kReactivate's.
constexpr double kFirstWaitStep = static_cast<int>(kReactivate * kWaitSteps) + 1;

// Vertices up to this degree sum their weights per community in a small cache-resident table,
// the others in a dense array of n doubles; the sums and the choice are the same either way.
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
// An evaluation task prefetches the vertex kArcsAhead positions ahead (its arcs), kCommAhead
// ahead (neighbours' communities), kTotAhead ahead (their tot): degrees <= kPrefetchMaxDegree.
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
  // Each evaluated vertex's choice, by position in the class's active list: all the apply step
  // reads about v, so it touches only tot (and comm, active of the movers) at random.
  using Choice = MoveChoice;
  std::vector<Choice> choice;
  // Pruning: one flag per vertex, cleared by evaluating it, set by a move on the mover and the
  // neighbours it reactivates (served this sweep if their class is still to come, else next).
  HugeArray<std::uint8_t> active(n);
  std::fill_n(active.data(), n, std::uint8_t{1});
  // Fixed-point weight of v's edges to neighbours that moved since v's last evaluation.
  HugeArray<std::uint64_t> moved_weight(n);
  // The moved weight at which v is evaluated again (same fixed point): kReactivate, or
  // kMarginShare of v's margin at its last evaluation if more (capped at 2^32 - 1).
  HugeArray<std::uint32_t> wait(n);
  std::fill_n(wait.data(), n, static_cast<std::uint32_t>(kReactivateFixed));
  std::vector<NodeId> act_list, movers;  // the class's active vertices; those of them that moved
  std::vector<std::size_t> class_arcs;    // a first sweep without evaluation ahead: class arcs
  std::vector<std::uint32_t> todo;  // in the first sweep evaluated ahead: act's stale entries
  std::uint64_t moved_total = 0;
  // Reactivates the neighbours of a vertex v that moved into community c, except those in c
  // (v's move only binds them closer; Traag et al.'s queue skips them the same way). The flag
  // is read first: in a first sweep most neighbours are still active, and active (1 byte a
  // vertex) is far more often in the cache than comm. `shared`: other threads reactivate at
  // the same time, so the moved weight is added atomically (the same sums either way).
  // Session 16, level-0 local moving of bench graph 9 from singletons, the old and new forms
  // alternated in one process: reactivation 185-194 -> 145-153 ms and the whole local moving
  // 797-830 -> 751-771 ms at 2 threads; at 1 thread the flag read first alone took
  // reactivation from 256-274 to 203-215 ms. Same flags, same sums, same partitions.
  auto reactivate = [&](NodeId v, NodeId c, bool shared) {
    auto adj = g.neighbours(v);
    const double* wv = unit ? nullptr : g.weights(v).data();
    for (std::size_t e = 0; e < adj.size(); ++e) {
      const NodeId u = adj[e];
      std::atomic_ref<std::uint8_t> flag(active[u]);
      if (flag.load(std::memory_order_relaxed) != 0 || comm[u] == c) continue;
      const double we = unit ? 1.0 : wv[e];
      const auto add = static_cast<std::uint64_t>(we / lg.strength[u] * kFixedOne);
      const std::uint64_t need = wait[u];
      if (add < need) {
        const std::uint64_t sum =
            shared ? FetchAdd(moved_weight[u], add) + add : (moved_weight[u] += add);
        if (sum < need) continue;
      }
      flag.store(1, std::memory_order_relaxed);
    }
  };
  // Evaluates v against the state before its class: returns its best community, and sets the
  // moved weight it waits for (wait). Clears its flag and moved weight. with_slack: also its
  // slack (internal/sweep_ahead.h), for the evaluation ahead.
  auto evaluate = [&](Scratch& s, NodeId v, bool with_slack) -> Choice {
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
    // The two greatest gains of the candidates (other communities than own; the second only
    // for the slack).
    double first_gain = -std::numeric_limits<double>::infinity(), second_gain = first_gain;
    auto score = [&](NodeId c, double k, double tot_c) {
      const double gain = k - scale * kv * tot_c;
      if (with_slack) second_gain = std::max(second_gain, std::min(first_gain, gain));
      first_gain = std::max(first_gain, gain);
      if (gain > best_gain || (gain == best_gain && best_c != own && c < best_c)) {
        best_gain = gain;
        best_c = c;
        best_k = k;
      }
    };
    // The neighbours' communities are gathered first without branches, so their misses overlap;
    // likewise tot of the candidates before they are compared. Same sums in the same order.
    const std::size_t d = adj.size();
    if (s.cs.size() < d) s.cs.resize(d);
    NodeId* cs = s.cs.data();
    for (std::size_t e = 0; e < d; ++e) cs[e] = comm[adj[e]];
    if (d <= SmallSums::kMaxKeys) {
      // A few arcs (most vertices of sparse graphs): a linear search over the few candidates
      // instead of setting up the table (see the top; the same sums, so the same choice).
      SmallSums sums;
      for (std::size_t e = 0; e < d; ++e) {
        if (cs[e] == own) {
          own_k += weight(e);
        } else {
          sums.Add(cs[e], weight(e));
        }
      }
      const std::size_t k = sums.size();
      double tots[SmallSums::kMaxKeys];
      for (std::size_t j = 0; j < k; ++j) tots[j] = tot[sums.key(j)];
      best_k = own_k;
      best_gain = own_k - scale * kv * (tot[own] - kv);
      for (std::size_t j = 0; j < k; ++j) score(sums.key(j), sums.sum(j), tots[j]);
    } else if (d <= kTableMaxDegree) {
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
      // Without a branch per arc (neither 'new' nor 'own' is predictable): own's weights are summed
      // in acc like the others' (same additions, same order) and skipped when scoring. (Session 8.)
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
    // waits for kMarginShare of its margin over the best other community (the empty one's gain
    // is 0), in steps of 1 / kWaitSteps of its strength, at least kReactivate of it.
    const double own_gain = own_k - scale * kv * (tot[own] - kv);
    double wait_share = kReactivate;
    double steps = 0.0;  // the margin's share in wait steps, unrounded
    if (best_c == own && kv > 0.0) {
      steps = kMarginShare * (own_gain - std::max(0.0, first_gain)) / kv * kWaitSteps;
      wait_share = std::max(wait_share, std::floor(steps) / kWaitSteps);
    }
    wait[v] =
        wait_share >= 1.0 ? ~std::uint32_t{0} : static_cast<std::uint32_t>(wait_share * kFixedOne);
    Choice choice{.own = own,
                  .best = best_c,
                  .degree = static_cast<std::uint32_t>(adj.size()),
                  .slack_exp = 0,
                  .strength = kv,
                  .k_best = best_k,
                  .k_own = own_k};
    if (with_slack) {
      // How far (a fraction of kv) the gains could shift before the choice or the wait comes
      // out otherwise. The choice: the gap between the chosen gain and the best of the others
      // (a tie leaves none). The wait: the distance of `steps` to the nearest step that gives
      // another wait (none below kFirstWaitStep or from kWaitSteps up: those all give the
      // same), taken back to gain units; a shift of the gains by s moves `steps` by at most
      // kMarginShare kWaitSteps s / kv.
      double slack;
      if (best_c == own) {
        slack = (own_gain - first_gain) / kv;
        const double step = std::floor(steps);
        const double to_step = step < kFirstWaitStep ? kFirstWaitStep - steps
                               : step >= kWaitSteps  ? steps - kWaitSteps
                                                     : std::min(steps - step, step + 1.0 - steps);
        slack = std::min(slack, to_step / (kMarginShare * kWaitSteps));
      } else {
        slack = (first_gain - std::max(own_gain, second_gain)) / kv;
      }
      choice.slack_exp = SlackExponent(slack);
    }
    return choice;
  };
  // Prefetching a few evaluations ahead (session 10; see the top): offsets, then strength, own
  // community and arcs, then the neighbours' communities, then (once in the cache) their tot.
  auto prefetch_arcs = [&](NodeId v) {
    PrefetchLine(&lg.strength[v]);
    PrefetchLine(&comm[v]);
    PrefetchArcs(g, v, !unit);
  };
  auto prefetch_comm = [&](NodeId v) {
    PrefetchAtNeighbours(g, v, comm.data(), kPrefetchMaxDegree);
  };
  auto prefetch_tot = [&](NodeId v) {
    const auto adj = g.neighbours(v);
    if (adj.size() > kPrefetchMaxDegree) return;
    for (NodeId u : adj) PrefetchLine(&tot[comm[u]]);
  };
  // The first sweep from a start that is not all singletons is evaluated ahead (see the top).
  SweepAhead ahead_sweep(scale, resolution);
  NodeId next = 0;
  const bool singletons =
      std::all_of(comm_io.begin(), comm_io.end(), [&next](NodeId c) { return c == next++; });
  bool ahead = evaluate_ahead && max_sweeps > 0 && !singletons;
  auto choose = [&](NodeId v) { return evaluate(scratch.local(), v, /*with_slack=*/true); };
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
      // A first sweep not evaluated ahead: no vertex has been evaluated yet, so each class is
      // all active when its turn comes and is evaluated as it stands (see the top).
      const bool all_active = sweep == 0 && !ahead;
      if (all_active) {
        class_arcs.resize(classes.size());
        team.Run(classes.size(), [&](std::size_t c) {
          std::size_t arcs = 0;
          for (NodeId v : classes[c]) arcs += g.degree(v);
          class_arcs[c] = arcs;
        });
      }
      for (std::size_t ci = 0; ci < classes.size(); ++ci) {
        const std::vector<NodeId>& cls = classes[ci];
        std::span<const NodeId> act;  // the class's active vertices (in act_list, or cls)
        act_list.clear();
        todo.clear();
        std::size_t act_arcs = 0;
        if (ahead) {  // the stale vertices are evaluated, the others' moves taken from ahead
          for (NodeId v : cls) {
            if (ahead_sweep.Stale(v)) {
              todo.push_back(static_cast<std::uint32_t>(act_list.size()));
              act_arcs += g.degree(v);
            } else if (!ahead_sweep.Moves(v)) {
              continue;  // stays, as evaluated ahead
            }
            act_list.push_back(v);
          }
          act = act_list;
        } else if (all_active) {
          act = cls;
          act_arcs = class_arcs[ci];
        } else {
          // Without a branch on the flag (unpredictable in later sweeps); flags, then degrees,
          // fetched kScanAhead ahead (a class renamed onto a permuted level is scattered).
          act_list.resize(cls.size());
          std::size_t taken = 0;
          for (std::size_t i = 0; i < cls.size(); ++i) {
            if (i + kScanAhead < cls.size()) PrefetchLine(&active[cls[i + kScanAhead]]);
            act_list[taken] = cls[i];
            taken += active[cls[i]] != 0;
          }
          act_list.resize(taken);
          for (std::size_t i = 0; i < taken; ++i) {
            if (i + kScanAhead < taken) PrefetchLine(&g.offsets[act_list[i + kScanAhead]]);
            act_arcs += g.degree(act_list[i]);
          }
          act = act_list;
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
            choice[i] = evaluate(s, act[i], /*with_slack=*/false);
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
          // Earlier moves of this class may have changed tot of v's own or target community (never
          // its edge weights): move only if it still gains, so local moving cannot cycle.
          const NodeId v = act[i];
          const double kv = ch.strength;
          active[v] = 1;  // moved or dropped: choose again next sweep
          if (ch.k_best - scale * kv * tot[to] <= ch.k_own - scale * kv * (tot[own] - kv)) continue;
          if (ahead) ahead_sweep.Moved(g, v, own, to, kv);
          tot[own] -= kv;
          tot[to] += kv;
          comm[v] = to;
          movers.push_back(v);
          mover_arcs += ch.degree;
        }
        moved += movers.size();
        // No two movers are neighbours, so the flags and fixed-point sums come out the same in any
        // interleaving. Tasks of about kChunkArcs arcs, like the evaluation's.
        const std::size_t per_chunk = std::clamp<std::size_t>(
            movers.size() * kChunkArcs / std::max<std::size_t>(mover_arcs, 1), 1, kChunk);
        const std::size_t mover_chunks = (movers.size() + per_chunk - 1) / per_chunk;
        const bool shared = team_threads > 1 && mover_arcs >= kMinParallelArcs;
        auto reactivate_task = [&](std::size_t j) {
          const std::size_t lo = j * per_chunk, hi = std::min(lo + per_chunk, movers.size());
          for (std::size_t i = lo; i < hi; ++i) reactivate(movers[i], comm[movers[i]], shared);
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
