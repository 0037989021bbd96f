// Planted ground truth: polegraph-gen writes extracts with convoys and cloned plates planted
// (truth.json); ingest them and check that FindConvoys and FindClones recover them.
//   convoys: recall >= 0.95 (a planted convoy is found when one reported convoy holds all its
//            plates) and precision >= 0.9 (a reported convoy is right when its plates all
//            belong to one planted convoy);
//   clones:  recall >= 0.95 and precision >= 0.9 over plates;
//   misreads: for >= 95 % of the planted misreads the true plate is a candidate of the read.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "anpr_fixture.h"
#include "polegraph/ingest.h"

namespace polegraph::testing {
namespace {

// Just enough JSON for truth.json: objects, arrays, strings (no escapes needed), numbers.
struct Json {
  std::map<std::string, Json> object;
  std::vector<Json> array;
  std::string text;  // strings and numbers, as written
};

class JsonParser {
 public:
  explicit JsonParser(std::string s) : s_(std::move(s)) {}
  Json Parse() {
    Json v;
    Skip();
    if (s_[i_] == '{') {
      ++i_;
      for (Skip(); s_[i_] != '}';) {
        std::string key = Parse().text;
        Skip();
        ++i_;  // ':'
        v.object[key] = Parse();
        Skip();
        if (s_[i_] == ',') ++i_;
        Skip();
      }
      ++i_;
    } else if (s_[i_] == '[') {
      ++i_;
      for (Skip(); s_[i_] != ']';) {
        v.array.push_back(Parse());
        Skip();
        if (s_[i_] == ',') ++i_;
        Skip();
      }
      ++i_;
    } else if (s_[i_] == '"') {
      const std::size_t end = s_.find('"', i_ + 1);
      v.text = s_.substr(i_ + 1, end - i_ - 1);
      i_ = end + 1;
    } else {
      const std::size_t start = i_;
      while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' &&
             !std::isspace(static_cast<unsigned char>(s_[i_]))) {
        ++i_;
      }
      v.text = s_.substr(start, i_ - start);
    }
    return v;
  }

 private:
  void Skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  std::string s_;
  std::size_t i_ = 0;
};

std::string Strip(const std::string& key) { return key.substr(key.find(':') + 1); }

struct Score {
  double found = 0, planted = 0, right = 0, reported = 0;
  double recall() const { return planted == 0 ? 1 : found / planted; }
  double precision() const { return reported == 0 ? 1 : right / reported; }
};

struct Outcome {
  Score convoys, clones, misreads;
  double mismatches_on_clones = 0, mismatches_elsewhere = 0;  // make / colour conflicts
};

Outcome GenerateAndCheck(int seed, double scale) {
  const std::string dir =
      std::string(POLEGRAPH_BINARY_DIR) + "/anpr_generated/" + std::to_string(getpid()) + "-" +
      std::to_string(seed);
  std::filesystem::remove_all(dir);
  const std::string cmd = std::string(POLEGRAPH_GEN) + " --scale " + std::to_string(scale) +
                          " --seed " + std::to_string(seed) + " --out " + dir + " > /dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  IngestOptions io;
  io.threads = 2;
  auto ingested = Ingest({dir + "/pnc.pb", dir + "/pnd.pb", dir + "/anpr.pb"}, io);
  REQUIRE(ingested.ok());
  const Graph& g = *ingested->graph;
  std::ifstream in(dir + "/truth.json");
  std::stringstream text;
  text << in.rdbuf();
  const Json truth = JsonParser(text.str()).Parse();

  Outcome out;
  auto convoys = FindConvoys(g, {}, Ctx(2));
  REQUIRE(convoys.ok());
  std::vector<std::set<std::string>> planted, reported;
  for (const Json& c : truth.object.at("convoys").array) {
    planted.emplace_back();
    for (const Json& p : c.object.at("plates").array) planted.back().insert(Strip(p.text));
  }
  for (const Convoy& c : convoys->convoys) {
    reported.emplace_back();
    for (NodeId p : c.plates) reported.back().insert(std::string(g.key(p)));
  }
  auto subset = [](const std::set<std::string>& a, const std::set<std::string>& b) {
    return std::includes(b.begin(), b.end(), a.begin(), a.end());
  };
  for (const auto& p : planted) {
    out.convoys.planted += 1;
    for (const auto& r : reported) {
      if (subset(p, r)) {
        out.convoys.found += 1;
        break;
      }
    }
  }
  for (const auto& r : reported) {
    out.convoys.reported += 1;
    for (const auto& p : planted) {
      if (subset(r, p)) {
        out.convoys.right += 1;
        break;
      }
    }
  }

  auto clones = FindClones(g, {}, Ctx(2));
  REQUIRE(clones.ok());
  std::set<std::string> cloned, flagged;
  for (const Json& c : truth.object.at("clones").array)
    cloned.insert(Strip(c.object.at("plate").text));
  for (NodeId p : clones->plates) flagged.insert(std::string(g.key(p)));
  out.clones.planted = static_cast<double>(cloned.size());
  out.clones.reported = static_cast<double>(flagged.size());
  for (const std::string& p : cloned) out.clones.found += flagged.count(p);
  out.clones.right = out.clones.found;
  for (const CloneConflict& c : clones->conflicts) {
    if (c.reason == CloneReason::kSpeed) continue;
    (cloned.count(std::string(g.key(c.plate))) ? out.mismatches_on_clones
                                               : out.mismatches_elsewhere) += 1;
  }

  // Each planted misread: its true plate is among the candidates for the VRM as read.
  auto index = MisreadIndex::Build(g, Ctx(2));
  REQUIRE(index.ok());
  for (const Json& m : truth.object.at("misreads").array) {
    auto found = index->Find(Strip(m.object.at("read").text), {});
    REQUIRE(found.ok());
    out.misreads.planted += 1;
    for (const MisreadCandidate& c : *found) {
      if (g.key(c.plate) == Strip(m.object.at("true").text)) {
        out.misreads.found += 1;
        break;
      }
    }
  }
  return out;
}

Outcome RunSeeds() {
  static const Outcome total = [] {
    Outcome t;
    for (int seed : {1, 2, 3}) {
      const Outcome o = GenerateAndCheck(seed, 0.05);
      for (auto [sum, part] : {std::pair{&t.convoys, &o.convoys}, std::pair{&t.clones, &o.clones},
                               std::pair{&t.misreads, &o.misreads}}) {
        sum->found += part->found;
        sum->planted += part->planted;
        sum->right += part->right;
        sum->reported += part->reported;
      }
      t.mismatches_on_clones += o.mismatches_on_clones;
      t.mismatches_elsewhere += o.mismatches_elsewhere;
    }
    return t;
  }();
  return total;
}

TEST_CASE("generated data: planted convoys and clones are recovered", "[anpr][generated]") {
  const Outcome o = RunSeeds();
  INFO("convoys: " << o.convoys.found << "/" << o.convoys.planted << " found, " << o.convoys.right
                   << "/" << o.convoys.reported << " right");
  INFO("clones: " << o.clones.found << "/" << o.clones.planted << " found, " << o.clones.right
                  << "/" << o.clones.reported << " right");
  CHECK(o.convoys.planted >= 6);
  CHECK(o.convoys.recall() >= 0.95);
  CHECK(o.convoys.precision() >= 0.9);
  CHECK(o.clones.planted >= 6);
  CHECK(o.clones.recall() >= 0.95);
  CHECK(o.clones.precision() >= 0.9);
  // The cameras' make / colour (kept by ingest as read_make / read_colour) catch the cloners
  // and nothing else.
  CHECK(o.mismatches_on_clones >= 1);
  CHECK(o.mismatches_elsewhere == 0);
  INFO("misreads: " << o.misreads.found << "/" << o.misreads.planted << " true plates found");
  CHECK(o.misreads.planted >= 50);
  CHECK(o.misreads.recall() >= 0.95);
}

}  // namespace
}  // namespace polegraph::testing
