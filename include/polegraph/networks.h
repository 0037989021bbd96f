// polegraph/networks.h — criminal networks: person–person projections of a snapshot,
// connected components, label propagation, Louvain and Leiden communities, per-community
// reports (members, density, offences, key players, brokers), and scores against a known
// partition (NMI, ARI).
//
// A projection turns the POLE graph into a weighted undirected person–person graph: two people
// are linked when a meta-path joins them (Person–Offence–Person for co-offending, Person–
// Vehicle–Person for shared vehicles, ...), each path type with a caller-set weight. Every link
// remembers the snapshot edges that make it (Projection::Explain), only edges and nodes the
// caller's clearance covers are walked, and intermediates with more than `hub_cap` onward
// edges (an offence with 500 people) are skipped and listed.
//
// Every algorithm validates its options before any work, uses ctx.threads threads, polls
// ctx.Check() between rounds, and is deterministic: the same graph, options and seed give the
// same partition, bit for bit, at any thread count.
//
// Example:
//   polegraph::QueryContext ctx;
//   ctx.threads = 8;
//   ctx.clearance = my_clearance;
//   polegraph::ProjectionOptions popt;
//   popt.paths = {polegraph::CoOffending(1.0), polegraph::SharedVehicles(0.5)};
//   absl::StatusOr<polegraph::Projection> p = polegraph::ProjectPersons(*graph, popt, ctx);
//   polegraph::CommunityOptions copt;   // Leiden, resolution 1
//   copt.seed = 7;
//   absl::StatusOr<polegraph::Partition> part = polegraph::DetectCommunities(p->graph, copt, ctx);
//   polegraph::CommunityReportOptions ropt;
//   ropt.min_size = 3;
//   absl::StatusOr<std::vector<polegraph::CommunitySummary>> report =
//       polegraph::SummariseCommunities(p->graph, *part, ropt, ctx);
//   for (polegraph::NodeId v : (*report)[0].members) graph->Name(p->nodes[v]);
//   for (polegraph::EdgeId e : p->Explain(a, b)) graph->edge_record()[e];  // why a-b are linked
#ifndef POLEGRAPH_NETWORKS_H_
#define POLEGRAPH_NETWORKS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "polegraph/graph.h"
#include "polegraph/query.h"
#include "polegraph/weighted_graph.h"

namespace polegraph {

// ---- projections ---------------------------------------------------------------------------

// Which way a meta-path step follows an edge (the same three choices as links.h's Direction,
// kept separate so that networks.h does not depend on links.h).
enum class StepDirection : std::uint8_t { kOut, kIn, kBoth };

// One hop of a meta-path: along an edge of one of `edges` (in the given direction) to a node
// of kind `to`.
struct MetaPathStep {
  std::vector<EdgeKind> edges;
  StepDirection direction = StepDirection::kOut;
  NodeKind to = NodeKind::kPerson;
};

// A walk pattern from a node of kind `from` back to a node of kind `from`. It must be
// symmetric (read backwards it is the same pattern), so that "a is linked to b" implies
// "b is linked to a". The weight of a link is `weight` times the number of distinct node
// sequences (walks) joining the pair, summed over the projection's paths.
struct MetaPath {
  std::string name;  // "co-offending", ... (reported in explanations)
  NodeKind from = NodeKind::kPerson;
  std::vector<MetaPathStep> steps;  // 1..6 steps
  double weight = 1.0;
};

// Presets (all from Person to Person):
// Person -SUSPECT_IN|ARRESTED_FOR|CONVICTED_OF-> Offence <-(same kinds)- Person
MetaPath CoOffending(double weight);
MetaPath SharedVehicles(double weight);   // Person -KEEPER_OF|USED-> Vehicle <- Person
MetaPath SharedAddresses(double weight);  // Person -RESIDES_AT-> Location <- Person
MetaPath Associates(double weight);       // Person -ASSOCIATE_OF- Person (either direction)
// Person -KEEPER_OF|USED-> Vehicle -DISPLAYS-> Plate -TRAVELLED_WITH- Plate <-DISPLAYS- Vehicle
// <-KEEPER_OF|USED- Person.
MetaPath CoTravel(double weight);

// Parses "co-offending,vehicles=0.5,addresses,associates,co-travel" (names with optional
// "=weight", weight 1 when absent) into presets. InvalidArgument names the bad item.
absl::StatusOr<std::vector<MetaPath>> ParseProjectionSpec(std::string_view spec);

struct ProjectionOptions {
  std::vector<MetaPath> paths;
  // Only edges with time in [time_from, time_to] (UTC seconds, as stored: EdgeTime) are
  // walked; edges with an unknown time are walked when include_unknown_time. (links.h's
  // TraversalFilter::since/until are the same window in int64 seconds; anpr.h uses
  // absl::Time.)
  EdgeTime time_from = 0;
  EdgeTime time_to = ~EdgeTime{0};
  bool include_unknown_time = true;
  // An intermediate node from which more than hub_cap visible edges continue the walk (the
  // next step's kinds and direction: an offence with 500 people in the path's roles; a plate's
  // ANPR reads do not count) is not walked through; 0 = no cap. Skipped hubs are listed in
  // Projection::skipped_hubs.
  std::uint64_t hub_cap = 250;
};

struct Projection {
  struct Link {
    NodeId a = 0, b = 0;  // projection vertices, a < b
    double weight = 0.0;
    std::uint32_t evidence_begin = 0, evidence_end = 0;  // range of `evidence`
  };
  WeightedGraph graph;               // vertices are projection vertices
  std::vector<NodeId> nodes;         // snapshot node of each vertex (visible nodes of `from` kind)
  std::vector<Link> links;           // one per undirected edge of `graph`, sorted by (a, b)
  std::vector<EdgeId> evidence;      // snapshot edges behind each link, sorted within a link
  std::vector<NodeId> skipped_hubs;  // snapshot nodes skipped by hub_cap, ascending

  // Projection vertex of a snapshot node, or nullopt. O(log n).
  std::optional<NodeId> VertexOf(NodeId snapshot_node) const;
  // Snapshot edges that make the link a-b (projection vertices, any order); empty if none.
  std::span<const EdgeId> Explain(NodeId a, NodeId b) const;
};

// Projects the snapshot onto the visible nodes of kind paths[i].from (all paths must share
// it). Only nodes and edges whose labels ctx.clearance covers are walked. Deterministic.
// Cost: O(sum over start nodes of the walks enumerated); memory O(walks per start node).
absl::StatusOr<Projection> ProjectPersons(const Graph& graph, const ProjectionOptions& options,
                                          const QueryContext& ctx);

// ---- communities ---------------------------------------------------------------------------

enum class CommunityAlgorithm : std::uint8_t { kComponents, kLabelPropagation, kLouvain, kLeiden };
// "wcc" (or "components"), "lpa", "louvain", "leiden" (exact, lower case); nullopt otherwise.
std::optional<CommunityAlgorithm> ParseCommunityAlgorithm(std::string_view name);
std::string_view CommunityAlgorithmName(CommunityAlgorithm a);

// Resolution: modularity cannot resolve communities much smaller than sqrt(2m) (Fortunato &
// Barthelemy 2007), so on a large projection small groups merge with their neighbours at
// gamma = 1; a larger gamma (16-64 on a million-record snapshot) finds tighter groups.
struct CommunityOptions {
  CommunityAlgorithm algorithm = CommunityAlgorithm::kLeiden;
  double resolution = 1.0;   // gamma > 0 of modularity (Louvain, Leiden, and the reported Q)
  std::uint64_t seed = 1;    // seeds every random choice
  int max_levels = 32;       // Louvain / Leiden aggregation levels
  int max_sweeps = 64;       // local-moving sweeps per level
  int max_passes = 2;        // Leiden: runs from the last partition, until one changes nothing
                             // (2, like leidenalg's and python-igraph's n_iterations default;
                             // a pass whose first local moving moves at most n / 10^4
                             // vertices ends there)
  int max_iterations = 100;  // label propagation rounds
};

// community[v] in 0..num_communities-1, numbered by each community's smallest vertex.
struct Partition {
  std::vector<std::uint32_t> community;
  std::uint32_t num_communities = 0;
  double modularity = 0.0;  // at options.resolution
  int levels = 0;           // aggregation levels (Louvain/Leiden) or rounds (label propagation)
};

// Components: Afforest; each vertex with the vertices it can reach.
// Label propagation: weighted, semi-synchronous (Cordasco & Gargano 2010): vertices are
//   coloured so no two neighbours share a colour; colour classes are updated one after the
//   other, every vertex of a class from the labels as they stood before the class, taking the
//   label of greatest total edge weight (keeping its own on a tie, else the smallest).
// Louvain (Blondel et al. 2008): levels of local moving (each vertex joins the neighbouring
//   community that most raises modularity, sweep after sweep, until none moves) and
//   aggregation (each community becomes one vertex of the next level's graph). A community
//   may come out internally disconnected.
// Leiden (Traag, Waltman & van Eck 2019): Louvain with a refinement step before each
//   aggregation that splits communities into well-connected parts, so every community it
//   returns is connected. The default.
// Both: the same seed gives the same partition at any thread count.
// O(m) per sweep; memory O(n * threads + m).
// InvalidArgument: an option out of range (resolution finite and > 0; max_levels, max_sweeps,
// max_passes >= 1; max_iterations >= 0), a graph that fails WeightedGraph::Validate, or a
// total edge weight (2m, times the resolution) that overflows a double — rescale the weights.
absl::StatusOr<Partition> DetectCommunities(const WeightedGraph& graph,
                                            const CommunityOptions& options,
                                            const QueryContext& ctx);
// InvalidArgument for a graph that fails WeightedGraph::Validate.
absl::StatusOr<Partition> ConnectedComponents(const WeightedGraph& graph, const QueryContext& ctx);

// Q = 1/(2m) * sum_ij [A_ij - gamma k_i k_j / (2m)] delta(c_i, c_j) with weights, m the total
// edge weight (0 for a graph without edges). InvalidArgument on a size mismatch, a graph that
// fails WeightedGraph::Validate, or a total edge weight that overflows a double. O(m).
absl::StatusOr<double> Modularity(const WeightedGraph& graph,
                                  std::span<const std::uint32_t> community,
                                  double resolution = 1.0);

// Normalised mutual information 2 I(A;B) / (H(A) + H(B)) (1 when both are single blocks) and
// the adjusted Rand index (Hubert & Arabie 1985; 1 when both partitions are identical) of two
// labellings of the same items. Labels are arbitrary. InvalidArgument on a size mismatch or
// empty input. O(n log n).
absl::StatusOr<double> NormalizedMutualInformation(std::span<const std::uint32_t> a,
                                                   std::span<const std::uint32_t> b);
absl::StatusOr<double> AdjustedRandIndex(std::span<const std::uint32_t> a,
                                         std::span<const std::uint32_t> b);

// ---- community reports ---------------------------------------------------------------------

struct CommunityReportOptions {
  std::uint32_t min_size = 1;  // communities smaller than this are left out
  int top = 5;                 // key players and boundary brokers listed per community
  // Betweenness inside a community is exact up to this size; above it key players are
  // ranked by betweenness estimated from `betweenness_pivots` sampled sources
  // (PivotBetweenness, seeded by the community id; key_players_estimated = true), or, with
  // betweenness_pivots = 0, by weighted degree inside the community (key_players_by_degree).
  std::uint32_t betweenness_limit = 300;
  std::uint32_t betweenness_pivots = 64;
};

struct CommunitySummary {
  std::uint32_t id = 0;             // Partition community number
  std::vector<NodeId> members;      // ascending
  double density = 0.0;             // internal edges / (size (size - 1) / 2); 0 if size 1
  double internal_weight = 0.0;     // sum of internal edge weights
  std::vector<NodeId> key_players;  // highest betweenness inside the community first
  bool key_players_by_degree = false;
  bool key_players_estimated = false;  // from sampled pivots (see CommunityReportOptions)
  std::vector<NodeId> articulation_points;  // cut vertices of the community's subgraph
  std::vector<NodeId> boundary;             // members linked outside, most external weight first
};

// Summaries in descending size (then ascending id). Deterministic; parallel over communities.
// InvalidArgument: a partition of another size or with a community >= num_communities,
// top < 0, a graph that fails WeightedGraph::Validate, or a total edge weight that overflows
// a double.
absl::StatusOr<std::vector<CommunitySummary>> SummariseCommunities(
    const WeightedGraph& graph, const Partition& partition, const CommunityReportOptions& options,
    const QueryContext& ctx);

// Offences (visible, ascending) that the members (projection vertices, e.g. a
// CommunitySummary's members) are linked to by a visible person->offence edge (SUSPECT_IN,
// ARRESTED_FOR, CONVICTED_OF, VICTIM_OF, WITNESS_TO) within the time window of `options` (the
// ProjectionOptions the projection was made with). `projection` must come from `graph`;
// members whose node ctx.clearance does not cover contribute nothing. InvalidArgument for an
// invalid ctx, a member >= projection.nodes.size(), or a projection whose member nodes are
// not nodes of `graph` of the kind options.paths[0].from (it was made from another
// snapshot). (Not links.h's LinkedOffences, which finds offences linked to an offence.)
// O(sum of the members' out-degrees + k log k) for k offences found.
absl::StatusOr<std::vector<NodeId>> CommunityOffences(const Graph& graph,
                                                      const Projection& projection,
                                                      std::span<const NodeId> members,
                                                      const ProjectionOptions& options,
                                                      const QueryContext& ctx);

}  // namespace polegraph

#endif  // POLEGRAPH_NETWORKS_H_
