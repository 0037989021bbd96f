// Snapshot format 4's escapes: compact offsets whose blocks overflow 16 bits (wide blocks:
// a node with more than 65535 edges, strings longer than 64 KiB) and edge labels past the
// 255-entry table (escaped). Round trips are checked against the facts and against the built
// graph, whose CSR offsets and edge labels are the builder's own arrays (never encoded and
// decoded); damaged escapes are clear errors naming the section, never a crash (run under
// ASan).
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "graph/crc32c.h"
#include "graph/graph_fixtures.h"
#include "graph/storage.h"
#include "io/snapshot_format.h"
#include "polegraph/io.h"

namespace polegraph {
namespace {

using internal::SectionId;

const std::string kLongKey = "PC-" + std::string(70000, 'K');
const std::string kLongValue(66000, 'v');
const std::string kLongText(80000, 't');
const std::string kLongRecordId(70000, 'r');

// Small random facts plus: a record, key, property value and merge text of over 64 KiB (each
// makes a wide block in its offsets), 300 extra property names (escaped in prop.name), 300
// extra labels each on a few OCCURRED_AT edges (more than the edge-label table holds), and,
// when `star` > 0, a person "HUB" with `star` ASSOCIATE_OF out-edges to 50 new people
// "A00".."A49" (a wide block in out.offsets, and one in in.offsets for the targets' block).
// Node ids are fixed by (kind, key): people come first and "A.." sort first among them, so the
// targets are nodes 0-49 and HUB node 50, all in block 0; the long key is an offence that sorts
// last, node 60 + 4 places (+ 51 people) = 64 (115), so its key's two offsets share a block.
testing::Facts EscapeFacts(int star) {
  testing::Facts f = testing::RandomFacts(60, 200, testing::Shape::kUniform, 11);
  const int rec = static_cast<int>(f.records.size());
  f.records.push_back({1, kLongRecordId, 99999});
  const int node = static_cast<int>(f.nodes.size());
  f.nodes.push_back({NodeKind::kOffence, kLongKey, 0, rec});
  f.properties.push_back({node, "colour", kLongValue, rec});
  for (int i = 0; i < 300; ++i) {  // names past the 255 that prop.name holds directly
    f.properties.push_back({node, absl::StrCat("n", 100 + i), absl::StrCat("x", i % 7), rec});
  }
  f.merges.push_back({node, MergeRule::kOffenceRef, rec, kLongText});
  const int first_place = static_cast<int>(f.nodes.size());
  for (int k = 0; k < 4; ++k) {  // the places of the offence (the fourth has no edge)
    f.nodes.push_back({NodeKind::kLocation, absl::StrCat("LX", k), 0, rec});
  }
  const int first_label = static_cast<int>(f.labels.size());
  for (int i = 0; i < 300; ++i) {
    f.labels.push_back({Classification::kOfficial, absl::StrCat("F", 1000 + i), {}});
    for (int k = 0; k <= i % 3; ++k) {
      f.edges.push_back({node, first_place + k, EdgeKind::kOccurredAt, 1700000000 + k,
                         first_label + i, rec});
    }
  }
  if (star > 0) {
    const int hub = static_cast<int>(f.nodes.size());
    f.nodes.push_back({NodeKind::kPerson, "HUB", 0, 0});
    for (int t = 0; t < 50; ++t) {
      f.nodes.push_back({NodeKind::kPerson, absl::StrCat("A", t / 10, t % 10), 0, 0});
    }
    for (int i = 0; i < star; ++i) {
      f.edges.push_back(
          {hub, hub + 1 + i % 50, EdgeKind::kAssociateOf, 1600000000 + i, i % 4, 0});
    }
  }
  return f;
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The table entry of section `id` in a snapshot's bytes.
internal::SectionEntry Entry(const std::string& bytes, SectionId id) {
  internal::SectionEntry e;
  std::memcpy(&e, bytes.data() + 64 + 64 * static_cast<std::size_t>(id), sizeof e);
  return e;
}

TEST_CASE("wide blocks and escaped edge labels round trip", "[io][snapshot][format4]") {
  for (int star : {0, 70000}) {
    const testing::Facts f = EscapeFacts(star);
    auto g = testing::BuildOrDie(f, 3, 2);
    const Graph::Storage& s = internal::GraphAccess::storage(*g);
    CAPTURE(star);
    // The escapes are in use.
    REQUIRE(s.edge_label_table.size() == 255);
    REQUIRE_FALSE(s.edge_label_escape.empty());
    REQUIRE(s.key_wide.size() == internal::kWideRecord);
    REQUIRE(s.value_wide.size() == internal::kWideRecord);
    REQUIRE(s.merge_text_wide.size() == internal::kWideRecord);
    REQUIRE(s.record_id_wide.size() == internal::kWideRecord);
    REQUIRE(s.record_offset_wide.size() == internal::kWideRecord);  // offset 99999 vs < 16000
    REQUIRE(s.out_wide.size() == (star > 0 ? internal::kWideRecord : 0));
    REQUIRE(s.in_wide.size() == (star > 0 ? internal::kWideRecord : 0));
    REQUIRE(s.Validate().ok());
    // Against the facts: the long strings, and the labels of the 300 extra labels' edges.
    const std::optional<NodeId> v = g->Find(NodeKind::kOffence, kLongKey);
    REQUIRE(v.has_value());
    REQUIRE(g->key(*v) == kLongKey);
    REQUIRE(g->property(*v, "colour") == std::optional<std::string_view>(kLongValue));
    REQUIRE_FALSE(s.prop_name_escape.empty());
    std::map<std::string, std::string> props;
    for (const PropertyView& p : g->properties(*v)) props[std::string(p.name)] = p.value;
    REQUIRE(props.size() == 301);
    for (int i = 0; i < 300; ++i) {
      REQUIRE(props[absl::StrCat("n", 100 + i)] == absl::StrCat("x", i % 7));
      REQUIRE(g->property(*v, absl::StrCat("n", 100 + i)) ==
              std::optional<std::string_view>(props[absl::StrCat("n", 100 + i)]));
    }
    REQUIRE(g->merges(*v).size() == 1);
    REQUIRE(g->merges(*v)[0].explanation == kLongText);
    REQUIRE(g->record(g->node_records(*v)[0]).record_id == kLongRecordId);
    std::map<std::string, int> edges_by_force;  // force name -> edges of *v with that label
    for (EdgeIndex e = g->out_offsets()[*v]; e < g->out_offsets()[*v + 1]; ++e) {
      ++edges_by_force[std::string(g->force_name(g->label(g->edge_label()[e]).force))];
    }
    REQUIRE(edges_by_force.size() == 300);
    for (int i = 0; i < 300; ++i) REQUIRE(edges_by_force[absl::StrCat("F", 1000 + i)] == 1 + i % 3);
    if (star > 0) REQUIRE(g->out_degree(*g->Find(NodeKind::kPerson, "HUB")) >= 65536);
    // Saved and opened: every accessor equal to the built graph's.
    const std::string path = testing::TempPath("format4.pg");
    REQUIRE(SaveSnapshot(*g, path).ok());
    auto opened = OpenSnapshot(path);
    REQUIRE(opened.ok());
    testing::RequireSameGraph(*g, **opened);
    const std::string again = testing::TempPath("format4b.pg");
    REQUIRE(SaveSnapshot(**opened, again).ok());
    REQUIRE(testing::ReadFileBytes(again) == testing::ReadFileBytes(path));
    // The same facts in another order and at another thread count: the same bytes.
    auto g1 = testing::BuildOrDie(f, 9, 1);
    const std::string other = testing::TempPath("format4c.pg");
    REQUIRE(SaveSnapshot(*g1, other).ok());
    REQUIRE(testing::ReadFileBytes(other) == testing::ReadFileBytes(path));
  }
}

// Overwrites `size` bytes at `offset` of section `id` in `bytes` with `value`'s.
template <typename T>
void Put(std::string& bytes, SectionId id, std::uint64_t index, T value) {
  const internal::SectionEntry e = Entry(bytes, id);
  REQUIRE((index + 1) * sizeof(T) <= e.size);
  std::memcpy(bytes.data() + e.offset + index * sizeof(T), &value, sizeof(T));
}
template <typename T>
T Get(const std::string& bytes, SectionId id, std::uint64_t index) {
  const internal::SectionEntry e = Entry(bytes, id);
  T value;
  std::memcpy(&value, bytes.data() + e.offset + index * sizeof(T), sizeof(T));
  return value;
}

// Opens `bytes` with checksums off and requires a DataLoss error naming `section`; with
// checksums on the damage is a checksum mismatch.
void RequireRefused(const std::string& bytes, std::string_view section) {
  const std::string path = testing::ScratchPath("format4_bad.pg");
  WriteBytes(path, bytes);
  auto unchecked = OpenSnapshot(path, {.verify_checksums = false});
  CAPTURE(section);
  REQUIRE(unchecked.status().code() == absl::StatusCode::kDataLoss);
  const std::string message(unchecked.status().message());
  CAPTURE(message);
  REQUIRE(message.find("section '" + std::string(section)) != std::string::npos);
  REQUIRE(message.find("format4_bad.pg") != std::string::npos);
  auto checked = OpenSnapshot(path);
  REQUIRE(checked.status().code() == absl::StatusCode::kDataLoss);
  REQUIRE(std::string(checked.status().message()).find("checksum") != std::string::npos);
}

TEST_CASE("damaged wide blocks and label escapes are clear errors", "[io][snapshot][format4]") {
  auto g = testing::BuildOrDie(EscapeFacts(0));
  const std::string path = testing::TempPath("format4_src.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string good = testing::ReadFileBytes(path);
  // The key column's wide block (the long key's block).
  std::uint64_t wide_block = 0;
  while ((Get<std::uint64_t>(good, SectionId::key_base, wide_block) & internal::kWideBlock) == 0) {
    ++wide_block;
  }
  {  // the base names a wide record that does not exist
    std::string bad = good;
    Put<std::uint64_t>(bad, SectionId::key_base, wide_block, internal::kWideBlock | 7);
    RequireRefused(bad, "node.key.offsets.wide");
  }
  {  // the wide flag cleared: the block's u16 deltas (0) no longer reach the next block
    std::string bad = good;
    Put<std::uint64_t>(bad, SectionId::key_base, wide_block, 5);
    RequireRefused(bad, "node.key.offsets");
  }
  {  // a wide block's first delta is not 0
    std::string bad = good;
    Put<std::uint32_t>(bad, SectionId::key_wide, 2, 1);
    RequireRefused(bad, "node.key.offsets.wide");
  }
  {  // a wide delta decreases
    std::string bad = good;
    Put<std::uint32_t>(bad, SectionId::key_wide, 4, 0);
    Put<std::uint32_t>(bad, SectionId::key_wide, 3, 100);
    RequireRefused(bad, "node.key.offsets");
  }
  {  // a u16 delta inside a wide block
    std::string bad = good;
    Put<std::uint16_t>(bad, SectionId::key_offsets, wide_block * 64 + 1, 3);
    RequireRefused(bad, "node.key.offsets");
  }
  {  // a wide base past the chars
    std::string bad = good;
    Put<std::uint32_t>(bad, SectionId::value_wide, 1, 0x10);
    RequireRefused(bad, "prop_values.offsets");
  }
  const auto table = Get<std::uint16_t>(good, SectionId::edge_label_table, 0);
  {  // one escape too many: an edge coded 255 with no escaped label left
    std::string bad = good;
    std::uint64_t e = 0;
    while (Get<std::uint8_t>(bad, SectionId::edge_label_code, e) == 255) ++e;
    Put<std::uint8_t>(bad, SectionId::edge_label_code, e, 255);
    RequireRefused(bad, "edge.label");
  }
  {  // one escape too few
    std::string bad = good;
    std::uint64_t e = 0;
    while (Get<std::uint8_t>(bad, SectionId::edge_label_code, e) != 255) ++e;
    Put<std::uint8_t>(bad, SectionId::edge_label_code, e, 0);
    RequireRefused(bad, "edge.label.escape");
  }
  {  // an escaped label that is not a label
    std::string bad = good;
    Put<std::uint16_t>(bad, SectionId::edge_label_escape, 0, 65000);
    RequireRefused(bad, "edge.label.escape");
  }
  {  // a table that is not increasing, and one naming a label that does not exist
    std::string bad = good;
    Put<std::uint16_t>(bad, SectionId::edge_label_table, 1, table);
    RequireRefused(bad, "edge.label.table");
    bad = good;
    Put<std::uint16_t>(bad, SectionId::edge_label_table, 254, 65001);
    RequireRefused(bad, "edge.label.table");
  }
  {  // record offsets: a wide block renumbered, a u16 delta inside a wide block
    std::string bad = good;
    std::uint64_t b = 0;
    while ((Get<std::uint64_t>(good, SectionId::record_offset_base, b) & internal::kWideBlock) ==
           0) {
      ++b;
    }
    Put<std::uint64_t>(bad, SectionId::record_offset_base, b, internal::kWideBlock | 1);
    RequireRefused(bad, "record.offset.base");
    bad = good;
    Put<std::uint64_t>(bad, SectionId::record_offset_base, b, 77);
    RequireRefused(bad, "record.offset.wide");
  }
  {  // an escaped property name that is not a name, and one escape entry too many
    std::string bad = good;
    Put<std::uint16_t>(bad, SectionId::prop_name_escape, 0, 60000);
    RequireRefused(bad, "prop.name.escape");
    bad = good;
    const std::uint32_t at = Get<std::uint32_t>(good, SectionId::prop_name_escape_at, 0);
    Put<std::uint8_t>(bad, SectionId::prop_name, at, 3);
    RequireRefused(bad, "prop.name.escape_at");
    bad = good;
    Put<std::uint32_t>(bad, SectionId::prop_name_escape_at, 1, at);
    RequireRefused(bad, "prop.name.escape_at");
  }
  {  // a code past a short table (a graph with four edge labels)
    auto small = testing::BuildOrDie(testing::RandomFacts(12, 30, testing::Shape::kUniform, 3));
    REQUIRE(internal::GraphAccess::storage(*small).edge_label_table.size() < 10);
    const std::string small_path = testing::TempPath("format4_small.pg");
    REQUIRE(SaveSnapshot(*small, small_path).ok());
    std::string bad = testing::ReadFileBytes(small_path);
    Put<std::uint8_t>(bad, SectionId::edge_label_code, 3, 200);
    RequireRefused(bad, "edge.label");
  }
}

// Every byte of the escape-carrying sections (bases, wide records, u16 deltas, label codes,
// table and escapes) flipped in turn: with checksums on each flip is caught; with them off the
// snapshot is refused or every accessor stays in bounds.
TEST_CASE("byte flips in the format-4 sections stay in bounds", "[io][snapshot][format4]") {
  auto g = testing::BuildOrDie(EscapeFacts(0));
  const std::string path = testing::TempPath("format4_flip_src.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string bytes = testing::ReadFileBytes(path);
  const std::string flipped = testing::ScratchPath("format4_flip.pg");
  const SectionId sections[] = {SectionId::key_base,
                                SectionId::key_offsets,
                                SectionId::key_wide,
                                SectionId::value_base,
                                SectionId::value_wide,
                                SectionId::merge_text_wide,
                                SectionId::record_id_base,
                                SectionId::record_id_wide,
                                SectionId::out_base,
                                SectionId::out_delta,
                                SectionId::in_delta,
                                SectionId::prop_offsets,
                                SectionId::edge_label_code,
                                SectionId::edge_label_table,
                                SectionId::edge_label_escape,
                                SectionId::prop_name,
                                SectionId::prop_name_escape_at,
                                SectionId::prop_name_escape,
                                SectionId::record_offset_base,
                                SectionId::record_offset_wide};
  int refused = 0, accepted = 0;
  for (SectionId id : sections) {
    const internal::SectionEntry e = Entry(bytes, id);
    REQUIRE(e.size > 0);
    // Every byte of the small sections; of the larger ones, the first and last 256.
    for (std::uint64_t k = 0; k < e.size; ++k) {
      if (e.size > 512 && k == 256) k = e.size - 256;
      const std::uint64_t pos = e.offset + k;
      std::string bad = bytes;
      bad[pos] = static_cast<char>(bad[pos] ^ 0x81);
      WriteBytes(flipped, bad);
      CAPTURE(std::string(e.name), k);
      REQUIRE_FALSE(OpenSnapshot(flipped).ok());
      auto unchecked = OpenSnapshot(flipped, {.verify_checksums = false});
      if (!unchecked.ok()) {
        REQUIRE(unchecked.status().code() == absl::StatusCode::kDataLoss);
        REQUIRE(std::string(unchecked.status().message()).find("section '") != std::string::npos);
        ++refused;
        continue;
      }
      REQUIRE(testing::ReadEverything(**unchecked) > 0);
      ++accepted;
    }
  }
  REQUIRE(refused > 0);
  REQUIRE(accepted > 0);
}

}  // namespace
}  // namespace polegraph
