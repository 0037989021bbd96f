// EdgeKindJoins: which node kinds each edge kind may join — the one place the rule is written.
//
// The directions are those of the EdgeKind comments in polegraph/types.h (DESIGN.md §2):
// SEEN_AT only Plate -> Location, INVOLVED_IN Vehicle or Plate -> Offence, and so on. Ingest
// makes only such edges (RecordSink::Edge asserts it) and Graph::Storage::Validate refuses a
// snapshot with any other, so analyses may rely on it: the source of a SEEN_AT edge is a
// Plate, and ANPR code indexes per-plate arrays by `plate - first plate` (lib/anpr).
#ifndef POLEGRAPH_LIB_GRAPH_EDGE_ENDPOINTS_H_
#define POLEGRAPH_LIB_GRAPH_EDGE_ENDPOINTS_H_

#include <string>

#include "polegraph/types.h"

namespace polegraph::internal {

// Whether an edge of `kind` may join a `from` node to a `to` node. False for a value outside
// the EdgeKind vocabulary. O(1), usable in constant expressions.
constexpr bool EdgeKindJoins(EdgeKind kind, NodeKind from, NodeKind to) {
  using N = NodeKind;
  switch (kind) {
    case EdgeKind::kKeeperOf:
    case EdgeKind::kUsed:
      return from == N::kPerson && to == N::kVehicle;
    case EdgeKind::kDisplays:
      return from == N::kVehicle && to == N::kPlate;
    case EdgeKind::kSeenAt:
      return from == N::kPlate && to == N::kLocation;
    case EdgeKind::kResidesAt:
    case EdgeKind::kFrequents:
      return from == N::kPerson && to == N::kLocation;
    case EdgeKind::kSuspectIn:
    case EdgeKind::kArrestedFor:
    case EdgeKind::kConvictedOf:
    case EdgeKind::kVictimOf:
    case EdgeKind::kWitnessTo:
      return from == N::kPerson && to == N::kOffence;
    case EdgeKind::kInvolvedIn:
      return (from == N::kVehicle || from == N::kPlate) && to == N::kOffence;
    case EdgeKind::kOccurredAt:
      return from == N::kOffence && to == N::kLocation;
    case EdgeKind::kAssociateOf:
      return from == N::kPerson && to == N::kPerson;
    case EdgeKind::kTravelledWith:
      return from == N::kPlate && to == N::kPlate;
  }
  return false;
}

// The node kinds an edge of `kind` joins, in words: "plate -> location", "vehicle -> offence
// or plate -> offence". For messages.
inline std::string EdgeKindEnds(EdgeKind kind) {
  std::string out;
  for (int a = 0; a < kNumNodeKinds; ++a) {
    for (int b = 0; b < kNumNodeKinds; ++b) {
      if (!EdgeKindJoins(kind, static_cast<NodeKind>(a), static_cast<NodeKind>(b))) continue;
      if (!out.empty()) out += " or ";
      out += NodeKindName(static_cast<NodeKind>(a));
      out += " -> ";
      out += NodeKindName(static_cast<NodeKind>(b));
    }
  }
  return out.empty() ? "nothing" : out;
}

static_assert(EdgeKindJoins(EdgeKind::kSeenAt, NodeKind::kPlate, NodeKind::kLocation));
static_assert(!EdgeKindJoins(EdgeKind::kSeenAt, NodeKind::kPerson, NodeKind::kLocation));
static_assert(EdgeKindJoins(EdgeKind::kInvolvedIn, NodeKind::kPlate, NodeKind::kOffence));

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_EDGE_ENDPOINTS_H_
