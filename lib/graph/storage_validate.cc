// Graph::Storage::Validate — the cross-section checks that make a snapshot safe to read.
//
// A snapshot opened from a file is trusted only after this pass: every offsets array has the
// right length, starts at 0, never decreases and ends at the size of the array it indexes;
// every node id, edge id, record number, label id, property-name id and enum value is below
// the size of its table. After it succeeds no Graph accessor can read out of bounds, whatever
// the bytes were (checksums are a separate, optional check). Two invariants of the edges that
// the analyses rely on are checked last (storage_edges.cc): every edge joins the node kinds its
// kind allows, and the in-CSR is the out-CSR transposed. Cost: sequential scans, no copies;
// the two edge checks run on `threads` threads.
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "graph/storage.h"

namespace polegraph {

absl::Status internal::SectionError(internal::SectionId id, std::string_view what) {
  return absl::DataLossError(absl::StrCat(
      "section '", internal::Av(internal::kSectionSpecs[static_cast<std::size_t>(id)].name),
      "': ", internal::Av(what)));
}

namespace {

using internal::kPropNameEscape;
using internal::kSectionSpecs;
using internal::SectionId;
using internal::StringColumn;

absl::Status Bad(SectionId id, std::string_view what) { return internal::SectionError(id, what); }

absl::Status CheckSize(SectionId id, std::size_t actual, std::uint64_t expected) {
  if (actual != expected) {
    return Bad(id, absl::StrCat("has ", actual, " elements, expected ", expected));
  }
  return absl::OkStatus();
}

// offsets: n + 1 entries, starting at 0, non-decreasing, ending at `total`.
// `Offsets` is a span of integers or internal::CompactOffsets (checked by CheckCompact first).
template <typename Offsets>
absl::Status CheckOffsets(SectionId id, const Offsets& offsets, std::uint64_t n,
                          std::uint64_t total) {
  if (absl::Status s = CheckSize(id, offsets.size(), n + 1); !s.ok()) return s;
  if (offsets[0] != 0) return Bad(id, "first offset is not 0");
  for (std::size_t i = 0; i + 1 < offsets.size(); ++i) {
    if (offsets[i + 1] < offsets[i]) return Bad(id, absl::StrCat("offset ", i + 1, " decreases"));
  }
  if (offsets[n] != total) {
    return Bad(id, absl::StrCat("last offset ", offsets[n], " != ", total));
  }
  return absl::OkStatus();
}

// The base, delta and wide sections agree in shape (CompactShapeOk), so indexing is in
// bounds, and each block's first entry is its base (u16 delta 0, or wide delta 0; the u16
// deltas of a wide block are 0); then the offsets are checked as above. (A sum that wraps
// around cannot pass: the sequence must rise from 0 to `total` without decreasing, so every
// entry is in [0, total].)
#define POLEGRAPH_COMPACT_ORDER(base, delta, wide)                                             \
  static_assert(static_cast<int>(SectionId::base) + 1 == static_cast<int>(SectionId::delta) && \
                static_cast<int>(SectionId::delta) + 1 == static_cast<int>(SectionId::wide));
POLEGRAPH_COMPACT_ORDER(key_base, key_offsets, key_wide)
POLEGRAPH_COMPACT_ORDER(record_base, record_offsets, record_wide)
POLEGRAPH_COMPACT_ORDER(prop_base, prop_offsets, prop_wide)
POLEGRAPH_COMPACT_ORDER(value_base, value_offsets, value_wide)
POLEGRAPH_COMPACT_ORDER(merge_base, merge_offsets, merge_wide)
POLEGRAPH_COMPACT_ORDER(merge_text_base, merge_text_offsets, merge_text_wide)
POLEGRAPH_COMPACT_ORDER(record_id_base, record_id_offsets, record_id_wide)
POLEGRAPH_COMPACT_ORDER(out_base, out_delta, out_wide)
POLEGRAPH_COMPACT_ORDER(in_base, in_delta, in_wide)
#undef POLEGRAPH_COMPACT_ORDER

absl::Status CheckCompact(SectionId delta_id, const internal::CompactOffsets& c, std::uint64_t n,
                          std::uint64_t total) {
  const SectionId base_id = static_cast<SectionId>(static_cast<int>(delta_id) - 1);
  const SectionId wide_id = static_cast<SectionId>(static_cast<int>(delta_id) + 1);
  const std::size_t blocks =
      (c.delta.size() + internal::kCompactBlock - 1) >> internal::kCompactShift;
  if (absl::Status s = CheckSize(base_id, c.base.size(), blocks); !s.ok()) return s;
  if (!internal::CompactShapeOk(c)) {
    return Bad(wide_id, "does not match the wide blocks marked in the base");
  }
  for (std::size_t i = 0; i < c.delta.size(); i += internal::kCompactBlock) {
    const std::uint64_t b = c.base[i >> internal::kCompactShift];
    if ((b & internal::kWideBlock) == 0) {
      if (c.delta[i] != 0) return Bad(delta_id, absl::StrCat("block start ", i, " is not 0"));
      continue;
    }
    if (c.wide[(b & ~internal::kWideBlock) * internal::kWideRecord + 2] != 0) {
      return Bad(wide_id, absl::StrCat("block start ", i, " is not 0"));
    }
    const std::size_t end = std::min(c.delta.size(), i + internal::kCompactBlock);
    for (std::size_t j = i; j < end; ++j) {
      if (c.delta[j] != 0) return Bad(delta_id, absl::StrCat("entry ", j, " of a wide block"));
    }
  }
  return CheckOffsets(delta_id, c, n, total);
}

absl::Status CheckStrings(SectionId offsets_id, const StringColumn& c, std::uint64_t n) {
  return CheckOffsets(offsets_id, c.offsets, n, c.chars.size());
}
absl::Status CheckStrings(SectionId offsets_id, const internal::CompactStringColumn& c,
                          std::uint64_t n) {
  return CheckCompact(offsets_id, c.offsets, n, c.chars.size());
}

// Every value < limit (or == allowed_sentinel when given).
template <typename T>
absl::Status CheckBelow(SectionId id, std::span<const T> values, std::uint64_t limit,
                        std::uint64_t sentinel = std::numeric_limits<std::uint64_t>::max()) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto v = static_cast<std::uint64_t>(values[i]);
    if (v >= limit && v != sentinel) {
      return Bad(id, absl::StrCat("element ", i, " = ", v, " is out of range (limit ", limit, ")"));
    }
  }
  return absl::OkStatus();
}

template <typename E>
std::span<const std::underlying_type_t<E>> Raw(std::span<const E> s) {
  return {reinterpret_cast<const std::underlying_type_t<E>*>(s.data()), s.size()};
}

}  // namespace

#define PG_RETURN_IF_ERROR(expr)              \
  do {                                        \
    if (absl::Status _s = (expr); !_s.ok()) { \
      return _s;                              \
    }                                         \
  } while (0)

absl::Status Graph::Storage::Validate(int threads) const {
  using S = SectionId;
  const std::uint64_t n = node_kind.size();
  if (n >= kNoNode) return Bad(S::node_kind, "too many nodes");
  const std::uint64_t e = out_neighbours.size();
  if (e > std::numeric_limits<EdgeId>::max()) return Bad(S::out_neighbours, "too many edges");
  const std::uint64_t r = record_offset.size();
  if (r >= kNoRecord) return Bad(S::record_offset_delta, "too many records");
  const std::uint64_t x = extract_source.size();
  const std::uint64_t l = label_classification.size();
  if (l > std::numeric_limits<LabelId>::max()) return Bad(S::label_classification, "too many");
  const std::uint64_t f = force_names.size();
  const std::uint64_t c = caveat_names.size();
  if (c > 32) return Bad(S::caveat_names_offsets, "more than 32 caveats");

  // Small tables and string columns.
  PG_RETURN_IF_ERROR(CheckStrings(S::force_names_offsets, force_names, force_names.size()));
  PG_RETURN_IF_ERROR(CheckStrings(S::caveat_names_offsets, caveat_names, c));
  PG_RETURN_IF_ERROR(CheckStrings(S::meta_name_offsets, meta_names, meta_names.size()));
  PG_RETURN_IF_ERROR(CheckStrings(S::meta_value_offsets, meta_values, meta_names.size()));
  PG_RETURN_IF_ERROR(CheckStrings(S::prop_names_offsets, prop_names, prop_names.size()));
  PG_RETURN_IF_ERROR(CheckSize(S::label_force, label_force.size(), l));
  PG_RETURN_IF_ERROR(CheckSize(S::label_caveats, label_caveats.size(), l));
  PG_RETURN_IF_ERROR(CheckBelow(S::label_classification, Raw(label_classification), 4));
  PG_RETURN_IF_ERROR(CheckBelow(S::label_force, label_force, f));
  const std::uint64_t caveat_limit = c == 32 ? (std::uint64_t{1} << 32) : (std::uint64_t{1} << c);
  PG_RETURN_IF_ERROR(CheckBelow(S::label_caveats, label_caveats, caveat_limit));
  // Label sets: offsets from 0 to the member count, each set two or more single labels in
  // strictly increasing order (so a set never names itself or another set).
  if (label_set_offsets.empty()) return Bad(S::label_set_offsets, "is empty (needs S + 1)");
  const std::uint64_t sets = label_set_offsets.size() - 1;
  if (l + sets > std::numeric_limits<NodeLabelId>::max()) {
    return Bad(S::label_set_offsets, "too many label sets");
  }
  PG_RETURN_IF_ERROR(
      CheckOffsets(S::label_set_offsets, label_set_offsets, sets, label_set_members.size()));
  PG_RETURN_IF_ERROR(CheckBelow(S::label_set_members, label_set_members, l));
  for (std::uint64_t i = 0; i < sets; ++i) {
    if (label_set_offsets[i + 1] - label_set_offsets[i] < 2) {
      return Bad(S::label_set_offsets, absl::StrCat("set ", i, " has fewer than two labels"));
    }
    for (std::uint64_t j = label_set_offsets[i] + 1; j < label_set_offsets[i + 1]; ++j) {
      if (label_set_members[j - 1] >= label_set_members[j]) {
        return Bad(S::label_set_members, absl::StrCat("set ", i, " is not strictly increasing"));
      }
    }
  }

  PG_RETURN_IF_ERROR(CheckSize(S::extract_extracted_at, extract_extracted_at.size(), x));
  PG_RETURN_IF_ERROR(CheckSize(S::extract_schema_version, extract_schema_version.size(), x));
  PG_RETURN_IF_ERROR(CheckSize(S::extract_record_count, extract_record_count.size(), x));
  PG_RETURN_IF_ERROR(CheckSize(S::extract_digest, extract_digest.size(), x));
  PG_RETURN_IF_ERROR(CheckStrings(S::extract_path_offsets, extract_paths, x));
  PG_RETURN_IF_ERROR(CheckStrings(S::extract_force_offsets, extract_forces, x));
  PG_RETURN_IF_ERROR(CheckStrings(S::extract_id_offsets, extract_ids, x));
  PG_RETURN_IF_ERROR(CheckBelow(S::extract_source, Raw(extract_source), 4));

  PG_RETURN_IF_ERROR(CheckOffsets(S::extract_first_record, extract_first_record, x, r));
  // Any offset value is valid (it is only reported); the base needs one entry per block of
  // each extract's records (record_offset.block_first, from the checked first_record).
  PG_RETURN_IF_ERROR(
      CheckSize(S::record_offset_base, record_offset.base.size(), record_offset.block_first[x]));
  {  // wide blocks numbered 0, 1, ... in order, one wide record each, their u16 deltas 0
    std::uint64_t wide = 0;
    for (std::size_t xi = 0; xi < x; ++xi) {
      for (std::uint64_t b = record_offset.block_first[xi]; b < record_offset.block_first[xi + 1];
           ++b) {
        if ((record_offset.base[b] & internal::kWideBlock) == 0) continue;
        if ((record_offset.base[b] & ~internal::kWideBlock) != wide++) {
          return Bad(S::record_offset_base, absl::StrCat("wide block ", b, " is out of order"));
        }
        const std::uint64_t lo = extract_first_record[xi] +
                                 ((b - record_offset.block_first[xi]) << internal::kCompactShift);
        const std::uint64_t hi =
            std::min<std::uint64_t>(extract_first_record[xi + 1], lo + internal::kCompactBlock);
        for (std::uint64_t i = lo; i < hi; ++i) {
          if (record_offset.delta[i] != 0) {
            return Bad(S::record_offset_delta, absl::StrCat("entry ", i, " of a wide block"));
          }
        }
      }
    }
    PG_RETURN_IF_ERROR(
        CheckSize(S::record_offset_wide, record_offset.wide.size(), wide * internal::kWideRecord));
  }
  PG_RETURN_IF_ERROR(CheckStrings(S::record_id_offsets, record_ids, r));

  // Nodes.
  PG_RETURN_IF_ERROR(CheckSize(S::kind_first, kind_first.size(), kNumNodeKinds + 1));
  PG_RETURN_IF_ERROR(CheckBelow(S::node_kind, Raw(node_kind), kNumNodeKinds));
  {
    std::uint64_t first[kNumNodeKinds + 1] = {};
    for (std::uint64_t v = 0; v < n; ++v) {
      if (v > 0 && node_kind[v] < node_kind[v - 1]) return Bad(S::node_kind, "not sorted");
      ++first[static_cast<int>(node_kind[v]) + 1];
    }
    for (int k = 0; k < kNumNodeKinds; ++k) first[k + 1] += first[k];
    for (int k = 0; k <= kNumNodeKinds; ++k) {
      if (kind_first[static_cast<std::size_t>(k)] != first[k]) {
        return Bad(S::kind_first, "does not match node.kind");
      }
    }
  }
  PG_RETURN_IF_ERROR(CheckStrings(S::key_offsets, keys, n));
  for (std::uint64_t v = 1; v < n; ++v) {
    if (node_kind[v] == node_kind[v - 1] && !(keys.Get(v - 1) < keys.Get(v))) {
      return Bad(S::key_chars,
                 absl::StrCat("keys of nodes ", v - 1, " and ", v, " are not strictly increasing"));
    }
  }
  PG_RETURN_IF_ERROR(CheckSize(S::node_label, node_label.size(), n));
  PG_RETURN_IF_ERROR(CheckBelow(S::node_label, node_label, l + sets));
  PG_RETURN_IF_ERROR(CheckSize(S::position_range, position_range.size(), 2));
  if (position_range[0] > position_range[1] || position_range[1] > n) {
    return Bad(S::position_range, "is not a range of nodes");
  }
  PG_RETURN_IF_ERROR(CheckSize(S::position, position.size(),
                               2 * std::uint64_t{position_range[1] - position_range[0]}));
  PG_RETURN_IF_ERROR(CheckCompact(S::record_offsets, node_record_offsets, n, records.size()));
  PG_RETURN_IF_ERROR(CheckBelow(S::records, records, r));

  const std::uint64_t p = prop_name.size();
  PG_RETURN_IF_ERROR(CheckCompact(S::prop_offsets, node_prop_offsets, n, p));
  PG_RETURN_IF_ERROR(CheckSize(S::prop_record, prop_record.size(), p));
  PG_RETURN_IF_ERROR(CheckSize(S::prop_value, prop_value.size(), p));
  PG_RETURN_IF_ERROR(CheckStrings(S::value_offsets, prop_values, prop_values.size()));
  PG_RETURN_IF_ERROR(CheckBelow(S::prop_value, prop_value, prop_values.size()));
  // A property's name: its id below 255, or the escape value and an entry of the escape table
  // (rising property indices, one per escape value, each id at least 255).
  PG_RETURN_IF_ERROR(CheckBelow(S::prop_name, prop_name,
                                std::min<std::uint64_t>(prop_names.size(), kPropNameEscape),
                                kPropNameEscape));
  PG_RETURN_IF_ERROR(
      CheckSize(S::prop_name_escape, prop_name_escape.size(), prop_name_escape_at.size()));
  PG_RETURN_IF_ERROR(CheckBelow(S::prop_name_escape, prop_name_escape, prop_names.size()));
  {
    std::uint64_t escaped_names = 0;
    for (std::uint64_t i = 0; i < p; ++i) escaped_names += prop_name[i] == kPropNameEscape;
    if (escaped_names != prop_name_escape_at.size()) {
      return Bad(S::prop_name_escape_at,
                 absl::StrCat("has ", prop_name_escape_at.size(), " entries for ", escaped_names,
                              " escaped names"));
    }
    for (std::size_t k = 0; k < prop_name_escape_at.size(); ++k) {
      if (prop_name_escape_at[k] >= p ||
          (k > 0 && prop_name_escape_at[k] <= prop_name_escape_at[k - 1]) ||
          prop_name[prop_name_escape_at[k]] != kPropNameEscape) {
        return Bad(S::prop_name_escape_at,
                   absl::StrCat("entry ", k, " is not a rising index of an escaped name"));
      }
    }
  }
  // A property's record: an index into its node's records, or the escape value and an entry
  // of the escape table (rising property indices, one per escape value).
  PG_RETURN_IF_ERROR(CheckSize(S::prop_escape, prop_escape.size(), prop_escape_at.size()));
  PG_RETURN_IF_ERROR(CheckBelow(S::prop_escape, prop_escape, r, kNoRecord));
  for (std::size_t k = 0; k < prop_escape_at.size(); ++k) {
    if (prop_escape_at[k] >= p || (k > 0 && prop_escape_at[k] <= prop_escape_at[k - 1]) ||
        prop_record[prop_escape_at[k]] != internal::kPropRecordEscape) {
      return Bad(S::prop_escape_at, absl::StrCat("entry ", k,
                                                 " is not a rising index of an "
                                                 "escaped property"));
    }
  }
  std::uint64_t escapes = 0;
  for (std::uint64_t v = 0; v < n; ++v) {
    const std::uint64_t count = node_record_offsets[v + 1] - node_record_offsets[v];
    for (std::uint64_t i = node_prop_offsets[v]; i < node_prop_offsets[v + 1]; ++i) {
      if (prop_record[i] == internal::kPropRecordEscape) {
        ++escapes;
      } else if (prop_record[i] >= count) {
        return Bad(S::prop_record, absl::StrCat("element ", i, " = ", prop_record[i],
                                                " is not an index of node ", v, "'s records"));
      }
    }
  }
  if (escapes != prop_escape_at.size()) {
    return Bad(S::prop_escape_at, absl::StrCat("has ", prop_escape_at.size(), " entries for ",
                                               escapes, " escaped properties"));
  }

  const std::uint64_t m = merge_rule.size();
  PG_RETURN_IF_ERROR(CheckCompact(S::merge_offsets, node_merge_offsets, n, m));
  PG_RETURN_IF_ERROR(CheckSize(S::merge_record, merge_record.size(), m));
  PG_RETURN_IF_ERROR(CheckSize(S::merge_text, merge_text.size(), m));
  PG_RETURN_IF_ERROR(CheckStrings(S::merge_text_offsets, merge_texts, merge_texts.size()));
  PG_RETURN_IF_ERROR(CheckBelow(S::merge_text, merge_text, merge_texts.size()));
  PG_RETURN_IF_ERROR(CheckBelow(S::merge_rule, Raw(merge_rule), 7));
  PG_RETURN_IF_ERROR(CheckBelow(S::merge_record, merge_record, r, kNoRecord));

  // Edges.
  PG_RETURN_IF_ERROR(CheckCompact(S::out_delta, out_compact, n, e));
  PG_RETURN_IF_ERROR(CheckCompact(S::in_delta, in_compact, n, e));
  PG_RETURN_IF_ERROR(CheckSize(S::in_neighbours, in_neighbours.size(), e));
  PG_RETURN_IF_ERROR(CheckSize(S::in_edge, in_edge.size(), e));
  PG_RETURN_IF_ERROR(CheckSize(S::edge_kind, edge_kind.size(), e));
  PG_RETURN_IF_ERROR(CheckSize(S::edge_time, edge_time.size(), e));
  PG_RETURN_IF_ERROR(CheckSize(S::edge_label_code, edge_label_code.size(), e));
  PG_RETURN_IF_ERROR(CheckSize(S::edge_record, edge_record.size(), e));
  PG_RETURN_IF_ERROR(CheckBelow(S::out_neighbours, out_neighbours, n));
  PG_RETURN_IF_ERROR(CheckBelow(S::in_neighbours, in_neighbours, n));
  PG_RETURN_IF_ERROR(CheckBelow(S::in_edge, in_edge, e));
  PG_RETURN_IF_ERROR(CheckBelow(S::edge_kind, Raw(edge_kind), kNumEdgeKinds));
  // The labels were decoded by Bind (codes below the table's size, one escape per 255); the
  // table is increasing and holds at most 255 labels, and every label is a single label.
  PG_RETURN_IF_ERROR(CheckSize(S::edge_label_code, edge_label.size(), e));
  if (edge_label_table.size() > internal::kEdgeLabelEscape) {
    return Bad(S::edge_label_table, "has more than 255 labels");
  }
  for (std::size_t i = 1; i < edge_label_table.size(); ++i) {
    if (edge_label_table[i - 1] >= edge_label_table[i]) {
      return Bad(S::edge_label_table, "is not strictly increasing");
    }
  }
  PG_RETURN_IF_ERROR(CheckBelow(S::edge_label_table, edge_label_table, l));
  PG_RETURN_IF_ERROR(CheckBelow(S::edge_label_escape, edge_label_escape, l));
  PG_RETURN_IF_ERROR(CheckBelow(S::edge_record, edge_record, r, kNoRecord));
  // What the analyses rely on beyond bounds: edge endpoints of the right kinds, and in-edges
  // that are the out-edges seen from the other end.
  if (const std::optional<EdgeIndex> bad = FirstMisjoinedEdge(threads)) {
    return Bad(S::edge_kind, DescribeEdge(*bad));
  }
  PG_RETURN_IF_ERROR(CheckInTransposed(threads));
  return absl::OkStatus();
}

#undef PG_RETURN_IF_ERROR

}  // namespace polegraph
