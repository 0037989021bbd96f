// Small shared pieces of the multilevel algorithms: the level graph of the input (referring to
// it, not a copy) and its renumbering (PermuteLevelGraph: a parallel copy with renamed targets,
// each vertex's arcs in their order, O(n + m)), a seeded greedy colouring, renumbering of labels
// by smallest member, and the split of disconnected communities.
//
// Colouring: greedy (first free colour) in a given order, usually that of a seeded hash of the
// vertex ids (SeededOrder, a parallel sort of (hash, id) pairs). With a cap on the class size,
// a colour that fills up is closed and the next vertices take the first free colour still
// open, so the classes follow the visiting order in blocks of about `cap` vertices (see
// local_moving.cc for why). Vertices without edges are left out (they never move). At most
// max degree + 1 colours without a cap. Sequential, O(n + m + colours) (the scan starts at
// the first open colour): cheap next to the local-moving sweeps it schedules, and trivially
// deterministic.
// SplitDisconnected: a concurrent union-find over the edges inside communities (the Afforest
// forest of internal/afforest.h, whose roots end as each part's smallest vertex at any thread
// count), O(m) work in practice.
#include <algorithm>
#include <functional>

#include "networks/internal/afforest.h"
#include "networks/internal/multilevel.h"
#include "parallel/parallel.h"

namespace polegraph::internal {

LevelGraph MakeLevelGraph(const WeightedGraph& g, int threads) {
  LevelGraph lg;
  lg.input = &g;
  const NodeId n = g.num_nodes();
  lg.loop.assign(n, 0.0);
  lg.strength.assign(n, 0.0);
  ParallelFor(0, n, threads, [&](std::size_t v) {
    double s = 0.0;
    for (double w : g.weights(static_cast<NodeId>(v))) s += w;
    lg.strength[v] = s;
  });
  for (double s : lg.strength) lg.two_m += s;
  return lg;
}

LevelGraph PermuteLevelGraph(const LevelGraph& lg, std::span<const NodeId> perm, int threads) {
  const WeightedGraph& g = lg.g();
  const NodeId n = g.num_nodes();
  std::vector<NodeId> old_of(n);
  ParallelFor(0, n, threads, [&](std::size_t v) { old_of[perm[v]] = static_cast<NodeId>(v); });
  LevelGraph out;
  out.two_m = lg.two_m;
  out.loop.resize(n);
  out.strength.resize(n);
  std::vector<EdgeIndex> degree(n);
  ParallelFor(0, n, threads, [&](std::size_t i) {
    const NodeId v = old_of[i];
    degree[i] = g.degree(v);
    out.loop[i] = lg.loop[v];
    out.strength[i] = lg.strength[v];
  });
  PrefixSum(degree, out.owned.offsets, threads);
  out.owned.targets.resize(g.num_arcs());
  out.owned.arc_weights.resize(g.num_arcs());
  ParallelFor(
      0, n, threads,
      [&](std::size_t i) {
        const NodeId v = old_of[i];
        auto adj = g.neighbours(v);
        auto w = g.weights(v);
        const EdgeIndex at = out.owned.offsets[i];
        for (std::size_t e = 0; e < adj.size(); ++e) out.owned.targets[at + e] = perm[adj[e]];
        std::copy(w.begin(), w.end(), out.owned.arc_weights.data() + at);
      },
      /*grain=*/1024);
  return out;
}

std::vector<NodeId> SeededOrder(NodeId n, std::uint64_t seed, int threads) {
  std::vector<std::pair<std::uint64_t, NodeId>> keyed(n);
  ParallelFor(0, n, threads, [&](std::size_t v) {
    keyed[v] = {Mix64(seed ^ Mix64(v)), static_cast<NodeId>(v)};
  });
  // (hash, vertex) pairs are distinct, so the order does not depend on the thread count.
  ParallelSort(keyed, threads, std::less<>());
  std::vector<NodeId> order(n);
  ParallelFor(0, n, threads, [&](std::size_t i) { order[i] = keyed[i].second; });
  return order;
}

std::vector<std::vector<NodeId>> ColourClasses(const WeightedGraph& g,
                                               std::span<const NodeId> order,
                                               NodeId max_class_size) {
  const NodeId n = g.num_nodes();
  constexpr NodeId kNone = ~NodeId{0};
  const NodeId cap = max_class_size == 0 ? kNone : max_class_size;
  std::vector<NodeId> colour(n, kNone);
  std::vector<NodeId> stamp;  // stamp[c] == v + 1: colour c is taken by a neighbour of v
  std::vector<NodeId> size;   // vertices per colour
  NodeId colours = 0;
  NodeId first_open = 0;  // every colour below it is full
  for (NodeId v : order) {
    if (g.degree(v) == 0) continue;  // never moves: in no class
    for (NodeId u : g.neighbours(v)) {
      if (colour[u] != kNone) stamp[colour[u]] = v + 1;
    }
    NodeId c = first_open;
    while (c < colours && (stamp[c] == v + 1 || size[c] >= cap)) ++c;
    if (c == colours) {
      ++colours;
      stamp.push_back(0);
      size.push_back(0);
    }
    colour[v] = c;
    ++size[c];
    while (first_open < colours && size[first_open] >= cap) ++first_open;
  }
  std::vector<std::vector<NodeId>> classes(colours);
  for (NodeId c = 0; c < colours; ++c) classes[c].reserve(size[c]);
  for (NodeId v = 0; v < n; ++v) {
    if (colour[v] != kNone) classes[colour[v]].push_back(v);
  }
  return classes;
}

std::vector<std::vector<NodeId>> ColourClasses(const WeightedGraph& g, std::uint64_t seed) {
  return ColourClasses(g, SeededOrder(g.num_nodes(), seed, 1), 0);
}

std::uint32_t Renumber(std::vector<NodeId>& labels) {
  constexpr NodeId kNone = ~NodeId{0};
  NodeId max_label = 0;
  for (NodeId l : labels) max_label = std::max(max_label, l);
  std::vector<NodeId> id(labels.empty() ? 0 : static_cast<std::size_t>(max_label) + 1, kNone);
  std::uint32_t k = 0;
  for (NodeId& l : labels) {
    if (id[l] == kNone) id[l] = k++;
    l = id[l];
  }
  return k;
}

std::uint32_t SplitDisconnected(const WeightedGraph& g, std::vector<NodeId>& comm, int threads) {
  const NodeId n = g.num_nodes();
  AfforestForest forest(n, threads);
  ParallelForDynamic(
      0, n, threads,
      [&](std::size_t i) {
        const NodeId u = static_cast<NodeId>(i);
        for (NodeId v : g.neighbours(u)) {
          if (v > u && comm[u] == comm[v]) forest.Link(u, v);
        }
      },
      /*grain=*/256);
  forest.Compress(threads);
  comm = std::move(forest.comp());
  return Renumber(comm);
}

}  // namespace polegraph::internal
