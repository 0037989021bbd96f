// End to end on synthetic extracts: polegraph-gen plants organised crime groups (truth.json
// "groups": members who co-offend, share addresses and vehicles, and are named together in
// intelligence); ingest builds the snapshot; the default projection and Leiden (and Louvain)
// must put each group's members together and keep groups apart. Scored by NMI and ARI between
// the planted group and the found community, over the group members, and per group by recall
// (the share of its members in its best community) and precision (the share of that
// community that is the group).
// Two cases: scale 0.1 (2 groups; a quick check that the whole chain works, precision too) and
// scale 1, the acceptance criterion (20 groups, ~240k people; 18 s in a Release build
// on the 2-core dev machine): Leiden's NMI, ARI and recall >= 0.9; Louvain's NMI and recall
// >= 0.9 and its ARI >= 0.8.
// Measured at scale 1, seed 3, gamma 1, 2 threads (2026-11-27): Leiden NMI 0.988 / ARI 0.954,
// Louvain NMI 0.956 / ARI 0.826 (modularity's resolution limit merges a few of the 20 groups
// with neighbours; Louvain, without Leiden's refinement, merges more); recall 1 for both.
// (2026-11-26: gamma 4 and 16 gave NMI 1, ARI 1 for both.) Worst precision stays under 0.1
// at scale 1 (0.011 at gamma 1, 0.07 at gamma 16): a group's community holds far more
// periphery there, so precision is checked below scale 1 only.
// Measurement: POLEGRAPH_PLANTED_SCALE=S runs the first case at scale S instead of 0.1 (the
// precision bound then applies below scale 1 only), POLEGRAPH_PLANTED_RESOLUTION=R sets the
// resolution of both cases.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "networks/networks_test_util.h"
#include "polegraph/ingest.h"

namespace polegraph::testing {
namespace {

// The "members" lists of truth.json's "groups" array, in order.
std::vector<std::vector<std::string>> TruthGroups(const std::string& json) {
  std::vector<std::vector<std::string>> groups;
  const std::size_t begin = json.find("\"groups\": [");
  const std::size_t end = json.find("\"convoys\": [", begin);
  if (begin == std::string::npos || end == std::string::npos) return groups;
  for (std::size_t at = json.find("\"members\"", begin); at < end;
       at = json.find("\"members\"", at + 1)) {
    const std::size_t open = json.find('[', at), close = json.find(']', open);
    std::vector<std::string> members;
    for (std::size_t q = json.find('"', open); q < close; q = json.find('"', q + 1)) {
      const std::size_t q2 = json.find('"', q + 1);
      members.push_back(json.substr(q + 1, q2 - q - 1));
      q = q2;
    }
    groups.push_back(std::move(members));
  }
  return groups;
}

// Runs polegraph-gen at `scale` (seed 3) into a fresh directory, ingests, projects with the
// default paths, runs Leiden and Louvain, and checks the recovery of the planted groups.
void CheckPlantedGroupsRecovered(const std::string& scale) {
  char tmpl[] = "/tmp/polegraph-groups-XXXXXX";
  const char* made = mkdtemp(tmpl);
  REQUIRE(made != nullptr);
  const std::string dir = made;
  struct RemoveDir {
    std::string dir;
    ~RemoveDir() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } remove_dir{dir};
  const std::string gen = std::string(POLEGRAPH_GEN) + " --scale " + scale + " --seed 3 --out " +
                          dir + " > " + dir + "/gen.json 2>&1";
  const int gen_status = std::system(gen.c_str());
  {
    std::ifstream out(dir + "/gen.json");
    std::stringstream text;
    text << out.rdbuf();
    INFO(gen << "\n" << text.str());
    REQUIRE(gen_status == 0);
  }
  IngestOptions io;
  io.threads = 2;
  absl::StatusOr<IngestResult> r = Ingest({dir + "/pnc.pb", dir + "/pnd.pb", dir + "/anpr.pb"}, io);
  REQUIRE(r.ok());
  std::ifstream in(dir + "/truth.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto groups = TruthGroups(text.str());
  const double scale_value = std::atof(scale.c_str());
  // polegraph-gen plants 2 groups at scale 0.1 and 20 at scale 1.
  REQUIRE(groups.size() >= (scale_value >= 1.0 ? 20u : 2u));

  QueryContext ctx = Threads(2);
  ctx.clearance = Clearance::Unrestricted();
  ProjectionOptions po;
  po.paths = *ParseProjectionSpec("co-offending,vehicles,addresses,associates,co-travel");
  absl::StatusOr<Projection> p = ProjectPersons(*r->graph, po, ctx);
  REQUIRE(p.ok());
  for (CommunityAlgorithm a : {CommunityAlgorithm::kLeiden, CommunityAlgorithm::kLouvain}) {
    CommunityOptions co;
    co.algorithm = a;
    if (const char* r = std::getenv("POLEGRAPH_PLANTED_RESOLUTION"); r != nullptr) {
      co.resolution = std::atof(r);
    }
    absl::StatusOr<Partition> part = DetectCommunities(p->graph, co, ctx);
    REQUIRE(part.ok());
    std::vector<std::uint32_t> truth, found;
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
      for (const std::string& key : groups[gi]) {
        absl::StatusOr<NodeId> node = r->graph->Resolve(key);
        REQUIRE(node.ok());
        std::optional<NodeId> v = p->VertexOf(*node);
        REQUIRE(v.has_value());
        truth.push_back(static_cast<std::uint32_t>(gi));
        found.push_back(part->community[*v]);
      }
    }
    const double nmi = *NormalizedMutualInformation(truth, found);
    const double ari = *AdjustedRandIndex(truth, found);
    // Per group: the community holding most of its members, the share of the members it
    // holds (recall) and the share of that community that is the group (precision).
    std::vector<std::uint32_t> size(part->num_communities, 0);
    for (std::uint32_t c : part->community) ++size[c];
    double worst_recall = 1.0, worst_precision = 1.0;
    std::size_t at = 0;
    for (const auto& members : groups) {
      std::map<std::uint32_t, std::size_t> count;
      for (std::size_t i = 0; i < members.size(); ++i) ++count[found[at + i]];
      at += members.size();
      auto best = std::max_element(count.begin(), count.end(), [](const auto& x, const auto& y) {
        return x.second < y.second;
      });
      worst_recall = std::min(worst_recall, double(best->second) / double(members.size()));
      worst_precision = std::min(worst_precision, double(best->second) / size[best->first]);
    }
    INFO("scale " << scale << ", " << CommunityAlgorithmName(a)
         << ": NMI " << nmi << ", ARI " << ari << ", worst recall " << worst_recall
         << ", worst precision " << worst_precision << ", " << groups.size() << " groups, "
         << truth.size() << " members, " << p->graph.num_nodes() << " people, "
         << part->num_communities << " communities, modularity " << part->modularity);
    // Measured at scale 0.1, seed 3 (2 groups of 22 and 14): NMI 1, ARI 1, recall 1 for both
    // algorithms; precision 0.13 for both: a group's community also holds
    // its periphery — victims, witnesses and one-off co-offenders linked to one member only,
    // whom modularity rightly places with that member. At scale 1 see the file comment.
    CHECK(nmi >= 0.9);
    // The criterion is Leiden's; Louvain's ARI at scale 1 is 0.83 (see the top).
    CHECK(ari >= (scale_value >= 1.0 && a == CommunityAlgorithm::kLouvain ? 0.8 : 0.9));
    CHECK(worst_recall >= 0.9);
    if (scale_value < 1.0) CHECK(worst_precision >= 0.1);
  }
}

TEST_CASE("Leiden on the default projection recovers polegraph-gen's planted groups") {
  const char* scale = std::getenv("POLEGRAPH_PLANTED_SCALE");
  CheckPlantedGroupsRecovered(scale != nullptr ? scale : "0.1");
}

TEST_CASE("at scale 1 (20 planted groups) Leiden reaches NMI, ARI and recall >= 0.9") {
  CheckPlantedGroupsRecovered("1");
}

}  // namespace
}  // namespace polegraph::testing
