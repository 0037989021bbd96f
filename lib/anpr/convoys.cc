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
//      what — and evaluate each plate pair: distinct sites, occasions, observed vs expected.
//   4. Keep the pairs scoring at least min_score and, by default, log10(candidate pairs) + 2
//      (Bonferroni at 1 %); sort them by (score desc, a, b); merge pairs that share a plate with
//      a union-find into convoys.
// Cost: O(R log R) for R reads plus O(C log C) for C candidate co-sightings; memory O(R + C).
// Reference: the sliding-window co-occurrence join of convoy discovery (Jeung et al.,
// "Discovery of convoys in trajectory databases", VLDB 2008), restricted to camera sites.
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
  if (o.window < absl::Seconds(1)) {
    return absl::InvalidArgumentError(absl::StrCat("ConvoyOptions.window must be at least 1s, got ",
                                                   absl::FormatDuration(o.window)));
  }
  if (o.min_sites < 1 || o.min_occasions < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("ConvoyOptions.min_sites and min_occasions must be at least 1, got ",
                     o.min_sites, " and ", o.min_occasions));
  }
  if (o.occasion_gap < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("ConvoyOptions.occasion_gap must not be negative");
  }
  if (o.since && o.until && *o.since > *o.until) {
    return absl::InvalidArgumentError("ConvoyOptions.since is after until");
  }
  if (!(o.min_score >= 0)) {
    return absl::InvalidArgumentError("ConvoyOptions.min_score must be >= 0");
  }
  return absl::OkStatus();
}

// Phase 3 for one run of candidates of the same plate pair; false when it does not qualify
// by sites or occasions (the score threshold is applied once every pair has been counted).
bool EvaluatePair(const ReadGroups& by_site, const ConvoyStats& stats, const ConvoyOptions& options,
                  const Candidate* begin, const Candidate* end, ConvoyPair& pair) {
  std::vector<NodeId> sites;
  sites.reserve(static_cast<std::size_t>(end - begin));
  for (const Candidate* c = begin; c != end; ++c) sites.push_back(by_site.reads[c->ra].site);
  std::sort(sites.begin(), sites.end());
  std::vector<anpr_internal::SiteCount> together;
  for (NodeId s : sites) {
    if (together.empty() || together.back().site != s) together.push_back({s, 0});
    ++together.back().count;
  }
  const auto distinct = static_cast<std::ptrdiff_t>(together.size());
  if (distinct < options.min_sites) return false;
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
  pair.occasions =
      anpr_internal::CountOccasions(pair.reads, absl::ToInt64Seconds(options.occasion_gap));
  if (pair.occasions < options.min_occasions) return false;
  pair.a = begin->a;
  pair.b = begin->b;
  pair.sites = static_cast<int>(distinct);
  pair.co_sightings = end - begin;
  pair.expected = anpr_internal::ExpectedCoSightings(stats, pair.a, pair.b, together);
  pair.lift = pair.expected > 0 ? static_cast<double>(pair.co_sightings) / pair.expected : 0;
  // Co-sightings within one occasion are not independent (plates that meet at one camera meet
  // at the next), so the test counts occasions against the expected co-sightings scaled down
  // by the co-sightings per occasion.
  const double per_occasion = static_cast<double>(pair.co_sightings) / pair.occasions;
  pair.score = anpr_internal::PoissonSurprise(pair.occasions, pair.expected / per_occasion);
  pair.first_time = pair.reads.front().time;
  pair.last_time = pair.reads.back().time;
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
  const ConvoyStats stats = anpr_internal::ComputeConvoyStats(graph, by_site, window, threads);
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
  std::vector<std::vector<ConvoyPair>> found(buckets);
  std::vector<std::uint64_t> runs(buckets, 0);
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
        std::vector<ConvoyPair> bucket_found;
        ConvoyPair pair;
        for (std::size_t i = 0; i < all.size();) {
          std::size_t j = i + 1;
          while (j < all.size() && all[j].a == all[i].a && all[j].b == all[i].b) ++j;
          ++bucket_runs;
          if (EvaluatePair(by_site, stats, options, all.data() + i, all.data() + j, pair)) {
            bucket_found.push_back(std::move(pair));
            pair = ConvoyPair();
          }
          i = j;
        }
        runs[b] = bucket_runs;
        found[b] = std::move(bucket_found);
      },
      1);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;

  // Phase 4.
  ConvoyResult result;
  for (std::uint64_t r : runs) result.candidate_pairs += r;
  result.score_threshold = options.min_score;
  if (options.correct_for_multiple_tests && result.candidate_pairs > 0) {
    result.score_threshold = std::max(result.score_threshold,
                                      std::log10(static_cast<double>(result.candidate_pairs)) + 2);
  }
  for (auto& part : found) {
    for (ConvoyPair& p : part) {
      if (p.score >= result.score_threshold) result.pairs.push_back(std::move(p));
    }
  }
  std::sort(result.pairs.begin(), result.pairs.end(), [](const ConvoyPair& x, const ConvoyPair& y) {
    if (x.score != y.score) return x.score > y.score;
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  result.convoys = GroupPairs(result.pairs, absl::ToInt64Seconds(options.occasion_gap));
  return result;
}

}  // namespace polegraph
