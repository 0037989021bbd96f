// Determinism: the same set of facts, fed to the builder in shuffled orders and built with 1,
// 2 or 8 threads, must give byte-identical snapshot files. Also checks the builder's output
// invariants against a brute-force recomputation from the facts.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "graph/graph_fixtures.h"
#include "graph/storage.h"
#include "polegraph/io.h"

namespace polegraph {
namespace {

std::string SavedBytes(const Graph& g, const std::string& name) {
  const std::string path = testing::ScratchPath(name);
  REQUIRE(SaveSnapshot(g, path).ok());
  return testing::ReadFileBytes(path);
}

TEST_CASE("same facts in any order at any thread count give identical bytes",
          "[graph][determinism]") {
  const testing::Shape shapes[] = {testing::Shape::kUniform, testing::Shape::kStar,
                                   testing::Shape::kDense};
  for (int si = 0; si < 3; ++si) {
    // Large enough that the parallel paths (grain 2048, and 16384 for sorts) really split.
    const testing::Facts f = testing::RandomFacts(40000, 50000, shapes[si], 11u + si);
    auto reference = testing::BuildOrDie(f, 0, 1);
    REQUIRE(internal::GraphAccess::storage(*reference).Validate().ok());
    const std::string expected = SavedBytes(*reference, "det_ref.pg");
    const std::pair<unsigned, int> runs[] = {{1, 2}, {2, 8}, {3, 1}};  // (shuffle seed, threads)
    for (auto [seed, threads] : runs) {
      CAPTURE(si, seed, threads);
      auto g = testing::BuildOrDie(f, seed, threads);
      REQUIRE(SavedBytes(*g, "det_other.pg") == expected);
    }
  }
}

// Brute force: the multiset of distinct (source key, target key, kind, time, record id) edge
// facts must equal the graph's edges; each node's records and label must match.
TEST_CASE("builder output matches a brute-force view of the facts", "[graph][builder]") {
  const testing::Facts f = testing::RandomFacts(500, 3000, testing::Shape::kUniform, 5);
  auto g = testing::BuildOrDie(f, 3, 2);
  REQUIRE(internal::GraphAccess::storage(*g).Validate().ok());
  using EdgeTuple =
      std::tuple<std::string, std::string, int, EdgeTime, std::string, std::uint64_t, std::string>;
  auto rec_key = [&](int r) {
    const auto& rec = f.records[static_cast<std::size_t>(r)];
    return std::make_tuple(f.extracts[static_cast<std::size_t>(rec.extract)].path, rec.offset,
                           rec.id);
  };
  std::set<EdgeTuple> expected;
  for (const auto& e : f.edges) {
    const auto& a = f.nodes[static_cast<std::size_t>(e.from)];
    const auto& b = f.nodes[static_cast<std::size_t>(e.to)];
    auto [path, offset, id] = rec_key(e.record);
    // (label omitted: the random facts never give one edge two labels from one record)
    expected.insert({std::string(NodeKindName(a.kind)) + ":" + a.key,
                     std::string(NodeKindName(b.kind)) + ":" + b.key, static_cast<int>(e.kind),
                     static_cast<EdgeTime>(e.time), path, offset, id});
  }
  std::set<EdgeTuple> actual;
  std::size_t count = 0;
  for (NodeId v = 0; v < g->num_nodes(); ++v) {
    for (EdgeIndex e = g->out_offsets()[v]; e < g->out_offsets()[v + 1]; ++e, ++count) {
      const RecordInfo r = g->record(g->edge_record()[e]);
      actual.insert({g->Name(v), g->Name(g->out_neighbours()[e]),
                     static_cast<int>(g->edge_kind()[e]), g->edge_time()[e],
                     g->extract(r.extract).path, r.offset, std::string(r.record_id)});
      if (e > g->out_offsets()[v]) {  // sorted by (target, kind, time, record)
        const auto prev = std::make_tuple(g->out_neighbours()[e - 1], g->edge_kind()[e - 1],
                                          g->edge_time()[e - 1], g->edge_record()[e - 1]);
        const auto cur = std::make_tuple(g->out_neighbours()[e], g->edge_kind()[e],
                                         g->edge_time()[e], g->edge_record()[e]);
        REQUIRE(prev <= cur);
      }
    }
  }
  REQUIRE(actual == expected);
  REQUIRE(count == expected.size());  // no duplicates survived, none lost

  // In-CSR is the transpose of the out-CSR, sorted by (source, EdgeId).
  for (NodeId v = 0; v < g->num_nodes(); ++v) {
    for (EdgeIndex i = g->in_offsets()[v]; i < g->in_offsets()[v + 1]; ++i) {
      const EdgeId e = g->in_edge()[i];
      REQUIRE(g->out_neighbours()[e] == v);
      REQUIRE(g->edge_source(e) == g->in_neighbours()[i]);
      if (i > g->in_offsets()[v]) {
        REQUIRE(std::make_pair(g->in_neighbours()[i - 1], g->in_edge()[i - 1]) <
                std::make_pair(g->in_neighbours()[i], e));
      }
    }
  }

  // Node records and labels: a node's label is the set of its assertions' labels that no
  // other of them makes visible to everyone who may see them (brute force over all pairs).
  using NamedLabel = std::tuple<Classification, std::string, std::set<std::string>>;
  std::map<std::string, std::vector<int>> assertions;  // name -> node facts
  for (std::size_t i = 0; i < f.nodes.size(); ++i) {
    assertions[std::string(NodeKindName(f.nodes[i].kind)) + ":" + f.nodes[i].key].push_back(
        static_cast<int>(i));
  }
  REQUIRE(assertions.size() == g->num_nodes());
  for (const auto& [name, facts] : assertions) {
    auto v = g->Resolve(name);
    REQUIRE(v.ok());
    std::set<std::tuple<std::string, std::uint64_t, std::string>> recs;
    std::set<NamedLabel> labels;
    for (int fi : facts) {
      const auto& n = f.nodes[static_cast<std::size_t>(fi)];
      const auto& lab = f.labels[static_cast<std::size_t>(n.label)];
      auto [path, offset, id] = rec_key(n.record);
      recs.insert({path, offset, id});
      labels.insert({lab.classification, lab.force,
                     std::set<std::string>(lab.caveats.begin(), lab.caveats.end())});
    }
    std::set<NamedLabel> expected;
    for (const NamedLabel& x : labels) {
      bool covered = false;
      for (const NamedLabel& y : labels) {
        covered = covered || (y != x && std::get<1>(y) == std::get<1>(x) &&
                              std::get<0>(y) <= std::get<0>(x) &&
                              std::includes(std::get<2>(x).begin(), std::get<2>(x).end(),
                                            std::get<2>(y).begin(), std::get<2>(y).end()));
      }
      if (!covered) expected.insert(x);
    }
    std::set<std::tuple<std::string, std::uint64_t, std::string>> got;
    for (RecordNo r : g->node_records(*v)) {
      const RecordInfo ri = g->record(r);
      got.insert({g->extract(ri.extract).path, ri.offset, std::string(ri.record_id)});
    }
    REQUIRE(got == recs);
    const std::vector<LabelId> members = g->label_members(g->node_label(*v));
    REQUIRE((g->node_label(*v) >= g->num_single_labels()) == (members.size() > 1));
    std::set<NamedLabel> got_labels;
    for (LabelId m : members) {
      REQUIRE(m < g->num_single_labels());
      const AccessLabel label = g->label(m);
      std::set<std::string> caveats;
      for (std::size_t b = 0; b < g->num_caveats(); ++b) {
        if (label.caveats & (1u << b)) caveats.insert(std::string(g->caveat_name(static_cast<int>(b))));
      }
      got_labels.insert({label.classification, std::string(g->force_name(label.force)), caveats});
    }
    REQUIRE(got_labels == expected);
  }
}

}  // namespace
}  // namespace polegraph
