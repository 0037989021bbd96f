// Memory that Aggregate (aggregate.cc) keeps from one call to the next within one multilevel
// run (Louvain's or Leiden's levels and passes): each thread's row storage, its KeySums, and
// the arrays of level graphs the caller no longer needs. Every level used to allocate all of
// these afresh (the row buffers growing by doubling, each step a fresh mapping and a copy),
// so the kernel faulted in and zeroed several times the output's bytes per level; reused,
// the pages are faulted in once per run (session 9, tail9: see aggregate.cc for figures).
// One object serves one call at a time; it is not shared between threads otherwise.
#ifndef POLEGRAPH_LIB_NETWORKS_INTERNAL_AGGREGATE_BUFFERS_H_
#define POLEGRAPH_LIB_NETWORKS_INTERNAL_AGGREGATE_BUFFERS_H_

#include <cstddef>
#include <memory>
#include <vector>

#include "networks/internal/key_sums.h"
#include "networks/internal/multilevel.h"
#include "parallel/parallel.h"

namespace polegraph::internal {

class AggregateBuffers {
 public:
  // Rows are stored in blocks of this many entries per thread (a longer row gets a block of
  // its own length).
  static constexpr std::size_t kDefaultBlock = std::size_t{1} << 18;  // 3 MB

  // For calls on up to `threads` threads.
  explicit AggregateBuffers(int threads, std::size_t block = kDefaultBlock)
      : block_(block), slots_(threads) {}

  // Hands back a level graph the caller is done with: its arc arrays serve a later call's
  // output (levels shrink, so an earlier level's arrays usually hold the next one's arcs).
  void Recycle(LevelGraph&& lg) {
    if (lg.owned.targets.capacity() > spare_targets_.capacity()) {
      spare_targets_ = std::move(lg.owned.targets);
    }
    if (lg.owned.arc_weights.capacity() > spare_weights_.capacity()) {
      spare_weights_ = std::move(lg.owned.arc_weights);
    }
    lg = LevelGraph();
  }

 private:
  friend LevelGraph Aggregate(const LevelGraph&, const std::vector<NodeId>&, std::uint32_t, int,
                              std::vector<NodeId>*, AggregateBuffers*);

  // Rows are written back to back into fixed blocks that never move, so a row is found by
  // pointer; a thread starts a new block when its current one lacks room.
  struct Block {
    std::unique_ptr<NodeId[]> targets;
    std::unique_ptr<double[]> weights;
    std::size_t capacity = 0;
    std::size_t used = 0;
  };
  struct Slot {
    KeySums sums;
    std::vector<NodeId> dest;  // one vertex's neighbours' communities
    std::vector<Block> blocks;
    std::size_t current = 0;  // the block being filled
  };
  std::size_t block_;
  PerThread<Slot> slots_;
  std::vector<NodeId> spare_targets_;
  std::vector<double> spare_weights_;
};

// Aggregate (internal/multilevel.h) with its memory kept in `buffers` between calls (nullptr,
// or buffers made for fewer threads: its own, freed at the end). Same result.
LevelGraph Aggregate(const LevelGraph& lg, const std::vector<NodeId>& comm, std::uint32_t k,
                     int threads, std::vector<NodeId>* kept_id, AggregateBuffers* buffers);

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_NETWORKS_INTERNAL_AGGREGATE_BUFFERS_H_
