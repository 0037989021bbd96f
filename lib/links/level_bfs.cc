// Direction-optimising breadth-first search over the filtered view.
//
// What: hop distances (and smallest-(node, EdgeId) parents) from a set of sources, following
// admitted steps in the filter's direction (or the reverse one); kBoth scans the out- and
// in-CSR of each node.
// How: level-synchronous. Each level is expanded either
//   top-down  — every frontier node scans its steps; an unreached neighbour is claimed with a
//               compare-and-swap on its distance and appended to a per-thread buffer, and the
//               parent is lowered with an atomic minimum (so the smallest key wins whatever the
//               timing), or
//   bottom-up — every unreached admitted node scans its steps in the opposite sense for a
//               neighbour in the frontier bitmap; each CSR list is sorted by (neighbour,
//               EdgeId), so the first hit of a list is its smallest key and the scan stops
//               there.
// Heuristics of Beamer et al.: go bottom-up when the CSR entries the frontier would scan
// (m_f) exceed the unexplored entries (m_u) / alpha, and back to top-down when the frontier
// shrinks below n / beta. alpha = 15, beta = 18 as in the paper and GAP.
// Cost: O(n + m) work per search (bottom-up levels may rescan unreached nodes), O(n) memory:
// 4 + 8 bytes per node plus two bitmaps.
// Reference: S. Beamer, K. Asanović, D. Patterson, "Direction-Optimizing Breadth-First
// Search", SC 2012; the GAP Benchmark Suite's bfs.cc.
#include "links/level_bfs.h"

#include <algorithm>
#include <atomic>
#include <utility>

#include "links/thread_buffers.h"
#include "parallel/parallel.h"

namespace polegraph::links_internal {
namespace {

constexpr std::uint64_t kAlpha = 15;
constexpr std::uint64_t kBeta = 18;

void AtomicMinKey(StepKey& slot, StepKey value) {
  std::atomic_ref<StepKey> ref(slot);
  StepKey current = ref.load(std::memory_order_relaxed);
  while (value < current &&
         !ref.compare_exchange_weak(current, value, std::memory_order_relaxed)) {
  }
}

}  // namespace

LevelBfs::LevelBfs(const FilteredView& view, bool reverse,
                   const std::vector<std::uint8_t>* terminal)
    : view_(view), reverse_(reverse), terminal_(terminal) {}

void LevelBfs::Start(std::span<const NodeId> sources) {
  const NodeId n = view_.num_nodes();
  dist_.assign(n, kUnreached);
  parent_.assign(n, kNoStep);
  level_.clear();
  for (NodeId s : sources) {
    if (dist_[s] == kUnreached) {
      dist_[s] = 0;
      level_.push_back(s);
    }
  }
  depth_ = 0;
  const Graph& g = view_.graph();
  edges_unexplored_ = (view_.scans_out(reverse_) ? g.num_edges() : 0) +
                      (view_.scans_in(reverse_) ? g.num_edges() : 0);
  scout_ = 0;
  for (NodeId s : level_) scout_ += ScoutOf(s);
  edges_unexplored_ -= std::min(edges_unexplored_, scout_);
  previous_level_size_ = 0;
  bottom_up_ = false;
  bottom_up_steps_ = 0;
}

absl::Status LevelBfs::Run(std::uint32_t max_depth, const QueryContext& ctx) {
  while (depth_ < max_depth && !level_.empty()) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    Step();
  }
  return ctx.Check();
}

bool LevelBfs::Step() {
  if (level_.empty()) return false;
  const NodeId n = view_.num_nodes();
  if (!bottom_up_ && scout_ > edges_unexplored_ / kAlpha) {
    bottom_up_ = true;
  } else if (bottom_up_ && level_.size() < previous_level_size_ &&
             level_.size() * kBeta < n) {
    bottom_up_ = false;
  }
  previous_level_size_ = level_.size();
  if (bottom_up_) {
    BottomUpStep();
  } else {
    TopDownStep();
  }
  ++depth_;
  // m_f of the new level; m_u loses what the new level will scan.
  const int threads = view_.threads();
  internal::PerThread<std::uint64_t> scout(threads);
  internal::ParallelFor(0, level_.size(), threads,
                        [&](std::size_t i) { scout.local() += ScoutOf(level_[i]); });
  scout_ = 0;
  for (std::size_t t = 0; t < scout.size(); ++t) scout_ += scout[t];
  edges_unexplored_ -= std::min(edges_unexplored_, scout_);
  return !level_.empty();
}

void LevelBfs::TopDownStep() {
  const int threads = view_.threads();
  const std::uint32_t next_depth = depth_ + 1;
  ThreadBuffers<NodeId> next(threads);
  internal::ParallelForDynamic(0, level_.size(), threads, [&](std::size_t i) {
    const NodeId u = level_[i];
    if (!expandable(u)) return;
    view_.ForEachStep(u, reverse_, [&](NodeId v, EdgeId e) {
      std::atomic_ref<std::uint32_t> dv(dist_[v]);
      std::uint32_t current = dv.load(std::memory_order_relaxed);
      if (current < next_depth) return;
      if (current == kUnreached) {
        if (dv.compare_exchange_strong(current, next_depth, std::memory_order_relaxed)) {
          next.local().push_back(v);
        } else if (current != next_depth) {
          return;  // unreachable: only this level writes distances now
        }
      }
      AtomicMinKey(parent_[v], PackStep(u, e));
    });
  });
  next.Collect(level_, threads);
}

void LevelBfs::BottomUpStep() {
  const int threads = view_.threads();
  const NodeId n = view_.num_nodes();
  const std::uint32_t next_depth = depth_ + 1;
  if (!front_) {
    front_ = std::make_unique<internal::Bitmap>(n);
  } else {
    front_->reset();
  }
  internal::ParallelFor(0, level_.size(), threads,
                        [&](std::size_t i) { front_->set_atomic(level_[i]); });
  const internal::Bitmap& front = *front_;
  ThreadBuffers<NodeId> next(threads);
  internal::ParallelForDynamic(
      0, n, threads,
      [&](std::size_t i) {
        const auto v = static_cast<NodeId>(i);
        if (dist_[v] != kUnreached || !view_.node_ok(v)) return;
        const StepKey best = view_.MinStep(
            v, !reverse_, [&](NodeId u, EdgeId) { return front.get(u) && expandable(u); });
        if (best == kNoStep) return;
        dist_[v] = next_depth;
        parent_[v] = best;
        next.local().push_back(v);
      },
      /*grain=*/1024);
  next.Collect(level_, threads);
  ++bottom_up_steps_;
}

}  // namespace polegraph::links_internal
