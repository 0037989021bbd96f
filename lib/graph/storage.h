// Graph::Storage — the snapshot as a set of named, typed, contiguous sections.
//
// Every array of a Graph (CSR offsets and neighbours, edge columns, node columns, string pools,
// provenance and label tables) is one section: a name ("out.neighbours"), an element type and a
// run of bytes. A section's bytes are either owned (a std::vector moved in by the builder) or
// a view into a memory-mapped snapshot file; the Graph reads both the same way through typed
// spans. A snapshot file is these sections written out one after another (lib/io/), so opening
// one is an mmap plus the checks of Validate(); only the CSR offsets and edge labels are
// decoded (Bind), everything else is read in place.
//
// Variable-length strings are stored as a string column: an offsets section (count + 1 u64,
// starting at 0, non-decreasing, last == chars size; compact, see CompactOffsets, for the
// large columns) and a chars section. Property values and
// merge explanations, which repeat heavily, are pooled: each distinct string is stored once
// (the pool sorted by content) and a property or merge holds a u32 index into its pool.
// Records are numbered by extract, so the records of extract x are the contiguous range
// [extract.first_record[x], extract.first_record[x+1]) and a record's extract and source
// need no per-record column. Positions are stored for one contiguous node range only (the
// nodes that have one are Locations, which are contiguous because nodes are ordered by kind).
//
// Thread-safety: immutable after Bind(); concurrent reads are safe.
#ifndef POLEGRAPH_LIB_GRAPH_STORAGE_H_
#define POLEGRAPH_LIB_GRAPH_STORAGE_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "graph/column.h"
#include "polegraph/graph.h"
#include "polegraph/types.h"

namespace polegraph {
namespace internal {

// absl::string_view is not std::string_view in the Abseil Debian ships: convert for StrCat.
inline absl::string_view Av(std::string_view s) { return {s.data(), s.size()}; }

// Element types of sections (stored in the snapshot's section table; values are fixed).
enum class DType : std::uint8_t { kU8 = 1, kU16, kU32, kU64, kI64, kF64, kChar };
std::size_t DTypeSize(DType t);
std::string_view DTypeName(DType t);

template <typename T>
constexpr DType DTypeOf() {
  if constexpr (std::is_enum_v<T>) {
    return DTypeOf<std::underlying_type_t<T>>();
  } else if constexpr (std::is_same_v<T, char>) {
    return DType::kChar;
  } else if constexpr (std::is_same_v<T, std::uint8_t>) {
    return DType::kU8;
  } else if constexpr (std::is_same_v<T, std::uint16_t>) {
    return DType::kU16;
  } else if constexpr (std::is_same_v<T, std::uint32_t>) {
    return DType::kU32;
  } else if constexpr (std::is_same_v<T, std::uint64_t>) {
    return DType::kU64;
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    return DType::kI64;
  } else {
    static_assert(std::is_same_v<T, double>, "unsupported section element type");
    return DType::kF64;
  }
}

// X(member, "name", element type). The order is the order of sections in a snapshot file.
// N = nodes, E = edges, P = properties, M = merges, R = records, X = extracts, L = labels.
// Label ids [0, L) are single labels; [L, L + S) are label sets (see Graph::label_members).
#define POLEGRAPH_SECTIONS(X)                                                                      \
  X(node_kind, "node.kind", NodeKind)                 /* N, sorted */                              \
  X(kind_first, "node.kind_first", NodeId)            /* kNumNodeKinds+1 */                        \
  X(key_base, "node.key.offsets.base", std::uint64_t) /* compact offsets, N+1 */                   \
  X(key_offsets, "node.key.offsets", std::uint16_t)                                                \
  X(key_wide, "node.key.offsets.wide", std::uint32_t)                                              \
  X(key_chars, "node.key.chars", char)                                                             \
  X(node_label, "node.label", NodeLabelId)                   /* N */                               \
  X(position_range, "node.position.range", NodeId)           /* 2: [first, end) */                 \
  X(position, "node.position", double)                       /* 2(end-first): lat, lon */          \
  X(record_base, "node.records.offsets.base", std::uint64_t) /* compact, N+1 */                    \
  X(record_offsets, "node.records.offsets", std::uint16_t)                                         \
  X(record_wide, "node.records.offsets.wide", std::uint32_t)                                       \
  X(records, "node.records", RecordNo)                                                             \
  X(prop_base, "prop.offsets.base", std::uint64_t) /* compact, N+1 */                              \
  X(prop_offsets, "prop.offsets", std::uint16_t)                                                   \
  X(prop_wide, "prop.offsets.wide", std::uint32_t)                                                 \
  X(prop_name, "prop.name", std::uint8_t) /* P: property-name id, 255: escape */                   \
  X(prop_name_escape_at, "prop.name.escape_at", std::uint32_t) /* rising property indices */       \
  X(prop_name_escape, "prop.name.escape", std::uint16_t)       /* their names */                   \
  X(prop_record, "prop.record", std::uint8_t) /* P: index in node.records, 255: escape */          \
  X(prop_escape_at, "prop.record.escape_at", std::uint32_t) /* rising property indices */          \
  X(prop_escape, "prop.record.escape", RecordNo)            /* their records */                    \
  X(prop_value, "prop.value", std::uint32_t)                /* P: index into prop_values */        \
  X(value_base, "prop_values.offsets.base", std::uint64_t)  /* compact, V+1 */                     \
  X(value_offsets, "prop_values.offsets", std::uint16_t)    /* sorted, distinct values */          \
  X(value_wide, "prop_values.offsets.wide", std::uint32_t)                                         \
  X(value_chars, "prop_values.chars", char)                                                        \
  X(prop_names_offsets, "prop_names.offsets", std::uint64_t)                                       \
  X(prop_names_chars, "prop_names.chars", char)                                                    \
  X(merge_base, "merge.offsets.base", std::uint64_t) /* compact, N+1 */                            \
  X(merge_offsets, "merge.offsets", std::uint16_t)                                                 \
  X(merge_wide, "merge.offsets.wide", std::uint32_t)                                               \
  X(merge_rule, "merge.rule", MergeRule)                        /* M */                            \
  X(merge_record, "merge.record", RecordNo)                     /* M */                            \
  X(merge_text, "merge.text", std::uint32_t)                    /* M: index into merge_texts */    \
  X(merge_text_base, "merge_texts.offsets.base", std::uint64_t) /* compact */                      \
  X(merge_text_offsets, "merge_texts.offsets", std::uint16_t)   /* sorted, distinct */             \
  X(merge_text_wide, "merge_texts.offsets.wide", std::uint32_t)                                    \
  X(merge_text_chars, "merge_texts.chars", char)                                                   \
  X(out_base, "out.offsets.base", std::uint64_t) /* compact, N+1 */                                \
  X(out_delta, "out.offsets", std::uint16_t)                                                       \
  X(out_wide, "out.offsets.wide", std::uint32_t)                                                   \
  X(out_neighbours, "out.neighbours", NodeId)  /* E */                                             \
  X(in_base, "in.offsets.base", std::uint64_t) /* compact, N+1 */                                  \
  X(in_delta, "in.offsets", std::uint16_t)                                                         \
  X(in_wide, "in.offsets.wide", std::uint32_t)                                                     \
  X(in_neighbours, "in.neighbours", NodeId)        /* E */                                         \
  X(in_edge, "in.edge", EdgeId)                    /* E */                                         \
  X(edge_kind, "edge.kind", EdgeKind)              /* E */                                         \
  X(edge_time, "edge.time", EdgeTime)              /* E */                                         \
  X(edge_label_code, "edge.label", std::uint8_t)   /* E: index in edge.label.table, 255: escape */ \
  X(edge_label_table, "edge.label.table", LabelId) /* at most 255 labels, increasing */            \
  X(edge_label_escape, "edge.label.escape", LabelId) /* the escaped edges' labels, in order */     \
  X(edge_record, "edge.record", RecordNo)            /* E */                                       \
  X(record_offset_base, "record.offset.base", std::uint64_t) /* per extract, 1 per 64 R */         \
  X(record_offset_delta, "record.offset", std::uint16_t)     /* R: offset - its block's base */    \
  X(record_offset_wide, "record.offset.wide", std::uint32_t) /* wide blocks (CompactOffsets) */    \
  X(record_id_base, "record.id.offsets.base", std::uint64_t) /* compact, R+1 */                    \
  X(record_id_offsets, "record.id.offsets", std::uint16_t)                                         \
  X(record_id_wide, "record.id.offsets.wide", std::uint32_t)                                       \
  X(record_id_chars, "record.id.chars", char)                                                      \
  X(extract_first_record, "extract.first_record", RecordNo) /* X+1: records by extract */          \
  X(extract_source, "extract.source", Source)               /* X */                                \
  X(extract_extracted_at, "extract.extracted_at", std::int64_t)                                    \
  X(extract_schema_version, "extract.schema_version", std::uint32_t)                               \
  X(extract_record_count, "extract.record_count", std::uint64_t)                                   \
  X(extract_digest, "extract.digest", std::uint32_t)                                               \
  X(extract_path_offsets, "extract.path.offsets", std::uint64_t)                                   \
  X(extract_path_chars, "extract.path.chars", char)                                                \
  X(extract_force_offsets, "extract.force.offsets", std::uint64_t)                                 \
  X(extract_force_chars, "extract.force.chars", char)                                              \
  X(extract_id_offsets, "extract.id.offsets", std::uint64_t)                                       \
  X(extract_id_chars, "extract.id.chars", char)                                                    \
  X(label_classification, "label.classification", Classification) /* L */                          \
  X(label_force, "label.force", std::uint16_t)                                                     \
  X(label_caveats, "label.caveats", std::uint32_t)                                                 \
  X(label_set_offsets, "label_set.offsets", std::uint32_t) /* S+1 (S label sets) */                \
  X(label_set_members, "label_set.members", LabelId)       /* each set's labels, increasing */     \
  X(force_names_offsets, "force_names.offsets", std::uint64_t)                                     \
  X(force_names_chars, "force_names.chars", char)                                                  \
  X(caveat_names_offsets, "caveat_names.offsets", std::uint64_t)                                   \
  X(caveat_names_chars, "caveat_names.chars", char)                                                \
  X(meta_name_offsets, "meta.name.offsets", std::uint64_t)                                         \
  X(meta_name_chars, "meta.name.chars", char)                                                      \
  X(meta_value_offsets, "meta.value.offsets", std::uint64_t)                                       \
  X(meta_value_chars, "meta.value.chars", char)

enum class SectionId : int {
#define POLEGRAPH_SECTION_ENUM(member, name, type) member,
  POLEGRAPH_SECTIONS(POLEGRAPH_SECTION_ENUM)
#undef POLEGRAPH_SECTION_ENUM
      kCount
};
inline constexpr int kNumSections = static_cast<int>(SectionId::kCount);

struct SectionSpec {
  std::string_view name;
  DType dtype;
};
inline constexpr std::array<SectionSpec, kNumSections> kSectionSpecs = {{
#define POLEGRAPH_SECTION_SPEC(member, name, type) {name, DTypeOf<type>()},
    POLEGRAPH_SECTIONS(POLEGRAPH_SECTION_SPEC)
#undef POLEGRAPH_SECTION_SPEC
}};

// prop.record value meaning "see the escape table" (see Graph::Storage::PropRecord).
inline constexpr std::uint8_t kPropRecordEscape = 255;
// prop.name value meaning "see the escape table" (see Graph::Storage::PropName).
inline constexpr std::uint8_t kPropNameEscape = 255;

// Compact offsets: a non-decreasing u64 sequence x[0..n] cut into blocks of kCompactBlock
// entries. A narrow block (its entries span less than 64 KiB) stores its first entry in
// base[b] and a u16 delta per entry, x[i] = base[b] + delta[i] with delta[i] = 0 at each
// block's start: 2.1 bytes an entry instead of 8. A wide block (a block whose span overflows
// 16 bits: a node with many edges, a long string) is escaped: base[b] = kWideBlock | w, its
// u16 deltas are 0, and the w-th record of kWideRecord u32 in the wide section holds its first
// entry (low, high 32 bits) and one u32 delta per entry (0 past the end of the sequence). Wide
// blocks are numbered 0, 1, ... in block order. Any sequence whose blocks span less than 4 GiB
// is held (CompactFrom checks); reading an entry is a load of the base and of a u16, with one
// predictable branch for the rare wide block.
inline constexpr std::size_t kCompactShift = 6;
inline constexpr std::size_t kCompactBlock = std::size_t{1} << kCompactShift;
inline constexpr std::uint64_t kWideBlock = std::uint64_t{1} << 63;
inline constexpr std::size_t kWideRecord = 2 + kCompactBlock;

struct CompactOffsets {
  std::span<const std::uint64_t> base;
  std::span<const std::uint16_t> delta;
  std::span<const std::uint32_t> wide;
  std::size_t size() const { return delta.size(); }
  bool empty() const { return delta.empty(); }
  std::uint64_t operator[](std::size_t i) const {
    const std::uint64_t b = base[i >> kCompactShift];
    if ((b & kWideBlock) != 0) [[unlikely]] {
      return Wide(b, i);
    }
    return b + delta[i];
  }
  std::uint64_t Wide(std::uint64_t b, std::size_t i) const {
    const std::uint32_t* w = wide.data() + (b & ~kWideBlock) * kWideRecord;
    return (w[0] | (std::uint64_t{w[1]} << 32)) + w[2 + (i & (kCompactBlock - 1))];
  }
};

// The sections of a compact offsets column as owned vectors (base and delta written in full
// by CompactFrom's parallel pass, so not zero-filled first).
struct CompactColumns {
  Column<std::uint64_t> base;
  Column<std::uint16_t> delta;
  std::vector<std::uint32_t> wide;
};
// Encodes the non-decreasing `offsets` with up to `threads` threads (the result does not
// depend on them); InvalidArgument naming `column` when some block spans 4 GiB or more (or the
// sequence decreases): the first such block's.
absl::Status CompactFrom(std::string_view column, std::span<const std::uint64_t> offsets,
                         CompactColumns* out, int threads = 1);

// Whether the base, delta and wide sections agree: one base per block, wide blocks numbered
// 0, 1, ... in order, and a wide record for each. When true every c[i] (i < c.size()) is in
// bounds.
bool CompactShapeOk(const CompactOffsets& c);

// edge.label code meaning "the next label of edge.label.escape".
inline constexpr std::uint8_t kEdgeLabelEscape = 255;

// Record file offsets: each extract's records (the range [first[x], first[x+1])) are cut into
// blocks of kCompactBlock; each block stores its least offset (u64, the extract's blocks
// after the previous extract's) and each record a u16 delta from its block's base; a block
// whose deltas overflow 16 bits is wide, escaped as in CompactOffsets (base = kWideBlock | w,
// the w-th wide record holds the least offset and a u32 delta per record of the block, its
// u16 deltas are 0). Offsets rise within an extract and restart at the next, so blocks do not
// cross extracts and a block spans less than 4 GiB unless 64 frames do (OwnRecordOffsets
// checks). block_first[x] = index of extract x's first block (X + 1 entries, computed by Bind).
struct RecordOffsets {
  std::span<const std::uint64_t> base;
  std::span<const std::uint16_t> delta;
  std::span<const std::uint32_t> wide;
  std::span<const RecordNo> first;
  std::span<const std::uint64_t> block_first;
  std::size_t size() const { return delta.size(); }
  // Offset of record r of extract x (first[x] <= r < first[x + 1]).
  std::uint64_t Get(RecordNo r, std::size_t x) const {
    const std::uint64_t b = base[block_first[x] + ((r - first[x]) >> kCompactShift)];
    if ((b & kWideBlock) != 0) [[unlikely]] {
      const std::uint32_t* w = wide.data() + (b & ~kWideBlock) * kWideRecord;
      return (w[0] | (std::uint64_t{w[1]} << 32)) + w[2 + ((r - first[x]) & (kCompactBlock - 1))];
    }
    return b + delta[r];
  }
};

// A column of strings: offsets (count + 1) into a char pool.
template <typename Offsets>
struct BasicStringColumn {
  Offsets offsets;
  std::span<const char> chars;
  std::size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  std::string_view Get(std::size_t i) const {
    const std::uint64_t begin = offsets[i];
    return std::string_view(chars.data() + begin, static_cast<std::size_t>(offsets[i + 1] - begin));
  }
};
using StringColumn = BasicStringColumn<std::span<const std::uint64_t>>;
using CompactStringColumn = BasicStringColumn<CompactOffsets>;

// DataLoss "section 'NAME': WHAT": how Validate and the edge checks name the section at fault.
absl::Status SectionError(SectionId id, std::string_view what);

}  // namespace internal

struct Graph::Storage {
  struct Section {
    const std::byte* data = nullptr;
    std::uint64_t bytes = 0;
  };

  Storage();
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  // Takes ownership of `v` as the bytes of section `id` (no copy). (Any allocator: Build
  // writes some columns through one that leaves new elements uninitialised.)
  template <typename T, typename A>
  void Own(internal::SectionId id, std::vector<T, A> v) {
    auto holder = std::make_unique<Owned<std::vector<T, A>>>();
    holder->v = std::move(v);
    Section& s = sections[static_cast<std::size_t>(id)];
    s.data = reinterpret_cast<const std::byte*>(holder->v.data());
    s.bytes = holder->v.size() * sizeof(T);
    owned_.push_back(std::move(holder));
  }
  // Stores the non-decreasing `offsets` as the compact triple (base_id, delta_id and the wide
  // section that follows delta_id); fails (with a message naming the column) when some block
  // of entries spans 4 GiB or more.
  // With up to `threads` threads (the result does not depend on them).
  absl::Status OwnCompact(internal::SectionId base_id, internal::SectionId delta_id,
                          std::span<const std::uint64_t> offsets, int threads = 1);
  // OwnCompact for the CSR offsets (out = true: out.offsets, else in.offsets), keeping
  // `offsets` as the decoded array Bind would otherwise compute.
  absl::Status OwnCsrOffsets(bool out, internal::Column<EdgeIndex> offsets, int threads = 1);
  // Stores the edges' labels as edge.label (a u8 index into edge.label.table, the at most 255
  // most frequent labels, or 255 and the label next in edge.label.escape), keeping `labels` as
  // the decoded array Bind would otherwise compute. With up to `threads` threads.
  void OwnEdgeLabels(internal::Column<LabelId> labels, int threads = 1);
  // Stores the records' file offsets (records of extract x: [first[x], first[x+1])) as
  // internal::RecordOffsets; fails when some block of 64 records spans 4 GiB or more.
  absl::Status OwnRecordOffsets(const std::vector<RecordNo>& first,
                                std::span<const std::uint64_t> offsets);
  // Makes section `id` a view of memory owned elsewhere (a mapping adopted below).
  void View(internal::SectionId id, const void* data, std::uint64_t bytes);
  // The storage unmaps [addr, addr + length) when destroyed.
  void AdoptMapping(void* addr, std::size_t length);
  bool mapped() const { return map_addr_ != nullptr; }

  // Sets the typed views below from `sections` and decodes the CSR offsets and edge labels;
  // fails when a section's size is not a multiple of its element size, its data is
  // misaligned, or the edge labels cannot be decoded (a code past the table, escapes that do
  // not match the 255s). Must be called once all sections are set.
  absl::Status Bind();
  // Cross-section checks (storage_validate.cc) that make every accessor of Graph safe: array
  // sizes agree, offsets are monotone and in range, every id is below its table's size.
  // Linear in the size of the snapshot; the edge checks (endpoint kinds, in-CSR == out-CSR
  // transposed) run on `threads` threads (>= 1), and the error reported is the same at any
  // thread count. Messages name the section at fault.
  absl::Status Validate(int threads = 1) const;
  // The first edge (by id) whose kind does not allow its endpoints' kinds
  // (internal::EdgeKindJoins), if any; on `threads` threads, the same answer at any count.
  // Needs offsets, neighbours, edge kinds and kind_first bound and in range. Linear.
  std::optional<EdgeIndex> FirstMisjoinedEdge(int threads) const;
  // The source of edge e: the last node whose first out-edge is <= e (nodes without out-edges
  // skipped). Needs out_offsets bound and e < its last entry. O(log N).
  NodeId EdgeSource(EdgeIndex e) const {
    return static_cast<NodeId>(std::upper_bound(out_offsets.begin(), out_offsets.end(), e) -
                               out_offsets.begin() - 1);
  }
  // "edge 5 (SEEN_AT) joins person -> location, which its kind does not allow (SEEN_AT joins
  // plate -> location)": FirstMisjoinedEdge's answer in words.
  std::string DescribeEdge(EdgeIndex e) const;
  // OK when the in-CSR is the out-CSR transposed (storage_edges.cc), else DataLoss naming the
  // first faulty in-entry (the same at any thread count). Needs the CSR bound and in range.
  absl::Status CheckInTransposed(int threads) const;

  std::array<Section, internal::kNumSections> sections{};

  // Typed views, valid after Bind().
#define POLEGRAPH_SECTION_SPAN(member, name, type) std::span<const type> member;
  POLEGRAPH_SECTIONS(POLEGRAPH_SECTION_SPAN)
#undef POLEGRAPH_SECTION_SPAN
  internal::CompactOffsets node_record_offsets, node_prop_offsets, node_merge_offsets;
  // The CSR offsets as stored (compact) and as read: Bind decodes them into 64-bit arrays
  // owned by the storage (Graph::out_offsets() returns a span of EdgeIndex), 8 bytes a node
  // in memory, 2.1 in the file. Likewise the edge labels: 1 byte an edge in the file, decoded
  // to a LabelId (2 bytes) per edge.
  internal::CompactOffsets out_compact, in_compact;
  std::span<const EdgeIndex> out_offsets, in_offsets;
  std::span<const LabelId> edge_label;
  internal::RecordOffsets record_offset;  // file offset of each record's frame

  // The record of property i of node v: prop.record holds its index in node_records(v)
  // (nearly always below 255), or 255 and the record is in the escape table, found by binary
  // search. Validate guarantees both are in bounds.
  RecordNo PropRecord(NodeId v, std::uint64_t i) const;
  // The name id of property i: prop.name holds it when below 255 (a snapshot rarely has more
  // than a few dozen property names), else 255 and the id is in the escape table, found by
  // binary search. Validate guarantees the id is below prop_names.size().
  std::uint16_t PropName(std::uint64_t i) const;
  // Stores the properties' name ids as prop.name and its escape table.
  void OwnPropNames(const std::vector<std::uint16_t>& names);
  internal::CompactStringColumn keys, prop_values, merge_texts, record_ids;
  internal::StringColumn prop_names, extract_paths, extract_forces, extract_ids, force_names,
      caveat_names, meta_names, meta_values;

 private:
  struct OwnedBase {
    virtual ~OwnedBase() = default;
  };
  template <typename V>
  struct Owned : OwnedBase {
    V v;
  };
  std::vector<std::unique_ptr<OwnedBase>> owned_;
  internal::Column<EdgeIndex> out_offsets_, in_offsets_;  // decoded by Bind (or kept by Build)
  internal::Column<LabelId> edge_label_;
  bool out_decoded_ = false, in_decoded_ = false, labels_decoded_ = false;
  std::vector<std::uint64_t> record_block_first_;  // computed by Bind
  void* map_addr_ = nullptr;
  std::size_t map_len_ = 0;
};

namespace internal {

// What the library's own modules may do with a Graph and applications may not: read its
// storage, make a Graph from a storage, keep derived data on it. Graph's constructor and data
// members are private; GraphAccess is its friend.
struct GraphAccess {
  // The sections behind `graph`, for readers that need more than Graph's accessors.
  static const Graph::Storage& storage(const Graph& graph) { return *graph.storage_; }

  // A Graph over `storage`, which must be bound (Storage::Bind) and sound: Graph's accessors
  // do not check it (OpenSnapshot runs Storage::Validate first; Build's is sound as made).
  static std::shared_ptr<const Graph> Make(std::unique_ptr<Graph::Storage> storage) {
    return std::shared_ptr<const Graph>(new Graph(std::move(storage)));
  }

  // Data derived from the snapshot that a library module computes on first use and keeps for
  // the snapshot's lifetime (e.g. a traversal index; not part of the file format). Returns the
  // object stored under `tag` — any address unique to the caller, such as that of a static
  // variable — calling make() to create it the first time. Thread-safe: concurrent first
  // callers wait for one make(); later calls cost a lock and a lookup. The snapshot is
  // immutable, so the object never goes stale. make() must not call Derived on this graph.
  static std::shared_ptr<const void> Derived(
      const Graph& graph, const void* tag, absl::FunctionRef<std::shared_ptr<const void>()> make);
};

}  // namespace internal
}  // namespace polegraph

#endif  // POLEGRAPH_LIB_GRAPH_STORAGE_H_
