// Convoy analysis, phase 1: the traffic statistics that the chance score is built from.
//
// What: for every visible read r, k(r) = the other reads at its site within the window, and
// its trip (the plate's reads split where consecutive ones are more than the occasion gap
// apart); for every (plate, site), the plate's reads there n and the sum K of their k(r); for
// every site, its reads N. Then the expected co-sightings of two plates, a pair's occasions
// and their extents, the chance distribution of extents, and the conditional Poisson
// surprise of the observed occasions (see ConvoyPair in polegraph/anpr.h).
// How: per site (in parallel), two pointers over the time-sorted reads give k(r). A parallel
// counting sort of the reads' (site, k) by plate (atomic scatter, then each plate's slice
// sorted, which makes the order independent of the threads) gives runs of (n, K) per
// (plate, site); a second scatter of (time, read) by plate, sorted, numbers the trips.
// Cost: O(R log d) time and O(R) memory for R reads (d per plate), plus O(P) for P plates.
// Reference: lift / observed-over-expected co-occurrence as in association-rule mining
// (Brin et al., "Dynamic itemset counting", SIGMOD 1997); Poisson tail as the p-value.
#include "anpr/internal/convoy_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "parallel/parallel.h"

namespace polegraph::anpr_internal {

ConvoyStats ComputeConvoyStats(const Graph& graph, const ReadGroups& by_site, std::int64_t window,
                               std::int64_t trip_gap, int threads) {
  ConvoyStats st;
  const std::size_t r = by_site.reads.size();
  const std::size_t sites = by_site.num_groups();
  st.window_count.assign(r, 0);
  st.site_reads.assign(sites, 0);
  st.first_site = by_site.first;
  st.site_span.assign(sites, static_cast<double>(2 * window));
  st.window = window;
  const std::vector<std::size_t> cameras = by_site.NonEmpty();
  internal::ParallelForDynamic(
      0, cameras.size(), threads,
      [&](std::size_t c) {
        const std::size_t s = cameras[c];
        const std::size_t lo0 = by_site.offsets[s], hi0 = by_site.offsets[s + 1];
        st.site_reads[s] = static_cast<std::uint32_t>(hi0 - lo0);
        st.site_span[s] = static_cast<double>(std::max(
            hi0 > lo0 ? by_site.reads[hi0 - 1].time - by_site.reads[lo0].time : 0, 2 * window));
        std::size_t lo = lo0, hi = lo0;
        for (std::size_t i = lo0; i < hi0; ++i) {
          const std::int64_t t = by_site.reads[i].time;
          while (by_site.reads[lo].time < t - window) ++lo;
          while (hi < hi0 && by_site.reads[hi].time <= t + window) ++hi;
          st.window_count[i] = static_cast<std::uint32_t>(hi - lo - 1);
        }
      },
      1);

  // Counting sort of read indices by plate; each plate's slice ends in site order.
  // Not a structured binding: lambdas below capture it (clang 14 cannot capture bindings).
  const auto plate_range = graph.KindRange(NodeKind::kPlate);
  const NodeId first_plate = plate_range.first, last_plate = plate_range.second;
  const std::size_t plates = last_plate - first_plate;
  st.first_plate = first_plate;
  std::vector<std::size_t> count(plates, 0);
  internal::ParallelFor(0, r, threads, [&](std::size_t i) {
    internal::FetchAdd<std::size_t>(count[by_site.reads[i].plate - first_plate], 1);
  });
  std::vector<std::size_t> start;
  internal::PrefixSum(count, start, threads);
  // Each read's (time, index, site, k) in plate order: the scatter reads by_site sequentially,
  // and the passes below read this array sequentially (no random access to the 32-byte reads).
  struct PlateRead {
    std::int64_t time;
    std::uint32_t read;
    NodeId site;
    std::uint32_t k;
  };
  std::vector<PlateRead> per_plate(r);
  {
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    internal::ParallelFor(0, r, threads, [&](std::size_t i) {
      const AnprRead& read = by_site.reads[i];
      const std::size_t slot = internal::FetchAdd<std::size_t>(next[read.plate - first_plate], 1);
      per_plate[slot] = {read.time, static_cast<std::uint32_t>(i), read.site,
                         st.window_count[i]};
    });
  }
  // Per plate: by (time, read), number the trips from 0 where consecutive reads are more than
  // trip_gap apart; then by (site, k, read) for the per-site runs. Both are total orders, so
  // neither depends on the scatter's order, which depends on the threads.
  st.trip.assign(r, 0);
  internal::ParallelForDynamic(
      0, plates, threads,
      [&](std::size_t p) {
        const auto lo = per_plate.begin() + static_cast<std::ptrdiff_t>(start[p]);
        const auto hi = per_plate.begin() + static_cast<std::ptrdiff_t>(start[p + 1]);
        std::sort(lo, hi, [](const PlateRead& x, const PlateRead& y) {
          return x.time != y.time ? x.time < y.time : x.read < y.read;
        });
        std::uint32_t trip = 0;
        for (auto it = lo; it != hi; ++it) {
          if (it != lo && it->time - (it - 1)->time > trip_gap) ++trip;
          st.trip[it->read] = trip;
        }
        std::sort(lo, hi, [](const PlateRead& x, const PlateRead& y) {
          if (x.site != y.site) return x.site < y.site;
          return x.k != y.k ? x.k < y.k : x.read < y.read;
        });
      },
      1024);
  // Distinct sites per plate, then (n, K) per (plate, site).
  std::vector<std::size_t> distinct(plates, 0);
  internal::ParallelFor(0, plates, threads, [&](std::size_t p) {
    std::size_t c = 0;
    for (std::size_t i = start[p]; i < start[p + 1]; ++i) {
      c += i == start[p] || per_plate[i].site != per_plate[i - 1].site;
    }
    distinct[p] = c;
  });
  internal::PrefixSum(distinct, st.plate_offsets, threads);
  st.plate_sites.resize(st.plate_offsets[plates]);
  internal::ParallelFor(0, plates, threads, [&](std::size_t p) {
    std::size_t k = st.plate_offsets[p];
    for (std::size_t i = start[p]; i < start[p + 1]; ++i) {
      if (i == start[p] || per_plate[i].site != per_plate[i - 1].site) {
        st.plate_sites[k++] = {per_plate[i].site, 0, 0};
      }
      PlateSiteStat& s = st.plate_sites[k - 1];
      ++s.reads;
      s.window_reads += per_plate[i].k;
    }
  });
  return st;
}

double ExpectedCoSightings(const ConvoyStats& stats, NodeId a, NodeId b,
                           const std::vector<SiteCount>& together) {
  std::size_t t = 0;
  std::size_t i = stats.plate_offsets[a - stats.first_plate];
  const std::size_t i_end = stats.plate_offsets[a - stats.first_plate + 1];
  std::size_t j = stats.plate_offsets[b - stats.first_plate];
  const std::size_t j_end = stats.plate_offsets[b - stats.first_plate + 1];
  double expected = 0;
  while (i < i_end && j < j_end) {
    const PlateSiteStat& x = stats.plate_sites[i];
    const PlateSiteStat& y = stats.plate_sites[j];
    if (x.site < y.site) {
      ++i;
    } else if (y.site < x.site) {
      ++j;
    } else {
      // Sites seen by a read are Location nodes; site_reads is indexed from the first one.
      const std::size_t s = x.site - stats.first_site;
      const auto n_s = static_cast<double>(stats.site_reads[s]);
      while (t < together.size() && together[t].site < x.site) ++t;
      const double c = t < together.size() && together[t].site == x.site
                           ? static_cast<double>(together[t].count)
                           : 0;
      const double na = x.reads, nb = y.reads;
      expected += ((static_cast<double>(x.window_reads) - c) * nb +
                   (static_cast<double>(y.window_reads) - c) * na) /
                      (2.0 * n_s) +
                  na * nb * 2.0 * static_cast<double>(stats.window) / stats.site_span[s];
      ++i;
      ++j;
    }
  }
  return expected;
}

double PoissonSurprise(std::int64_t observed, double expected) {
  if (observed <= 0) return 0;
  if (expected <= 0) return std::numeric_limits<double>::infinity();
  const auto o = static_cast<double>(observed);
  double log_p;
  if (o > expected) {
    // log pmf(o) + log(1 + e/(o+1) + e^2/((o+1)(o+2)) + ...); log o! summed exactly.
    double log_fact = 0;
    for (std::int64_t k = 2; k <= observed; ++k) log_fact += std::log(static_cast<double>(k));
    double sum = 1, term = 1;
    for (double k = o + 1; term > 1e-17 * sum; k += 1) {
      term *= expected / k;
      sum += term;
    }
    log_p = -expected + o * std::log(expected) - log_fact + std::log(sum);
  } else {
    double cdf = 0, pmf = std::exp(-expected);
    for (std::int64_t k = 0; k < observed; ++k) {
      cdf += pmf;
      pmf *= expected / static_cast<double>(k + 1);
    }
    log_p = std::log(std::max(1.0 - cdf, 1e-300));
  }
  return std::max(0.0, -log_p / std::log(10.0));
}

std::vector<int> OccasionSites(std::vector<TripSighting>& sightings) {
  if (sightings.size() == 1) return {1};
  std::vector<std::uint32_t> ta, tb;
  for (const TripSighting& x : sightings) {
    ta.push_back(x.trip_a);
    tb.push_back(x.trip_b);
  }
  for (auto* v : {&ta, &tb}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  auto node = [&](const std::vector<std::uint32_t>& v, std::uint32_t t) {
    return static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), t) - v.begin());
  };
  std::vector<std::size_t> parent(ta.size() + tb.size());
  for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const TripSighting& x : sightings) {
    const std::size_t u = find(node(ta, x.trip_a)), v = find(ta.size() + node(tb, x.trip_b));
    if (u != v) parent[std::max(u, v)] = std::min(u, v);
  }
  std::vector<std::pair<std::size_t, NodeId>> at;  // (occasion, site)
  for (const TripSighting& x : sightings) at.push_back({find(node(ta, x.trip_a)), x.site});
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  std::vector<int> sites;
  for (std::size_t i = 0; i < at.size(); ++i) {
    if (i == 0 || at[i].first != at[i - 1].first) sites.push_back(0);
    ++sites.back();
  }
  std::sort(sites.begin(), sites.end(), [](int x, int y) { return x > y; });
  return sites;
}

void OccasionHistogram::Add(const std::vector<int>& sites, std::int64_t co) {
  for (int k : sites) ++by_sites[static_cast<std::size_t>(std::min(k, kMaxSites))];
  occasions += sites.size();
  co_sightings += static_cast<std::uint64_t>(co);
}

void OccasionHistogram::Merge(const OccasionHistogram& other) {
  for (std::size_t k = 0; k < by_sites.size(); ++k) by_sites[k] += other.by_sites[k];
  occasions += other.occasions;
  co_sightings += other.co_sightings;
}

std::vector<double> OccasionHistogram::Tail() const {
  std::vector<double> tail(by_sites.size(), 1.0);
  if (occasions == 0) return tail;
  std::uint64_t at_least = 0;
  for (std::size_t k = by_sites.size() - 1; k >= 1; --k) {
    at_least += by_sites[k];
    tail[k] = static_cast<double>(at_least) / static_cast<double>(occasions);
  }
  return tail;
}

double ExpectedOccasions(double expected_co_sightings, const std::vector<int>& sites,
                         const OccasionHistogram& histogram, const std::vector<double>& tail) {
  if (histogram.co_sightings == 0 || sites.empty()) return expected_co_sightings;
  double log_tail = 0;
  for (int k : sites) {
    log_tail += std::log(tail[static_cast<std::size_t>(
        std::min(k, OccasionHistogram::kMaxSites))]);
  }
  return expected_co_sightings * static_cast<double>(histogram.occasions) /
         static_cast<double>(histogram.co_sightings) *
         std::exp(log_tail / static_cast<double>(sites.size()));
}

double ConditionalSurprise(std::int64_t observed, double expected, double met) {
  const double surprise = PoissonSurprise(observed, expected);
  if (met <= 0 || std::isinf(surprise)) return surprise;
  return std::max(0.0, surprise + std::log10(-std::expm1(-met)));
}

double FalseDiscoveryBar(const std::vector<ConvoyPair>& sorted, std::uint64_t tests, double q) {
  const double m = static_cast<double>(tests);
  double bar = -std::log10(q / m);
  for (std::size_t k = 1; k <= sorted.size(); ++k) {
    const double k_bar = -std::log10(static_cast<double>(k) * q / m);
    if (sorted[k - 1].score >= k_bar) bar = k_bar;
  }
  return bar;
}

int CountOccasions(const std::vector<AnprRead>& reads_by_time, std::int64_t gap) {
  if (reads_by_time.empty()) return 0;
  int occasions = 1;
  for (std::size_t i = 1; i < reads_by_time.size(); ++i) {
    occasions += reads_by_time[i].time - reads_by_time[i - 1].time > gap;
  }
  return occasions;
}

}  // namespace polegraph::anpr_internal
