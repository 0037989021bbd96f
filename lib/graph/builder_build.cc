// GraphBuilder::Build — turns the collected facts into an immutable snapshot.
//
// Order of work (each step parallel where the data is large, using lib/parallel primitives):
//  1. extracts and records renumbered by content (build_tables.cc);
//  2. forces, caveats and property names numbered in sorted name order;
//  3. nodes numbered by (kind, key) with a parallel sort;
//  4. per node, its (record, label) assertions grouped and sorted (count, prefix sum,
//     scatter, per-node sort — group_sort.h): node records, and the node label = the least
//     restrictive of its assertions' labels (one label, or a label set when several are
//     incomparable: the node is visible to whoever may see any of them);
//  5. the label table: every interned label, sorted and de-duplicated, then the label sets;
//  6. edges grouped by source and sorted by (target, kind, time, record, label), identical
//     edges collapsed (so only the same record asserting the same edge twice collapses: a
//     second record keeps its own parallel edge); then the in-CSR grouped by target, sorted
//     by (source, EdgeId);
//  7. properties and merges grouped per node, sorted and de-duplicated; their strings come
//     from pools (builder_impl.h) written once each in sorted order, so the items sort and
//     compare by 32-bit pool rank, never by string; positions.
// Memory: each builder column is freed as soon as its output is made (the lookup tables of
// the string pools first of all), so Build's peak is the output plus the largest one step's
// working set (the edge list grouped: about twice the edge list) rather than twice everything.
// Every sort is by a total order over content, so the snapshot's bytes depend only on the set
// of facts, not on the order of calls or the thread count.
// Cost: O((N + E) log) work for the sorts, O(N + E) for the rest; peak memory about twice the
// edge list.
#include <cmath>
#include <limits>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "graph/build_steps.h"
#include "graph/group_sort.h"

namespace polegraph {

using internal::CanonicalLabel;
using internal::GroupSort;
using internal::ParallelFor;
using internal::ParallelForDynamic;
using internal::PutStrings;
using internal::SectionId;

namespace {

// Facts below which Build does not open parallel regions (see Build).
// A scale-0.01 ingest (10 k records, about 90 k facts) stays below; the determinism tests'
// random graphs (about 170 k facts) and larger ingests go above.
constexpr std::size_t kMinParallelBuild = std::size_t{1} << 17;

// Adds `l` to `minimal`, a set of labels none of which makes another visible, keeping it so:
// l is dropped when some member makes it visible (same force, classification no higher,
// caveats a subset: whoever may see l may see that member), and members l makes visible are
// dropped. Sets are tiny (a node's records rarely carry more than two markings).
void AddMinimal(const CanonicalLabel& l, std::vector<CanonicalLabel>& minimal) {
  auto covers = [](const CanonicalLabel& a, const CanonicalLabel& b) {  // a at most b
    return a.force == b.force && a.classification <= b.classification &&
           (a.caveats & ~b.caveats) == 0;
  };
  for (const CanonicalLabel& m : minimal) {
    if (covers(m, l)) return;
  }
  std::erase_if(minimal, [&](const CanonicalLabel& m) { return covers(l, m); });
  minimal.push_back(l);
}

struct NodeAssertion {
  NodeId node;
  RecordNo record;
  CanonicalLabel label;
};

struct InItem {
  NodeId target;
  NodeId source;
  EdgeId edge;
};

// A property: `value` is the rank of its value in the sorted value pool.
struct PropItem {
  NodeId node;
  RecordNo record;
  std::uint32_t value;
  std::uint16_t name;
};

// A merge: `text` is the rank of its explanation in the sorted pool of explanations.
struct MergeItem {
  NodeId node;
  RecordNo record;
  std::uint32_t text;
  MergeRule rule;
};

template <typename T>
void Free(std::vector<T>& v) {
  std::vector<T>().swap(v);
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Graph>> GraphBuilder::Build(int threads) && {
  std::unique_ptr<Impl> owned = std::move(impl_);
  impl_ = std::make_unique<Impl>();  // leave the moved-from builder empty but usable
  Impl& b = *owned;
  if (!b.error.ok()) return b.error;
  if (b.caveats.names.size() > 32) {
    return absl::InvalidArgumentError(
        absl::StrCat("the graph uses ", b.caveats.names.size(),
                     " distinct handling caveats; a snapshot holds at most 32"));
  }
  threads = std::max(threads, 1);
  // A small graph is built on one thread: each parallel region costs a fork and a join, and on
  // an oversubscribed machine a join can wait a whole scheduler time slice for a descheduled
  // worker, which made Build(2) of a graph of a few thousand edges hundreds of times slower
  // than Build(1). The result does not depend on the thread count.
  if (b.node_codes.size() + b.edges.size() + b.properties.size() + b.assertions.size() <
      kMinParallelBuild) {
    threads = 1;
  }
  auto storage = std::make_unique<Graph::Storage>();
  Graph::Storage& s = *storage;
  b.node_codes.DropIndex();
  b.values.DropIndex();
  b.merge_texts.DropIndex();

  // 1-2. Small tables.
  const std::vector<std::uint32_t> extract_new = internal::BuildExtracts(b, s);
  absl::StatusOr<std::vector<RecordNo>> records = internal::BuildRecords(b, extract_new, s, threads);
  if (!records.ok()) return records.status();
  const std::vector<RecordNo> record_new = *std::move(records);
  b.records.Clear();
  auto map_record = [&](RecordNo r) { return r == kNoRecord ? kNoRecord : record_new[r]; };
  internal::BuildNameTables(b, s);
  const std::vector<std::uint32_t> force_new = internal::SortedRenumbering(b.forces);
  const std::vector<std::uint32_t> caveat_new = internal::SortedRenumbering(b.caveats);
  const std::vector<std::uint32_t> prop_name_new = internal::SortedRenumbering(b.prop_names);
  std::vector<CanonicalLabel> interned(b.labels.size());
  for (std::size_t i = 0; i < b.labels.size(); ++i) {
    const internal::BuilderLabel& l = b.labels[i];
    interned[i] = {l.classification, static_cast<std::uint16_t>(force_new[l.force]), 0};
    for (std::uint32_t c : l.caveats) interned[i].caveats |= std::uint32_t{1} << caveat_new[c];
  }

  // 3. Nodes by (kind, key): a node's code is its kind byte followed by its key, so code order
  // is (kind, key) order.
  const std::size_t n = b.node_codes.size();
  std::vector<NodeId> node_new;
  {
    const std::vector<std::uint32_t> order = internal::SortedPoolOrder(b.node_codes, threads);
    node_new = internal::Ranks(order, threads);
    std::vector<NodeKind> kinds(n);
    std::vector<NodeId> first(kNumNodeKinds + 1, 0);
    ParallelFor(0, n, threads, [&](std::size_t i) {
      kinds[i] = static_cast<NodeKind>(b.node_codes.Get(order[i])[0]);
    });
    for (std::size_t i = 0; i < n; ++i) ++first[static_cast<std::size_t>(kinds[i]) + 1];
    for (int k = 0; k < kNumNodeKinds; ++k) first[k + 1] += first[k];
    s.Own(SectionId::node_kind, std::move(kinds));
    s.Own(SectionId::kind_first, std::move(first));
    absl::Status st = internal::PutCompactStrings(
        s, SectionId::key_base, SectionId::key_offsets, SectionId::key_chars, n,
        [&](std::size_t i) { return b.node_codes.Get(order[i]).substr(1); }, threads);
    if (!st.ok()) return st;
    b.node_codes.Clear();
  }
  internal::BuildPositions(b, node_new, s);

  // 4. Node records and labels.
  std::vector<EdgeIndex> a_off;
  std::vector<NodeAssertion> asserts;
  {
    std::vector<NodeAssertion> items(b.assertions.size());
    ParallelFor(0, items.size(), threads, [&](std::size_t i) {
      const internal::BuilderAssertion& a = b.assertions[i];
      items[i] = {node_new[a.node], map_record(a.record), interned[a.label]};
    });
    GroupSort(
        n, std::move(items), [](const NodeAssertion& a) { return a.node; },
        [](const NodeAssertion& x, const NodeAssertion& y) {
          return std::tie(x.record, x.label) < std::tie(y.record, y.label);
        },
        true, threads, &a_off, &asserts);
    Free(b.assertions);
  }
  // A node's label: the least restrictive of its assertions' labels (MinimalLabels); the
  // first of them in node_lab, and every node that has several in `multi`.
  std::vector<CanonicalLabel> node_lab(n);
  std::vector<std::uint8_t> multi(n);
  std::vector<EdgeIndex> rec_count(n);
  ParallelForDynamic(0, n, threads, [&](std::size_t v) {
    thread_local std::vector<CanonicalLabel> minimal;
    minimal.clear();
    EdgeIndex distinct = 0;
    for (EdgeIndex i = a_off[v]; i < a_off[v + 1]; ++i) {
      AddMinimal(asserts[i].label, minimal);
      const RecordNo r = asserts[i].record;
      if (r != kNoRecord && (i == a_off[v] || asserts[i - 1].record != r)) ++distinct;
    }
    std::sort(minimal.begin(), minimal.end());
    node_lab[v] = minimal.empty() ? CanonicalLabel{} : minimal.front();
    multi[v] = minimal.size() > 1;
    rec_count[v] = distinct;
  });
  // The label sets of the nodes in `multi`, in node order (few nodes: computed again here).
  std::vector<std::pair<NodeId, std::vector<CanonicalLabel>>> node_sets;
  for (std::size_t v = 0; v < n; ++v) {
    if (!multi[v]) continue;
    std::vector<CanonicalLabel> minimal;
    for (EdgeIndex i = a_off[v]; i < a_off[v + 1]; ++i) AddMinimal(asserts[i].label, minimal);
    std::sort(minimal.begin(), minimal.end());
    node_sets.emplace_back(static_cast<NodeId>(v), std::move(minimal));
  }
  Free(multi);
  {
    std::vector<EdgeIndex> rec_off;
    internal::PrefixSum(rec_count, rec_off, threads);
    std::vector<RecordNo> recs(rec_off[n]);
    ParallelForDynamic(0, n, threads, [&](std::size_t v) {
      EdgeIndex at = rec_off[v];
      for (EdgeIndex i = a_off[v]; i < a_off[v + 1]; ++i) {
        const RecordNo r = asserts[i].record;
        if (r != kNoRecord && (i == a_off[v] || asserts[i - 1].record != r)) recs[at++] = r;
      }
    });
    if (absl::Status st = s.OwnCompact(SectionId::record_base, SectionId::record_offsets, rec_off);
        !st.ok()) {
      return st;
    }
    s.Own(SectionId::records, std::move(recs));
  }

  // 5. The label table: the single labels (every node's label is one of the interned ones),
  // then the label sets.
  std::vector<CanonicalLabel> table = interned;
  std::sort(table.begin(), table.end());
  table.erase(std::unique(table.begin(), table.end()), table.end());
  auto label_id = [&](const CanonicalLabel& l) {
    return static_cast<LabelId>(std::lower_bound(table.begin(), table.end(), l) - table.begin());
  };
  std::vector<std::vector<LabelId>> sets;
  std::vector<std::uint32_t> node_set(node_sets.size());
  for (const auto& [v, labels] : node_sets) {
    std::vector<LabelId> ids;
    for (const CanonicalLabel& l : labels) ids.push_back(label_id(l));
    sets.push_back(std::move(ids));  // increasing: `labels` is sorted like `table`
  }
  {
    std::vector<std::vector<LabelId>> distinct = sets;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (std::size_t i = 0; i < sets.size(); ++i) {
      node_set[i] = static_cast<std::uint32_t>(
          std::lower_bound(distinct.begin(), distinct.end(), sets[i]) - distinct.begin());
    }
    sets = std::move(distinct);
  }
  if (table.size() > std::numeric_limits<LabelId>::max()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the graph has ", table.size(), " distinct access labels; a snapshot holds at most 65535"));
  }
  {
    std::vector<NodeLabelId> node_label(n);
    ParallelFor(0, n, threads, [&](std::size_t v) { node_label[v] = label_id(node_lab[v]); });
    for (std::size_t i = 0; i < node_sets.size(); ++i) {
      node_label[node_sets[i].first] = static_cast<NodeLabelId>(table.size() + node_set[i]);
    }
    s.Own(SectionId::node_label, std::move(node_label));
    std::vector<std::uint32_t> set_offsets{0};
    std::vector<LabelId> set_members;
    for (const std::vector<LabelId>& set : sets) {
      set_members.insert(set_members.end(), set.begin(), set.end());
      set_offsets.push_back(static_cast<std::uint32_t>(set_members.size()));
    }
    s.Own(SectionId::label_set_offsets, std::move(set_offsets));
    s.Own(SectionId::label_set_members, std::move(set_members));
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
  std::vector<LabelId> label_new(interned.size());
  for (std::size_t i = 0; i < interned.size(); ++i) label_new[i] = label_id(interned[i]);

  // 6. Edges: out-CSR, then in-CSR.
  std::vector<EdgeIndex> out_off;
  std::vector<internal::BuilderEdge> edges;
  {
    std::vector<internal::BuilderEdge> items = std::move(b.edges);
    ParallelFor(0, items.size(), threads, [&](std::size_t i) {
      internal::BuilderEdge& e = items[i];
      e = {node_new[e.from],     node_new[e.to],     e.time,
           map_record(e.record), label_new[e.label], e.kind};
    });
    GroupSort(
        n, std::move(items), [](const internal::BuilderEdge& e) { return e.from; },
        [](const internal::BuilderEdge& x, const internal::BuilderEdge& y) {
          return std::tie(x.to, x.kind, x.time, x.record, x.label) <
                 std::tie(y.to, y.kind, y.time, y.record, y.label);
        },
        true, threads, &out_off, &edges);
  }
  const std::size_t m = edges.size();
  if (m > std::numeric_limits<EdgeId>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the graph has ", m, " edges; a snapshot holds at most 2^32-1"));
  }
  {
    std::vector<NodeId> nbr(m);
    std::vector<EdgeKind> kind(m);
    std::vector<EdgeTime> time(m);
    std::vector<LabelId> label(m);
    std::vector<RecordNo> record(m);
    ParallelFor(0, m, threads, [&](std::size_t i) {
      nbr[i] = edges[i].to;
      kind[i] = edges[i].kind;
      time[i] = edges[i].time;
      label[i] = edges[i].label;
      record[i] = edges[i].record;
    });
    s.Own(SectionId::out_neighbours, std::move(nbr));
    s.Own(SectionId::edge_kind, std::move(kind));
    s.Own(SectionId::edge_time, std::move(time));
    s.Own(SectionId::edge_label, std::move(label));
    s.Own(SectionId::edge_record, std::move(record));
  }
  {
    std::vector<InItem> items(m);
    ParallelForDynamic(0, n, threads, [&](std::size_t v) {
      for (EdgeIndex e = out_off[v]; e < out_off[v + 1]; ++e) {
        items[e] = {edges[e].to, static_cast<NodeId>(v), static_cast<EdgeId>(e)};
      }
    });
    std::vector<internal::BuilderEdge>().swap(edges);
    std::vector<EdgeIndex> in_off;
    std::vector<InItem> in;
    GroupSort(
        n, std::move(items), [](const InItem& x) { return x.target; },
        [](const InItem& x, const InItem& y) {
          return std::tie(x.source, x.edge) < std::tie(y.source, y.edge);
        },
        false, threads, &in_off, &in);
    std::vector<NodeId> in_nbr(m);
    std::vector<EdgeId> in_edge(m);
    ParallelFor(0, m, threads, [&](std::size_t i) {
      in_nbr[i] = in[i].source;
      in_edge[i] = in[i].edge;
    });
    s.Own(SectionId::out_offsets, std::move(out_off));
    s.Own(SectionId::in_offsets, std::move(in_off));
    s.Own(SectionId::in_neighbours, std::move(in_nbr));
    s.Own(SectionId::in_edge, std::move(in_edge));
  }

  // 7. Properties and merges.
  {
    absl::StatusOr<std::vector<std::uint32_t>> ranks = internal::PutSortedPool(
        s, SectionId::value_base, SectionId::value_offsets, SectionId::value_chars, b.values,
        threads);
    if (!ranks.ok()) return ranks.status();
    const std::vector<std::uint32_t> value_rank = *std::move(ranks);
    b.values.Clear();
    std::vector<PropItem> items(b.properties.size());
    ParallelFor(0, items.size(), threads, [&](std::size_t i) {
      const internal::BuilderProperty& p = b.properties[i];
      items[i] = {node_new[p.node], map_record(p.record), value_rank[p.value],
                  static_cast<std::uint16_t>(prop_name_new[p.name])};
    });
    Free(b.properties);
    std::vector<EdgeIndex> off;
    std::vector<PropItem> props;
    GroupSort(
        n, std::move(items), [](const PropItem& p) { return p.node; },
        [](const PropItem& x, const PropItem& y) {
          return std::tie(x.name, x.value, x.record) < std::tie(y.name, y.value, y.record);
        },
        true, threads, &off, &props);
    std::vector<std::uint16_t> name(props.size());
    std::vector<RecordNo> record(props.size());
    std::vector<std::uint32_t> value(props.size());
    ParallelFor(0, props.size(), threads, [&](std::size_t i) {
      name[i] = props[i].name;
      record[i] = props[i].record;
      value[i] = props[i].value;
    });
    if (absl::Status st = s.OwnCompact(SectionId::prop_base, SectionId::prop_offsets, off);
        !st.ok()) {
      return st;
    }
    s.Own(SectionId::prop_name, std::move(name));
    s.Own(SectionId::prop_record, std::move(record));
    s.Own(SectionId::prop_value, std::move(value));
  }
  {
    absl::StatusOr<std::vector<std::uint32_t>> ranks =
        internal::PutSortedPool(s, SectionId::merge_text_base, SectionId::merge_text_offsets,
                                SectionId::merge_text_chars, b.merge_texts, threads);
    if (!ranks.ok()) return ranks.status();
    const std::vector<std::uint32_t> text_rank = *std::move(ranks);
    b.merge_texts.Clear();
    std::vector<MergeItem> items(b.merges.size());
    ParallelFor(0, items.size(), threads, [&](std::size_t i) {
      const internal::BuilderMerge& g = b.merges[i];
      items[i] = {node_new[g.node], map_record(g.record), text_rank[g.text], g.rule};
    });
    Free(b.merges);
    std::vector<EdgeIndex> off;
    std::vector<MergeItem> merges;
    GroupSort(
        n, std::move(items), [](const MergeItem& g) { return g.node; },
        [](const MergeItem& x, const MergeItem& y) {
          return std::tie(x.record, x.rule, x.text) < std::tie(y.record, y.rule, y.text);
        },
        true, threads, &off, &merges);
    std::vector<MergeRule> rule(merges.size());
    std::vector<RecordNo> record(merges.size());
    std::vector<std::uint32_t> text(merges.size());
    ParallelFor(0, merges.size(), threads, [&](std::size_t i) {
      rule[i] = merges[i].rule;
      record[i] = merges[i].record;
      text[i] = merges[i].text;
    });
    if (absl::Status st = s.OwnCompact(SectionId::merge_base, SectionId::merge_offsets, off);
        !st.ok()) {
      return st;
    }
    s.Own(SectionId::merge_rule, std::move(rule));
    s.Own(SectionId::merge_record, std::move(record));
    s.Own(SectionId::merge_text, std::move(text));
  }

  if (absl::Status st = s.Bind(); !st.ok()) return st;
  return std::shared_ptr<const Graph>(std::make_shared<Graph>(std::move(storage)));
}

}  // namespace polegraph
