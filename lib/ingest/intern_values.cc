// InternChunkValues (internal/resolve.h): the in-order stage of Ingest's pipeline that interns
// a chunk's property values, so that the applier adds properties by id.
//
// How: one pass over the chunk's properties in order, each interned with the hash its parsing
// thread computed; the pool's table entry of the value kAhead on is prefetched, and the stored
// chars of the candidate kCharsAhead on (the pool is far bigger than the caches: a lookup's two
// misses overlap with the lookups before it). The order of InternValue calls decides the value
// ids, and this stage runs on the chunks in order, so the ids are the same at any thread count
// (Build numbers values by their sorted order anyway).
// Cost: O(props) expected hash-table operations, O(length) each to compare.
#include <algorithm>

#include "ingest/internal/resolve.h"

namespace polegraph::ingest_internal {

void InternChunkValues(GraphBuilder* builder, const ChunkFacts& chunk,
                       std::vector<std::uint32_t>* ids) {
  constexpr std::size_t kAhead = 24, kCharsAhead = 12;
  const std::vector<PropFact>& props = chunk.props;
  const std::size_t n = props.size();
  ids->resize(n);
  for (std::size_t i = 0; i < std::min(n, kAhead); ++i) builder->PrefetchValue(props[i].value_hash);
  for (std::size_t i = 0; i < std::min(n, kCharsAhead); ++i) {
    builder->PrefetchValueChars(props[i].value_hash);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) builder->PrefetchValue(props[i + kAhead].value_hash);
    if (i + kCharsAhead < n) builder->PrefetchValueChars(props[i + kCharsAhead].value_hash);
    const PropFact& p = props[i];
    (*ids)[i] = builder->InternValue(chunk.Text(p.value), p.value_hash);
  }
}

}  // namespace polegraph::ingest_internal
