// ApplyMeta's per-sink marking cache (RecordSink::MarkingCache: a direct-mapped front on a hash
// map of raw markings) against an oracle that caches nothing: the label a record gets must be
// the marking normalised by hand (classification, upper-cased trimmed force, sorted distinct
// non-empty caveats), the same marking must always give the same label index while it is in
// the chunk, quarantined records must take the labels they added with them, and the chunk's
// labels must stay distinct. Many more distinct markings than the front has slots, so slots
// collide and are overwritten; random quarantines in between. Also FastIsValidVrm against
// IsValidVrm (keys.h), and the cached enum names and hashes of fact_refs.h against the
// generated X_Name functions and GraphBuilder::ValueHash.
#include <algorithm>
#include <catch2/catch.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "ingest/internal/fact_refs.h"
#include "ingest/internal/facts.h"
#include "ingest/internal/keys_fast.h"
#include "ingest/internal/validate.h"
#include "polegraph/graph.h"
#include "polegraph/keys.h"

namespace polegraph::testing {
namespace {

using ingest_internal::ChunkFacts;
using ingest_internal::LabelFact;
using ingest_internal::MetaFields;
using ingest_internal::RecordSink;

// The oracle: ApplyMeta's rules and normalisation, written out plainly.
std::string Upper(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

struct Marking {
  int classification = 1;
  std::string force;
  std::vector<std::string> caveats;
};

// nullopt when ApplyMeta must refuse the marking.
std::optional<LabelFact> Expected(const Marking& m) {
  LabelFact l;
  switch (m.classification) {
    case pb::OFFICIAL:
      l.classification = Classification::kOfficial;
      break;
    case pb::OFFICIAL_SENSITIVE:
      l.classification = Classification::kOfficialSensitive;
      break;
    case pb::SECRET:
      l.classification = Classification::kSecret;
      break;
    case pb::TOP_SECRET:
      l.classification = Classification::kTopSecret;
      break;
    default:
      return std::nullopt;
  }
  l.force = Upper(m.force);
  if (l.force.empty()) return std::nullopt;
  for (const std::string& c : m.caveats) {
    std::string k = Upper(c);
    if (!k.empty()) l.caveats.push_back(k);
  }
  std::sort(l.caveats.begin(), l.caveats.end());
  l.caveats.erase(std::unique(l.caveats.begin(), l.caveats.end()), l.caveats.end());
  return l;
}

Marking RandomMarking(std::mt19937& rng) {
  static const std::vector<std::string> forces = {
      "met", "MET", " met ", "gmp", "WMP", "", " ", "btp", "Kent", "x", "essex",
      "a force of seventeen", "sixteen-byte-frc", "Thames Valley Police"};
  static const std::vector<std::string> caveats = {"", "NOFORN", "noforn", " ukeo ", "ORCON",
                                                   "a", "B", " ", "RELTO-GB",
                                                   "a caveat longer than sixteen"};
  Marking m;
  m.classification = std::uniform_int_distribution<int>(0, 5)(rng);
  m.force = forces[std::uniform_int_distribution<std::size_t>(0, forces.size() - 1)(rng)];
  // Distinct force spellings beyond the list, so there are far more raw markings than slots.
  if (rng() % 2 == 0) m.force += std::to_string(rng() % 150);
  for (int n = static_cast<int>(rng() % 4); n > 0; --n) {
    m.caveats.push_back(caveats[rng() % caveats.size()]);
  }
  return m;
}

TEST_CASE("ApplyMeta's marking cache gives the uncached labels, across collisions and "
          "quarantines") {
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    std::mt19937 rng(seed);
    const std::string path = "test.pb";
    ChunkFacts chunk;
    RecordSink sink(&path, &chunk);
    std::vector<LabelFact> committed;  // the expected label of each committed record, in order
    int hits_checked = 0;
    for (int i = 0; i < 20000; ++i) {
      const Marking m = RandomMarking(rng);
      const std::string id = "R" + std::to_string(i);
      MetaFields meta;
      meta.present = true;
      meta.record_id = id;
      meta.classification = m.classification;
      meta.owning_force = m.force;
      for (const std::string& c : m.caveats) meta.caveats.push_back(c);
      sink.Begin(static_cast<std::uint64_t>(i) * 10, static_cast<std::uint64_t>(i));
      const absl::Status s = ingest_internal::ApplyMeta(meta, &sink);
      const std::optional<LabelFact> want = Expected(m);
      INFO("seed " << seed << " record " << i << " force '" << m.force << "'");
      REQUIRE(s.ok() == want.has_value());
      if (!s.ok()) {
        sink.Quarantine(id, std::string(s.message()));
        continue;
      }
      REQUIRE(sink.label() < chunk.labels.size());
      CHECK(chunk.labels[sink.label()] == *want);
      ++hits_checked;
      if (rng() % 7 == 0) {
        sink.Quarantine(id, "dropped by the test");
      } else {
        sink.Commit();
        committed.push_back(*want);
      }
      // The chunk's labels stay distinct (a dropped label must not be left behind in a cache).
      if (i % 1000 == 999) {
        const absl::flat_hash_set<LabelFact> distinct(chunk.labels.begin(), chunk.labels.end());
        REQUIRE(distinct.size() == chunk.labels.size());
      }
    }
    CHECK(hits_checked > 10000);
    CHECK(chunk.labels.size() > 2 * (std::size_t{1} << RecordSink::MarkingCache::kRecentBits));
    // Every committed record's label is still the one its marking gave (quarantines after it
    // did not move or drop it).
    REQUIRE(chunk.records.size() == committed.size());
    for (std::size_t k = 0; k < committed.size(); ++k) {
      REQUIRE(chunk.records[k].label < chunk.labels.size());
      CHECK(chunk.labels[chunk.records[k].label] == committed[k]);
    }
  }
}

TEST_CASE("FastIsValidVrm is IsValidVrm") {
  std::mt19937 rng(5);
  const std::string alphabet = "ABZaz0159 -";
  std::vector<std::string> inputs = {"",        "A",       "AB12CDE", "AB12CD",  "AB12CDEF",
                                     "ab12cde", "A123BCD", "ABC123D", "1ABC",    "AB1CDEF",
                                     "AB123DE", "ZZ99ZZZ", "AA00AAA", "AB 12CD", "0B12CDE"};
  for (int i = 0; i < 100000; ++i) {
    std::string s;
    for (int n = static_cast<int>(rng() % 10); n > 0; --n) s += alphabet[rng() % alphabet.size()];
    inputs.push_back(s);
  }
  // Every plate of the current format's shape with letters and digits varied at each place.
  for (int i = 0; i < 20000; ++i) {
    std::string s = "AB12CDE";
    for (char& c : s) {
      const unsigned r = rng() % 4;
      if (r == 0) c = static_cast<char>('A' + rng() % 26);
      if (r == 1) c = static_cast<char>('0' + rng() % 10);
    }
    inputs.push_back(s);
  }
  int valid = 0;
  for (const std::string& s : inputs) {
    INFO("vrm '" << s << "'");
    REQUIRE(ingest_internal::FastIsValidVrm(s) == IsValidVrm(s));
    valid += IsValidVrm(s) ? 1 : 0;
  }
  CHECK(valid > 5000);
}

TEST_CASE("Cached enum value names and hashes are X_Name's and ValueHash's") {
  auto same = [](ingest_internal::NamedValue got, const std::string& want) {
    INFO("name '" << want << "'");
    CHECK(got.text == want);
    CHECK(got.hash == GraphBuilder::ValueHash(want));
  };
  for (int v = -2; v < 40; ++v) {  // every value, gaps and values outside the enums too
    same(ingest_internal::SexValue(v), pb::Sex_Name(v));
    same(ingest_internal::WarningValue(v), pb::WarningMarker_Name(v));
    same(ingest_internal::DisposalValue(v), pb::DisposalType_Name(v));
  }
  CHECK(ingest_internal::SexValue(pb::SEX_UNSPECIFIED + 1).text.size() > 0);
  same(ingest_internal::TrueValue(), "true");
}

}  // namespace
}  // namespace polegraph::testing
