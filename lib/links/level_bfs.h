// A level-synchronous, direction-optimising BFS over a FilteredView that can be stepped one
// level at a time (the building block of every link analysis; see level_bfs.cc for the
// algorithm). Multi-source; forward (the filter's direction) or reverse; optional "terminal"
// nodes that are reached but never expanded (LinkedOffences: offences are endpoints only).
//
// Deterministic: distances do not depend on scheduling, and the parent of a node at distance
// d is the smallest StepKey (node id, EdgeId) over its admitted steps from distance d - 1,
// whichever of top-down or bottom-up found it. The order of nodes within level() is not
// deterministic; callers must not depend on it.
#ifndef POLEGRAPH_LIB_LINKS_LEVEL_BFS_H_
#define POLEGRAPH_LIB_LINKS_LEVEL_BFS_H_

#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "links/filtered_view.h"
#include "links/thread_buffers.h"
#include "parallel/frontier.h"
#include "parallel/parallel.h"
#include "polegraph/query.h"

namespace polegraph::links_internal {

class LevelBfs {
 public:
  // `view` and `terminal` (one byte per node, nonzero = do not expand; may be null) must
  // outlive the search.
  // store_parents = false is the latency mode (ShortestPath): parents are not recorded
  // (parent(v) finds them on demand, and only a path's nodes need them), and the distance
  // array comes from a per-thread pool and goes back to it, reset entry by entry, when the
  // search is destroyed. A latency-mode search therefore costs O(nodes it reaches), not
  // O(n), except for its bottom-up levels; each thread that ran one keeps its arrays (4 bytes
  // per node of the largest graph searched, per search alive at once) until it exits.
  LevelBfs(const FilteredView& view, bool reverse,
           const std::vector<std::uint8_t>* terminal = nullptr, bool store_parents = true);
  ~LevelBfs();
  LevelBfs(const LevelBfs&) = delete;
  LevelBfs& operator=(const LevelBfs&) = delete;

  // Restarts the search from `sources` (duplicates allowed; each must be admitted by the
  // view) at distance 0. Allocates the O(n) arrays on the first call and refills them on
  // later ones; no other step allocates more than O(n) in total (see Step()).
  void Start(std::span<const NodeId> sources);
  // Expands the current level; returns whether any node was reached. Reuses the search's
  // buffers: after the first levels grew them, a step allocates nothing.
  bool Step();
  // Steps until no node is reached or depth() == max_depth, polling ctx.Check() per level.
  absl::Status Run(std::uint32_t max_depth, const QueryContext& ctx);

  std::uint32_t depth() const { return depth_; }
  const std::vector<NodeId>& level() const { return level_; }  // nodes at distance depth()
  bool finished() const { return level_.empty(); }
  std::uint32_t dist(NodeId v) const { return dist_[v]; }
  // The smallest StepKey (node, EdgeId) from distance dist(v) - 1 to v; kNoStep for sources
  // and unreached nodes.
  StepKey parent(NodeId v) const;
  // By NodeId (in latency mode the array may be longer than num_nodes()).
  const std::vector<std::uint32_t>& distances() const { return dist_; }
  // Not in latency mode (the array belongs to the pool).
  std::vector<std::uint32_t> TakeDistances() && { return std::move(dist_); }
  // Parents as StepKeys (requires store_parents).
  std::vector<StepKey> TakeParents() &&;
  // Parent nodes (kNoNode) and edges (kNoEdge) by NodeId (requires store_parents).
  std::vector<NodeId> TakeParentNodes() && { return std::move(parent_node_); }
  std::vector<EdgeId> TakeParentEdges() && { return std::move(parent_edge_); }
  // Steps taken bottom-up so far (for tests and benchmarks).
  int bottom_up_steps() const { return bottom_up_steps_; }

 private:
  bool expandable(NodeId u) const { return terminal_ == nullptr || (*terminal_)[u] == 0; }
  [[gnu::always_inline]] std::uint64_t ScoutOf(NodeId v) const {
    return expandable(v) ? view_.scan_degree(v, reverse_) : 0;
  }
  template <typename C>
  StepKey FindParent(NodeId v) const;
  template <typename C>
  void TopDownStep();
  template <typename C>
  void TopDownLatencyStep();
  template <typename C>
  void ResolveContested();
  template <typename C>
  void BottomUpStep();
  std::uint64_t SumScout();
  // front_ := the expandable nodes among `nodes`.
  void BuildFront(const std::vector<NodeId>& nodes);

  const FilteredView& view_;
  const bool reverse_;
  const std::vector<std::uint8_t>* terminal_;
  const bool store_parents_;
  const bool pooled_;  // latency mode: dist_ is pooled, touched_ lists what to reset
  std::vector<std::uint32_t> dist_;
  std::vector<NodeId> parent_node_;  // kNoNode: a source, unreached, or not stored
  std::vector<EdgeId> parent_edge_;
  std::vector<NodeId> level_;
  std::vector<NodeId> previous_;         // the frontier of the last top-down level
  std::vector<NodeId> touched_;          // latency mode: every node given a distance
  std::vector<NodeId> contested_nodes_;  // top-down: reached by several steps
  std::vector<StepKey> keys_;            // their smallest step so far (frontier rescan)
  ThreadBuffers<NodeId> next_;           // the next level, per thread
  ThreadBuffers<StepKey> next_keys_;     // top-down: the step that claimed each, per thread
  std::vector<StepKey> level_keys_;      // next_keys_ collected (aligned with level_)
  internal::PerThread<std::uint64_t> scout_local_;  // its m_f, per thread
  std::uint32_t depth_ = 0;
  std::uint64_t edges_unexplored_ = 0;  // m_u of the heuristic
  std::uint64_t scout_ = 0;             // m_f: CSR entries the current level would scan
  std::size_t previous_level_size_ = 0;
  bool bottom_up_ = false;
  int bottom_up_steps_ = 0;
  // Bottom-up frontier bitmaps (expandable nodes of the level only), allocated on the first
  // bottom-up step; front_ already holds level_ when front_valid_.
  std::unique_ptr<internal::Bitmap> front_, next_front_;
  bool front_valid_ = false;
  // Bottom-up: the admitted nodes not reached yet, so that a level visits them by bit scans
  // (no per-node distance read or branch for reached ones); valid across consecutive bottom-up
  // levels, rebuilt from dist_ after a top-down one.
  std::unique_ptr<internal::Bitmap> unvisited_;
  bool unvisited_valid_ = false;
  // Top-down: nodes reached by more than one step in the current level (store_parents only).
  std::unique_ptr<internal::Bitmap> contested_;
  // store_parents only: the nodes given a distance so far, and those claimed in the current
  // top-down level (whose distances are written after it). Set by Start() for the sources,
  // by top-down claims and by bottom-up levels; a bottom-up level's unvisited nodes are the
  // nodes with steps outside it (word operations, no pass over distances or offsets).
  std::unique_ptr<internal::Bitmap> reached_;
  // store_parents only: the nodes given a distance before the current level (top-down levels
  // test it per step instead of reading distances).
  std::unique_ptr<internal::Bitmap> settled_;
  // The snapshot's adjacency index, fetched by the first bottom-up level.
  const AdjacencyIndex* index_ = nullptr;
};

}  // namespace polegraph::links_internal

#endif  // POLEGRAPH_LIB_LINKS_LEVEL_BFS_H_
