// GraphBuilder::Impl — the facts collected by GraphBuilder before Build (builder-local ids).
#ifndef POLEGRAPH_LIB_GRAPH_BUILDER_IMPL_H_
#define POLEGRAPH_LIB_GRAPH_BUILDER_IMPL_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "graph/chunked_vector.h"
#include "graph/storage.h"
#include "graph/string_pool.h"
#include "graph/text_hash.h"
#include "polegraph/graph.h"

namespace polegraph {
namespace internal {

// Records as columns; ids in one char buffer (record ids repeat rarely, so not pooled).
struct BuilderRecords {
  std::vector<std::uint32_t> extract;
  std::vector<std::uint64_t> offset;
  std::vector<std::uint64_t> id_end;  // end of record i's id in id_chars
  std::vector<char> id_chars;
  std::size_t size() const { return extract.size(); }
  std::string_view id(std::size_t i) const {
    const std::uint64_t begin = i == 0 ? 0 : id_end[i - 1];
    return {id_chars.data() + begin, static_cast<std::size_t>(id_end[i] - begin)};
  }
  void Clear() {
    std::vector<std::uint32_t>().swap(extract);
    std::vector<std::uint64_t>().swap(offset);
    std::vector<std::uint64_t>().swap(id_end);
    std::vector<char>().swap(id_chars);
  }
};

struct BuilderLabel {
  Classification classification;
  std::uint32_t force;                 // builder-local force id
  std::vector<std::uint32_t> caveats;  // builder-local caveat ids, sorted, unique
};

// The fact columns hold one of these per fact (tens of millions at scale 10, the bulk of the
// ingest's peak memory), so they are packed: 10, 14, 13 and 19 bytes instead of 12, 16, 16 and
// 20. Members are read by value (a packed member cannot bind to a reference: no std::tie).
// A node asserted by a record with a label (one per AddNode call).
struct [[gnu::packed]] BuilderAssertion {
  std::uint32_t node;
  RecordNo record;
  LabelId label;
};

// A property: its value is an id in BuilderFacts::values.
struct [[gnu::packed]] BuilderProperty {
  std::uint32_t node;
  RecordNo record;
  std::uint32_t value;
  std::uint16_t name;  // builder-local property-name id
};

// A merge: its explanation is an id in BuilderFacts::merge_texts.
struct [[gnu::packed]] BuilderMerge {
  std::uint32_t node;
  RecordNo record;
  std::uint32_t text;
  MergeRule rule;
};

struct [[gnu::packed]] BuilderEdge {
  NodeId from;
  NodeId to;
  EdgeTime time;
  RecordNo record;
  LabelId label;
  EdgeKind kind;
};

static_assert(sizeof(BuilderAssertion) == 10 && sizeof(BuilderProperty) == 14 &&
              sizeof(BuilderMerge) == 13 && sizeof(BuilderEdge) == 19);

// Interns strings to dense ids in first-seen order (for the small name tables).
struct Interner {
  std::vector<std::string> names;
  std::unordered_map<std::string, std::uint32_t, TextHash, std::equal_to<>> ids;  // text_hash.h
  std::uint32_t Intern(std::string_view s) {
    // Look up by view first: most calls find a name already interned and need no allocation.
    auto found = ids.find(s);
    if (found != ids.end()) return found->second;
    const auto id = static_cast<std::uint32_t>(names.size());
    ids.emplace(std::string(s), id);
    names.emplace_back(s);
    return id;
  }
  // Intern(s) through a small cache keyed by the address of s's characters: a caller that
  // passes the same literal again (property names, for every property) gets its id after one
  // comparison with the interned name instead of a hash and a probe. The comparison keeps it
  // exact whatever the address holds by then.
  std::uint32_t InternByAddress(std::string_view s) {
    AddressMemo& m = memo[(reinterpret_cast<std::uintptr_t>(s.data()) >> 3) % kMemoSlots];
    if (m.data == s.data() && m.id < names.size() && names[m.id] == s) return m.id;
    const std::uint32_t id = Intern(s);
    m = AddressMemo{s.data(), id};
    return id;
  }
  struct AddressMemo {
    const char* data = nullptr;
    std::uint32_t id = 0;
  };
  static constexpr std::size_t kMemoSlots = 64;
  std::array<AddressMemo, kMemoSlots> memo{};
};

// Everything the builder has been told (the body of GraphBuilder::Impl).
struct BuilderFacts {
  using Handle = GraphBuilder::Handle;
  std::vector<ExtractInfo> extracts;
  BuilderRecords records;
  Interner forces, caveats, prop_names;
  std::vector<BuilderLabel> labels;
  std::unordered_map<std::string, LabelId> label_ids;  // encoded label -> id (text_hash.h)
  // Nodes: handle h is string h of node_codes, its kind byte followed by its key.
  StringPool node_codes;
  absl::flat_hash_map<Handle, GeoPoint> positions;  // nodes that have one
  std::string node_code;  // scratch: kind byte + key of the last AddNode (reused buffer)
  StringPool values;      // property values
  // values.size() as of the last InternValue, for AddPropertyById's check on another thread
  // (InternValue may write `values` meanwhile), or kValuesFull once they overflowed.
  std::atomic<std::uint32_t> values_published{0};
  static constexpr std::uint32_t kValuesFull = 0xFFFFFFFFu;
  StringPool merge_texts;  // merge explanations
  // Fact columns: chunked, so they grow without copying and Build frees them chunk by chunk.
  ChunkedVector<BuilderAssertion> assertions;
  ChunkedVector<BuilderProperty> properties;
  ChunkedVector<BuilderMerge> merges;
  ChunkedVector<BuilderEdge> edges;
  std::map<std::string, std::string> metadata;
  absl::Status error;  // the first misuse seen; Build returns it

  void Fail(std::string message) {
    if (error.ok()) error = absl::InvalidArgumentError(std::move(message));
  }
  // Whether a handle, record or label was given out by this builder; if not, records the
  // misuse (Fail) and returns false. Inline: they run for every fact added.
  bool ValidNode(Handle h, std::string_view what) {
    return h < node_codes.size() || FailNode(h, what);
  }
  bool ValidRecord(RecordNo r, std::string_view what) {
    return r < records.size() || r == kNoRecord || FailRecord(r, what);
  }
  bool ValidLabel(LabelId l, std::string_view what) {
    return l < labels.size() || FailLabel(l, what);
  }
  bool FailNode(Handle h, std::string_view what);  // Fail with the reason; returns false
  bool FailRecord(RecordNo r, std::string_view what);
  bool FailLabel(LabelId l, std::string_view what);
};

}  // namespace internal

struct GraphBuilder::Impl : internal::BuilderFacts {};

}  // namespace polegraph

#endif  // POLEGRAPH_LIB_GRAPH_BUILDER_IMPL_H_
