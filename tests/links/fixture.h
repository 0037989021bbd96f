// Shared fixtures for the link-analysis tests: graph specifications (random, Kronecker, chain,
// star, disconnected) built into snapshots with GraphBuilder, and an independent oracle view
// (the admitted steps of a filter, computed directly from the snapshot's columns with plain
// loops) that the brute-force checks run on.
#ifndef POLEGRAPH_TESTS_LINKS_FIXTURE_H_
#define POLEGRAPH_TESTS_LINKS_FIXTURE_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "graph/edge_endpoints.h"
#include "polegraph/graph.h"
#include "polegraph/links.h"
#include "polegraph/query.h"

namespace polegraph::links_test {

inline constexpr std::int64_t kT0 = 1700000000;

// Owning forces and handling caveats an item's label may carry: force index into kForces,
// caveat bit i for kCaveats[i].
inline constexpr const char* kForces[] = {"MPS", "GMP", "WMP"};
inline constexpr const char* kCaveats[] = {"ORCON", "UKEO"};

struct Spec {
  struct Node {
    NodeKind kind;
    Classification cls = Classification::kOfficial;
    std::uint8_t force = 0;
    std::uint8_t caveats = 0;
  };
  struct Edge {
    std::uint32_t from, to;
    EdgeKind kind = EdgeKind::kAssociateOf;
    std::int64_t time = 0;  // 0 = unknown
    Classification cls = Classification::kOfficial;
    std::uint8_t force = 0;
    std::uint8_t caveats = 0;
  };
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  std::string shape;
};

inline std::string NodeKey(std::uint32_t i) { return absl::StrFormat("N%06d", i); }
inline std::string EdgeRecordId(std::uint32_t i) { return absl::StrFormat("E%06d", i); }

struct Built {
  std::shared_ptr<const Graph> graph;
  std::vector<NodeId> id;  // spec index -> NodeId (kNoNode when left out)
};

// Builds the snapshot of a spec. keep_node / keep_edge (optional) leave items out, and
// `flatten` gives every item the OFFICIAL label (the "copy without invisible items").
inline Built Build(const Spec& spec, const std::function<bool(std::uint32_t)>& keep_node = {},
                   const std::function<bool(std::uint32_t)>& keep_edge = {},
                   bool flatten = false) {
  GraphBuilder b;
  ExtractInfo info;
  info.path = "test.pb";
  info.source = Source::kPnd;
  auto ex = b.AddExtract(info);
  auto label = [&](Classification c, std::uint8_t force, std::uint8_t caveats) {
    if (flatten) return b.InternLabel(Classification::kOfficial, kForces[0], {});
    std::vector<std::string> names;
    for (int i = 0; i < 2; ++i) {
      if (caveats & (1u << i)) names.emplace_back(kCaveats[i]);
    }
    return b.InternLabel(c, kForces[force], names);
  };
  std::vector<GraphBuilder::Handle> handle(spec.nodes.size());
  std::vector<bool> kept(spec.nodes.size(), true);
  for (std::uint32_t i = 0; i < spec.nodes.size(); ++i) {
    kept[i] = !keep_node || keep_node(i);
    if (!kept[i]) continue;
    RecordNo r = b.AddRecord(ex, absl::StrCat("NR", i), i);
    const Spec::Node& n = spec.nodes[i];
    handle[i] = b.AddNode(n.kind, NodeKey(i), label(n.cls, n.force, n.caveats), r);
  }
  for (std::uint32_t i = 0; i < spec.edges.size(); ++i) {
    const Spec::Edge& e = spec.edges[i];
    if (!kept[e.from] || !kept[e.to] || (keep_edge && !keep_edge(i))) continue;
    RecordNo r = b.AddRecord(ex, EdgeRecordId(i), 1000000 + i);
    b.AddEdge(handle[e.from], handle[e.to], e.kind, e.time, label(e.cls, e.force, e.caveats), r);
  }
  auto g = std::move(b).Build(2);
  if (!g.ok()) throw std::runtime_error(std::string(g.status().message()));
  Built out{*g, std::vector<NodeId>(spec.nodes.size(), kNoNode)};
  for (std::uint32_t i = 0; i < spec.nodes.size(); ++i) {
    if (!kept[i]) continue;
    auto v = out.graph->Find(spec.nodes[i].kind, NodeKey(i));
    if (v) out.id[i] = *v;
  }
  return out;
}

// --- generators ------------------------------------------------------------------------------

struct Decor {  // how items are decorated
  bool kinds = true;   // random node and edge kinds (else person / ASSOCIATE_OF)
  bool times = true;   // random times in a small range (ties), 25% unknown
  bool labels = false; // random classifications (mostly OFFICIAL), forces and caveats (mostly
                       // MPS, none)
};

inline Classification RandomClass(std::mt19937_64& rng) {
  const auto r = rng() % 10;
  return r < 6 ? Classification::kOfficial
               : (r < 8 ? Classification::kOfficialSensitive : Classification::kSecret);
}

// A random label: classification, force (MPS 70 %) and caveats (none 70 %).
template <typename Item>
void RandomLabel(Item& item, std::mt19937_64& rng) {
  item.cls = RandomClass(rng);
  const auto f = rng() % 10;
  item.force = static_cast<std::uint8_t>(f < 7 ? 0 : (f < 9 ? 1 : 2));
  const auto c = rng() % 10;
  item.caveats = static_cast<std::uint8_t>(c < 7 ? 0 : c - 6);  // 1, 2 or both
}

// Gives each edge whose kind does not join its endpoints' kinds (internal::EdgeKindJoins: a
// snapshot holds no other) a random kind among those that do, turned round when only the
// other direction fits; an edge between two kinds that no edge kind joins (vehicle-vehicle,
// person-plate, ...) is left out, as no police record could make it. For a spec whose node
// kinds were changed by hand.
inline void FitEdgeKinds(Spec& s, std::mt19937_64& rng) {
  std::vector<Spec::Edge> kept;
  for (Spec::Edge e : s.edges) {
    const NodeKind a = s.nodes[e.from].kind, b = s.nodes[e.to].kind;
    if (!internal::EdgeKindJoins(e.kind, a, b)) {
      std::vector<std::pair<EdgeKind, bool>> fits;  // (kind, turned round)
      for (int k = 0; k < kNumEdgeKinds; ++k) {
        const auto kind = static_cast<EdgeKind>(k);
        if (internal::EdgeKindJoins(kind, a, b)) fits.emplace_back(kind, false);
        if (a != b && internal::EdgeKindJoins(kind, b, a)) fits.emplace_back(kind, true);
      }
      if (fits.empty()) continue;
      const auto& [kind, turned] = fits[rng() % fits.size()];
      e.kind = kind;
      if (turned) std::swap(e.from, e.to);
    }
    kept.push_back(e);
  }
  s.edges = std::move(kept);
}

// With random kinds, each edge gets a random kind that joins its endpoints' kinds
// (FitEdgeKinds; edges between kinds that nothing joins are left out).
inline void Decorate(Spec& s, const Decor& d, std::mt19937_64& rng) {
  for (auto& n : s.nodes) {
    n.kind = d.kinds ? static_cast<NodeKind>(rng() % kNumNodeKinds) : NodeKind::kPerson;
    if (d.labels) RandomLabel(n, rng);
  }
  for (auto& e : s.edges) e.kind = EdgeKind::kAssociateOf;
  if (d.kinds) FitEdgeKinds(s, rng);
  for (auto& e : s.edges) {
    e.time = (d.times && rng() % 4 != 0) ? kT0 + static_cast<std::int64_t>(rng() % 12) : 0;
    if (d.labels) RandomLabel(e, rng);
  }
}

inline void AddEdge(Spec& s, std::uint32_t a, std::uint32_t b) {
  if (a != b) s.edges.push_back({a, b});
}

inline Spec RandomSpec(std::uint32_t n, std::uint32_t m, std::mt19937_64& rng) {
  Spec s;
  s.shape = absl::StrCat("random n=", n, " m=", m);
  s.nodes.resize(n);
  for (std::uint32_t i = 0; i < m; ++i) {
    AddEdge(s, static_cast<std::uint32_t>(rng() % n), static_cast<std::uint32_t>(rng() % n));
  }
  return s;
}

// R-MAT / Kronecker with (a, b, c) = (0.57, 0.19, 0.19), as in Graph500 and GAP.
inline Spec KroneckerSpec(int scale, int edge_factor, std::mt19937_64& rng) {
  Spec s;
  const std::uint32_t n = 1u << scale;
  s.shape = absl::StrCat("kronecker scale=", scale);
  s.nodes.resize(n);
  std::uniform_real_distribution<double> u(0, 1);
  for (std::uint64_t i = 0; i < std::uint64_t{n} * edge_factor; ++i) {
    std::uint32_t a = 0, b = 0;
    for (int bit = 0; bit < scale; ++bit) {
      const double r = u(rng);
      const std::uint32_t ab = r < 0.57 ? 0 : (r < 0.76 ? 1 : (r < 0.95 ? 2 : 3));
      a = (a << 1) | (ab >> 1);
      b = (b << 1) | (ab & 1);
    }
    AddEdge(s, a, b);
  }
  return s;
}

inline Spec ChainSpec(std::uint32_t n) {
  Spec s;
  s.shape = absl::StrCat("chain n=", n);
  s.nodes.resize(n);
  for (std::uint32_t i = 0; i + 1 < n; ++i) AddEdge(s, i, i + 1);
  return s;
}

inline Spec StarSpec(std::uint32_t n) {
  Spec s;
  s.shape = absl::StrCat("star n=", n);
  s.nodes.resize(n);
  for (std::uint32_t i = 1; i < n; ++i) {
    if (i % 2) AddEdge(s, 0, i); else AddEdge(s, i, 0);
  }
  return s;
}

// Several random components with no edge between them, plus isolated nodes.
inline Spec DisconnectedSpec(std::uint32_t parts, std::uint32_t part_n, std::mt19937_64& rng) {
  Spec s;
  s.shape = absl::StrCat("disconnected parts=", parts);
  s.nodes.resize(parts * part_n + 5);
  for (std::uint32_t p = 0; p < parts; ++p) {
    for (std::uint32_t i = 0; i < part_n * 2; ++i) {
      AddEdge(s, p * part_n + static_cast<std::uint32_t>(rng() % part_n),
              p * part_n + static_cast<std::uint32_t>(rng() % part_n));
    }
  }
  return s;
}

// --- the oracle view ---------------------------------------------------------------------------

struct OStep {
  NodeId to;
  EdgeId edge;
  bool operator<(const OStep& o) const {
    return to != o.to ? to < o.to : edge < o.edge;
  }
  bool operator==(const OStep& o) const { return to == o.to && edge == o.edge; }
};
using OAdj = std::vector<std::vector<OStep>>;

inline bool OracleNodeVisible(const Graph& g, NodeId v, Classification level) {
  return g.label(g.node_label(v)).classification <= level;
}

// Admitted steps per node, sorted by (to, edge). `subjects` are admitted whatever their kind.
inline OAdj OracleSteps(const Graph& g, const TraversalFilter& f, Classification level,
                        const std::vector<NodeId>& subjects, bool reverse = false) {
  const NodeId n = g.num_nodes();
  std::vector<bool> admitted(n);
  for (NodeId v = 0; v < n; ++v) {
    admitted[v] = OracleNodeVisible(g, v, level) && f.node_kinds.test(static_cast<int>(g.kind(v)));
  }
  for (NodeId s : subjects) admitted[s] = true;
  OAdj adj(n);
  for (EdgeId e = 0; e < g.num_edges(); ++e) {
    const NodeId a = g.edge_source(e), b = g.edge_target(e);
    if (!admitted[a] || !admitted[b]) continue;
    if (!f.edge_kinds.test(static_cast<int>(g.edge_kind()[e]))) continue;
    if (g.label(g.edge_label()[e]).classification > level) continue;
    const std::int64_t t = g.edge_time()[e];
    if (t == 0 ? !f.include_unknown_time : (t < f.since || t > f.until)) continue;
    const bool out = f.direction == Direction::kBoth || (f.direction == Direction::kOut) != reverse;
    const bool in = f.direction == Direction::kBoth || (f.direction == Direction::kIn) != reverse;
    if (out) adj[a].push_back({b, e});
    if (in) adj[b].push_back({a, e});
  }
  for (auto& l : adj) std::sort(l.begin(), l.end());
  return adj;
}

// Plain sequential BFS on the oracle view (multi-source).
inline std::vector<std::uint32_t> OracleBfs(const OAdj& adj, const std::vector<NodeId>& sources,
                                            std::uint32_t max_hops = kUnreached) {
  std::vector<std::uint32_t> d(adj.size(), kUnreached);
  std::vector<NodeId> q;
  for (NodeId s : sources) {
    if (d[s] == kUnreached) q.push_back(s);
    d[s] = 0;
  }
  for (std::size_t i = 0; i < q.size(); ++i) {
    const NodeId u = q[i];
    if (d[u] >= max_hops) continue;
    for (const OStep& s : adj[u]) {
      if (d[s.to] == kUnreached) {
        d[s.to] = d[u] + 1;
        q.push_back(s.to);
      }
    }
  }
  return d;
}

// Every simple path (as its step sequence) from `from` to `to` of at most max_hops steps.
inline void OracleSimplePaths(const OAdj& adj, NodeId from, NodeId to, std::uint32_t max_hops,
                              std::vector<std::vector<OStep>>& out) {
  std::vector<OStep> path;
  std::vector<bool> on(adj.size(), false);
  std::function<void(NodeId)> dfs = [&](NodeId u) {
    if (u == to) {
      out.push_back(path);
      return;
    }
    if (path.size() == max_hops) return;
    on[u] = true;
    for (const OStep& s : adj[u]) {
      if (on[s.to]) continue;
      path.push_back(s);
      dfs(s.to);
      path.pop_back();
    }
    on[u] = false;
  };
  dfs(from);
}

inline QueryContext Ctx(int threads, Classification level = Classification::kTopSecret) {
  QueryContext ctx;
  ctx.threads = threads;
  ctx.clearance.level = level;
  return ctx;
}

// The step sequence of a result path, for comparing with oracle paths.
inline std::vector<OStep> Steps(const LinkPath& p) {
  std::vector<OStep> s;
  for (std::size_t i = 0; i < p.edges.size(); ++i) s.push_back({p.nodes[i + 1], p.edges[i]});
  return s;
}

// Whether p is a path of the oracle view from `from` to `to`.
inline bool ValidPath(const OAdj& adj, const LinkPath& p, NodeId from, NodeId to) {
  if (p.nodes.empty() || p.nodes.front() != from || p.nodes.back() != to) return false;
  if (p.nodes.size() != p.edges.size() + 1) return false;
  for (std::size_t i = 0; i < p.edges.size(); ++i) {
    const auto& l = adj[p.nodes[i]];
    if (!std::binary_search(l.begin(), l.end(), OStep{p.nodes[i + 1], p.edges[i]})) return false;
  }
  return true;
}

}  // namespace polegraph::links_test

#endif  // POLEGRAPH_TESTS_LINKS_FIXTURE_H_
