// Approximate betweenness by sampling shortest paths: Riondato & Kornaropoulos, "Fast
// approximation of betweenness centrality through sampling", WSDM 2014 (Algorithm 1).
//
// Each sample draws an ordered pair (u, v), u != v, uniformly, and one shortest u-v path
// uniformly: a balanced bidirectional BFS (as in Borassi & Natale, "KADABRA is an ADaptive
// Algorithm for Betweenness via Random Approximation", ESA 2016) counts shortest paths from
// both ends until the searches meet, a meeting vertex is drawn in proportion to the paths
// through it, and each half is walked back choosing predecessor p of w with probability
// sigma(p) / sigma(w). Every interior vertex of the path scores one hit.
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

// One side of a bidirectional BFS: distances, path counts, the vertices reached (for reset)
// and the current frontier (the last complete layer).
struct Side {
  std::vector<std::int32_t> dist;
  std::vector<double> sigma;
  std::vector<NodeId> reached, frontier, next;
  std::int32_t depth = 0;
  std::uint64_t frontier_degree = 0;

  void Start(const WeightedGraph& g, NodeId s) {
    if (dist.size() < g.num_nodes()) {
      dist.assign(g.num_nodes(), -1);
      sigma.assign(g.num_nodes(), 0.0);
    }
    dist[s] = 0;
    sigma[s] = 1.0;
    reached.assign(1, s);
    frontier.assign(1, s);
    depth = 0;
    frontier_degree = g.degree(s);
  }
  // Expands the next layer; returns false when it is empty.
  bool Expand(const WeightedGraph& g) {
    next.clear();
    for (NodeId x : frontier) {
      for (NodeId y : g.neighbours(x)) {
        if (dist[y] < 0) {
          dist[y] = depth + 1;
          next.push_back(y);
          reached.push_back(y);
        }
        if (dist[y] == depth + 1) sigma[y] += sigma[x];
      }
    }
    frontier.swap(next);
    ++depth;
    frontier_degree = 0;
    for (NodeId x : frontier) frontier_degree += g.degree(x);
    return !frontier.empty();
  }
  // Walks from w towards this side's source, choosing each predecessor p with probability
  // sigma(p) / sigma(current); calls hit(p) for every vertex before the source.
  template <typename Rng, typename Hit>
  void WalkBack(const WeightedGraph& g, NodeId w, Rng& rng, Hit&& hit) const {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    while (dist[w] > 0) {
      const double pick = unit(rng) * sigma[w];
      double run = 0.0;
      NodeId chosen = kNoNode;
      for (NodeId p : g.neighbours(w)) {
        if (dist[p] < 0 || dist[p] != dist[w] - 1) continue;
        chosen = p;  // the last candidate absorbs rounding at the top end
        run += sigma[p];
        if (pick < run) break;
      }
      w = chosen;
      if (dist[w] > 0) hit(w);
    }
  }
  void Reset() {
    for (NodeId x : reached) {
      dist[x] = -1;
      sigma[x] = 0.0;
    }
  }
};

struct Scratch {
  Side forward, backward;
  std::vector<NodeId> meet;
};

// Draws one shortest u-v path uniformly (none when v is unreachable) and calls hit(x) for its
// interior vertices. Balanced bidirectional BFS: the side whose frontier has the smaller total
// degree expands a whole layer; when the new layer touches vertices the other side reached,
// every shortest path crosses that layer exactly once, at a vertex x with
// dist_u(x) + dist_v(x) = D minimal, so sigma_uv = sum of sigma_u(x) sigma_v(x) over those x.
// x is drawn with that weight, then each half is walked back to its source.
template <typename Rng, typename Hit>
void SamplePath(const WeightedGraph& g, NodeId u, NodeId v, Scratch& s, Rng& rng, Hit&& hit) {
  s.forward.Start(g, u);
  s.backward.Start(g, v);
  while (true) {
    Side& grow = s.forward.frontier_degree <= s.backward.frontier_degree ? s.forward : s.backward;
    Side& other = &grow == &s.forward ? s.backward : s.forward;
    if (!grow.Expand(g)) break;
    std::int32_t best = -1;
    s.meet.clear();
    for (NodeId x : grow.frontier) {
      if (other.dist[x] < 0) continue;
      const std::int32_t d = grow.dist[x] + other.dist[x];
      if (best < 0 || d < best) {
        best = d;
        s.meet.clear();
      }
      if (d == best) s.meet.push_back(x);
    }
    if (s.meet.empty()) continue;
    double total = 0.0;
    for (NodeId x : s.meet) total += s.forward.sigma[x] * s.backward.sigma[x];
    const double pick = std::uniform_real_distribution<double>(0.0, 1.0)(rng) * total;
    double run = 0.0;
    NodeId x = s.meet.back();
    for (NodeId y : s.meet) {
      run += s.forward.sigma[y] * s.backward.sigma[y];
      if (pick < run) {
        x = y;
        break;
      }
    }
    if (x != u && x != v) hit(x);
    s.forward.WalkBack(g, x, rng, hit);
    s.backward.WalkBack(g, x, rng, hit);
    break;
  }
  s.forward.Reset();
  s.backward.Reset();
}

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
  if (absl::Status s = g.Validate(ctx.threads); !s.ok()) return s;
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
          std::mt19937_64 rng(Mix(options.seed ^ Mix(r0 + i)));
          const NodeId u = static_cast<NodeId>(rng() % n);
          NodeId v = static_cast<NodeId>(rng() % (n - 1));
          if (v >= u) ++v;
          SamplePath(g, u, v, scratch.local(), rng, [&](NodeId x) {
            std::atomic_ref<std::uint64_t>(hits[x]).fetch_add(1, std::memory_order_relaxed);
          });
        },
        /*grain=*/16);
  }
  const double scale = pairs / static_cast<double>(out.samples);
  for (NodeId x = 0; x < n; ++x) out.values[x] = static_cast<double>(hits[x]) * scale;
  return out;
}

}  // namespace polegraph
