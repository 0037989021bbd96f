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
};

// Computes the statistics from the reads grouped by site. Cost O(R log d).
ConvoyStats ComputeConvoyStats(const Graph& graph, const ReadGroups& by_site, std::int64_t window,
                               int threads);

// Expected co-sightings of plates a and b if each plate's reads at a site met the site's
// traffic at random: sum over sites s read by both of
//   (K_a(s) * n_b(s) + K_b(s) * n_a(s)) / (2 * N_s).
double ExpectedCoSightings(const ConvoyStats& stats, NodeId a, NodeId b);

// -log10 P(X >= observed) for X ~ Poisson(expected); 0 when observed <= 0, +infinity when
// expected <= 0 < observed.
double PoissonSurprise(std::int64_t observed, double expected);

// Occasions among reads sorted by time: 1 + the number of consecutive gaps > gap (0 if none).
int CountOccasions(const std::vector<AnprRead>& reads_by_time, std::int64_t gap);

}  // namespace polegraph::anpr_internal

#endif  // POLEGRAPH_LIB_ANPR_INTERNAL_CONVOY_STATS_H_
