// End-to-end: generated extracts through polegraph::Ingest. The oracle is truth.json: the
// quarantine is exactly the planted bad records (by file and index), every truth key resolves
// to a node, and each planted duplicate record was merged onto its PNC person's node.
#include "polegraph/ingest.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "gen/gen_fixture.h"
#include "polegraph/graph.h"

using namespace polegraph::gentest;  // NOLINT: test file

TEST_CASE("ingest quarantines exactly the bad records and resolves every truth key", "[gen]") {
  const fs::path dir = Generate("ingest", 0.03, 21, 0.03);
  const Json truth = Truth(dir);
  polegraph::IngestOptions options;
  options.threads = 2;
  auto result = polegraph::Ingest(
      {(dir / "pnc.pb").string(), (dir / "pnd.pb").string(), (dir / "anpr.pb").string()}, options);
  REQUIRE(result.ok());
  const polegraph::Graph& g = *result->graph;

  std::set<std::pair<std::string, std::uint64_t>> planted, quarantined;
  for (const Json& b : truth["bad_records"].array)
    planted.insert({b["file"].string, b["index"].Uint()});
  std::map<std::pair<std::string, std::uint64_t>, std::string> why;
  for (const auto& q : result->report.quarantine) {
    const std::string file = fs::path(q.file).filename().string();
    quarantined.insert({file, q.index});
    why[{file, q.index}] = q.reason;
  }
  REQUIRE(planted.size() > 50);
  for (const auto& p : planted) {
    INFO(p.first << " record " << p.second);
    CHECK(quarantined.count(p) == 1);
  }
  for (const auto& q : quarantined) {
    INFO(q.first << " record " << q.second << " quarantined: " << why[q]);
    CHECK(planted.count(q) == 1);
  }
  REQUIRE(result->report.read == truth["counts"]["records"].Uint());

  auto resolve = [&](const std::string& name) {
    auto v = g.Resolve(name);
    INFO(name);
    REQUIRE(v.ok());
    return *v;
  };
  for (const Json& grp : truth["groups"].array) {
    for (const Json& m : grp["members"].array) resolve(m.string);
    for (const Json& v : grp["vehicles"].array) resolve(v.string);
  }
  for (const Json& c : truth["convoys"].array) {
    for (const Json& p : c["plates"].array) resolve(p.string);
  }
  for (const Json& c : truth["clones"].array) {
    resolve(c["plate"].string);
    for (const Json& v : c["vehicles"].array) resolve(v.string);
  }
  for (const Json& m : truth["misreads"].array) {
    resolve(m["true"].string);
    resolve(m["read"].string);
  }
  // Duplicates: the PND record that names the person without PNC ID is on the person's node.
  const auto pnd = ReadAll<pb::PndRecord>(dir / "pnd.pb");
  REQUIRE(!truth["duplicates"].array.empty());
  for (const Json& d : truth["duplicates"].array) {
    const polegraph::NodeId v = resolve(d["person"].string);
    std::set<std::string> ids;
    for (polegraph::RecordNo r : g.node_records(v)) ids.insert(std::string(g.record(r).record_id));
    for (const Json& rec : d["records"].array) {
      const pb::PndRecord& r = pnd.at(rec["index"].Uint());
      const std::string& id =
          r.has_custody() ? r.custody().meta().record_id() : r.intelligence().meta().record_id();
      INFO(d["person"].string << " " << rec["name"].string);
      CHECK(ids.count(id) == 1);
    }
  }
}
