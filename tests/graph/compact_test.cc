// The snapshot's compact encodings, each against a brute-force oracle: compact offsets
// (u64 base per block + u16 delta, wide blocks escaped to u32), one-byte edge labels, pooled
// property values and merge texts (each distinct string stored once), records numbered by extract
// (extract and source derived from the extract's record range), and positions stored for one node
// range.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "graph/storage.h"
#include "polegraph/graph.h"

namespace polegraph {
namespace {

using internal::SectionId;

TEST_CASE("compact offsets hold any non-decreasing sequence with blocks under 4 GiB",
          "[graph][compact]") {
  std::mt19937_64 rng(7);
  for (std::size_t n : {0, 1, 63, 64, 65, 128, 129, 1000, 5000, 100000}) {
    std::vector<std::uint64_t> x(n + 1, 0);
    std::size_t wide = 0;
    for (std::size_t i = 1; i <= n; ++i) {
      // Small steps; at some block starts a step of about 3 GiB, so that bases exceed 32 bits;
      // in every third block one step of 70,000 to 3 GiB, so that the block is wide (its span
      // overflows 16 bits) while spanning less than 4 GiB.
      const bool big = i % 64 == 0 && rng() % 2 == 0;
      const bool widen = i % 64 == 17 && (i / 64) % 3 == 0;
      std::uint64_t step = rng() % 40;
      if (big) step = (std::uint64_t{3} << 30) + rng() % 100;
      if (widen) step = 70000 + rng() % (std::uint64_t{3} << 30);
      wide += widen;
      x[i] = x[i - 1] + step;
    }
    for (int threads : {1, 2, 8}) {  // (blocks are checked and written in parallel)
      Graph::Storage s;
      REQUIRE(s.OwnCompact(SectionId::key_base, SectionId::key_offsets, x, threads).ok());
      REQUIRE(s.Bind().ok());
      const internal::CompactOffsets& c = s.keys.offsets;
      CAPTURE(n, threads);
      REQUIRE(c.size() == x.size());
      REQUIRE(c.base.size() == (x.size() + 63) / 64);
      REQUIRE(c.wide.size() == wide * internal::kWideRecord);
      REQUIRE(internal::CompactShapeOk(c));
      for (std::size_t i = 0; i < x.size(); ++i) REQUIRE(c[i] == x[i]);
    }
  }
  Graph::Storage s;
  const std::vector<std::uint64_t> too_wide = {0, 1, std::uint64_t{1} << 32};
  const absl::Status st = s.OwnCompact(SectionId::prop_base, SectionId::prop_offsets, too_wide);
  REQUIRE(st.code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(std::string(st.message()).find("prop.offsets") != std::string::npos);
  const std::vector<std::uint64_t> decreasing = {0, 5, 4};
  REQUIRE(s.OwnCompact(SectionId::prop_base, SectionId::prop_offsets, decreasing).code() ==
          absl::StatusCode::kInvalidArgument);
  // Several bad blocks far apart: the first in order is reported, at any thread count.
  std::vector<std::uint64_t> bad(100000);
  for (std::size_t i = 0; i < bad.size(); ++i) bad[i] = i;
  bad[90001] = 0;  // decreases (a later block)
  bad[70001] = 3;  // decreases
  for (std::size_t i = 80010; i < 100000; ++i) bad[i] += std::uint64_t{5} << 32;  // 5 GiB step
  for (int threads : {1, 2, 8}) {
    const absl::Status e =
        s.OwnCompact(SectionId::prop_base, SectionId::prop_offsets, bad, threads);
    CAPTURE(threads);
    REQUIRE(std::string(e.message()) == "column 'prop.offsets': entry 70001 decreases");
  }
}

// Edge labels: a u8 code into a table of the 255 most frequent labels (ties to the lower id),
// escapes for the rest, decoded back to the labels given. Oracle: the frequencies counted here.
TEST_CASE("edge labels keep the 255 most frequent in the table and escape the rest",
          "[graph][compact]") {
  std::mt19937 rng(5);
  // (repeat 400: 200 k labels, counted and coded in parallel blocks)
  for (const auto& [distinct, repeat] : {std::pair<std::size_t, std::size_t>{0, 1},
                                         {1, 1},
                                         {254, 1},
                                         {255, 1},
                                         {256, 1},
                                         {400, 1},
                                         {400, 400}}) {
    for (int threads : {1, 2, 8}) {
      std::vector<LabelId> labels;
      for (std::size_t l = 0; l < distinct; ++l) {
        // Label 7l occurs ((l % 5) + 1) x repeat times: ties across the table's edge.
        for (std::size_t k = 0; k < (l % 5 + 1) * repeat; ++k) {
          labels.push_back(static_cast<LabelId>(7 * l));
        }
      }
      std::shuffle(labels.begin(), labels.end(), rng);
      std::map<LabelId, int> count;
      for (LabelId l : labels) ++count[l];
      std::vector<std::pair<int, LabelId>> by_freq;
      for (const auto& [l, c] : count) by_freq.push_back({-c, l});
      std::sort(by_freq.begin(), by_freq.end());
      std::set<LabelId> expected_table;
      for (std::size_t i = 0; i < std::min<std::size_t>(255, by_freq.size()); ++i) {
        expected_table.insert(by_freq[i].second);
      }
      Graph::Storage s;
      s.OwnEdgeLabels(internal::Column<LabelId>(labels.begin(), labels.end()), threads);
      // Decode from the sections alone (a storage that views them, as an opened file does).
      Graph::Storage viewed;
      for (SectionId id : {SectionId::edge_label_code, SectionId::edge_label_table,
                           SectionId::edge_label_escape}) {
        const auto& sec = s.sections[static_cast<std::size_t>(id)];
        viewed.View(id, sec.data, sec.bytes);
      }
      REQUIRE(s.Bind().ok());
      REQUIRE(viewed.Bind().ok());
      CAPTURE(distinct, repeat, threads);
      REQUIRE(std::set<LabelId>(s.edge_label_table.begin(), s.edge_label_table.end()) ==
              expected_table);
      std::size_t escaped = 0;
      for (LabelId l : labels) escaped += expected_table.count(l) == 0;
      REQUIRE(s.edge_label_escape.size() == escaped);
      REQUIRE(std::vector<LabelId>(viewed.edge_label.begin(), viewed.edge_label.end()) == labels);
      REQUIRE(std::vector<LabelId>(s.edge_label.begin(), s.edge_label.end()) == labels);
    }
  }
}

// 300 nodes over 3 extracts; properties draw values from 7 strings and merges from 3 texts,
// so the pools must hold exactly the distinct strings; every accessor is compared with the
// facts as added (the oracle is a std::map per node).
TEST_CASE("pooled values, records by extract and the position range match the facts",
          "[graph][compact]") {
  GraphBuilder b;
  ExtractInfo xi[3];
  const Source sources[3] = {Source::kAnpr, Source::kPnc, Source::kPnd};
  GraphBuilder::ExtractHandle ex[3];
  for (int i = 0; i < 3; ++i) {
    xi[i].path = "x" + std::to_string(i);
    xi[i].source = sources[i];
    ex[i] = b.AddExtract(xi[i]);
  }
  const LabelId lab = b.InternLabel(Classification::kOfficial, "MPS", {});
  const std::vector<std::string> values = {"RED", "BLUE", "FORD", "", "VW", "SILVER", "RED "};
  const std::vector<std::string> texts = {"VRM 'A' matched", "VRM 'B' matched", "x"};
  std::mt19937 rng(3);
  // Records: 3 extracts x 50, added interleaved and out of offset order.
  std::vector<RecordNo> rec;
  std::map<std::string, std::pair<int, std::uint64_t>> rec_oracle;  // id -> extract, offset
  for (int k = 0; k < 150; ++k) {
    const int x = k % 3;
    const std::uint64_t offset = std::uint64_t{1000} * static_cast<std::uint64_t>(149 - k);
    const std::string id = "R" + std::to_string(k);
    rec.push_back(b.AddRecord(ex[x], id, offset));
    rec_oracle[id] = {x, offset};
  }
  std::map<std::string, std::set<std::tuple<std::string, std::string, std::string>>> props;
  std::map<std::string, std::set<std::string>> merge_texts;
  std::map<std::string, GeoPoint> pos;
  for (int v = 0; v < 300; ++v) {
    const NodeKind kind = v % 2 == 0 ? NodeKind::kPlate : NodeKind::kLocation;
    const std::string key = "K" + std::to_string(v);
    const std::string name = std::string(NodeKindName(kind)) + ":" + key;
    const RecordNo r = rec[static_cast<std::size_t>(v) % rec.size()];
    const auto h = b.AddNode(kind, key, lab, r);
    for (int p = 0; p < v % 5; ++p) {
      const std::string& value = values[rng() % values.size()];
      const std::string pname = p % 2 == 0 ? "read_make" : "read_colour";
      b.AddProperty(h, pname, value, r);
      props[name].insert({pname, value, "R" + std::to_string(v % 150)});
    }
    if (v % 7 == 0) {
      const std::string& t = texts[rng() % texts.size()];
      b.AddMerge(h, MergeRule::kVrm, r, t);
      merge_texts[name].insert(t);
    }
    if (kind == NodeKind::kLocation && v % 3 == 0) {
      const GeoPoint p{50.0 + v * 0.01, -1.0 - v * 0.01};
      b.SetPosition(h, p);
      pos[name] = p;
    }
  }
  auto built = std::move(b).Build(2);
  REQUIRE(built.ok());
  const Graph& g = **built;
  const Graph::Storage& storage = internal::GraphAccess::storage(g);
  REQUIRE(storage.Validate().ok());

  // Pools: exactly the distinct strings used.
  std::set<std::string> used_values, used_texts;
  for (const auto& [n, ps] : props) {
    for (const auto& p : ps) used_values.insert(std::get<1>(p));
  }
  for (const auto& [n, ts] : merge_texts) used_texts.insert(ts.begin(), ts.end());
  REQUIRE(storage.prop_values.size() == used_values.size());
  REQUIRE(storage.merge_texts.size() == used_texts.size());

  REQUIRE(g.num_records() == 150);
  for (RecordNo r = 0; r < g.num_records(); ++r) {
    const RecordInfo info = g.record(r);
    const auto& [x, offset] = rec_oracle.at(std::string(info.record_id));
    CAPTURE(r, info.record_id);
    REQUIRE(g.extract(info.extract).path == xi[x].path);
    REQUIRE(info.source == sources[x]);
    REQUIRE(info.offset == offset);
    if (r > 0) {  // numbered by (extract, offset)
      const RecordInfo prev = g.record(r - 1);
      REQUIRE((prev.extract < info.extract ||
               (prev.extract == info.extract && prev.offset < info.offset)));
    }
  }

  REQUIRE(g.num_nodes() == 300);
  for (NodeId v = 0; v < g.num_nodes(); ++v) {
    const std::string name = g.Name(v);
    CAPTURE(name);
    std::set<std::tuple<std::string, std::string, std::string>> got;
    for (const PropertyView& p : g.properties(v)) {
      got.insert(
          {std::string(p.name), std::string(p.value), std::string(g.record(p.record).record_id)});
    }
    REQUIRE(got == props[name]);
    std::set<std::string> got_texts;
    for (const MergeView& m : g.merges(v)) got_texts.insert(std::string(m.explanation));
    REQUIRE(got_texts == merge_texts[name]);
    REQUIRE(g.node_records(v).size() == 1);
    const GeoPoint p = g.position(v);
    if (pos.count(name) != 0) {
      REQUIRE(p.latitude == pos[name].latitude);
      REQUIRE(p.longitude == pos[name].longitude);
    } else {
      REQUIRE(std::isnan(p.latitude));
      REQUIRE(std::isnan(p.longitude));
    }
  }
  // Positions are stored only for the range of nodes that have one (all locations here).
  const auto [lo, hi] = g.KindRange(NodeKind::kLocation);
  REQUIRE(storage.position.size() <= 2 * std::size_t{hi - lo});
}

}  // namespace
}  // namespace polegraph
