// polegraph/links.h — link analysis on a snapshot: who is within k hops of a subject, how two
// entities are connected (shortest, all shortest, k shortest, time-respecting paths), the
// network connecting a set of subjects, and the offences linked to an offence.
//
// Every analysis runs over a *filtered view* of the graph (TraversalFilter: node kinds, edge
// kinds, direction, time window) and the caller's clearance (QueryContext::clearance). An edge
// whose access label, or whose endpoint's access label, the clearance does not cover is never
// traversed: it appears in no result, count or path — exactly as if the graph had been built
// without it. Subjects the caller may not see are reported as NotFound, with the same message
// as an id that does not exist. Subjects are always admitted as endpoints, even when their
// kind is not in TraversalFilter::node_kinds; other nodes must be of an allowed kind.
//
// All analyses validate their options before any work starts (InvalidArgument), poll
// QueryContext::Check() between rounds (kCancelled / kDeadlineExceeded), and are deterministic:
// the same snapshot and options give identical results at any thread count (ties are broken
// by node id, then EdgeId — never by thread timing).
//
// Example:
//   polegraph::QueryContext ctx{.threads = 4, .clearance = {.level =
//                               polegraph::Classification::kOfficialSensitive}};
//   absl::StatusOr<polegraph::NodeId> a = graph.Resolve("person:16/123456X");
//   absl::StatusOr<polegraph::NodeId> b = graph.Resolve("offence:MPS/CR/0042");
//   polegraph::PathOptions opt;
//   opt.filter.edge_kinds.reset(static_cast<int>(polegraph::EdgeKind::kSeenAt));
//   opt.max_hops = 6;
//   absl::StatusOr<polegraph::PathResult> p = polegraph::ShortestPath(graph, *a, *b, opt, ctx);
//   if (p.ok() && !p->chart.paths.empty()) {
//     for (polegraph::EdgeId e : p->chart.paths[0].edges) { ... p->chart.FindEdge(e) ... }
//   }
#ifndef POLEGRAPH_LINKS_H_
#define POLEGRAPH_LINKS_H_

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/statusor.h"
#include "polegraph/graph.h"
#include "polegraph/query.h"
#include "polegraph/types.h"

namespace polegraph {

inline constexpr std::uint32_t kUnreached = std::numeric_limits<std::uint32_t>::max();
inline constexpr EdgeId kNoEdge = std::numeric_limits<EdgeId>::max();

// Which way edges are followed: kOut from source to target, kIn from target to source,
// kBoth either way (a link chart usually ignores direction).
enum class Direction : std::uint8_t { kOut = 0, kIn, kBoth };

// The filtered view an analysis runs on. Defaults admit everything.
struct TraversalFilter {
  std::bitset<kNumNodeKinds> node_kinds = std::bitset<kNumNodeKinds>().set();  // by NodeKind
  std::bitset<kNumEdgeKinds> edge_kinds = std::bitset<kNumEdgeKinds>().set();  // by EdgeKind
  Direction direction = Direction::kBoth;
  // Time window on edges, UTC seconds, inclusive: an edge with a known time t is admitted when
  // since <= t <= until. Edges of unknown time are admitted when include_unknown_time.
  // (The same idea as networks.h ProjectionOptions::time_from/time_to, in EdgeTime, and
  // anpr.h's since/until/from/to, in absl::Time: all compare with edge_time, UTC seconds.)
  std::int64_t since = std::numeric_limits<std::int64_t>::min();
  std::int64_t until = std::numeric_limits<std::int64_t>::max();
  bool include_unknown_time = true;
  // Cap on listed items (nodes, edges, paths, offences, each separately); results say when
  // they were cut (`truncated`). Counts are never capped.
  std::size_t max_results = 1000;
};

// InvalidArgument when the filter admits nothing or is malformed (since > until, no node or
// edge kind, max_results == 0, direction out of range).
absl::Status ValidateFilter(const TraversalFilter& filter);

// Where an edge came from.
struct Provenance {
  Source source = Source::kPnc;
  std::string extract;    // extract file path as given to ingest
  std::string record_id;  // the record's own id in its source system
  std::uint64_t offset = 0;
  RecordNo record = kNoRecord;
};

struct LinkNode {
  NodeId id = kNoNode;
  std::string name;  // "kind:key"
  NodeKind kind = NodeKind::kPerson;
  std::uint32_t distance = kUnreached;  // hops from the nearest subject / path start
};

struct LinkEdge {
  EdgeId id = kNoEdge;
  NodeId from = kNoNode;  // stored direction (source -> target)
  NodeId to = kNoNode;
  std::string from_name, to_name;
  EdgeKind kind = EdgeKind::kKeeperOf;
  EdgeTime time = kUnknownTime;
  Provenance provenance;
};

// A path: nodes[0] .. nodes[k], and edges[i] joining nodes[i] and nodes[i+1] (traversed in the
// filter's direction; with kIn or kBoth an edge may point from nodes[i+1] to nodes[i]).
// Paths are sequences of edges: two records asserting the same link make two paths.
struct LinkPath {
  std::vector<NodeId> nodes;
  std::vector<std::string> names;
  std::vector<EdgeId> edges;
  std::uint32_t hops() const { return static_cast<std::uint32_t>(edges.size()); }
};

// Nodes (by id), edges (by EdgeId) and paths (in the analysis's order). Every EdgeId in a path
// is in `edges`, and every node of an edge or path is in `nodes`.
struct LinkChart {
  std::vector<LinkNode> nodes;
  std::vector<LinkEdge> edges;
  std::vector<LinkPath> paths;
  bool truncated = false;  // some nodes, edges or paths were left out by max_results
  const LinkEdge* FindEdge(EdgeId e) const;  // binary search; nullptr when absent
  const LinkNode* FindNode(NodeId v) const;  // binary search; nullptr when absent
};

// An exact count of paths, held in 128 bits and saturating at 2^128 - 1 (`saturated` then).
struct PathCount {
  absl::uint128 value = 0;
  bool saturated = false;
  std::string ToString() const;  // decimal; ">=340282366920938463463374607431768211455" if saturated
};

// ---------------------------------------------------------------------------------------------
// Hop distances by direction-optimising parallel BFS over the filtered view.

struct HopTree {
  std::vector<std::uint32_t> distance;  // by NodeId; kUnreached when not reached
  std::vector<NodeId> parent;           // kNoNode for sources and unreached nodes
  std::vector<EdgeId> parent_edge;      // the edge parent -> node was reached through
};

// Multi-source BFS from `sources` (distance 0) up to `max_hops` hops (kUnreached = no bound).
// The parent of a node at distance d is the smallest (node id, EdgeId) among its traversable
// links from nodes at distance d - 1. Work O(n + m) per call, O(n) memory; ctx.threads.
absl::StatusOr<HopTree> HopDistances(const Graph& graph, std::span<const NodeId> sources,
                                     const TraversalFilter& filter, std::uint32_t max_hops,
                                     const QueryContext& ctx);

// ---------------------------------------------------------------------------------------------
// k-hop neighbourhood.

struct NeighbourhoodOptions {
  std::uint32_t hops = 1;
  TraversalFilter filter;
};

// The nodes within `hops` of any subject (nodes[i].distance = hops from the nearest subject;
// at most max_results, nearest first, then by id — listed by id) and every admitted edge
// among the listed nodes, whatever its direction (at most max_results, by EdgeId).
absl::StatusOr<LinkChart> Neighbourhood(const Graph& graph, std::span<const NodeId> subjects,
                                        const NeighbourhoodOptions& options,
                                        const QueryContext& ctx);

// ---------------------------------------------------------------------------------------------
// Paths between two entities.

// From a node to itself, ShortestPath and AllShortestPaths find the one path of no edges
// (hops 0, count 1).
struct PathOptions {
  TraversalFilter filter;
  std::uint32_t max_hops = 6;  // paths longer than this are not considered
  // KShortestPaths: how many paths, >= 1 (0 is InvalidArgument); at most filter.max_results
  // are listed (chart.truncated then).
  std::size_t k = 3;
};

struct PathResult {
  LinkChart chart;                    // chart.paths: the paths found, in order
  std::uint32_t hops = kUnreached;    // length of a shortest path; kUnreached when none
  PathCount count;                    // AllShortestPaths: number of shortest paths (exact)
};

// One shortest path by bidirectional BFS (the two searches expand the smaller frontier). The
// path is chosen deterministically: through the meeting node of smallest id, each half by
// smallest-(node, EdgeId) parents. No path within max_hops is not an error (hops = kUnreached).
absl::StatusOr<PathResult> ShortestPath(const Graph& graph, NodeId from, NodeId to,
                                        const PathOptions& options, const QueryContext& ctx);

// The number of shortest paths (count, exact up to 2^128 - 1) and the first max_results of
// them in lexicographic order of their (node id, EdgeId) sequences. BFS from both ends, then a
// count over the shortest-path DAG. Work O(n + m) plus the listed paths.
absl::StatusOr<PathResult> AllShortestPaths(const Graph& graph, NodeId from, NodeId to,
                                            const PathOptions& options, const QueryContext& ctx);

// The k shortest simple paths (no repeated node) of at most max_hops, by Yen's algorithm, in
// order of length and then lexicographic (node id, EdgeId) sequence. Each spur search is a
// BFS, so the cost is O(k * max_hops * (n + m)) in the worst case.
absl::StatusOr<PathResult> KShortestPaths(const Graph& graph, NodeId from, NodeId to,
                                          const PathOptions& options, const QueryContext& ctx);

// A time-respecting path: edge times never decrease along it. Edges of unknown time (when
// the filter admits them) are *timeless*: they may be taken at any point and do not move the
// clock (a registered keeper or an address holds throughout). Among paths of at most max_hops,
// the one arriving earliest (the time of its last timed edge), then fewest hops, then smallest
// (node id, EdgeId) choices. Exact earliest-arrival rounds (one per hop), O(max_hops * m).
struct TimedPathResult {
  LinkChart chart;                  // at most one path
  std::uint32_t hops = kUnreached;  // kUnreached when no time-respecting path exists
  std::int64_t departure = 0;       // time of the first timed edge (0 when none)
  std::int64_t arrival = 0;         // time of the last timed edge (0 when none)
};
absl::StatusOr<TimedPathResult> TimeRespectingPath(const Graph& graph, NodeId from, NodeId to,
                                                   const PathOptions& options,
                                                   const QueryContext& ctx);

// ---------------------------------------------------------------------------------------------
// The network connecting a set of subjects.

struct NetworkOptions {
  std::uint32_t max_hops = 4;
  TraversalFilter filter;
};

struct NetworkResult {
  // Nodes v and edges on a walk of at most max_hops between two different subjects s, t:
  // d(s, v) + d(v, t) <= max_hops (for an edge u -> v: d(s, u) + 1 + d(v, t) <= max_hops).
  // nodes[i].distance = hops to the nearest subject. Listed by id / EdgeId, each capped.
  LinkChart chart;
  std::vector<NodeId> subjects;     // sorted, deduplicated
  std::vector<NodeId> unconnected;  // subjects with no other subject within max_hops
};

// Multi-source BFS that keeps, for each node, its two nearest distinct subjects (from and, for
// directed filters, to it); O(max_hops * m) work, O(n) memory whatever the number of subjects.
absl::StatusOr<NetworkResult> ConnectingNetwork(const Graph& graph,
                                                std::span<const NodeId> subjects,
                                                const NetworkOptions& options,
                                                const QueryContext& ctx);

// ---------------------------------------------------------------------------------------------
// Offences linked to an offence.

struct LinkedOffencesOptions {
  std::uint32_t max_hops = 4;
  // node_kinds limits the *intermediate* nodes (offences are never passed through: they are
  // endpoints only). Default: through people, vehicles, plates and locations.
  TraversalFilter filter;
};

struct LinkedOffence {
  NodeId offence = kNoNode;
  std::string name;
  std::uint32_t hops = kUnreached;
  // Number of shortest routes from the given offence, as distinct entity sequences (parallel
  // edges — several records linking the same two entities — count once).
  PathCount paths;
  LinkPath explanation;  // one shortest path (smallest (node id, EdgeId) parents)
};

struct LinkedOffencesResult {
  // Ranked by hops (ascending), then number of shortest routes (descending), then node id.
  std::vector<LinkedOffence> offences;
  LinkChart chart;  // nodes and edges of the explaining paths (chart.paths = explanations)
  bool truncated = false;
};

absl::StatusOr<LinkedOffencesResult> LinkedOffences(const Graph& graph, NodeId offence,
                                                    const LinkedOffencesOptions& options,
                                                    const QueryContext& ctx);

}  // namespace polegraph

#endif  // POLEGRAPH_LINKS_H_
