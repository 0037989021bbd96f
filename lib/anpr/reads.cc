// The visible ANPR reads of a snapshot, grouped by site or by plate (lib/anpr/internal/reads.h),
// and the haversine distance.
//
// How: count each node's visible SEEN_AT edges in parallel, prefix-sum the counts into
// offsets, fill each node's slice in parallel, then sort each slice by (time, edge). Both
// passes hand out nodes dynamically: camera sites are a few hundred contiguous Location ids
// among hundreds of thousands of addresses, so a static split gives one thread all the work. Sites
// are read through the in-CSR, plates through the out-CSR. Cost O(E_k + R log d) for the E_k
// edges of the kind's nodes, R reads and per-node read count d.
// Reference: the count / prefix-sum / scatter CSR build of the GAP Benchmark Suite (builder.h).
#include "anpr/internal/reads.h"

#include <algorithm>
#include <cmath>

#include "parallel/parallel.h"

namespace polegraph {

double HaversineMetres(GeoPoint a, GeoPoint b) {
  constexpr double kEarthRadiusM = 6371008.8;
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (b.latitude - a.latitude) * kRad;
  const double dlon = (b.longitude - a.longitude) * kRad;
  const double s = std::sin(dlat / 2), t = std::sin(dlon / 2);
  const double h = s * s + std::cos(a.latitude * kRad) * std::cos(b.latitude * kRad) * t * t;
  return 2 * kEarthRadiusM * std::asin(std::sqrt(std::min(1.0, h)));
}

namespace anpr_internal {

TimeRange MakeRange(std::optional<absl::Time> since, std::optional<absl::Time> until) {
  return MakeRange(since.value_or(absl::InfinitePast()), until.value_or(absl::InfiniteFuture()));
}

TimeRange MakeRange(absl::Time from, absl::Time to) {
  TimeRange r;
  if (from != absl::InfinitePast()) r.from = absl::ToUnixSeconds(from);
  if (to != absl::InfiniteFuture()) r.to = absl::ToUnixSeconds(to);
  return r;
}

namespace {

// Visits the SEEN_AT edges of node v (in-edges of a site or out-edges of a plate) as
// f(edge, plate, site).
template <typename F>
void ForEachSeenAt(const Graph& g, NodeId v, bool by_site, F&& f) {
  if (by_site) {
    const auto offsets = g.in_offsets();
    const auto nbrs = g.in_neighbours();
    const auto ids = g.in_edge();
    for (EdgeIndex i = offsets[v]; i < offsets[v + 1]; ++i) {
      const EdgeId e = ids[i];
      if (g.edge_kind()[e] == EdgeKind::kSeenAt) f(e, nbrs[i], v);
    }
  } else {
    const auto offsets = g.out_offsets();
    const auto nbrs = g.out_neighbours();
    for (EdgeIndex i = offsets[v]; i < offsets[v + 1]; ++i) {
      const auto e = static_cast<EdgeId>(i);
      if (g.edge_kind()[e] == EdgeKind::kSeenAt) f(e, v, nbrs[i]);
    }
  }
}

ReadGroups Collect(const Graph& g, const Visibility& vis, TimeRange range, int threads,
                   bool by_site) {
  const auto kinds = g.KindRange(by_site ? NodeKind::kLocation : NodeKind::kPlate);  // no binding: lambdas capture it
  const NodeId first = kinds.first, last = kinds.second;
  const std::size_t n = last - first;
  const auto times = g.edge_time();
  auto visible = [&](EdgeId e, NodeId plate, NodeId site) {
    const std::int64_t t = times[e];
    return t != kUnknownTime && range.Contains(t) && vis.Edge(e) && vis.Node(plate) &&
           vis.Node(site);
  };
  ReadGroups groups;
  groups.first = first;
  std::vector<std::size_t> counts(n, 0);
  internal::ParallelForDynamic(
      0, n, threads,
      [&](std::size_t i) {
        const NodeId v = first + static_cast<NodeId>(i);
        if (!vis.Node(v)) return;
        std::size_t c = 0;
        ForEachSeenAt(g, v, by_site, [&](EdgeId e, NodeId p, NodeId s) { c += visible(e, p, s); });
        counts[i] = c;
      },
      64);
  internal::PrefixSum(counts, groups.offsets, threads);
  groups.reads.resize(groups.offsets[n]);
  const auto records = g.edge_record();
  internal::ParallelForDynamic(
      0, n, threads,
      [&](std::size_t i) {
        if (counts[i] == 0) return;
        const NodeId v = first + static_cast<NodeId>(i);
        std::size_t k = groups.offsets[i];
        ForEachSeenAt(g, v, by_site, [&](EdgeId e, NodeId p, NodeId s) {
          if (visible(e, p, s)) groups.reads[k++] = {e, p, s, times[e], records[e]};
        });
        std::sort(groups.reads.begin() + static_cast<std::ptrdiff_t>(groups.offsets[i]),
                  groups.reads.begin() + static_cast<std::ptrdiff_t>(k), ReadBefore);
      },
      64);
  return groups;
}

}  // namespace

ReadGroups ReadsBySite(const Graph& graph, const Visibility& vis, TimeRange range, int threads) {
  return Collect(graph, vis, range, threads, /*by_site=*/true);
}

ReadGroups ReadsByPlate(const Graph& graph, const Visibility& vis, TimeRange range, int threads) {
  return Collect(graph, vis, range, threads, /*by_site=*/false);
}

}  // namespace anpr_internal
}  // namespace polegraph
