// GraphBuilder::Impl — the facts collected by GraphBuilder before Build (builder-local ids).
#ifndef POLEGRAPH_LIB_GRAPH_BUILDER_IMPL_H_
#define POLEGRAPH_LIB_GRAPH_BUILDER_IMPL_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "graph/storage.h"
#include "polegraph/graph.h"

namespace polegraph {
namespace internal {

struct BuilderRecord {
  std::uint32_t extract;
  std::string id;
  std::uint64_t offset;
};

struct BuilderLabel {
  Classification classification;
  std::uint32_t force;                 // builder-local force id
  std::vector<std::uint32_t> caveats;  // builder-local caveat ids, sorted, unique
};

// A node asserted by a record with a label (one per AddNode call).
struct BuilderAssertion {
  std::uint32_t node;
  RecordNo record;
  LabelId label;
};

struct BuilderProperty {
  std::uint32_t node;
  std::uint32_t name;  // builder-local property-name id
  RecordNo record;
  std::string value;
};

struct BuilderMerge {
  std::uint32_t node;
  MergeRule rule;
  RecordNo record;
  std::string text;
};

struct BuilderEdge {
  NodeId from;
  NodeId to;
  EdgeTime time;
  RecordNo record;
  LabelId label;
  EdgeKind kind;
};

// Interns strings to dense ids in first-seen order.
struct Interner {
  std::vector<std::string> names;
  absl::flat_hash_map<std::string, std::uint32_t> ids;
  std::uint32_t Intern(std::string_view s) {
    // Look up by view first: most calls find a name already interned and need no allocation.
    auto found = ids.find(absl::string_view(s.data(), s.size()));
    if (found != ids.end()) return found->second;
    const auto id = static_cast<std::uint32_t>(names.size());
    ids.emplace(std::string(s), id);
    names.emplace_back(s);
    return id;
  }
};

// Everything the builder has been told (the body of GraphBuilder::Impl).
struct BuilderFacts {
  using Handle = GraphBuilder::Handle;
  std::vector<ExtractInfo> extracts;
  std::vector<BuilderRecord> records;
  Interner forces, caveats, prop_names;
  std::vector<BuilderLabel> labels;
  absl::flat_hash_map<std::string, LabelId> label_ids;  // encoded label -> id
  std::vector<NodeKind> node_kind;
  std::vector<std::string> node_key;
  absl::flat_hash_map<std::string, Handle> node_ids;  // kind byte + key -> handle
  std::vector<GeoPoint> positions;                    // by handle; NaN = none
  std::string node_code;  // scratch: kind byte + key of the last AddNode (reused buffer)
  std::vector<BuilderAssertion> assertions;
  std::vector<BuilderProperty> properties;
  std::vector<BuilderMerge> merges;
  std::vector<BuilderEdge> edges;
  std::map<std::string, std::string> metadata;
  absl::Status error;  // the first misuse seen; Build returns it

  void Fail(std::string message) {
    if (error.ok()) error = absl::InvalidArgumentError(std::move(message));
  }
  bool ValidNode(Handle h, std::string_view what);
  bool ValidRecord(RecordNo r, std::string_view what);
  bool ValidLabel(LabelId l, std::string_view what);
};

}  // namespace internal

struct GraphBuilder::Impl : internal::BuilderFacts {};

}  // namespace polegraph

#endif  // POLEGRAPH_LIB_GRAPH_BUILDER_IMPL_H_
