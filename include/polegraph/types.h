// polegraph/types.h — the vocabulary shared by every module: id types, node and edge kinds,
// source systems, access labels and clearances.
//
// Ids are fixed-width named types (no build flag changes them):
//   NodeId    32-bit dense node id, 0 .. num_nodes-1, ordered by (kind, key).
//   EdgeId    32-bit id of an edge: its position in the out-CSR (a snapshot holds < 2^32 edges).
//   EdgeIndex 64-bit offset into a CSR (offsets arrays are EdgeIndex).
//   RecordNo  32-bit number of a source record in the snapshot's record table (provenance).
//   LabelId   16-bit index into the snapshot's table of distinct access labels.
//
// Example (a clearance applied to raw graph data; Graph's accessors apply none themselves):
//   polegraph::Clearance c{.level = polegraph::Classification::kOfficialSensitive,
//                          .caveats = {"PERSONAL"}};
//   std::vector<bool> visible = graph.VisibleLabels(c);   // by label id, once per clearance
//   if (visible[graph.edge_label()[e]] && visible[graph.node_label(graph.edge_target(e))] &&
//       visible[graph.node_label(graph.edge_source(e))]) { ... the caller may see edge e ... }
// The analyses (links.h, networks.h, centrality.h, anpr.h) do this for you: pass the
// clearance in QueryContext::clearance.
#ifndef POLEGRAPH_TYPES_H_
#define POLEGRAPH_TYPES_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace polegraph {

using NodeId = std::uint32_t;
using EdgeId = std::uint32_t;
using EdgeIndex = std::uint64_t;
using RecordNo = std::uint32_t;
using LabelId = std::uint16_t;
// A node's label: a LabelId, or a label set above them (Graph::label_members).
using NodeLabelId = std::uint32_t;

inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
inline constexpr RecordNo kNoRecord = std::numeric_limits<RecordNo>::max();

// Edge time: UTC seconds since the Unix epoch, 0 when unknown. Stored as 32 bits (valid
// 1970-01-01 .. 2106-02-07); times outside that range are stored as unknown.
using EdgeTime = std::uint32_t;
inline constexpr EdgeTime kUnknownTime = 0;

enum class NodeKind : std::uint8_t { kPerson = 0, kVehicle, kPlate, kLocation, kOffence };
inline constexpr int kNumNodeKinds = 5;

// The closed edge vocabulary of DESIGN.md §2, with its direction.
enum class EdgeKind : std::uint8_t {
  kKeeperOf = 0,   // Person -> Vehicle   (PNC registered keeper)
  kUsed,           // Person -> Vehicle   (PND intelligence / custody)
  kDisplays,       // Vehicle -> Plate    (PNC; time = since when)
  kSeenAt,         // Plate -> Location   (ANPR read; time = read time)
  kResidesAt,      // Person -> Location  (PNC / PND addresses)
  kFrequents,      // Person -> Location  (PND intelligence: seen there)
  kSuspectIn,      // Person -> Offence
  kArrestedFor,    // Person -> Offence
  kConvictedOf,    // Person -> Offence   (PNC disposals)
  kVictimOf,       // Person -> Offence
  kWitnessTo,      // Person -> Offence
  kInvolvedIn,     // Vehicle/Plate -> Offence
  kOccurredAt,     // Offence -> Location
  kAssociateOf,    // Person -> Person    (PND intelligence)
  kTravelledWith,  // Plate -> Plate      (derived by convoy analysis)
};
inline constexpr int kNumEdgeKinds = 15;

enum class Source : std::uint8_t { kPnc = 0, kPnd, kAnpr, kDerived };

// Government Security Classifications, in increasing order of sensitivity.
enum class Classification : std::uint8_t {
  kOfficial = 0,
  kOfficialSensitive,
  kSecret,
  kTopSecret,
};

// The access label of a node or edge. `caveats` is a bit set over the snapshot's caveat
// table (Graph::caveat_name), at most 32 distinct caveats per snapshot; `force` indexes the
// snapshot's force table (Graph::force_name).
struct AccessLabel {
  Classification classification = Classification::kOfficial;
  std::uint16_t force = 0;
  std::uint32_t caveats = 0;
  friend bool operator==(const AccessLabel&, const AccessLabel&) = default;
};

// What a caller may see. An item is visible when its classification is at most `level`, the
// caller holds every caveat on it, and its owning force is in `forces` (empty = all forces).
// Forces and caveats are given by name, so a clearance is independent of any one snapshot.
struct Clearance {
  Classification level = Classification::kOfficial;
  std::vector<std::string> caveats;  // caveat names held
  std::vector<std::string> forces;   // owning forces whose data may be seen; empty = all
  static Clearance Unrestricted();   // TOP SECRET, all forces, every caveat
  bool all_caveats = false;          // set by Unrestricted(): holds every caveat
};

// Names of the vocabulary, as used in JSON, on the command line and in "kind:key" names. The
// argument must be a value of the enum (an out-of-range value is undefined behaviour).
std::string_view NodeKindName(NodeKind kind);  // "person", "vehicle", "plate", ... "offence"
std::string_view EdgeKindName(EdgeKind kind);  // "KEEPER_OF", "USED", ... (as in the enum above)
std::string_view SourceName(Source source);    // "PNC", "PND", "ANPR", "DERIVED"
// "OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP-SECRET".
std::string_view ClassificationName(Classification c);
// The inverses: an exact, case-sensitive match of the names above, else nullopt ("person",
// not "Person"; "SUSPECT_IN", not "suspect_in"). ParseClassification also accepts
// "OFFICIAL_SENSITIVE", "TOP_SECRET" and "TOP SECRET". Graph::Resolve lower-cases the kind
// before ParseNodeKind; upper-case a user's level before ParseClassification.
std::optional<NodeKind> ParseNodeKind(std::string_view name);
std::optional<EdgeKind> ParseEdgeKind(std::string_view name);
std::optional<Classification> ParseClassification(std::string_view name);

}  // namespace polegraph

#endif  // POLEGRAPH_TYPES_H_
