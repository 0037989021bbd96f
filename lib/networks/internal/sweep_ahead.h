// Local moving's first sweep evaluated ahead (used by local_moving.cc; see its top comment):
// from a start partition that is not all singletons, every vertex is evaluated in vertex order
// (consecutive memory) against the start state before the sweep's colour classes run, and a
// class then re-evaluates only the vertices whose evaluation a move applied earlier in the sweep
// has made stale. An evaluation reads the communities of the vertex's neighbours and tot of
// its own and its neighbours' communities, so a move from A to B makes stale the members of A
// and B in the start partition and their neighbours. The result is the class-by-class one.
#ifndef POLEGRAPH_LIB_NETWORKS_INTERNAL_SWEEP_AHEAD_H_
#define POLEGRAPH_LIB_NETWORKS_INTERNAL_SWEEP_AHEAD_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "parallel/parallel.h"
#include "polegraph/weighted_graph.h"

namespace polegraph::internal {

// A vertex's choice in local moving: its own community and its best one, its degree and
// strength, and its weights into the two (for the check when the move is applied).
struct MoveChoice {
  NodeId own, best;
  std::uint32_t degree;
  double strength, k_best, k_own;
};

// The evaluation ahead of one first sweep. Not thread-safe except Evaluate's own parallel loop.
class SweepAhead {
 public:
  // Evaluates every vertex with edges, choose(v) -> MoveChoice (called in parallel from up to
  // `threads` threads), in parts of doubling size. Gives up (returns false, and
  // evaluated_end() says how far vertices were evaluated) once, after a part, more than
  // evaluated_end() / kMoveShare + kMinMoves of them chose a move: the evaluations would
  // mostly go stale. (Session 10: by the rate so far, not n / kMoveShare: the same test at the
  // end, but a level with many moves gives up after its first part; graph 9's pass-2 level 0
  // evaluated 589,824 vertices ahead for nothing, now 36,864.) O(n + m) + choose.
  template <typename Choose>
  bool Evaluate(const WeightedGraph& g, int threads, Choose&& choose);
  NodeId evaluated_end() const { return evaluated_end_; }

  // Whether v must be evaluated again in its class; else whether its evaluation ahead chose a
  // move, and that choice.
  bool Stale(NodeId v) const { return all_stale_ || (mark_[v] & kStale) != 0; }
  bool Moves(NodeId v) const { return (mark_[v] & kMove) != 0; }
  const MoveChoice& ChoiceOf(NodeId v) const;
  // Community c's tot is about to change (a move into or out of it); comm is the partition
  // before the sweep's first move was applied when this is first called. Marks stale the
  // members of c and their neighbours, or every vertex once m / kMarkShare arcs are marked.
  void Changed(const WeightedGraph& g, NodeId c, std::span<const NodeId> comm);

 private:
  static constexpr std::size_t kTask = 1024;     // vertices per task
  static constexpr std::size_t kFirstPart = 64;  // the first part is n / kFirstPart vertices
  static constexpr std::size_t kMoveShare = 1024;
  static constexpr std::size_t kMinMoves = 16;
  static constexpr std::size_t kMarkShare = 8;
  static constexpr std::uint8_t kStale = 1;
  static constexpr std::uint8_t kMove = 2;

  // Keeps the evaluations (found: the moves chosen per task, in task order).
  void Keep(NodeId n, std::vector<std::vector<std::pair<NodeId, MoveChoice>>>& found);

  std::vector<std::uint8_t> mark_;                    // per vertex: kStale, kMove
  std::vector<std::uint8_t> changed_;                 // per community: tot changed
  std::vector<std::pair<NodeId, MoveChoice>> moves_;  // ascending vertex
  std::vector<NodeId> member_at_, members_;           // the start partition by community
  std::size_t marked_arcs_ = 0;
  bool all_stale_ = false;
  NodeId evaluated_end_ = 0;
};

template <typename Choose>
bool SweepAhead::Evaluate(const WeightedGraph& g, int threads, Choose&& choose) {
  const NodeId n = g.num_nodes();
  const std::size_t tasks = (n + kTask - 1) / kTask;
  std::vector<std::vector<std::pair<NodeId, MoveChoice>>> found(tasks);
  std::size_t moves = 0;
  for (std::size_t lo = 0, hi; lo < tasks; lo = hi) {
    hi = lo == 0 ? std::max<std::size_t>(1, tasks / kFirstPart) : std::min(tasks, 2 * lo);
    ParallelForDynamic(
        lo, hi, threads,
        [&](std::size_t t) {
          const NodeId end = static_cast<NodeId>(std::min<std::size_t>(n, (t + 1) * kTask));
          for (NodeId v = static_cast<NodeId>(t * kTask); v < end; ++v) {
            if (g.degree(v) == 0) continue;  // in no class
            const MoveChoice ch = choose(v);
            if (ch.best != ch.own) found[t].emplace_back(v, ch);
          }
        },
        /*grain=*/1);
    evaluated_end_ = static_cast<NodeId>(std::min<std::size_t>(n, hi * kTask));
    for (std::size_t t = lo; t < hi; ++t) moves += found[t].size();
    if (moves > evaluated_end_ / kMoveShare + kMinMoves) return false;
  }
  Keep(n, found);
  return true;
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_NETWORKS_INTERNAL_SWEEP_AHEAD_H_
