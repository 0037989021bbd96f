// Test fixtures shared by tests/graph and tests/io: a set of graph "facts" that can be fed to a
// GraphBuilder in any order, random fact sets of several shapes, and a deep comparison of two
// graphs through every public accessor.
#ifndef POLEGRAPH_TESTS_GRAPH_GRAPH_FIXTURES_H_
#define POLEGRAPH_TESTS_GRAPH_GRAPH_FIXTURES_H_

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "graph/edge_endpoints.h"
#include "polegraph/graph.h"

namespace polegraph::testing {

struct Facts {
  struct Record {
    int extract;
    std::string id;
    std::uint64_t offset;
  };
  struct Label {
    Classification classification;
    std::string force;
    std::vector<std::string> caveats;
  };
  struct Node {  // one AddNode call; (kind, key) may repeat with other records
    NodeKind kind;
    std::string key;
    int label;
    int record;
  };
  struct Edge {  // from / to index `nodes`
    int from, to;
    EdgeKind kind;
    std::int64_t time;
    int label;
    int record;
  };
  struct Property {
    int node;
    std::string name, value;
    int record;
  };
  struct Merge {
    int node;
    MergeRule rule;
    int record;
    std::string text;
  };
  struct Position {
    int node;
    double lat, lon;
  };
  std::vector<ExtractInfo> extracts;
  std::vector<Record> records;
  std::vector<Label> labels;
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  std::vector<Property> properties;
  std::vector<Merge> merges;
  std::vector<Position> positions;
  std::vector<std::pair<std::string, std::string>> metadata;
};

// Three extracts, one per source, in the order ANPR, PNC, PND (paths anpr.pb, pnc.pb, pnd.pb):
// the extracts of the hand-drawn test graphs.
inline std::vector<ExtractInfo> OnePerSource() {
  std::vector<ExtractInfo> x(3);
  const char* paths[] = {"anpr.pb", "pnc.pb", "pnd.pb"};
  const Source sources[] = {Source::kAnpr, Source::kPnc, Source::kPnd};
  for (int i = 0; i < 3; ++i) {
    x[static_cast<std::size_t>(i)].path = paths[i];
    x[static_cast<std::size_t>(i)].source = sources[i];
  }
  return x;
}

// Feeds `f` to a builder. seed 0: in the order given; otherwise every list is shuffled and
// properties, edges, merges and positions are interleaved at random.
inline GraphBuilder MakeBuilder(const Facts& f, unsigned seed = 0) {
  std::mt19937 rng(seed);
  auto order = [&](std::size_t n) {
    std::vector<std::size_t> o(n);
    for (std::size_t i = 0; i < n; ++i) o[i] = i;
    if (seed != 0) std::shuffle(o.begin(), o.end(), rng);
    return o;
  };
  GraphBuilder b;
  std::vector<GraphBuilder::ExtractHandle> x(f.extracts.size());
  for (std::size_t i : order(x.size())) x[i] = b.AddExtract(f.extracts[i]);
  std::vector<RecordNo> r(f.records.size());
  for (std::size_t i : order(r.size())) {
    r[i] = b.AddRecord(x[static_cast<std::size_t>(f.records[i].extract)], f.records[i].id,
                       f.records[i].offset);
  }
  std::vector<LabelId> l(f.labels.size());
  for (std::size_t i : order(l.size())) {
    l[i] = b.InternLabel(f.labels[i].classification, f.labels[i].force, f.labels[i].caveats);
  }
  std::vector<GraphBuilder::Handle> h(f.nodes.size());
  for (std::size_t i : order(h.size())) {
    const Facts::Node& n = f.nodes[i];
    h[i] = b.AddNode(n.kind, n.key, l[static_cast<std::size_t>(n.label)],
                     r[static_cast<std::size_t>(n.record)]);
  }
  const std::size_t ne = f.edges.size(), np = f.properties.size(), nm = f.merges.size();
  for (std::size_t k : order(ne + np + nm + f.positions.size())) {
    if (k < ne) {
      const Facts::Edge& e = f.edges[k];
      b.AddEdge(h[static_cast<std::size_t>(e.from)], h[static_cast<std::size_t>(e.to)], e.kind,
                e.time, l[static_cast<std::size_t>(e.label)],
                r[static_cast<std::size_t>(e.record)]);
    } else if (k < ne + np) {
      const Facts::Property& p = f.properties[k - ne];
      b.AddProperty(h[static_cast<std::size_t>(p.node)], p.name, p.value,
                    r[static_cast<std::size_t>(p.record)]);
    } else if (k < ne + np + nm) {
      const Facts::Merge& m = f.merges[k - ne - np];
      b.AddMerge(h[static_cast<std::size_t>(m.node)], m.rule, r[static_cast<std::size_t>(m.record)],
                 m.text);
    } else {
      const Facts::Position& p = f.positions[k - ne - np - nm];
      b.SetPosition(h[static_cast<std::size_t>(p.node)], {p.lat, p.lon});
    }
  }
  for (std::size_t i : order(f.metadata.size())) {
    b.SetMetadata(f.metadata[i].first, f.metadata[i].second);
  }
  return b;
}

inline std::shared_ptr<const Graph> BuildOrDie(const Facts& f, unsigned seed = 0, int threads = 1) {
  auto g = MakeBuilder(f, seed).Build(threads);
  REQUIRE(g.ok());
  return *g;
}

enum class Shape { kUniform, kStar, kChain, kDense, kIsolated };

// Makes `e` an edge of `f` that its kind allows (internal::EdgeKindJoins, which a snapshot
// must satisfy): the first kind from e.kind on (cyclically) that joins its endpoints' kinds,
// else the same with the endpoints swapped. False when no kind joins the two kinds either way
// (vehicle-vehicle, location-location, offence-offence, person-plate, vehicle-location).
inline bool FitEdgeKind(const Facts& f, Facts::Edge& e) {
  for (int turn = 0; turn < 2; ++turn) {
    const NodeKind from = f.nodes[static_cast<std::size_t>(e.from)].kind;
    const NodeKind to = f.nodes[static_cast<std::size_t>(e.to)].kind;
    for (int i = 0; i < kNumEdgeKinds; ++i) {
      const auto kind = static_cast<EdgeKind>((static_cast<int>(e.kind) + i) % kNumEdgeKinds);
      if (internal::EdgeKindJoins(kind, from, to)) {
        e.kind = kind;
        return true;
      }
    }
    std::swap(e.from, e.to);
  }
  return false;
}

// Random facts: `n` distinct nodes of mixed kinds, about `m` edges of the given shape, with
// duplicate edges (same and different records), self-loops, properties, merges, positions,
// several extracts, records and labels. Every edge's kind allows its endpoints' kinds
// (FitEdgeKind: a pair of node kinds that no edge kind joins gets no edge).
inline Facts RandomFacts(std::uint32_t n, std::uint32_t m, Shape shape, unsigned seed) {
  std::mt19937 rng(seed);
  auto uniform = [&](std::uint32_t hi) {  // [0, hi)
    return static_cast<int>(std::uniform_int_distribution<std::uint32_t>(0, hi - 1)(rng));
  };
  Facts f;
  const Source sources[] = {Source::kPnc, Source::kPnd, Source::kAnpr};
  for (int i = 0; i < 4; ++i) {
    ExtractInfo x;
    x.path = "x" + std::to_string(i) + ".pb";
    x.source = sources[i % 3];
    x.force = i % 2 ? "MPS" : "WMP";
    x.extracted_at = 1700000000 + i;
    x.extract_id = "X" + std::to_string(i);
    x.digest = static_cast<std::uint32_t>(i * 7919);
    f.extracts.push_back(x);
  }
  const std::uint32_t num_records = std::max<std::uint32_t>(8, n / 2);
  for (std::uint32_t i = 0; i < num_records; ++i) {
    f.records.push_back({uniform(4), "R" + std::to_string(uniform(num_records)),
                         static_cast<std::uint64_t>(uniform(1000)) * 16});
  }
  f.labels = {{Classification::kOfficial, "MPS", {}},
              {Classification::kOfficialSensitive, "WMP", {"ORCON"}},
              {Classification::kSecret, "MPS", {"UKEO", "ORCON"}},
              {Classification::kOfficial, "GMP", {}}};
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto kind = static_cast<NodeKind>(uniform(kNumNodeKinds));
    char key[32];
    std::snprintf(key, sizeof key, "K%07u", i);
    f.nodes.push_back({kind, key, uniform(4), uniform(num_records)});
    if (uniform(4) == 0) f.nodes.push_back({kind, key, uniform(4), uniform(num_records)});
  }
  auto pick = [&]() { return uniform(static_cast<std::uint32_t>(f.nodes.size())); };
  for (std::uint32_t i = 0; i < m && n > 0; ++i) {
    int from = pick(), to = pick();
    switch (shape) {
      case Shape::kStar:
        from = uniform(2) ? 0 : from;
        to = from == 0 ? to : 0;
        break;
      case Shape::kChain:
        from = static_cast<int>(i % f.nodes.size());
        to = static_cast<int>((i + 1) % f.nodes.size());
        break;
      case Shape::kDense:
        from = uniform(std::min<std::uint32_t>(12, static_cast<std::uint32_t>(f.nodes.size())));
        to = uniform(std::min<std::uint32_t>(12, static_cast<std::uint32_t>(f.nodes.size())));
        break;
      case Shape::kIsolated:
        if (i % 3 != 0) continue;
        break;
      case Shape::kUniform:
        break;
    }
    Facts::Edge e{from,
                  to,
                  static_cast<EdgeKind>(uniform(kNumEdgeKinds)),
                  1700000000 + uniform(50),
                  uniform(4),
                  uniform(num_records)};
    if (!FitEdgeKind(f, e)) continue;
    f.edges.push_back(e);
    if (uniform(8) == 0) f.edges.push_back(e);  // same record: collapses
    if (uniform(8) == 0) {                      // another record: a parallel edge
      e.record = uniform(num_records);
      f.edges.push_back(e);
    }
  }
  const char* names[] = {"name", "dob", "colour", "make"};
  for (std::uint32_t i = 0; i < n; ++i) {
    if (uniform(2) == 0) continue;
    f.properties.push_back(
        {pick(), names[uniform(4)], "v" + std::to_string(uniform(5)), uniform(num_records)});
  }
  for (std::uint32_t i = 0; i < n / 8; ++i) {
    f.merges.push_back({pick(), static_cast<MergeRule>(uniform(7)), uniform(num_records),
                        "because " + std::to_string(uniform(3))});
  }
  for (std::uint32_t i = 0; i < n / 4; ++i) {
    f.positions.push_back({pick(), 50.0 + uniform(100) * 0.01, -1.0 + uniform(100) * 0.01});
  }
  f.metadata = {{"polegraph_version", "test"}, {"seed", std::to_string(seed)}};
  return f;
}

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The paths handed out by TempPath and ScratchPath, removed when the process exits (a test
// that fails half-way leaves nothing behind; a mapped snapshot may be unlinked).
class TestFiles {
 public:
  static std::string Add(std::string path) {
    static TestFiles files;
    std::lock_guard<std::mutex> lock(files.mutex_);
    files.paths_.insert(path);
    return path;
  }
  ~TestFiles() {
    for (const std::string& p : paths_) {
      std::remove(p.c_str());
      std::remove((p + ".tmp").c_str());  // SaveSnapshot's temporary, if a save failed
    }
  }

 private:
  std::mutex mutex_;
  std::set<std::string> paths_;
};

inline std::string TempPath(const std::string& name) {
  // Per process: ctest runs the cases of one binary in parallel processes.
  return TestFiles::Add(std::string(POLEGRAPH_BINARY_DIR) + "/" + std::to_string(getpid()) +
                        "-" + name);
}

// For files written many times: tmpfs when there is one (saving fsyncs, and rewriting a file
// in place on ext4 forces a flush each time). Per process too: two test runs at once (another
// build's, another worktree's) must not truncate or flip each other's files.
inline std::string ScratchPath(const std::string& name) {
  if (::access("/dev/shm", W_OK) == 0) {
    return TestFiles::Add("/dev/shm/polegraph_test_" + std::to_string(getpid()) + "_" + name);
  }
  return TempPath(name);
}

template <typename T>
bool SameSpan(std::span<const T> a, std::span<const T> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

// Compares two graphs through every accessor.
inline void RequireSameGraph(const Graph& a, const Graph& b) {
  REQUIRE(a.num_nodes() == b.num_nodes());
  REQUIRE(a.num_edges() == b.num_edges());
  for (int k = 0; k < kNumNodeKinds; ++k) {
    REQUIRE(a.KindRange(static_cast<NodeKind>(k)) == b.KindRange(static_cast<NodeKind>(k)));
  }
  for (NodeId v = 0; v < a.num_nodes(); ++v) {
    REQUIRE(a.kind(v) == b.kind(v));
    REQUIRE(a.key(v) == b.key(v));
    REQUIRE(a.node_label(v) == b.node_label(v));
    const auto pa = a.properties(v), pb = b.properties(v);
    REQUIRE(pa.size() == pb.size());
    for (std::size_t i = 0; i < pa.size(); ++i) {
      REQUIRE(pa[i].name == pb[i].name);
      REQUIRE(pa[i].value == pb[i].value);
      REQUIRE(pa[i].record == pb[i].record);
    }
    const GeoPoint ga = a.position(v), gb = b.position(v);
    REQUIRE((ga.latitude == gb.latitude || (std::isnan(ga.latitude) && std::isnan(gb.latitude))));
    REQUIRE(
        (ga.longitude == gb.longitude || (std::isnan(ga.longitude) && std::isnan(gb.longitude))));
    REQUIRE(SameSpan(a.node_records(v), b.node_records(v)));
    const auto ma = a.merges(v), mb = b.merges(v);
    REQUIRE(ma.size() == mb.size());
    for (std::size_t i = 0; i < ma.size(); ++i) {
      REQUIRE(ma[i].rule == mb[i].rule);
      REQUIRE(ma[i].record == mb[i].record);
      REQUIRE(ma[i].explanation == mb[i].explanation);
    }
  }
  REQUIRE(SameSpan(a.out_offsets(), b.out_offsets()));
  REQUIRE(SameSpan(a.out_neighbours(), b.out_neighbours()));
  REQUIRE(SameSpan(a.in_offsets(), b.in_offsets()));
  REQUIRE(SameSpan(a.in_neighbours(), b.in_neighbours()));
  REQUIRE(SameSpan(a.in_edge(), b.in_edge()));
  REQUIRE(SameSpan(a.edge_kind(), b.edge_kind()));
  REQUIRE(SameSpan(a.edge_time(), b.edge_time()));
  REQUIRE(SameSpan(a.edge_label(), b.edge_label()));
  REQUIRE(SameSpan(a.edge_record(), b.edge_record()));
  REQUIRE(a.num_records() == b.num_records());
  for (RecordNo r = 0; r < a.num_records(); ++r) {
    REQUIRE(a.record(r).source == b.record(r).source);
    REQUIRE(a.record(r).extract == b.record(r).extract);
    REQUIRE(a.record(r).record_id == b.record(r).record_id);
    REQUIRE(a.record(r).offset == b.record(r).offset);
  }
  REQUIRE(a.num_extracts() == b.num_extracts());
  for (std::uint32_t i = 0; i < a.num_extracts(); ++i) {
    const ExtractInfo xa = a.extract(i), xb = b.extract(i);
    REQUIRE(xa.path == xb.path);
    REQUIRE(xa.source == xb.source);
    REQUIRE(xa.force == xb.force);
    REQUIRE(xa.extracted_at == xb.extracted_at);
    REQUIRE(xa.schema_version == xb.schema_version);
    REQUIRE(xa.extract_id == xb.extract_id);
    REQUIRE(xa.record_count == xb.record_count);
    REQUIRE(xa.digest == xb.digest);
  }
  REQUIRE(a.num_labels() == b.num_labels());
  for (std::size_t i = 0; i < a.num_labels(); ++i) {
    REQUIRE(a.label(static_cast<LabelId>(i)) == b.label(static_cast<LabelId>(i)));
    REQUIRE(a.label_members(static_cast<LabelId>(i)) == b.label_members(static_cast<LabelId>(i)));
  }
  REQUIRE(a.num_single_labels() == b.num_single_labels());
  REQUIRE(a.num_forces() == b.num_forces());
  for (std::size_t i = 0; i < a.num_forces(); ++i) {
    REQUIRE(a.force_name(static_cast<std::uint16_t>(i)) ==
            b.force_name(static_cast<std::uint16_t>(i)));
  }
  REQUIRE(a.num_caveats() == b.num_caveats());
  for (std::size_t i = 0; i < a.num_caveats(); ++i) {
    REQUIRE(a.caveat_name(static_cast<int>(i)) == b.caveat_name(static_cast<int>(i)));
  }
  REQUIRE(a.metadata() == b.metadata());
  REQUIRE(a.memory_bytes() == b.memory_bytes());
  REQUIRE(a.section_bytes() == b.section_bytes());
}

// Reads every accessor of `u` (every node, edge, record, extract and label) and returns a
// checksum of what it read; under ASan this shows that a damaged but accepted snapshot keeps
// every read in bounds.
inline std::size_t ReadEverything(const Graph& u) {
  std::size_t total = 0;
  for (NodeId v = 0; v < u.num_nodes(); ++v) {
    total +=
        u.Name(v).size() + u.properties(v).size() + u.merges(v).size() + u.node_records(v).size();
    for (const auto& p : u.properties(v)) total += p.name.size() + p.value.size();
    for (const auto& m : u.merges(v)) total += m.explanation.size();
    total += u.Find(u.kind(v), u.key(v)).has_value();
    for (EdgeIndex e = u.out_offsets()[v]; e < u.out_offsets()[v + 1]; ++e) {
      total += u.out_neighbours()[e] + u.edge_source(static_cast<EdgeId>(e));
      total += u.label(u.edge_label()[e]).force;
      if (u.edge_record()[e] != kNoRecord) {
        total += u.record(u.edge_record()[e]).record_id.size();
      }
    }
    for (EdgeIndex i = u.in_offsets()[v]; i < u.in_offsets()[v + 1]; ++i) {
      total += u.in_neighbours()[i] + static_cast<std::size_t>(u.edge_kind()[u.in_edge()[i]]);
    }
    total += u.label(u.node_label(v)).caveats;
  }
  for (std::uint32_t x = 0; x < u.num_extracts(); ++x) total += u.extract(x).path.size();
  for (std::size_t l = 0; l < u.num_labels(); ++l) {
    total += u.force_name(u.label(static_cast<LabelId>(l)).force).size();
  }
  total += u.VisibleLabels(Clearance::Unrestricted()).size() + u.metadata().size();
  return total;
}

}  // namespace polegraph::testing

#endif  // POLEGRAPH_TESTS_GRAPH_GRAPH_FIXTURES_H_
