// LevelBfs's bottom-up step (see level_bfs.cc for the search as a whole).
//
// What: the next level of a direction-optimising BFS found bottom-up: every unreached admitted
// node with steps looks for its smallest step (neighbour id, EdgeId) into the frontier.
// How: the unreached admitted nodes with steps are an "unvisited" bitmap (computed from the
// reached bitmap, the AdjacencyIndex's degree bits and the admitted-node mask by word
// operations after top-down levels; handed on between bottom-up levels), taken by bit scans,
// so reached and isolated nodes cost nothing. Nodes go in chunks of 1024 (a multiple of 64)
// that own their words of the next-frontier, unvisited, reached and settled bitmaps, so each
// word is written once, whole, without atomics or a reset. A chunk
//   1. tries each node's first steps in the AdjacencyIndex (kBoth views): most reached nodes
//      find their parent there, reading 17 sequential bytes instead of a cache line at the
//      head of each CSR list;
//   2. scans the lists of the nodes that step 1 left undecided (and of every node of a
//      one-direction view), each list in (neighbour, EdgeId) order, the list with the smaller
//      first neighbour first and the other up to its hit;
//   3. computes the hits' EdgeIds (out-list: offset + index; in-list: the in-CSR's EdgeId),
//      random reads that stall a scan less when issued together.
// Cost: O(unvisited nodes + entries scanned) per level; no allocation once the per-thread
// buffers have grown.
// Reference: S. Beamer, K. Asanović, D. Patterson, "Direction-Optimizing Breadth-First
// Search", SC 2012 (bottom-up steps); the GAP Benchmark Suite's bfs.cc.
#include <algorithm>
#include <bit>
#include <memory>

#include "links/level_bfs.h"

namespace polegraph::links_internal {
namespace {

// A hit whose EdgeId is in its StepKey (no deferred read; see FilteredView::PrefixStep).
constexpr std::uint32_t kExact = ~std::uint32_t{0};

}  // namespace

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
  // undecided ones; then it computes the EdgeIds of the hits (see PrefixStep: offsets and
  // in-list EdgeIds are random reads, which stall the scans less when issued together).
  constexpr NodeId kChunk = 1024;
  constexpr std::size_t kWords = kChunk / 64;
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

// The inner loops are compiled per FilteredView::WithChecks case (called from level_bfs.cc).
template void LevelBfs::BottomUpStep<StepChecks<EdgeCheck::kNone, false>>();
template void LevelBfs::BottomUpStep<StepChecks<EdgeCheck::kLabel, false>>();
template void LevelBfs::BottomUpStep<StepChecks<EdgeCheck::kKind, false>>();
template void LevelBfs::BottomUpStep<StepChecks<EdgeCheck::kFull, false>>();
template void LevelBfs::BottomUpStep<StepChecks<EdgeCheck::kNone, true>>();
template void LevelBfs::BottomUpStep<StepChecks<EdgeCheck::kLabel, true>>();
template void LevelBfs::BottomUpStep<StepChecks<EdgeCheck::kKind, true>>();
template void LevelBfs::BottomUpStep<StepChecks<EdgeCheck::kFull, true>>();

}  // namespace polegraph::links_internal
