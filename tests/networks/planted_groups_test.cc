// End to end on synthetic extracts: polegraph-gen (scale 0.1) plants organised crime groups
// (truth.json "groups": members who co-offend, share addresses and vehicles, and are named
// together in intelligence); ingest builds the snapshot; the default projection and Leiden
// must put each group's members together and keep groups apart. Scored by NMI and ARI between
// the planted group and the found community, over the group members.
// Measurement mode: POLEGRAPH_PLANTED_SCALE=1 (the scale: 20 groups, ~240k people; about
// a minute) and POLEGRAPH_PLANTED_RESOLUTION=R set the generator scale and the resolution.
// Measured at scale 1, seed 3 (2026-11-26): gamma 1: Leiden NMI 0.984 / ARI 0.921, Louvain NMI
// 0.988 / ARI 0.954 (modularity's resolution limit merges a few of the 20 groups with
// neighbours); gamma 4 and 16: NMI 1, ARI 1 for both. Worst precision stays under 0.1 at scale
// 1 (0.01 at gamma 1, 0.07 at gamma 16): a group's community holds far more periphery there,
// so the precision check below fails in that mode; recall is 1 throughout.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
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

TEST_CASE("Leiden on the default projection recovers polegraph-gen's planted groups") {
  char tmpl[] = "/tmp/polegraph-groups-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  // POLEGRAPH_PLANTED_SCALE=1 measures the scale (20 groups; slower, so not the default).
  const char* scale_env = std::getenv("POLEGRAPH_PLANTED_SCALE");
  const std::string scale = scale_env != nullptr ? scale_env : "0.1";
  const std::string gen = std::string(POLEGRAPH_GEN) + " --scale " + scale + " --seed 3 --out " + dir +
                          " > " + dir + "/gen.json 2>&1";
  if (std::system(gen.c_str()) != 0) {
    // Until the generator lands the binary is a placeholder that exits 1.
    WARN("polegraph-gen is not available in this build; planted-group recovery not checked");
    std::system(("rm -rf " + dir).c_str());
    return;
  }
  IngestOptions io;
  io.threads = 2;
  absl::StatusOr<IngestResult> r = Ingest({dir + "/pnc.pb", dir + "/pnd.pb", dir + "/anpr.pb"}, io);
  REQUIRE(r.ok());
  std::ifstream in(dir + "/truth.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto groups = TruthGroups(text.str());
  std::system(("rm -rf " + dir).c_str());
  REQUIRE(groups.size() >= 2);

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
    INFO(CommunityAlgorithmName(a)
         << ": NMI " << nmi << ", ARI " << ari << ", worst recall " << worst_recall
         << ", worst precision " << worst_precision << ", " << groups.size() << " groups, "
         << truth.size() << " members, " << p->graph.num_nodes() << " people, "
         << part->num_communities << " communities, modularity " << part->modularity);
    // Measured at scale 0.1, seed 3 (2 groups of 22 and 14): NMI 1, ARI 1, recall 1 for both
    // algorithms; precision 0.13 for both: a group's community also holds
    // its periphery — victims, witnesses and one-off co-offenders linked to one member only,
    // whom modularity rightly places with that member.
    CHECK(nmi >= 0.9);
    CHECK(ari >= 0.9);
    CHECK(worst_recall >= 0.9);
    CHECK(worst_precision >= 0.1);
  }
}

}  // namespace
}  // namespace polegraph::testing
