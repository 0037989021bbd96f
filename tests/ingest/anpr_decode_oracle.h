// The oracle of anpr_decode_test.cc: ANPR wire bytes written by hand, the protobuf path of
// ChunkParser::Parse written out (ExtractReader::Parse, the wire check, AnprFacts), a line-per-
// fact dump of ChunkFacts, and Compare(), which runs the production ChunkParser (decoder on) and
// the oracle on the same extract and checks that they agree.
#ifndef POLEGRAPH_TESTS_INGEST_ANPR_DECODE_ORACLE_H_
#define POLEGRAPH_TESTS_INGEST_ANPR_DECODE_ORACLE_H_

#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fixture.h"
#include "ingest/internal/anpr_decode.h"
#include "ingest/internal/field_checks.h"
#include "polegraph/graph.h"

namespace polegraph::testing::anpr_oracle {

using ingest_internal::AnprFields;
using ingest_internal::ChunkFacts;
using ingest_internal::ChunkParser;
using ingest_internal::DecodeAnpr;
using ingest_internal::MetaFields;
using ingest_internal::ReadFields;
using ingest_internal::RecordSink;
using ingest_internal::SiteFields;

// --- Writing wire bytes by hand -------------------------------------------------------------

inline std::string Varint(std::uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
  return out;
}
inline std::string Tag(int field, int wire_type) {
  return Varint(static_cast<std::uint64_t>(field) << 3 | static_cast<unsigned>(wire_type));
}
inline std::string VarintField(int field, std::uint64_t v) { return Tag(field, 0) + Varint(v); }
inline std::string Len(int field, const std::string& bytes) {
  return Tag(field, 2) + Varint(bytes.size()) + bytes;
}
template <typename T>
inline std::string Fixed(int field, T v) {
  std::string out = Tag(field, sizeof(T) == 8 ? 1 : 5);
  char raw[sizeof(T)];
  std::memcpy(raw, &v, sizeof(T));
  return out + std::string(raw, sizeof(T));
}

inline std::string Marking(int classification, const std::string& force,
                           const std::vector<std::string>& caveats = {}) {
  std::string m = VarintField(1, static_cast<std::uint64_t>(classification)) + Len(2, force);
  for (const std::string& c : caveats) m += Len(3, c);
  return m;
}
inline std::string MetaBytes(const std::string& id, const std::string& marking) {
  return Len(1, id) + Len(2, marking);
}
inline std::string DefaultMeta(const std::string& id) {
  return MetaBytes(id, Marking(1, "ANPR", {"PERSONAL"}));
}
inline std::string ReadBody(const std::string& id = "R1") {
  return Len(1, DefaultMeta(id)) + Len(2, "AB12 CDE") + Len(3, "s1") + VarintField(4, 2) +
         VarintField(5, static_cast<std::uint64_t>(kT0)) + VarintField(6, 250) + Fixed(7, 0.75f) +
         Len(8, "FORD") + Len(9, "BLUE");
}
inline std::string SiteBody(const std::string& id = "S1") {
  return Len(1, DefaultMeta(id)) + Len(2, "s1") + Fixed(3, 52.5) + Fixed(4, -1.9) + Len(5, "M6") +
         VarintField(6, 2) + VarintField(7, 1);
}
inline std::string AsRead(const std::string& body) { return Len(2, body); }
inline std::string AsSite(const std::string& body) { return Len(1, body); }

// --- The two paths --------------------------------------------------------------------------

// One line per fact, in order: equal dumps mean equal ChunkFacts (any source's facts; the PNC
// and PND oracles in record_decode_oracle.h use it too).
inline std::vector<std::string> DumpFacts(const ChunkFacts& f) {
  std::vector<std::string> out;
  for (const auto& r : f.records) {
    out.push_back(absl::StrCat("record ", r.offset, " ", r.index,
                               " id=", ingest_internal::Av(f.Text(r.record_id)), " label=", r.label,
                               " n=", r.node_begin, "-", r.node_end, " e=", r.edge_begin, "-",
                               r.edge_end, " p=", r.prop_begin, "-", r.prop_end,
                               " rs=", r.read_site, " ds=", r.defined_site));
  }
  for (const auto& l : f.labels) {
    out.push_back(absl::StrCat("label ", static_cast<int>(l.classification), " ", l.force, " ",
                               absl::StrJoin(l.caveats, "|")));
  }
  for (const auto& n : f.nodes) {
    if (n.hash != 0) CHECK(n.hash == GraphBuilder::NodeHash(n.kind, f.Text(n.key)));
    out.push_back(absl::StrCat("node ", ingest_internal::Av(f.Text(n.key)), " ",
                               static_cast<int>(n.kind), " ", static_cast<int>(n.how), " ",
                               n.person, " ", n.position, " ", n.hash));
  }
  for (const auto& p : f.people) {
    out.push_back(absl::StrCat("person ", p.forename, "|", p.surname, "|", p.dob, " ", p.index_key,
                               " ", p.node_key, " ", p.node_hash));
  }
  for (const auto& p : f.positions) {
    std::uint64_t lat, lon;  // bit patterns: -0.0 and NaNs compare exactly
    std::memcpy(&lat, &p.latitude, 8);
    std::memcpy(&lon, &p.longitude, 8);
    out.push_back(absl::StrCat("position ", lat, " ", lon));
  }
  for (const auto& e : f.edges) {
    out.push_back(
        absl::StrCat("edge ", e.from, " ", e.to, " ", static_cast<int>(e.kind), " ", e.time));
  }
  for (const auto& p : f.props) {
    // The hash the parser gave (computed in Commit, or a cached one: PropHashed) is the
    // builder's own.
    CHECK(p.value_hash == GraphBuilder::ValueHash(f.Text(p.value)));
    out.push_back(absl::StrCat("prop ", p.node, " ", ingest_internal::Av(p.name), "=",
                               ingest_internal::Av(f.Text(p.value)), " ", p.value_hash));
  }
  for (const auto& q : f.quarantine) {
    out.push_back(absl::StrCat("quarantine ", q.file, " ", q.offset, " ", q.index,
                               " id=", q.record_id, " reason=", q.reason));
  }
  for (const auto& n : f.names) {
    out.push_back(absl::StrCat("name ", n.key, " ", n.pnc_id, " ", n.record_id, " ", n.how));
  }
  for (const auto& v : f.vrms) {
    out.push_back(absl::StrCat("vrm ", v.vrm, " ", v.vehicle_key, " ", v.since));
  }
  return out;
}

// An ANPR chunk's dump: DumpFacts, and reads and sites give no people, name or VRM facts.
inline std::vector<std::string> Dump(const ChunkFacts& f) {
  CHECK(f.people.empty());
  CHECK(f.names.empty());
  CHECK(f.vrms.empty());
  return DumpFacts(f);
}

// Fails the check, showing the first line where two dumps differ, unless they are equal.
inline void CheckSameDump(const std::vector<std::string>& decoded,
                          const std::vector<std::string>& protobuf) {
  if (decoded == protobuf) return;
  std::size_t i = 0;
  while (i < decoded.size() && i < protobuf.size() && decoded[i] == protobuf[i]) ++i;
  FAIL_CHECK("decoded: " << (i < decoded.size() ? decoded[i] : "(end)")
                         << "\nprotobuf: " << (i < protobuf.size() ? protobuf[i] : "(end)"));
}

// The oracle: ChunkParser::Parse's protobuf path for every record of a chunk — parse into a
// Record, trust it when WireFieldsValid says so, and hand it to facts(m, extracted_at, &sink)
// (index-only: the first PNC pass). The PNC and PND oracles (record_decode_oracle.h) use it too.
template <typename Record, typename FactsFn>
inline ChunkFacts ProtobufFacts(const ExtractReader& reader, const ExtractReader::Chunk& chunk,
                                Source source, FactsFn facts_of, bool index_only = false) {
  ChunkFacts facts;
  facts.source = source;
  RecordSink sink(&reader.path(), &facts, index_only);
  const std::int64_t extracted_at = reader.header().extracted_at();
  std::string bytes;
  const absl::Status read =
      reader.ForEachRecord(chunk, &bytes, [&](const ExtractReader::Frame& frame) {
        Record m;
        sink.Begin(frame.offset, frame.index);
        absl::Status parsed = reader.Parse(frame.payload, &m);
        if (!parsed.ok()) {
          sink.Quarantine("", absl::StrCat("payload does not parse: ", parsed.message()));
          return;
        }
        if (ingest_internal::WireFieldsValid(frame.payload, m.GetDescriptor(), extracted_at)) {
          sink.Trust();
        }
        facts_of(m, extracted_at, &sink);
      });
  REQUIRE(read.ok());
  return facts;
}

inline ChunkFacts ProtobufPath(const ExtractReader& reader, const ExtractReader::Chunk& chunk) {
  return ProtobufFacts<pb::AnprRecord>(
      reader, chunk, Source::kAnpr,
      [](const pb::AnprRecord& m, std::int64_t at, RecordSink* sink) {
        ingest_internal::AnprFacts(m, at, sink);
      });
}

inline bool SameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }
inline bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

inline bool SameMeta(const MetaFields& a, const MetaFields& b) {
  return a.present == b.present && a.record_id == b.record_id &&
         a.classification == b.classification && a.owning_force == b.owning_force &&
         std::vector<std::string_view>(a.caveats.begin(), a.caveats.end()) ==
             std::vector<std::string_view>(b.caveats.begin(), b.caveats.end());
}

// When the decoder takes `payload`, protobuf must parse it into exactly its values and the
// field rules must accept them. Returns whether the decoder took it.
inline bool CheckDecodedValues(const ExtractReader& reader, std::string_view payload) {
  AnprFields d;
  const std::int64_t extracted_at = reader.header().extracted_at();
  if (!DecodeAnpr(payload, extracted_at, &d)) return false;
  pb::AnprRecord m;
  REQUIRE(reader.Parse(payload, &m).ok());
  CHECK(ingest_internal::ValidateFields(m, extracted_at).ok());
  if (d.which == AnprFields::Case::kRead) {
    REQUIRE(m.has_read());
    const ReadFields p = ReadFields::Of(m.read());
    CHECK(SameMeta(d.read.meta, p.meta));
    CHECK(d.read.vrm == p.vrm);
    CHECK(d.read.site_id == p.site_id);
    CHECK(d.read.make == p.make);
    CHECK(d.read.colour == p.colour);
    CHECK(d.read.lane == p.lane);
    CHECK(d.read.read_at == p.read_at);
    CHECK(d.read.read_at_ms == p.read_at_ms);
    CHECK(SameBits(d.read.confidence, p.confidence));
  } else {
    REQUIRE(d.which == AnprFields::Case::kSite);
    REQUIRE(m.has_site());
    const SiteFields p = SiteFields::Of(m.site());
    CHECK(SameMeta(d.site.meta, p.meta));
    CHECK(d.site.site_id == p.site_id);
    CHECK(d.site.road == p.road);
    CHECK(SameBits(d.site.latitude, p.latitude));
    CHECK(SameBits(d.site.longitude, p.longitude));
    CHECK(d.site.direction == p.direction);
    CHECK(d.site.camera == p.camera);
  }
  return true;
}

// The label of every accepted record, against one computed here from its parsed marking
// (upper-cased trimmed force, sorted distinct non-empty caveats); and no label twice in the
// chunk. (Labels are looked up through a last-marking cache in the sink.)
inline void CheckLabels(const ExtractReader& reader, const std::vector<std::string>& payloads,
                        const ChunkFacts& facts) {
  for (std::size_t i = 0; i < facts.labels.size(); ++i) {
    for (std::size_t j = i + 1; j < facts.labels.size(); ++j) {
      CHECK_FALSE(facts.labels[i] == facts.labels[j]);
    }
  }
  auto upper = [](std::string s) {
    while (!s.empty() && s.front() == ' ') s.erase(0, 1);
    while (!s.empty() && s.back() == ' ') s.pop_back();
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  };
  for (const auto& r : facts.records) {
    pb::AnprRecord m;
    REQUIRE(reader.Parse(payloads[r.index], &m).ok());
    const pb::Marking& mark = m.has_read() ? m.read().meta().marking() : m.site().meta().marking();
    std::set<std::string> caveats;
    for (const std::string& c : mark.caveats()) {
      if (!upper(c).empty()) caveats.insert(upper(c));
    }
    REQUIRE(r.label < facts.labels.size());
    const auto& label = facts.labels[r.label];
    CHECK(static_cast<int>(label.classification) == static_cast<int>(mark.classification()) - 1);
    CHECK(label.force == upper(mark.owning_force()));
    CHECK(label.caveats == std::vector<std::string>(caveats.begin(), caveats.end()));
  }
}

struct Tally {
  std::size_t records = 0, decoded = 0, accepted = 0, quarantined = 0;
};

// Writes `payloads` as an ANPR extract, reads it back with `limits` and compares the two paths
// on every chunk (by default 64 records each, so chunk-local label tables are exercised too;
// more `records_per_chunk` exercise the chunk's site cache). `chars` (optional) gets the total
// size of the decoded chunks' text minus the oracle's.
inline Tally Compare(const std::vector<std::string>& payloads, ExtractLimits limits = {},
                     std::int64_t extracted_at = kExtractedAt,
                     std::uint64_t records_per_chunk = 64, std::int64_t* chars = nullptr) {
  TempDir dir;
  const std::string path = dir.File("anpr.pb");
  WriteExtract(path, pb::ANPR, payloads, "MPS", "X1", extracted_at);
  auto reader = ExtractReader::Open(path, limits);
  REQUIRE(reader.ok());
  std::vector<ExtractReader::Chunk> chunks;
  REQUIRE((*reader)->ScanChunks(records_per_chunk, &chunks).ok());
  if (chars != nullptr) *chars = 0;
  Tally t;
  ChunkParser parser;
  for (const auto& chunk : chunks) {
    const ChunkFacts decoded = parser.Parse(**reader, chunk);
    const ChunkFacts oracle = ProtobufPath(**reader, chunk);
    const std::vector<std::string> a = Dump(decoded), b = Dump(oracle);
    CheckSameDump(a, b);
    CheckLabels(**reader, payloads, decoded);
    if (chars != nullptr) {
      *chars += static_cast<std::int64_t>(decoded.chars.size()) -
                static_cast<std::int64_t>(oracle.chars.size());
    }
    t.accepted += oracle.records.size();
    t.quarantined += oracle.quarantine.size();
    std::string bytes;
    const absl::Status read =
        (*reader)->ForEachRecord(chunk, &bytes, [&](const ExtractReader::Frame& f) {
          ++t.records;
          if (limits.max_nesting >= ingest_internal::kAnprDecodeDepth &&
              CheckDecodedValues(**reader, f.payload)) {
            ++t.decoded;
          }
        });
    REQUIRE(read.ok());
  }
  return t;
}

}  // namespace polegraph::testing::anpr_oracle

#endif  // POLEGRAPH_TESTS_INGEST_ANPR_DECODE_ORACLE_H_
