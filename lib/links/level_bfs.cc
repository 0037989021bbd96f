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
//               neighbour in the frontier bitmap; each CSR list is sorted by (neighbour,
//               EdgeId), so the first hit of a list is its smallest key and the scan stops
//               there (with kBoth the list with the smaller first neighbour goes first, and
//               the other stops past its hit). The unreached admitted nodes that have steps
//               are an "unvisited" bitmap, taken by bit scans, so reached and isolated nodes
//               cost nothing (no distance read, no mispredicted branch; Kronecker graphs leave
//               about 40 % of their nodes isolated). Nodes go in chunks of 1024 that own
//               their words of the next and unvisited bitmaps, so consecutive bottom-up
//               levels hand both on without atomics, a reset or a rebuild.
// The inner loops are compiled per FilteredView::WithChecks case, so a search whose filter
// admits everything (or only hides labels) makes no per-edge kind, time or node-mask checks.
// Heuristics of Beamer et al.: go bottom-up when the CSR entries the frontier would scan
// (m_f) exceed the unexplored entries (m_u) / alpha, and back to top-down when the frontier
// shrinks below n / beta. alpha = 15, beta = 18 as in the paper and GAP; as in GAP, m_u only
// decreases on top-down levels. Which direction runs never changes the result.
// Cost: O(n + m) work per search (bottom-up levels may rescan unreached nodes), O(n) memory:
// 4 + 4 + 4 bytes per node (distance, parent node, parent edge), five bitmaps, and the level
// buffers (at most n entries each; 8 more bytes per top-down claim for its step). These are
// allocated by Start() and reused by every level: the number of allocations of a search does
// not grow with its number of levels (tests/links/alloc_test.cc). Latency mode
// (store_parents = false, see level_bfs.h) reuses a pooled distance array instead and costs
// O(nodes reached) outside bottom-up levels.
// Reference: S. Beamer, K. Asanović, D. Patterson, "Direction-Optimizing Breadth-First
// Search", SC 2012; the GAP Benchmark Suite's bfs.cc.
#include "links/level_bfs.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <utility>

namespace polegraph::links_internal {
namespace {

constexpr std::uint64_t kAlpha = 15;
// ResolveContested searches bottom-up (by the index) from this many contested nodes.
constexpr std::size_t kIndexedResolve = 1024;
// A bottom-up hit whose EdgeId is in its StepKey (no deferred read; see PrefixStep).
constexpr std::uint32_t kExact = ~std::uint32_t{0};
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

void LevelBfs::BuildFront(const std::vector<NodeId>& nodes) {
  if (!front_) front_ = std::make_unique<internal::Bitmap>(view_.num_nodes());
  front_->reset();
  internal::ParallelFor(0, nodes.size(), view_.threads(), [&](std::size_t i) {
    if (expandable(nodes[i])) front_->set_atomic(nodes[i]);
  });
}

template <typename C>
void LevelBfs::BottomUpStep() {
  const int threads = view_.threads();
  const NodeId n = view_.num_nodes();
  const std::uint32_t next_depth = depth_ + 1;
  if (!unvisited_) {
    next_front_ = std::make_unique<internal::Bitmap>(n);
    unvisited_ = std::make_unique<internal::Bitmap>(n);
  }
  if (!front_valid_) BuildFront(level_);
  if (index_ == nullptr) index_ = &AdjacencyIndex::Of(view_.graph(), threads);
  const AdjacencyIndex& index = *index_;
  internal::Bitmap& unvisited = *unvisited_;
  if (!unvisited_valid_) {  // after top-down levels: word operations
    internal::ParallelFor(
        0, unvisited.num_words(), threads,
        [&](std::size_t w) {
          // Nodes without steps (isolated ones) can never be reached: left out.
          std::uint64_t bits = view_.steps_word(index, w, !reverse_);
          if (store_parents_) {
            bits &= ~reached_->word(w);
          } else {  // latency mode: the pooled distances say what is reached
            for (std::uint64_t todo = bits; todo != 0; todo &= todo - 1) {
              const int b = std::countr_zero(todo);
              if (dist_[w * 64 + static_cast<std::size_t>(b)] != kUnreached) {
                bits &= ~(std::uint64_t{1} << b);
              }
            }
          }
          if constexpr (C::kNodes) bits = view_.admitted_bits(w, bits);
          unvisited.store_word(w, bits);
        },
        /*grain=*/256);
    unvisited_valid_ = true;
  }
  // With both lists scanned, a node's first steps come from the index (PrefixStep); the nodes
  // it leaves undecided, and every node of a one-direction view, scan their lists (MinStep).
  const bool indexed = view_.scans_out(!reverse_) && view_.scans_in(!reverse_);
  const internal::Bitmap::Reader front = front_->reader();
  internal::Bitmap& next_front = *next_front_;
  // Chunks of 1024 nodes (a multiple of 64): a chunk owns its words of the next, unvisited and
  // reached bitmaps, so it writes each word once, whole, without atomics or a reset; and it
  // fetches its thread's buffers once. A chunk first takes its unvisited nodes in increasing
  // id order by bit scans and tries each one's index entries; then it scans the lists of the
  // undecided ones, prefetching a few nodes ahead (each scan starts with cache misses on the
  // offsets and the list heads, which the prefetches overlap); then it reads the EdgeIds of
  // the hits (see PrefixStep: offsets and in-list EdgeIds are random reads).
  constexpr NodeId kChunk = 1024;
  constexpr std::size_t kWords = kChunk / 64;
  constexpr std::size_t kAheadOffsets = 16, kAheadHeads = 8;
  const std::size_t chunks = (std::size_t{n} + kChunk - 1) / kChunk;
  internal::ParallelForDynamic(
      0, chunks, threads,
      [&](std::size_t c) {
        std::vector<NodeId>& out = next_.local();
        const NodeId lo = static_cast<NodeId>(c) * kChunk;
        const NodeId hi = std::min<NodeId>(n, lo + kChunk);
        const std::size_t words = (std::size_t{hi - lo} + 63) / 64;
        std::uint64_t had[kWords], left[kWords], bits[kWords];
        NodeId undecided[kChunk];
        std::size_t undecided_count = 0;
        NodeId pending_node[kChunk];
        std::uint32_t pending_where[kChunk];
        std::size_t pending = 0;
        auto in_front = [front](NodeId u) { return front.get(u); };
        auto reach = [&](NodeId v, StepKey best, std::uint32_t where) {
          const std::size_t i = (v - lo) / 64;
          const std::uint64_t bit = std::uint64_t{1} << ((v - lo) % 64);
          left[i] &= ~bit;
          dist_[v] = next_depth;
          if (store_parents_) {
            parent_node_[v] = StepNode(best);
            if (where == kExact) {
              parent_edge_[v] = StepEdge(best);
            } else {
              pending_node[pending] = v;
              pending_where[pending++] = where;
            }
          }
          out.push_back(v);
          if (expandable(v)) bits[i] |= bit;
        };
        for (std::size_t i = 0; i < words; ++i) {
          had[i] = left[i] = unvisited.word(lo / 64 + i);
          bits[i] = 0;
          for (std::uint64_t todo = had[i]; todo != 0; todo &= todo - 1) {
            const NodeId v = lo + static_cast<NodeId>(i * 64) +
                             static_cast<NodeId>(std::countr_zero(todo));
            std::uint32_t where = kExact;
            const StepKey best = indexed ? view_.PrefixStep<C>(v, index, in_front, &where)
                                         : FilteredView::kUndecided;
            if (best == FilteredView::kUndecided) {
              undecided[undecided_count++] = v;
            } else if (best != kNoStep) {
              reach(v, best, where);
            }
          }
        }
        for (std::size_t j = 0; j < undecided_count; ++j) {
          if (j + kAheadOffsets < undecided_count) {
            view_.PrefetchOffsets(undecided[j + kAheadOffsets], !reverse_);
          }
          if (j + kAheadHeads < undecided_count) {
            view_.PrefetchHeads(undecided[j + kAheadHeads], !reverse_);
          }
          const NodeId v = undecided[j];
          std::uint32_t where = kExact;
          StepKey best;
          if constexpr (C::kEdges == EdgeCheck::kNone) {
            best = view_.MinStepDeferred<C>(v, !reverse_, in_front, &where);
          } else {
            best = view_.MinStep<C>(v, !reverse_, in_front);
          }
          if (best != kNoStep) reach(v, best, where);
        }
        for (std::size_t j = 0; j < pending; ++j) {
          parent_edge_[pending_node[j]] = view_.DeferredEdge(pending_node[j], pending_where[j]);
        }
        for (std::size_t i = 0; i < words; ++i) {
          const std::size_t w = lo / 64 + i;
          if (left[i] != had[i]) {
            unvisited.store_word(w, left[i]);
            if (store_parents_) {
              reached_->store_word(w, reached_->word(w) | (had[i] & ~left[i]));
              settled_->store_word(w, settled_->word(w) | (had[i] & ~left[i]));
            }
          }
          next_front.store_word(w, bits[i]);
        }
      },
      /*grain=*/1);
  next_.Collect(level_, threads);
  front_.swap(next_front_);
  front_valid_ = true;
  ++bottom_up_steps_;
}

}  // namespace polegraph::links_internal
