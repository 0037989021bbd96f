// Internal pieces of cloned-plate detection (lib/anpr/clones.cc, clone_mismatch.cc): a plate's
// reads packed for sorting, per-thread scratch space, and the make / colour check.
#ifndef POLEGRAPH_LIB_ANPR_INTERNAL_CLONES_H_
#define POLEGRAPH_LIB_ANPR_INTERNAL_CLONES_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "anpr/internal/reads.h"
#include "polegraph/anpr.h"
#include "polegraph/graph.h"

namespace polegraph::anpr_internal {

// A read of one plate as (time << 32 | edge): sorting the keys orders the reads by (time,
// edge). Edge times are 32-bit (EdgeTime), so the packing is exact.
inline std::uint64_t PackRead(EdgeTime time, EdgeId edge) {
  return (std::uint64_t{time} << 32) | edge;
}
inline EdgeTime PackedTime(std::uint64_t key) { return static_cast<EdgeTime>(key >> 32); }
inline EdgeId PackedEdge(std::uint64_t key) { return static_cast<EdgeId>(key & 0xffffffffu); }

// Per-thread buffers reused from plate to plate (no allocation per plate once warm).
struct CloneScratch {
  std::vector<std::uint64_t> reads;  // PackRead keys of the current plate

  // Make / colour check.
  struct ReadProperty {
    RecordNo record;
    bool colour;          // else make
    std::uint32_t value;  // index into the snapshot's property-value pool
  };
  struct Display {
    EdgeId edge = 0;
    EdgeTime time = 0;
    NodeId vehicle = kNoNode;
    bool loaded = false;
    // The vehicle's raw make / colour value ids: values[make_begin .. colour_begin) and
    // values[colour_begin .. colour_end).
    std::uint32_t make_begin = 0, colour_begin = 0, colour_end = 0;
  };
  std::vector<ReadProperty> props;
  std::vector<Display> displays;
  std::vector<std::uint32_t> values;

  std::vector<CloneConflict> found;  // conflicts of every plate this thread handled
};

// The make / colour comparison of FindClones. Resolves the property names once; Check is
// thread-safe (all state is in the caller's scratch).
class MismatchCheck {
 public:
  MismatchCheck(const Graph& graph, const Visibility& vis);

  // Appends to scratch.found a conflict for each read of `plate` (reads: PackRead keys in
  // (time, edge) order, all visible) whose read_make / read_colour matches none of the values
  // of the vehicle whose visible DISPLAYS edge is the latest not after the read.
  // Cost O(d + P log P + r log P) for the plate's in-degree d, P properties and r reads.
  void Check(NodeId plate, std::span<const std::uint64_t> reads, CloneScratch& scratch) const;

  // Hints the memory Check will read for plates [first, last) into the cache, in two stages:
  // their DISPLAYS edges' columns and where their vehicles' properties start, then (once
  // those have arrived) the vehicles' property names and values. These sit at random places
  // in the snapshot; requested for a block of plates ahead of use, the misses overlap instead
  // of following one another. No effect on results.
  void PrefetchEdges(NodeId first, NodeId last) const;
  void PrefetchVehicles(NodeId first, NodeId last) const;

 private:
  // Property-name ids (kNone when the snapshot has no such property).
  static constexpr std::uint32_t kNone = 0xffffffffu;
  const Graph& graph_;
  const Visibility& vis_;
  std::uint32_t read_make_ = kNone, read_colour_ = kNone, make_ = kNone, colour_ = kNone;
};

// "RED " / "red" -> "RED"; "GRAY" -> "GREY".
std::string CanonicalValue(std::string_view s);

}  // namespace polegraph::anpr_internal

#endif  // POLEGRAPH_LIB_ANPR_INTERNAL_CLONES_H_
