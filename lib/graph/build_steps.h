// The steps of GraphBuilder::Build (builder_build.cc drives them), each writing some sections
// of the new snapshot's Storage. Internal to lib/graph.
#ifndef POLEGRAPH_LIB_GRAPH_BUILD_STEPS_H_
#define POLEGRAPH_LIB_GRAPH_BUILD_STEPS_H_

#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "graph/builder_impl.h"
#include "graph/chunked_vector.h"
#include "graph/column.h"
#include "graph/group_sort.h"
#include "graph/prefetch.h"
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

// v[i] = v[0] + ... + v[i], in two parallel passes over blocks (the block sums, then each
// block scanned from its start), so the result does not depend on the thread count.
template <typename V>
void InclusiveScan(V& v, int threads) {
  using T = typename V::value_type;
  const int blocks = ThreadsFor(v.size(), threads, std::size_t{1} << 16);
  std::vector<T> sum(static_cast<std::size_t>(blocks) + 1, 0);
  ParallelBlocks(v.size(), blocks, [&](int k, std::size_t lo, std::size_t hi) {
    T total = 0;
    for (std::size_t i = lo; i < hi; ++i) total += v[i];
    sum[static_cast<std::size_t>(k) + 1] = total;
  });
  for (int k = 0; k < blocks; ++k) sum[k + 1] += sum[k];
  ParallelBlocks(v.size(), blocks, [&](int k, std::size_t lo, std::size_t hi) {
    T total = sum[static_cast<std::size_t>(k)];
    for (std::size_t i = lo; i < hi; ++i) v[i] = total += v[i];
  });
}

// The offsets (n + 1) and chars of n strings get(0) .. get(n-1) (each convertible to
// string_view), filled in parallel.
template <typename Get>
std::pair<Column<std::uint64_t>, Column<char>> JoinStrings(std::size_t n, Get get, int threads) {
  // offsets[i + 1] = length of string i, then an inclusive scan (no separate lengths array).
  // A Column: every entry is written by the parallel pass (no serial zero-fill first).
  Column<std::uint64_t> offsets(n + 1);
  offsets[0] = 0;
  ParallelFor(0, n, threads,
              [&](std::size_t i) { offsets[i + 1] = std::string_view(get(i)).size(); });
  InclusiveScan(offsets, threads);
  Column<char> chars(offsets[n]);
  // The strings are read in output order, which for a sorted pool is random in memory: each
  // thread looks up the string kJoinAhead places ahead and prefetches its chars, so the
  // copies' cache misses overlap.
  constexpr std::size_t kJoinAhead = 8;
  const int blocks = ThreadsFor(n, threads, kDefaultGrain);
  ParallelBlocks(n, blocks, [&](int, std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i) {
      if (i + kJoinAhead < hi) __builtin_prefetch(std::string_view(get(i + kJoinAhead)).data());
      const std::string_view sv(get(i));
      if (!sv.empty()) std::memcpy(chars.data() + offsets[i], sv.data(), sv.size());
    }
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
  return s.OwnCompact(base_id, offsets_id, offsets, threads);
}

// Adds label `l` (an index into `labels`) to `minimal`, a set of label indices none of
// which makes another visible, keeping it so: l is dropped when some member makes it visible
// (same force, classification no higher, caveats a subset: whoever may see l may see that
// member), and the members l makes visible are dropped. A node's label is the minimal set of
// its assertions' labels; the set does not depend on the order of the calls.
inline void AddMinimal(LabelId l, const std::vector<CanonicalLabel>& labels,
                       std::vector<LabelId>& minimal) {
  auto covers = [&](LabelId a, LabelId b) {  // a at most b
    const CanonicalLabel &x = labels[a], &y = labels[b];
    return x.force == y.force && x.classification <= y.classification &&
           (x.caveats & ~y.caveats) == 0;
  };
  for (LabelId m : minimal) {
    if (covers(m, l)) return;
  }
  std::erase_if(minimal, [&](LabelId m) { return covers(l, m); });
  minimal.push_back(l);
}

// The label-set sections and ids: set_nodes are the nodes that have a label set, in node
// order, node set_nodes[i] with members [set_end[i - 1], set_end[i]) (label ids, increasing);
// the distinct sets are sorted (lexicographically) and numbered after the num_labels single
// labels, and node_label[node] is set to its set's id. (build_labels.cc)
void PutLabelSets(std::size_t num_labels, const std::vector<NodeId>& set_nodes,
                  const std::vector<std::uint64_t>& set_end, const std::vector<LabelId>& members,
                  std::span<NodeLabelId> node_label, Graph::Storage& s, int threads);

// A 64-bit sort key and the id of what it keys.
struct PrefixItem {
  std::uint64_t prefix;
  std::uint32_t id;
};

// Stable LSD radix sort of `items` by prefix, 16 bits a pass (4 passes; a pass whose digit is
// the same for every item is skipped). Each pass counts digits per block of the input, gives
// every (block, digit) its place (digits in order, blocks in order within a digit) and
// scatters each block in order, so the result does not depend on the thread count.
// Extra memory: one buffer of the items: `scratch`, sized to the items without a copy or a
// zero-fill (so a scratch kept from an earlier sort of as many items is reused, already
// resident), or a fresh one. The Column overloads may swap items with scratch; the span
// overload sorts in place (copying back from scratch after an odd number of passes).
// (build_pools.cc)
void RadixSortByPrefix(Column<PrefixItem>& items, Column<PrefixItem>& scratch, int threads);
void RadixSortByPrefix(std::span<PrefixItem> items, Column<PrefixItem>& scratch, int threads);
void RadixSortByPrefix(Column<PrefixItem>& items, int threads);

// The ids of a pool's strings in sorted (byte-wise) order: order[rank] = id.
Column<std::uint32_t> SortedPoolOrder(const StringPool& pool, int threads);

// The inverse of a permutation: ranks[order[i]] = i.
Column<std::uint32_t> Ranks(const Column<std::uint32_t>& order, int threads);

// Writes a pool as a sorted compact string column; returns the rank of each pool id.
absl::StatusOr<Column<std::uint32_t>> PutSortedPool(Graph::Storage& s, SectionId base_id,
                                                    SectionId offsets_id, SectionId chars_id,
                                                    const StringPool& pool, int threads);

// Positions of the nodes that have one, stored for the smallest node range covering them.
void BuildPositions(const BuilderFacts& b, const Column<NodeId>& node_new, Graph::Storage& s);

// New ids of an interner's names when they are numbered in sorted order.
std::vector<std::uint32_t> SortedRenumbering(const Interner& in);

// Extracts, sorted by (source, force, extracted_at, extract_id, digest, path, ...); returns
// the new index of each builder extract.
std::vector<std::uint32_t> BuildExtracts(const BuilderFacts& b, Graph::Storage& s);

// Records, numbered by (extract's new index, offset, record id), identical records merged
// (so each extract's records are one range: extract.first_record); returns the new number of
// each builder record.
absl::StatusOr<Column<RecordNo>> BuildRecords(const BuilderFacts& b,
                                              const std::vector<std::uint32_t>& extract_new,
                                              Graph::Storage& s, int threads);

// The in-CSR of an out-CSR (out_off: n + 1 offsets, nbr: targets): in_off (n + 1), and for
// each in-edge its source and EdgeId, every node's in-edges in (source, EdgeId) order.
// A counting sort by target: the targets are cut into one range per thread of about equal
// in-edge counts, and each thread scans all out-edges in EdgeId order and places those whose
// target is in its range, so the lists come out sorted with no comparison sort and the result
// does not depend on the thread count. Cost: O(threads * (n + m)) reads, O(n + m) writes.
// in_nbr and in_edge must have m entries each.
void BuildInCsr(std::span<const EdgeIndex> out_off, std::span<const NodeId> nbr, int threads,
                Column<EdgeIndex>* in_off, std::span<NodeId> in_nbr, std::span<EdgeId> in_edge);

// Force, caveat, property-name and metadata tables.
void BuildNameTables(const BuilderFacts& b, Graph::Storage& s);

// The fact steps (build_facts.cc). Each consumes (frees) its fact column, whose node,
// record, label and pool ids must already be snapshot ids; n is the number of nodes.
//
// Node records (node.records, distinct, without kNoRecord) and labels (node.label: the least
// restrictive of the node's assertion labels, AddMinimal; label sets via PutLabelSets) from
// the assertions, whose label is the rank in `canon` (the interned labels, sorted); `table`
// is canon de-duplicated. *rec_off receives the node.records offsets (n + 1).
absl::Status BuildNodeRecordsAndLabels(BuilderFacts& b, std::size_t n,
                                       const std::vector<CanonicalLabel>& canon,
                                       const std::vector<CanonicalLabel>& table, int threads,
                                       Graph::Storage& s, Column<EdgeIndex>* rec_off);
// Properties per node sorted by (name, value, record), duplicates collapsed; a property's
// record is stored as its index in node.records (rec_off: their offsets), or escaped.
absl::Status BuildProperties(BuilderFacts& b, std::size_t n, const Column<EdgeIndex>& rec_off,
                             int threads, Graph::Storage& s);
// Merges per node sorted by (record, rule, text), duplicates collapsed.
absl::Status BuildMerges(BuilderFacts& b, std::size_t n, int threads, Graph::Storage& s);
// Edges: the out-CSR (per source by (target, kind, time, record, label), duplicates
// collapsed) and its columns, then, after columns_done() (called once those sections are in
// `s`: Build publishes them and returns free memory), the in-CSR.
absl::Status BuildEdges(BuilderFacts& b, std::size_t n, int threads, Graph::Storage& s,
                        const std::function<void()>& columns_done);

// Rewrites every fact of a column in place with rewrite(T&), the chunks split among the
// threads. The rewrites look facts' ids up in tables of millions of entries (new node
// numbers, record numbers, pool ranks) at random, so each thread first calls prefetch(x) on
// the fact kPrefetchAhead places ahead (prefetch issues __builtin_prefetch for the table
// entries x will read): the lookups' cache misses overlap instead of following one another.
inline constexpr std::size_t kPrefetchAhead = 16;
template <typename T, typename Prefetch, typename Rewrite>
void RewriteFacts(ChunkedVector<T>& facts, int threads, Prefetch prefetch, Rewrite rewrite) {
  ParallelForDynamic(
      0, facts.num_chunks(), threads,
      [&](std::size_t c) {
        T* x = &facts[facts.chunk_begin(c)];
        const std::size_t len = facts.chunk_end(c) - facts.chunk_begin(c);
        for (std::size_t i = 0; i < len; ++i) {
          if (i + kPrefetchAhead < len) prefetch(x[i + kPrefetchAhead]);
          rewrite(x[i]);
        }
      },
      1);
}

// Prefetches table[i] for reading (a no-op for i past the table, such as kNoRecord).
template <typename V>
inline void PrefetchEntry(const V& table, std::size_t i) {
  if (i < table.size()) PrefetchLine(table.data() + i);  // kept by GCC: see prefetch.h
}

// Called, when set, at the end of each step of GraphBuilder::Build with the step's name (for
// profiling: `polegraph ingest` reports the steps' times). Set it only while no Build runs.
using BuildStepHook = void (*)(std::string_view step);
inline BuildStepHook build_step_hook = nullptr;

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_BUILD_STEPS_H_
