// The big steps of GraphBuilder::Build (builder_build.cc): node records and labels from the
// assertions, properties, merges and edges. Each groups its fact column per node with
// GroupSortBuckets (group_sort.h) and writes its output columns bucket by bucket with
// EmitBucket, so every pass over the facts runs on all threads and no step holds a second
// copy of its facts. The facts arrive rewritten to snapshot ids (nodes, records, labels,
// pool ranks), so every sort compares integers.
// Cost: O(facts) plus the per-node sorts; memory: the facts about once, one bucket's buffer,
// and the output columns (reserved for every fact, resident only as far as written).
#include <algorithm>
#include <limits>
#include <numeric>
#include <span>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "graph/build_steps.h"
#include "graph/group_sort.h"

namespace polegraph::internal {
namespace {

// Grows `v` to n elements (within its reserved capacity when reserved).
template <typename T, typename A>
void GrowTo(std::vector<T, A>& v, std::size_t n) {
  v.resize(n);
}

}  // namespace

absl::Status BuildNodeRecordsAndLabels(BuilderFacts& b, std::size_t n,
                                       const std::vector<CanonicalLabel>& canon,
                                       const std::vector<CanonicalLabel>& table, int threads,
                                       Graph::Storage& s, Column<EdgeIndex>* rec_off) {
  // canon: the interned labels sorted (an assertion's label is its rank there); table: the
  // same, de-duplicated. rank_to_id[r] = id in table of canon[r] (increasing in r).
  std::vector<LabelId> rank_to_id(canon.size());
  for (std::size_t r = 0; r < canon.size(); ++r) {
    rank_to_id[r] = static_cast<LabelId>(std::lower_bound(table.begin(), table.end(), canon[r]) -
                                         table.begin());
  }
  const auto empty_id = static_cast<NodeLabelId>(
      std::lower_bound(table.begin(), table.end(), CanonicalLabel{}) - table.begin());
  // node_label and rec_off are written for every node (EmitBucket counts every group), so
  // they are Columns: no serial zero-fill of n entries on the calling thread first.
  Column<NodeLabelId> node_label(n);
  Column<RecordNo> recs;
  recs.reserve(b.assertions.size());
  rec_off->resize(n + 1);
  (*rec_off)[0] = 0;
  // The nodes with a label set (in node order), and their sets' label ids (flat).
  std::vector<NodeId> set_nodes;
  std::vector<std::uint64_t> set_end;
  std::vector<LabelId> set_members;
  // The least restrictive labels of a node's assertions (AddMinimal), as ranks in `canon`,
  // sorted (so in canonical order).
  auto minimal_of = [&](const BuilderAssertion* first, const BuilderAssertion* last,
                        std::vector<LabelId>& minimal) {
    minimal.clear();
    LabelId previous = 0;
    for (const BuilderAssertion* a = first; a != last; ++a) {
      if (a != first && a->label == previous) continue;  // (a repeat changes nothing)
      previous = a->label;
      AddMinimal(a->label, canon, minimal);
    }
    std::sort(minimal.begin(), minimal.end());
  };
  std::vector<std::uint32_t> set_size;
  GroupSortBuckets(
      n, b.assertions, [](const BuilderAssertion& a) { return a.node; },
      [](const BuilderAssertion& x, const BuilderAssertion& y) {
        return std::make_tuple(x.record, x.label) < std::make_tuple(y.record, y.label);
      },
      threads,
      [&](const SortedBucket<BuilderAssertion>& bucket) {
        set_size.assign(bucket.last - bucket.first, 0);
        EmitBucket(
            bucket, threads, *rec_off,
            [&](std::size_t v, const BuilderAssertion* first, const BuilderAssertion* last) {
              thread_local std::vector<LabelId> minimal;
              minimal_of(first, last, minimal);
              node_label[v] = minimal.empty() ? empty_id : rank_to_id[minimal.front()];
              if (minimal.size() > 1) {
                set_size[v - bucket.first] = static_cast<std::uint32_t>(minimal.size());
              }
              EdgeIndex distinct = 0;
              for (const BuilderAssertion* a = first; a != last; ++a) {
                const RecordNo r = a->record;
                if (r != kNoRecord && (a == first || a[-1].record != r)) ++distinct;
              }
              return distinct;
            },
            [&](EdgeIndex total) { GrowTo(recs, total); },
            [&](std::size_t v, const BuilderAssertion*, const BuilderAssertion*, EdgeIndex at) {
              const BuilderAssertion* first = bucket.begin(v);
              const BuilderAssertion* last = bucket.end(v);
              for (const BuilderAssertion* a = first; a != last; ++a) {
                const RecordNo r = a->record;
                if (r != kNoRecord && (a == first || a[-1].record != r)) recs[at++] = r;
              }
            });
        // This bucket's label sets, appended in node order.
        std::vector<std::uint64_t> set_at;
        for (std::size_t i = 0; i < set_size.size(); ++i) {
          if (set_size[i] == 0) continue;
          set_nodes.push_back(static_cast<NodeId>(bucket.first + i));
          set_at.push_back(set_members.size());
          set_members.resize(set_members.size() + set_size[i]);
          set_end.push_back(set_members.size());
        }
        const std::size_t base = set_nodes.size() - set_at.size();
        ParallelForDynamic(0, set_at.size(), threads, [&](std::size_t k) {
          const NodeId v = set_nodes[base + k];
          thread_local std::vector<LabelId> minimal;
          minimal_of(bucket.begin(v), bucket.end(v), minimal);
          for (std::size_t j = 0; j < minimal.size(); ++j) {
            set_members[set_at[k] + j] = rank_to_id[minimal[j]];  // increasing, as `minimal`
          }
        });
      });
  if (absl::Status st =
          s.OwnCompact(SectionId::record_base, SectionId::record_offsets, *rec_off, threads);
      !st.ok()) {
    return st;
  }
  s.Own(SectionId::records, std::move(recs));
  PutLabelSets(table.size(), set_nodes, set_end, set_members, node_label, s, threads);
  s.Own(SectionId::node_label, std::move(node_label));
  return absl::OkStatus();
}

absl::Status BuildProperties(BuilderFacts& b, std::size_t n, const Column<EdgeIndex>& rec_off,
                             int threads, Graph::Storage& s) {
  // Each property's record is stored as its index among its node's (sorted, distinct)
  // records, or escaped; its name as a byte, or escaped when 255 or more.
  const auto& rec_sec = s.sections[static_cast<std::size_t>(SectionId::records)];
  const std::span<const RecordNo> node_recs(reinterpret_cast<const RecordNo*>(rec_sec.data),
                                            rec_sec.bytes / sizeof(RecordNo));
  Column<EdgeIndex> off(n + 1);  // (off[g + 1] written by EmitBucket for every node)
  off[0] = 0;
  Column<std::uint8_t> name, record;
  Column<std::uint32_t> value;
  name.reserve(b.properties.size());
  record.reserve(b.properties.size());
  value.reserve(b.properties.size());
  std::vector<std::uint32_t> escape_at, name_escape_at;
  std::vector<RecordNo> escape;
  std::vector<std::uint16_t> name_escape;
  auto less = [](const BuilderProperty& x, const BuilderProperty& y) {
    return std::make_tuple(x.name, x.value, x.record) < std::make_tuple(y.name, y.value, y.record);
  };
  std::vector<std::uint32_t> rec_escapes, name_escapes;  // per group of a bucket, then offsets
  GroupSortBuckets(
      n, b.properties, [](const BuilderProperty& p) { return p.node; }, less, threads,
      [&](const SortedBucket<BuilderProperty>& bucket) {
        EmitBucket(
            bucket, threads, off, Dedupe(less),
            [&](EdgeIndex total) {
              GrowTo(name, total);
              GrowTo(record, total);
              GrowTo(value, total);
            },
            [&](std::size_t v, const BuilderProperty* first, const BuilderProperty* last,
                EdgeIndex at) {
              const auto lo = node_recs.begin() + static_cast<std::ptrdiff_t>(rec_off[v]);
              const auto hi = node_recs.begin() + static_cast<std::ptrdiff_t>(rec_off[v + 1]);
              for (const BuilderProperty* p = first; p != last; ++p, ++at) {
                name[at] = p->name < kPropNameEscape ? static_cast<std::uint8_t>(p->name)
                                                     : kPropNameEscape;
                value[at] = p->value;
                const auto it = std::lower_bound(lo, hi, p->record);
                const auto k = it - lo;
                record[at] = it != hi && *it == p->record && k < kPropRecordEscape
                                 ? static_cast<std::uint8_t>(k)
                                 : kPropRecordEscape;
              }
            });
        // The escapes of this bucket's properties, appended in property order.
        const std::size_t groups = bucket.last - bucket.first;
        rec_escapes.assign(groups + 1, 0);
        name_escapes.assign(groups + 1, 0);
        ParallelForDynamic(
            0, groups, threads,
            [&](std::size_t i) {
              const std::size_t v = bucket.first + i;
              for (EdgeIndex at = off[v]; at < off[v + 1]; ++at) {
                rec_escapes[i + 1] += record[at] == kPropRecordEscape;
                name_escapes[i + 1] += name[at] == kPropNameEscape;
              }
            },
            256);
        std::partial_sum(rec_escapes.begin(), rec_escapes.end(), rec_escapes.begin());
        std::partial_sum(name_escapes.begin(), name_escapes.end(), name_escapes.begin());
        const std::size_t rec_base = escape.size(), name_base = name_escape.size();
        if (rec_escapes[groups] == 0 && name_escapes[groups] == 0) return;
        escape.resize(rec_base + rec_escapes[groups]);
        escape_at.resize(escape.size());
        name_escape.resize(name_base + name_escapes[groups]);
        name_escape_at.resize(name_escape.size());
        ParallelForDynamic(
            0, groups, threads,
            [&](std::size_t i) {
              const std::size_t v = bucket.first + i;
              std::size_t r = rec_base + rec_escapes[i], m = name_base + name_escapes[i];
              const BuilderProperty* p = bucket.begin(v);
              for (EdgeIndex at = off[v]; at < off[v + 1]; ++at, ++p) {
                if (record[at] == kPropRecordEscape) {
                  escape_at[r] = static_cast<std::uint32_t>(at);
                  escape[r++] = p->record;
                }
                if (name[at] == kPropNameEscape) {
                  name_escape_at[m] = static_cast<std::uint32_t>(at);
                  name_escape[m++] = p->name;
                }
              }
            },
            256);
      });
  s.Own(SectionId::prop_escape_at, std::move(escape_at));
  s.Own(SectionId::prop_escape, std::move(escape));
  if (absl::Status st = s.OwnCompact(SectionId::prop_base, SectionId::prop_offsets, off, threads);
      !st.ok()) {
    return st;
  }
  s.Own(SectionId::prop_name, std::move(name));
  s.Own(SectionId::prop_name_escape_at, std::move(name_escape_at));
  s.Own(SectionId::prop_name_escape, std::move(name_escape));
  s.Own(SectionId::prop_record, std::move(record));
  s.Own(SectionId::prop_value, std::move(value));
  return absl::OkStatus();
}

absl::Status BuildMerges(BuilderFacts& b, std::size_t n, int threads, Graph::Storage& s) {
  Column<EdgeIndex> off(n + 1);  // (off[g + 1] written by EmitBucket for every node)
  off[0] = 0;
  Column<MergeRule> rule;
  Column<RecordNo> record;
  Column<std::uint32_t> text;
  rule.reserve(b.merges.size());
  record.reserve(b.merges.size());
  text.reserve(b.merges.size());
  auto less = [](const BuilderMerge& x, const BuilderMerge& y) {
    return std::make_tuple(x.record, x.rule, x.text) < std::make_tuple(y.record, y.rule, y.text);
  };
  GroupSortBuckets(
      n, b.merges, [](const BuilderMerge& g) { return g.node; }, less, threads,
      [&](const SortedBucket<BuilderMerge>& bucket) {
        EmitBucket(
            bucket, threads, off, Dedupe(less),
            [&](EdgeIndex total) {
              GrowTo(rule, total);
              GrowTo(record, total);
              GrowTo(text, total);
            },
            [&](std::size_t, const BuilderMerge* first, const BuilderMerge* last, EdgeIndex at) {
              for (const BuilderMerge* g = first; g != last; ++g, ++at) {
                rule[at] = g->rule;
                record[at] = g->record;
                text[at] = g->text;
              }
            });
      });
  if (absl::Status st = s.OwnCompact(SectionId::merge_base, SectionId::merge_offsets, off, threads);
      !st.ok()) {
    return st;
  }
  s.Own(SectionId::merge_rule, std::move(rule));
  s.Own(SectionId::merge_record, std::move(record));
  s.Own(SectionId::merge_text, std::move(text));
  return absl::OkStatus();
}

absl::Status BuildEdges(BuilderFacts& b, std::size_t n, int threads, Graph::Storage& s,
                        const std::function<void()>& columns_done) {
  // The columns are reserved for every edge but written (made resident) only as far as the
  // de-duplicated edges go.
  Column<EdgeIndex> out_off(n + 1);  // (out_off[g + 1] written by EmitBucket for every node)
  out_off[0] = 0;
  Column<NodeId> nbr;
  Column<EdgeKind> kind;
  Column<EdgeTime> time;
  Column<LabelId> label;
  Column<RecordNo> record;
  nbr.reserve(b.edges.size());
  kind.reserve(b.edges.size());
  time.reserve(b.edges.size());
  label.reserve(b.edges.size());
  record.reserve(b.edges.size());
  auto less = [](const BuilderEdge& x, const BuilderEdge& y) {
    return std::make_tuple(x.to, x.kind, x.time, x.record, x.label) <
           std::make_tuple(y.to, y.kind, y.time, y.record, y.label);
  };
  GroupSortBuckets(
      n, b.edges, [](const BuilderEdge& e) { return e.from; }, less, threads,
      [&](const SortedBucket<BuilderEdge>& bucket) {
        EmitBucket(
            bucket, threads, out_off, Dedupe(less),
            [&](EdgeIndex total) {
              GrowTo(nbr, total);
              GrowTo(kind, total);
              GrowTo(time, total);
              GrowTo(label, total);
              GrowTo(record, total);
            },
            [&](std::size_t, const BuilderEdge* first, const BuilderEdge* last, EdgeIndex at) {
              for (const BuilderEdge* e = first; e != last; ++e, ++at) {
                nbr[at] = e->to;
                kind[at] = e->kind;
                time[at] = e->time;
                label[at] = e->label;
                record[at] = e->record;
              }
            });
      });
  const std::size_t m = nbr.size();
  if (m > std::numeric_limits<EdgeId>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the graph has ", m, " edges; a snapshot holds at most 2^32-1"));
  }
  s.Own(SectionId::edge_kind, std::move(kind));
  s.Own(SectionId::edge_time, std::move(time));
  s.OwnEdgeLabels(std::move(label), threads);
  s.Own(SectionId::edge_record, std::move(record));
  // The out-CSR goes to the storage before the in-CSR is made from it (so a snapshot being
  // streamed writes it meanwhile); moving a Column into the storage keeps its buffer, which
  // BuildInCsr then reads through these views. The offsets are kept as the decoded arrays
  // (Bind would otherwise decode them again).
  const std::span<const EdgeIndex> out_view(out_off.data(), out_off.size());
  const std::span<const NodeId> nbr_view(nbr.data(), nbr.size());
  if (absl::Status st = s.OwnCsrOffsets(true, std::move(out_off), threads); !st.ok()) return st;
  s.Own(SectionId::out_neighbours, std::move(nbr));
  columns_done();
  Column<EdgeIndex> in_off;
  Column<NodeId> in_nbr(m);
  Column<EdgeId> in_edge(m);
  BuildInCsr(out_view, nbr_view, threads, &in_off, in_nbr, in_edge);
  if (absl::Status st = s.OwnCsrOffsets(false, std::move(in_off), threads); !st.ok()) return st;
  s.Own(SectionId::in_neighbours, std::move(in_nbr));
  s.Own(SectionId::in_edge, std::move(in_edge));
  return absl::OkStatus();
}

}  // namespace polegraph::internal
