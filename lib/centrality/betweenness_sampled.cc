// Approximate betweenness by sampling shortest paths: Riondato & Kornaropoulos, "Fast
// approximation of betweenness centrality through sampling", WSDM 2014 (Algorithm 1).
//
// Each sample draws an ordered pair (u, v), u != v, uniformly; a BFS from u (stopped once v is
// dequeued, when sigma(v) and its predecessors' counts are final) counts shortest paths, and
// one shortest u-v path is drawn uniformly by walking back from v, choosing predecessor p of
// w with probability sigma(p) / sigma(w). Every interior vertex of the path scores one hit.
// The estimate of the normalised betweenness b(x) = 1/(n(n-1)) sum_{u != v} sigma_uv(x)/sigma_uv
// is hits/r; it is reported on the exact scale (times n(n-1)/2, pairs unordered). With
//   r >= (c / eps^2) (floor(log2(VD - 2)) + 1 + ln(1/delta)),  c = 0.5,
// the estimates are within eps of b for every vertex at once with probability >= 1 - delta;
// VD, the vertex diameter, is bounded by 2 ecc + 1 from one BFS per connected component.
// Given r instead of eps, eps is solved from the same bound. Each sample's random stream is
// seeded from (seed, sample index) and hits are integer atomic adds, so the result does not
// depend on the thread count. Cost: O(r (n + m)) worst case, usually far less.
#include <atomic>
#include <cmath>
#include <cstdint>
#include <random>

#include "absl/strings/str_cat.h"
#include "parallel/parallel.h"
#include "polegraph/centrality.h"

namespace polegraph {
namespace {

constexpr double kC = 0.5;

std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// 2 * (max over components of the eccentricity of the component's smallest vertex) + 1.
std::uint32_t VertexDiameterBound(const WeightedGraph& g) {
  const NodeId n = g.num_nodes();
  std::vector<std::int32_t> dist(n, -1);
  std::vector<NodeId> queue;
  std::int32_t ecc = 0;
  for (NodeId s = 0; s < n; ++s) {
    if (dist[s] >= 0) continue;
    queue.assign(1, s);
    dist[s] = 0;
    for (std::size_t h = 0; h < queue.size(); ++h) {
      const NodeId v = queue[h];
      ecc = std::max(ecc, dist[v]);
      for (NodeId w : g.neighbours(v)) {
        if (dist[w] < 0) {
          dist[w] = dist[v] + 1;
          queue.push_back(w);
        }
      }
    }
  }
  return static_cast<std::uint32_t>(2 * ecc + 1);
}

double BoundTerm(std::uint32_t vd, double delta) {
  const double log_term = vd > 3 ? std::floor(std::log2(static_cast<double>(vd - 2))) : 0.0;
  return log_term + 1.0 + std::log(1.0 / delta);
}

struct Scratch {
  std::vector<std::int32_t> dist;
  std::vector<double> sigma;
  std::vector<NodeId> order;
};

}  // namespace

absl::StatusOr<SampledBetweenness> ApproximateBetweenness(const WeightedGraph& g,
                                                          const SampledBetweennessOptions& options,
                                                          const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (!(options.delta > 0.0 && options.delta < 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("sampled betweenness: delta must be in (0, 1), got ", options.delta));
  }
  if (options.samples == 0 && !(options.epsilon > 0.0 && options.epsilon < 1.0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sampled betweenness: give samples > 0 or epsilon in (0, 1), got ", options.epsilon));
  }
  const NodeId n = g.num_nodes();
  SampledBetweenness out;
  out.values.assign(n, 0.0);
  out.delta = options.delta;
  if (n < 3) return out;
  out.vertex_diameter_bound = VertexDiameterBound(g);
  const double term = BoundTerm(out.vertex_diameter_bound, options.delta);
  out.samples =
      options.samples > 0
          ? options.samples
          : static_cast<std::uint64_t>(std::ceil(kC / (options.epsilon * options.epsilon) * term));
  out.epsilon = std::sqrt(kC * term / static_cast<double>(out.samples));
  const double pairs = static_cast<double>(n) * static_cast<double>(n - 1) / 2.0;
  out.epsilon_absolute = out.epsilon * pairs;
  std::vector<std::uint64_t> hits(n, 0);
  internal::PerThread<Scratch> scratch(ctx.threads);
  constexpr std::uint64_t kRound = 4096;
  for (std::uint64_t r0 = 0; r0 < out.samples; r0 += kRound) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    const std::uint64_t count = std::min(kRound, out.samples - r0);
    internal::ParallelForDynamic(
        0, count, ctx.threads,
        [&](std::size_t i) {
          Scratch& b = scratch.local();
          if (b.dist.size() < n) {
            b.dist.assign(n, -1);
            b.sigma.assign(n, 0.0);
          }
          std::mt19937_64 rng(Mix(options.seed ^ Mix(r0 + i)));
          const NodeId u = static_cast<NodeId>(rng() % n);
          NodeId v = static_cast<NodeId>(rng() % (n - 1));
          if (v >= u) ++v;
          b.order.assign(1, u);
          b.dist[u] = 0;
          b.sigma[u] = 1.0;
          bool found = false;
          for (std::size_t h = 0; h < b.order.size() && !found; ++h) {
            const NodeId x = b.order[h];
            if (x == v) {
              found = true;
              break;
            }
            for (NodeId y : g.neighbours(x)) {
              if (b.dist[y] < 0) {
                b.dist[y] = b.dist[x] + 1;
                b.order.push_back(y);
              }
              if (b.dist[y] == b.dist[x] + 1) b.sigma[y] += b.sigma[x];
            }
          }
          if (found) {
            std::uniform_real_distribution<double> unit(0.0, 1.0);
            NodeId w = v;
            while (true) {
              const double pick = unit(rng) * b.sigma[w];
              double run = 0.0;
              NodeId chosen = kNoNode, last = kNoNode;
              for (NodeId p : g.neighbours(w)) {
                if (b.dist[p] < 0 || b.dist[p] != b.dist[w] - 1) continue;
                last = p;
                run += b.sigma[p];
                if (pick < run) {
                  chosen = p;
                  break;
                }
              }
              if (chosen == kNoNode) chosen = last;  // rounding at the top end
              if (chosen == u) break;
              std::atomic_ref<std::uint64_t>(hits[chosen]).fetch_add(1, std::memory_order_relaxed);
              w = chosen;
            }
          }
          for (NodeId x : b.order) {
            b.dist[x] = -1;
            b.sigma[x] = 0.0;
          }
        },
        /*grain=*/16);
  }
  const double scale = pairs / static_cast<double>(out.samples);
  for (NodeId x = 0; x < n; ++x) out.values[x] = static_cast<double>(hits[x]) * scale;
  return out;
}

}  // namespace polegraph
