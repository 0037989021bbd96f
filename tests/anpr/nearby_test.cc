// The scene and journeys: a hand-worked offence with its vehicles and people, a brute-force
// oracle for sites and reads near random points, and a plate's journey.
#include <algorithm>
#include <catch2/catch.hpp>

#include "anpr_fixture.h"

namespace polegraph::testing {
namespace {

// Offence CR/1 at (51.5000, -0.1000), committed 09:00-09:30 on day 0; margin 30 min, so
// reads 08:30-10:00 count. Sites: NEAR ~200 m north, FAR ~2.2 km north.
//   P1 read at NEAR 09:45  -> in      (V1 displays P1; X keeps V1, Y used V1 [SECRET])
//   P2 read at NEAR 10:30  -> too late
//   P3 read at FAR  09:10  -> too far
TEST_CASE("nearby: an offence's scene, with vehicles, people and evidence", "[anpr][nearby]") {
  AnprGraph b;
  auto place = b.Place("CRIME-LOC-1", 51.5000, -0.1000);
  b.Offence("MPS:CR/1", place, "2024-03-04T09:00:00Z", "2024-03-04T09:30:00Z");
  auto near = b.Site("NEAR", 51.5018, -0.1000), far = b.Site("FAR", 51.5200, -0.1000);
  auto p1 = b.Plate("PA11AAA"), p2 = b.Plate("PB22BBB"), p3 = b.Plate("PC33CCC");
  const std::string r1 = b.Read(p1, near, kDay0 + 9 * 3600 + 45 * 60);
  b.Read(p2, near, kDay0 + 10 * 3600 + 30 * 60);
  b.Read(p3, far, kDay0 + 9 * 3600 + 10 * 60);
  auto v1 = b.Vehicle("VIN00000000000001", p1, kDay0 - 86400, "FORD", "RED");
  auto x = b.Person("16/0000001X"), y = b.Person("17/0000002Y");
  const std::string keeper = b.Link(x, v1, EdgeKind::kKeeperOf, kDay0 - 86400);
  b.Link(y, v1, EdgeKind::kUsed, kDay0 - 3600, b.secret());
  auto g = std::move(b).Build();
  REQUIRE(g != nullptr);
  const NodeId offence = *g->Find(NodeKind::kOffence, "MPS:CR/1");

  auto r = FindNearby(*g, {.offence = offence}, Ctx());
  REQUIRE(r.ok());
  CHECK(r->from == kDay0 + 8 * 3600 + 30 * 60);
  CHECK(r->to == kDay0 + 10 * 3600);
  REQUIRE(r->sites.size() == 1);
  CHECK(g->key(r->sites[0].site) == "SITE-NEAR");
  CHECK(r->sites[0].distance_m == Approx(200).epsilon(0.01));
  REQUIRE(r->reads.size() == 1);
  CHECK(g->record(r->reads[0].record).record_id == r1);
  REQUIRE(r->plates.size() == 1);
  CHECK(g->key(r->plates[0].node) == "PA11AAA");
  REQUIRE(r->vehicles.size() == 1);
  CHECK(r->vehicles[0].path ==
        std::vector<NodeId>{r->sites[0].site, r->plates[0].node, r->vehicles[0].node});
  REQUIRE(r->people.size() == 2);  // X keeps V1, Y used it
  const SceneLink& kx = r->people[0];
  CHECK(g->key(kx.node) == "16/0000001X");
  REQUIRE(kx.edges.size() == 3);
  CHECK(g->edge_kind()[kx.edges[0]] == EdgeKind::kSeenAt);
  CHECK(g->edge_kind()[kx.edges[1]] == EdgeKind::kDisplays);
  CHECK(g->edge_kind()[kx.edges[2]] == EdgeKind::kKeeperOf);
  CHECK(g->record(g->edge_record()[kx.edges[0]]).record_id == r1);
  CHECK(g->record(g->edge_record()[kx.edges[2]]).record_id == keeper);
  CHECK(g->key(r->people[1].node) == "17/0000002Y");

  auto official = FindNearby(*g, {.offence = offence}, OfficialCtx());  // Y's link is SECRET
  REQUIRE(official.ok());
  REQUIRE(official->people.size() == 1);
  CHECK(g->key(official->people[0].node) == "16/0000001X");

  // The same scene by point: a 3 km radius reaches FAR too, and a wider window P2.
  auto wide = FindNearby(*g,
                         {.at = GeoPoint{51.5, -0.1},
                          .from = absl::FromUnixSeconds(kDay0 + 8 * 3600),
                          .to = absl::FromUnixSeconds(kDay0 + 11 * 3600),
                          .radius_m = 3000},
                         Ctx());
  REQUIRE(wide.ok());
  CHECK(wide->sites.size() == 2);
  CHECK(wide->reads.size() == 3);
  CHECK(wide->plates.size() == 3);
  CHECK(FindNearby(*g, {}, Ctx()).status().code() == absl::StatusCode::kInvalidArgument);
  // The margin is at most 366 days (an infinite one overflowed committed_to + margin).
  const absl::Status inf =
      FindNearby(*g, {.offence = offence, .margin = absl::InfiniteDuration()}, Ctx()).status();
  CHECK(inf.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(inf.message()) ==
        "NearbyOptions.margin must be from 0 to 366 days (8784h), got inf");
  auto widest = FindNearby(*g, {.offence = offence, .margin = kMaxAnprDuration}, Ctx());
  REQUIRE(widest.ok());
  CHECK(widest->from == kDay0 + 9 * 3600 - 366 * 86400);
  CHECK(widest->to == kDay0 + 9 * 3600 + 30 * 60 + 366 * 86400);
  CHECK(widest->reads.size() == 2);  // both reads at NEAR; FAR is outside the 500 m radius
  CHECK(FindNearby(*g, {.offence = offence, .at = GeoPoint{51.5, -0.1}}, Ctx()).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("nearby matches a brute-force scan of every site and read", "[anpr][nearby]") {
  auto g = RandomAnprGraph(9, 60, 50, 1500);
  REQUIRE(g != nullptr);
  std::size_t total_sites = 0, total_reads = 0;
  auto index = SiteIndex::Build(*g, Ctx());  // one index serves every clearance
  REQUIRE(index.ok());
  for (int q = 0; q < 25; ++q) {
    const GeoPoint at{52.48 + (q % 5 - 2) * 0.04, -1.89 + (q / 5 - 2) * 0.06};
    const double radius = 1500.0 + 1000.0 * (q % 7);
    const std::int64_t from = kDay0 + q * 3000, to = from + 6 * 3600;
    const NearbyOptions options{.at = at,
                                .from = absl::FromUnixSeconds(from),
                                .to = absl::FromUnixSeconds(to),
                                .radius_m = radius};
    for (const QueryContext& ctx : {Ctx(), OfficialCtx()}) {
      auto r = FindNearby(*g, options, ctx);
      REQUIRE(r.ok());
      auto shared = FindNearby(*index, options, ctx);
      REQUIRE(shared.ok());
      CHECK(shared->reads == r->reads);
      CHECK(shared->sites.size() == r->sites.size());
      // The same at 8 threads.
      QueryContext ctx8 = ctx;
      ctx8.threads = 8;
      auto eight = FindNearby(*g, options, ctx8);
      REQUIRE(eight.ok());
      CHECK(eight->reads == r->reads);
      REQUIRE(eight->sites.size() == r->sites.size());
      for (std::size_t i = 0; i < r->sites.size(); ++i) {
        CHECK(eight->sites[i].site == r->sites[i].site);
        CHECK(eight->sites[i].distance_m == r->sites[i].distance_m);
      }
      const std::vector<bool> vis = g->VisibleLabels(ctx.clearance);
      std::vector<NodeId> sites;
      std::vector<EdgeId> reads;
      const auto [first, last] = g->KindRange(NodeKind::kLocation);
      for (NodeId s = first; s < last; ++s) {
        if (!vis[g->node_label(s)] || HaversineMetres(at, g->position(s)) > radius) continue;
        bool camera = false;
        std::vector<EdgeId> here;
        for (EdgeId e = 0; e < g->num_edges(); ++e) {
          if (g->edge_kind()[e] != EdgeKind::kSeenAt || g->edge_target(e) != s ||
              !vis[g->edge_label()[e]]) {
            continue;
          }
          camera = true;
          const std::int64_t t = g->edge_time()[e];
          if (t >= from && t <= to && vis[g->node_label(g->edge_source(e))]) here.push_back(e);
        }
        if (!camera) continue;
        sites.push_back(s);
        reads.insert(reads.end(), here.begin(), here.end());
      }
      std::vector<NodeId> got_sites;
      for (const NearbySite& s : r->sites) got_sites.push_back(s.site);
      std::sort(got_sites.begin(), got_sites.end());
      CHECK(got_sites == sites);
      std::vector<EdgeId> got_reads;
      for (const AnprRead& read : r->reads) got_reads.push_back(read.edge);
      std::sort(got_reads.begin(), got_reads.end());
      std::sort(reads.begin(), reads.end());
      CHECK(got_reads == reads);
      total_sites += sites.size();
      total_reads += reads.size();
    }
  }
  CHECK(total_sites > 20);
  CHECK(total_reads > 50);
}

TEST_CASE("journey: ordered reads with time, distance and speed", "[anpr][journey]") {
  AnprGraph b;
  auto s0 = b.Site("J0", 52.0, -1.0), s1 = b.Site("J1", 52.1, -1.0), s2 = b.Site("J2", 52.1, -1.0);
  auto p = b.Plate("JO11URN");
  b.Read(p, s1, kDay0 + 600);
  b.Read(p, s0, kDay0);
  b.Read(p, s2, kDay0 + 600);  // same instant, same position: speed 0
  b.Read(p, s0, kDay0 + 7200, b.secret());
  auto g = std::move(b).Build();
  REQUIRE(g != nullptr);
  const NodeId plate = *g->Find(NodeKind::kPlate, "JO11URN");
  auto j = PlateJourney(*g, plate, {}, OfficialCtx());
  REQUIRE(j.ok());
  REQUIRE(j->steps.size() == 3);  // the SECRET read is hidden
  CHECK(j->steps[0].read.time == kDay0);
  CHECK(j->steps[1].seconds == 600);
  const double d = HaversineMetres({52.0, -1.0}, {52.1, -1.0});
  CHECK(d == Approx(11119.5).epsilon(0.001));  // 0.1 degree of latitude
  CHECK(j->steps[1].distance_m == Approx(d));
  CHECK(j->steps[1].speed_kmh == Approx(d / 600 * 3.6));
  CHECK(j->steps[2].seconds == 0);
  CHECK(j->steps[2].speed_kmh == 0);
  CHECK(j->distance_m == Approx(d));
  auto window = PlateJourney(*g, plate, {.from = absl::FromUnixSeconds(kDay0 + 1)}, Ctx());
  REQUIRE(window.ok());
  CHECK(window->steps.size() == 3);  // 600, 600, 7200
  const NodeId site = *g->Find(NodeKind::kLocation, "SITE-J0");
  CHECK(PlateJourney(*g, site, {}, Ctx()).status().code() == absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace polegraph::testing
