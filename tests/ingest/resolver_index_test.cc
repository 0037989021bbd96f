// Resolver's PNC name and VRM indexes (lib/ingest/resolve.cc: kept in an arena of 1 MiB
// blocks) at a size that spans many blocks, with the cases the rules single out: a key filed
// under one PNC ID (merge onto it), under two (ambiguous: not merged), the same PNC ID filed
// twice under one key (still one), keys no nominal has, and VRMs displayed by several vehicles
// (the latest vrm_since, then the greatest key, whatever the order indexed). Oracle: the rules
// applied with a std::map of every entry, computed here without the Resolver.
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ingest/internal/resolve.h"
#include "polegraph/graph.h"

namespace polegraph::testing {
namespace {

using ingest_internal::ChunkFacts;
using ingest_internal::NameIndexEntry;
using ingest_internal::NodeFact;
using ingest_internal::PersonKeyFact;
using ingest_internal::RecordFacts;
using ingest_internal::Resolution;
using ingest_internal::Resolver;
using ingest_internal::VrmIndexEntry;

constexpr int kPeople = 12000;  // ~3 MB of index strings: several arena blocks

std::string Forename(int i) { return absl::StrCat("FORENAME", i % 997); }
std::string Surname(int i) { return absl::StrCat("SURNAME", i / 997, "LONGERNAMEPART"); }
std::string Dob(int i) { return absl::StrCat("19", 10 + i % 80, "-01-02"); }
std::string IndexKey(int i) { return absl::StrCat(Forename(i), "|", Surname(i), "|", Dob(i)); }

// PNC nominal i is filed under its own key; every 7th also under the key of i + 1 (so that
// key is ambiguous), every 5th twice under its own key (one PNC ID, still one match).
std::vector<std::shared_ptr<ChunkFacts>> IndexChunks() {
  std::vector<std::shared_ptr<ChunkFacts>> chunks(3);
  for (auto& c : chunks) c = std::make_shared<ChunkFacts>();
  for (int i = 0; i < kPeople; ++i) {
    ChunkFacts& c = *chunks[static_cast<std::size_t>(i) % chunks.size()];
    const std::string pnc = absl::StrCat("2001/", 1000000 + i, "X");
    const std::string how = absl::StrCat("name and date of birth of nominal number ", i);
    c.names.push_back({IndexKey(i), pnc, absl::StrCat("N", i), how});
    if (i % 5 == 0) c.names.push_back({IndexKey(i), pnc, absl::StrCat("N", i), "again"});
    if (i % 7 == 0 && i + 1 < kPeople) {
      c.names.push_back({IndexKey(i + 1), pnc, absl::StrCat("N", i), "alias"});
    }
    // VRM j is displayed by up to three vehicles, with ties on vrm_since.
    const int vrm = i / 3;
    c.vrms.push_back({absl::StrCat("VRM", vrm), absl::StrCat("VIN", 100000 + (i * 7919) % kPeople),
                      static_cast<std::int64_t>(i % 2)});
  }
  return chunks;
}

TEST_CASE("Resolver: name and VRM indexes spanning many arena blocks follow the oracle") {
  const std::vector<std::shared_ptr<ChunkFacts>> index = IndexChunks();
  // Oracle: the distinct PNC IDs under each key in indexing order, with the first entry's
  // record id and how; the VRM's vehicle by the greatest (since, key).
  struct First {
    std::string pnc, record, how;
  };
  std::map<std::string, std::vector<std::string>> ids;
  std::map<std::string, First> first;
  std::map<std::string, std::pair<std::int64_t, std::string>> vrm_best;
  for (const auto& c : index) {
    for (const NameIndexEntry& e : c->names) {
      auto& v = ids[e.key];
      if (std::find(v.begin(), v.end(), e.pnc_id) == v.end()) v.push_back(e.pnc_id);
      first.try_emplace(e.key, First{e.pnc_id, e.record_id, e.how});
    }
    for (const VrmIndexEntry& e : c->vrms) {
      auto [it, added] = vrm_best.try_emplace(e.vrm, e.since, e.vehicle_key);
      if (!added) it->second = std::max(it->second, std::make_pair(e.since, e.vehicle_key));
    }
  }

  GraphBuilder builder;
  Resolver resolver(&builder);
  for (const auto& c : index) resolver.Index(*c);
  ExtractInfo info;
  info.path = "pnd.pb";
  const auto extract = builder.AddExtract(info);
  const std::string path = "pnd.pb";
  // One PND record per person i (name + dob of i; every 11th a name no nominal has) and per
  // VRM, in one chunk.
  auto pnd = std::make_shared<ChunkFacts>();
  pnd->source = Source::kPnd;
  pnd->labels.push_back({Classification::kOfficial, "MET", {}});
  auto record = [&](int id) {
    RecordFacts r;
    r.record_id = pnd->AddText(absl::StrCat("CR-", id));
    r.node_begin = r.node_end = static_cast<std::uint32_t>(pnd->nodes.size());
    return r;
  };
  for (int i = 0; i < kPeople; ++i) {
    RecordFacts r = record(i);
    PersonKeyFact p;
    p.forename = Forename(i);
    p.surname = i % 11 == 0 ? "NOBODY" : Surname(i);
    p.dob = Dob(i);
    p.index_key = absl::StrCat(p.forename, "|", p.surname, "|", p.dob);
    p.node_key = absl::StrCat(p.surname, "/", p.forename, "/", p.dob);
    p.node_hash = GraphBuilder::NodeHash(NodeKind::kPerson, p.node_key);
    NodeFact f;
    f.kind = NodeKind::kPerson;
    f.how = Resolution::kPersonRef;
    f.person = static_cast<std::uint32_t>(pnd->people.size());
    pnd->people.push_back(std::move(p));
    pnd->nodes.push_back(f);
    r.node_end = static_cast<std::uint32_t>(pnd->nodes.size());
    pnd->records.push_back(r);
  }
  for (int j = 0; j < kPeople / 3 + 2; ++j) {  // the last two VRMs: no PNC vehicle
    RecordFacts r = record(kPeople + j);
    NodeFact f;
    f.kind = NodeKind::kVehicle;
    f.how = Resolution::kVehicleByVrm;
    f.key = pnd->AddText(absl::StrCat("VRM", j));
    pnd->nodes.push_back(f);
    r.node_end = static_cast<std::uint32_t>(pnd->nodes.size());
    pnd->records.push_back(r);
  }
  resolver.Apply(Resolver::ChunkRef{pnd, extract, 0, &path});
  REQUIRE(resolver.status().ok());
  auto built = std::move(builder).Build(1);
  REQUIRE(built.ok());
  const Graph& g = **built;

  std::size_t merged = 0, ambiguous = 0, unknown = 0;
  for (int i = 0; i < kPeople; ++i) {
    const PersonKeyFact& p = pnd->people[static_cast<std::size_t>(i)];
    INFO("person " << i);
    auto it = ids.find(p.index_key);
    if (it != ids.end() && it->second.size() == 1) {
      // Onto the PNC ID, with the kNameDob explanation of the key's first entry.
      const First& f = first.at(p.index_key);
      const std::optional<NodeId> v = g.Find(NodeKind::kPerson, f.pnc);
      REQUIRE(v.has_value());
      const std::string text =
          absl::StrCat("name+dob '", p.forename, " ", p.surname, " ", p.dob, "' matched PNC ",
                       f.record, " (", f.pnc, ") by ", f.how);
      bool found = false;
      for (const MergeView& m : g.merges(*v)) found |= m.explanation == text;
      REQUIRE(found);
      REQUIRE(!g.Find(NodeKind::kPerson, p.node_key).has_value());
      ++merged;
    } else {
      REQUIRE(g.Find(NodeKind::kPerson, p.node_key).has_value());
      ++(it == ids.end() ? unknown : ambiguous);
    }
  }
  // Each case is exercised (every 7th key is ambiguous, every 11th name unknown).
  REQUIRE(merged > kPeople / 2);
  REQUIRE(ambiguous > kPeople / 10);
  REQUIRE(unknown > kPeople / 20);
  for (int j = 0; j < kPeople / 3 + 2; ++j) {
    const std::string vrm = absl::StrCat("VRM", j);
    INFO(vrm);
    auto it = vrm_best.find(vrm);
    if (it != vrm_best.end()) {
      REQUIRE(g.Find(NodeKind::kVehicle, it->second.second).has_value());
      REQUIRE(!g.Find(NodeKind::kVehicle, "VRM-" + vrm).has_value());
    } else {
      REQUIRE(g.Find(NodeKind::kVehicle, "VRM-" + vrm).has_value());
      REQUIRE(g.Find(NodeKind::kPlate, vrm).has_value());
    }
  }
}

}  // namespace
}  // namespace polegraph::testing
