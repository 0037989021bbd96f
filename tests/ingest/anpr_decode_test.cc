// The hand-written ANPR decoder (DecodeAnpr, used by ChunkParser::Parse) against its oracle, the
// protobuf path it replaces: ExtractReader::Parse into a pb::AnprRecord, the wire check, then
// AnprFacts (the reflection walk for the verdict and reason). For every input — generated
// records, hand-made encodings and many random mutations — the chunk's facts (accepted records,
// labels, nodes, edges, properties, positions and hashes) and its quarantine (offsets, record
// ids, reasons) must be identical; and whenever the decoder takes a record, its values must be
// exactly the fields protobuf parsed and the field rules must accept them.
#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "fixture.h"
#include "ingest/internal/anpr_decode.h"
#include "ingest/internal/field_checks.h"

namespace polegraph::testing {
namespace {

using ingest_internal::AnprFields;
using ingest_internal::ChunkFacts;
using ingest_internal::ChunkParser;
using ingest_internal::DecodeAnpr;
using ingest_internal::MetaFields;
using ingest_internal::ReadFields;
using ingest_internal::RecordSink;
using ingest_internal::SiteFields;

// --- Writing wire bytes by hand -------------------------------------------------------------

std::string Varint(std::uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
  return out;
}
std::string Tag(int field, int wire_type) {
  return Varint(static_cast<std::uint64_t>(field) << 3 | static_cast<unsigned>(wire_type));
}
std::string VarintField(int field, std::uint64_t v) { return Tag(field, 0) + Varint(v); }
std::string Len(int field, const std::string& bytes) {
  return Tag(field, 2) + Varint(bytes.size()) + bytes;
}
template <typename T>
std::string Fixed(int field, T v) {
  std::string out = Tag(field, sizeof(T) == 8 ? 1 : 5);
  char raw[sizeof(T)];
  std::memcpy(raw, &v, sizeof(T));
  return out + std::string(raw, sizeof(T));
}

std::string Marking(int classification, const std::string& force,
                    const std::vector<std::string>& caveats = {}) {
  std::string m = VarintField(1, static_cast<std::uint64_t>(classification)) + Len(2, force);
  for (const std::string& c : caveats) m += Len(3, c);
  return m;
}
std::string MetaBytes(const std::string& id, const std::string& marking) {
  return Len(1, id) + Len(2, marking);
}
std::string DefaultMeta(const std::string& id) {
  return MetaBytes(id, Marking(1, "ANPR", {"PERSONAL"}));
}
std::string ReadBody(const std::string& id = "R1") {
  return Len(1, DefaultMeta(id)) + Len(2, "AB12 CDE") + Len(3, "s1") + VarintField(4, 2) +
         VarintField(5, static_cast<std::uint64_t>(kT0)) + VarintField(6, 250) +
         Fixed(7, 0.75f) + Len(8, "FORD") + Len(9, "BLUE");
}
std::string SiteBody(const std::string& id = "S1") {
  return Len(1, DefaultMeta(id)) + Len(2, "s1") + Fixed(3, 52.5) + Fixed(4, -1.9) +
         Len(5, "M6") + VarintField(6, 2) + VarintField(7, 1);
}
std::string AsRead(const std::string& body) { return Len(2, body); }
std::string AsSite(const std::string& body) { return Len(1, body); }

// --- The two paths --------------------------------------------------------------------------

// One line per fact, in order: equal dumps mean equal ChunkFacts.
std::vector<std::string> Dump(const ChunkFacts& f) {
  std::vector<std::string> out;
  for (const auto& r : f.records) {
    out.push_back(absl::StrCat("record ", r.offset, " ", r.index, " id=", r.record_id, " label=",
                               r.label, " n=", r.node_begin, "-", r.node_end, " e=",
                               r.edge_begin, "-", r.edge_end, " p=", r.prop_begin, "-",
                               r.prop_end, " rs=", r.read_site, " ds=", r.defined_site));
  }
  for (const auto& l : f.labels) {
    out.push_back(absl::StrCat("label ", static_cast<int>(l.classification), " ", l.force, " ",
                               absl::StrJoin(l.caveats, "|")));
  }
  for (const auto& n : f.nodes) {
    out.push_back(absl::StrCat("node ", n.key, " ", static_cast<int>(n.kind), " ",
                               static_cast<int>(n.how), " ", n.person, " ", n.position, " ",
                               n.hash));
  }
  for (const auto& p : f.positions) {
    std::uint64_t lat, lon;  // bit patterns: -0.0 and NaNs compare exactly
    std::memcpy(&lat, &p.latitude, 8);
    std::memcpy(&lon, &p.longitude, 8);
    out.push_back(absl::StrCat("position ", lat, " ", lon));
  }
  for (const auto& e : f.edges) {
    out.push_back(absl::StrCat("edge ", e.from, " ", e.to, " ", static_cast<int>(e.kind), " ",
                               e.time));
  }
  for (const auto& p : f.props) {
    out.push_back(absl::StrCat("prop ", p.node, " ", ingest_internal::Av(p.name), "=", p.value, " ", p.value_hash));
  }
  for (const auto& q : f.quarantine) {
    out.push_back(absl::StrCat("quarantine ", q.file, " ", q.offset, " ", q.index, " id=",
                               q.record_id, " reason=", q.reason));
  }
  CHECK(f.people.empty());
  CHECK(f.names.empty());
  CHECK(f.vrms.empty());
  return out;
}

// The oracle: ChunkParser::Parse's protobuf path for every record of the chunk.
ChunkFacts ProtobufPath(const ExtractReader& reader, const ExtractReader::Chunk& chunk) {
  ChunkFacts facts;
  facts.source = Source::kAnpr;
  RecordSink sink(&reader.path(), &facts);
  const std::int64_t extracted_at = reader.header().extracted_at();
  reader.ForEachRecord(chunk, [&](const ExtractReader::Frame& frame) {
    pb::AnprRecord m;
    sink.Begin(frame.offset, frame.index);
    absl::Status parsed = reader.Parse(frame.payload, &m);
    if (!parsed.ok()) {
      sink.Quarantine("", absl::StrCat("payload does not parse: ", parsed.message()));
      return;
    }
    if (ingest_internal::WireFieldsValid(frame.payload, m.GetDescriptor(), extracted_at)) {
      sink.Trust();
    }
    ingest_internal::AnprFacts(m, extracted_at, &sink);
  });
  return facts;
}

bool SameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }
bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool SameMeta(const MetaFields& a, const MetaFields& b) {
  return a.present == b.present && a.record_id == b.record_id &&
         a.classification == b.classification && a.owning_force == b.owning_force &&
         std::vector<std::string_view>(a.caveats.begin(), a.caveats.end()) ==
             std::vector<std::string_view>(b.caveats.begin(), b.caveats.end());
}

// When the decoder takes `payload`, protobuf must parse it into exactly its values and the
// field rules must accept them. Returns whether the decoder took it.
bool CheckDecodedValues(const ExtractReader& reader, std::string_view payload) {
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
void CheckLabels(const ExtractReader& reader, const std::vector<std::string>& payloads,
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
// on every chunk (a few records each, so chunk-local label tables are exercised too).
Tally Compare(const std::vector<std::string>& payloads, ExtractLimits limits = {},
              std::int64_t extracted_at = kExtractedAt) {
  TempDir dir;
  const std::string path = dir.File("anpr.pb");
  WriteExtract(path, pb::ANPR, payloads, "MPS", "X1", extracted_at);
  auto reader = ExtractReader::Open(path, limits);
  REQUIRE(reader.ok());
  std::vector<ExtractReader::Chunk> chunks;
  REQUIRE((*reader)->ScanChunks(64, &chunks).ok());
  Tally t;
  ChunkParser parser;
  for (const auto& chunk : chunks) {
    const ChunkFacts decoded = parser.Parse(**reader, chunk);
    const ChunkFacts oracle = ProtobufPath(**reader, chunk);
    const std::vector<std::string> a = Dump(decoded), b = Dump(oracle);
    if (a != b) {
      // Show the first record whose facts differ.
      std::size_t i = 0;
      while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
      FAIL_CHECK("decoded: " << (i < a.size() ? a[i] : "(end)")
                             << "\nprotobuf: " << (i < b.size() ? b[i] : "(end)"));
    }
    CheckLabels(**reader, payloads, decoded);
    t.accepted += oracle.records.size();
    t.quarantined += oracle.quarantine.size();
    (*reader)->ForEachRecord(chunk, [&](const ExtractReader::Frame& f) {
      ++t.records;
      if (limits.max_nesting >= ingest_internal::kAnprDecodeDepth &&
          CheckDecodedValues(**reader, f.payload)) {
        ++t.decoded;
      }
    });
  }
  return t;
}

// Every ANPR record polegraph-gen writes at scale 0.01, 2 % of them deliberately bad, and the
// extract time of their file.
struct GeneratedRecords {
  std::vector<std::string> payloads;
  std::int64_t extracted_at = 0;
};

const GeneratedRecords& Generated() {
  static const GeneratedRecords all = [] {
    TempDir dir;
    const std::string cmd =
        absl::StrCat(POLEGRAPH_GEN, " --scale 0.01 --seed 11 --bad-fraction 0.02 --out ",
                     dir.File("gen"), " > /dev/null 2>&1");
    REQUIRE(std::system(cmd.c_str()) == 0);
    auto reader = ExtractReader::Open(dir.File("gen/anpr.pb"));
    REQUIRE(reader.ok());
    GeneratedRecords out;
    out.extracted_at = (*reader)->header().extracted_at();
    ExtractReader::Frame f;
    while ((*reader)->Next(&f).value()) out.payloads.emplace_back(f.payload);
    return out;
  }();
  return all;
}

TEST_CASE("decoded and protobuf paths agree on every generated ANPR record") {
  const Tally t = Compare(Generated().payloads, {}, Generated().extracted_at);
  CHECK(t.records > 5000);
  CHECK(t.quarantined > 50);  // the generator's bad records
  // The fast path takes every record whose bytes are canonical and pass the field rules:
  // everything but the bad records that break a field rule.
  CHECK(t.decoded >= t.accepted);
  CHECK(t.decoded > t.records * 97 / 100);
}

// Hand-made encodings. Each line's comment says what protobuf does with it; the test asserts
// only that both paths agree (and, where noted, that the fast path takes the record).
TEST_CASE("decoded and protobuf paths agree on hand-made encodings") {
  const std::string read = ReadBody(), site = SiteBody();
  const std::string bad_utf8 = "\xC3\x28";
  const std::uint64_t minus_one = ~std::uint64_t{0};
  std::vector<std::string> cases = {
      AsRead(read),  // canonical read and site
      AsSite(site),
      "",                  // no case set
      AsRead(""),          // empty read: no meta
      AsSite(""),          // empty site
      AsRead(Len(1, "") + Len(2, "AB12CDE") + Len(3, "s1")),  // empty meta: empty record_id
      AsRead(Len(1, Len(1, "R1")) + Len(2, "AB12CDE") + Len(3, "s1")),  // no marking
      AsRead(Len(1, MetaBytes("R1", Len(2, "ANPR"))) + Len(2, "AB12CDE") + Len(3, "s1")),
      AsRead(Len(1, MetaBytes("R1", Marking(1, "  "))) + Len(2, "AB12CDE") + Len(3, "s1")),
      AsRead(Len(1, DefaultMeta("R1")) + Len(3, "s1")),       // no VRM
      AsRead(Len(1, DefaultMeta("R1")) + Len(2, "AB12CDE")),  // no site id
      AsRead(Len(1, DefaultMeta("R1")) + Len(2, "!!") + Len(3, "s1")),  // invalid VRM
      AsRead(read + Fixed(7, 1.5f)),                          // confidence outside 0..1
      AsRead(read + Fixed(7, std::nanf(""))),                 // confidence not finite
      AsRead(read + Fixed(7, -0.0f)),
      // Repeated singular fields: the last value wins; repeated messages merge.
      AsRead(read + Len(2, "XY99 ZZZ") + VarintField(5, kT0 + 5)),
      AsRead(read + Len(1, Len(1, "R9"))),                         // meta merges: id replaced
      AsRead(read + Len(1, Len(2, Marking(2, "GMP", {"EYES"})))),  // caveats append
      AsRead(read) + AsRead(Len(9, "RED")),                        // read merges
      AsRead(read) + AsSite(site),                                 // the oneof switches
      AsSite(site) + AsRead(read),
      AsRead(read) + AsSite(site) + AsRead(Len(2, "AB12CDE")),     // a fresh read: no meta
      AsRead(read + Len(2, bad_utf8)) ,                            // invalid UTF-8, then
      AsRead(Len(2, bad_utf8) + read),                             // replaced by a valid VRM
      // Unknown fields and wire types.
      AsRead(read) + VarintField(3, 1),                   // unknown in AnprRecord
      AsRead(read + VarintField(10, 1)),                  // unknown in Read
      AsRead(read + Len(1, VarintField(3, 1))),           // unknown in RecordMeta
      AsRead(read + Len(1, Len(2, VarintField(4, 1)))),   // unknown in Marking
      AsRead(read + Tag(100000, 0) + Varint(1)),          // a large field number
      AsRead(read + VarintField(2, 7)),                   // VRM as a varint
      AsRead(read + Fixed(5, std::int64_t{kT0})),         // read_at as fixed64
      AsRead(read + VarintField(7, 1)),                   // confidence as a varint
      AsRead(read + Len(4, Varint(3) + Varint(4))),       // lane packed
      AsRead(read + VarintField(1, 1)),                   // meta as a varint
      AsSite(site + Len(6, Varint(1))),                   // direction packed
      AsRead(read + Tag(12, 3) + VarintField(1, 5) + Tag(12, 4)),  // an unknown group
      AsRead(read + Tag(12, 4)),                          // a stray end-group
      AsRead(read + Tag(12, 6) + Varint(1)),              // wire types 6 and 7
      AsRead(read + Tag(12, 7) + Varint(1)),
      AsRead(read) + std::string("\x02\x00", 2),          // field number 0
      AsRead(read + std::string("\x00", 1)),
      // Varints: extremes, longer forms than needed, too long.
      AsRead(read + VarintField(5, 0x7FFFFFFFFFFFFFFFull)),  // far after the extract
      AsRead(read + VarintField(5, minus_one)),                // negative time, 10 bytes
      AsRead(read + VarintField(4, minus_one) + VarintField(6, 0x100000005ull)),
      AsRead(read + Tag(5, 0) + "\x81\x80\x80\x80" + std::string("\x00", 1)),  // long form
      AsRead(read + Tag(5, 0) + std::string(9, '\xFF') + "\x7F"),  // 10th byte > 1
      AsRead(read + Tag(5, 0) + std::string(10, '\xFF') + "\x01"),  // 11 bytes
      AsRead(read + std::string("\xA8\x00", 2) + Varint(kT0)),    // tag in a long form
      std::string("\x12\x80\x00", 3),                               // length in a long form
      AsRead(read + Len(1, MetaBytes("R1", Marking(-1, "ANPR")))),   // enum -1 (10 bytes)
      AsRead(read + Len(1, MetaBytes("R1", Marking(7, "ANPR")))),    // unknown enum value
      AsRead(read + Len(1, Len(2, Tag(1, 0) + Varint((1ull << 32) + 2)))),  // int32 wraps to 2
      AsSite(site + VarintField(6, minus_one)),
      AsSite(site + VarintField(7, 4)),
      AsSite(site + Fixed(3, 90.0) + Fixed(4, -180.0)),     // on the limits
      AsSite(site + Fixed(3, 90.5)),                        // beyond them
      AsSite(site + Fixed(4, 180.25)),
      AsSite(site + Fixed(3, std::numeric_limits<double>::infinity())),
      AsSite(site + Fixed(3, 0.0) + Fixed(4, 0.0)),         // no position
      AsSite(site + Fixed(3, -0.0) + Fixed(4, 0.0)),
      AsSite(site + Len(2, "")),                            // no site id
      AsSite(site + Len(2, bad_utf8)),
      AsRead(read + Len(8, bad_utf8)),                      // invalid UTF-8 in each text
      AsRead(read + Len(9, bad_utf8)),
      AsRead(read + Len(3, bad_utf8)),
      AsRead(read + Len(1, Len(1, bad_utf8))),
      AsRead(read + Len(1, Len(2, Len(2, bad_utf8)))),
      AsRead(read + Len(1, Len(2, Len(3, bad_utf8)))),
      AsRead(read + Len(1, Len(2, Len(3, "  ") + Len(3, "b") + Len(3, "A") + Len(3, "a")))),
      AsRead(read + Len(1, Len(2, Len(3, "1") + Len(3, "2") + Len(3, "3") + Len(3, "4") +
                                     Len(3, "5") + Len(3, "6")))),  // > 4 caveats
      AsRead(read + VarintField(5, kExtractedAt + 86400)),      // the last second allowed
      AsRead(read + VarintField(5, kExtractedAt + 86401)),
  };
  // Every prefix of a read and of a site: truncated at each byte.
  for (const std::string& whole : {AsRead(read), AsSite(site)}) {
    for (std::size_t n = 0; n < whole.size(); ++n) cases.push_back(whole.substr(0, n));
  }
  const Tally t = Compare(cases);
  CHECK(t.records == cases.size());
  CHECK(t.decoded > 20);
  CHECK(t.quarantined > 40);

  // The fast path must take the canonical records and the repeated fields it mirrors (the
  // decoded views point into the payloads, so these stay alive).
  AnprFields d;
  REQUIRE(DecodeAnpr(cases[0], kExtractedAt, &d));
  CHECK(d.read.vrm == "AB12 CDE");
  CHECK(d.read.meta.caveats.size() == 1);
  const std::string last = AsRead(read + Len(2, "XY99 ZZZ") + VarintField(5, kT0 + 5));
  REQUIRE(DecodeAnpr(last, kExtractedAt, &d));
  CHECK(d.read.vrm == "XY99 ZZZ");
  CHECK(d.read.read_at == kT0 + 5);
  const std::string merged = AsRead(read + Len(1, Len(2, Marking(2, "GMP", {"EYES"}))));
  REQUIRE(DecodeAnpr(merged, kExtractedAt, &d));
  CHECK(d.read.meta.record_id == "R1");
  CHECK(d.read.meta.classification == 2);
  CHECK(d.read.meta.owning_force == "GMP");
  CHECK(d.read.meta.caveats.size() == 2);
  const std::string switched = AsRead(read) + AsSite(site) + AsRead(Len(2, "AB12CDE"));
  REQUIRE(DecodeAnpr(switched, kExtractedAt, &d));
  CHECK(d.which == AnprFields::Case::kRead);
  CHECK_FALSE(d.read.meta.present);
  CHECK(d.read.site_id.empty());
}

// The recursion limit: a read's marking is 3 levels below the record, so protobuf quarantines
// it when ExtractLimits::max_nesting < 3, and the decoder must not be used then.
TEST_CASE("decoded and protobuf paths agree under every nesting limit") {
  const std::vector<std::string> cases = {AsRead(ReadBody()), AsSite(SiteBody()),
                                          AsRead(Len(2, "AB12CDE") + Len(3, "s1"))};
  for (int nesting = 1; nesting <= 4; ++nesting) {
    ExtractLimits limits;
    limits.max_nesting = nesting;
    const Tally t = Compare(cases, limits);
    CHECK(t.accepted == (nesting >= ingest_internal::kAnprDecodeDepth ? 2u : 0u));
  }
}

// Random damage to generated records: byte changes, bit flips, truncations, insertions,
// deletions and splices of two records. Most still parse; many break a rule.
TEST_CASE("decoded and protobuf paths agree on mutated records") {
  const std::vector<std::string>& gen = Generated().payloads;
  std::mt19937_64 rng(20261126);
  std::vector<std::string> cases;
  for (std::size_t i = 0; i < gen.size(); i += 2) {
    for (int k = 0; k < 4; ++k) {
      std::string b = gen[i];
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
            b += gen[(i + rng()) % gen.size()];
            break;
          default:  // a field-sized piece of another record
            const std::string& o = gen[(i + rng()) % gen.size()];
            const std::size_t from = rng() % o.size();
            b.insert(at, o.substr(from, 1 + rng() % 12));
            break;
        }
      }
      cases.push_back(std::move(b));
    }
  }
  const Tally t = Compare(cases, {}, Generated().extracted_at);
  CHECK(t.records > 10000);
  CHECK(t.decoded > t.records / 10);
  CHECK(t.quarantined > t.records / 10);
  CHECK(t.accepted > t.records / 10);
}

}  // namespace
}  // namespace polegraph::testing
