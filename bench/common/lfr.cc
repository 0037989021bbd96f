// LFR benchmark generator; see lfr.h for the construction and its simplifications.
#include "lfr.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

namespace polegraph::bench {
namespace {

// Mean of the continuous power law p(x) ~ x^-t on [a, b] (t != 1, 2).
double PowerLawMean(double t, double a, double b) {
  return (t - 1.0) / (t - 2.0) * (std::pow(a, 2.0 - t) - std::pow(b, 2.0 - t)) /
         (std::pow(a, 1.0 - t) - std::pow(b, 1.0 - t));
}

double SamplePowerLaw(double t, double a, double b, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double u = unit(rng);
  const double lo = std::pow(a, 1.0 - t), hi = std::pow(b, 1.0 - t);
  return std::pow(lo + u * (hi - lo), 1.0 / (1.0 - t));
}

}  // namespace

LfrGraph Lfr(const LfrOptions& o) {
  std::mt19937_64 rng(o.seed);
  LfrGraph g;
  g.n = o.n;
  const NodeId n = o.n;
  // Degrees: solve the lower end so the mean is avg_degree.
  double lo = 1.0, hi = o.avg_degree;
  for (int i = 0; i < 60; ++i) {
    const double mid = (lo + hi) / 2;
    (PowerLawMean(o.tau1, mid, o.max_degree) < o.avg_degree ? lo : hi) = mid;
  }
  std::vector<std::uint32_t> degree(n);
  for (NodeId v = 0; v < n; ++v) {
    degree[v] =
        static_cast<std::uint32_t>(std::lround(SamplePowerLaw(o.tau1, lo, o.max_degree, rng)));
  }
  // Community sizes summing to n.
  std::vector<std::uint32_t> size;
  std::uint64_t total = 0;
  while (total < n) {
    auto s = static_cast<std::uint32_t>(
        std::lround(SamplePowerLaw(o.tau2, o.min_community, o.max_community, rng)));
    s = std::min<std::uint32_t>(s, static_cast<std::uint32_t>(n - total));
    size.push_back(s);
    total += s;
  }
  if (size.size() > 1 && size.back() < o.min_community) {
    size[size.size() - 2] += size.back();
    size.pop_back();
  }
  // Internal degrees and placement, largest internal degree first.
  std::vector<std::uint32_t> internal(n);
  for (NodeId v = 0; v < n; ++v) {
    internal[v] = static_cast<std::uint32_t>(std::lround((1.0 - o.mu) * degree[v]));
  }
  std::vector<NodeId> order(n);
  for (NodeId v = 0; v < n; ++v) order[v] = v;
  std::stable_sort(order.begin(), order.end(),
                   [&](NodeId a, NodeId b) { return internal[a] > internal[b]; });
  std::vector<std::uint32_t> room(size);
  g.community.assign(n, 0);
  std::vector<std::uint32_t> fits;
  for (NodeId v : order) {
    fits.clear();
    std::uint32_t largest = 0;
    bool any = false;
    for (std::uint32_t c = 0; c < size.size(); ++c) {
      if (room[c] == 0) continue;
      if (size[c] > internal[v]) fits.push_back(c);
      if (!any || size[c] > size[largest]) largest = c;
      any = true;
    }
    std::uint32_t c = largest;
    if (!fits.empty())
      c = fits[std::uniform_int_distribution<std::size_t>(0, fits.size() - 1)(rng)];
    internal[v] = std::min(internal[v], size[c] - 1);
    g.community[v] = c;
    --room[c];
  }
  // Stubs: internal per community, external across all.
  std::vector<std::vector<NodeId>> in_stubs(size.size());
  std::vector<NodeId> out_stubs;
  for (NodeId v = 0; v < n; ++v) {
    for (std::uint32_t i = 0; i < internal[v]; ++i) in_stubs[g.community[v]].push_back(v);
    for (std::uint32_t i = internal[v]; i < degree[v]; ++i) out_stubs.push_back(v);
  }
  std::vector<std::pair<NodeId, NodeId>> pairs;
  auto pair_up = [&](std::vector<NodeId>& stubs, bool external) {
    std::shuffle(stubs.begin(), stubs.end(), rng);
    for (std::size_t i = 0; i + 1 < stubs.size(); i += 2) {
      NodeId a = stubs[i], b = stubs[i + 1];
      if (a == b) continue;
      if (external && g.community[a] == g.community[b]) continue;
      pairs.push_back({std::min(a, b), std::max(a, b)});
    }
  };
  for (auto& s : in_stubs) pair_up(s, false);
  pair_up(out_stubs, true);
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::size_t between = 0;
  for (const auto& [a, b] : pairs) {
    g.edges.push_back({a, b, 1.0});
    if (g.community[a] != g.community[b]) ++between;
  }
  g.mixing = pairs.empty() ? 0.0 : static_cast<double>(between) / static_cast<double>(pairs.size());
  return g;
}

}  // namespace polegraph::bench
