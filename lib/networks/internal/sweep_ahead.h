// Local moving's first sweep evaluated ahead (used by local_moving.cc; see its top comment):
// from a start partition that is not all singletons, every vertex is evaluated in vertex order
// (consecutive memory) against the start state before the sweep's colour classes run, and a
// class then re-evaluates only the vertices whose evaluation a move applied earlier in the sweep
// may have changed. An evaluation reads the communities of the vertex's neighbours and tot of
// its own and its neighbours' communities. A move of u from A to B changes comm[u], so u's
// neighbours are evaluated again; and it changes tot of A and B by u's strength, which shifts
// the gain of joining A or B (or staying in it) by at most scale k_v times that change
// (scale = resolution / 2m). So every evaluation ahead also records its slack: how far, as a
// fraction of k_v, its gains could shift before its choice or its quantised wait (local_moving.cc)
// could come out otherwise -- zero when two gains tie. An evaluation stays valid while
// 2 scale D (D: the largest change of one community's tot so far in the sweep; 2: the two
// gains compared may shift in opposite directions) is below its slack, with a margin for
// rounding. The slack is kept as a power of two (one byte a vertex),
// rounded down. The result is the class-by-class one, bit for bit.
// Session 18: on bench graph 9 (the person projection) the second pass's level-0 local moving
// starts from the first pass's partition (about 920 large communities); its first sweep moves
// 6.6 k of 1.73 M vertices. Session 10's rule marked stale every member of a community whose tot
// changed and their neighbours: with such communities that is every vertex after a few moves,
// so the evaluation ahead gave up after its first part and the sweep ran class by class
// (206-230 ms at 2 threads, against 80-87 ms for evaluating every vertex ahead).
#ifndef POLEGRAPH_LIB_NETWORKS_INTERNAL_SWEEP_AHEAD_H_
#define POLEGRAPH_LIB_NETWORKS_INTERNAL_SWEEP_AHEAD_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "parallel/parallel.h"
#include "polegraph/weighted_graph.h"

namespace polegraph::internal {

// A vertex's choice in local moving: its own community and its best one, its degree and
// strength, and its weights into the two (for the check when the move is applied); evaluated
// ahead, also its slack as a power of two (SlackExponent).
struct MoveChoice {
  NodeId own, best;
  std::uint32_t degree;
  std::int8_t slack_exp;
  double strength, k_best, k_own;
};

// The slack exponent of a relative slack r (a fraction of the vertex's strength): the greatest
// e with 2^e <= r, within [-127, 127]; -128 (no slack) when r is zero, negative or NaN.
inline std::int8_t SlackExponent(double r) {
  if (!(r > 0.0)) return -128;
  return static_cast<std::int8_t>(std::clamp(std::ilogb(r), -127, 127));
}

// The evaluation ahead of one first sweep. Not thread-safe except Evaluate's own parallel loop.
class SweepAhead {
 public:
  // gain_scale: resolution / 2m of the level (the gains' k_v tot_c factor).
  explicit SweepAhead(double gain_scale = 0.0, double resolution = 1.0)
      : two_scale_(2.0 * gain_scale),
        rounding_(kRoundingSlack * (1.0 + resolution)),
        stale_exp_(std::ilogb(rounding_)) {}

  // Evaluates every vertex with edges, choose(v) -> MoveChoice with its slack_exp (called in
  // parallel from up to `threads` threads), in parts of doubling size. Gives up (returns false,
  // and evaluated_end() says how far vertices were evaluated) once, after a part, more than
  // 1 / kStaleShare of the evaluated vertices (plus kMinStale) look bound to be evaluated
  // again: the arcs of the vertices that chose a move (their neighbours) plus the evaluations
  // whose slack the tot changes of those moves alone would exhaust. Evaluating ahead is cheaper
  // than in classes only by its locality (on bench graph 9's renumbered level 0 about 2.5x, at
  // the levels above hardly), so a level where much goes stale runs class by class. (Session 10
  // counted moves, more than 1 / 1024 of the evaluated vertices, when a move made two whole
  // communities stale; by the rate so far, not n: a level with many moves gives up after its
  // first part.) O(n + m) + choose, and O(n) a part for the estimate.
  template <typename Choose>
  bool Evaluate(const WeightedGraph& g, int threads, Choose&& choose);
  NodeId evaluated_end() const { return evaluated_end_; }

  // Whether v must be evaluated again in its class; else whether its evaluation ahead chose a
  // move, and that choice.
  bool Stale(NodeId v) const {
    return all_stale_ || (mark_[v] & kStale) != 0 || slack_exp_[v] <= stale_exp_;
  }
  bool Moves(NodeId v) const { return (mark_[v] & kMove) != 0; }
  const MoveChoice& ChoiceOf(NodeId v) const;
  // Vertex v (strength kv) moved from community `from` to `to`: its neighbours are stale, and
  // the evaluations whose slack the changes of tot leave too small. Every vertex is stale once
  // the movers have m / kMarkShare arcs.
  void Moved(const WeightedGraph& g, NodeId v, NodeId from, NodeId to, double kv);

  // An evaluation's slack must exceed its possible shift by this much times 1 + resolution (a
  // fraction of k_v: a gain is at most (1 + resolution) k_v in size, and the rounding of the
  // gains and of the wait's steps is below 10^-14 of that).
  static constexpr double kRoundingSlack = 1e-9;

 private:
  // A task holds about kTaskArcs arcs, from 1 to kTask vertices: a dense level (the levels
  // above the person projection's hold hundreds of arcs a vertex) is split among the threads,
  // and its first part is a few vertices, not the whole level.
  static constexpr std::size_t kTask = 1024;
  static constexpr std::size_t kTaskArcs = 16384;
  static constexpr std::size_t kFirstPart = 64;  // the first part is n / kFirstPart vertices
  static constexpr std::size_t kStaleShare = 8;
  static constexpr std::size_t kMinStale = 64;
  static constexpr std::size_t kMarkShare = 8;
  static constexpr std::uint8_t kStale = 1;
  static constexpr std::uint8_t kMove = 2;

  // Keeps the evaluations (found: the moves chosen per task, in task order).
  void Keep(NodeId n, std::vector<std::vector<std::pair<NodeId, MoveChoice>>>& found);
  // A move of strength kv from `from` to `to`: adds kv to both communities' shift and raises
  // max_shift to the larger.
  static void Shift(absl::flat_hash_map<NodeId, double>& shift, double& max_shift, NodeId from,
                    NodeId to, double kv) {
    for (NodeId c : {from, to}) {
      double& x = shift[c];
      x += kv;
      max_shift = std::max(max_shift, x);
    }
  }

  double two_scale_;
  double rounding_;  // kRoundingSlack (1 + resolution)
  std::vector<std::uint8_t> mark_;                    // per vertex: kStale, kMove
  std::vector<std::int8_t> slack_exp_;                // per vertex: its evaluation's slack
  std::vector<std::pair<NodeId, MoveChoice>> moves_;  // ascending vertex
  absl::flat_hash_map<NodeId, double> shift_;         // community -> |change of its tot|
  double max_shift_ = 0.0;                            // D: the largest shift_
  // Evaluations with slack_exp <= stale_exp_ are stale: ilogb(2 scale D + rounding_).
  int stale_exp_;
  std::size_t marked_arcs_ = 0;
  bool all_stale_ = false;
  NodeId evaluated_end_ = 0;
};

template <typename Choose>
bool SweepAhead::Evaluate(const WeightedGraph& g, int threads, Choose&& choose) {
  const NodeId n = g.num_nodes();
  const std::size_t per_task = std::clamp<std::size_t>(
      kTaskArcs * n / std::max<std::size_t>(g.num_arcs(), 1), 1, kTask);
  const std::size_t tasks = (n + per_task - 1) / per_task;
  std::vector<std::vector<std::pair<NodeId, MoveChoice>>> found(tasks);
  std::vector<std::uint32_t> evaluated(tasks, 0);  // per task: vertices evaluated
  slack_exp_.assign(n, 127);  // vertices without edges: in no class, never asked
  // The estimate of the stale evaluations (see the declaration): the moves chosen so far and
  // the tot changes they would make.
  std::size_t moved_arcs = 0, count = 0;
  absl::flat_hash_map<NodeId, double> shift;
  double max_shift = 0.0;
  for (std::size_t lo = 0, hi; lo < tasks; lo = hi) {
    hi = lo == 0 ? std::max<std::size_t>(1, tasks / kFirstPart) : std::min(tasks, 2 * lo);
    ParallelForDynamic(
        lo, hi, threads,
        [&](std::size_t t) {
          const NodeId end = static_cast<NodeId>(std::min<std::size_t>(n, (t + 1) * per_task));
          std::uint32_t done = 0;
          for (NodeId v = static_cast<NodeId>(t * per_task); v < end; ++v) {
            if (g.degree(v) == 0) continue;  // in no class
            const MoveChoice ch = choose(v);
            slack_exp_[v] = ch.slack_exp;
            ++done;
            if (ch.best != ch.own) found[t].emplace_back(v, ch);
          }
          evaluated[t] = done;
        },
        /*grain=*/1);
    evaluated_end_ = static_cast<NodeId>(std::min<std::size_t>(n, hi * per_task));
    for (std::size_t t = lo; t < hi; ++t) {
      count += evaluated[t];
      for (const auto& [v, ch] : found[t]) {
        moved_arcs += ch.degree;
        Shift(shift, max_shift, ch.own, ch.best, ch.strength);
      }
    }
    const int stale_exp = std::ilogb(two_scale_ * max_shift + rounding_);
    std::size_t short_slack = 0;
    for (NodeId v = 0; v < evaluated_end_; ++v) short_slack += slack_exp_[v] <= stale_exp;
    if (moved_arcs + short_slack > count / kStaleShare + kMinStale) return false;
  }
  Keep(n, found);
  return true;
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_NETWORKS_INTERNAL_SWEEP_AHEAD_H_
