// polegraph/graph.h — the immutable POLE graph snapshot and the builder that makes one.
//
// A Graph is a read-only property graph: nodes of five kinds (Person, Vehicle, Plate,
// Location, Offence) with dense 32-bit ids ordered by (kind, key), and typed, time-stamped,
// labelled edges with provenance. Adjacency is CSR in both directions, as parallel arrays:
// neighbour ids are separate from the edge kind / time / label / record columns, so a
// traversal touches only the bytes it needs. Readers share a snapshot through
// std::shared_ptr<const Graph>; it is safe to read from any number of threads.
//
// Edge layout (per edge: 23 bytes in memory, both directions and every attribute included):
//   out_offsets[v]..out_offsets[v+1]   out-edges of v; EdgeId e is the position in these arrays
//   out_neighbours[e]                  target of e
//   edge_kind[e], edge_time[e], edge_label[e], edge_record[e]
//   in_offsets[v]..in_offsets[v+1]     in-edges of v
//   in_neighbours[i], in_edge[i]       source of the i-th in-edge, and its EdgeId
// Out-edges of a node are sorted by (target, kind, time, record); in-edges by (source, EdgeId).
//
// Clearance is not applied here. Graph's accessors (Resolve, Find, key, properties,
// node_records, merges, the CSR arrays, edge_*, record, ...) return every node, edge, property
// and record, whatever its marking: they are the raw snapshot, for library modules and for
// administrators. Code that serves a user must either
//   - use the analyses of links.h, networks.h, centrality.h and anpr.h with a QueryContext
//     whose `clearance` is the user's (they skip what it does not cover inside the traversal),
//     or
//   - test every item itself: `std::vector<bool> visible = graph.VisibleLabels(clearance);`
//     then `visible[graph.edge_label()[e]]` for an edge and `visible[graph.node_label(v)]` for
//     a node (show an edge only when it and both its endpoints are visible). Properties,
//     provenance records and merges have no label of their own here: ingest gives every fact
//     of a record the record's marking, so a record's marking is that of the edges it
//     asserted; a record that asserted no edge of a node is safe to show only to a caller who
//     may see every member of label_members(node_label(v)) (the rule `polegraph show` applies).
// examples/investigate.cc shows the first way, examples/quickstart.cc both.
//
// Node keys. A node is named "kind:key" (Graph::Name, Graph::Resolve). The key is the one
// ingest builds; Resolve normalises a user's key as keys.h NormaliseKey does (surrounding
// whitespace trimmed, then by kind):
//   kind      key form (as stored)                      Resolve / NormaliseKey
//   person    PNC ID "YY/NNNNNNNA" (16/0001234J),       a PNC ID that parses (right check
//             else "SURNAME/FORENAME/YYYY-MM-DD" with   letter): zero-padded to 7 digits,
//             the names folded (keys.h FoldName)        upper-cased; anything else:
//                                                       upper-cased (not folded)
//   vehicle   VIN (17 characters, no I/O/Q), else       upper-cased, whitespace removed
//             "VRM-<VRM>" (PNC vehicle without VIN)
//   plate     VRM without spaces (AB12CDE)              upper-cased; spaces, '-', '.' removed
//   location  UPRN (as given, without spaces), else     upper-cased (not folded: give a
//             "PC-<POSTCODE>-<LINE>" (postcode and      PC- key in its stored form)
//             folded first line, spaces removed);
//             ANPR site "SITE-<SITE ID>"
//   offence   "<FORCE>/<CRIME REF>" (MPS/CR-1); a PNC   upper-cased
//             arrest without crime reference
//             "<FORCE>/ARREST-<ID>", PND custody
//             without one "<FORCE>/CUSTODY-<ID>"
// So "plate:ab12 cde" finds plate:AB12CDE, "offence:wmp/wmp/0000001/24" finds
// offence:WMP/WMP/0000001/24, and "person:16/1234j" finds person:16/0001234J.
//
// Example:
//   polegraph::GraphBuilder b;
//   auto ex = b.AddExtract({.path = "pnc.pb", .source = polegraph::Source::kPnc});
//   auto rec = b.AddRecord(ex, "NOM-1", 0);
//   auto lab = b.InternLabel(polegraph::Classification::kOfficial, "MPS", {});
//   auto p = b.AddNode(polegraph::NodeKind::kPerson, "16/123456X", lab, rec);
//   auto v = b.AddNode(polegraph::NodeKind::kVehicle, "WVWZZZ1JZXW000001", lab, rec);
//   b.AddEdge(p, v, polegraph::EdgeKind::kKeeperOf, 1700000000, lab, rec);
//   absl::StatusOr<std::shared_ptr<const polegraph::Graph>> g = std::move(b).Build(2);
//   std::optional<polegraph::NodeId> n = (*g)->Find(polegraph::NodeKind::kPerson, "16/123456X");
#ifndef POLEGRAPH_GRAPH_H_
#define POLEGRAPH_GRAPH_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "polegraph/types.h"

namespace polegraph {

// An extract file that contributed records.
struct ExtractInfo {
  std::string path;             // as given to ingest
  Source source = Source::kPnc;
  std::string force;            // producing force
  std::int64_t extracted_at = 0;  // UTC seconds
  std::uint32_t schema_version = 0;
  std::string extract_id;
  std::uint64_t record_count = 0;  // records in the file (accepted + quarantined)
  std::uint32_t digest = 0;        // the trailer digest (identifies the content)
};

// One source record behind nodes and edges.
struct RecordInfo {
  Source source = Source::kPnc;
  std::uint32_t extract = 0;    // index into Graph::extract()
  std::string_view record_id;   // the record's own id in its source system
  std::uint64_t offset = 0;     // byte offset of the record's frame in the extract file
};

// A property of a node as asserted by one record (a merged node keeps every distinct value).
struct PropertyView {
  std::string_view name;
  std::string_view value;
  RecordNo record = kNoRecord;
};

// How a record was resolved onto an existing node.
enum class MergeRule : std::uint8_t {
  kPncId = 0,     // same PNC ID
  kCroNumber,     // same CRO number
  kVin,           // same VIN
  kVrm,           // same normalised VRM
  kNameDob,       // same normalised name + date of birth, no PNC ID on one side
  kLocationKey,   // same UPRN / site id / postcode + address line
  kOffenceRef,    // same force + crime reference
};
std::string_view MergeRuleName(MergeRule rule);

struct MergeView {
  MergeRule rule;
  RecordNo record;              // the record that was merged onto the node
  std::string_view explanation; // e.g. "name+dob 'JOHN SMITH 1990-01-02' matched PND CR-9"
};

// A WGS84 point in decimal degrees (latitude -90..90, longitude -180..180, east positive);
// both NaN when a node has no position.
struct GeoPoint {
  double latitude;
  double longitude;
};

class Graph;
class SnapshotWriter;  // polegraph/io.h

namespace internal {
struct GraphAccess;
}  // namespace internal

// Builds a Graph. Not thread-safe: one thread adds, then Build() (which may use threads).
// Handles returned by AddNode are builder-local; NodeIds are assigned by Build.
// The result does not depend on the order of calls, only on the set of facts added (nodes are
// ordered by (kind, key), edges and properties sorted, records numbered by (source, extract
// content, offset)), so ingest is deterministic whatever the order of its input files.
//
// Errors: the Add* calls return nothing to check. A call given a handle, record or label this
// builder did not return, an enum value out of range, or one past a size limit (2^32-2 nodes
// or records, 65535 labels, 65536 property names) is recorded, the fact is dropped, and Build
// then fails with InvalidArgument naming the first such call (e.g. "AddEdge: node handle 7
// was not returned by AddNode"). An edge whose kind does not join its endpoints' kinds fails
// Build too, naming the first such edge and its keys. Keys are stored as given: normalise them first (keys.h) and
// use the forms of the key table above, or Graph::Resolve will not find them.
class GraphBuilder {
 public:
  using Handle = std::uint32_t;
  using ExtractHandle = std::uint32_t;

  GraphBuilder();
  ~GraphBuilder();
  GraphBuilder(GraphBuilder&&) noexcept;
  GraphBuilder& operator=(GraphBuilder&&) noexcept;

  // Registers an extract file (ExtractInfo: path, source, force, ...) that records come from;
  // returns its handle for AddRecord. Any number of extracts; Build orders them by content.
  ExtractHandle AddExtract(ExtractInfo info);
  // Adds a record of an extract (its frame's byte offset); returns a provisional RecordNo,
  // valid only as an argument to this builder's Add* calls: Build renumbers records (by
  // source, extract content and offset), so it is NOT the record's number in the built Graph
  // (find that through node_records / edge_record there).
  RecordNo AddRecord(ExtractHandle extract, std::string_view record_id, std::uint64_t offset);
  // Interns an access label given by names; more than 32 distinct caveats, or more than
  // 65535 distinct labels, make Build fail.
  LabelId InternLabel(Classification classification, std::string_view force,
                      std::span<const std::string> caveats);

  // Returns the node of this (kind, key), creating it if new. The record is added to the
  // node's provenance; a node asserted under several labels is visible to whoever may see
  // any of them (Graph::node_label is then a label set of the least restrictive ones).
  // `key` is stored as given (see the class comment); `label` from InternLabel, `record` from
  // AddRecord, else Build fails.
  Handle AddNode(NodeKind kind, std::string_view key, LabelId label, RecordNo record);
  // The handle of the node (kind, key) added so far, or nullopt. The key is not normalised.
  std::optional<Handle> FindNode(NodeKind kind, std::string_view key) const;
  // Adds a property value asserted by `record` (a node keeps every distinct (name, value,
  // record); an exact repeat is stored once). A bad handle or record makes Build fail.
  void AddProperty(Handle node, std::string_view name, std::string_view value, RecordNo record);

  // Pre-hashed adds, for callers that hash on other threads: NodeHash and ValueHash are pure
  // functions (thread-safe, the same value on every thread of a process, not across
  // processes). The overloads below behave exactly as the ones above when `hash` is
  // NodeHash(kind, key) / ValueHash(value); the Prefetch hints load the table entry that an add
  // with this hash will probe (call one a few adds ahead, then PrefetchNodeKey /
  // PrefetchValueChars once the entry has arrived, to load the stored string too). The hints
  // never change a result.
  static std::uint64_t NodeHash(NodeKind kind, std::string_view key);
  static std::uint64_t ValueHash(std::string_view value);
  Handle AddNode(NodeKind kind, std::string_view key, std::uint64_t hash, LabelId label,
                 RecordNo record);
  void AddProperty(Handle node, std::string_view name, std::string_view value,
                   std::uint64_t value_hash, RecordNo record);
  void PrefetchNode(std::uint64_t hash) const;
  // Also returns the handle of the first node whose table entry matches the hash (usually the
  // node an AddNode with this hash will return, if it exists; kNoNode if none): a hint too.
  Handle PrefetchNodeKey(std::uint64_t hash) const;
  void PrefetchValue(std::uint64_t value_hash) const;
  void PrefetchValueChars(std::uint64_t value_hash) const;
  // Property values interned apart from the other adds: InternValue returns the id of a value
  // (adding it if new; `hash` is ValueHash(value)), and AddPropertyById(node, name, id, record)
  // then behaves exactly as AddProperty(node, name, value, record). Thread-safety: InternValue
  // and PrefetchValue* may run on one other thread at the same time as the other calls of this
  // class, except AddProperty by value (which interns too); an id may be passed to
  // AddPropertyById once the InternValue that returned it has happened before (e.g. handed over
  // under a mutex). Amortised O(1) (O(length) to hash and compare).
  std::uint32_t InternValue(std::string_view value, std::uint64_t hash);
  void AddPropertyById(Handle node, std::string_view name, std::uint32_t value, RecordNo record);
  // Sets a node's position; of several, the least (latitude, longitude) is kept, so the
  // result does not depend on their order. PrefetchPosition is a hint for a SetPosition soon.
  void SetPosition(Handle node, GeoPoint point);
  void PrefetchPosition(Handle node) const;
  // Adds an edge from -> to of `kind`, asserted by `record` under `label`. `time` is UTC
  // seconds since the Unix epoch; a time outside 1 .. 2^32-1 (2106-02-07) is stored as
  // kUnknownTime (0). Two records asserting the same link make two edges. A bad handle, label,
  // record or kind makes Build fail, and so does a kind that does not join the two nodes'
  // kinds (the directions of the EdgeKind comments in types.h: SEEN_AT only plate ->
  // location, KEEPER_OF only person -> vehicle, ...), which no snapshot may hold.
  void AddEdge(Handle from, Handle to, EdgeKind kind, std::int64_t time, LabelId label,
               RecordNo record);
  // Records that `node` was merged by `rule` when `record` was applied. Returns the
  // explanation's id (valid in this builder only), with which AddMergeById repeats the same
  // explanation without building or looking it up again; the result is the same.
  std::uint32_t AddMerge(Handle node, MergeRule rule, RecordNo record,
                         std::string_view explanation);
  void AddMergeById(Handle node, MergeRule rule, RecordNo record, std::uint32_t explanation);
  // Re-asserts a node that AddNode returned: the same as AddNode with its kind and key, without
  // the lookup (for callers that remember handles). O(1).
  void AssertNode(Handle node, LabelId label, RecordNo record);
  // Build metadata stored in the snapshot (e.g. "polegraph_version"); must be deterministic.
  // Setting a name again replaces its value.
  void SetMetadata(std::string_view name, std::string_view value);

  // Distinct nodes added so far (AddNode's distinct (kind, key)), and AddEdge calls kept so far
  // (an immediate repeat of the previous edge is not counted; Build may still collapse
  // duplicates). The built Graph's num_nodes() equals num_nodes() here.
  std::size_t num_nodes() const;
  std::size_t num_edges() const;
  // Optional capacity hint: room for about this many records, AddNode calls, properties and
  // edges, so that adding them does not reallocate. Never changes the result. O(total).
  void Reserve(std::size_t records, std::size_t node_calls, std::size_t properties,
               std::size_t edges);

  // Consumes the builder. `threads` bounds the parallelism of sorting and CSR construction
  // (values < 1 are taken as 1). Errors: InvalidArgument for the first bad Add* call (see the
  // class comment), or when the graph exceeds a snapshot's limits (more than 32 distinct
  // caveats, 65535 distinct access labels, 2^32-1 edges).
  absl::StatusOr<std::shared_ptr<const Graph>> Build(int threads = 1) &&;
  // Build that also hands each finished section to `writer` (polegraph/io.h), which writes
  // it to its file while the build goes on; writer.Commit(graph) then completes the file.
  // The graph is the same as Build(threads)'s. Errors: Build(threads)'s, plus the writer's
  // (Unavailable on a write error, FailedPrecondition when the writer was already used).
  absl::StatusOr<std::shared_ptr<const Graph>> Build(int threads, SnapshotWriter& writer) &&;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The immutable snapshot. Obtain one from GraphBuilder::Build or OpenSnapshot (io.h).
//
// Graph's accessors do not apply access labels: they return every node, edge, property and
// record, whatever its marking. Code that serves a user must either use the analyses of
// links.h / networks.h / centrality.h / anpr.h with a QueryContext carrying the user's
// clearance, or test `VisibleLabels(ctx.clearance)[edge_label()[e]]` and
// `[node_label(v)]` itself (see the file comment).
//
// Preconditions: every accessor taking an id requires it to be in range — v < num_nodes(),
// e < num_edges(), r < num_records(), i < num_extracts(), a label id < num_labels(),
// force < num_forces(), bit < num_caveats(). Ids are not checked: out of range is undefined
// behaviour. Ids that come from this graph (its CSR arrays, Find / Resolve, an analysis run on
// it) are in range; ids from another snapshot are not comparable.
class Graph {
 public:
  struct Storage;  // the snapshot's sections (opaque: not part of the API)
  ~Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  NodeId num_nodes() const;
  EdgeIndex num_edges() const;

  // --- nodes -------------------------------------------------------------------------------
  NodeKind kind(NodeId v) const;
  std::string_view key(NodeId v) const;
  std::string Name(NodeId v) const;  // "kind:key", e.g. "person:16/123456X"
  NodeLabelId node_label(NodeId v) const;  // a single label or a label set (see label_members)
  // Nodes of one kind form the contiguous id range [first, last).
  std::pair<NodeId, NodeId> KindRange(NodeKind kind) const;
  // O(log n) lookup of a node by kind and key, the key exactly as stored (see the key table in
  // the file comment; no normalisation). Ignores clearance: it finds nodes the caller may not
  // see (test VisibleLabels(c)[node_label(*v)] before showing one to a user).
  std::optional<NodeId> Find(NodeKind kind, std::string_view key) const;
  // Looks up "kind:key" (kind as NodeKindName: person, vehicle, plate, location, offence); the
  // key is normalised as NormaliseKey does (the key table in the file comment). InvalidArgument
  // when there is no ':' or the kind is unknown; NotFound when no node has the key. O(log n).
  // Ignores clearance, like Find: the analyses of links.h report a subject the caller may not
  // see as NotFound, with the same message.
  absl::StatusOr<NodeId> Resolve(std::string_view name) const;
  // Every property of v, by (name, value, record) as stored; whatever the records' labels.
  std::vector<PropertyView> properties(NodeId v) const;
  // The first value of `name` in properties(v)'s order, or nullopt. properties(v) is sorted by
  // (name, value, record) with values in byte order, so this is the byte-wise smallest value
  // of `name` (not the first asserted): use properties(v) when a node may have several.
  std::optional<std::string_view> property(NodeId v, std::string_view name) const;
  GeoPoint position(NodeId v) const;
  std::span<const RecordNo> node_records(NodeId v) const;
  std::vector<MergeView> merges(NodeId v) const;

  // --- adjacency (CSR) ---------------------------------------------------------------------
  std::span<const EdgeIndex> out_offsets() const;     // num_nodes + 1
  std::span<const NodeId> out_neighbours() const;     // num_edges
  std::span<const EdgeIndex> in_offsets() const;      // num_nodes + 1
  std::span<const NodeId> in_neighbours() const;      // num_edges
  std::span<const EdgeId> in_edge() const;            // num_edges: EdgeId of each in-edge
  std::span<const EdgeKind> edge_kind() const;        // by EdgeId
  std::span<const EdgeTime> edge_time() const;        // by EdgeId
  std::span<const LabelId> edge_label() const;        // by EdgeId
  std::span<const RecordNo> edge_record() const;      // by EdgeId
  EdgeIndex out_degree(NodeId v) const;
  EdgeIndex in_degree(NodeId v) const;
  NodeId edge_source(EdgeId e) const;  // O(log n)
  NodeId edge_target(EdgeId e) const;

  // --- provenance and labels ---------------------------------------------------------------
  std::uint32_t num_records() const;
  RecordInfo record(RecordNo r) const;
  std::uint32_t num_extracts() const;
  ExtractInfo extract(std::uint32_t i) const;
  // Label ids. Edges carry single labels, ids [0, num_single_labels()) (at most 65535). A node
  // carries a single label or a label SET, an id in [num_single_labels(), num_labels()): it is
  // asserted by records, each under its own marking, and it is visible to a caller who may
  // see ANY of them (each of its properties and provenance records keeps its own record's
  // label). A node's set holds the least restrictive of its records' labels: those no other
  // label of the node makes visible to every caller who may see them (same force, no higher
  // classification, a subset of the caveats); a set has two or more members.
  std::size_t num_labels() const;         // single labels + label sets
  std::size_t num_single_labels() const;  // single labels
  // A single label's marking. For a set, the marking of its first member (check
  // label_members when a set matters).
  AccessLabel label(NodeLabelId id) const;
  // The single labels of `id`: {id} for a single label, the set's members (increasing) for a
  // set.
  std::vector<LabelId> label_members(NodeLabelId id) const;
  std::size_t num_forces() const;
  std::string_view force_name(std::uint16_t force) const;
  std::size_t num_caveats() const;
  std::string_view caveat_name(int bit) const;
  // visible[id] for every LabelId: whether `clearance` covers that label (for a label set:
  // any of its members). Traversals compute this once per call and test edge_label /
  // node_label against it. O(labels + label-set members) the first time a clearance is seen
  // (a few ms on a scale-10 graph), then served from a small cache of the last 8 clearances
  // (a copy). Thread-safe.
  std::vector<bool> VisibleLabels(const Clearance& clearance) const;
  // The builder's SetMetadata pairs, sorted by name (a later SetMetadata of a name replaces
  // the earlier value). Ingest sets none today; the names are the builder's caller's.
  std::vector<std::pair<std::string, std::string>> metadata() const;

  // Bytes of the snapshot's (file) sections, in total and by name (for `polegraph info`).
  std::uint64_t memory_bytes() const;
  std::vector<std::pair<std::string, std::uint64_t>> section_bytes() const;

 private:
  friend struct internal::GraphAccess;  // the library's own modules: storage, derived data
  explicit Graph(std::unique_ptr<Storage> storage);

  struct VisibilityCache;  // the last few clearances' VisibleLabels
  struct DerivedCache;     // data the library derives from the snapshot, by tag
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<VisibilityCache> visibility_;
  std::unique_ptr<DerivedCache> derived_;
};

}  // namespace polegraph

#endif  // POLEGRAPH_GRAPH_H_
