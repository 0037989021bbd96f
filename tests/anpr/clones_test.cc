// Cloned plates: hand-worked cases (a clone by speed, by colour; a non-clone two sites 1 km
// apart 10 minutes apart), a brute-force oracle on random graphs, threads, clearance.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "absl/strings/ascii.h"
#include "anpr_fixture.h"

namespace polegraph::testing {
namespace {

// O(R^2) per plate, from the definition in polegraph/anpr.h: each read's successor is found
// by scanning every read of the plate; the displaying vehicle by scanning every DISPLAYS edge.
std::vector<CloneConflict> BruteClones(const Graph& g, const CloneOptions& o,
                                       const Clearance& clearance) {
  const std::vector<bool> vis = g.VisibleLabels(clearance);
  std::map<NodeId, std::vector<AnprRead>> reads;
  for (EdgeId e = 0; e < g.num_edges(); ++e) {
    if (g.edge_kind()[e] != EdgeKind::kSeenAt) continue;
    const NodeId p = g.edge_source(e), s = g.edge_target(e);
    if (!vis[g.edge_label()[e]] || !vis[g.node_label(p)] || !vis[g.node_label(s)]) continue;
    reads[p].push_back({e, p, s, g.edge_time()[e], g.edge_record()[e]});
  }
  auto before = [](const AnprRead& x, const AnprRead& y) {
    return x.time < y.time || (x.time == y.time && x.edge < y.edge);
  };
  std::vector<CloneConflict> out;
  for (const auto& [plate, rs] : reads) {
    for (const AnprRead& x : rs) {
      const AnprRead* next = nullptr;
      for (const AnprRead& y : rs) {
        if (before(x, y) && (next == nullptr || before(y, *next))) next = &y;
      }
      if (next == nullptr) continue;
      const double d = HaversineMetres(g.position(x.site), g.position(next->site));
      const double dt = static_cast<double>(next->time - x.time);
      const double kmh = dt > 0 ? d / dt * 3.6 : INFINITY;
      if (d < o.min_distance_m || d == 0 || kmh <= o.max_speed_kmh) continue;
      CloneConflict c;
      c.plate = plate;
      c.reason = CloneReason::kSpeed;
      c.reads = {x, *next};
      c.speed_kmh = kmh;
      out.push_back(c);
    }
    for (const AnprRead& x : rs) {
      EdgeId best = 0;
      bool found = false;
      for (EdgeId e = 0; e < g.num_edges(); ++e) {
        if (g.edge_kind()[e] != EdgeKind::kDisplays || g.edge_target(e) != plate) continue;
        if (!vis[g.edge_label()[e]] || !vis[g.node_label(g.edge_source(e))]) continue;
        if (g.edge_time()[e] > x.time) continue;
        if (!found || g.edge_time()[e] > g.edge_time()[best] ||
            (g.edge_time()[e] == g.edge_time()[best] && e > best)) {
          best = e;
          found = true;
        }
      }
      if (!found) continue;
      const NodeId vehicle = g.edge_source(best);
      for (const PropertyView& p : g.properties(plate)) {
        if (p.record != x.record || (p.name != "read_make" && p.name != "read_colour")) continue;
        const bool colour = p.name == "read_colour";
        bool match = false, any = false;
        for (const PropertyView& q : g.properties(vehicle)) {
          if (q.name != (colour ? "colour" : "make")) continue;
          any = true;
          match = match || absl::AsciiStrToUpper(std::string(q.value)) ==
                               absl::AsciiStrToUpper(std::string(p.value));
        }
        if (!any || match) continue;
        CloneConflict c;
        c.plate = plate;
        c.reason = colour ? CloneReason::kColourMismatch : CloneReason::kMakeMismatch;
        c.reads = {x};
        c.vehicle = vehicle;
        out.push_back(c);
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const CloneConflict& x, const CloneConflict& y) {
    return std::tie(x.plate, x.reads[0].time, x.reads[0].edge, x.reason) <
           std::tie(y.plate, y.reads[0].time, y.reads[0].edge, y.reason);
  });
  return out;
}

void CheckAgainstBrute(const Graph& g, const CloneOptions& o, const QueryContext& ctx,
                       std::size_t& total) {
  auto fast = FindClones(g, o, ctx);
  REQUIRE(fast.ok());
  const std::vector<CloneConflict> brute = BruteClones(g, o, ctx.clearance);
  REQUIRE(fast->conflicts.size() == brute.size());
  for (std::size_t i = 0; i < brute.size(); ++i) {
    const CloneConflict &f = fast->conflicts[i], &b = brute[i];
    CHECK(f.plate == b.plate);
    CHECK(f.reason == b.reason);
    CHECK(f.reads == b.reads);
    CHECK(f.vehicle == b.vehicle);
    if (std::isfinite(b.speed_kmh)) CHECK(f.speed_kmh == Approx(b.speed_kmh));
  }
  total += brute.size();
}

TEST_CASE("clones match the brute-force oracle on random graphs, at any thread count",
          "[anpr][clones]") {
  std::size_t total = 0;
  for (std::uint32_t seed : {5u, 6u, 7u}) {
    // Sites up to ~25 km apart and reads minutes apart: plenty of "too fast" pairs.
    auto g = RandomAnprGraph(seed, 12, 30, 800);
    REQUIRE(g != nullptr);
    for (int threads : {1, 2, 8}) {
      CheckAgainstBrute(*g, {}, Ctx(threads), total);
      CheckAgainstBrute(*g, {.max_speed_kmh = 90, .min_distance_m = 3000}, Ctx(threads), total);
      CheckAgainstBrute(*g, {}, OfficialCtx(threads), total);
    }
  }
  CHECK(total > 50);
}

// Sites (lat, lon):  LONDON (51.50, -0.12)   BIRMINGHAM (52.48, -1.90): ~163 km apart
//                    L1 (51.50, -0.12)  L2 1 km north of L1 (51.508993, -0.12)
// CLONE1 at LONDON 09:00 and BIRMINGHAM 09:30 -> ~326 km/h: a clone by speed.
// CLONE2 displayed by a BLUE FORD; read at L1 09:00 as RED: a clone by colour; read at L2
//        09:10 as "blue" FORD: no conflict (case-insensitive).
// HONEST at L1 09:00 and L2 09:10 (1 km in 10 min, 6 km/h): no conflict; also at L1 and a
//        site 500 m away at the same instant: closer than 1 km, ignored.
TEST_CASE("hand-worked clones: speed, colour, and a non-clone", "[anpr][clones]") {
  AnprGraph b;
  auto london = b.Site("LON", 51.50, -0.12), brum = b.Site("BHM", 52.48, -1.90);
  auto l2 = b.Site("L2", 51.508993, -0.12), near = b.Site("NEAR", 51.5045, -0.12);
  auto c1 = b.Plate("CL11ONE"), c2 = b.Plate("CL22TWO"), honest = b.Plate("HO33EST");
  const std::int64_t nine = kDay0 + 9 * 3600;
  const std::string r_lon = b.Read(c1, london, nine), r_bhm = b.Read(c1, brum, nine + 1800);
  b.Vehicle("VINCLONE2", c2, kDay0 - 86400, "FORD", "BLUE");
  const std::string r_red = b.Read(c2, london, nine, b.official(), "FORD", "RED");
  b.Read(c2, l2, nine + 600, b.official(), "ford", "blue");
  b.Read(honest, london, nine);
  b.Read(honest, l2, nine + 600);
  b.Read(honest, near, nine + 600);
  auto g = std::move(b).Build();
  REQUIRE(g != nullptr);
  auto r = FindClones(*g, {}, Ctx());
  REQUIRE(r.ok());
  REQUIRE(r->conflicts.size() == 2);
  const CloneConflict& speed = r->conflicts[0];
  CHECK(g->key(speed.plate) == "CL11ONE");
  CHECK(speed.reason == CloneReason::kSpeed);
  CHECK(g->record(speed.reads[0].record).record_id == r_lon);
  CHECK(g->record(speed.reads[1].record).record_id == r_bhm);
  CHECK(speed.seconds == 1800);
  CHECK(speed.distance_m == Approx(163000).epsilon(0.01));
  CHECK(speed.speed_kmh == Approx(speed.distance_m / 1800 * 3.6));
  CHECK(speed.speed_kmh > 300);
  const CloneConflict& colour = r->conflicts[1];
  CHECK(g->key(colour.plate) == "CL22TWO");
  CHECK(colour.reason == CloneReason::kColourMismatch);
  CHECK(g->record(colour.reads[0].record).record_id == r_red);
  CHECK(colour.read_value == "RED");
  CHECK(colour.vehicle_value == "BLUE");
  CHECK(g->key(colour.vehicle) == "VINCLONE2");
  CHECK(r->plates == std::vector<NodeId>{speed.plate, colour.plate});

  // 326 km/h is below a 400 km/h limit; colour checks can be switched off.
  auto lenient = FindClones(*g, {.max_speed_kmh = 400, .compare_make_colour = false}, Ctx());
  REQUIRE(lenient.ok());
  CHECK(lenient->conflicts.empty());
  CHECK(FindClones(*g, {.max_speed_kmh = -1}, Ctx()).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

// One plate read 300 times, a minute apart, alternately at two sites 100 m apart (never a
// speed conflict), displayed by V1 (FORD, RED) until read 150's time, then by V2 (VW, SILVER).
// Read i carries the right make and colour of the vehicle of its time, in varied case and
// spacing ("red", " Red ", "SiLvEr"), except: i % 10 == 3 reads colour BLUE (a colour
// conflict), i % 10 == 7 reads make AUDI (a make conflict). 300 reads put most of the plate's
// properties past the first 255 records of the node (the snapshot's escape table).
TEST_CASE("make / colour against the vehicle of the read's time, over many reads",
          "[anpr][clones]") {
  AnprGraph b;
  auto a = b.Site("A", 51.50, -0.12), c = b.Site("C", 51.5009, -0.12);
  auto p = b.Plate("MA11NY");
  const std::int64_t switch_time = kDay0 + 150 * 60;
  b.Vehicle("VIN1", p, kDay0 - 86400, "FORD", "RED");
  b.Vehicle("VIN2", p, switch_time, "VW", "SILVER");
  std::vector<std::string> ids;
  const char* red[] = {"red", " Red ", "RED"};
  const char* silver[] = {"silver", "SiLvEr", "SILVER "};
  for (int i = 0; i < 300; ++i) {
    const bool v1 = i < 150;
    std::string make = v1 ? "Ford" : "vw", colour = v1 ? red[i % 3] : silver[i % 3];
    if (i % 10 == 3) colour = "BLUE";
    if (i % 10 == 7) make = "AUDI";
    ids.push_back(b.Read(p, i % 2 == 0 ? a : c, kDay0 + i * 60, b.official(), make, colour));
  }
  auto g = std::move(b).Build();
  REQUIRE(g != nullptr);
  for (int threads : {1, 2, 8}) {
    auto r = FindClones(*g, {}, Ctx(threads));
    REQUIRE(r.ok());
    REQUIRE(r->conflicts.size() == 60);
    std::size_t k = 0;
    for (int i = 0; i < 300; ++i) {
      if (i % 10 != 3 && i % 10 != 7) continue;
      const CloneConflict& x = r->conflicts[k++];
      const bool v1 = i < 150;
      CHECK(g->record(x.reads.at(0).record).record_id == ids[static_cast<std::size_t>(i)]);
      CHECK(g->key(x.vehicle) == (v1 ? "VIN1" : "VIN2"));
      if (i % 10 == 3) {
        CHECK(x.reason == CloneReason::kColourMismatch);
        CHECK(x.read_value == "BLUE");
        CHECK(x.vehicle_value == (v1 ? "RED" : "SILVER"));
      } else {
        CHECK(x.reason == CloneReason::kMakeMismatch);
        CHECK(x.read_value == "AUDI");
        CHECK(x.vehicle_value == (v1 ? "FORD" : "VW"));
      }
    }
  }
}

TEST_CASE("clearance hides the reads that would make a clone", "[anpr][clones]") {
  AnprGraph b;
  auto london = b.Site("LON", 51.50, -0.12), brum = b.Site("BHM", 52.48, -1.90);
  auto p = b.Plate("SE11CRT");
  b.Read(p, london, kDay0);
  b.Read(p, brum, kDay0 + 600, b.secret());
  auto g = std::move(b).Build();
  REQUIRE(g != nullptr);
  auto all = FindClones(*g, {}, Ctx());
  REQUIRE(all.ok());
  CHECK(all->conflicts.size() == 1);
  auto official = FindClones(*g, {}, OfficialCtx());
  REQUIRE(official.ok());
  CHECK(official->conflicts.empty());
}

}  // namespace
}  // namespace polegraph::testing
