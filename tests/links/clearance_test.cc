// Clearance: for random labellings, every analysis run with a clearance gives exactly what it
// gives, unrestricted, on a copy of the graph built without the items that clearance may not
// see (invisible nodes with their edges, and invisible edges). Results are compared through
// names and record ids (ids shift between the two snapshots, their order does not, so the
// deterministic tie-breaks pick the same items).
#include <catch2/catch.hpp>

#include "fixture.h"

namespace polegraph::links_test {
namespace {

std::string Describe(const LinkChart& c) {
  std::string s;
  for (const LinkNode& n : c.nodes) absl::StrAppend(&s, "N ", n.name, " ", n.distance, "\n");
  for (const LinkEdge& e : c.edges) {
    absl::StrAppend(&s, "E ", e.from_name, ">", e.to_name, " ", std::string(EdgeKindName(e.kind)), " ",
                    e.time, " ", e.provenance.record_id, " ", e.provenance.offset, "\n");
  }
  for (const LinkPath& p : c.paths) {
    absl::StrAppend(&s, "P");
    for (std::size_t i = 0; i < p.nodes.size(); ++i) {
      absl::StrAppend(&s, " ", p.names[i]);
      if (i < p.edges.size()) {
        const LinkEdge* e = c.FindEdge(p.edges[i]);
        absl::StrAppend(&s, " -", e ? e->provenance.record_id : "?", "-");
      }
    }
    absl::StrAppend(&s, "\n");
  }
  absl::StrAppend(&s, c.truncated ? "truncated\n" : "");
  return s;
}

// Every analysis, as text, from the subjects (spec indices) mapped through `id`.
std::string RunAll(const Built& b, const std::vector<std::uint32_t>& subj, Direction dir,
                   const QueryContext& ctx) {
  const Graph& g = *b.graph;
  std::vector<NodeId> s;
  for (std::uint32_t i : subj) s.push_back(b.id[i]);
  std::string out;
  TraversalFilter f;
  f.direction = dir;
  f.max_results = 40;

  auto tree = HopDistances(g, s, f, kUnreached, ctx);
  REQUIRE(tree.ok());
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    if (tree->distance[v] != kUnreached) {
      absl::StrAppend(&out, "hop ", g.Name(v), " ", tree->distance[v], " ",
                      tree->parent[v] == kNoNode ? "-" : g.Name(tree->parent[v]), "\n");
    }
  }
  NeighbourhoodOptions no;
  no.hops = 2;
  no.filter = f;
  auto nb = Neighbourhood(g, s, no, ctx);
  REQUIRE(nb.ok());
  absl::StrAppend(&out, "neighbourhood\n", Describe(*nb));
  PathOptions po;
  po.filter = f;
  po.max_hops = 7;
  po.k = 4;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    auto sp = ShortestPath(g, s[i], s[i + 1], po, ctx);
    REQUIRE(sp.ok());
    absl::StrAppend(&out, "shortest ", sp->hops, "\n", Describe(sp->chart));
    auto all = AllShortestPaths(g, s[i], s[i + 1], po, ctx);
    REQUIRE(all.ok());
    absl::StrAppend(&out, "all ", all->hops, " ", all->count.ToString(), "\n",
                    Describe(all->chart));
    auto ks = KShortestPaths(g, s[i], s[i + 1], po, ctx);
    REQUIRE(ks.ok());
    absl::StrAppend(&out, "yen\n", Describe(ks->chart));
    auto tr = TimeRespectingPath(g, s[i], s[i + 1], po, ctx);
    REQUIRE(tr.ok());
    absl::StrAppend(&out, "timed ", tr->hops, " ", tr->arrival, "\n", Describe(tr->chart));
  }
  NetworkOptions netopt;
  netopt.max_hops = 3;
  netopt.filter = f;
  auto net = ConnectingNetwork(g, s, netopt, ctx);
  REQUIRE(net.ok());
  absl::StrAppend(&out, "network\n", Describe(net->chart));
  for (NodeId u : net->unconnected) absl::StrAppend(&out, "unconnected ", g.Name(u), "\n");
  for (NodeId v : s) {
    if (g.kind(v) != NodeKind::kOffence) continue;
    LinkedOffencesOptions loopt;
    loopt.max_hops = 4;
    loopt.filter = f;
    auto lo = LinkedOffences(g, v, loopt, ctx);
    REQUIRE(lo.ok());
    for (const LinkedOffence& o : lo->offences) {
      absl::StrAppend(&out, "linked ", o.name, " ", o.hops, " ", o.paths.ToString(), "\n");
    }
    absl::StrAppend(&out, Describe(lo->chart));
  }
  return out;
}

// Whether a clearance may see an item's label, worked from the rule (types.h, DOMAIN.md): a
// classification at most the clearance's level, every caveat of the item held, and the owning
// force among the clearance's forces (all forces when it lists none).
template <typename Item>
bool MaySee(const Clearance& c, const Item& item) {
  if (item.cls > c.level) return false;
  for (int i = 0; i < 2; ++i) {
    if ((item.caveats & (1u << i)) &&
        std::find(c.caveats.begin(), c.caveats.end(), kCaveats[i]) == c.caveats.end()) {
      return false;
    }
  }
  return c.forces.empty() ||
         std::find(c.forces.begin(), c.forces.end(), kForces[item.force]) != c.forces.end();
}

TEST_CASE("analyses with a clearance equal the graph without invisible items") {
  std::mt19937_64 rng(31337);
  std::vector<Clearance> clearances(5);
  clearances[0].level = Classification::kOfficial;
  clearances[1].level = Classification::kOfficialSensitive;
  clearances[2].level = Classification::kOfficialSensitive;  // ORCON held, MPS and GMP only
  clearances[2].caveats = {"ORCON"};
  clearances[2].forces = {"MPS", "GMP"};
  clearances[3].level = Classification::kSecret;  // every caveat, WMP's data only
  clearances[3].caveats = {"UKEO", "ORCON"};
  clearances[3].forces = {"WMP"};
  clearances[4].level = Classification::kSecret;  // UKEO only, every force
  clearances[4].caveats = {"UKEO"};
  int compared = 0;
  for (int i = 0; i < 16; ++i) {
    const std::uint32_t n = 40 + static_cast<std::uint32_t>(rng() % 60);
    Spec spec = i % 4 == 3 ? KroneckerSpec(6, 4, rng) : RandomSpec(n, n * 3, rng);
    Decorate(spec, {.kinds = true, .times = true, .labels = true}, rng);
    const Built full = Build(spec);
    for (std::size_t k = 0; k < clearances.size(); ++k) {
      const Clearance& clearance = clearances[k];
      auto node_visible = [&](std::uint32_t v) { return MaySee(clearance, spec.nodes[v]); };
      auto edge_visible = [&](std::uint32_t e) { return MaySee(clearance, spec.edges[e]); };
      const Built pruned = Build(spec, node_visible, edge_visible, /*flatten=*/true);
      std::vector<std::uint32_t> subj;
      for (std::uint32_t v = 0; v < spec.nodes.size() && subj.size() < 5; v += 1 + rng() % 9) {
        if (node_visible(v)) subj.push_back(v);
      }
      if (subj.size() < 2) continue;
      const Direction dir = static_cast<Direction>(i % 3);
      INFO("case " << i << " clearance " << k);
      QueryContext ctx = Ctx(2);
      ctx.clearance = clearance;
      const std::string got = RunAll(full, subj, dir, ctx);
      const std::string want = RunAll(pruned, subj, dir, Ctx(1, Classification::kOfficial));
      REQUIRE(got == want);
      ++compared;
      // A subject the clearance does not cover is not found (like a missing one).
      for (std::uint32_t v = 0; v < spec.nodes.size(); ++v) {
        if (node_visible(v)) continue;
        const NodeId s[] = {full.id[v]};
        CHECK(Neighbourhood(*full.graph, s, {}, ctx).status().code() ==
              absl::StatusCode::kNotFound);
        break;
      }
    }
  }
  CHECK(compared >= 50);
}

}  // namespace
}  // namespace polegraph::links_test
