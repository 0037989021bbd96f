// Helpers for the ingest tests: a temporary directory, record builders, extract writing (valid
// and invalid payloads alike go through ExtractWriter::AppendSerialized), and a dump of a graph
// as sorted "src -KIND@time-> dst" strings to compare against hand-worked expectations.
#ifndef POLEGRAPH_TESTS_INGEST_FIXTURE_H_
#define POLEGRAPH_TESTS_INGEST_FIXTURE_H_

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "polegraph/anpr.pb.h"
#include "polegraph/extract.h"
#include "polegraph/graph.h"
#include "polegraph/ingest.h"
#include "polegraph/pnc.pb.h"
#include "polegraph/pnd.pb.h"

namespace polegraph::testing {

// 2024-06-01T00:00:00Z: the extract time of every test extract.
inline constexpr std::int64_t kExtractedAt = 1717200000;
inline constexpr std::int64_t kT0 = 1700000000;  // 2023-11-14T22:13:20Z

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "pg-ingest-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline pb::RecordMeta Meta(const std::string& id, const std::string& force = "MPS",
                           pb::Classification c = pb::OFFICIAL,
                           std::vector<std::string> caveats = {}) {
  pb::RecordMeta m;
  m.set_record_id(id);
  m.mutable_marking()->set_classification(c);
  m.mutable_marking()->set_owning_force(force);
  for (auto& cv : caveats) m.mutable_marking()->add_caveats(cv);
  return m;
}

inline pb::Date Dob(int y, int m, int d) {
  pb::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

inline void SetName(pb::PersonName* n, const std::string& fore, const std::string& sur) {
  n->set_forename(fore);
  n->set_surname(sur);
}

inline pb::PncRecord Nominal(const std::string& id, const std::string& pnc, const std::string& fore,
                             const std::string& sur, pb::Date dob) {
  pb::PncRecord r;
  pb::Nominal* n = r.mutable_nominal();
  *n->mutable_meta() = Meta(id);
  n->set_pnc_id(pnc);
  SetName(n->mutable_name(), fore, sur);
  *n->mutable_date_of_birth() = dob;
  return r;
}

inline pb::PncRecord Vehicle(const std::string& id, const std::string& vrm,
                             const std::string& vin) {
  pb::PncRecord r;
  pb::Vehicle* v = r.mutable_vehicle();
  *v->mutable_meta() = Meta(id);
  v->set_vrm(vrm);
  v->set_vin(vin);
  return r;
}

inline pb::PersonRef RefByPnc(const std::string& pnc) {
  pb::PersonRef p;
  p.set_pnc_id(pnc);
  return p;
}

inline pb::PersonRef RefByName(const std::string& fore, const std::string& sur, pb::Date dob) {
  pb::PersonRef p;
  SetName(p.mutable_name(), fore, sur);
  *p.mutable_date_of_birth() = dob;
  return p;
}

inline pb::PndRecord Crime(const std::string& id, const std::string& ref,
                           std::vector<std::pair<pb::PersonRef, pb::CrimeRole>> people = {}) {
  pb::PndRecord r;
  pb::Crime* c = r.mutable_crime();
  *c->mutable_meta() = Meta(id);
  c->set_crime_reference(ref);
  c->set_committed_from(kT0);
  for (auto& [p, role] : people) {
    pb::CrimePerson* cp = c->add_people();
    *cp->mutable_person() = p;
    cp->set_role(role);
  }
  return r;
}

inline pb::AnprRecord Site(const std::string& id, const std::string& site_id) {
  pb::AnprRecord r;
  pb::Site* s = r.mutable_site();
  *s->mutable_meta() = Meta(id, "ANPR");
  s->set_site_id(site_id);
  s->set_latitude(52.5);
  s->set_longitude(-1.9);
  s->set_road("M6");
  return r;
}

inline pb::AnprRecord Read(const std::string& id, const std::string& vrm,
                           const std::string& site_id, std::int64_t t) {
  pb::AnprRecord r;
  pb::Read* rd = r.mutable_read();
  *rd->mutable_meta() = Meta(id, "ANPR");
  rd->set_vrm(vrm);
  rd->set_site_id(site_id);
  rd->set_read_at(t);
  rd->set_confidence(0.9f);
  return r;
}

// Writes an extract whose records are the given payloads (serialised messages or raw bytes).
inline void WriteExtract(const std::string& path, pb::SourceSystem source,
                         const std::vector<std::string>& payloads, const std::string& force = "MPS",
                         const std::string& extract_id = "X1",
                         std::int64_t extracted_at = kExtractedAt) {
  pb::ExtractHeader h;
  h.set_source(source);
  h.set_force(force);
  h.set_extracted_at(extracted_at);
  h.set_schema_version(kExtractSchemaVersion);
  h.set_extract_id(extract_id);
  auto w = ExtractWriter::Create(path, h);
  REQUIRE(w.ok());
  for (const std::string& p : payloads) REQUIRE((*w)->AppendSerialized(p).ok());
  REQUIRE((*w)->Finish().ok());
}

template <typename... M>
std::vector<std::string> Payloads(const M&... messages) {
  return {messages.SerializeAsString()...};
}

// The framed records of one extract file (`pnc.pb`, `pnd.pb` or `anpr.pb`) that
// `polegraph-gen --scale 0.01 --seed SEED --bad-fraction 0.02` writes (2 % deliberately bad),
// and the file's extract time: the generated inputs of the decoder-against-oracle tests.
struct GeneratedRecords {
  std::vector<std::string> payloads;
  std::int64_t extracted_at = 0;
};
inline GeneratedRecords GenerateRecords(const std::string& file, int seed) {
  TempDir dir;
  const std::string cmd = absl::StrCat(POLEGRAPH_GEN, " --scale 0.01 --seed ", seed,
                                       " --bad-fraction 0.02 --out ", dir.File("gen"),
                                       " > /dev/null 2>&1");
  REQUIRE(std::system(cmd.c_str()) == 0);
  auto reader = ExtractReader::Open(dir.File("gen/" + file));
  REQUIRE(reader.ok());
  GeneratedRecords out;
  out.extracted_at = (*reader)->header().extracted_at();
  ExtractReader::Frame f;
  while ((*reader)->Next(&f).value()) out.payloads.emplace_back(f.payload);
  return out;
}

// Random damage to every `stride`-th record of `records`, 4 copies each, 1 or 2 edits a copy:
// byte changes, bit flips, truncations, insertions, deletions, a whole other record appended
// or a field-sized piece of one inserted. The same cases for the same inputs and seed.
inline std::vector<std::string> MutatedRecords(const std::vector<std::string>& records,
                                               std::size_t stride, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> cases;
  for (std::size_t i = 0; i < records.size(); i += stride) {
    for (int k = 0; k < 4; ++k) {
      std::string b = records[i];
      if (b.empty()) continue;
      const int edits = rng() % 4 == 0 ? 2 : 1;
      for (int e = 0; e < edits && !b.empty(); ++e) {
        const std::size_t at = rng() % b.size();
        switch (rng() % 7) {
          case 0:
            b[at] = static_cast<char>(rng());
            break;
          case 1:
            b[at] ^= static_cast<char>(1 << (rng() % 8));
            break;
          case 2:
            b.resize(at);
            break;
          case 3:
            b.insert(at, 1, static_cast<char>(rng()));
            break;
          case 4:
            b.erase(at, 1 + rng() % 4);
            break;
          case 5:
            b += records[(i + rng()) % records.size()];
            break;
          default: {  // a field-sized piece of another record
            const std::string& o = records[(i + rng()) % records.size()];
            const std::size_t from = rng() % o.size();
            b.insert(at, o.substr(from, 1 + rng() % 12));
            break;
          }
        }
      }
      cases.push_back(std::move(b));
    }
  }
  return cases;
}

inline IngestOptions Options(int threads, bool salvage = false) {
  IngestOptions o;
  o.threads = threads;
  o.salvage = salvage;
  return o;
}

// Every edge as "src -KIND@time-> dst", sorted.
inline std::vector<std::string> EdgeStrings(const Graph& g) {
  std::vector<std::string> out;
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    for (EdgeIndex e = g.out_offsets()[v]; e < g.out_offsets()[v + 1]; ++e) {
      out.push_back(absl::StrCat(g.Name(v), " -", std::string(EdgeKindName(g.edge_kind()[e])), "@",
                                 g.edge_time()[e], "-> ", g.Name(g.out_neighbours()[e])));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::vector<std::string> NodeStrings(const Graph& g) {
  std::vector<std::string> out;
  for (NodeId v = 0; v < g.num_nodes(); ++v) out.push_back(g.Name(v));
  std::sort(out.begin(), out.end());
  return out;
}

// Record ids behind a node, sorted.
inline std::vector<std::string> NodeRecordIds(const Graph& g, NodeId v) {
  std::vector<std::string> out;
  for (RecordNo r : g.node_records(v)) out.emplace_back(g.record(r).record_id);
  std::sort(out.begin(), out.end());
  return out;
}

inline NodeId MustFind(const Graph& g, NodeKind kind, const std::string& key) {
  std::optional<NodeId> v = g.Find(kind, key);
  INFO("node " << NodeKindName(kind) << ":" << key);
  REQUIRE(v.has_value());
  return *v;
}

}  // namespace polegraph::testing

#endif  // POLEGRAPH_TESTS_INGEST_FIXTURE_H_
