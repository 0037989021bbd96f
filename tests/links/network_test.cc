// ConnectingNetwork and Neighbourhood against brute force: one plain BFS per subject (both
// directions) and the walk criterion d(s, v) + d(v, t) <= K for nodes, d(s, u) + 1 + d(v, t)
// <= K for edge steps; neighbourhoods against a plain BFS and a scan of every edge.
#include <catch2/catch.hpp>

#include "fixture.h"

namespace polegraph::links_test {
namespace {

bool EdgePasses(const Graph& g, EdgeId e, const TraversalFilter& f) {
  if (!f.edge_kinds.test(static_cast<int>(g.edge_kind()[e]))) return false;
  const std::int64_t t = g.edge_time()[e];
  return t == 0 ? f.include_unknown_time : (t >= f.since && t <= f.until);
}

TEST_CASE("connecting network equals brute force") {
  std::mt19937_64 rng(11);
  int unconnected_seen = 0, network_nodes = 0;
  for (int i = 0; i < 30; ++i) {
    const std::uint32_t n = 20 + static_cast<std::uint32_t>(rng() % 60);
    Spec spec = i % 5 == 4 ? DisconnectedSpec(3, n / 3, rng) : RandomSpec(n, n + n / 2, rng);
    Decorate(spec, {.kinds = i % 2 == 1}, rng);
    const Built b = Build(spec);
    const Graph& g = *b.graph;
    TraversalFilter f;
    f.direction = static_cast<Direction>(i % 3);
    if (i % 4 == 1) f.node_kinds.reset(static_cast<int>(NodeKind::kVehicle));
    std::vector<NodeId> subjects;
    const std::uint32_t count = 2 + static_cast<std::uint32_t>(rng() % 5);
    for (std::uint32_t s = 0; s < count; ++s) subjects.push_back(static_cast<NodeId>(rng() % g.num_nodes()));
    std::sort(subjects.begin(), subjects.end());
    subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
    const std::uint32_t k = 1 + static_cast<std::uint32_t>(rng() % 5);

    const OAdj fwd = OracleSteps(g, f, Classification::kTopSecret, subjects);
    const OAdj rev = OracleSteps(g, f, Classification::kTopSecret, subjects, /*reverse=*/true);
    std::vector<std::vector<std::uint32_t>> from_s, to_s;
    for (NodeId s : subjects) {
      from_s.push_back(OracleBfs(fwd, {s}));
      to_s.push_back(OracleBfs(rev, {s}));
    }
    auto within = [&](std::uint32_t a, std::uint32_t b, std::uint32_t extra) {
      return a != kUnreached && b != kUnreached && a + b + extra <= k;
    };
    std::vector<NodeId> want_nodes(subjects);
    std::vector<EdgeId> want_edges;
    std::vector<NodeId> want_unconnected;
    for (NodeId v = 0; v < g.num_nodes(); ++v) {
      bool on = false;
      for (std::size_t s = 0; s < subjects.size(); ++s) {
        for (std::size_t t = 0; t < subjects.size(); ++t) {
          if (s == t) continue;
          if (within(from_s[s][v], to_s[t][v], 0)) on = true;
          for (const OStep& st : fwd[v]) {
            if (within(from_s[s][v], to_s[t][st.to], 1)) want_edges.push_back(st.edge);
          }
        }
      }
      if (on) want_nodes.push_back(v);
    }
    for (std::size_t s = 0; s < subjects.size(); ++s) {
      bool connected = false;
      for (std::size_t t = 0; t < subjects.size(); ++t) {
        if (s != t && (from_s[s][subjects[t]] <= k || to_s[s][subjects[t]] <= k)) connected = true;
      }
      if (!connected) want_unconnected.push_back(subjects[s]);
    }
    std::sort(want_nodes.begin(), want_nodes.end());
    want_nodes.erase(std::unique(want_nodes.begin(), want_nodes.end()), want_nodes.end());
    std::sort(want_edges.begin(), want_edges.end());
    want_edges.erase(std::unique(want_edges.begin(), want_edges.end()), want_edges.end());
    unconnected_seen += static_cast<int>(want_unconnected.size());
    network_nodes += static_cast<int>(want_nodes.size());

    NetworkOptions opt;
    opt.max_hops = k;
    opt.filter = f;
    opt.filter.max_results = 100000;
    INFO("case " << i << " k=" << k);
    for (int threads : {1, 2, 8}) {
      auto r = ConnectingNetwork(g, subjects, opt, Ctx(threads));
      REQUIRE(r.ok());
      std::vector<NodeId> got_nodes;
      for (const LinkNode& nd : r->chart.nodes) got_nodes.push_back(nd.id);
      std::vector<EdgeId> got_edges;
      for (const LinkEdge& e : r->chart.edges) got_edges.push_back(e.id);
      REQUIRE(got_nodes == want_nodes);
      REQUIRE(got_edges == want_edges);
      REQUIRE(r->unconnected == want_unconnected);
      REQUIRE(r->subjects == subjects);
    }
    // Capped: the first nodes by id, and only edges between listed nodes.
    opt.filter.max_results = 5;
    auto capped = ConnectingNetwork(g, subjects, opt, Ctx(2));
    REQUIRE(capped.ok());
    REQUIRE(capped->chart.truncated == (want_nodes.size() > 5 || want_edges.size() > 5));
    REQUIRE(capped->chart.nodes.size() == std::min<std::size_t>(5, want_nodes.size()));
    for (std::size_t j = 0; j < capped->chart.nodes.size(); ++j) {
      REQUIRE(capped->chart.nodes[j].id == want_nodes[j]);
    }
    for (const LinkEdge& e : capped->chart.edges) {
      REQUIRE(capped->chart.FindNode(e.from) != nullptr);
      REQUIRE(capped->chart.FindNode(e.to) != nullptr);
    }
  }
  CHECK(unconnected_seen > 0);
  CHECK(network_nodes > 100);
}

TEST_CASE("neighbourhood equals brute force") {
  std::mt19937_64 rng(12);
  for (int i = 0; i < 24; ++i) {
    Spec spec = i % 3 == 2 ? KroneckerSpec(8, 4, rng) : RandomSpec(150, 300, rng);
    Decorate(spec, {.kinds = true}, rng);
    const Built b = Build(spec);
    const Graph& g = *b.graph;
    NeighbourhoodOptions opt;
    opt.hops = static_cast<std::uint32_t>(i % 4);
    opt.filter.direction = static_cast<Direction>(i % 3);
    if (i % 2) opt.filter.edge_kinds.reset(static_cast<int>(EdgeKind::kResidesAt));
    if (i % 5 == 0) opt.filter.since = kT0 + 4;
    opt.filter.max_results = i % 4 == 3 ? 25 : 100000;
    const std::vector<NodeId> subjects = {static_cast<NodeId>(i), static_cast<NodeId>(3 * i + 5)};
    const OAdj adj = OracleSteps(g, opt.filter, Classification::kTopSecret, subjects);
    const std::vector<std::uint32_t> d = OracleBfs(adj, subjects, opt.hops);
    std::vector<std::pair<std::uint32_t, NodeId>> ranked;
    for (NodeId v = 0; v < g.num_nodes(); ++v) {
      if (d[v] != kUnreached) ranked.push_back({d[v], v});
    }
    std::sort(ranked.begin(), ranked.end());
    const bool cut = ranked.size() > opt.filter.max_results;
    if (cut) ranked.resize(opt.filter.max_results);
    std::vector<std::pair<NodeId, std::uint32_t>> want_nodes;
    std::vector<bool> kept(g.num_nodes(), false);
    for (auto [dist, v] : ranked) {
      want_nodes.push_back({v, dist});
      kept[v] = true;
    }
    std::sort(want_nodes.begin(), want_nodes.end());
    std::vector<EdgeId> want_edges;
    for (EdgeId e = 0; e < g.num_edges(); ++e) {
      if (kept[g.edge_source(e)] && kept[g.edge_target(e)] && EdgePasses(g, e, opt.filter)) {
        want_edges.push_back(e);
      }
    }
    INFO("case " << i);
    for (int threads : {1, 2, 8}) {
      auto r = Neighbourhood(g, subjects, opt, Ctx(threads));
      REQUIRE(r.ok());
      std::vector<std::pair<NodeId, std::uint32_t>> got;
      for (const LinkNode& nd : r->nodes) {
        got.push_back({nd.id, nd.distance});
        REQUIRE(nd.name == g.Name(nd.id));
      }
      REQUIRE(got == want_nodes);
      std::vector<EdgeId> got_edges;
      for (const LinkEdge& e : r->edges) {
        got_edges.push_back(e.id);
        REQUIRE(e.from == g.edge_source(e.id));
        REQUIRE(e.to == g.edge_target(e.id));
        REQUIRE(e.time == g.edge_time()[e.id]);
      }
      REQUIRE(got_edges.size() <= opt.filter.max_results);
      want_edges.resize(std::min(want_edges.size(), opt.filter.max_results));
      REQUIRE(got_edges == want_edges);
      if (cut) REQUIRE(r->truncated);
    }
  }
}

}  // namespace
}  // namespace polegraph::links_test
