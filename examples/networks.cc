// networks: find criminal groups in a snapshot, as an analyst with OFFICIAL clearance sees
// them. People are linked when they offended together or share a vehicle (a person-person
// projection, networks.h), the links are grouped into communities by Leiden, the largest
// community is reported with its key players, and one of its links is explained by the
// snapshot edges, and the source records, behind it.
//
//   example_networks G.pg
//
// Every step takes the same QueryContext: what its clearance (default OFFICIAL, no caveats)
// does not cover is skipped while the projection is walked, so it cannot shape a community.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "polegraph/graph.h"
#include "polegraph/io.h"
#include "polegraph/networks.h"
#include "polegraph/query.h"
#include "polegraph/types.h"

int main(int argc, char** argv) {
  using namespace polegraph;
  if (argc != 2) {
    std::cerr << "usage: example_networks G.pg\n";
    return 2;
  }
  auto graph = OpenSnapshot(argv[1]);
  if (!graph.ok()) {
    std::cerr << graph.status().message() << "\n";
    return 1;
  }
  const Graph& g = **graph;
  QueryContext ctx{.threads = 2, .user = "example_networks", .purpose = "group mapping"};

  // 1. Who is linked to whom: co-offending (weight 1 per shared offence) and shared vehicles
  //    (weight 0.5 per shared vehicle).
  ProjectionOptions popt;
  popt.paths = {CoOffending(1.0), SharedVehicles(0.5)};
  absl::StatusOr<Projection> p = ProjectPersons(g, popt, ctx);
  if (!p.ok()) {
    std::cerr << p.status().message() << "\n";
    return 1;
  }
  std::cout << "clearance " << ClassificationName(ctx.clearance.level) << ": projection of "
            << p->graph.num_nodes() << " people, " << p->graph.num_edges()
            << " links (co-offending, vehicles=0.5)\n";

  // 2. Communities: Leiden at resolution 1, seeded, so the same snapshot gives the same groups.
  CommunityOptions copt;
  copt.algorithm = CommunityAlgorithm::kLeiden;
  copt.seed = 7;
  absl::StatusOr<Partition> part = DetectCommunities(p->graph, copt, ctx);
  if (!part.ok()) {
    std::cerr << part.status().message() << "\n";
    return 1;
  }
  std::cout << "leiden (seed 7): " << part->num_communities << " communities, modularity "
            << part->modularity << "\n";

  // 3. The communities of three or more people, largest first, with three key players each.
  CommunityReportOptions ropt;
  ropt.min_size = 3;
  ropt.top = 3;
  absl::StatusOr<std::vector<CommunitySummary>> report =
      SummariseCommunities(p->graph, *part, ropt, ctx);
  if (!report.ok()) {
    std::cerr << report.status().message() << "\n";
    return 1;
  }
  std::cout << report->size() << " communities of 3 or more people\n";
  if (report->empty()) return 0;
  const CommunitySummary& largest = (*report)[0];
  std::cout << "largest community #" << largest.id << ": " << largest.members.size()
            << " members, density " << largest.density << "\n  members:";
  for (NodeId v : largest.members) std::cout << " " << g.Name(p->nodes[v]);
  std::cout << "\n  key players:";
  for (NodeId v : largest.key_players) std::cout << " " << g.Name(p->nodes[v]);
  std::cout << "\n";

  // 4. Why two of its members are linked: the first projection link inside the community,
  //    explained by the snapshot edges that make it and the record behind each.
  auto inside = [&](NodeId v) {
    return std::binary_search(largest.members.begin(), largest.members.end(), v);
  };
  for (const Projection::Link& link : p->links) {
    if (!inside(link.a) || !inside(link.b)) continue;
    std::cout << "  link " << g.Name(p->nodes[link.a]) << " -- " << g.Name(p->nodes[link.b])
              << " (weight " << link.weight << ") because:\n";
    for (EdgeId e : p->Explain(link.a, link.b)) {
      const RecordInfo rec = g.record(g.edge_record()[e]);
      std::cout << "    " << g.Name(g.edge_source(e)) << " -" << EdgeKindName(g.edge_kind()[e])
                << "-> " << g.Name(g.edge_target(e)) << "   [" << SourceName(rec.source)
                << " record " << rec.record_id << "]\n";
    }
    break;
  }
  return 0;
}
