// Convoys: a hand-worked convoy amid commuter noise, a round trip that is one occasion,
// clearance, and the derived TRAVELLED_WITH graph (the oracle: convoys_oracle_test.cc).
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "anpr_fixture.h"
#include "polegraph/io.h"

namespace polegraph::testing {
namespace {

// Four sites along the A38, 5 km apart. Thirty commuters pass S0..S2 every weekday morning
// between 07:50 and 08:10 for two weeks (each day in its own random order), so commuter pairs
// meet within 90 s at three sites on several mornings. Two plates, CONVOY1 and CONVOY2, pass
// S0..S3 together (30 s apart) on two quiet afternoons and are read nowhere else.
//
//   07:50-08:10  S0 -> S1 -> S2        30 commuters x 10 days
//   14:00        S0 -> S1 -> S2 -> S3  CONVOY1, CONVOY2 (days 2 and 6)
TEST_CASE("a convoy amid commuter noise ranks first", "[anpr][convoys]") {
  AnprGraph b;
  std::vector<AnprGraph::Handle> site;
  for (int i = 0; i < 4; ++i)
    site.push_back(b.Site(absl::StrCat("A38-", i), 52.40 + 0.045 * i, -1.80));
  std::mt19937 rng(11);
  std::vector<AnprGraph::Handle> commuters;
  for (int i = 0; i < 30; ++i) commuters.push_back(b.Plate(absl::StrCat("CM", 10 + i, "AAA")));
  for (int day = 0; day < 10; ++day) {
    for (auto c : commuters) {
      std::int64_t t = kDay0 + day * 86400 + 7 * 3600 + 50 * 60 +
                       std::uniform_int_distribution<int>(0, 1200)(rng);
      for (int s = 0; s < 3; ++s) b.Read(c, site[s], t + 300 * s);
    }
  }
  auto x = b.Plate("CONVOY1"), y = b.Plate("CONVOY2");
  for (int day : {2, 6}) {
    for (int s = 0; s < 4; ++s) {
      const std::int64_t t = kDay0 + day * 86400 + 14 * 3600 + 300 * s;
      b.Read(x, site[s], t);
      b.Read(y, site[s], t + 30);
    }
  }
  auto g = std::move(b).Build();
  REQUIRE(g != nullptr);
  auto r = FindConvoys(*g, {.correct_for_multiple_tests = false}, Ctx(2));
  REQUIRE(r.ok());
  REQUIRE(r->pairs.size() > 1);  // without a significance threshold commuter pairs qualify ...
  const NodeId cx = *g->Find(NodeKind::kPlate, "CONVOY1"),
               cy = *g->Find(NodeKind::kPlate, "CONVOY2");
  CHECK(r->pairs[0].a == cx);  // ... but the convoy ranks first
  CHECK(r->pairs[0].b == cy);
  CHECK(r->pairs[0].sites == 4);
  CHECK(r->pairs[0].occasions == 2);
  CHECK(r->pairs[0].co_sightings == 8);
  CHECK(r->pairs[0].reads.size() == 16);
  CHECK(r->pairs[0].score > 2 * r->pairs[1].score);
  REQUIRE(!r->convoys.empty());
  CHECK(r->convoys[0].plates == std::vector<NodeId>{cx, cy});
  // Expected by hand for the convoy: at each site each convoy read has only its partner in
  // its window, so K = c = 2 and n = 2 per plate: only the floor n_a n_b 2w / T_s is left,
  // with T_s = 4 days + 0..20 min (S0..S2: the commuters' span, 9 days + up to 20 min + 600 s).
  double expected = 0;
  for (int s = 0; s < 4; ++s) {
    const NodeId sv = *g->Find(NodeKind::kLocation, absl::StrCat("SITE-A38-", s));
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (EdgeIndex i = g->in_offsets()[sv]; i < g->in_offsets()[sv + 1]; ++i) {
      lo = std::min<std::int64_t>(lo, g->edge_time()[g->in_edge()[i]]);
      hi = std::max<std::int64_t>(hi, g->edge_time()[g->in_edge()[i]]);
    }
    expected += 2.0 * 2 * 2 * 90 / static_cast<double>(hi - lo);
  }
  CHECK(r->pairs[0].expected == Approx(expected));

  // By default pairs must be significant once corrected for the pairs tested: only the convoy.
  auto significant = FindConvoys(*g, {}, Ctx(2));
  REQUIRE(significant.ok());
  CHECK(significant->candidate_pairs == r->candidate_pairs);
  CHECK(significant->candidate_pairs > 300);  // most of the 435 commuter pairs meet sometime
  CHECK(significant->score_threshold ==
        Approx(std::log10(static_cast<double>(significant->candidate_pairs)) + 2));
  REQUIRE(significant->pairs.size() == 1);
  CHECK(significant->pairs[0].a == cx);
}

// One round trip, two cars: out past N0 -> N1 -> N2, back past S2 -> S1 (10 min apart; the
// far turn 20 min). Y is 30 s behind X at N0, falls behind on the way out (100-200 s: no
// co-sighting), and is 10 s behind at S1 on the way back, 50 min after N0.
//
//   X  N0 t   N1 t+600  N2 t+1200  S2 t+2400  S1 t+3000
//   Y  N0 t+30 N1 t+700 N2 t+1400  S2 t+2300  S1 t+3010
//
// Co-sightings: N0 and S1, 49.7 min apart (more than the 30 min gap), but each car's reads
// are never more than 20 min apart, so one trip each and one occasion at 2 sites. The only
// candidate pair: co-sightings per occasion 2, occasion_tail = 1, 1, 1, 0, ...
TEST_CASE("a chance meeting on the way out and back is one occasion", "[anpr][convoys]") {
  AnprGraph b;
  std::vector<AnprGraph::Handle> site;
  for (const char* name : {"N0", "N1", "N2", "S2", "S1"}) site.push_back(b.Site(name, 52, -1));
  auto x = b.Plate("XX11XXX"), y = b.Plate("YY22YYY");
  const std::int64_t t = kDay0 + 9 * 3600;
  const std::int64_t tx[] = {0, 600, 1200, 2400, 3000}, ty[] = {30, 700, 1400, 2300, 3010};
  for (int s = 0; s < 5; ++s) {
    b.Read(x, site[s], t + tx[s]);
    b.Read(y, site[s], t + ty[s]);
  }
  auto g = std::move(b).Build();
  REQUIRE(g != nullptr);
  auto r = FindConvoys(
      *g, {.min_sites = 2, .min_occasions = 1, .correct_for_multiple_tests = false}, Ctx(2));
  REQUIRE(r.ok());
  CHECK(r->candidate_pairs == 1);
  CHECK(r->co_sightings_per_occasion == 2);
  REQUIRE(r->occasion_tail.size() >= 4);
  CHECK(r->occasion_tail[1] == 1);
  CHECK(r->occasion_tail[2] == 1);
  CHECK(r->occasion_tail[3] == 0);
  REQUIRE(r->pairs.size() == 1);
  CHECK(r->pairs[0].occasions == 1);
  CHECK(r->pairs[0].sites == 2);
  CHECK(r->pairs[0].co_sightings == 2);
  // met = expected / 2, and the extent's tail is 1: one occasion given one meeting is certain.
  CHECK(r->pairs[0].expected_occasions == Approx(r->pairs[0].expected / 2));
  CHECK(r->pairs[0].score == Approx(0).margin(1e-12));
  // Two occasions are needed by default: none.
  auto strict = FindConvoys(*g, {.min_sites = 2}, Ctx(2));
  REQUIRE(strict.ok());
  CHECK(strict->pairs.empty());
}

TEST_CASE("convoys respect clearance, since/until and validate options", "[anpr][convoys]") {
  AnprGraph b;
  std::vector<AnprGraph::Handle> site;
  for (int i = 0; i < 3; ++i) site.push_back(b.Site(absl::StrCat(i), 51.5 + 0.05 * i, -0.1));
  auto x = b.Plate("AA11AAA"), y = b.Plate("BB22BBB");
  for (int day : {0, 1}) {
    for (int s = 0; s < 3; ++s) {
      const std::int64_t t = kDay0 + day * 86400 + 600 * s;
      b.Read(x, site[s], t, s == 2 ? b.secret() : b.official());
      b.Read(y, site[s], t + 10);
    }
  }
  auto g = std::move(b).Build();
  REQUIRE(g != nullptr);
  auto all = FindConvoys(*g, {}, Ctx());
  REQUIRE(all.ok());
  REQUIRE(all->pairs.size() == 1);
  CHECK(all->pairs[0].sites == 3);
  auto hidden = FindConvoys(*g, {}, OfficialCtx());  // site 2's reads of x are SECRET
  REQUIRE(hidden.ok());
  CHECK(hidden->pairs.empty());
  auto one_day = FindConvoys(*g, {.since = absl::FromUnixSeconds(kDay0 + 86400)}, Ctx());
  REQUIRE(one_day.ok());
  CHECK(one_day->pairs.empty());  // one occasion left
  CHECK(FindConvoys(*g, {.min_sites = 0}, Ctx()).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(FindConvoys(*g, {.window = absl::ZeroDuration()}, Ctx()).status().code() ==
        absl::StatusCode::kInvalidArgument);
  // Durations past 366 days, or infinite, are refused (t + window would overflow an int64:
  // `--window inf` used to give 0 convoys), and the limit itself is accepted.
  for (absl::Duration d : {absl::InfiniteDuration(), kMaxAnprDuration + absl::Seconds(1)}) {
    const absl::Status w = FindConvoys(*g, {.window = d}, Ctx()).status();
    CHECK(w.code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(w.message()) ==
          "ConvoyOptions.window must be from 1s to 366 days (8784h), got " +
              absl::FormatDuration(d));
    const absl::Status gap = FindConvoys(*g, {.occasion_gap = d}, Ctx()).status();
    CHECK(gap.code() == absl::StatusCode::kInvalidArgument);
    CHECK(std::string(gap.message())
              .rfind("ConvoyOptions.occasion_gap must be from 0 to 366 days", 0) == 0);
  }
  CHECK(absl::FormatDuration(kMaxAnprDuration) == "8784h");
  CHECK(
      FindConvoys(*g, {.window = kMaxAnprDuration, .occasion_gap = kMaxAnprDuration}, Ctx()).ok());
  auto cancel = std::make_shared<CancellationToken>();
  cancel->Cancel();
  QueryContext ctx = Ctx();
  ctx.cancel = cancel;
  CHECK(FindConvoys(*g, {}, ctx).status().code() == absl::StatusCode::kCancelled);

  // The derived graph: every original edge plus one TRAVELLED_WITH with DERIVED provenance.
  auto derived = DeriveConvoyGraph(*g, *all, Ctx());
  REQUIRE(derived.ok());
  const Graph& d = **derived;
  CHECK(d.num_nodes() == g->num_nodes());
  CHECK(d.num_edges() == g->num_edges() + 1);
  const NodeId dx = *d.Find(NodeKind::kPlate, "AA11AAA");
  int travelled = 0;
  for (EdgeIndex i = d.out_offsets()[dx]; i < d.out_offsets()[dx + 1]; ++i) {
    if (d.edge_kind()[i] != EdgeKind::kTravelledWith) continue;
    ++travelled;
    CHECK(d.key(d.out_neighbours()[i]) == "BB22BBB");
    CHECK(d.edge_time()[i] == kDay0);
    const RecordInfo rec = d.record(d.edge_record()[i]);
    CHECK(rec.source == Source::kDerived);
    CHECK(std::string(rec.record_id).find("R0") != std::string::npos);
    // One of the evidencing reads is SECRET, so the derived edge is too.
    CHECK(d.label(d.edge_label()[i]).classification == Classification::kSecret);
  }
  CHECK(travelled == 1);
}

}  // namespace
}  // namespace polegraph::testing

namespace polegraph::testing {
namespace {

std::string Saved(const Graph& g, const std::string& name) {
  const std::string path = std::string(POLEGRAPH_BINARY_DIR) + "/anpr_copy_" + std::to_string(getpid()) + "-" + name + ".pg";
  REQUIRE(SaveSnapshot(g, path).ok());
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_CASE("CopyGraphInto reproduces a snapshot byte for byte", "[anpr][convoys]") {
  AnprGraph b;
  auto place = b.Place("LOC-1", 51.5, -0.1);
  b.Offence("MPS:CR/9", place, "2024-03-04T09:00:00Z", "2024-03-04T09:30:00Z");
  auto s = b.Site("S", 51.5, -0.1);
  auto p = b.Plate("CO11PY");
  b.Read(p, s, kDay0, b.secret(), "FORD", "RED");
  auto v = b.Vehicle("VINCOPY", p, kDay0 - 10, "FORD", "RED");
  b.Link(b.Person("16/0000001X"), v, EdgeKind::kKeeperOf, kDay0 - 5);
  auto g = std::move(b).Build();
  REQUIRE(g != nullptr);
  auto copy = DeriveConvoyGraph(*g, ConvoyResult{}, Ctx());  // no pairs: a plain copy
  REQUIRE(copy.ok());
  CHECK(Saved(**copy, "copy") == Saved(*g, "original"));
}

}  // namespace
}  // namespace polegraph::testing
