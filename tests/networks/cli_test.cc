// `polegraph communities` and `polegraph centrality` end to end: a snapshot of the hand-made
// POLE graph (pole_fixture.h) and a plain edge list, outputs checked against hand-worked
// expectations and compared byte for byte across thread counts.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "networks/pole_fixture.h"
#include "polegraph/io.h"

namespace polegraph::testing {
namespace {

struct Dir {
  Dir() {
    char tmpl[] = "/tmp/polegraph-networks-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~Dir() { std::system(("rm -rf " + path).c_str()); }
  std::string File(const std::string& name) const { return path + "/" + name; }
  std::string path;
};

struct Result {
  int code;
  std::string out, err;
};

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Result Cli(const Dir& dir, const std::string& args) {
  const std::string cmd =
      std::string(POLEGRAPH_CLI) + " " + args + " > " + dir.File("out") + " 2> " + dir.File("err");
  const int rc = std::system(cmd.c_str());
  return {WEXITSTATUS(rc), Read(dir.File("out")), Read(dir.File("err"))};
}

// Lines of `out` with surrounding whitespace removed, joined by single spaces.
std::string Flat(const std::string& out) {
  std::stringstream in(out);
  std::string line, flat;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    if (!flat.empty()) flat += ' ';
    flat += line.substr(b);
  }
  return flat;
}

TEST_CASE("communities on a snapshot: members, offences, key players, brokers") {
  Dir dir;
  REQUIRE(SaveSnapshot(*HandGraph(), dir.File("g.pg")).ok());
  // Co-offending + vehicles, O3 skipped as a hub: P1 P2 P3 P7 share O1, P4 shares V1 with P1;
  // P5 and P6 are left alone. P1 is the only way to P4: key player and cut vertex.
  const std::string args = "communities " + dir.File("g.pg") +
                           " --projection co-offending,vehicles=0.5 --hub-cap 5 --algorithm wcc"
                           " --min-size 2 --top 1 --clearance secret";
  const Result r = Cli(dir, args + " --threads 1");
  REQUIRE(r.code == 0);
  const std::string flat = Flat(r.out);
  CHECK(flat.find("\"skipped_hubs\": [ \"offence:O3\" ]") != std::string::npos);
  CHECK(flat.find("\"members\": [ \"person:01/1A\", \"person:01/2A\", \"person:01/3A\", "
                  "\"person:01/4A\", \"person:01/7A\" ], \"size\": 5") != std::string::npos);
  CHECK(flat.find("\"offences\": [ \"offence:O1\", \"offence:O2\", \"offence:O3\" ]") !=
        std::string::npos);
  CHECK(flat.find("\"key_players\": [ \"person:01/1A\" ]") != std::string::npos);
  CHECK(flat.find("\"brokers\": [ \"person:01/1A\" ]") != std::string::npos);
  CHECK(flat.find("\"num_communities\": 3") != std::string::npos);
  CHECK(Cli(dir, args + " --threads 8").out == r.out);
  // --explain: the P1-P4 link rests on P1 KEEPER_OF V1 and P4 USED V1, with their records.
  const std::string explained = Flat(Cli(dir, args + " --explain").out);
  CHECK(explained.find("{ \"a\": \"person:01/1A\", \"b\": \"person:01/4A\", \"weight\": 0.5, "
                       "\"evidence\": [ { \"kind\": \"KEEPER_OF\", \"from\": \"person:01/1A\", "
                       "\"to\": \"vehicle:V1\"") != std::string::npos);
  CHECK(explained.find("\"record\": \"PND pnd.pb record R1\"") != std::string::npos);
  // OFFICIAL clearance (the last --clearance given wins): P7 (SECRET) disappears; so it does
  // with no --clearance at all (least privilege).
  const Result official = Cli(dir, args + " --clearance official");
  REQUIRE(official.code == 0);
  CHECK(Flat(official.out).find("\"person:01/7A\"") == std::string::npos);
  CHECK(Flat(official.out).find("\"size\": 4") != std::string::npos);
  const std::string unstated = "communities " + dir.File("g.pg") +
                               " --projection co-offending,vehicles=0.5 --hub-cap 5 --algorithm wcc"
                               " --min-size 2 --top 1";
  CHECK(Cli(dir, unstated).out == official.out);
  // Leiden output is the same at 1 and 8 threads, byte for byte.
  const std::string leiden = "communities " + dir.File("g.pg") + " --algorithm leiden --seed 4";
  CHECK(Cli(dir, leiden + " --threads 1").out == Cli(dir, leiden + " --threads 8").out);
  // Errors: a clear message and a non-zero exit.
  const Result bad = Cli(dir, "communities " + dir.File("g.pg") + " --projection friends");
  CHECK(bad.code == 2);  // a usage error, found before the snapshot is opened
  CHECK(bad.err.find("'friends' is unknown") != std::string::npos);
  CHECK(Cli(dir, "communities --algorithm magic --edges x").code == 2);
  CHECK(Cli(dir, "communities").code == 2);
}

TEST_CASE("communities and centrality refuse bad numbers and bad input files clearly") {
  Dir dir;
  std::ofstream(dir.File("path.txt")) << "10 20\n20 30\n30 40\n";
  const std::string edges = " --edges " + dir.File("path.txt");
  // Options narrowed to int / uint32: out of range is a usage error (exit 2), not a wrap
  // (--top 4294967295 used to become -1, --min-size 2^32 to become 0).
  Result r = Cli(dir, "communities" + edges + " --top 4294967295");
  CHECK(r.code == 2);
  CHECK(r.err.find("--top must be in [0, 2147483647], got '4294967295'") != std::string::npos);
  r = Cli(dir, "communities" + edges + " --min-size 4294967296 --algorithm wcc");
  CHECK(r.code == 2);
  CHECK(r.err.find("--min-size must be in [1, 4294967295], got '4294967296'") != std::string::npos);
  r = Cli(dir, "communities" + edges + " --threads 0");
  CHECK(r.code == 2);
  CHECK(r.err.find("--threads must be in [1, 1024], got '0'") != std::string::npos);
  r = Cli(dir, "centrality" + edges + " --measure degree --top 99999999999999999999");
  CHECK(r.code == 2);
  CHECK(r.err.find("--top must be in [0, 9223372036854775807]") != std::string::npos);
  CHECK(Cli(dir, "centrality" + edges + " --measure degree --top many")
            .err.find("--top: not an integer: 'many'") != std::string::npos);
  // --resolution is checked before the input is read: a missing snapshot is not even opened.
  for (const char* bad : {"nan", "-1", "0", "inf"}) {
    r = Cli(dir, "communities " + dir.File("missing.pg") + " --resolution " + bad);
    CHECK(r.code == 2);
    CHECK(r.err.find(std::string("--resolution must be finite and > 0, got '") + bad + "'") !=
          std::string::npos);
  }
  // The projection's options are usage errors (exit 2), checked before the snapshot is opened
  // (missing.pg does not exist); a snapshot that cannot be opened is not (exit 1).
  for (const std::string& opt : {std::string("--hub-cap -5"), std::string("--from 4294967296"),
                                  std::string("--to x"), std::string("--clearance NOPE")}) {
    for (const char* command : {"communities ", "centrality --measure degree "}) {
      CAPTURE(opt, command);
      r = Cli(dir, command + dir.File("missing.pg") + " " + opt);
      CHECK(r.code == 2);
      CHECK(r.err.find("missing.pg") == std::string::npos);
    }
  }
  r = Cli(dir, "communities " + dir.File("missing.pg") + " --hub-cap -5");
  CHECK(r.err.find("--hub-cap must be in [0, 9223372036854775807], got '-5'") !=
        std::string::npos);
  r = Cli(dir, "communities " + dir.File("missing.pg") + " --from 4294967296");
  CHECK(r.err.find("--from must lie in 1970-01-01T00:00:00Z .. 2106-02-07T06:28:15Z (Unix "
                   "seconds 0 .. 4294967295), got '4294967296'") != std::string::npos);
  r = Cli(dir, "communities " + dir.File("missing.pg") + " --to 2024-03-31T01:00:00");
  CHECK(r.code == 2);  // no zone: ambiguous across GMT / BST
  CHECK(r.err.find("--to: '2024-03-31T01:00:00' is not a time") != std::string::npos);
  for (const char* command : {"communities ", "centrality --measure degree "}) {
    r = Cli(dir, command + dir.File("missing.pg"));
    CHECK(r.code == 1);
    CHECK(r.err.find("missing.pg") != std::string::npos);
  }
  // A directory as the edge list: a clear error, not std::bad_alloc (exit 134).
  r = Cli(dir, "communities --edges " + dir.path);
  CHECK(r.code == 1);
  CHECK(r.err == "polegraph communities: " + dir.path + ": not a regular file\n");
  r = Cli(dir, "centrality --measure degree --edges " + dir.path);
  CHECK(r.code == 1);
  CHECK(r.err.find("not a regular file") != std::string::npos);
  // Finite weights whose sum overflows: refused (it gave "modularity": null and the triangle
  // 1-2-3 as three singletons).
  std::ofstream(dir.File("huge.txt")) << "1 2 1e308\n2 3 1e308\n3 1 1e308\n4 5 1\n";
  r = Cli(dir, "communities --edges " + dir.File("huge.txt") + " --weighted");
  CHECK(r.code == 1);
  CHECK(r.err.find("DetectCommunities: the total edge weight (inf over both directions of every "
                   "edge) overflows a double") != std::string::npos);
  std::ofstream(dir.File("beyond.txt")) << "1 2 1\n2 3 1e400\n";
  r = Cli(dir, "communities --edges " + dir.File("beyond.txt") + " --weighted");
  CHECK(r.code == 1);
  CHECK(r.err.find(dir.File("beyond.txt") + ":2: weight '1e400' is out of the range of a double") !=
        std::string::npos);
}

TEST_CASE("centrality on an edge list: a path's middle vertex leads") {
  Dir dir;
  std::ofstream(dir.File("path.txt")) << "10 20\n20 30\n30 40\n40 50\n";
  const Result r = Cli(dir, "centrality --edges " + dir.File("path.txt") +
                                " --measure betweenness --top 2 --threads 2");
  REQUIRE(r.code == 0);
  // Path of 5: vertex 30 lies on 2 * 2 pairs, 20 and 40 on 3 each.
  CHECK(
      Flat(r.out).find("\"top\": [ { \"key\": 30, \"value\": 4 }, { \"key\": 20, \"value\": 3 }") !=
      std::string::npos);
  const Result s = Cli(
      dir, "centrality --edges " + dir.File("path.txt") + " --measure betweenness --samples 500");
  REQUIRE(s.code == 0);
  CHECK(Flat(s.out).find("\"samples\": 500") != std::string::npos);
  CHECK(Cli(dir, "centrality --edges " + dir.File("path.txt") + " --measure pagerank --samples 5")
            .code == 2);
}

TEST_CASE("centrality --measure pagerank --tolerance: the exact ranks of a 3-vertex path") {
  Dir dir;
  std::ofstream(dir.File("p3.txt")) << "10 20\n20 30\n";
  // Hand-worked fixed point, d = 0.85: leaf L = 0.05 + 0.85 * M / 2, middle M = 0.05 + 0.85 * 2L,
  // so L = 19/74 = 0.256756756757 and M = 18/37 = 0.486486486486 (they sum to 1); the
  // tolerance 1e-15 bounds the error by 6e-15, below the 12th digit.
  const Result r = Cli(dir, "centrality --edges " + dir.File("p3.txt") +
                                " --measure pagerank --tolerance 1e-15 --threads 2");
  REQUIRE(r.code == 0);
  const std::string out = Flat(r.out);
  CHECK(out.find("{ \"key\": 20, \"value\": 0.486486486486 }") != std::string::npos);
  CHECK(out.find("{ \"key\": 10, \"value\": 0.256756756757 }") != std::string::npos);
  CHECK(out.find("{ \"key\": 30, \"value\": 0.256756756757 }") != std::string::npos);
  // 100 plain power iterations are not there yet on this bipartite graph (its error
  // alternates and shrinks by 0.85 per iteration: about 1e-8 after 100).
  const Result fixed =
      Cli(dir, "centrality --edges " + dir.File("p3.txt") + " --measure pagerank");
  REQUIRE(fixed.code == 0);
  CHECK(Flat(fixed.out).find("0.486486486486 }") == std::string::npos);
  CHECK(Cli(dir, "centrality --edges " + dir.File("p3.txt") + " --measure degree --tolerance 1e-9")
            .code == 2);
  CHECK(Cli(dir, "centrality --edges " + dir.File("p3.txt") + " --measure pagerank --tolerance -1")
            .code == 2);
}

}  // namespace
}  // namespace polegraph::testing
