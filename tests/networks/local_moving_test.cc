// Pieces of local moving's memory layout (lib/networks/local_moving.cc, level_graph.cc,
// internal/huge_pages.h): the seeded order in runs of consecutive ids, the unit-weight path
// (checked against the path that reads the weights: sums of 1.0 are exact, so the partitions
// must be identical), the 2 MB-page arrays (zero-filled, both allocation paths), and the
// schedule (classes handed to the team by their arcs; pruning by moved weight and margin)
// checked against modularity and move gains computed from the definition, the first sweep
// evaluated ahead checked against the class-by-class path, and one sweep with a class per
// vertex checked against a sequential sweep computed here (all three ways of summing per
// community).
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <numeric>
#include <random>
#include <vector>

#include "networks/internal/huge_pages.h"
#include "networks/internal/multilevel.h"
#include "networks/internal/sweep_ahead.h"
#include "networks_test_util.h"

namespace polegraph {
namespace {

TEST_CASE("Seeded order is a permutation in runs of consecutive ids", "[networks][order]") {
  constexpr NodeId kRun = NodeId{1} << internal::kSeededRunBits;
  for (NodeId n : {NodeId{0}, NodeId{1}, kRun - 1, kRun, 5 * kRun + 17, NodeId{100000}}) {
    INFO("n = " << n);
    const std::vector<NodeId> order = internal::SeededOrder(n, 5, 2);
    for (int threads : {1, 8}) CHECK(internal::SeededOrder(n, 5, threads) == order);
    std::vector<NodeId> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    std::vector<NodeId> ids(n);
    std::iota(ids.begin(), ids.end(), NodeId{0});
    CHECK(sorted == ids);
    // Cut at every run start (an id divisible by the run length): each piece is one whole run
    // in ascending ids.
    std::size_t runs = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (order[i] % kRun == 0) {
        ++runs;
        const NodeId len = std::min(kRun, n - order[i]);
        REQUIRE(i + len <= order.size());
        for (NodeId j = 1; j < len; ++j) CHECK(order[i + j] == order[i] + j);
      } else {
        CHECK(i > 0);
        if (i > 0) CHECK(order[i] == order[i - 1] + 1);
      }
    }
    CHECK(runs == (n + kRun - 1) / kRun);
    if (n >= 4 * kRun) CHECK(order != ids);  // shuffled
  }
}

TEST_CASE("Level graph detects unit weights", "[networks][local_moving]") {
  const WeightedGraph unit = testing::MakeGraph(4, {{0, 1, 1.0}, {1, 2, 1.0}, {2, 3, 1.0}});
  const WeightedGraph other = testing::MakeGraph(4, {{0, 1, 1.0}, {1, 2, 2.0}, {2, 3, 1.0}});
  CHECK(internal::MakeLevelGraph(unit, 2).unit_weights);
  CHECK(!internal::MakeLevelGraph(other, 2).unit_weights);
  std::vector<NodeId> perm = {3, 2, 1, 0};
  CHECK(internal::PermuteLevelGraph(internal::MakeLevelGraph(unit, 2), perm, 2).unit_weights);
}

TEST_CASE("Local moving gives the same partition with and without the unit-weight path",
          "[networks][local_moving]") {
  const testing::Planted p = testing::PlantedPartition(40, 50, 0.3, 0.01, 9);
  const internal::LevelGraph unit = internal::MakeLevelGraph(p.graph, 2);
  REQUIRE(unit.unit_weights);
  internal::LevelGraph read = internal::MakeLevelGraph(p.graph, 2);
  read.unit_weights = false;  // forces the path that reads every weight
  const NodeId n = p.graph.num_nodes();
  const auto classes = internal::ColourClasses(p.graph, internal::SeededOrder(n, 3, 2),
                                               internal::ClassCap(n) / 8, 2);
  for (int threads : {1, 2, 8}) {
    QueryContext ctx;
    ctx.threads = threads;
    std::vector<NodeId> a(n), b(n);
    std::iota(a.begin(), a.end(), NodeId{0});
    std::iota(b.begin(), b.end(), NodeId{0});
    const absl::StatusOr<std::uint64_t> moved_a =
        internal::LocalMoving(unit, classes, 1.0, 64, a, ctx);
    const absl::StatusOr<std::uint64_t> moved_b =
        internal::LocalMoving(read, classes, 1.0, 64, b, ctx);
    REQUIRE(moved_a.ok());
    REQUIRE(moved_b.ok());
    CHECK(*moved_a == *moved_b);
    CHECK(*moved_a > 0);
    CHECK(a == b);
  }
}

// Vertices of `comm` that could raise modularity by moving to a neighbouring community, counted
// from the definition (k_{v,c} and tot_c summed here, not by the library): the gain of moving v
// from A to c is k_{v,c} - k_{v,A\v} - gamma k_v (tot_c - tot_{A\v}) / 2m.
std::size_t ImprovableVertices(const WeightedGraph& g, const std::vector<NodeId>& comm,
                               double gamma) {
  const NodeId n = g.num_nodes();
  std::vector<double> k(n, 0.0), tot(n, 0.0);
  double two_m = 0.0;
  for (NodeId v = 0; v < n; ++v) {
    for (double w : g.weights(v)) k[v] += w;
    tot[comm[v]] += k[v];
    two_m += k[v];
  }
  std::size_t improvable = 0;
  for (NodeId v = 0; v < n; ++v) {
    std::map<NodeId, double> to;
    for (std::size_t e = 0; e < g.degree(v); ++e) to[comm[g.neighbours(v)[e]]] += g.weights(v)[e];
    const NodeId own = comm[v];
    const double stay = to[own] - gamma * k[v] * (tot[own] - k[v]) / two_m;
    bool better = false;
    for (const auto& [c, w] : to) {
      if (c != own) better |= w - gamma * k[v] * tot[c] / two_m > stay + 1e-9 * k[v];
    }
    improvable += better;
  }
  return improvable;
}

// Modularity from its per-community form, sum over c of in_c / 2m - gamma (tot_c / 2m)^2, with
// in_c and tot_c summed here over the arcs (O(n + m); BruteModularity is O(n^2)).
double CommunityModularity(const WeightedGraph& g, const std::vector<NodeId>& comm, double gamma) {
  const NodeId n = g.num_nodes();
  std::vector<double> in(n, 0.0), tot(n, 0.0);
  double two_m = 0.0;
  for (NodeId v = 0; v < n; ++v) {
    for (std::size_t e = 0; e < g.degree(v); ++e) {
      const double w = g.weights(v)[e];
      two_m += w;
      tot[comm[v]] += w;
      if (comm[g.neighbours(v)[e]] == comm[v]) in[comm[v]] += w;
    }
  }
  double q = 0.0;
  for (NodeId c = 0; c < n; ++c) q += in[c] / two_m - gamma * (tot[c] / two_m) * (tot[c] / two_m);
  return q;
}

// Local moving from `start` at 1, 2 and 8 threads: checks that the partition and the move
// count do not depend on the thread count; returns the partition (and the count in `moves`).
std::vector<NodeId> SameAtThreads(const internal::LevelGraph& lg,
                                  const std::vector<std::vector<NodeId>>& classes, int sweeps,
                                  const std::vector<NodeId>& start, std::uint64_t& moves) {
  std::vector<NodeId> first;
  for (int threads : {1, 2, 8}) {
    INFO("threads = " << threads);
    QueryContext ctx;
    ctx.threads = threads;
    std::vector<NodeId> comm = start;
    const absl::StatusOr<std::uint64_t> moved =
        internal::LocalMoving(lg, classes, 1.0, sweeps, comm, ctx);
    REQUIRE(moved.ok());
    if (threads == 1) {
      first = comm;
      moves = *moved;
    } else {
      CHECK(comm == first);
      CHECK(*moved == moves);
    }
  }
  return first;
}

// 256 hubs (ids 0-255) each joined to 96 of 2048 other vertices drawn at random, weights in
// [0.5, 2): about 100 arcs per hub, so the evaluation tasks over hubs hold under 64 vertices.
WeightedGraph Hubs() {
  std::mt19937_64 rng(13);
  std::uniform_int_distribution<NodeId> leaf(256, 256 + 2047);
  std::uniform_real_distribution<double> weight(0.5, 2.0);
  std::vector<WeightedEdge> e;
  for (NodeId h = 0; h < 256; ++h) {
    for (int i = 0; i < 96; ++i) e.push_back({h, leaf(rng), weight(rng)});
  }
  return testing::MakeGraph(256 + 2048, e);
}

TEST_CASE("Local moving runs heavy small classes on the team with the same result",
          "[networks][local_moving]") {
  // Classes of a few hundred vertices holding thousands of arcs (the case of an aggregated
  // level such as Kronecker 20's level 1, whose classes of at most 1024 vertices ran on one
  // thread when the team was decided by vertices): a graph of hubs (Hubs), and an R-MAT graph
  // with irregular weights (classes under 8192 arcs), both coloured in blocks of 1000. The
  // partition and the move count must not depend on the thread count; every sweep must raise
  // modularity (computed here from the definition); and the pruning (moved weight against a
  // share of the margin) must leave few vertices that could still gain by moving.
  struct Case {
    WeightedGraph g;
    NodeId cap;
    bool heavy;  // has a class of under 1024 vertices with 8192 arcs or more
  };
  std::vector<Case> cases;
  cases.push_back({testing::SkewedWeightedGraph(12, 21), 1000, false});
  cases.push_back({Hubs(), 1000, true});
  for (const Case& c : cases) {
    const WeightedGraph& g = c.g;
    const NodeId n = g.num_nodes();
    INFO("n = " << n);
    const internal::LevelGraph lg = internal::MakeLevelGraph(g, 2);
    const auto classes = internal::ColourClasses(g, internal::SeededOrder(n, 4, 2), c.cap, 2);
    std::size_t heavy = 0;  // classes of under 1024 vertices with 8192 arcs or more
    for (const auto& cls : classes) {
      std::size_t arcs = 0;
      for (NodeId v : cls) arcs += g.degree(v);
      heavy += cls.size() < 1024 && arcs >= 8192;
    }
    CHECK((heavy > 0) == c.heavy);
    std::vector<NodeId> singletons(n);
    std::iota(singletons.begin(), singletons.end(), NodeId{0});
    double last_q = CommunityModularity(g, singletons, 1.0);
    std::vector<NodeId> converged;
    for (int sweeps : {1, 2, 4, 64}) {
      INFO("max_sweeps = " << sweeps);
      std::uint64_t first_moves = 0;
      const std::vector<NodeId> first = SameAtThreads(lg, classes, sweeps, singletons, first_moves);
      CHECK(first_moves > 0);
      const double q = CommunityModularity(g, first, 1.0);
      CHECK(q >= last_q);
      last_q = q;
      converged = first;
    }
    CHECK(last_q > 0.05);
    CHECK(ImprovableVertices(g, converged, 1.0) <= n / 100);
  }
}

TEST_CASE("Local moving hands classes and their reactivation to the team with the same result",
          "[networks][local_moving]") {
  // 300 planted groups of 40 (about 12 arcs inside and 6 outside per vertex), coloured as one
  // block: the first classes hold over 8192 arcs and, in the first sweep from singletons (nearly
  // every vertex moves), their movers over 16384, so both the evaluation and the reactivation go to
  // the team (parallel/work_team.h), class after class. The oracle is the run on one thread (no
  // team: the class-by-class loop); modularity and the planted groups' modularity are computed here
  // from the definition.
  const testing::Planted p = testing::PlantedPartition(300, 40, 0.3, 0.0005, 17);
  const WeightedGraph& g = p.graph;
  const NodeId n = g.num_nodes();
  const internal::LevelGraph lg = internal::MakeLevelGraph(g, 2);
  const auto classes = internal::ColourClasses(g, internal::SeededOrder(n, 6, 2), n, 2);
  std::size_t team_classes = 0;
  for (const auto& cls : classes) {
    std::size_t arcs = 0;
    for (NodeId v : cls) arcs += g.degree(v);
    team_classes += arcs >= 24576;  // well over both thresholds in the first sweep
  }
  CHECK(team_classes >= 1);
  double last_q = -1.0;
  std::vector<NodeId> singletons(n);
  std::iota(singletons.begin(), singletons.end(), NodeId{0});
  for (int sweeps : {1, 2, 3, 64}) {
    INFO("max_sweeps = " << sweeps);
    std::uint64_t moves = 0;
    const std::vector<NodeId> first = SameAtThreads(lg, classes, sweeps, singletons, moves);
    const double q = CommunityModularity(g, first, 1.0);
    CHECK(q > last_q);
    last_q = q;
  }
  const std::vector<NodeId> truth(p.truth.begin(), p.truth.end());
  // Local moving alone (no aggregation) ends within 0.01 of the planted groups' 0.646.
  CHECK(last_q >= CommunityModularity(g, truth, 1.0) - 0.02);
}

// Local moving's first sweep evaluated ahead: from a start partition that is not all
// singletons, every vertex is evaluated first in id order and only the vertices whose
// evaluation a later move may have changed are evaluated again in their class: the movers'
// neighbours, and those whose slack the changes of tot have used up. The oracle is the
// class-by-class path (evaluate_ahead = false): partitions and move counts must be identical at
// 1, 2 and 8 threads, whether the evaluation ahead is kept (few vertices can gain at the start,
// counted from the definition), gives up after its first part (a random start), or falls back
// to evaluating every later vertex in its class (many communities changed).
// Runs local moving from `start` with and without the evaluation ahead, at 1, 2 and 8 threads,
// for 1 and 64 sweeps, and checks that every run gives the class-by-class result.
void CheckSameAsClasses(const internal::LevelGraph& lg,
                        const std::vector<std::vector<NodeId>>& classes,
                        const std::vector<NodeId>& start, double resolution = 1.0) {
  for (int sweeps : {1, 64}) {
    INFO("max_sweeps = " << sweeps << ", resolution " << resolution);
    QueryContext one;
    one.threads = 1;
    std::vector<NodeId> expected = start;
    const absl::StatusOr<std::uint64_t> expected_moves = internal::LocalMoving(
        lg, classes, resolution, sweeps, expected, one, /*evaluate_ahead=*/false);
    REQUIRE(expected_moves.ok());
    for (int threads : {1, 2, 8}) {
      INFO("threads = " << threads);
      QueryContext ctx;
      ctx.threads = threads;
      for (bool ahead : {true, false}) {
        std::vector<NodeId> comm = start;
        const absl::StatusOr<std::uint64_t> moved =
            internal::LocalMoving(lg, classes, resolution, sweeps, comm, ctx, ahead);
        REQUIRE(moved.ok());
        CHECK(*moved == *expected_moves);
        CHECK(comm == expected);
      }
    }
  }
}

// The converged partition of local moving from singletons.
std::vector<NodeId> Converged(const internal::LevelGraph& lg,
                              const std::vector<std::vector<NodeId>>& classes) {
  std::vector<NodeId> comm(lg.g().num_nodes());
  std::iota(comm.begin(), comm.end(), NodeId{0});
  QueryContext ctx;
  REQUIRE(internal::LocalMoving(lg, classes, 1.0, 64, comm, ctx).ok());
  return comm;
}

// `start` with `count` vertices (drawn with `seed`) moved into the community of one of their
// neighbours outside their own, when they have one.
std::vector<NodeId> Perturbed(const WeightedGraph& g, std::vector<NodeId> start, int count,
                              std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<NodeId> pick(0, g.num_nodes() - 1);
  for (int moved = 0, tries = 0; moved < count && tries < 100 * count; ++tries) {
    const NodeId v = pick(rng);
    for (NodeId u : g.neighbours(v)) {
      if (start[u] != start[v]) {
        start[v] = start[u];
        ++moved;
        break;
      }
    }
  }
  return start;
}

TEST_CASE("Local moving's first sweep evaluated ahead gives the class-by-class result",
          "[networks][local_moving]") {
  struct Case {
    const char* name;
    WeightedGraph g;
  };
  std::vector<Case> cases;
  // 40 groups of 50 (ids interleaved), unit weights; an R-MAT graph with irregular weights; and
  // a random graph without structure, weights from 0.5 to 2 (its communities are weak: many
  // evaluations are near a tie, so the tot changes of a few moves decide them).
  cases.push_back({"planted", testing::PlantedPartition(40, 50, 0.3, 0.01, 5).graph});
  cases.push_back({"rmat", testing::SkewedWeightedGraph(11, 7)});
  {
    std::mt19937_64 rng(21);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<WeightedEdge> e;
    for (NodeId a = 0; a < 600; ++a) {
      for (NodeId b = a + 1; b < 600; ++b) {
        if (unit(rng) < 0.02) e.push_back({a, b, 0.5 + 1.5 * unit(rng)});
      }
    }
    cases.push_back({"random", testing::MakeGraph(600, e)});
  }
  for (const Case& c : cases) {
    INFO(c.name);
    const WeightedGraph& g = c.g;
    const NodeId n = g.num_nodes();
    const internal::LevelGraph lg = internal::MakeLevelGraph(g, 2);
    const auto classes = internal::ColourClasses(g, internal::SeededOrder(n, 3, 2), 256, 2);
    const std::vector<NodeId> converged = Converged(lg, classes);
    // Nothing to move: the first sweep is all evaluation ahead.
    {
      CHECK(ImprovableVertices(g, converged, 1.0) <= n / 64);
      CheckSameAsClasses(lg, classes, converged);
    }
    // A few vertices can gain: their moves make their neighbours stale and shift tot of two
    // communities each, which uses up the slack of some evaluations (ties, on the unit-weight
    // planted graph, have none) and not of others.
    {
      for (int count : {1, 3, 8, 32}) {
        INFO("displaced " << count);
        const std::vector<NodeId> start = Perturbed(g, converged, count, 11 + count);
        const std::size_t improvable = ImprovableVertices(g, start, 1.0);
        CHECK(improvable > 0);
        if (count <= 3) CHECK(improvable <= n / 64);
        CheckSameAsClasses(lg, classes, start);
      }
    }
    // Two communities merged (as the level above does): their members re-decide.
    {
      std::vector<NodeId> start = converged;
      const NodeId a = converged[0];
      NodeId b = a;
      for (NodeId u : g.neighbours(0)) b = converged[u] != a ? converged[u] : b;
      for (NodeId& x : start) x = x == b ? a : x;
      CheckSameAsClasses(lg, classes, start);
    }
    // Most vertices can gain: the evaluation ahead gives up after its first part.
    {
      std::mt19937_64 rng(2);
      std::uniform_int_distribution<NodeId> label(0, 15);
      std::vector<NodeId> start(n);
      for (NodeId& x : start) x = label(rng);
      CHECK(ImprovableVertices(g, start, 1.0) > n / 8);
      CheckSameAsClasses(lg, classes, start);
    }
  }
  // Small graphs without structure, weights from 0.5 to 2, three vertices displaced from the
  // converged partition (at resolution 1; run at 0.5, 1 and 2): the evaluation ahead is kept (a graph this small has at most kMinStale
  // evaluations to redo), and with communities this weak many evaluations sit near a tie or near
  // a wait step, so the tot changes of earlier moves decide whether they still hold: a slack
  // taken too generously (tried: the choice's, or the wait's, or both ignored) gives another
  // partition on some of these.
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    INFO("small random graph, seed " << seed);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<WeightedEdge> e;
    for (NodeId a = 0; a < 40; ++a) {
      for (NodeId b = a + 1; b < 40; ++b) {
        if (unit(rng) < 0.15) e.push_back({a, b, 0.5 + 1.5 * unit(rng)});
      }
    }
    const WeightedGraph g = testing::MakeGraph(40, e);
    const internal::LevelGraph lg = internal::MakeLevelGraph(g, 1);
    const auto classes = internal::ColourClasses(g, internal::SeededOrder(40, seed, 1), 8, 1);
    const std::vector<NodeId> start = Perturbed(g, Converged(lg, classes), 3, seed);
    for (double resolution : {0.5, 1.0, 2.0}) CheckSameAsClasses(lg, classes, start, resolution);
  }
}

// The wait's part of the slack, on a graph worked out for it (the classes are given, one vertex
// each, so the order is known). s = 0 stays in S = {0, 1, 2} at the start and after z = 5 leaves
// T = {3, 4, 5} for y = 6's community; z's move lowers tot of T, which narrows s's margin and
// lowers its wait from 19 to 12 steps of 1 / 256 of its strength, though not its choice. Then u
// = 2 (weight 0.9 to s, 0.9 / 13 = 17.7 steps of s's strength) joins T: against the wait of
// the class-by-class evaluation, 12 steps, that reactivates s, which in the next sweep joins T.
// An evaluation ahead kept with its wait of 19 steps would leave s in S: the slack of s's
// evaluation ahead must count the distance to the next wait step, not only the gap of its
// choice.
TEST_CASE("Local moving's evaluation ahead is evaluated again when its wait could change",
          "[networks][local_moving]") {
  // s, s2, u, t, t2, z, y, p1, p2 = 0..8; p1-p2 a separate pair (for 2m).
  const WeightedGraph g = testing::MakeGraph(9, {{0, 1, 5.5},
                                                 {0, 2, 0.9},
                                                 {0, 3, 6.6},
                                                 {2, 4, 1.8},
                                                 {3, 4, 8.3},
                                                 {5, 4, 4.4},
                                                 {5, 6, 4.9},
                                                 {7, 8, 60.0}});
  const internal::LevelGraph lg = internal::MakeLevelGraph(g, 1);
  const std::vector<std::vector<NodeId>> classes = {{5}, {0}, {2}, {6}, {1}, {3}, {4}, {7}, {8}};
  const std::vector<NodeId> start = {0, 0, 0, 3, 3, 3, 6, 7, 7};
  QueryContext ctx;
  std::vector<NodeId> comm = start;
  REQUIRE(internal::LocalMoving(lg, classes, 1.0, 64, comm, ctx, /*evaluate_ahead=*/false).ok());
  // z joined y, u joined T, and then s followed u.
  CHECK(comm[5] == comm[6]);
  CHECK(comm[2] == comm[3]);
  CHECK(comm[0] == comm[3]);
  CheckSameAsClasses(lg, classes, start);
}

// One sweep of local moving from singletons, every vertex a class of its own, is the sequential
// Louvain sweep: each vertex in turn joins the neighbouring community of greatest gain
// k_{v,c} - gamma k_v tot_c / 2m when that beats staying, k_{v,own} - gamma k_v (tot_own - k_v)
// / 2m (ties: stay, then the smallest community). The oracle sums per community in a std::map
// and keeps tot the way the library does (the strengths summed in arc order, each move taken
// off its old community and added to the new), so the partitions must be identical.
std::vector<NodeId> SequentialSweep(const WeightedGraph& g, const std::vector<NodeId>& order,
                                    double gamma) {
  const NodeId n = g.num_nodes();
  std::vector<double> k(n, 0.0);
  for (NodeId v = 0; v < n; ++v) {
    for (double w : g.weights(v)) k[v] += w;
  }
  double two_m = 0.0;
  for (NodeId v = 0; v < n; ++v) two_m += k[v];
  const double scale = gamma / two_m;
  std::vector<NodeId> comm(n);
  std::iota(comm.begin(), comm.end(), NodeId{0});
  std::vector<double> tot = k;
  for (NodeId v : order) {
    const NodeId own = comm[v];
    std::map<NodeId, double> to;
    for (std::size_t e = 0; e < g.degree(v); ++e) to[comm[g.neighbours(v)[e]]] += g.weights(v)[e];
    const double own_k = to.count(own) != 0 ? to[own] : 0.0;
    NodeId best = own;
    double best_gain = own_k - scale * k[v] * (tot[own] - k[v]);
    for (const auto& [c, w] : to) {  // ascending: the first of equal gains is the smallest
      if (c == own) continue;
      const double gain = w - scale * k[v] * tot[c];
      if (gain > best_gain) {
        best_gain = gain;
        best = c;
      }
    }
    if (best != own) {
      tot[own] -= k[v];
      tot[best] += k[v];
      comm[v] = best;
    }
  }
  return comm;
}

TEST_CASE("Local moving's evaluation matches a sequential sweep for every degree",
          "[networks][local_moving]") {
  // Degrees on purpose across the evaluation's three ways of summing per community: up to 8
  // arcs (SmallSums' linear search), 9 to 64 (a small table) and over 64 (a dense array).
  // 20 hubs with 100 random neighbours, 200 vertices with 15, the rest with 2; weights random.
  constexpr NodeId kN = 3000;
  std::mt19937_64 rng(29);
  std::uniform_int_distribution<NodeId> any(0, kN - 1);
  std::uniform_real_distribution<double> weight(0.5, 2.0);
  std::vector<WeightedEdge> e;
  for (NodeId v = 0; v < kN; ++v) {
    const int picks = v < 20 ? 100 : v < 220 ? 15 : 2;
    for (int i = 0; i < picks; ++i) e.push_back({v, any(rng), weight(rng)});
  }
  const WeightedGraph g = testing::MakeGraph(kN, e);
  std::size_t small = 0, table = 0, dense = 0;
  std::vector<NodeId> order;
  for (NodeId v = 0; v < kN; ++v) {
    const std::size_t d = g.degree(v);
    if (d == 0) continue;
    order.push_back(v);
    small += d <= 8;
    table += d > 8 && d <= 64;
    dense += d > 64;
  }
  CHECK(small >= 1000);
  CHECK(table >= 100);
  CHECK(dense >= 10);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<std::vector<NodeId>> classes;
  for (NodeId v : order) classes.push_back({v});
  const internal::LevelGraph lg = internal::MakeLevelGraph(g, 2);
  REQUIRE_FALSE(lg.unit_weights);
  const std::vector<NodeId> expected = SequentialSweep(g, order, 1.0);
  std::uint64_t expected_moves = 0;
  for (NodeId v = 0; v < kN; ++v) expected_moves += expected[v] != v;
  CHECK(expected_moves >= kN / 2);
  for (int threads : {1, 2, 8}) {
    INFO("threads = " << threads);
    QueryContext ctx;
    ctx.threads = threads;
    std::vector<NodeId> comm(kN);
    std::iota(comm.begin(), comm.end(), NodeId{0});
    const absl::StatusOr<std::uint64_t> moved = internal::LocalMoving(lg, classes, 1.0, 1, comm, ctx);
    REQUIRE(moved.ok());
    CHECK(*moved == expected_moves);
    CHECK(comm == expected);
  }
}

// The bookkeeping of the evaluation ahead (internal/sweep_ahead.h), worked by hand: an
// evaluation with slack exponent e stays valid while 2 scale D + 10^-9 (1 + resolution) < 2^e
// (resolution 1 unless said), D the largest change of one community's tot so far; a mover's
// neighbours are stale at once; and every vertex once the movers hold m / 8 arcs. The choices
// are made up here (choose returns them), so only the rules are tested; the slack of real
// evaluations is local_moving.cc's, tested above against the class-by-class path.
TEST_CASE("The evaluation ahead goes stale by slack, by neighbours and wholesale",
          "[networks][local_moving]") {
  // Vertices 0-5: three separate edges (0-1, 2-3, 4-5); 6-25: a clique of 20 (380 arcs), so
  // m = 386 arcs and m / 8 = 48.
  std::vector<WeightedEdge> edges = {{0, 1, 1.0}, {2, 3, 1.0}, {4, 5, 1.0}};
  for (NodeId a = 6; a < 26; ++a) {
    for (NodeId b = a + 1; b < 26; ++b) edges.push_back({a, b, 1.0});
  }
  const WeightedGraph g = testing::MakeGraph(26, edges);
  REQUIRE(g.num_arcs() == 386);
  // Slack exponents: vertices 0-5 as listed, the clique's 1.
  const std::int8_t slack[6] = {-1, 1, -3, 2, -128, 5};
  auto choose = [&](NodeId v) {
    internal::MoveChoice ch{};
    ch.own = v;
    ch.best = v == 0 ? NodeId{1} : v;  // vertex 0 chose to join 1's community
    ch.degree = static_cast<std::uint32_t>(g.degree(v));
    ch.slack_exp = v < 6 ? slack[v] : std::int8_t{1};
    ch.strength = 1.0;
    ch.k_best = 1.0;
    return ch;
  };
  auto stale = [](const internal::SweepAhead& a) {
    std::vector<NodeId> out;
    for (NodeId v = 0; v < 26; ++v) {
      if (a.Stale(v)) out.push_back(v);
    }
    return out;
  };
  std::vector<NodeId> clique(20);
  std::iota(clique.begin(), clique.end(), NodeId{6});
  {
    internal::SweepAhead ahead(/*gain_scale=*/0.25);  // 2 scale = 0.5
    REQUIRE(ahead.Evaluate(g, 2, choose));
    // D = 0: stale only what has no slack (2^e <= 10^-9).
    CHECK(stale(ahead) == std::vector<NodeId>{4});
    CHECK(ahead.Moves(0));
    CHECK_FALSE(ahead.Moves(1));
    CHECK(ahead.ChoiceOf(0).best == 1);
    // Vertex 2 moves from community 30 to 31 with strength 0.2: its neighbour 3 is stale;
    // D = 0.2, 2 scale D = 0.1 < 2^-3, so vertex 2's own slack still holds.
    ahead.Moved(g, 2, 30, 31, 0.2);
    CHECK(stale(ahead) == std::vector<NodeId>{3, 4});
    // Vertex 4 moves 30 -> 32 with 0.1: community 30 has changed by 0.3, 2 scale D = 0.15 >=
    // 2^-3: vertex 2 is stale (by slack), and 5 (4's neighbour).
    ahead.Moved(g, 4, 30, 32, 0.1);
    CHECK(stale(ahead) == std::vector<NodeId>{2, 3, 4, 5});
    // Vertex 1 moves 33 -> 31 with 1.8: community 31 has changed by 2.0, 2 scale D = 1.0 >=
    // 2^-1 and 2^0 but < 2^1: vertex 0 is stale (and its neighbour moved); 1 and the clique
    // (slack 2^1) are not.
    ahead.Moved(g, 1, 33, 31, 1.8);
    CHECK(stale(ahead) == std::vector<NodeId>{0, 2, 3, 4, 5});
    // Vertex 0 moves 31 -> 36 with 2.0: community 31 has changed by 4.0, 2 scale D = 2.0 >=
    // 2^1: the clique is stale by slack, 1 as 0's neighbour.
    ahead.Moved(g, 0, 31, 36, 2.0);
    CHECK(stale(ahead).size() == 26);
  }
  {
    // Wholesale: clique vertices move with tiny strengths (2 scale D = 0.001, no slack used up).
    // Two moves mark 38 arcs: their neighbours are stale, vertex 5 (slack 2^5, no neighbour
    // moved) is not; the third marks 57 > m / 8: every vertex is.
    internal::SweepAhead ahead(0.25);
    REQUIRE(ahead.Evaluate(g, 2, choose));
    ahead.Moved(g, 6, 40, 41, 0.001);
    ahead.Moved(g, 7, 40, 41, 0.001);
    std::vector<NodeId> expected = {4};
    expected.insert(expected.end(), clique.begin(), clique.end());
    CHECK(stale(ahead) == expected);
    ahead.Moved(g, 8, 40, 41, 0.001);
    CHECK(stale(ahead).size() == 26);
  }

  {
    // A huge resolution widens the margin for rounding, 10^-9 (1 + resolution) of the
    // strength: at resolution 10^9 and D = 0 every evaluation with slack under 2^0 is stale.
    internal::SweepAhead ahead(0.25, /*resolution=*/1e9);
    REQUIRE(ahead.Evaluate(g, 2, choose));
    CHECK(stale(ahead) == std::vector<NodeId>{0, 2, 4});
  }

  // Gives up after a part in which more than count / 8 + 64 evaluations look bound to go
  // stale. A ring of 200 vertices: every vertex choosing a move (400 arcs of movers'
  // neighbours > 200 / 8 + 64); no moves but no slack (200 > 89); no moves and slack 2^0, which
  // no move uses up: kept.
  std::vector<WeightedEdge> ring;
  for (NodeId v = 0; v < 200; ++v) ring.push_back({v, (v + 1) % 200, 1.0});
  const WeightedGraph r = testing::MakeGraph(200, ring);
  struct RingCase {
    bool moves;
    std::int8_t slack_exp;
    bool kept;
  };
  for (const RingCase& c : {RingCase{true, 0, false}, RingCase{false, -128, false},
                            RingCase{false, 0, true}}) {
    INFO("moves " << c.moves << ", slack exponent " << int{c.slack_exp});
    internal::SweepAhead sweep(0.25);
    auto pick = [&](NodeId v) {
      internal::MoveChoice ch{};
      ch.own = v;
      ch.best = c.moves ? (v + 1) % 200 : v;
      ch.degree = 2;
      ch.slack_exp = c.slack_exp;
      ch.strength = 1.0;
      return ch;
    };
    CHECK(sweep.Evaluate(r, 2, pick) == c.kept);
  }
}

TEST_CASE("Huge-page arrays are zero-filled and movable", "[networks][huge_pages]") {
  for (std::size_t n : {std::size_t{0}, std::size_t{10}, std::size_t{3} << 20}) {
    internal::HugeArray<std::uint64_t> a(n);
    CHECK(a.size() == n);
    bool zero = true;
    for (std::size_t i = 0; i < n; ++i) zero &= a[i] == 0;
    CHECK(zero);
    for (std::size_t i = 0; i < n; ++i) a[i] = i;
    internal::HugeArray<std::uint64_t> b = std::move(a);
    CHECK(b.size() == n);
    if (n > 0) CHECK(b[n - 1] == n - 1);
  }
  std::vector<double> v;
  internal::ResizeHuge(v, std::size_t{1} << 20);
  CHECK(v.size() == std::size_t{1} << 20);
  CHECK(std::all_of(v.begin(), v.end(), [](double x) { return x == 0.0; }));
}

}  // namespace
}  // namespace polegraph
