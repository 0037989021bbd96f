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
  std::vector<std::uint32_t> trip;          // the read's trip of its plate, by by_site index
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

// Computes the statistics from the reads grouped by site. A plate's trips split its reads, in
// time order, where consecutive reads are more than trip_gap apart. Cost O(R log d).
ConvoyStats ComputeConvoyStats(const Graph& graph, const ReadGroups& by_site, std::int64_t window,
                               std::int64_t trip_gap, int threads);

// One co-sighting of a pair: the trips of its two reads and the site.
struct TripSighting {
  std::uint32_t trip_a, trip_b;
  NodeId site;
};

// The occasions of one pair: the co-sightings joined when they share a trip of either plate
// (connected components). Returns each occasion's distinct sites, descending. `sightings` is
// reordered. Cost O(c log c) for c co-sightings.
std::vector<int> OccasionSites(std::vector<TripSighting>& sightings);

// How many distinct sites the occasions of every candidate pair reached: the chance
// distribution of an occasion's extent (nearly all co-sighting pairs meet by chance).
struct OccasionHistogram {
  static constexpr int kMaxSites = 64;  // occasions at more sites are counted here
  std::vector<std::uint64_t> by_sites = std::vector<std::uint64_t>(kMaxSites + 1, 0);
  std::uint64_t occasions = 0, co_sightings = 0;
  void Add(const std::vector<int>& sites, std::int64_t co);
  void AddSingle() {  // Add({1}, 1) without the vector
    ++by_sites[1];
    ++occasions;
    ++co_sightings;
  }
  void Merge(const OccasionHistogram& other);
  // tail[k] = fraction of occasions at >= k sites (tail[0] = tail[1] = 1), k <= kMaxSites.
  std::vector<double> Tail() const;
};

// Chance occasions expected of a pair whose occasions reached `sites` distinct sites, given
// its expected co-sightings: expected * (occasions / co_sightings over all candidates), times
// the geometric mean over its occasions of tail[sites].
double ExpectedOccasions(double expected_co_sightings, const std::vector<int>& sites,
                         const OccasionHistogram& histogram, const std::vector<double>& tail);

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

// -log10 P(X >= observed | Y >= 1) where X ~ Poisson(expected) counts the chance occasions as
// extensive as the pair's and Y ~ Poisson(met) all its chance occasions (a candidate pair has
// met once by definition): PoissonSurprise(observed, expected) + log10(1 - e^-met), at least 0.
double ConditionalSurprise(std::int64_t observed, double expected, double met);

// Benjamini-Hochberg over `tests` hypotheses: with the pairs' scores sorted descending
// (p = 10^-score), the bar -log10(k q / tests) for the largest k whose k-th score meets it, or
// -log10(q / tests) when none does. Pairs not in `sorted` count as tests with p = 1.
double FalseDiscoveryBar(const std::vector<ConvoyPair>& sorted, std::uint64_t tests, double q);

// Occasions among reads sorted by time: 1 + the number of consecutive gaps > gap (0 if none).
int CountOccasions(const std::vector<AnprRead>& reads_by_time, std::int64_t gap);

}  // namespace polegraph::anpr_internal

#endif  // POLEGRAPH_LIB_ANPR_INTERNAL_CONVOY_STATS_H_
