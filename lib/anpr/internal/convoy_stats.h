// Internal pieces of convoy analysis shared by its phases (lib/anpr/convoy_*.cc) and its
// tests: per-read window counts, per-(plate, site) statistics, and the chance score.
#ifndef POLEGRAPH_LIB_ANPR_INTERNAL_CONVOY_STATS_H_
#define POLEGRAPH_LIB_ANPR_INTERNAL_CONVOY_STATS_H_

#include <cstdint>
#include <vector>

#include "anpr/internal/reads.h"

namespace polegraph::anpr_internal {

// How often a plate was read at one site, and how many other reads fell in those reads'
// windows (the sum over its reads r of k(r) = reads at the site within `window` of r, r
// itself excluded).
struct PlateSiteStat {
  NodeId site = kNoNode;
  std::uint32_t reads = 0;
  std::uint64_t window_reads = 0;
};

struct ConvoyStats {
  std::vector<std::uint32_t> window_count;  // k(r), by index into by_site.reads
  std::vector<std::size_t> plate_offsets;   // by plate - first plate
  std::vector<PlateSiteStat> plate_sites;   // per plate, ascending site
  NodeId first_plate = 0;
  std::vector<std::uint32_t> site_reads;  // N_s, by site - first_site
  NodeId first_site = 0;
  std::vector<double> site_span;  // T_s: max(last - first read time, 2 * window)
  std::int64_t window = 0;
};

// The co-sightings of one plate pair at one site.
struct SiteCount {
  NodeId site;
  std::int64_t count;
};

// Computes the statistics from the reads grouped by site. Cost O(R log d).
ConvoyStats ComputeConvoyStats(const Graph& graph, const ReadGroups& by_site, std::int64_t window,
                               int threads);

// Expected co-sightings of plates a and b by chance (see ConvoyPair in polegraph/anpr.h): sum
// over the sites s read by both of
//   ((K_a - c) * n_b + (K_b - c) * n_a) / (2 * N_s)  +  n_a * n_b * 2 * window / T_s
// where c is the pair's co-sightings at s (`together`, sorted by site): the traffic each
// plate's reads met other than each other, plus the site's average traffic as a floor.
double ExpectedCoSightings(const ConvoyStats& stats, NodeId a, NodeId b,
                           const std::vector<SiteCount>& together);

// -log10 P(X >= observed) for X ~ Poisson(expected); 0 when observed <= 0, +infinity when
// expected <= 0 < observed.
double PoissonSurprise(std::int64_t observed, double expected);

// Occasions among reads sorted by time: 1 + the number of consecutive gaps > gap (0 if none).
int CountOccasions(const std::vector<AnprRead>& reads_by_time, std::int64_t gap);

}  // namespace polegraph::anpr_internal

#endif  // POLEGRAPH_LIB_ANPR_INTERNAL_CONVOY_STATS_H_
