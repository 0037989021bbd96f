// End-to-end: generated extracts through polegraph::Ingest. The oracle is truth.json: the
// quarantine is exactly the planted bad records (by file and index), every truth key resolves
// to a node, and each planted duplicate record was merged onto its PNC person's node with a
// recorded name + dob merge. And the ingest of generated data (name + dob merges, duplicates,
// bad records, many chunks) gives the same snapshot bytes and quarantine at any thread count,
// file order and chunk size.
#include "polegraph/ingest.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "gen/gen_fixture.h"
#include "polegraph/graph.h"
#include "polegraph/io.h"

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
  CHECK(result->report.quarantined == planted.size());
  CHECK(result->report.read == result->report.accepted + result->report.quarantined);

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
  // Duplicates: the PND record that names the person without PNC ID is on the person's node,
  // and the merge that put it there is recorded (rule name + dob, caused by that record).
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
      bool merged = false;
      for (const polegraph::MergeView& m : g.merges(v)) {
        merged |= m.rule == polegraph::MergeRule::kNameDob && g.record(m.record).record_id == id;
      }
      CHECK(merged);
    }
  }
}

TEST_CASE("ingest of generated data is byte-identical at any thread count, file order and chunk "
          "size",
          "[gen]") {
  const fs::path dir = Generate("det", 0.03, 21, 0.03);
  const std::string pnc = (dir / "pnc.pb").string(), pnd = (dir / "pnd.pb").string(),
                    anpr = (dir / "anpr.pb").string();
  const std::vector<std::vector<std::string>> orders = {
      {pnc, pnd, anpr}, {anpr, pnd, pnc}, {pnd, anpr, pnc}};
  using Entry = std::tuple<std::string, std::uint64_t, std::uint64_t, std::string, std::string>;
  std::string reference;
  std::vector<Entry> reference_quarantine;
  std::uint64_t reference_merges = 0;
  for (int threads : {1, 2, 8}) {
    for (std::size_t order = 0; order < orders.size(); ++order) {
      for (std::uint64_t chunk : {std::uint64_t{16384}, std::uint64_t{97}}) {
        INFO(threads << " threads, order " << order << ", " << chunk << " records per chunk");
        polegraph::IngestOptions options;
        options.threads = threads;
        options.records_per_chunk = chunk;
        auto r = polegraph::Ingest(orders[order], options);
        REQUIRE(r.ok());
        const polegraph::IngestReport& rep = r->report;
        CHECK(rep.read == rep.accepted + rep.quarantined);
        std::vector<Entry> quarantine;
        for (const polegraph::QuarantineEntry& q : rep.quarantine) {
          quarantine.emplace_back(q.file, q.offset, q.index, q.record_id, q.reason);
        }
        const fs::path out = dir / "g.pg";
        REQUIRE(polegraph::SaveSnapshot(*r->graph, out.string()).ok());
        const std::string bytes = Slurp(out);
        REQUIRE_FALSE(bytes.empty());
        if (reference.empty()) {
          // The first run: the data must exercise what order could change.
          REQUIRE(rep.quarantined > 50);
          REQUIRE(rep.merges > 1000);
          reference = bytes;
          reference_quarantine = quarantine;
          reference_merges = rep.merges;
        }
        const bool same_bytes = bytes == reference;  // not printed: megabytes
        CHECK(same_bytes);
        CHECK(quarantine == reference_quarantine);
        CHECK(rep.merges == reference_merges);
      }
    }
  }
}
