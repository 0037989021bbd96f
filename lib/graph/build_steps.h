// The steps of GraphBuilder::Build (builder_build.cc drives them), each writing some sections
// of the new snapshot's Storage. Internal to lib/graph.
#ifndef POLEGRAPH_LIB_GRAPH_BUILD_STEPS_H_
#define POLEGRAPH_LIB_GRAPH_BUILD_STEPS_H_

#include <compare>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "graph/builder_impl.h"
#include "graph/storage.h"
#include "parallel/parallel.h"

namespace polegraph::internal {

// An access label in snapshot terms (force and caveat bits renumbered by sorted name).
struct CanonicalLabel {
  Classification classification;
  std::uint16_t force;
  std::uint32_t caveats;
  auto operator<=>(const CanonicalLabel&) const = default;
};

// The offsets (n + 1) and chars of n strings get(0) .. get(n-1) (each convertible to
// string_view), filled in parallel.
template <typename Get>
std::pair<std::vector<std::uint64_t>, std::vector<char>> JoinStrings(std::size_t n, Get get,
                                                                     int threads) {
  std::vector<std::uint64_t> lengths(n);
  ParallelFor(0, n, threads, [&](std::size_t i) { lengths[i] = std::string_view(get(i)).size(); });
  std::vector<std::uint64_t> offsets;
  PrefixSum(lengths, offsets, threads);
  std::vector<std::uint64_t>().swap(lengths);
  std::vector<char> chars(offsets[n]);
  ParallelFor(0, n, threads, [&](std::size_t i) {
    const std::string_view sv(get(i));
    std::copy(sv.begin(), sv.end(), chars.begin() + static_cast<std::ptrdiff_t>(offsets[i]));
  });
  return {std::move(offsets), std::move(chars)};
}

// Writes a string column with u64 offsets (the small tables).
template <typename Get>
void PutStrings(Graph::Storage& s, SectionId offsets_id, SectionId chars_id, std::size_t n, Get get,
                int threads) {
  auto [offsets, chars] = JoinStrings(n, get, threads);
  s.Own(offsets_id, std::move(offsets));
  s.Own(chars_id, std::move(chars));
}

// Writes a string column with compact offsets (base_id, offsets_id).
template <typename Get>
absl::Status PutCompactStrings(Graph::Storage& s, SectionId base_id, SectionId offsets_id,
                               SectionId chars_id, std::size_t n, Get get, int threads) {
  auto [offsets, chars] = JoinStrings(n, get, threads);
  s.Own(chars_id, std::move(chars));
  return s.OwnCompact(base_id, offsets_id, offsets);
}

// Adds `l` to `minimal`, a set of labels none of which makes another visible, keeping it so:
// l is dropped when some member makes it visible (same force, classification no higher,
// caveats a subset: whoever may see l may see that member), and the members l makes visible
// are dropped. A node's label is the minimal set of its assertions' labels. (build_labels.cc)
void AddMinimal(const CanonicalLabel& l, std::vector<CanonicalLabel>& minimal);

// The label sets of the nodes that have one (node, its minimal labels sorted, in node order):
// each set's labels as ids into `table` (the sorted single labels), the distinct sets sorted
// and numbered after the single labels; sets node_label[node] to its set's id and writes the
// label_set sections. (build_labels.cc)
void PutLabelSets(const std::vector<CanonicalLabel>& table,
                  const std::vector<std::pair<NodeId, std::vector<CanonicalLabel>>>& node_sets,
                  std::vector<NodeLabelId>& node_label, Graph::Storage& s);

// The ids of a pool's strings in sorted (byte-wise) order: order[rank] = id.
std::vector<std::uint32_t> SortedPoolOrder(const StringPool& pool, int threads);

// The inverse of a permutation: ranks[order[i]] = i.
std::vector<std::uint32_t> Ranks(const std::vector<std::uint32_t>& order, int threads);

// Writes a pool as a sorted compact string column; returns the rank of each pool id.
absl::StatusOr<std::vector<std::uint32_t>> PutSortedPool(Graph::Storage& s, SectionId base_id,
                                                         SectionId offsets_id, SectionId chars_id,
                                                         const StringPool& pool, int threads);

// Positions of the nodes that have one, stored for the smallest node range covering them.
void BuildPositions(const BuilderFacts& b, const std::vector<NodeId>& node_new, Graph::Storage& s);

// New ids of an interner's names when they are numbered in sorted order.
std::vector<std::uint32_t> SortedRenumbering(const Interner& in);

// Extracts, sorted by (source, force, extracted_at, extract_id, digest, path, ...); returns
// the new index of each builder extract.
std::vector<std::uint32_t> BuildExtracts(const BuilderFacts& b, Graph::Storage& s);

// Records, numbered by (extract's new index, offset, record id), identical records merged
// (so each extract's records are one range: extract.first_record); returns the new number of
// each builder record.
absl::StatusOr<std::vector<RecordNo>> BuildRecords(const BuilderFacts& b,
                                                   const std::vector<std::uint32_t>& extract_new,
                                                   Graph::Storage& s, int threads);

// The in-CSR of an out-CSR (out_off: n + 1 offsets, nbr: targets): in_off (n + 1), and for
// each in-edge its source and EdgeId, every node's in-edges in (source, EdgeId) order.
// A counting sort by target: the targets are cut into one range per thread of about equal
// in-edge counts, and each thread scans all out-edges in EdgeId order and places those whose
// target is in its range, so the lists come out sorted with no comparison sort and the result
// does not depend on the thread count. Cost: O(threads * (n + m)) reads, O(n + m) writes.
void BuildInCsr(const std::vector<EdgeIndex>& out_off, const std::vector<NodeId>& nbr, int threads,
                std::vector<EdgeIndex>* in_off, std::vector<NodeId>* in_nbr,
                std::vector<EdgeId>* in_edge);

// Force, caveat, property-name and metadata tables.
void BuildNameTables(const BuilderFacts& b, Graph::Storage& s);

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_BUILD_STEPS_H_
