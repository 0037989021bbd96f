// The ANPR sub-commands end to end: a snapshot built here, saved, and queried through the
// polegraph binary; JSON fields checked, and ISO 8601 times with offsets across the GMT/BST
// change (2024-03-31 01:00 UTC) converted to UTC.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "anpr_fixture.h"
#include "polegraph/io.h"

namespace polegraph::testing {
namespace {

std::string Run(const std::string& args, int* status = nullptr) {
  const std::string cmd = std::string(POLEGRAPH_CLI) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof(buf), pipe)) out.append(buf, n);
  const int rc = pclose(pipe);
  if (status != nullptr) *status = WEXITSTATUS(rc);
  return out;
}

std::size_t Count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = haystack.find(needle); p != std::string::npos;
       p = haystack.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

// BST begins 2024-03-31 01:00 UTC (02:00 local). CROSS1 and CROSS2 (20 s behind) are read at
// 00:30Z (00:30 GMT) and 01:30Z (02:30 BST) at site B0, at B1 ten minutes later and at B2 ten
// minutes after that: two occasions at three sites. CL0NE1 is read at B0 at 01:00Z and in
// Manchester fifteen minutes later.
constexpr std::int64_t kSwitch = 1711846800;  // 2024-03-31T01:00:00Z

std::string SnapshotPath() {
  static const std::string path = [] {
    AnprGraph b;
    auto b0 = b.Site("B0", 51.50, -0.12), b1 = b.Site("B1", 51.60, -0.12);
    auto b2 = b.Site("B2", 51.70, -0.12), far = b.Site("FAR", 53.48, -2.24);
    auto x = b.Plate("CROSS1"), y = b.Plate("CROSS2"), c = b.Plate("CL0NE1");
    for (std::int64_t t : {kSwitch - 1800, kSwitch + 1800}) {
      b.Read(x, b0, t);
      b.Read(y, b0, t + 20);
      b.Read(x, b1, t + 600);
      b.Read(y, b1, t + 620);
      b.Read(x, b2, t + 1200);
      b.Read(y, b2, t + 1220);
    }
    b.Read(c, b0, kSwitch);
    b.Read(c, far, kSwitch + 900);  // ~260 km in 15 min
    auto g = std::move(b).Build();
    REQUIRE(g != nullptr);
    std::filesystem::create_directories(std::string(POLEGRAPH_BINARY_DIR) + "/anpr_cli");
    const std::string p = std::string(POLEGRAPH_BINARY_DIR) + "/anpr_cli/g-" + std::to_string(getpid()) + ".pg";
    REQUIRE(SaveSnapshot(*g, p).ok());
    return p;
  }();
  return path;
}

// Two plates on two occasions in a graph with nothing else to compare them with are not
// significant after correction for multiple tests (the default): --uncorrected shows them.
TEST_CASE("cli: convoys, with --derive-out", "[anpr][cli]") {
  const std::string g = SnapshotPath();
  const std::string derived = g + ".derived.pg";
  int rc = -1;
  const std::string out = Run("convoys " + g + " --uncorrected --derive-out " + derived, &rc);
  CHECK(rc == 0);
  CHECK(Count(out, "\"plates\"") == 2);      // the convoy and its one pair
  CHECK(Count(out, "\"CROSS1\"") == 2 + 6);  // convoy and pair plates, and its 6 reads
  CHECK(out.find("\"occasions\": 2") != std::string::npos);
  CHECK(out.find("\"time\": \"2024-03-31T00:30:00Z\"") != std::string::npos);
  CHECK(out.find("\"record_id\": \"R0\"") != std::string::npos);
  const std::string info = Run("show " + derived + " plate:CROSS1", &rc);
  CHECK(rc == 0);
  CHECK(info.find("TRAVELLED_WITH") != std::string::npos);
  CHECK(info.find("DERIVED") != std::string::npos);
  // --since after the first occasion leaves one: no convoy.
  const std::string later =
      Run("convoys " + g + " --uncorrected --since 2024-03-31T02:00:00+01:00", &rc);
  CHECK(rc == 0);
  CHECK(later.find("\"count\": 0") != std::string::npos);
  // Given as GMT the same instant is an hour earlier: 01:00 GMT = 01:00Z, still after 00:30Z.
  const std::string gmt =
      Run("convoys " + g + " --uncorrected --since 2024-03-31T00:29:00+00:00", &rc);
  CHECK(gmt.find("\"count\": 1") != std::string::npos);
  CHECK(Run("convoys " + g + " --window ninety", &rc).find("not a duration") != std::string::npos);
  CHECK(rc == 2);
  CHECK(Run("convoys " + g + " --window inf", &rc)
            .find("ConvoyOptions.window must be from 1s to 366 days (8784h), got inf") !=
        std::string::npos);
  CHECK(rc == 2);
  CHECK(Run("convoys " + g + " --occasion-gap 367d", &rc).find("not a duration") !=
        std::string::npos);  // absl durations stop at hours
  CHECK(Run("convoys " + g + " --occasion-gap 8785h", &rc).find("occasion_gap must be from 0") !=
        std::string::npos);
  CHECK(rc == 2);
  // Integers that do not fit the option's type are refused, not wrapped (4294967297 used to
  // run with --min-sites 1).
  CHECK(Run("convoys " + g + " --min-sites 4294967297", &rc)
            .find("--min-sites must be in [1, 2147483647], got '4294967297'") != std::string::npos);
  CHECK(rc == 2);
  CHECK(Run("convoys " + g + " --min-occasions 99999999999999999999", &rc)
            .find("--min-occasions must be in [1, 2147483647]") != std::string::npos);
  CHECK(rc == 2);
  // A date and time without a zone is refused (ambiguous across GMT / BST).
  CHECK(Run("convoys " + g + " --since 2024-03-31T00:30", &rc).find("ISO 8601") !=
        std::string::npos);
  CHECK(rc == 2);
}

TEST_CASE("cli: journey across the BST change, clones, misreads, nearby", "[anpr][cli]") {
  const std::string g = SnapshotPath();
  int rc = -1;
  // 01:00 GMT+1 = 00:00Z .. 02:45 BST = 01:45Z: 00:30Z, 00:40Z, 00:50Z, 01:30Z, 01:40Z.
  std::string out = Run("journey " + g +
                            " --plate cross1 --from 2024-03-31T01:00:00+01:00 --to "
                            "2024-03-31T02:45:00+01:00",
                        &rc);
  CHECK(rc == 0);
  CHECK(Count(out, "\"record_id\"") == 5);
  CHECK(out.find("\"time\": \"2024-03-31T00:30:00Z\"") != std::string::npos);
  CHECK(out.find("\"time\": \"2024-03-31T01:40:00Z\"") != std::string::npos);
  // The same instant, 2024-03-31T00:00:00Z, as Unix seconds and as a bare date (00:00 UTC).
  for (const char* from : {"1711843200", "2024-03-31"}) {
    CAPTURE(from);
    CHECK(Run(absl::StrCat("journey ", g, " --plate cross1 --from ", from,
                           " --to 2024-03-31T02:45:00+01:00"),
              &rc) == out);
    CHECK(rc == 0);
  }
  // 02:00 BST does not exist on the clock, but as an offset time it is simply 01:00Z.
  out = Run("journey " + g +
                " --plate CROSS1 --from 2024-03-31T02:00:00+01:00 --to "
                "2024-03-31T01:35:00Z",
            &rc);
  CHECK(Count(out, "\"record_id\"") == 1);

  out = Run("clones " + g, &rc);
  CHECK(rc == 0);
  CHECK(Count(out, "\"reason\": \"speed\"") == 1);
  CHECK(out.find("\"plate\": \"CL0NE1\"") != std::string::npos);
  out = Run("clones " + g + " --max-speed-kmh 2000", &rc);
  CHECK(Count(out, "\"reason\"") == 0);

  out = Run("misreads " + g + " --plate CLONE1", &rc);
  CHECK(rc == 0);
  CHECK(out.find("\"plate\": \"CL0NE1\"") != std::string::npos);
  CHECK(out.find("\"substitutions\": 1") != std::string::npos);

  out = Run("nearby " + g +
                " --at 51.5,-0.12 --radius 100 --from 2024-03-31T00:00:00Z --to "
                "2024-03-31T02:00:00+01:00",
            &rc);
  CHECK(rc == 0);
  CHECK(Count(out, "\"site\": \"SITE-B0\"") == 4);  // the site, and in each of 3 reads
  CHECK(Count(out, "\"record_id\"") == 3);  // CROSS1, CROSS2 at 00:30Z, 00:30:20Z; CL0NE1 at 01:00Z
  CHECK(Run("nearby " + g + " --at 51.5 --from 2024-03-31T00:00:00Z --to 2024-03-31T00:00:00Z", &rc)
            .find("LAT,LON") != std::string::npos);
  CHECK(rc == 2);
  CHECK(Run("nearby " + g +
                " --at 51.5,-0.12 --radius 100 --from 2024-03-31T00:00:00Z --to "
                "2024-03-31T02:00:00Z --margin inf",
            &rc)
            .find("NearbyOptions.margin must be from 0 to 366 days") != std::string::npos);
  CHECK(rc == 2);
  CHECK(Run("misreads " + g + " --plate CLONE1 --max-substitutions 4294967298", &rc)
            .find("--max-substitutions must be in [0, 2147483647]") != std::string::npos);
  CHECK(rc == 2);
}

// A graph with SECRET records, for the clearance the CLI applies by default (OFFICIAL) and on
// request:
//   plate SEC1 -SEEN_AT(R0, OFFICIAL, camera colour RED)->  location SITE-OPEN
//   plate SEC1 -SEEN_AT(R1, SECRET,   camera colour BLUE)-> location SITE-OPEN
//   plate SEC1 -SEEN_AT(R2, OFFICIAL)->                      location SITE-HIDDEN (SECRET site)
// At OFFICIAL the plate shows one read (R0), one colour (RED) and neither R1, BLUE nor
// SITE-HIDDEN; SITE-HIDDEN itself is reported exactly like a site that does not exist.
std::string SecretSnapshotPath() {
  static const std::string path = [] {
    AnprGraph b;
    auto open = b.Site("OPEN", 51.50, -0.12);
    auto hidden = b.Site("HIDDEN", 51.60, -0.12, b.secret());
    auto p = b.Plate("SEC1");
    b.Read(p, open, kDay0, b.official(), "", "RED");
    b.Read(p, open, kDay0 + 60, b.secret(), "", "BLUE");
    b.Read(p, hidden, kDay0 + 3600);
    auto g = std::move(b).Build();
    REQUIRE(g != nullptr);
    std::filesystem::create_directories(std::string(POLEGRAPH_BINARY_DIR) + "/anpr_cli");
    const std::string p_path = std::string(POLEGRAPH_BINARY_DIR) + "/anpr_cli/secret-" +
                               std::to_string(getpid()) + ".pg";
    REQUIRE(SaveSnapshot(*g, p_path).ok());
    return p_path;
  }();
  return path;
}

TEST_CASE("cli: show and the ANPR commands honour --clearance, default OFFICIAL", "[anpr][cli]") {
  const std::string g = SecretSnapshotPath();
  int rc = -1;
  std::string out = Run("show " + g + " plate:SEC1", &rc);
  CHECK(rc == 0);
  CHECK(out.find("\"out_degree\": 1") != std::string::npos);
  CHECK(out.find("\"record_id\": \"R0\"") != std::string::npos);
  CHECK(out.find("\"value\": \"RED\"") != std::string::npos);
  for (const char* hidden : {"R1", "R2", "BLUE", "SITE-HIDDEN", "SECRET"}) {
    INFO(hidden);
    CHECK(out.find(hidden) == std::string::npos);
  }
  out = Run("show " + g + " plate:SEC1 --text", &rc);
  CHECK(rc == 0);
  CHECK(out.find("edges out: 1") != std::string::npos);
  CHECK(out.find("BLUE") == std::string::npos);
  CHECK(out.find("SITE-HIDDEN") == std::string::npos);

  out = Run("show " + g + " plate:SEC1 --clearance secret", &rc);
  CHECK(rc == 0);
  CHECK(out.find("\"out_degree\": 3") != std::string::npos);
  for (const char* seen : {"\"R1\"", "\"R2\"", "\"BLUE\"", "SITE-HIDDEN"}) {
    INFO(seen);
    CHECK(out.find(seen) != std::string::npos);
  }
  // A hidden entity and a missing one get the same answer.
  const std::string hidden = Run("show " + g + " location:SITE-HIDDEN", &rc);
  CHECK(rc == 1);
  CHECK(hidden.find("not visible at this clearance") != std::string::npos);
  const std::string missing = Run("show " + g + " location:SITE-NONE", &rc);
  CHECK(rc == 1);
  CHECK(missing.substr(missing.find("(")) == hidden.substr(hidden.find("(")));
  out = Run("show " + g + " location:SITE-HIDDEN --clearance SECRET", &rc);
  CHECK(rc == 0);
  CHECK(out.find("\"in_degree\": 1") != std::string::npos);
  CHECK(Run("show " + g + " plate:SEC1 --clearance restricted", &rc).find("--clearance") !=
        std::string::npos);
  CHECK(rc == 2);

  // The ANPR commands: OFFICIAL unless told otherwise.
  out = Run("journey " + g + " --plate SEC1", &rc);
  CHECK(rc == 0);
  CHECK(Count(out, "\"record_id\"") == 1);
  out = Run("journey " + g + " --plate SEC1 --clearance SECRET", &rc);
  CHECK(Count(out, "\"record_id\"") == 3);
}

}  // namespace
}  // namespace polegraph::testing
