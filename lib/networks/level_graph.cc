// Small shared pieces of the multilevel algorithms: the level graph of the input (referring to
// it, not a copy) and its renumbering (PermuteLevelGraph: a parallel copy with renamed targets,
// each vertex's arcs in their order, O(n + m); without the weights when they are all 1.0,
// session 8: LFR 10^6 Leiden -10 % CPU at 2 threads, same partitions; session 9, tail9: copied
// in the old ids' order, so the input is read front to back and only the writes and the
// renamed targets land at random, where reading in the new order chased old_of -> offsets ->
// arcs at random: LFR 10^6 257-267 -> 101-129 ms of process CPU at 2 threads, same arrays;
// and its fresh arrays' pages faulted in by all threads, internal/prefault.h), a seeded
// colouring, renumbering of labels by smallest member, and the split of disconnected
// communities. (Session 9: the copy's arcs in 4 KB pages instead of 2 MB ones, to spare the
// kernel's slow clearing of huge pages here: PermuteLevelGraph 75-83 -> 95-111 ms of process
// CPU on LFR 10^6 and the level-0 phases reading it no faster; dropped.)
//
// Colouring: in a given order, usually that of a seeded hash of the vertex ids (SeededOrder, a
// parallel sort of (hash, id) pairs); vertices without edges are left out (they never move).
// With a cap on the class size (the multilevel algorithms): the order is cut into blocks of
// `cap` vertices, and each block is coloured greedily (first colour free among its own earlier
// vertices), so the classes are the blocks of the visiting order, each split into a large
// colour 0 and a few small classes for the vertices that have a neighbour earlier in their
// block (see local_moving.cc for why blocks). The blocks are coloured in parallel, each on one
// thread, O(n + m) plus the sort of each class: deterministic at any thread count. (Session 6;
// before, one sequential greedy colouring in which a full colour was closed and later vertices
// took the first free colour still open: about the same blocks, but 5-6 % of Louvain's CPU on
// one thread, and its conflicting vertices landed in colours filled by later parts of the
// order. Modularity with the blocks was the same or higher on every bench graph: see
// bench/HISTORY.md, "Session 6: Leiden local moving".) Without a cap (label propagation):
// sequential greedy colouring, at most max degree + 1 colours, O(n + m + colours).
// SplitDisconnected: a concurrent union-find over the edges inside communities (the Afforest
// forest of internal/afforest.h, whose roots end as each part's smallest vertex at any thread
// count), O(m) work in practice.
#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <random>

#include "graph/prefetch.h"
#include "networks/internal/afforest.h"
#include "networks/internal/arc_prefetch.h"
#include "networks/internal/huge_pages.h"
#include "networks/internal/multilevel.h"
#include "networks/internal/prefault.h"
#include "parallel/parallel.h"

namespace polegraph::internal {

LevelGraph MakeLevelGraph(const WeightedGraph& g, int threads) {
  LevelGraph lg;
  lg.input = &g;
  const NodeId n = g.num_nodes();
  lg.loop.assign(n, 0.0);
  lg.strength.assign(n, 0.0);
  std::atomic<bool> other_weight{false};
  // Dynamic chunks: the arcs may be bunched in part of the id range (see PermuteLevelGraph).
  ParallelForDynamic(
      0, n, threads,
      [&](std::size_t v) {
        double s = 0.0;
        bool unit = true;
        for (double w : g.weights(static_cast<NodeId>(v))) {
          s += w;
          unit &= w == 1.0;
        }
        lg.strength[v] = s;
        if (!unit) other_weight.store(true, std::memory_order_relaxed);
      },
      /*grain=*/1024);
  for (double s : lg.strength) lg.two_m += s;
  lg.unit_weights = !other_weight.load();
  return lg;
}

LevelGraph PermuteLevelGraph(const LevelGraph& lg, std::span<const NodeId> perm, int threads) {
  const WeightedGraph& g = lg.g();
  const NodeId n = g.num_nodes();
  // Everything is copied in the old ids' order: the input is read front to back and only the
  // writes (and the renamed targets) land at random; the same arrays as reading in the new
  // order.
  LevelGraph out;
  out.two_m = lg.two_m;
  out.unit_weights = lg.unit_weights;
  out.loop.resize(n);
  out.strength.resize(n);
  std::vector<EdgeIndex> degree(n);
  ParallelFor(0, n, threads, [&](std::size_t v) {
    const NodeId i = perm[v];
    degree[i] = g.degree(static_cast<NodeId>(v));
    out.loop[i] = lg.loop[v];
    out.strength[i] = lg.strength[v];
  });
  PrefixSum(degree, out.owned.offsets, threads);
  // Read at random by the levels above: 2 MB pages, faulted in by all threads (prefault.h).
  ResizePrefaulted(out.owned.targets, g.num_arcs(), threads, /*huge=*/true);
  // Unit weights are not copied (see LevelGraph): 8 bytes per arc less to write here and to
  // read in refinement and aggregation.
  const bool copy_weights = !lg.unit_weights;
  if (copy_weights) ResizePrefaulted(out.owned.arc_weights, g.num_arcs(), threads, /*huge=*/true);
  // The arcs in dynamic chunks of vertices: a static half each gave the calling thread 68 % of
  // bench graph 9's arcs (its vertices without edges are bunched at high ids), and it copied
  // for about 100 ms after the other thread had finished (session 14).
  // Each vertex's new place is random: its new offset is fetched kPermuteAhead vertices ahead,
  // then (half as far ahead) the lines it will write and its neighbours' new ids. Session 17,
  // graph 9 at 2 threads, alternated in one process: 116-117 -> 94-102 ms; the same arrays.
  constexpr std::size_t kPermuteAhead = 16;
  constexpr std::size_t kPrefetchMaxDegree = 16;
  auto fetch_ahead = [&](std::size_t v) {
    if (v + kPermuteAhead < n) PrefetchLine(&out.owned.offsets[perm[v + kPermuteAhead]]);
    if (v + kPermuteAhead / 2 >= n) return;
    const auto later = static_cast<NodeId>(v + kPermuteAhead / 2);
    const EdgeIndex to = out.owned.offsets[perm[later]];
    PrefetchLineForWrite(out.owned.targets.data() + to);
    if (copy_weights) PrefetchLineForWrite(out.owned.arc_weights.data() + to);
    PrefetchAtNeighbours(g, later, perm.data(), kPrefetchMaxDegree);
  };
  ParallelForDynamic(
      0, n, threads,
      [&](std::size_t v) {
        fetch_ahead(v);
        auto adj = g.neighbours(static_cast<NodeId>(v));
        const EdgeIndex at = out.owned.offsets[perm[v]];
        for (std::size_t e = 0; e < adj.size(); ++e) out.owned.targets[at + e] = perm[adj[e]];
        if (copy_weights) {
          auto w = g.weights(static_cast<NodeId>(v));
          std::copy(w.begin(), w.end(), out.owned.arc_weights.data() + at);
        }
      },
      /*grain=*/1024);
  return out;
}

namespace {

// The vertices in runs of 2^run_bits consecutive ids (the last run may be shorter), the runs in
// the order of a seeded hash of their index (ties, which need a hash collision, by index).
std::vector<NodeId> RunOrder(NodeId n, std::uint64_t seed, int run_bits, int threads) {
  const std::size_t runs = (static_cast<std::size_t>(n) + (std::size_t{1} << run_bits) - 1) >>
                           run_bits;
  std::vector<std::pair<std::uint64_t, NodeId>> keyed(runs);
  ParallelFor(0, runs, threads, [&](std::size_t r) {
    keyed[r] = {Mix64(seed ^ Mix64(r)), static_cast<NodeId>(r)};
  });
  // (hash, run) pairs are distinct, so the order does not depend on the thread count.
  ParallelSort(keyed, threads, std::less<>());
  std::vector<NodeId> start(runs);  // where each run of the order begins
  NodeId at = 0;
  for (std::size_t k = 0; k < runs; ++k) {
    start[k] = at;
    const NodeId first = keyed[k].second << run_bits;
    at += std::min<NodeId>(NodeId{1} << run_bits, n - first);
  }
  std::vector<NodeId> order(n);
  ParallelFor(
      0, runs, threads,
      [&](std::size_t k) {
        const NodeId first = keyed[k].second << run_bits;
        const NodeId last = std::min<NodeId>(n, first + (NodeId{1} << run_bits));
        for (NodeId v = first; v < last; ++v) order[start[k] + (v - first)] = v;
      },
      /*grain=*/256);
  return order;
}

// Greedy colouring without a cap in the given order (label propagation's schedule).
std::vector<std::vector<NodeId>> GreedyClasses(const WeightedGraph& g,
                                               std::span<const NodeId> order) {
  const NodeId n = g.num_nodes();
  constexpr NodeId kNone = ~NodeId{0};
  std::vector<NodeId> colour(n, kNone);
  std::vector<NodeId> stamp;  // stamp[c] == v + 1: colour c is taken by a neighbour of v
  std::vector<NodeId> size;   // vertices per colour
  NodeId colours = 0;
  for (NodeId v : order) {
    if (g.degree(v) == 0) continue;  // never moves: in no class
    for (NodeId u : g.neighbours(v)) {
      if (colour[u] != kNone) stamp[colour[u]] = v + 1;
    }
    NodeId c = 0;
    while (c < colours && stamp[c] == v + 1) ++c;
    if (c == colours) {
      ++colours;
      stamp.push_back(0);
      size.push_back(0);
    }
    colour[v] = c;
    ++size[c];
  }
  std::vector<std::vector<NodeId>> classes(colours);
  for (NodeId c = 0; c < colours; ++c) classes[c].reserve(size[c]);
  for (NodeId v = 0; v < n; ++v) {
    if (colour[v] != kNone) classes[colour[v]].push_back(v);
  }
  return classes;
}

}  // namespace

std::vector<NodeId> SeededOrder(NodeId n, std::uint64_t seed, int threads) {
  return RunOrder(n, seed, kSeededRunBits, threads);
}

std::vector<std::vector<NodeId>> ColourClasses(const WeightedGraph& g,
                                               std::span<const NodeId> order,
                                               NodeId max_class_size, int threads) {
  if (max_class_size == 0) return GreedyClasses(g, order);
  const NodeId n = g.num_nodes();
  constexpr NodeId kNone = ~NodeId{0};
  const NodeId cap = max_class_size;
  // ranked[r]: the vertex of position r in `order` among the vertices with edges; block b
  // holds the positions b * cap .. (b + 1) * cap - 1.
  std::vector<NodeId> has_edges(n);
  ParallelFor(0, n, threads, [&](std::size_t i) { has_edges[i] = g.degree(order[i]) > 0; });
  std::vector<NodeId> first;  // rank of order[i] if it has edges
  const NodeId ranked_count = PrefixSum(has_edges, first, threads);
  std::vector<NodeId> ranked(ranked_count);
  ParallelFor(0, n, threads, [&](std::size_t i) {
    if (has_edges[i]) ranked[first[i]] = order[i];
  });
  const std::size_t blocks = (static_cast<std::size_t>(ranked_count) + cap - 1) / cap;
  // Each block coloured on its own, greedily in rank order: a vertex takes the first colour
  // that no earlier neighbour of its block has. Its classes are sorted into ascending ids.
  std::vector<std::vector<std::vector<NodeId>>> block_classes(blocks);
  std::vector<NodeId> colour(n, kNone);
  struct Scratch {
    // Bit v set while v is a coloured vertex of the block in hand: a neighbour's test reads
    // n / 8 bytes (cache-resident) instead of rank and colour (8 n bytes, spread out).
    std::vector<std::uint64_t> coloured;
    std::vector<NodeId> stamp;  // stamp[c] == r + 1: colour c is taken by a neighbour of rank r
    std::vector<NodeId> size;
  };
  PerThread<Scratch> scratch(threads);
  ParallelForDynamic(
      0, blocks, threads,
      [&](std::size_t b) {
        Scratch& s = scratch.local();
        if (s.coloured.empty()) s.coloured.assign(n / 64 + 1, 0);
        const NodeId lo = static_cast<NodeId>(b * cap);
        const NodeId hi = static_cast<NodeId>(std::min<std::size_t>(ranked_count, (b + 1) * cap));
        s.size.clear();
        for (NodeId r = lo; r < hi; ++r) {
          // The block's vertices are spread over the graph: fetch the offsets and first arcs
          // of those a few ranks ahead (the hardware prefetcher cannot foresee them).
          if (r + 16 < hi) __builtin_prefetch(&g.offsets[ranked[r + 16]]);
          if (r + 8 < hi) {
            const NodeId* arcs = g.targets.data() + g.offsets[ranked[r + 8]];
            __builtin_prefetch(arcs);
            __builtin_prefetch(arcs + 16);
          }
          const NodeId v = ranked[r];
          for (NodeId u : g.neighbours(v)) {
            if (s.coloured[u >> 6] >> (u & 63) & 1) s.stamp[colour[u]] = r + 1;
          }
          NodeId c = 0;
          while (c < s.size.size() && s.stamp[c] == r + 1) ++c;
          if (c == s.size.size()) {
            s.size.push_back(0);
            if (s.stamp.size() < s.size.size()) s.stamp.push_back(0);
          }
          colour[v] = c;
          ++s.size[c];
          s.coloured[v >> 6] |= std::uint64_t{1} << (v & 63);
        }
        for (NodeId r = lo; r < hi; ++r) s.coloured[ranked[r] >> 6] = 0;
        auto& out = block_classes[b];
        out.resize(s.size.size());
        for (std::size_t c = 0; c < out.size(); ++c) out[c].reserve(s.size[c]);
        for (NodeId r = lo; r < hi; ++r) out[colour[ranked[r]]].push_back(ranked[r]);
        for (auto& cls : out) std::sort(cls.begin(), cls.end());
      },
      /*grain=*/1);
  std::vector<std::vector<NodeId>> classes;
  for (auto& bc : block_classes) {
    for (auto& cls : bc) classes.push_back(std::move(cls));
  }
  return classes;
}

std::vector<std::vector<NodeId>> ColourClasses(const WeightedGraph& g, std::uint64_t seed) {
  return GreedyClasses(g, RunOrder(g.num_nodes(), seed, /*run_bits=*/0, 1));
}

std::uint32_t Renumber(std::vector<NodeId>& labels) {
  std::vector<NodeId> old_to_new;
  return RenumberMap(labels, old_to_new);
}

std::uint32_t SplitDisconnected(const WeightedGraph& g, std::vector<NodeId>& comm, int threads) {
  // Afforest's sampling, per community (session 8, leiden8): every vertex first links its first
  // two arcs inside its community; then in each community the root most frequent among a
  // seeded sample (its probable largest part) is taken as settled, and only the vertices
  // outside it link their other arcs inside the community. An arc between a settled vertex and
  // another one is linked from the other's side (arcs are symmetric), and two settled vertices
  // already share a root, so the parts are exact whichever root is settled: each part's
  // smallest vertex ends as its root at any thread count, as before. On Kronecker 20 the few
  // large communities hold most arcs, which are then not read (it had linked every arc).
  const NodeId n = g.num_nodes();
  constexpr std::size_t kFirstArcs = 2;
  AfforestForest forest(n, threads);
  for (std::size_t r = 0; r < kFirstArcs; ++r) {
    ParallelFor(0, n, threads, [&](std::size_t i) {
      const NodeId u = static_cast<NodeId>(i);
      auto adj = g.neighbours(u);
      if (r < adj.size() && comm[adj[r]] == comm[u]) forest.Link(u, adj[r]);
    });
    forest.Compress(threads);
  }
  // The settled root of each sampled community: most frequent in the sample, smallest on a tie.
  std::map<NodeId, std::map<NodeId, int>> sampled;  // community -> root -> count
  if (n > 0) {
    std::mt19937 rng(27491095);
    std::uniform_int_distribution<NodeId> pick(0, n - 1);
    for (int i = 0; i < 1024; ++i) {
      const NodeId v = pick(rng);
      if (g.degree(v) > 0) ++sampled[comm[v]][forest.Get(v)];
    }
  }
  std::vector<std::pair<NodeId, NodeId>> settled;  // (community, root), ascending community
  for (const auto& [c, roots] : sampled) {
    settled.emplace_back(
        c, std::max_element(roots.begin(), roots.end(), [](const auto& x, const auto& y) {
             return x.second < y.second;
           })->first);
  }
  auto settled_root = [&](NodeId c) {
    auto it = std::lower_bound(settled.begin(), settled.end(), std::pair<NodeId, NodeId>(c, 0));
    return it != settled.end() && it->first == c ? it->second : kNoVertex;
  };
  ParallelForDynamic(
      0, n, threads,
      [&](std::size_t i) {
        const NodeId u = static_cast<NodeId>(i);
        auto adj = g.neighbours(u);
        if (adj.size() <= kFirstArcs) return;
        const NodeId c = comm[u];
        if (forest.Get(u) == settled_root(c)) return;
        for (std::size_t e = kFirstArcs; e < adj.size(); ++e) {
          if (comm[adj[e]] == c) forest.Link(u, adj[e]);
        }
      },
      /*grain=*/256);
  forest.Compress(threads);
  comm = std::move(forest.comp());
  return Renumber(comm);
}

}  // namespace polegraph::internal
