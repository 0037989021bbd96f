// The `polegraph graphalytics` command end to end, on the directed example graph of the LDBC
// Graphalytics validation suite (ldbc/ldbc_graphalytics, graphalytics-validation/.../example:
// example-directed.e, source 1, 2 iterations, damping 0.85). The expected files are that
// suite's reference outputs (BFS, WCC, CDLP, LCC and SSSP match byte for byte; PageRank is
// compared with the specification's epsilon, as the validator does; the undirected
// example matches byte for byte in all six).
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "test_graphs.h"

using polegraph::testing::ReadText;
using polegraph::testing::TempDir;
using polegraph::testing::WriteText;

namespace {

const char* kEdges =
    "1 3 0.5\n1 5 0.3\n2 4 0.1\n2 5 0.3\n2 10 0.12\n3 1 0.53\n3 5 0.62\n3 8 0.21\n3 10 0.52\n"
    "5 3 0.69\n5 4 0.53\n5 8 0.1\n6 3 0.23\n6 4 0.39\n7 4 0.83\n8 1 0.39\n9 4 0.69\n";

struct Run {
  int exit_code;
  std::string err;
};

Run Cli(const TempDir& dir, const std::string& args) {
  std::string cmd =
      std::string(POLEGRAPH_CLI) + " graphalytics " + args + " 2> " + dir.File("stderr.txt");
  int rc = std::system(cmd.c_str());
  return {WEXITSTATUS(rc), ReadText(dir.File("stderr.txt"))};
}

std::string Common(const TempDir& dir) {
  return "--vertices " + dir.File("g.v") + " --edges " + dir.File("g.e") +
         " --directed --weighted --source 1 --iterations 2 --damping 0.85 --threads 2";
}

}  // namespace

TEST_CASE("CLI reproduces the Graphalytics reference outputs", "[cli]") {
  TempDir dir("cli");
  WriteText(dir.File("g.v"), "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
  WriteText(dir.File("g.e"), kEdges);
  const std::vector<std::pair<std::string, std::string>> exact = {
      {"bfs",
       "1 0\n2 9223372036854775807\n3 1\n4 2\n5 1\n6 9223372036854775807\n"
       "7 9223372036854775807\n8 2\n9 9223372036854775807\n10 2\n"},
      {"wcc", "1 1\n2 1\n3 1\n4 1\n5 1\n6 1\n7 1\n8 1\n9 1\n10 1\n"},
      {"cdlp", "1 1\n2 2\n3 3\n4 4\n5 1\n6 1\n7 2\n8 3\n9 2\n10 1\n"},
      {"lcc",
       "1 6.666666666666666e-01\n2 1.666666666666667e-01\n3 1.500000000000000e-01\n"
       "4 5.000000000000000e-02\n5 2.500000000000000e-01\n6 0.000000000000000e+00\n"
       "7 0.000000000000000e+00\n8 8.333333333333334e-01\n9 0.000000000000000e+00\n"
       "10 0.000000000000000e+00\n"},
      {"sssp",
       "1 0.000000000000000e+00\n2 Infinity\n3 5.000000000000000e-01\n"
       "4 8.300000000000001e-01\n5 3.000000000000000e-01\n6 Infinity\n7 Infinity\n"
       "8 4.000000000000000e-01\n9 Infinity\n10 1.020000000000000e+00\n"},
  };
  for (const auto& [alg, expected] : exact) {
    INFO(alg);
    std::string out = dir.File(alg + ".out");
    Run r = Cli(dir, Common(dir) + " --algorithm " + alg + " --out " + out);
    REQUIRE(r.exit_code == 0);
    CHECK(ReadText(out) == expected);
    CHECK(r.err.find("\"algorithm\": \"" + alg + "\"") != std::string::npos);
    CHECK(r.err.find("\"load_seconds\"") != std::string::npos);
    CHECK(r.err.find("\"processing_seconds\"") != std::string::npos);
    CHECK(r.err.find("\"vertices\": 10") != std::string::npos);
    CHECK(r.err.find("\"edges\": 17") != std::string::npos);
  }
  // PageRank: the reference values, within the validator's epsilon (0.01 %).
  const double reference[] = {1.477629166666667e-01, 4.753375000000000e-02, 1.550469444444444e-01,
                              1.597573611111111e-01, 1.462400000000000e-01, 4.753375000000000e-02,
                              4.753375000000000e-02, 1.135740277777778e-01, 4.753375000000000e-02,
                              8.748375000000001e-02};
  std::string out = dir.File("pr.out");
  REQUIRE(Cli(dir, Common(dir) + " --algorithm pr --out " + out).exit_code == 0);
  std::istringstream in(ReadText(out));
  for (int i = 0; i < 10; ++i) {
    long long id;
    double value;
    REQUIRE(in >> id >> value);
    CHECK(id == i + 1);
    CHECK(value == Approx(reference[i]).epsilon(1e-12));
  }
}

TEST_CASE("CLI errors: clear message, non-zero exit", "[cli]") {
  TempDir dir("cli");
  WriteText(dir.File("g.v"), "1\n2\n3\n");
  WriteText(dir.File("g.e"), "1 2\n2 x\n");
  const std::string files = "--vertices " + dir.File("g.v") + " --edges " + dir.File("g.e");
  Run bad = Cli(dir, files + " --algorithm wcc --out " + dir.File("o"));
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find(dir.File("g.e") + ":2: expected a second vertex id") != std::string::npos);

  WriteText(dir.File("g.e"), "1 2\n");
  Run no_source = Cli(dir, files + " --algorithm bfs --out " + dir.File("o"));
  CHECK(no_source.exit_code != 0);
  CHECK(no_source.err.find("needs --source") != std::string::npos);
  Run wrong_source = Cli(dir, files + " --algorithm bfs --source 9 --out " + dir.File("o"));
  CHECK(wrong_source.exit_code != 0);
  CHECK(wrong_source.err.find("--source 9 is not a vertex") != std::string::npos);
  Run unknown = Cli(dir, files + " --algorithm sort --out " + dir.File("o"));
  CHECK(unknown.exit_code != 0);
  CHECK(unknown.err.find("--algorithm must be one of") != std::string::npos);
  Run sssp = Cli(dir, files + " --algorithm sssp --source 1 --out " + dir.File("o"));
  CHECK(sssp.exit_code != 0);
  CHECK(sssp.err.find("needs --weighted") != std::string::npos);
  Run missing = Cli(dir, "--algorithm wcc --out " + dir.File("o"));
  CHECK(missing.exit_code != 0);
  CHECK(missing.err.find("--vertices is required") != std::string::npos);
}

TEST_CASE("CLI reproduces the undirected reference outputs", "[cli]") {
  // example-undirected.e of the same validation suite: source 2, 2 iterations, damping 0.85.
  TempDir dir("cli");
  WriteText(dir.File("u.v"), "2\n3\n4\n5\n6\n7\n8\n9\n10\n");
  WriteText(dir.File("u.e"),
            "2 3 0.9\n2 4 0.69\n3 4 0.13\n3 5 0.5\n3 8 0.32\n5 6 0.63\n5 8 0.12\n6 7 0.53\n"
            "6 8 0.64\n6 9 0.23\n6 10 0.63\n7 9 0.36\n");
  const std::vector<std::pair<std::string, std::string>> exact = {
      {"bfs", "2 0\n3 1\n4 1\n5 2\n6 3\n7 4\n8 2\n9 4\n10 4\n"},
      {"wcc", "2 2\n3 2\n4 2\n5 2\n6 2\n7 2\n8 2\n9 2\n10 2\n"},
      {"cdlp", "2 2\n3 3\n4 2\n5 2\n6 6\n7 5\n8 2\n9 5\n10 5\n"},
      {"pr",
       "2 9.084490740740739e-02\n3 1.424089506172839e-01\n4 9.084490740740739e-02\n"
       "5 1.249891975308642e-01\n6 1.686172839506173e-01\n7 9.749537037037037e-02\n"
       "8 1.249891975308642e-01\n9 9.749537037037037e-02\n10 6.231481481481481e-02\n"},
      {"lcc",
       "2 1.000000000000000e+00\n3 3.333333333333333e-01\n4 1.000000000000000e+00\n"
       "5 6.666666666666666e-01\n6 2.000000000000000e-01\n7 1.000000000000000e+00\n"
       "8 6.666666666666666e-01\n9 1.000000000000000e+00\n10 0.000000000000000e+00\n"},
      {"sssp",
       "2 0.000000000000000e+00\n3 8.200000000000000e-01\n4 6.899999999999999e-01\n"
       "5 1.260000000000000e+00\n6 1.780000000000000e+00\n7 2.310000000000000e+00\n"
       "8 1.140000000000000e+00\n9 2.010000000000000e+00\n10 2.410000000000000e+00\n"},
  };
  for (const auto& [alg, expected] : exact) {
    INFO(alg);
    std::string out = dir.File(alg + ".out");
    Run r = Cli(dir, "--vertices " + dir.File("u.v") + " --edges " + dir.File("u.e") +
                         " --weighted --source 2 --iterations 2 --threads 2 --algorithm " + alg +
                         " --out " + out);
    REQUIRE(r.exit_code == 0);
    CHECK(ReadText(out) == expected);
    CHECK(r.err.find("\"edges\": 12") != std::string::npos);
  }
}
