// Resolver::EndPeopleAndVehicles (lib/ingest/resolve.cc): freeing the person and vehicle
// indexes before the ANPR chunks changes nothing for chunks that name only plates and sites,
// and a chunk that breaks the promise fails loudly (an internal error) instead of resolving
// against an empty index. Oracle: the same chunks applied to a second builder without the call
// (and, for the broken promise, the rule itself: a person after the call).
#include "ingest/internal/resolve.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "polegraph/graph.h"

namespace polegraph::testing {
namespace {

using ingest_internal::ChunkFacts;
using ingest_internal::NodeFact;
using ingest_internal::RecordFacts;
using ingest_internal::Resolver;

// One record naming the given nodes (kind, key), each a keyed node, with an edge from the
// first to the second when there are two.
std::shared_ptr<const ChunkFacts> Chunk(Source source, const std::string& record_id,
                                        std::vector<std::pair<NodeKind, std::string>> nodes,
                                        EdgeKind edge) {
  auto c = std::make_shared<ChunkFacts>();
  c->source = source;
  c->labels.push_back({Classification::kOfficial, "MET", {}});
  RecordFacts r;
  r.record_id = c->AddText(record_id);
  r.node_begin = 0;
  for (auto& [kind, key] : nodes) {
    NodeFact f;
    f.kind = kind;
    f.hash = GraphBuilder::NodeHash(kind, key);
    f.key = c->AddText(key);
    c->nodes.push_back(std::move(f));
  }
  r.node_end = static_cast<std::uint32_t>(c->nodes.size());
  if (c->nodes.size() == 2) c->edges.push_back({0, 1, edge, 1700000000});
  r.edge_end = static_cast<std::uint32_t>(c->edges.size());
  c->records.push_back(std::move(r));
  return c;
}

struct Applied {
  std::shared_ptr<const Graph> graph;
  absl::Status status;
};

// Applies: a person twice (from two PND records: one PNC-ID merge), then an ANPR read of a
// plate at a site; `end` calls EndPeopleAndVehicles before the read, `person_after` applies a
// third person record after that.
Applied Run(bool end, bool person_after) {
  GraphBuilder builder;
  Resolver resolver(&builder);
  const std::string path = "x.pb";
  ExtractInfo info;
  info.path = path;
  const auto extract = builder.AddExtract(info);
  auto apply = [&](std::shared_ptr<const ChunkFacts> c) {
    resolver.Apply(Resolver::ChunkRef{std::move(c), extract, 0, &path});
  };
  apply(Chunk(Source::kPnd, "CR-1", {{NodeKind::kPerson, "2001/0000001A"}}, EdgeKind::kUsed));
  apply(Chunk(Source::kPnd, "CR-2", {{NodeKind::kPerson, "2001/0000001A"}}, EdgeKind::kUsed));
  if (end) resolver.EndPeopleAndVehicles();
  apply(Chunk(Source::kAnpr, "R-1",
              {{NodeKind::kPlate, "AB12CDE"}, {NodeKind::kLocation, "SITE-1"}}, EdgeKind::kSeenAt));
  if (person_after) {
    apply(Chunk(Source::kPnd, "CR-3", {{NodeKind::kPerson, "2001/0000001A"}}, EdgeKind::kUsed));
  }
  Applied out;
  out.status = resolver.status();
  auto built = std::move(builder).Build(1);
  REQUIRE(built.ok());
  out.graph = *built;
  return out;
}

TEST_CASE("Resolver::EndPeopleAndVehicles changes nothing for plate and site records") {
  const Applied with = Run(/*end=*/true, /*person_after=*/false);
  const Applied without = Run(/*end=*/false, /*person_after=*/false);
  REQUIRE(with.status.ok());
  // Hand-worked: person, plate, site; one SEEN_AT edge; the person merged once (CR-2 matched
  // CR-1 by PNC ID).
  REQUIRE(with.graph->num_nodes() == 3);
  REQUIRE(with.graph->num_edges() == 1);
  REQUIRE(with.graph->num_nodes() == without.graph->num_nodes());
  REQUIRE(with.graph->num_edges() == without.graph->num_edges());
  std::size_t merges = 0;
  for (NodeId v = 0; v < with.graph->num_nodes(); ++v) {
    REQUIRE(with.graph->kind(v) == without.graph->kind(v));
    REQUIRE(with.graph->key(v) == without.graph->key(v));
    const auto a = with.graph->merges(v);
    const auto b = without.graph->merges(v);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) REQUIRE(a[i].explanation == b[i].explanation);
    merges += a.size();
  }
  REQUIRE(merges == 1);
}

TEST_CASE("Resolver: a person after EndPeopleAndVehicles is an internal error") {
  const Applied broken = Run(/*end=*/true, /*person_after=*/true);
  REQUIRE(broken.status.code() == absl::StatusCode::kInternal);
  REQUIRE(Run(/*end=*/false, /*person_after=*/true).status.ok());
}

}  // namespace
}  // namespace polegraph::testing
