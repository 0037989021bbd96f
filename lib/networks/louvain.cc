// Louvain community detection: Blondel, Guillaume, Lambiotte, Lefebvre, "Fast unfolding of
// communities in large networks", J. Stat. Mech. (2008) P10008, with a resolution parameter
// (Reichardt & Bornholdt 2006).
//
// Each level starts from singletons, runs local moving (local_moving.cc: colour-synchronous,
// parallel, deterministic) until no vertex moves, then aggregates every community into one
// vertex (aggregate.cc) and repeats on the smaller graph, until a level merges nothing or
// max_levels is reached. Randomness (the colouring order) is seeded from options.seed and
// the level. Louvain communities may be internally disconnected (Leiden fixes that).
// Cost: O(m) per sweep, typically a few sweeps per level and a handful of levels.
#include "networks/internal/aggregate_buffers.h"
#include "networks/internal/communities.h"
#include "networks/internal/multilevel.h"

namespace polegraph::internal {

absl::StatusOr<Partition> Louvain(const WeightedGraph& graph, const CommunityOptions& options,
                                  const QueryContext& ctx) {
  const NodeId n = graph.num_nodes();
  const int threads = ctx.threads;
  const LevelGraph lg0 = MakeLevelGraph(graph, threads);
  const LevelGraph* lg = &lg0;
  LevelGraph aggregated;
  std::vector<NodeId> node_of(n);
  for (NodeId v = 0; v < n; ++v) node_of[v] = v;
  int levels = 0;
  AggregateBuffers buffers(threads);  // kept across levels
  for (int level = 0; level < options.max_levels; ++level) {
    const NodeId size = lg->g().num_nodes();
    std::vector<NodeId> comm(size);
    for (NodeId v = 0; v < size; ++v) comm[v] = v;
    const std::vector<NodeId> order =
        SeededOrder(size, Mix64(options.seed + static_cast<std::uint64_t>(level)), threads);
    const auto classes = ColourClasses(lg->g(), order, ClassCap(size), threads);
    absl::StatusOr<std::uint64_t> moved =
        LocalMoving(*lg, classes, options.resolution, options.max_sweeps, comm, ctx);
    if (!moved.ok()) return moved.status();
    const std::uint32_t k = Renumber(comm);
    for (NodeId& x : node_of) x = comm[x];
    ++levels;
    if (k == size) break;
    LevelGraph next = Aggregate(*lg, comm, k, threads, nullptr, &buffers);
    buffers.Recycle(std::move(aggregated));
    aggregated = std::move(next);
    lg = &aggregated;
  }
  return FinishPartition(graph, std::move(node_of), options.resolution, levels, threads,
                         lg0.strength, lg0.unit_weights);
}

}  // namespace polegraph::internal
