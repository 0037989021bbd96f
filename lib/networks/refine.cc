// Leiden refinement: Traag, Waltman, van Eck, "From Louvain to Leiden: guaranteeing
// well-connected communities", Scientific Reports 9 (2019), Algorithm A.2 (RefinePartition /
// MergeNodesSubset) with the randomness parameter theta -> 0 (greedy choice).
//
// Inside each community S of the local-moving partition, every vertex starts as its own
// sub-community. Vertices of S are visited in the given order (the caller's seeded
// pseudo-random permutation, shared with the colouring); a vertex v that is
// still a singleton and is well connected to S (k_{v,S-v} >= gamma k_v (tot_S - k_v) / 2m)
// joins the sub-community R of S with the greatest positive gain k_{v,R} - gamma k_v tot_R / 2m
// among those R it has edges to that are themselves well connected to S
// (E(R, S-R) >= gamma tot_R (tot_S - tot_R) / 2m); ties go to the smallest R. A vertex only
// ever joins a sub-community it has an edge to, so every sub-community is connected; the next
// level aggregates the sub-communities, starting from the partition S.
// Refinement can also start from a given partition (a later Leiden pass keeps the previous
// pass's groups, leiden.cc): only the vertices alone in their group are visited and merged,
// each group's totals and weight to the rest of its community are summed up front, and the
// groups themselves never move (the paper's guarantees need only that every group lies in
// one community; a group need not be connected, and Leiden's final split covers that).
// Communities are refined independently and in parallel, each sequentially, into arrays
// indexed by its own vertices: the result does not depend on the thread count.
// Members are bucketed by community in one counting pass over `order`, so each community's
// list is already in visiting order (no per-community sort). Session 8: each community's task
// first sums its members' weights into the community (kin) and gathers their arcs inside it
// into a per-thread buffer, then merges from that buffer: the neighbours' communities are read
// once, in the pass that brings the arcs into the cache (it had been a separate parallel pass
// over all vertices, and the merge loop read every arc and its neighbour's community again).
// Refine's share of perf samples on LFR 10^6 fell from 0.22x LocalMoving's to 0.15x.
// Communities with more than kMaxBufferedArcs arcs (Kronecker's largest) keep the up-front
// pass in vertex order (on one thread, in visiting order, it would be slower).
// A level whose weights are all 1.0 (LevelGraph::unit_weights: Leiden's renumbered level 0 of
// an unweighted graph, which has no weight array) is refined without reading weights and
// without buffering them (session 8, level8): the same sums, 8 bytes per arc less to read.
// Tried in session 9 (tail9) and dropped: the buffered gather without a branch per arc (every
// arc written, the write position moved on only for arcs inside the community, 0.0 added to
// the sums otherwise; same sums): level-0 refinement on LFR 10^6 at 1 thread 221 / 236 ->
// 242 / 276 ms (alternated), where the same change to modularity's test had saved 70 %.
// Session 10 (proj10): the communities had been handed out one at a time, all sorted by size,
// largest first; on the person projection (bench graph 9: about 300 k communities of 2-10
// vertices at level 0) that visited them all over memory, so every community's members,
// offsets and arcs were cache misses. Now only the communities with more arcs than
// kRunArcs and than a 1 / (kTasksPerThread x threads) share of all are taken one at a time,
// largest first; the others follow in runs of consecutive labels (about kRunArcs arcs per
// run), whose vertices are neighbours in memory on the renumbered level 0. Graph 9 Leiden at 2
// threads, refinement over all levels: 1133 -> 911 ms of process CPU (main thread 660 ->
// 494), Kronecker 20 828-840 -> 771-777; same partitions. Each community's arc count is
// kept beside it (no n-sized per-call arrays; 1 thread: 932-954 -> 886-938 ms).
// A vertex with at most 8 arcs inside its community sums them per sub-community in SmallSums
// (a linear search over a few entries) instead of setting up KeySums' table (session 10; same
// sums in the same order): refinement over all levels at 1 thread, graph 9 889-974 -> 773-861
// ms, LFR 10^6 323-326 -> 314-317, Kronecker 20 718-726 -> 699-771 (noise); same partitions.
// Tried in session 10 and dropped: the members bucketed in parallel (atomic counts, slots in
// any order, each community's positions sorted by its task): no less main-thread time at 2
// threads (load 8) and 70-100 ms more process CPU on graph 9.
// Session 17: the gather pass fetches ahead along the members, like local moving's
// evaluation (offsets, then arcs and strength, then the neighbours' communities). A later
// pass refines communities whose members lie all over the renumbered level 0 (graph 9's
// pass-2 level 0: about 900 communities of 2,000 vertices, in visiting order), and each
// member had been a chain of misses: offsets, arcs, then comm of every neighbour. Graph 9
// Leiden at 2 threads, the old and new loops alternated in one process (a runtime switch in
// a scratch build, 7-8 calls each): refinement over all levels, median 647 -> 518 ms; the
// pass-2 level 0 alone 233 -> 189 ms. Same partitions. Tried and dropped the same way:
// fetching the merge loop's sub-community entries ahead (refined[] of the buffered arcs, then
// r_ext and r_tot), 518 -> 563 ms; fetching the counting sort's slots ahead, no difference.
// Cost: O(n + m); per thread a small table, a buffer of at most kMaxBufferedArcs arcs (3 MB),
// and an array of n entries once a vertex of degree over 64 is refined (internal/key_sums.h).
#include <algorithm>
#include <memory>
#include <type_traits>

#include "graph/prefetch.h"
#include "networks/internal/arc_prefetch.h"
#include "networks/internal/key_sums.h"
#include "networks/internal/multilevel.h"
#include "parallel/parallel.h"

namespace polegraph::internal {
namespace {

// A community whose members have at most this many arcs gathers its internal arcs into a
// per-thread buffer (12 bytes each) in the pass that sums kin; a larger one (Kronecker's
// largest: millions of arcs, no longer cache-resident) reads its members' arcs again.
constexpr std::size_t kMaxBufferedArcs = std::size_t{1} << 18;
// Communities are refined in tasks (see Refine): a run of consecutive communities holds about
// kRunArcs arcs; a community with more arcs than kRunArcs and than the total over
// kTasksPerThread times the threads is a task of its own, taken early.
constexpr EdgeIndex kRunArcs = 4096;
constexpr EdgeIndex kTasksPerThread = 64;
// The gather pass fetches ahead along the community's members (see the top): a member's
// offsets kOffsetsAhead members ahead, its arcs and strength kArcsAhead ahead, and its
// neighbours' communities kCommAhead ahead (for degrees up to kPrefetchMaxDegree).
constexpr std::size_t kOffsetsAhead = 16;
constexpr std::size_t kArcsAhead = 8;
constexpr std::size_t kCommAhead = 4;
constexpr std::size_t kPrefetchMaxDegree = 16;

}  // namespace

std::vector<NodeId> Refine(const LevelGraph& lg, const std::vector<NodeId>& comm, double resolution,
                           std::span<const NodeId> order, int threads) {
  return Refine(lg, comm, resolution, order, {}, threads);
}

std::vector<NodeId> Refine(const LevelGraph& lg, const std::vector<NodeId>& comm, double resolution,
                           std::span<const NodeId> order, std::span<const NodeId> initial,
                           int threads) {
  const WeightedGraph& g = lg.g();
  const NodeId n = g.num_nodes();
  const bool seeded = !initial.empty();
  std::vector<NodeId> refined(n);
  if (seeded) {
    std::copy(initial.begin(), initial.end(), refined.begin());
  } else {
    for (NodeId v = 0; v < n; ++v) refined[v] = v;
  }
  if (n == 0 || lg.two_m <= 0.0) return refined;
  const double scale = resolution / lg.two_m;
  // Members of each community (community ids < n), in visiting order.
  std::vector<EdgeIndex> start(static_cast<std::size_t>(n) + 1, 0);
  for (NodeId v = 0; v < n; ++v) ++start[comm[v] + 1];
  for (NodeId c = 0; c < n; ++c) start[c + 1] += start[c];
  std::vector<NodeId> members(n);
  {
    std::vector<EdgeIndex> at(start.begin(), start.end() - 1);
    for (NodeId v : order) members[at[comm[v]]++] = v;
  }
  // The communities with at least two members (the others have nothing to refine), in
  // label order, and their members' arcs (`arcs`, filled below).
  struct Multi {
    NodeId c;
    EdgeIndex arcs;
  };
  std::vector<Multi> multi;
  for (NodeId c = 0; c < n; ++c) {
    if (start[c + 1] - start[c] > 1) multi.push_back({c, 0});
  }
  // Per vertex of the communities above: its weight into its own community (kin), the weight
  // from its group to the rest of the community (r_ext), its group's strength (r_tot) and
  // size (r_size), and with kept groups its weight into its own group (kown). Filled by the
  // community's task, which is the only one to read them.
  std::unique_ptr<double[]> kin(new double[n]), r_ext(new double[n]), r_tot(new double[n]);
  std::unique_ptr<double[]> kown(seeded ? new double[n] : nullptr);
  std::unique_ptr<NodeId[]> r_size(new NodeId[n]);
  // A large community (more than kMaxBufferedArcs arcs) has its members' kin and kown summed
  // up front, in parallel and in vertex order (its task, on one thread, would read them in
  // visiting order, all over its part of the graph).
  ParallelForDynamic(
      0, multi.size(), threads,
      [&](std::size_t i) {
        const NodeId c = multi[i].c;
        EdgeIndex arcs = 0;
        for (EdgeIndex j = start[c]; j < start[c + 1]; ++j) arcs += g.degree(members[j]);
        multi[i].arcs = arcs;
      },
      /*grain=*/64);
  std::vector<std::uint8_t> large;  // per community, sized n once a community is large
  for (const Multi& m : multi) {
    if (m.arcs <= kMaxBufferedArcs) continue;
    if (large.empty()) large.assign(n, 0);
    large[m.c] = 1;
  }
  // The sums of v's arcs into its own community: kin, and kown (into its group, with kept
  // groups); each arc inside the community also goes to `inside` (in adjacency order).
  // unit (std::true_type or std::false_type): lg.unit_weights, so every weight is 1.0 and the
  // level may have no weight array (see LevelGraph).
  auto weights_of = [&](auto unit, NodeId v) -> const double* {
    if constexpr (decltype(unit)::value) {
      return nullptr;
    } else {
      return g.weights(v).data();
    }
  };
  auto weight = [](auto unit, const double* w, std::size_t e) {
    if constexpr (decltype(unit)::value) {
      return 1.0;
    } else {
      return w[e];
    }
  };
  auto sum_inside = [&](auto unit, NodeId v, NodeId c, auto&& inside) {
    auto adj = g.neighbours(v);
    const double* w = weights_of(unit, v);
    const NodeId r = refined[v];
    double k = 0.0, own = 0.0;
    for (std::size_t e = 0; e < adj.size(); ++e) {
      if (comm[adj[e]] != c) continue;
      const double we = weight(unit, w, e);
      k += we;
      if (seeded && refined[adj[e]] == r) own += we;
      inside(adj[e], we);
    }
    kin[v] = k;
    if (seeded) kown[v] = own;
  };
  // Prefetches for the gather pass (see kOffsetsAhead): v's strength and arcs, then the
  // communities of its neighbours.
  auto fetch_arcs = [&](auto unit, NodeId v) {
    PrefetchLine(&lg.strength[v]);
    PrefetchArcs(g, v, !decltype(unit)::value);
  };
  auto fetch_comm = [&](NodeId v) {
    PrefetchAtNeighbours(g, v, comm.data(), kPrefetchMaxDegree);
  };
  if (!large.empty()) {
    ParallelForDynamic(
        0, n, threads,
        [&](std::size_t v) {
          const NodeId c = comm[v];
          if (!large[c]) return;
          if (lg.unit_weights) {
            sum_inside(std::true_type{}, static_cast<NodeId>(v), c, [](NodeId, double) {});
          } else {
            sum_inside(std::false_type{}, static_cast<NodeId>(v), c, [](NodeId, double) {});
          }
        },
        /*grain=*/1024);
  }
  // The tasks (see the top): the large communities one at a time, largest first (a few can
  // hold much of the work: on Kronecker 20 the largest holds a fifth of the arcs at every
  // level, and one taken last would leave the other threads idle), then runs of the others
  // in label order. Each community's result does not depend on when it is refined.
  EdgeIndex total_arcs = 0;
  for (const Multi& m : multi) total_arcs += m.arcs;
  const EdgeIndex big = std::max<EdgeIndex>(
      kRunArcs, total_arcs / (kTasksPerThread * static_cast<EdgeIndex>(std::max(threads, 1))));
  std::vector<std::size_t> task_at;  // task t: multi[task_at[t] .. task_at[t + 1])
  {
    // The large ones to the front, largest first (the rest stay in label order).
    auto rest = std::stable_partition(multi.begin(), multi.end(),
                                      [&](const Multi& m) { return m.arcs > big; });
    std::sort(multi.begin(), rest, [](const Multi& a, const Multi& b) {
      return a.arcs != b.arcs ? a.arcs > b.arcs : a.c < b.c;
    });
    const std::size_t large_count = static_cast<std::size_t>(rest - multi.begin());
    for (std::size_t i = 0; i < large_count; ++i) task_at.push_back(i);
    EdgeIndex run = kRunArcs;  // arcs in the run being formed
    for (std::size_t i = large_count; i < multi.size(); ++i) {
      if (run >= kRunArcs) {
        task_at.push_back(i);
        run = 0;
      }
      run += multi[i].arcs;
    }
    task_at.push_back(multi.size());
  }
  struct Scratch {
    KeySums sums;
    // The community's internal arcs, member by member in visiting order (arcs[at[j]..at[j+1])
    // for the j-th member): gathered in the same pass as kin, so the merge loop reads them
    // from the cache and tests no neighbour's community again.
    std::vector<NodeId> arcs;
    std::vector<double> weights;
    std::vector<std::size_t> at;
  };
  PerThread<Scratch> scratch(threads);
  auto refine_all = [&](auto unit) {
    ParallelForDynamic(
        0, task_at.size() - 1, threads,
        [&](std::size_t t) {
          for (std::size_t i = task_at[t]; i < task_at[t + 1]; ++i) {
            const NodeId c = multi[i].c;
            const EdgeIndex arcs_of = multi[i].arcs;
            std::span<const NodeId> mem(members.data() + start[c], members.data() + start[c + 1]);
            Scratch& s = scratch.local();
            const bool buffered = arcs_of <= kMaxBufferedArcs;
            // Sized for all the members' arcs, written by index (no growth checks per arc).
            if (buffered) {
              if (s.arcs.size() < arcs_of) s.arcs.resize(arcs_of);
              if (!unit && s.weights.size() < arcs_of) s.weights.resize(arcs_of);
              if (s.at.size() < mem.size() + 1) s.at.resize(mem.size() + 1);
            }
            NodeId* arcs = s.arcs.data();
            double* weights = s.weights.data();
            std::size_t filled = 0;
            double tot_s = 0.0;
            const std::size_t size = mem.size();
            if (buffered) {
              for (std::size_t j = 0; j < std::min(size, kCommAhead); ++j) fetch_comm(mem[j]);
            }
            for (std::size_t j = 0; j < size; ++j) {
              if (buffered) {
                if (j + kOffsetsAhead < size) PrefetchLine(&g.offsets[mem[j + kOffsetsAhead]]);
                if (j + kArcsAhead < size) fetch_arcs(unit, mem[j + kArcsAhead]);
                if (j + kCommAhead < size) fetch_comm(mem[j + kCommAhead]);
              }
              const NodeId v = mem[j];
              tot_s += lg.strength[v];
              if (buffered) {
                s.at[j] = filled;
                sum_inside(unit, v, c, [&](NodeId u, double w) {
                  arcs[filled] = u;
                  if constexpr (!decltype(unit)::value) weights[filled] = w;
                  ++filled;
                });
              }
              r_ext[v] = kin[v];
              r_tot[v] = lg.strength[v];
              r_size[v] = seeded ? 0 : 1;
            }
            if (buffered) s.at[mem.size()] = filled;
            if (seeded) {  // the initial groups' totals, in visiting order
              for (NodeId v : mem) r_tot[v] = r_ext[v] = 0.0;
              for (NodeId v : mem) {
                const NodeId r = refined[v];
                r_tot[r] += lg.strength[v];
                r_ext[r] += kin[v] - kown[v];
                ++r_size[r];
              }
            }
            for (std::size_t j = 0; j < mem.size(); ++j) {
              const NodeId v = mem[j];
              if (r_size[refined[v]] != 1) continue;  // no longer a singleton
              const double kv = lg.strength[v];
              if (kin[v] < scale * kv * (tot_s - kv)) continue;  // not well connected to S
              // The best sub-community by the rule at the top, over sums of the arcs to each
              // (keys in order of first touch, as KeySums lists them).
              NodeId best = v;
              double best_gain = 0.0, best_k = 0.0;
              auto choose = [&](const auto& sums) {
                for (std::size_t q = 0; q < sums.size(); ++q) {
                  const NodeId r = sums.key(q);
                  if (r == v) continue;
                  if (r_ext[r] < scale * r_tot[r] * (tot_s - r_tot[r])) continue;
                  const double gain = sums.sum(q) - scale * kv * r_tot[r];
                  if (gain > best_gain || (gain == best_gain && best != v && r < best)) {
                    best_gain = gain;
                    best = r;
                    best_k = sums.sum(q);
                  }
                }
              };
              KeySums& sums = s.sums;
              if (buffered && s.at[j + 1] - s.at[j] <= SmallSums::kMaxKeys) {
                SmallSums small;  // a few arcs (see SmallSums)
                for (std::size_t e = s.at[j]; e < s.at[j + 1]; ++e) {
                  small.Add(refined[s.arcs[e]], weight(unit, weights, e));
                }
                choose(small);
              } else if (buffered) {
                sums.Begin(s.at[j + 1] - s.at[j], n);
                for (std::size_t e = s.at[j]; e < s.at[j + 1]; ++e) {
                  sums.Add(refined[s.arcs[e]], weight(unit, weights, e));
                }
                choose(sums);
                sums.End();
              } else {
                auto adj = g.neighbours(v);
                const double* w = weights_of(unit, v);
                sums.Begin(adj.size(), n);
                for (std::size_t e = 0; e < adj.size(); ++e) {
                  if (comm[adj[e]] == c) sums.Add(refined[adj[e]], weight(unit, w, e));
                }
                choose(sums);
                sums.End();
              }
              if (best != v) {
                r_ext[best] += kin[v] - 2.0 * best_k;
                r_tot[best] += kv;
                ++r_size[best];
                r_size[v] = 0;
                refined[v] = best;
              }
            }
          }
        },
        /*grain=*/1);
  };
  if (lg.unit_weights) {
    refine_all(std::true_type{});
  } else {
    refine_all(std::false_type{});
  }
  return refined;
}

}  // namespace polegraph::internal
