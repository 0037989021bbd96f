// The link commands of the polegraph CLI on a small saved snapshot: JSON keys and values,
// --text, filters, usage errors, and that a hidden entity reads exactly like a missing one.
#include <unistd.h>

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

#include "absl/strings/str_replace.h"
#include "fixture.h"
#include "polegraph/io.h"

namespace polegraph::links_test {
namespace {

struct Run {
  int code;
  std::string out;
};

Run Cli(const std::string& args) {
  const std::string cmd = std::string(POLEGRAPH_CLI) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  return {WEXITSTATUS(status), out};
}

// person:N000000 -ASSOCIATE_OF(t1)-> person:N000001 -KEEPER_OF-> vehicle:N000002
//   -INVOLVED_IN(t3)-> offence:N000003;  person:N000004 (SECRET) -ASSOCIATE_OF-> person:N000000
std::string SaveTestSnapshot() {
  Spec spec;
  spec.nodes = {{NodeKind::kPerson}, {NodeKind::kPerson}, {NodeKind::kVehicle},
                {NodeKind::kOffence}, {NodeKind::kPerson, Classification::kSecret}};
  spec.edges = {{0, 1, EdgeKind::kAssociateOf, kT0 + 1},
                {1, 2, EdgeKind::kKeeperOf, 0},
                {2, 3, EdgeKind::kInvolvedIn, kT0 + 3},
                {4, 0, EdgeKind::kAssociateOf, kT0 + 2}};
  const Built b = Build(spec);
  const std::string path = std::string(POLEGRAPH_BINARY_DIR) + "/links_cli_test-" + std::to_string(getpid()) + ".pg";
  REQUIRE(SaveSnapshot(*b.graph, path).ok());
  return path;
}

TEST_CASE("polegraph path / neighbours / network / linked-offences") {
  const std::string g = SaveTestSnapshot();
  Run r = Cli("path " + g + " --from person:N000000 --to offence:N000003 --threads 2");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"hops\": 3") != std::string::npos);
  CHECK(r.out.find("\"nodes\": [") != std::string::npos);
  CHECK(r.out.find("\"edges\": [") != std::string::npos);
  CHECK(r.out.find("\"paths\": [") != std::string::npos);
  CHECK(r.out.find("\"record_id\": \"E000002\"") != std::string::npos);
  CHECK(r.out.find("\"time\": \"2023-11-14T22:13:23Z\"") != std::string::npos);

  r = Cli("path " + g + " --from person:N000000 --to offence:N000003 --all --text");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("shortest paths: 1 of 3 hops") != std::string::npos);
  CHECK(r.out.find("person:N000000 -[ASSOCIATE_OF 2023-11-14T22:13:21Z E000000]-> "
                   "person:N000001 -[KEEPER_OF E000001]-> vehicle:N000002") != std::string::npos);

  // Outgoing only, and no vehicles: no path.
  r = Cli("path " + g + " --from offence:N000003 --to person:N000000 --direction out");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"found\": false") != std::string::npos);
  r = Cli("path " + g + " --from person:N000000 --to offence:N000003 --node-kinds person,offence");
  CHECK(r.out.find("\"found\": false") != std::string::npos);
  r = Cli("path " + g + " --from person:N000000 --to offence:N000003 --time-respecting");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"arrival\": \"2023-11-14T22:13:23Z\"") != std::string::npos);

  r = Cli("neighbours " + g + " --from person:N000000 --hops 1 --clearance SECRET");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("person:N000004") != std::string::npos);
  r = Cli("neighbours " + g + " --from person:N000000 --hops 1");  // default OFFICIAL
  REQUIRE(r.code == 0);
  CHECK(r.out.find("person:N000004") == std::string::npos);
  CHECK(r.out.find("\"distance\": 1") != std::string::npos);

  r = Cli("network " + g + " --subjects person:N000000,offence:N000003 --max-hops 2");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"unconnected\": [\n    \"person:N000000\",\n    \"offence:N000003\"\n  ]") !=
        std::string::npos);
  r = Cli("linked-offences " + g + " --offence offence:N000003 --max-hops 4 --text");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("0 linked offences") != std::string::npos);

  // Same bytes at any thread count.
  for (const char* cmd : {"neighbours G.pg --from person:N000001 --hops 3 --clearance SECRET",
                          "network G.pg --subjects person:N000000,vehicle:N000002 --max-hops 3",
                          "path G.pg --from person:N000004 --to offence:N000003 --all "
                          "--clearance SECRET"}) {
    const std::string base = absl::StrReplaceAll(cmd, {{"G.pg", g}});
    const Run one = Cli(base + " --threads 1"), eight = Cli(base + " --threads 8");
    CHECK(one.code == 0);
    CHECK(one.out == eight.out);
  }

  // One instant in the three forms of a time option: Unix seconds, ISO 8601 in UTC and with an
  // offset. The filter cuts the edges at kT0 + 1..3, keeping the KEEPER_OF of unknown time.
  {
    const std::string base = "neighbours " + g + " --from person:N000001 --hops 3";
    const Run unix_seconds = Cli(base + " --since " + std::to_string(kT0 + 5));
    CHECK(unix_seconds.code == 0);
    CHECK(Cli(base + " --since 2023-11-14T22:13:25Z").out == unix_seconds.out);
    CHECK(Cli(base + " --since 2023-11-14T23:13:25+01:00").out == unix_seconds.out);
    CHECK(Cli(base).out != unix_seconds.out);
  }

  // Errors: usage, bad filter, hidden entity worded like a missing one.
  CHECK(Cli("path " + g + " --from person:N000000").code == 2);
  CHECK(Cli("neighbours " + g + " --from person:N000000 --direction sideways").code == 2);
  CHECK(Cli("neighbours " + g + " --from person:N000000 --since yesterday").code == 2);
  // Hop counts that do not fit are refused, not wrapped (4294967296 used to search 0 hops).
  for (const char* cmd : {"path G.pg --from person:N000000 --to offence:N000003 --max-hops "
                          "4294967296",
                          "neighbours G.pg --from person:N000000 --hops -1",
                          "network G.pg --subjects person:N000000,vehicle:N000002 --max-hops "
                          "99999999999999999999",
                          "linked-offences G.pg --offence offence:N000003 --max-hops 2147483648"}) {
    const Run r = Cli(absl::StrReplaceAll(cmd, {{"G.pg", g}}));
    CHECK(r.code == 2);
    CHECK(r.out.find("must be in [0, 2147483647], got '") != std::string::npos);
  }
  const Run k = Cli("path " + g + " --from person:N000000 --to offence:N000003 --k 0");
  CHECK(k.code == 2);
  CHECK(k.out.find("--k must be in [1, 9223372036854775807], got '0'") != std::string::npos);
  Run hidden = Cli("neighbours " + g + " --from person:N000004");
  Run missing = Cli("neighbours " + g + " --from person:N999999");
  CHECK(hidden.code == 1);
  CHECK(missing.code == 1);
  CHECK(hidden.out.find("not visible at this clearance") != std::string::npos);
  CHECK(hidden.out.substr(hidden.out.find("(or")) == missing.out.substr(missing.out.find("(or")));
}

}  // namespace
}  // namespace polegraph::links_test
