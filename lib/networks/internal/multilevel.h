// Internal pieces of the multilevel community algorithms (Louvain, Leiden) and of label
// propagation: the level graph (a WeightedGraph plus self-loop weights), a deterministic
// greedy colouring, colour-synchronous local moving, refinement, aggregation, and
// renumbering. Each is defined in its own file of lib/networks/.
#ifndef POLEGRAPH_LIB_NETWORKS_INTERNAL_MULTILEVEL_H_
#define POLEGRAPH_LIB_NETWORKS_INTERNAL_MULTILEVEL_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "polegraph/query.h"
#include "polegraph/weighted_graph.h"

namespace polegraph::internal {

// A graph of one aggregation level. loop[v] is the weight of v's self-loop counted over
// ordered pairs (twice the internal edge weight of the community that v stands for), so
// strength[v] = loop[v] + sum of v's arc weights and 2m = sum of strengths. The adjacency
// lists of aggregated levels are in first-touch order, not sorted (nothing here needs it).
// Level 0 refers to the caller's graph (`input`, which must outlive it) instead of copying
// it; aggregated levels own theirs.
struct LevelGraph {
  WeightedGraph owned;
  const WeightedGraph* input = nullptr;
  const WeightedGraph& g() const { return input != nullptr ? *input : owned; }
  std::vector<double> loop;
  std::vector<double> strength;
  double two_m = 0.0;
  // Every arc weight is 1.0 (set by MakeLevelGraph; aggregated levels leave it false): local
  // moving, refinement and aggregation then do not read the weights. Sums of 1.0 are exact, so
  // the results are the same. A level graph copied by PermuteLevelGraph with unit weights has
  // no weight array: g().weights() must not be called on it.
  bool unit_weights = false;
};
// The level graph of g (no self-loops), referring to g: g must outlive the result.
LevelGraph MakeLevelGraph(const WeightedGraph& g, int threads);

// lg with vertex v renamed perm[v] (perm a permutation of 0..n-1): same arcs in the same
// order per vertex, same two_m; without a weight array when lg.unit_weights. Parallel,
// O(n + m).
LevelGraph PermuteLevelGraph(const LevelGraph& lg, std::span<const NodeId> perm, int threads);

// The vertices 0..n-1 in runs of 2^kSeededRunBits consecutive ids, the runs in the order of a
// seeded hash of their index (a pseudo-random order of runs that depends only on n and seed).
// A colour class, a block of this order, then holds whole runs, so local moving and the
// colouring read each run's per-vertex entries and arcs from consecutive memory instead of
// one vertex per cache line and page (see local_moving.cc). O(n + (n / run) log n), parallel.
inline constexpr int kSeededRunBits = 6;
std::vector<NodeId> SeededOrder(NodeId n, std::uint64_t seed, int threads);

// Vertices with at least one edge grouped by colour (no two neighbours share one), each class
// in ascending vertex id. Without a cap (max_class_size 0): greedy colouring visiting vertices
// in `order`, each taking the first colour no neighbour has, colour 0 first; sequential,
// O(n + m + colours). With a cap: `order`, without the vertices without edges, is cut into
// blocks of max_class_size vertices, and each block is coloured greedily in that order
// against its own earlier vertices only; the classes are those of block 0 (colour 0 first),
// then block 1, and so on. Parallel over blocks (the result does not depend on `threads`),
// O(n + m + k log k) for classes of k vertices.
std::vector<std::vector<NodeId>> ColourClasses(const WeightedGraph& g,
                                               std::span<const NodeId> order,
                                               NodeId max_class_size, int threads = 1);
// The class-size cap of the multilevel algorithms' colourings on a level of n vertices: about
// n / kClassBlocks, so a sweep runs in at least that many blocks, but not under
// kMinClassCap (smaller classes would not be worth waking the team for).
inline constexpr NodeId kClassBlocks = 256;
inline constexpr NodeId kMinClassCap = 1024;
inline NodeId ClassCap(NodeId n) { return std::max(kMinClassCap, n / kClassBlocks); }
// The same in SeededOrder(n, seed), without a cap.
std::vector<std::vector<NodeId>> ColourClasses(const WeightedGraph& g, std::uint64_t seed);

// Modularity-gain local moving from the partition `comm` (community ids < n), colour class by
// colour class: every vertex of a class picks its best community from the state before the
// class (in parallel), then the moves are applied in class order. Stops after a sweep with no
// move or after max_sweeps. Returns the number of vertices moved in total. evaluate_ahead
// (see local_moving.cc) changes only the cost, never the result.
absl::StatusOr<std::uint64_t> LocalMoving(const LevelGraph& lg,
                                          const std::vector<std::vector<NodeId>>& classes,
                                          double resolution, int max_sweeps,
                                          std::vector<NodeId>& comm, const QueryContext& ctx,
                                          bool evaluate_ahead = true);

// Leiden refinement (Traag et al. 2019, Algorithm A.2 with theta -> 0): inside each community
// of `comm`, start from singletons and merge each well-connected singleton into the
// well-connected sub-community of greatest positive gain, visiting vertices in `order` (a
// permutation of the vertices). Returns the refined partition (ids are vertex ids). Parallel
// over communities.
std::vector<NodeId> Refine(const LevelGraph& lg, const std::vector<NodeId>& comm, double resolution,
                           std::span<const NodeId> order, int threads);
// The same from the partition `initial` (each vertex labelled by a member of its group, every
// group inside one community of comm) instead of singletons: only the vertices still alone
// in their group are merged. Empty: singletons.
std::vector<NodeId> Refine(const LevelGraph& lg, const std::vector<NodeId>& comm, double resolution,
                           std::span<const NodeId> order, std::span<const NodeId> initial,
                           int threads);

// Renumbers labels to 0..k-1 in order of each label's smallest vertex; returns k.
std::uint32_t Renumber(std::vector<NodeId>& labels);

// The graph whose vertices are the communities 0..k-1 of `comm` (already renumbered). With
// kept_id, communities without an edge to another community are left out (the others keep
// their order; two_m still counts the left-out ones' loops) and (*kept_id)[c] is community
// c's vertex in the result, or kNoVertex when it was left out.
inline constexpr NodeId kNoVertex = ~NodeId{0};
LevelGraph Aggregate(const LevelGraph& lg, const std::vector<NodeId>& comm, std::uint32_t k,
                     int threads, std::vector<NodeId>* kept_id = nullptr);

// Splits every community of `comm` into its connected parts inside the community, then
// renumbers; returns k. Parallel; the result does not depend on the thread count.
std::uint32_t SplitDisconnected(const WeightedGraph& g, std::vector<NodeId>& comm, int threads);

// Renumber that also fills old_to_new (old label -> new label, kNoVertex for labels not in
// use; sized by the largest label + 1). Sequential, O(n + largest label).
std::uint32_t RenumberMap(std::vector<NodeId>& labels, std::vector<NodeId>& old_to_new);
// Splits each community c of `comm` (labels < k) with suspect[c] != 0 into its connected parts
// in g; the others are left as they are (the caller knows they are connected). The part with
// the community's smallest vertex keeps label c, the other parts get labels k, k + 1, ... in
// community order. Returns the number of labels. Not renumbered by smallest member. Parallel
// over the suspect communities; the result does not depend on the thread count. O(n) plus the
// arcs of the suspect communities' members (split.cc).
std::uint32_t SplitSuspects(const WeightedGraph& g, std::vector<NodeId>& comm, std::uint32_t k,
                            std::span<const std::uint8_t> suspect, int threads);

// A 64-bit mix (splitmix64 finaliser) for seeded hashing.
inline std::uint64_t Mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_NETWORKS_INTERNAL_MULTILEVEL_H_
