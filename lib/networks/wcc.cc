// Graphalytics WCC: weakly connected components, labelled by the smallest external vertex id
// in each component.
//
// Shiloach-Vishkin (Shiloach & Vishkin, "An O(log n) Parallel Connectivity Algorithm",
// J. Algorithms 1982), in the form used by the GAP Benchmark Suite: comp[v] starts as v; each
// round hooks, for every edge (u, v), the root of the larger label onto the smaller label,
// then compresses every vertex's pointer chain to its root; rounds repeat until no hook
// happens. Hooks only lower labels and the smallest dense id of a component is never hooked,
// so every component ends as a star around its smallest dense id, whatever the interleaving:
// the result is the same at any thread count. Out-edges suffice (a hook is tried both ways).
// A final pass replaces each root by the smallest external id of its component (equal to the
// root's own id when the .v file is sorted, as the specification requires).
// ctx.Check() is polled between rounds.
// Cost: O(m) work per round, O(log n) rounds typical; one NodeId per vertex.
#include <atomic>
#include <cstdint>
#include <limits>
#include <vector>

#include "parallel/frontier.h"
#include "parallel/parallel.h"
#include "polegraph/graphalytics.h"

namespace polegraph::graphalytics {

absl::StatusOr<std::vector<std::int64_t>> Wcc(const PlainGraph& g, const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  const NodeId n = g.num_nodes();
  const int threads = ctx.threads;
  std::vector<NodeId> comp(n);
  internal::ParallelFor(0, n, threads, [&](std::size_t v) { comp[v] = static_cast<NodeId>(v); });
  auto load = [&](NodeId v) {
    return std::atomic_ref<NodeId>(comp[v]).load(std::memory_order_relaxed);
  };
  auto store = [&](NodeId v, NodeId value) {
    std::atomic_ref<NodeId>(comp[v]).store(value, std::memory_order_relaxed);
  };
  bool changed = true;
  while (changed) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    std::atomic<bool> hooked{false};
    internal::ParallelForDynamic(
        0, n, threads,
        [&](std::size_t i) {
          const NodeId u = static_cast<NodeId>(i);
          for (NodeId v : g.out_neighbours(u)) {
            NodeId cu = load(u), cv = load(v);
            if (cu == cv) continue;
            NodeId high = cu > cv ? cu : cv, low = cu > cv ? cv : cu;
            // Hook only roots (comp[high] == high) so no tree is ever split.
            if (load(high) == high) {
              std::atomic_ref<NodeId> root(comp[high]);
              NodeId expected = high;
              if (root.compare_exchange_strong(expected, low, std::memory_order_relaxed)) {
                hooked.store(true, std::memory_order_relaxed);
              }
            }
          }
        },
        /*grain=*/256);
    // Compress: point every vertex at its root.
    internal::ParallelFor(0, n, threads, [&](std::size_t i) {
      const NodeId v = static_cast<NodeId>(i);
      NodeId c = load(v);
      while (load(c) != c) c = load(c);
      store(v, c);
    });
    changed = hooked.load();
  }
  // Label each component by its smallest external id.
  std::vector<std::atomic<std::int64_t>> smallest(n);
  internal::ParallelFor(0, n, threads, [&](std::size_t v) {
    smallest[v].store(std::numeric_limits<std::int64_t>::max(), std::memory_order_relaxed);
  });
  internal::ParallelFor(0, n, threads, [&](std::size_t v) {
    internal::AtomicMin(smallest[comp[v]], g.external_id(static_cast<NodeId>(v)));
  });
  std::vector<std::int64_t> label(n);
  internal::ParallelFor(0, n, threads, [&](std::size_t v) {
    label[v] = smallest[comp[v]].load(std::memory_order_relaxed);
  });
  return label;
}

}  // namespace polegraph::graphalytics
