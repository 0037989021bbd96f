// Convoys against a brute-force oracle written from the definitions in polegraph/anpr.h
// (trips, occasions, the chance distribution of an occasion's extent, the conditional score,
// Benjamini-Hochberg) on random graphs, and thread-count independence.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <iterator>
#include <map>
#include <set>

#include "anpr_fixture.h"

namespace polegraph::testing {
namespace {
// -log10 P(Poisson(e) >= o), summing the pmf directly in long double.
double Surprise(std::int64_t o, double e) {
  long double tail = 0, pmf = std::exp(-static_cast<long double>(e));
  for (std::int64_t k = 0; k < o + 400; ++k) {
    if (k >= o) tail += pmf;
    pmf *= static_cast<long double>(e) / static_cast<long double>(k + 1);
  }
  if (tail >= 1) return 0;
  return static_cast<double>(-std::log10(tail));
}

struct BrutePair {
  std::map<NodeId, double> sites;  // co-sightings per site
  std::int64_t co = 0;
  std::set<std::pair<std::int64_t, EdgeId>> reads;
  std::vector<std::array<EdgeId, 3>> sightings;  // (edge of a's read, edge of b's read, site)
};

// O(R^2) convoy pairs straight from the definitions in polegraph/anpr.h.
// Sets `threshold` to the score a pair needs.
std::map<std::pair<NodeId, NodeId>, ConvoyPair> BruteConvoys(const Graph& g, const ConvoyOptions& o,
                                                             const Clearance& clearance,
                                                             double& threshold) {
  const std::vector<bool> vis = g.VisibleLabels(clearance);
  std::vector<AnprRead> reads;
  for (EdgeId e = 0; e < g.num_edges(); ++e) {
    if (g.edge_kind()[e] != EdgeKind::kSeenAt) continue;
    const NodeId p = g.edge_source(e), s = g.edge_target(e);
    if (!vis[g.edge_label()[e]] || !vis[g.node_label(p)] || !vis[g.node_label(s)]) continue;
    reads.push_back({e, p, s, g.edge_time()[e], g.edge_record()[e]});
  }
  const std::int64_t w = absl::ToInt64Seconds(o.window);
  const std::int64_t gap = absl::ToInt64Seconds(o.occasion_gap);
  std::map<NodeId, double> site_n;
  std::map<NodeId, std::pair<std::int64_t, std::int64_t>> span;  // first, last read
  std::map<std::pair<NodeId, NodeId>, double> n, k;              // (plate, site)
  // Trips: a plate's reads by (time, edge), a new trip after each gap > occasion_gap.
  std::map<NodeId, std::vector<std::pair<std::int64_t, EdgeId>>> by_plate;
  for (const AnprRead& x : reads) by_plate[x.plate].push_back({x.time, x.edge});
  std::map<EdgeId, int> trip;
  for (auto& [plate, list] : by_plate) {
    std::sort(list.begin(), list.end());
    int t = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0 && list[i].first - list[i - 1].first > gap) ++t;
      trip[list[i].second] = t;
    }
  }
  for (const AnprRead& x : reads) {
    site_n[x.site] += 1;
    auto it = span.try_emplace(x.site, x.time, x.time).first;
    it->second.first = std::min(it->second.first, x.time);
    it->second.second = std::max(it->second.second, x.time);
    n[{x.plate, x.site}] += 1;
    for (const AnprRead& y : reads) {
      if (y.edge != x.edge && y.site == x.site && std::llabs(y.time - x.time) <= w) {
        k[{x.plate, x.site}] += 1;
      }
    }
  }
  std::map<std::pair<NodeId, NodeId>, BrutePair> pairs;
  for (std::size_t i = 0; i < reads.size(); ++i) {
    for (std::size_t j = i + 1; j < reads.size(); ++j) {
      const AnprRead &x = reads[i], &y = reads[j];
      if (x.site != y.site || x.plate == y.plate || std::llabs(x.time - y.time) > w) continue;
      const bool x_first = x.plate < y.plate;
      BrutePair& bp = pairs[{std::min(x.plate, y.plate), std::max(x.plate, y.plate)}];
      bp.sites[x.site] += 1;
      ++bp.co;
      bp.reads.insert({x.time, x.edge});
      bp.reads.insert({y.time, y.edge});
      bp.sightings.push_back({x_first ? x.edge : y.edge, x_first ? y.edge : x.edge, x.site});
    }
  }
  // Plates that can be in a convoy and the candidate pairs tested.
  std::map<NodeId, std::set<NodeId>> plate_sites;
  std::map<NodeId, int> plate_reads;
  for (const AnprRead& x : reads) {
    plate_sites[x.plate].insert(x.site);
    ++plate_reads[x.plate];
  }
  auto eligible = [&](NodeId p) {
    return static_cast<int>(plate_sites[p].size()) >= o.min_sites &&
           plate_reads[p] >= o.min_occasions;
  };
  // Occasions of a pair: co-sightings joined (transitively) when they share a's trip or b's
  // trip; the distinct sites of each.
  auto occasion_sites = [&](const BrutePair& bp) {
    const std::size_t c = bp.sightings.size();
    std::vector<std::size_t> label(c);
    for (std::size_t i = 0; i < c; ++i) label[i] = i;
    for (bool changed = true; changed;) {  // relabel to the smallest linked label until stable
      changed = false;
      for (std::size_t i = 0; i < c; ++i) {
        for (std::size_t j = 0; j < c; ++j) {
          const bool linked = trip[bp.sightings[i][0]] == trip[bp.sightings[j][0]] ||
                              trip[bp.sightings[i][1]] == trip[bp.sightings[j][1]];
          if (linked && label[j] < label[i]) {
            label[i] = label[j];
            changed = true;
          }
        }
      }
    }
    std::map<std::size_t, std::set<EdgeId>> sites;
    for (std::size_t i = 0; i < c; ++i) sites[label[i]].insert(bp.sightings[i][2]);
    std::vector<int> out;
    for (const auto& [l, s] : sites) out.push_back(static_cast<int>(s.size()));
    return out;
  };
  double tested = 0, all_occasions = 0, all_co = 0;
  std::map<int, double> occasions_at;  // distinct sites -> occasions
  for (const auto& [ab, bp] : pairs) {
    if (!eligible(ab.first) || !eligible(ab.second)) continue;
    tested += 1;
    all_co += static_cast<double>(bp.co);
    for (int s : occasion_sites(bp)) {
      occasions_at[s] += 1;
      all_occasions += 1;
    }
  }
  auto tail = [&](int sites) {
    double at_least = 0;
    for (const auto& [s, count] : occasions_at) at_least += s >= sites ? count : 0;
    return at_least / all_occasions;
  };
  std::map<std::pair<NodeId, NodeId>, ConvoyPair> out;
  std::vector<double> scores;
  for (const auto& [ab, bp] : pairs) {
    if (!eligible(ab.first) || !eligible(ab.second)) continue;
    ConvoyPair p;
    p.a = ab.first;
    p.b = ab.second;
    p.sites = static_cast<int>(bp.sites.size());
    p.co_sightings = bp.co;
    const std::vector<int> occ = occasion_sites(bp);
    p.occasions = static_cast<int>(occ.size());
    for (const auto& [key, na] : n) {
      if (key.first != p.a || !n.count({p.b, key.second})) continue;
      const NodeId s = key.second;
      const double c = bp.sites.count(s) ? bp.sites.at(s) : 0;
      const double t_s = std::max<double>(span[s].second - span[s].first, 2.0 * w);
      p.expected += ((k[{p.a, s}] - c) * n[{p.b, s}] + (k[{p.b, s}] - c) * na) / (2 * site_n[s]) +
                    na * n[{p.b, s}] * 2.0 * w / t_s;
    }
    const double met = p.expected * all_occasions / all_co;
    double product = 1;
    for (int s : occ) product *= tail(s);
    p.expected_occasions = met * std::pow(product, 1.0 / static_cast<double>(occ.size()));
    p.score = std::max(0.0, Surprise(p.occasions, p.expected_occasions) +
                                std::log10(1 - std::exp(-met)));
    if (p.sites < o.min_sites || p.occasions < o.min_occasions) continue;
    scores.push_back(p.score);
    for (const auto& [t, e] : bp.reads) {
      p.reads.push_back({e, g.edge_source(e), g.edge_target(e), t, g.edge_record()[e]});
    }
    out[ab] = p;
  }
  // Benjamini-Hochberg: p = 10^-score ascending; the largest k with p_k <= k q / tested.
  threshold = o.min_score;
  if (o.correct_for_multiple_tests && tested > 0) {
    std::vector<double> p_values;
    for (double s : scores) p_values.push_back(std::pow(10.0, -s));
    std::sort(p_values.begin(), p_values.end());
    double cut = o.false_discovery_rate / tested;
    for (std::size_t i = 0; i < p_values.size(); ++i) {
      const double bar = static_cast<double>(i + 1) * o.false_discovery_rate / tested;
      if (p_values[i] <= bar * (1 + 1e-12)) cut = bar;
    }
    threshold = std::max(threshold, -std::log10(cut));
  }
  for (auto it = out.begin(); it != out.end();) {
    it = it->second.score < threshold - 1e-9 ? out.erase(it) : std::next(it);
  }
  return out;
}

// Returns the number of pairs found.
std::size_t CheckAgainstBrute(const Graph& g, const ConvoyOptions& o, const QueryContext& ctx) {
  auto fast = FindConvoys(g, o, ctx);
  REQUIRE(fast.ok());
  double threshold = 0;
  auto brute = BruteConvoys(g, o, ctx.clearance, threshold);
  CHECK(fast->score_threshold == Approx(threshold));
  REQUIRE(fast->pairs.size() == brute.size());
  for (std::size_t i = 0; i < fast->pairs.size(); ++i) {
    const ConvoyPair& f = fast->pairs[i];
    if (i > 0) REQUIRE(fast->pairs[i - 1].score >= f.score);
    auto it = brute.find({f.a, f.b});
    REQUIRE(it != brute.end());
    const ConvoyPair& b = it->second;
    CHECK(f.sites == b.sites);
    CHECK(f.occasions == b.occasions);
    CHECK(f.co_sightings == b.co_sightings);
    CHECK(f.expected == Approx(b.expected).epsilon(1e-9));
    CHECK(f.expected_occasions == Approx(b.expected_occasions).epsilon(1e-9));
    CHECK(f.score == Approx(b.score).epsilon(1e-6).margin(1e-6));
    CHECK(f.reads == b.reads);
  }
  // Groups partition the plates of the pairs.
  std::set<NodeId> in_pairs, in_groups;
  for (const auto& [ab, p] : brute) in_pairs.insert({ab.first, ab.second});
  for (const Convoy& c : fast->convoys) {
    for (NodeId v : c.plates) CHECK(in_groups.insert(v).second);
  }
  CHECK(in_pairs == in_groups);
  return brute.size();
}

bool SameResult(const ConvoyResult& x, const ConvoyResult& y) {
  if (x.pairs.size() != y.pairs.size() || x.convoys.size() != y.convoys.size()) return false;
  for (std::size_t i = 0; i < x.pairs.size(); ++i) {
    const ConvoyPair &p = x.pairs[i], &q = y.pairs[i];
    if (p.a != q.a || p.b != q.b || p.score != q.score || p.expected != q.expected ||
        p.reads != q.reads || p.occasions != q.occasions) {
      return false;
    }
  }
  for (std::size_t i = 0; i < x.convoys.size(); ++i) {
    const Convoy &c = x.convoys[i], &d = y.convoys[i];
    if (c.plates != d.plates || c.sites != d.sites || c.pairs != d.pairs || c.reads != d.reads ||
        c.score != d.score || c.occasions != d.occasions) {
      return false;
    }
  }
  return true;
}

TEST_CASE("convoys match the brute-force oracle on random graphs", "[anpr][convoys]") {
  std::size_t found = 0, loose = 0, official = 0;
  for (std::uint32_t seed : {1u, 2u, 3u, 4u}) {
    auto g = RandomAnprGraph(seed);
    REQUIRE(g != nullptr);
    found += CheckAgainstBrute(*g, {}, Ctx(2));
    loose += CheckAgainstBrute(*g,
                               {.window = absl::Seconds(600),
                                .min_sites = 2,
                                .min_occasions = 1,
                                .correct_for_multiple_tests = false},
                               Ctx(3));
    official += CheckAgainstBrute(*g, {.min_sites = 2}, OfficialCtx(2));  // SECRET hidden
  }
  // The comparisons are not vacuous: the planted groups and chance meetings give pairs.
  CHECK(found >= 4);
  CHECK(loose > found);
  CHECK(official >= 1);
}

TEST_CASE("convoys are identical at 1, 2 and 8 threads", "[anpr][convoys]") {
  auto g = RandomAnprGraph(7, 20, 120, 3000);
  const ConvoyOptions o{
      .window = absl::Seconds(300), .min_sites = 2, .correct_for_multiple_tests = false};
  auto one = FindConvoys(*g, o, Ctx(1));
  REQUIRE(one.ok());
  REQUIRE(!one->pairs.empty());
  for (int t : {2, 8}) {
    auto many = FindConvoys(*g, o, Ctx(t));
    REQUIRE(many.ok());
    CHECK(SameResult(*one, *many));
  }
}

}  // namespace
}  // namespace polegraph::testing
