// GraphBuilder::Build — turns the collected facts into an immutable snapshot.
//
// Order of work (each step parallel where the data is large, using lib/parallel primitives):
//  1. extracts and records renumbered by content (build_tables.cc);
//  2. forces, caveats and property names numbered in sorted name order;
//  3. nodes numbered by (kind, key): a radix sort of 8-byte key prefixes, ties by the strings;
//  4. the label table: every interned label, sorted and de-duplicated;
//  5. per node, its (record, label) assertions grouped and sorted (build_facts.cc, on
//     GroupSortBuckets — group_sort.h), labels compared by their rank among the canonical
//     labels: node records, and the node label = the least restrictive of its assertions'
//     labels (one label, or a label set when several are incomparable: the node is visible
//     to whoever may see any of them); then the label sets;
//  6. edges grouped by source and sorted by (target, kind, time, record, label), identical
//     edges collapsed (so only the same record asserting the same edge twice collapses: a
//     second record keeps its own parallel edge); then the in-CSR by a counting sort on the
//     target that keeps (source, EdgeId) order (BuildInCsr: no comparison sort);
//  7. properties and merges grouped per node, sorted and de-duplicated; their strings come
//     from pools (builder_impl.h) written once each in sorted order, so the items sort and
//     compare by 32-bit pool rank, never by string; positions.
// The steps run in the order 1-5, 7, 6 (each writes its own sections, so the order does not
// change the bytes): edges last, because an edge's snapshot columns and in-CSR entry (about 27
// bytes) outweigh its fact (19), while a property's (7) are half its fact's (14), so the peak
// (the last big step: sections so far + its facts + its working set) is lowest that way.
// Memory: the fact columns are chunked (chunked_vector.h) and rewritten in place to snapshot
// ids (RewriteFacts: each thread prefetches the id tables' entries a few facts ahead, as the
// lookups are random); GroupSortBuckets returns each chunk's pages once distributed to its
// cells and each cell's once scattered (from the thread that read them), so a step holds its
// facts about once plus its output columns; output columns, and the n + 1 offsets of every
// fact step, are Columns (column.h: sized without a zero-fill, written by parallel passes, so
// the calling thread does not zero and fault them alone); each builder column is freed as
// soon as its output is made, and the allocator's free pages are returned to the system
// between steps; but freed Column blocks of 1 MiB or more (scratch: the sort items, radix
// buffers, bucket buffers, renumberings) are kept, up to 256 MiB, for the next steps' Columns
// to land on resident pages (block_recycler.h; session 10: -5 to -8 % of the run's minor
// faults, Build's resident size +~150 MB, still below the apply phase's peak).
// Streaming: with a SnapshotWriter (Build(threads, writer)), each stage's sections are
// published to the writer as soon as the stage ends (storage_stream.h: the file holds the
// sections by stage), and its helper thread writes them to the file while the next steps run;
// a failed Build abandons the writer before the storage is destroyed. Every sort is by a total
// order over content, so the snapshot's bytes depend only on the set of facts, not on the
// order of calls or the thread count. Cost: O((N + E) log) work for the per-group sorts,
// O(N + E) for the rest.
#include <malloc.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "absl/strings/str_cat.h"
#include "graph/block_recycler.h"
#include "graph/build_steps.h"
#include "graph/group_sort.h"
#include "graph/storage_stream.h"
#include "polegraph/io.h"

namespace polegraph {

using internal::BuildStage;
using internal::CanonicalLabel;
using internal::ParallelFor;
using internal::SectionId;

namespace {
// Returns the free pages of the C allocator's heaps to the system. Build frees large fact
// columns step by step, but freed blocks that glibc placed in its heaps (rather than in their
// own mappings) stay resident and are reused only by small allocations, so without this the
// resident size stays near the peak: at scale 10 about 1.5 GB of Build's 4.2 GB was free heap
// memory. Costs a walk of the free lists (milliseconds).
void ReleaseFreeMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

// Facts below which Build does not open parallel regions (see Build).
// A scale-0.01 ingest (10 k records, about 90 k facts) stays below; the determinism tests'
// random graphs (about 170 k facts) and larger ingests go above.
constexpr std::size_t kMinParallelBuild = std::size_t{1} << 17;

template <typename T, typename A>
void Free(std::vector<T, A>& v) {
  std::vector<T, A>().swap(v);
}

// Publishes Build's stages to a section sink (when there is one), and abandons the sink if
// Build returns without a graph. Declared after the storage, so it is destroyed (and the sink
// has stopped reading the storage) before the storage is.
class Stream {
 public:
  explicit Stream(internal::SectionSink* sink) : sink_(sink) {}
  ~Stream() {
    if (sink_ != nullptr) sink_->Abandon();
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  void Publish(BuildStage stage) {
    if (sink_ != nullptr) sink_->Publish(stage);
  }
  void Built(std::shared_ptr<const Graph> graph) {
    if (sink_ != nullptr) sink_->Built(std::move(graph));
    sink_ = nullptr;
  }

 private:
  internal::SectionSink* sink_;
};

absl::StatusOr<std::shared_ptr<const Graph>> BuildGraph(internal::BuilderFacts& b, int threads,
                                                        internal::SectionSink* sink) {
  // Big scratch blocks a step frees are kept for the next steps' columns (block_recycler.h);
  // what is still kept when Build returns is freed then.
  const internal::RecyclerScope recycle;
  auto storage = std::make_unique<Graph::Storage>();
  Graph::Storage& s = *storage;
  if (sink != nullptr) {
    if (absl::Status st = sink->Begin(s); !st.ok()) return st;
  }
  Stream stream(sink);
  if (!b.error.ok()) return b.error;
  if (b.caveats.names.size() > 32) {
    return absl::InvalidArgumentError(
        absl::StrCat("the graph uses ", b.caveats.names.size(),
                     " distinct handling caveats; a snapshot holds at most 32"));
  }
  auto step = [](std::string_view name) {
    if (internal::build_step_hook != nullptr) internal::build_step_hook(name);
  };
  step("start");
  threads = std::max(threads, 1);
  // A small graph is built on one thread: each parallel region costs a fork and a join, and on
  // an oversubscribed machine a join can wait a whole scheduler time slice for a descheduled
  // worker, which made Build(2) of a graph of a few thousand edges hundreds of times slower
  // than Build(1). The result does not depend on the thread count.
  const bool small =
      b.node_codes.size() + b.edges.size() + b.properties.size() + b.assertions.size() <
      kMinParallelBuild;
  if (small) threads = 1;
  // (A small graph's steps leave little to give back to the system.)
  auto release = [small] {
    if (!small) ReleaseFreeMemory();
  };
  b.node_codes.DropIndex();
  b.values.DropIndex();
  b.merge_texts.DropIndex();

  release();
  // 1-2. Small tables.
  const std::vector<std::uint32_t> extract_new = internal::BuildExtracts(b, s);
  absl::StatusOr<internal::Column<RecordNo>> records =
      internal::BuildRecords(b, extract_new, s, threads);
  if (!records.ok()) return records.status();
  const internal::Column<RecordNo> record_new = *std::move(records);
  b.records.Clear();
  auto map_record = [&](RecordNo r) { return r == kNoRecord ? kNoRecord : record_new[r]; };
  internal::BuildNameTables(b, s);
  stream.Publish(BuildStage::kTables);
  const std::vector<std::uint32_t> force_new = internal::SortedRenumbering(b.forces);
  const std::vector<std::uint32_t> caveat_new = internal::SortedRenumbering(b.caveats);
  const std::vector<std::uint32_t> prop_name_new = internal::SortedRenumbering(b.prop_names);
  std::vector<CanonicalLabel> interned(b.labels.size());
  for (std::size_t i = 0; i < b.labels.size(); ++i) {
    const internal::BuilderLabel& l = b.labels[i];
    interned[i] = {l.classification, static_cast<std::uint16_t>(force_new[l.force]), 0};
    for (std::uint32_t c : l.caveats) interned[i].caveats |= std::uint32_t{1} << caveat_new[c];
  }

  step("records");
  release();
  // 3. Nodes by (kind, key): a node's code is its kind byte followed by its key, so code order
  // is (kind, key) order.
  const std::size_t n = b.node_codes.size();
  internal::Column<NodeId> node_new;
  {
    const internal::Column<std::uint32_t> order = internal::SortedPoolOrder(b.node_codes, threads);
    node_new = internal::Ranks(order, threads);
    // Codes start with the kind byte, so in code order the kinds are runs: first[k], the rank
    // of the first node of kind k or later, is found by a binary search over the ranks
    // (a few dozen string reads instead of one per node), and the kinds written as runs.
    std::vector<NodeId> first(kNumNodeKinds + 1, 0);
    auto kind_at = [&](std::size_t rank) {
      return static_cast<unsigned char>(b.node_codes.Get(order[rank])[0]);
    };
    for (int k = 1; k < kNumNodeKinds; ++k) {
      std::size_t lo = 0, hi = n;  // the first rank whose kind is k or more
      while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (kind_at(mid) < k) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      first[static_cast<std::size_t>(k)] = static_cast<NodeId>(lo);
    }
    first[kNumNodeKinds] = static_cast<NodeId>(n);  // (every code's kind is below kNumNodeKinds)
    internal::Column<NodeKind> kinds(n);
    for (std::size_t k = 0; k < kNumNodeKinds; ++k) {
      const auto kind = static_cast<NodeKind>(k);
      ParallelFor(first[k], first[k + 1], threads, [&](std::size_t i) { kinds[i] = kind; });
    }
    s.Own(SectionId::node_kind, std::move(kinds));
    s.Own(SectionId::kind_first, std::move(first));
    absl::Status st = internal::PutCompactStrings(
        s, SectionId::key_base, SectionId::key_offsets, SectionId::key_chars, n,
        [&](std::size_t i) { return b.node_codes.Get(order[i]).substr(1); }, threads);
    if (!st.ok()) return st;
    b.node_codes.Clear();
  }
  stream.Publish(BuildStage::kNodes);
  step("nodes");
  release();
  internal::BuildPositions(b, node_new, s);

  step("positions");

  // 4. The label table: the interned labels sorted (an assertion's label is replaced by its
  // rank there, so the assertions sort comparing 16-bit ranks), then de-duplicated.
  std::vector<CanonicalLabel> canon = interned;
  std::sort(canon.begin(), canon.end());
  std::vector<CanonicalLabel> table = canon;
  table.erase(std::unique(table.begin(), table.end()), table.end());
  if (table.size() > std::numeric_limits<LabelId>::max()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the graph has ", table.size(), " distinct access labels; a snapshot holds at most 65535"));
  }
  auto label_id = [&](const CanonicalLabel& l) {
    return static_cast<LabelId>(std::lower_bound(table.begin(), table.end(), l) - table.begin());
  };
  {
    std::vector<Classification> cls;
    std::vector<std::uint16_t> force;
    std::vector<std::uint32_t> caveats;
    for (const CanonicalLabel& l : table) {
      cls.push_back(l.classification);
      force.push_back(l.force);
      caveats.push_back(l.caveats);
    }
    s.Own(SectionId::label_classification, std::move(cls));
    s.Own(SectionId::label_force, std::move(force));
    s.Own(SectionId::label_caveats, std::move(caveats));
  }
  stream.Publish(BuildStage::kLabels);  // (the positions too)
  std::vector<LabelId> label_new(interned.size()), canon_rank(interned.size());
  for (std::size_t i = 0; i < interned.size(); ++i) {
    label_new[i] = label_id(interned[i]);
    canon_rank[i] = static_cast<LabelId>(std::lower_bound(canon.begin(), canon.end(), interned[i]) -
                                         canon.begin());
  }

  // 5. Node records and labels.
  internal::Column<EdgeIndex> rec_off;  // kept for the properties' record indices (step 7)
  internal::RewriteFacts(
      b.assertions, threads,
      [&](const internal::BuilderAssertion& a) {
        internal::PrefetchEntry(node_new, a.node);
        internal::PrefetchEntry(record_new, a.record);
      },
      [&](internal::BuilderAssertion& a) {
        a = {node_new[a.node], map_record(a.record), canon_rank[a.label]};
      });
  if (absl::Status st =
          internal::BuildNodeRecordsAndLabels(b, n, canon, table, threads, s, &rec_off);
      !st.ok()) {
    return st;
  }
  stream.Publish(BuildStage::kNodeLabels);
  step("node_labels");
  release();

  // 7. Properties and merges.
  {
    absl::StatusOr<internal::Column<std::uint32_t>> ranks =
        internal::PutSortedPool(s, SectionId::value_base, SectionId::value_offsets,
                                SectionId::value_chars, b.values, threads);
    if (!ranks.ok()) return ranks.status();
    const internal::Column<std::uint32_t> value_rank = *std::move(ranks);
    b.values.Clear();
    stream.Publish(BuildStage::kValues);
    step("values");
    internal::RewriteFacts(
        b.properties, threads,
        [&](const internal::BuilderProperty& p) {
          internal::PrefetchEntry(node_new, p.node);
          internal::PrefetchEntry(record_new, p.record);
          internal::PrefetchEntry(value_rank, p.value);
        },
        [&](internal::BuilderProperty& p) {
          p = {node_new[p.node], map_record(p.record), value_rank[p.value],
               static_cast<std::uint16_t>(prop_name_new[p.name])};
        });
  }
  if (absl::Status st = internal::BuildProperties(b, n, rec_off, threads, s); !st.ok()) return st;
  Free(rec_off);
  stream.Publish(BuildStage::kProperties);
  step("properties");
  release();
  {
    absl::StatusOr<internal::Column<std::uint32_t>> ranks =
        internal::PutSortedPool(s, SectionId::merge_text_base, SectionId::merge_text_offsets,
                                SectionId::merge_text_chars, b.merge_texts, threads);
    if (!ranks.ok()) return ranks.status();
    const internal::Column<std::uint32_t> text_rank = *std::move(ranks);
    b.merge_texts.Clear();
    stream.Publish(BuildStage::kMergeTexts);
    internal::RewriteFacts(
        b.merges, threads,
        [&](const internal::BuilderMerge& g) {
          internal::PrefetchEntry(node_new, g.node);
          internal::PrefetchEntry(record_new, g.record);
          internal::PrefetchEntry(text_rank, g.text);
        },
        [&](internal::BuilderMerge& g) {
          g = {node_new[g.node], map_record(g.record), text_rank[g.text], g.rule};
        });
  }
  if (absl::Status st = internal::BuildMerges(b, n, threads, s); !st.ok()) return st;
  stream.Publish(BuildStage::kMerges);
  step("merges");
  release();

  // 6. Edges: out-CSR, then in-CSR. Last: an edge's columns (and the in-CSR) take more room
  // than its fact, so the other fact columns are already gone when they are made.
  internal::RewriteFacts(
      b.edges, threads,
      [&](const internal::BuilderEdge& e) {
        internal::PrefetchEntry(node_new, e.from);
        internal::PrefetchEntry(node_new, e.to);
        internal::PrefetchEntry(record_new, e.record);
      },
      [&](internal::BuilderEdge& e) {
        e = {node_new[e.from],     node_new[e.to],     e.time,
             map_record(e.record), label_new[e.label], e.kind};
      });
  Free(node_new);
  auto columns_done = [&] {
    stream.Publish(BuildStage::kEdgeColumns);
    release();
  };
  if (absl::Status st = internal::BuildEdges(b, n, threads, s, columns_done); !st.ok()) return st;
  stream.Publish(BuildStage::kInCsr);
  step("edges");

  release();
  if (absl::Status st = s.Bind(); !st.ok()) return st;
  // An edge whose kind does not join its endpoints' kinds would make a snapshot that
  // OpenSnapshot refuses (graph/edge_endpoints.h): refuse the AddEdge call that made it.
  if (const std::optional<EdgeIndex> bad = s.FirstMisjoinedEdge(threads)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "AddEdge: ", s.DescribeEdge(*bad), "; from '", internal::Av(s.keys.Get(s.EdgeSource(*bad))),
        "' to '",
        internal::Av(s.keys.Get(s.out_neighbours[*bad])), "'"));
  }
  step("bind");
  std::shared_ptr<const Graph> graph = internal::GraphAccess::Make(std::move(storage));
  stream.Built(graph);
  return graph;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Graph>> GraphBuilder::Build(int threads) && {
  std::unique_ptr<Impl> owned = std::move(impl_);
  impl_ = std::make_unique<Impl>();  // leave the moved-from builder empty but usable
  return BuildGraph(*owned, threads, nullptr);
}

absl::StatusOr<std::shared_ptr<const Graph>> GraphBuilder::Build(int threads,
                                                                 SnapshotWriter& writer) && {
  std::unique_ptr<Impl> owned = std::move(impl_);
  impl_ = std::make_unique<Impl>();
  return BuildGraph(*owned, threads, writer.sink_.get());
}

}  // namespace polegraph
