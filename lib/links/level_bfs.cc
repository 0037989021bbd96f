// Direction-optimising breadth-first search over the filtered view.
//
// What: hop distances (and smallest-(node, EdgeId) parents) from a set of sources, following
// admitted steps in the filter's direction (or the reverse one); kBoth scans the out- and
// in-CSR of each node.
// How: level-synchronous. Each level is expanded either
//   top-down  — every frontier node scans its steps; an unreached neighbour is claimed by
//               setting its bit in a "claimed" bitmap (an atomic fetch-or, or a plain store
//               at one thread) and appended, with the claiming step, to per-thread buffers.
//               The new level's distances and parents are written after the level, in a
//               parallel pass over it: an atomic read-modify-write waits for every store
//               before it, so stores to the O(n) arrays at the claims (cache misses) would
//               serialise the level. The claiming step is the parent unless another step
//               reached the node in the same level (then a "contested" bit is set, and after
//               the level the node takes its smallest step back, as in bottom-up). So no
//               atomic minimum runs per edge, and a node reached once is not rescanned. With
//               store_parents = false (latency mode) nodes are claimed by compare-and-swap on
//               the pooled distances instead (no O(n) bitmap), and parent() searches on demand.
//   bottom-up — every unreached admitted node scans its steps in the opposite sense for a
//               neighbour in the frontier bitmap, in (neighbour, EdgeId) order, so that its
//               first hit is its smallest key: see level_bfs_bottom_up.cc (the snapshot's
//               adjacency index holds each node's first steps; unvisited nodes are a bitmap).
// Reached nodes are bitmaps too: "reached" (given a distance, or claimed by the current
// top-down level) and "settled" (given a distance before the current level); a top-down step
// tests settled instead of reading a distance per step, and the bottom-up unvisited set is
// computed from them and the index's degree bits by word operations.
// The inner loops are compiled per FilteredView::WithChecks case, so a search whose filter
// admits everything (or only hides labels) makes no per-edge kind, time or node-mask checks.
// Heuristics of Beamer et al.: go bottom-up when the CSR entries the frontier would scan
// (m_f) exceed the unexplored entries (m_u) / alpha, and back to top-down when the frontier
// shrinks below n / beta. alpha = 15, beta = 18 as in the paper and GAP; as in GAP, m_u only
// decreases on top-down levels. Which direction runs never changes the result.
// Cost: O(n + m) work per search (bottom-up levels may rescan unreached nodes), O(n) memory:
// 4 + 4 + 4 bytes per node (distance, parent node, parent edge), seven bitmaps, and the level
// buffers (at most n entries each; 8 more bytes per top-down claim for its step). These are
// allocated by Start() and reused by every level: the number of allocations of a search does
// not grow with its number of levels (tests/links/alloc_test.cc). Latency mode
// (store_parents = false, see level_bfs.h) reuses a pooled distance array instead and costs
// O(nodes reached) outside bottom-up levels. The first bottom-up level on a snapshot builds
// its AdjacencyIndex (17.25 bytes per node, kept with the snapshot).
// Reference: S. Beamer, K. Asanović, D. Patterson, "Direction-Optimizing Breadth-First
// Search", SC 2012; the GAP Benchmark Suite's bfs.cc.
#include "links/level_bfs.h"

#include <algorithm>
#include <atomic>
#include <utility>

namespace polegraph::links_internal {
namespace {

constexpr std::uint64_t kAlpha = 15;
// ResolveContested searches bottom-up (by the index) from this many contested nodes.
constexpr std::size_t kIndexedResolve = 1024;
constexpr std::uint64_t kBeta = 18;

}  // namespace

namespace {

// Distance arrays of finished latency-mode searches, per thread, all entries kUnreached.
thread_local std::vector<std::vector<std::uint32_t>> pooled_distances;

}  // namespace

LevelBfs::LevelBfs(const FilteredView& view, bool reverse,
                   const std::vector<std::uint8_t>* terminal, bool store_parents)
    : view_(view),
      reverse_(reverse),
      terminal_(terminal),
      store_parents_(store_parents),
      pooled_(!store_parents),
      next_(view.threads()),
      next_keys_(view.threads()),
      scout_local_(view.threads()) {
  if (pooled_ && !pooled_distances.empty()) {
    dist_ = std::move(pooled_distances.back());
    pooled_distances.pop_back();
  }
}

LevelBfs::~LevelBfs() {
  if (!pooled_) return;
  for (NodeId v : touched_) dist_[v] = kUnreached;
  pooled_distances.push_back(std::move(dist_));
}

void LevelBfs::Start(std::span<const NodeId> sources) {
  const NodeId n = view_.num_nodes();
  if (pooled_) {  // only the entries the last search set need a reset
    for (NodeId v : touched_) dist_[v] = kUnreached;
    touched_.clear();
    if (dist_.size() < n) dist_.resize(n, kUnreached);
  } else {
    dist_.assign(n, kUnreached);
    parent_node_.assign(n, kNoNode);
    parent_edge_.assign(n, kNoEdge);
    if (!reached_) {
      reached_ = std::make_unique<internal::Bitmap>(n);
      settled_ = std::make_unique<internal::Bitmap>(n);
    } else {
      reached_->reset();
      settled_->reset();
    }
  }
  level_.clear();
  for (NodeId s : sources) {
    if (dist_[s] == kUnreached) {
      dist_[s] = 0;
      level_.push_back(s);
      if (reached_) {
        reached_->set_plain(s);
        settled_->set_plain(s);
      }
    }
  }
  if (pooled_) touched_.insert(touched_.end(), level_.begin(), level_.end());
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
  front_valid_ = false;
  unvisited_valid_ = false;
}

absl::Status LevelBfs::Run(std::uint32_t max_depth, const QueryContext& ctx) {
  while (depth_ < max_depth && !level_.empty()) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    Step();
  }
  return ctx.Check();
}

StepKey LevelBfs::parent(NodeId v) const {
  if (store_parents_) {
    return parent_node_[v] == kNoNode ? kNoStep : PackStep(parent_node_[v], parent_edge_[v]);
  }
  if (dist_[v] == 0 || dist_[v] == kUnreached) return kNoStep;
  return view_.WithChecks([&](auto checks) { return FindParent<decltype(checks)>(v); });
}

std::vector<StepKey> LevelBfs::TakeParents() && {
  std::vector<StepKey> out(parent_node_.size(), kNoStep);
  internal::ParallelFor(0, out.size(), view_.threads(), [&](std::size_t v) {
    if (parent_node_[v] != kNoNode) out[v] = PackStep(parent_node_[v], parent_edge_[v]);
  });
  return out;
}

// The smallest step back from v (at distance d >= 1) to an expandable node at distance d - 1.
template <typename C>
StepKey LevelBfs::FindParent(NodeId v) const {
  const std::uint32_t want = dist_[v] - 1;
  return view_.MinStep<C>(v, !reverse_, [&](NodeId u, EdgeId) {
    return dist_[u] == want && expandable(u);
  });
}

bool LevelBfs::Step() {
  if (level_.empty()) return false;
  const NodeId n = view_.num_nodes();
  if (!bottom_up_ && scout_ > edges_unexplored_ / kAlpha) {
    bottom_up_ = true;
  } else if (bottom_up_ && level_.size() < previous_level_size_ &&
             level_.size() * kBeta < n) {
    bottom_up_ = false;
    // Bottom-up levels do not sum their m_f (no decision needs it there); the top-down level
    // does (ResolveContested).
    internal::ParallelFor(0, level_.size(), view_.threads(),
                          [&](std::size_t i) { scout_local_.local() += ScoutOf(level_[i]); });
    scout_ = SumScout();
  }
  previous_level_size_ = level_.size();
  view_.WithChecks([&](auto checks) {
    if (bottom_up_) {
      BottomUpStep<decltype(checks)>();
    } else {
      TopDownStep<decltype(checks)>();
    }
  });
  ++depth_;
  if (pooled_) touched_.insert(touched_.end(), level_.begin(), level_.end());
  // m_f of the new level (summed by top-down steps; 0 after a bottom-up one). As in GAP, m_u
  // only loses what top-down levels scan: a search that went bottom-up does not come back to
  // it for a last small level (a bottom-up step costs O(n) whatever m_u says).
  scout_ = SumScout();
  if (!bottom_up_) edges_unexplored_ -= std::min(edges_unexplored_, scout_);
  return !level_.empty();
}

std::uint64_t LevelBfs::SumScout() {
  std::uint64_t total = 0;
  for (std::size_t t = 0; t < scout_local_.size(); ++t) {
    total += scout_local_[t];
    scout_local_[t] = 0;
  }
  return total;
}

template <typename C>
void LevelBfs::TopDownStep() {
  if (!store_parents_) {
    TopDownLatencyStep<C>();
    return;
  }
  const int threads = view_.threads();
  const std::uint32_t next_depth = depth_ + 1;
  const NodeId n = view_.num_nodes();
  if (!contested_) contested_ = std::make_unique<internal::Bitmap>(n);
  internal::Bitmap& claimed = *reached_;
  internal::Bitmap& contested = *contested_;
  const internal::Bitmap::Reader settled = settled_->reader();
  const bool shared = internal::ThreadsFor(level_.size(), threads, 64) > 1;
  internal::ParallelForDynamic(0, level_.size(), threads, [&](std::size_t i) {
    const NodeId u = level_[i];
    if (!expandable(u)) return;
    // Not reached before this level (a cache-resident bitmap rather than the distances).
    auto open = [settled](NodeId v) { return !settled.get(v); };
    view_.ForEachStepIf<C>(u, reverse_, open, [&](NodeId v, EdgeId e) {
      bool won;
      if (claimed.get(v)) {
        won = false;
      } else if (shared) {
        won = claimed.test_and_set_atomic(v);
      } else {
        claimed.set_plain(v);
        won = true;
      }
      if (won) {
        next_.local().push_back(v);
        next_keys_.local().push_back(PackStep(u, e));  // exact unless v is contested
      } else if (!contested.get(v)) {
        contested.set_atomic(v);  // tested first: most repeats find the bit already set
      }
    });
  });
  previous_.swap(level_);  // the frontier, kept for ResolveContested
  next_.Collect(level_, threads);
  next_keys_.Collect(level_keys_, threads);
  // The new level's distances, candidate parents and m_f, written here rather than at the
  // claims: a claim is an atomic read-modify-write, which waits for every store before it, so
  // stores that miss the cache there would serialise the level.
  internal::ParallelFor(0, level_.size(), threads, [&](std::size_t i) {
    const NodeId v = level_[i];
    dist_[v] = next_depth;
    parent_node_[v] = StepNode(level_keys_[i]);
    parent_edge_[v] = StepEdge(level_keys_[i]);
    scout_local_.local() += ScoutOf(v);
  });
  unvisited_valid_ = false;
  front_valid_ = false;
  ResolveContested<C>();  // may use front_ for the frontier
  // settled_ := reached_ (the nodes claimed by this level are the only difference). A large
  // level is taken word by word, and then the difference is also the next bottom-up step's
  // frontier bitmap (when every node is expandable), built here without a set per node.
  if (level_.size() < settled_->num_words()) {
    for (NodeId v : level_) settled_->set_plain(v);
  } else {
    if (!front_) front_ = std::make_unique<internal::Bitmap>(n);
    const bool fill_front = terminal_ == nullptr;
    internal::ParallelFor(0, settled_->num_words(), threads, [&](std::size_t w) {
      const std::uint64_t now = claimed.word(w);
      if (fill_front) front_->store_word(w, now & ~settled_->word(w));
      settled_->store_word(w, now);
    });
    front_valid_ = fill_front;
  }
}

// Latency mode (no parents): claims by compare-and-swap on the pooled distance array, so
// that a search touches O(nodes it reaches) and no O(n) bitmap.
template <typename C>
void LevelBfs::TopDownLatencyStep() {
  const int threads = view_.threads();
  const std::uint32_t next_depth = depth_ + 1;
  internal::ParallelForDynamic(0, level_.size(), threads, [&](std::size_t i) {
    const NodeId u = level_[i];
    if (!expandable(u)) return;
    auto open = [&](NodeId v) {
      return std::atomic_ref<std::uint32_t>(dist_[v]).load(std::memory_order_relaxed) ==
             kUnreached;
    };
    view_.ForEachStepIf<C>(u, reverse_, open, [&](NodeId v, EdgeId) {
      std::atomic_ref<std::uint32_t> dv(dist_[v]);
      std::uint32_t current = dv.load(std::memory_order_relaxed);
      if (current == kUnreached &&
          dv.compare_exchange_strong(current, next_depth, std::memory_order_relaxed)) {
        next_.local().push_back(v);
        scout_local_.local() += ScoutOf(v);
      }
    });
  });
  next_.Collect(level_, threads);
  front_valid_ = false;
  unvisited_valid_ = false;
}

// The parents of the new level's nodes that more than one step reached (their contested bit
// is set; it is cleared here). Either each such node scans back for its smallest step into
// the frontier, or, when that would scan more than the frontier's own lists (hubs reached
// from a small frontier), the frontier rescans its steps and lowers a 64-bit key per
// contested node with an atomic minimum; the cheaper of the two by CSR entries.
template <typename C>
void LevelBfs::ResolveContested() {
  const int threads = view_.threads();
  contested_nodes_.clear();
  for (NodeId v : level_) {
    if (contested_->get(v)) contested_nodes_.push_back(v);
  }
  std::uint64_t back_cost = 0;
  for (NodeId v : contested_nodes_) back_cost += view_.scan_degree(v, !reverse_);
  if (contested_nodes_.empty()) return;
  const std::size_t k = contested_nodes_.size();
  if (back_cost <= scout_ && k >= kIndexedResolve && view_.scans_out(!reverse_) &&
      view_.scans_in(!reverse_)) {
    // Scanning back, for many nodes: a bottom-up search of their smallest step into the
    // frontier, by a frontier bitmap and the adjacency index (most find it among their first
    // entries) rather than a distance read per entry.
    BuildFront(previous_);
    front_valid_ = false;  // front_ holds the frontier, not the new level
    if (index_ == nullptr) index_ = &AdjacencyIndex::Of(view_.graph(), threads);
    const internal::Bitmap::Reader front = front_->reader();
    auto in_front = [front](NodeId u) { return front.get(u); };
    internal::ParallelForDynamic(0, k, threads, [&](std::size_t i) {
      const NodeId v = contested_nodes_[i];
      const StepKey best = view_.MinStepIndexed<C>(v, !reverse_, *index_, in_front);
      parent_node_[v] = StepNode(best);
      parent_edge_[v] = StepEdge(best);
    });
  } else if (back_cost <= scout_) {  // scout_: what the frontier's lists hold (m_f)
    internal::ParallelForDynamic(0, k, threads, [&](std::size_t i) {
      const NodeId v = contested_nodes_[i];
      const StepKey best = FindParent<C>(v);
      parent_node_[v] = StepNode(best);
      parent_edge_[v] = StepEdge(best);
    });
  } else {
    keys_.assign(k, kNoStep);
    for (std::size_t i = 0; i < k; ++i) {
      parent_edge_[contested_nodes_[i]] = static_cast<EdgeId>(i);  // slot, for now
    }
    internal::ParallelForDynamic(0, previous_.size(), threads, [&](std::size_t i) {
      const NodeId u = previous_[i];
      if (!expandable(u)) return;
      view_.ForEachStep<C>(u, reverse_, [&](NodeId v, EdgeId e) {
        if (!contested_->get(v)) return;
        std::atomic_ref<StepKey> key(keys_[parent_edge_[v]]);
        const StepKey mine = PackStep(u, e);
        StepKey current = key.load(std::memory_order_relaxed);
        while (mine < current &&
               !key.compare_exchange_weak(current, mine, std::memory_order_relaxed)) {
        }
      });
    });
    for (std::size_t i = 0; i < k; ++i) {
      const NodeId v = contested_nodes_[i];
      parent_node_[v] = StepNode(keys_[i]);
      parent_edge_[v] = StepEdge(keys_[i]);
    }
  }
  for (NodeId v : contested_nodes_) contested_->clear_atomic(v);
}

}  // namespace polegraph::links_internal
