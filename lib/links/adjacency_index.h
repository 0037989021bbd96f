// Per-snapshot summaries of the adjacency that make bottom-up BFS steps cheap: built once per
// Graph on first use (internal::GraphAccess::Derived) and shared by every search on it. Not
// part of the file format; derived from the CSR arrays alone, so it never goes stale.
//
//   has_out / has_in   one bit per node: out- / in-degree > 0 (a bottom-up level skips nodes
//                      without steps by word operations, with no pass over the offsets)
//   prefix[v]          the first kPrefix entries of v's out- and in-list merged in
//                      (neighbour id, EdgeId) order — the order in which a bottom-up step
//                      takes a node's steps — padded with kNoNode; from_in[v] bit k says
//                      entry k is from the in-list (its position in that list is the number
//                      of earlier in-list entries), and bit kComplete that the entries are
//                      the whole merged list.
// Most nodes that a bottom-up level reaches find their parent among the first few
// neighbours, so they read 17 sequential bytes here instead of a cache line at the head of
// each list (two scattered streams through 4 bytes per edge each).
// Memory: 17.25 bytes per node. Build: O(n) work (each list's first kPrefix entries), with
// `threads` threads.
#ifndef POLEGRAPH_LIB_LINKS_ADJACENCY_INDEX_H_
#define POLEGRAPH_LIB_LINKS_ADJACENCY_INDEX_H_

#include <cstdint>
#include <vector>

#include "polegraph/graph.h"

namespace polegraph::links_internal {

struct AdjacencyIndex {
  static constexpr int kPrefix = 4;
  static constexpr std::uint8_t kComplete = 1u << kPrefix;
  struct alignas(16) Prefix {
    NodeId nbr[kPrefix];
  };
  std::vector<std::uint64_t> has_out, has_in;  // (n + 63) / 64 words
  std::vector<Prefix> prefix;                   // by NodeId
  std::vector<std::uint8_t> from_in;            // by NodeId

  // The index of `graph`, built with `threads` threads by the first caller. The graph keeps
  // it, so the reference is valid as long as the graph is.
  static const AdjacencyIndex& Of(const Graph& graph, int threads);
};

}  // namespace polegraph::links_internal

#endif  // POLEGRAPH_LIB_LINKS_ADJACENCY_INDEX_H_
