// FactArrayPool (internal/facts.h): the large fact arrays of freed chunks, kept for the chunks
// parsed next.
//
// Why: a chunk's arrays (text, records, nodes, positions, edges, properties) are megabytes. Freed,
// glibc hands such blocks back to the kernel (munmap, or a heap trim), and the next chunk's
// arrays come back as fresh zeroed pages: one page fault and one page clear per 4 KiB, on the
// parsing threads, for every chunk (about 0.5 of the ~7 parse CPU seconds at scale 10). Kept here
// instead, the pages stay resident and are written again directly.
// How: a mutex-guarded stack of at most kMaxSets sets. ~ChunkFacts gives its arrays back
// (cleared: every element type is trivially destructible, so clearing is O(1)); the parser
// takes a set for its next chunk and keeps each array only when its capacity is at most twice
// what that chunk is expected to need (so a PND chunk's large arrays do not stay resident under
// an ANPR chunk's smaller facts). The pool is shared by the ChunkParsers alive (a weak
// reference in a function-local static), so it and its arrays go when the last parser and the
// last chunk it parsed are gone — before Ingest builds the graph, its memory peak.
// Cost: O(1) per chunk, one lock round trip to give and one to take.
#include <type_traits>
#include <utility>

#include "ingest/internal/facts.h"

namespace polegraph::ingest_internal {

static_assert(std::is_trivially_destructible_v<RecordFacts> &&
                  std::is_trivially_destructible_v<NodeFact> &&
                  std::is_trivially_destructible_v<PositionFact> &&
                  std::is_trivially_destructible_v<EdgeFact> &&
                  std::is_trivially_destructible_v<PropFact>,
              "clearing a pooled array must not run destructors");

ChunkFacts::~ChunkFacts() {
  if (pool == nullptr) return;
  FactArrayPool::Arrays arrays;
  arrays.chars = std::move(chars);
  arrays.records = std::move(records);
  arrays.nodes = std::move(nodes);
  arrays.positions = std::move(positions);
  arrays.edges = std::move(edges);
  arrays.props = std::move(props);
  pool->Give(std::move(arrays));
}

std::shared_ptr<FactArrayPool> FactArrayPool::Shared() {
  static std::mutex mu;
  static std::weak_ptr<FactArrayPool> shared;
  std::lock_guard<std::mutex> lock(mu);
  std::shared_ptr<FactArrayPool> pool = shared.lock();
  if (pool == nullptr) {
    pool = std::make_shared<FactArrayPool>();
    shared = pool;
  }
  return pool;
}

bool FactArrayPool::Take(Arrays* out) {
  std::lock_guard<std::mutex> lock(mu_);
  if (sets_.empty()) return false;
  *out = std::move(sets_.back());
  sets_.pop_back();
  return true;
}

void FactArrayPool::Give(Arrays arrays) {
  arrays.chars.clear();
  arrays.records.clear();
  arrays.nodes.clear();
  arrays.positions.clear();
  arrays.edges.clear();
  arrays.props.clear();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (sets_.size() < kMaxSets) {
      sets_.push_back(std::move(arrays));
      return;
    }
  }
  // The pool is full: `arrays` is freed on return, outside the lock.
}

}  // namespace polegraph::ingest_internal
