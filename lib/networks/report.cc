// Per-community reports: members, density, key players and brokers.
//
// For each community in turn the induced subgraph is extracted.
// Key players: the members of highest betweenness inside that subgraph (Brandes, exact, via
// polegraph::Betweenness), or — above betweenness_limit members, where O(n m) is too dear —
// of highest betweenness estimated from betweenness_pivots sampled sources
// (PivotBetweenness, Brandes & Pich 2007; O(pivots m)), or with no pivots of highest
// weighted degree inside the community. Brokers are reported two
// ways: articulation points of the subgraph (members whose removal splits the community;
// Hopcroft & Tarjan 1973, iterative DFS with low-links), and boundary members with edges to
// other communities, most external weight first. Ties are broken by vertex id, so reports
// are deterministic. Cost: O(m) plus O(s * e) betweenness per community of s members and
// e internal edges.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "graph/weighted_graph_check.h"
#include "polegraph/centrality.h"
#include "polegraph/networks.h"

namespace polegraph {
namespace {

// Cut vertices of g (any number of components), ascending.
std::vector<NodeId> ArticulationPoints(const WeightedGraph& g) {
  const NodeId n = g.num_nodes();
  std::vector<std::int64_t> disc(n, -1), low(n, 0);
  std::vector<bool> cut(n, false);
  struct Frame {
    NodeId v, parent;
    EdgeIndex next;
    int children;
  };
  std::vector<Frame> stack;
  std::int64_t timer = 0;
  for (NodeId root = 0; root < n; ++root) {
    if (disc[root] >= 0) continue;
    disc[root] = low[root] = timer++;
    stack.push_back({root, kNoNode, g.offsets[root], 0});
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next < g.offsets[f.v + 1]) {
        const NodeId w = g.targets[f.next++];
        if (w == f.parent) continue;  // no parallel edges: the tree edge back up
        if (disc[w] >= 0) {
          low[f.v] = std::min(low[f.v], disc[w]);
        } else {
          ++f.children;
          disc[w] = low[w] = timer++;
          stack.push_back({w, f.v, g.offsets[w], 0});
        }
        continue;
      }
      const Frame done = f;
      stack.pop_back();
      if (stack.empty()) {
        if (done.children > 1) cut[done.v] = true;
      } else {
        Frame& up = stack.back();
        low[up.v] = std::min(low[up.v], low[done.v]);
        if (up.parent != kNoNode && low[done.v] >= disc[up.v]) cut[up.v] = true;
      }
    }
  }
  std::vector<NodeId> out;
  for (NodeId v = 0; v < n; ++v) {
    if (cut[v]) out.push_back(v);
  }
  return out;
}

// Ids of the `top` largest scores (score > 0), ties by id.
std::vector<NodeId> TopBy(const std::vector<NodeId>& ids, const std::vector<double>& score,
                          int top) {
  std::vector<std::size_t> idx(ids.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(),
                   [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  std::vector<NodeId> out;
  for (std::size_t i : idx) {
    if (static_cast<int>(out.size()) >= top || score[i] <= 0.0) break;
    out.push_back(ids[i]);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<CommunitySummary>> SummariseCommunities(
    const WeightedGraph& graph, const Partition& partition, const CommunityReportOptions& options,
    const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (options.top < 0) {
    return absl::InvalidArgumentError(absl::StrCat("report top must be >= 0, got ", options.top));
  }
  double total_weight = 0.0;
  if (absl::Status s = internal::CheckWeightedGraph(graph, ctx.threads, &total_weight); !s.ok()) {
    return s;
  }
  if (absl::Status s = internal::CheckTotalWeight(total_weight, 1.0, "SummariseCommunities");
      !s.ok()) {
    return s;
  }
  const NodeId n = graph.num_nodes();
  if (partition.community.size() != n) {
    return absl::InvalidArgumentError(absl::StrCat("SummariseCommunities: partition of ",
                                                   partition.community.size(),
                                                   " vertices for a graph of ", n));
  }
  const std::uint32_t k = partition.num_communities;
  std::vector<std::vector<NodeId>> members(k);
  for (NodeId v = 0; v < n; ++v) {
    if (partition.community[v] >= k) {
      return absl::InvalidArgumentError(absl::StrCat("SummariseCommunities: vertex ", v,
                                                     " has community ", partition.community[v],
                                                     " >= num_communities ", k));
    }
    members[partition.community[v]].push_back(v);
  }
  std::vector<std::uint32_t> chosen;
  for (std::uint32_t c = 0; c < k; ++c) {
    if (members[c].size() >= options.min_size) chosen.push_back(c);
  }
  std::stable_sort(chosen.begin(), chosen.end(), [&](std::uint32_t a, std::uint32_t b) {
    return members[a].size() > members[b].size();
  });
  std::vector<CommunitySummary> out(chosen.size());
  std::vector<absl::Status> errors(chosen.size());
  // Communities one after the other, each with ctx.threads inside Betweenness: calling a
  // parallel kernel from inside a parallel loop would nest PerThread buffers.
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    [&] {
      const std::uint32_t c = chosen[i];
      const std::vector<NodeId>& mem = members[c];
      CommunitySummary& s = out[i];
      s.id = c;
      s.members = mem;
      // Induced subgraph (local ids = positions in mem) and external weights.
      std::vector<WeightedEdge> edges;
      std::vector<double> external(mem.size(), 0.0), strength(mem.size(), 0.0);
      for (std::size_t a = 0; a < mem.size(); ++a) {
        auto adj = graph.neighbours(mem[a]);
        auto w = graph.weights(mem[a]);
        for (std::size_t e = 0; e < adj.size(); ++e) {
          if (partition.community[adj[e]] != c) {
            external[a] += w[e];
            continue;
          }
          strength[a] += w[e];
          if (adj[e] < mem[a]) continue;
          const auto b =
              static_cast<NodeId>(std::lower_bound(mem.begin(), mem.end(), adj[e]) - mem.begin());
          edges.push_back({static_cast<NodeId>(a), b, w[e]});
          s.internal_weight += w[e];
        }
      }
      const double size = static_cast<double>(mem.size());
      s.density =
          mem.size() < 2 ? 0.0 : static_cast<double>(edges.size()) / (size * (size - 1.0) / 2.0);
      absl::StatusOr<WeightedGraph> sub =
          WeightedGraph::FromEdges(static_cast<NodeId>(mem.size()), edges, 1);
      if (!sub.ok()) {
        errors[i] = sub.status();
        return;
      }
      if (mem.size() <= options.betweenness_limit || options.betweenness_pivots > 0) {
        const bool exact = mem.size() <= options.betweenness_limit;
        absl::StatusOr<std::vector<double>> bc =
            exact ? Betweenness(*sub, ctx)
                  : PivotBetweenness(*sub, options.betweenness_pivots, s.id, ctx);
        if (!bc.ok()) {
          errors[i] = bc.status();
          return;
        }
        s.key_players_estimated = !exact && options.betweenness_pivots < mem.size();
        s.key_players = TopBy(mem, *bc, options.top);
      } else {
        s.key_players_by_degree = true;
        s.key_players = TopBy(mem, strength, options.top);
      }
      for (NodeId a : ArticulationPoints(*sub)) s.articulation_points.push_back(mem[a]);
      s.boundary = TopBy(mem, external, options.top);
    }();
  }
  for (const absl::Status& e : errors) {
    if (!e.ok()) return e;
  }
  if (absl::Status s = ctx.Check(); !s.ok()) return s;
  return out;
}

}  // namespace polegraph
