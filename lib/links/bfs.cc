// Graphalytics BFS: hop count from a source along out-edges.
//
// Direction-optimising BFS (Beamer, Asanovic, Patterson, "Direction-Optimizing Breadth-First
// Search", SC 2012), as in the GAP Benchmark Suite. Each level is expanded either top-down
// (each frontier vertex claims its unvisited out-neighbours with a compare-and-swap) or
// bottom-up (each unvisited vertex scans its in-neighbours for one in the frontier bitmap and
// stops at the first). Top-down switches to bottom-up when the edges leaving the frontier
// exceed the unexplored edges / alpha (alpha = 15), and back when the frontier shrinks below
// n / beta (beta = 18). Bottom-up avoids most edge checks on the large middle levels of
// low-diameter graphs.
//
// Depths do not depend on the order in which a level is expanded, so the result is the same
// at any thread count. ctx.Check() is polled between levels.
// Cost: O(n + m) work; one int64 per vertex plus two bitmaps.
#include <atomic>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "parallel/frontier.h"
#include "parallel/parallel.h"
#include "polegraph/graphalytics.h"

namespace polegraph::graphalytics {
namespace {

constexpr std::int64_t kAlpha = 15;
constexpr std::int64_t kBeta = 18;

// Expands `frontier` top-down into `next`; returns the out-degree sum of the new vertices.
std::int64_t TopDownStep(const PlainGraph& g, std::vector<std::int64_t>& depth,
                         const std::vector<NodeId>& frontier, std::int64_t level,
                         internal::FrontierBuffers<NodeId>& next, int threads) {
  internal::PerThread<std::int64_t> scout(threads);
  internal::ParallelForDynamic(0, frontier.size(), threads, [&](std::size_t i) {
    for (NodeId u : g.out_neighbours(frontier[i])) {
      std::atomic_ref<std::int64_t> d(depth[u]);
      std::int64_t expected = kUnreachable;
      if (d.load(std::memory_order_relaxed) == kUnreachable &&
          d.compare_exchange_strong(expected, level + 1, std::memory_order_relaxed)) {
        next.local().push_back(u);
        scout.local() += static_cast<std::int64_t>(g.out_degree(u));
      }
    }
  });
  std::int64_t total = 0;
  for (std::size_t t = 0; t < scout.size(); ++t) total += scout[t];
  return total;
}

// One bottom-up level: every unvisited vertex with an in-neighbour in `front` joins `next`.
// Returns the number of vertices that joined.
std::int64_t BottomUpStep(const PlainGraph& g, std::vector<std::int64_t>& depth,
                          const internal::Bitmap& front, internal::Bitmap& next, std::int64_t level,
                          int threads) {
  next.reset();
  internal::PerThread<std::int64_t> awake(threads);
  internal::ParallelForDynamic(
      0, g.num_nodes(), threads,
      [&](std::size_t v) {
        if (depth[v] != kUnreachable) return;
        for (NodeId u : g.in_neighbours(static_cast<NodeId>(v))) {
          if (front.get(u)) {
            depth[v] = level + 1;
            next.set_atomic(v);
            ++awake.local();
            break;
          }
        }
      },
      /*grain=*/1024);
  std::int64_t total = 0;
  for (std::size_t t = 0; t < awake.size(); ++t) total += awake[t];
  return total;
}

}  // namespace

absl::StatusOr<std::vector<std::int64_t>> Bfs(const PlainGraph& g, NodeId source,
                                              const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  const NodeId n = g.num_nodes();
  if (source >= n) {
    return absl::InvalidArgumentError(
        absl::StrCat("BFS source ", source, " is not a vertex of a graph with ", n, " vertices"));
  }
  const int threads = ctx.threads;
  std::vector<std::int64_t> depth(n, kUnreachable);
  depth[source] = 0;
  std::vector<NodeId> frontier{source};
  internal::FrontierBuffers<NodeId> next(threads);
  internal::Bitmap front(n), next_bits(n);
  std::int64_t edges_to_check = static_cast<std::int64_t>(g.num_arcs());
  std::int64_t scout = static_cast<std::int64_t>(g.out_degree(source));
  std::int64_t level = 0;
  while (!frontier.empty()) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    if (scout > edges_to_check / kAlpha) {
      // Bottom-up phase: convert the frontier to a bitmap, run levels until it shrinks.
      front.reset();
      internal::ParallelFor(0, frontier.size(), threads,
                            [&](std::size_t i) { front.set_atomic(frontier[i]); });
      std::int64_t awake = static_cast<std::int64_t>(frontier.size()), old_awake;
      do {
        if (absl::Status s = ctx.Check(); !s.ok()) return s;
        old_awake = awake;
        awake = BottomUpStep(g, depth, front, next_bits, level, threads);
        front.swap(next_bits);
        ++level;
      } while (awake >= old_awake || awake > static_cast<std::int64_t>(n) / kBeta);
      // Back to a queue: the vertices found in the last bottom-up level.
      internal::ParallelFor(0, n, threads, [&](std::size_t v) {
        if (front.get(v)) next.local().push_back(static_cast<NodeId>(v));
      });
      next.Collect(frontier, threads);
      scout = 1;
    } else {
      edges_to_check -= scout;
      scout = TopDownStep(g, depth, frontier, level, next, threads);
      next.Collect(frontier, threads);
      ++level;
    }
  }
  return depth;
}

}  // namespace polegraph::graphalytics
