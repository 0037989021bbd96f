// Convoys: pairs (and groups) of plates seen together at several sites on several occasions,
// scored against chance (polegraph/anpr.h, FindConvoys).
//
// How, in phases (the QueryContext is checked between them):
//   1. Gather the visible reads by site, sorted by time; compute the traffic statistics
//      (convoy_stats.cc). Plates read at fewer than min_sites sites, or fewer than
//      min_occasions times, cannot be in a convoy and are dropped from the candidates.
//   2. Per camera site in parallel (only the Locations with reads are scheduled), slide a
//      window over the time-sorted reads and emit every pair of reads of two distinct eligible
//      plates at most `window` apart into the current thread's buffer, partitioned into
//      buckets by a hash of the plate pair.
//   3. Per bucket in parallel, concatenate the threads' parts, sort by (plate a, plate b,
//      read a, read b) — a total order, so the result does not depend on which thread emitted
//      what — and evaluate each plate pair: its occasions (co-sightings joined by a shared
//      trip of either plate) and their distinct sites, which go into a per-bucket histogram;
//      distinct sites; expected co-sightings for the pairs that meet min_sites / min_occasions.
//   4. Merge the histograms (integer counts: the same at any thread count) into the chance
//      distribution of an occasion's extent; score the qualifying pairs (see ConvoyPair);
//      keep those scoring at least min_score and, by default, accepted by Benjamini-Hochberg
//      at false_discovery_rate over all candidate pairs; sort them by (score desc, a, b);
//      merge pairs that share a plate with a union-find into convoys.
// Cost: O(R log R) for R reads plus O(C log C) for C candidate co-sightings; memory O(R + C).
// Reference: the sliding-window co-occurrence join of convoy discovery (Jeung et al.,
// "Discovery of convoys in trajectory databases", VLDB 2008), restricted to camera sites;
// Benjamini & Hochberg, "Controlling the false discovery rate", JRSS B 57 (1995).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "anpr/internal/convoy_stats.h"
#include "anpr/internal/reads.h"
#include "parallel/parallel.h"
#include "polegraph/anpr.h"

namespace polegraph {
namespace {

using anpr_internal::ConvoyStats;
using anpr_internal::ReadGroups;

// A co-sighting: indices into by_site.reads of plate a's read and plate b's read (a < b).
struct Candidate {
  NodeId a, b;
  std::uint32_t ra, rb;
};

bool CandidateLess(const Candidate& x, const Candidate& y) {
  if (x.a != y.a) return x.a < y.a;
  if (x.b != y.b) return x.b < y.b;
  if (x.ra != y.ra) return x.ra < y.ra;
  return x.rb < y.rb;
}

absl::Status ValidateOptions(const ConvoyOptions& o) {
  if (o.window < absl::Seconds(1) || o.window > kMaxAnprDuration) {
    return absl::InvalidArgumentError(
        absl::StrCat("ConvoyOptions.window must be from 1s to 366 days (8784h), got ",
                     absl::FormatDuration(o.window)));
  }
  if (o.min_sites < 1 || o.min_occasions < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("ConvoyOptions.min_sites and min_occasions must be at least 1, got ",
                     o.min_sites, " and ", o.min_occasions));
  }
  if (o.occasion_gap < absl::ZeroDuration() || o.occasion_gap > kMaxAnprDuration) {
    return absl::InvalidArgumentError(
        absl::StrCat("ConvoyOptions.occasion_gap must be from 0 to 366 days (8784h), got ",
                     absl::FormatDuration(o.occasion_gap)));
  }
  if (o.since && o.until && *o.since > *o.until) {
    return absl::InvalidArgumentError("ConvoyOptions.since is after until");
  }
  if (!(o.false_discovery_rate > 0 && o.false_discovery_rate < 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("ConvoyOptions.false_discovery_rate must be in (0, 1), got ",
                     o.false_discovery_rate));
  }
  if (!(o.min_score >= 0)) {
    return absl::InvalidArgumentError("ConvoyOptions.min_score must be >= 0");
  }
  return absl::OkStatus();
}

// A pair that met min_sites and min_occasions, waiting for its score; `sites` holds the
// distinct sites of each of its occasions.
struct Qualified {
  ConvoyPair pair;
  std::vector<int> sites;
};

// Phase 3 for one run of candidates of the same plate pair: its occasions go into the
// histogram; true (and `out` filled but for the score) when it qualifies by sites and occasions.
bool EvaluatePair(const ReadGroups& by_site, const ConvoyStats& stats, const ConvoyOptions& options,
                  const Candidate* begin, const Candidate* end,
                  std::vector<anpr_internal::TripSighting>& scratch,
                  anpr_internal::OccasionHistogram& histogram, Qualified& out) {
  if (end - begin == 1 && (options.min_occasions > 1 || options.min_sites > 1)) {
    histogram.AddSingle();  // most pairs meet once: one occasion at one site, not qualifying
    return false;
  }
  scratch.clear();
  for (const Candidate* c = begin; c != end; ++c) {
    scratch.push_back({stats.trip[c->ra], stats.trip[c->rb], by_site.reads[c->ra].site});
  }
  std::vector<int> occasion_sites = anpr_internal::OccasionSites(scratch);
  histogram.Add(occasion_sites, end - begin);
  if (static_cast<std::ptrdiff_t>(occasion_sites.size()) < options.min_occasions) return false;
  std::vector<anpr_internal::SiteCount> together;
  {
    std::vector<NodeId> sites;
    for (const auto& x : scratch) sites.push_back(x.site);
    std::sort(sites.begin(), sites.end());
    for (NodeId s : sites) {
      if (together.empty() || together.back().site != s) together.push_back({s, 0});
      ++together.back().count;
    }
  }
  const auto distinct = static_cast<std::ptrdiff_t>(together.size());
  if (distinct < options.min_sites) return false;
  ConvoyPair& pair = out.pair;
  pair.reads.clear();
  for (const Candidate* c = begin; c != end; ++c) {
    pair.reads.push_back(by_site.reads[c->ra]);
    pair.reads.push_back(by_site.reads[c->rb]);
  }
  std::sort(pair.reads.begin(), pair.reads.end(), anpr_internal::ReadBefore);
  pair.reads.erase(
      std::unique(pair.reads.begin(), pair.reads.end(),
                  [](const AnprRead& x, const AnprRead& y) { return x.edge == y.edge; }),
      pair.reads.end());
  pair.occasions = static_cast<int>(occasion_sites.size());
  pair.a = begin->a;
  pair.b = begin->b;
  pair.sites = static_cast<int>(distinct);
  pair.co_sightings = end - begin;
  pair.expected = anpr_internal::ExpectedCoSightings(stats, pair.a, pair.b, together);
  pair.lift = pair.expected > 0 ? static_cast<double>(pair.co_sightings) / pair.expected : 0;
  pair.first_time = pair.reads.front().time;
  pair.last_time = pair.reads.back().time;
  out.sites = std::move(occasion_sites);
  return true;
}

// Phase 4: merge pairs sharing a plate into convoys.
std::vector<Convoy> GroupPairs(const std::vector<ConvoyPair>& pairs, std::int64_t gap) {
  std::vector<NodeId> plates;
  for (const ConvoyPair& p : pairs) {
    plates.push_back(p.a);
    plates.push_back(p.b);
  }
  std::sort(plates.begin(), plates.end());
  plates.erase(std::unique(plates.begin(), plates.end()), plates.end());
  auto index = [&](NodeId v) {
    return static_cast<std::size_t>(std::lower_bound(plates.begin(), plates.end(), v) -
                                    plates.begin());
  };
  std::vector<std::size_t> parent(plates.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const ConvoyPair& p : pairs) {
    std::size_t x = find(index(p.a)), y = find(index(p.b));
    if (x != y) parent[std::max(x, y)] = std::min(x, y);
  }
  // Components in order of their smallest plate; pairs in index order within each.
  std::vector<std::size_t> component(plates.size(), SIZE_MAX);
  std::vector<Convoy> convoys;
  for (std::size_t i = 0; i < plates.size(); ++i) {
    const std::size_t root = find(i);
    if (component[root] == SIZE_MAX) {
      component[root] = convoys.size();
      convoys.emplace_back();
    }
    convoys[component[root]].plates.push_back(plates[i]);
  }
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    Convoy& c = convoys[component[find(index(pairs[k].a))]];
    c.pairs.push_back(k);
    c.score = std::max(c.score, pairs[k].score);
    for (const AnprRead& r : pairs[k].reads) {
      c.reads.push_back(r);
      c.sites.push_back(r.site);
    }
  }
  for (Convoy& c : convoys) {
    std::sort(c.sites.begin(), c.sites.end());
    c.sites.erase(std::unique(c.sites.begin(), c.sites.end()), c.sites.end());
    std::sort(c.reads.begin(), c.reads.end(), anpr_internal::ReadBefore);
    c.reads.erase(std::unique(c.reads.begin(), c.reads.end()), c.reads.end());
    c.occasions = anpr_internal::CountOccasions(c.reads, gap);
  }
  std::sort(convoys.begin(), convoys.end(), [](const Convoy& x, const Convoy& y) {
    return x.score != y.score ? x.score > y.score : x.plates.front() < y.plates.front();
  });
  return convoys;
}

}  // namespace

absl::StatusOr<ConvoyResult> FindConvoys(const Graph& graph, const ConvoyOptions& options,
                                         const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  const int threads = ctx.threads;
  const std::int64_t window = absl::ToInt64Seconds(options.window);

  // Phase 1.
  const anpr_internal::Visibility vis(graph, ctx.clearance);
  const ReadGroups by_site = anpr_internal::ReadsBySite(
      graph, vis, anpr_internal::MakeRange(options.since, options.until), threads);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;
  const ConvoyStats stats = anpr_internal::ComputeConvoyStats(
      graph, by_site, window, absl::ToInt64Seconds(options.occasion_gap), threads);
  const std::size_t num_plates = stats.plate_offsets.size() - 1;
  std::vector<char> eligible(num_plates, 0);
  internal::ParallelFor(0, num_plates, threads, [&](std::size_t p) {
    const std::size_t lo = stats.plate_offsets[p], hi = stats.plate_offsets[p + 1];
    std::uint64_t reads = 0;
    for (std::size_t i = lo; i < hi; ++i) reads += stats.plate_sites[i].reads;
    eligible[p] = hi - lo >= static_cast<std::size_t>(options.min_sites) &&
                  reads >= static_cast<std::uint64_t>(options.min_occasions);
  });
  if (absl::Status s = ctx.Check(); !s.ok()) return s;

  // Phase 2.
  const std::size_t buckets = 8 * static_cast<std::size_t>(threads);
  internal::PerThread<std::vector<std::vector<Candidate>>> emitted(threads);
  const std::vector<std::size_t> cameras = by_site.NonEmpty();
  internal::ParallelForDynamic(
      0, cameras.size(), threads,
      [&](std::size_t k) {
        const std::size_t s = cameras[k];
        auto& out = emitted.local();
        if (out.empty()) out.resize(buckets);
        const std::size_t lo = by_site.offsets[s], hi = by_site.offsets[s + 1];
        for (std::size_t i = lo; i < hi; ++i) {
          const AnprRead& x = by_site.reads[i];
          if (!eligible[x.plate - stats.first_plate]) continue;
          for (std::size_t j = i + 1; j < hi && by_site.reads[j].time - x.time <= window; ++j) {
            const AnprRead& y = by_site.reads[j];
            if (y.plate == x.plate || !eligible[y.plate - stats.first_plate]) continue;
            Candidate c = x.plate < y.plate
                              ? Candidate{x.plate, y.plate, static_cast<std::uint32_t>(i),
                                          static_cast<std::uint32_t>(j)}
                              : Candidate{y.plate, x.plate, static_cast<std::uint32_t>(j),
                                          static_cast<std::uint32_t>(i)};
            const std::uint64_t h = (std::uint64_t{c.a} * 0x9E3779B97F4A7C15ull) ^ c.b;
            out[(h >> 17) % buckets].push_back(c);
          }
        }
      },
      1);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;

  // Phase 3.
  std::vector<std::vector<Qualified>> found(buckets);
  std::vector<std::uint64_t> runs(buckets, 0);
  std::vector<anpr_internal::OccasionHistogram> histograms(buckets);
  internal::ParallelForDynamic(
      0, buckets, threads,
      [&](std::size_t b) {
        std::vector<Candidate> all;
        for (std::size_t t = 0; t < emitted.size(); ++t) {
          if (emitted[t].empty()) continue;
          std::vector<Candidate>& part = emitted[t][b];
          all.insert(all.end(), part.begin(), part.end());
          std::vector<Candidate>().swap(part);
        }
        std::sort(all.begin(), all.end(), CandidateLess);
        // Counted locally and stored once: neighbouring buckets' counters share a cache line.
        std::uint64_t bucket_runs = 0;
        std::vector<Qualified> bucket_found;
        anpr_internal::OccasionHistogram histogram;
        std::vector<anpr_internal::TripSighting> scratch;
        Qualified q;
        for (std::size_t i = 0; i < all.size();) {
          std::size_t j = i + 1;
          while (j < all.size() && all[j].a == all[i].a && all[j].b == all[i].b) ++j;
          ++bucket_runs;
          if (EvaluatePair(by_site, stats, options, all.data() + i, all.data() + j, scratch,
                           histogram, q)) {
            bucket_found.push_back(std::move(q));
            q = Qualified();
          }
          i = j;
        }
        runs[b] = bucket_runs;
        found[b] = std::move(bucket_found);
        histograms[b] = std::move(histogram);
      },
      1);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;

  // Phase 4: score against the occasions of all candidate pairs, threshold, group.
  ConvoyResult result;
  for (std::uint64_t r : runs) result.candidate_pairs += r;
  anpr_internal::OccasionHistogram occasions;
  for (const auto& h : histograms) occasions.Merge(h);
  const std::vector<double> tail = occasions.Tail();
  result.occasion_tail = tail;
  result.co_sightings_per_occasion =
      occasions.occasions > 0 ? static_cast<double>(occasions.co_sightings) /
                                    static_cast<double>(occasions.occasions)
                              : 0;
  const double per_occasion = result.co_sightings_per_occasion;
  std::vector<ConvoyPair> scored;
  for (auto& part : found) {
    for (Qualified& q : part) {
      ConvoyPair& p = q.pair;
      p.expected_occasions =
          anpr_internal::ExpectedOccasions(p.expected, q.sites, occasions, tail);
      const double met = per_occasion > 0 ? p.expected / per_occasion : p.expected;
      p.score = anpr_internal::ConditionalSurprise(p.occasions, p.expected_occasions, met);
      scored.push_back(std::move(p));
    }
  }
  std::sort(scored.begin(), scored.end(), [](const ConvoyPair& x, const ConvoyPair& y) {
    if (x.score != y.score) return x.score > y.score;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  result.score_threshold = options.min_score;
  if (options.correct_for_multiple_tests && result.candidate_pairs > 0) {
    result.score_threshold = std::max(
        result.score_threshold,
        anpr_internal::FalseDiscoveryBar(scored, result.candidate_pairs,
                                         options.false_discovery_rate));
  }
  for (ConvoyPair& p : scored) {
    if (p.score >= result.score_threshold) result.pairs.push_back(std::move(p));
  }
  std::sort(result.pairs.begin(), result.pairs.end(), [](const ConvoyPair& x, const ConvoyPair& y) {
    if (x.score != y.score) return x.score > y.score;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  result.convoys = GroupPairs(result.pairs, absl::ToInt64Seconds(options.occasion_gap));
  return result;
}

}  // namespace polegraph
