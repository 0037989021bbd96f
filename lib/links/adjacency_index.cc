// AdjacencyIndex: built once per snapshot (see adjacency_index.h). Each node's entries are the
// first kPrefix steps of a merge of its out-list (sorted by neighbour, EdgeId = position) and
// in-list (sorted by (neighbour, EdgeId)); equal neighbours in both lists are ordered by
// EdgeId, so the prefix is exactly the order of FilteredView::MinStep's keys. Work is split
// by 64-node words, so each word of the bitmaps has one writer.
#include "links/adjacency_index.h"

#include <algorithm>
#include <memory>

#include "graph/storage.h"
#include "parallel/parallel.h"

namespace polegraph::links_internal {
namespace {

std::shared_ptr<const AdjacencyIndex> Build(const Graph& g, int threads) {
  auto index = std::make_shared<AdjacencyIndex>();
  const NodeId n = g.num_nodes();
  const std::size_t words = (std::size_t{n} + 63) / 64;
  index->has_out.assign(words, 0);
  index->has_in.assign(words, 0);
  index->prefix.resize(n);
  index->from_in.resize(n);
  const std::span<const EdgeIndex> out_off = g.out_offsets(), in_off = g.in_offsets();
  const std::span<const NodeId> out_nbr = g.out_neighbours(), in_nbr = g.in_neighbours();
  const std::span<const EdgeId> in_edge = g.in_edge();
  internal::ParallelFor(
      0, words, threads,
      [&](std::size_t w) {
        const NodeId lo = static_cast<NodeId>(w * 64);
        const NodeId hi = std::min<NodeId>(n, lo + 64);
        std::uint64_t has_out = 0, has_in = 0;
        for (NodeId v = lo; v < hi; ++v) {
          EdgeIndex i = out_off[v], j = in_off[v];
          const EdgeIndex i_end = out_off[v + 1], j_end = in_off[v + 1];
          if (i != i_end) has_out |= std::uint64_t{1} << (v - lo);
          if (j != j_end) has_in |= std::uint64_t{1} << (v - lo);
          AdjacencyIndex::Prefix& p = index->prefix[v];
          std::uint8_t from_in = 0;
          int k = 0;
          for (; k < AdjacencyIndex::kPrefix && (i != i_end || j != j_end); ++k) {
            bool take_in;
            if (i == i_end) {
              take_in = true;
            } else if (j == j_end) {
              take_in = false;
            } else {
              take_in = in_nbr[j] < out_nbr[i] ||
                        (in_nbr[j] == out_nbr[i] && in_edge[j] < static_cast<EdgeId>(i));
            }
            if (take_in) {
              p.nbr[k] = in_nbr[j++];
              from_in |= static_cast<std::uint8_t>(1u << k);
            } else {
              p.nbr[k] = out_nbr[i++];
            }
          }
          for (int r = k; r < AdjacencyIndex::kPrefix; ++r) p.nbr[r] = kNoNode;
          if (i == i_end && j == j_end) from_in |= AdjacencyIndex::kComplete;
          index->from_in[v] = from_in;
        }
        index->has_out[w] = has_out;
        index->has_in[w] = has_in;
      },
      /*grain=*/64);
  return index;
}

}  // namespace

const AdjacencyIndex& AdjacencyIndex::Of(const Graph& graph, int threads) {
  static const char kTag = 0;
  // The graph keeps the object alive (it is never evicted), so a plain pointer is returned.
  const std::shared_ptr<const void> object =
      internal::GraphAccess::Derived(
          graph, &kTag, [&]() -> std::shared_ptr<const void> { return Build(graph, threads); });
  return *static_cast<const AdjacencyIndex*>(object.get());
}

}  // namespace polegraph::links_internal
