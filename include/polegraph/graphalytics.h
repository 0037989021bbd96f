// polegraph/graphalytics.h — the six LDBC Graphalytics kernels on a PlainGraph, with the
// benchmark's exact semantics, and the writer for its result files. The LDBC Graphalytics
// specification (v1.0, "Algorithms" and "Output Validation") is the authority:
//
//   Bfs       hop count from the source along out-edges; unreachable = kUnreachable
//             (9223372036854775807).
//   Wcc       weakly connected components (direction ignored); label = the smallest external
//             vertex id in the component.
//   Cdlp      synchronous label propagation for a fixed number of iterations; initial label =
//             own external id; new label = most frequent label among in- and out-neighbours
//             (in a directed graph a neighbour that is both counts twice), ties -> smallest
//             label; a vertex without neighbours keeps its label.
//   PageRank  fixed iterations from 1/|V|; damping d; the rank of dangling vertices (no
//             out-edges) is spread evenly over all vertices each iteration.
//   Lcc       local clustering coefficient: N(v) = in- and out-neighbours (direction ignored);
//             the count of edges (u, w) in E with u, w in N(v) (directed edges in a directed
//             graph) divided by |N(v)| (|N(v)| - 1); 0 when |N(v)| <= 1.
//   Sssp      shortest path lengths along out-edges with non-negative weights; unreachable =
//             +infinity (written "Infinity").
//
// Every kernel validates its arguments before any work (InvalidArgument: ctx.threads < 1, a
// source that is not a vertex, iterations < 0, damping outside [0, 1]), uses ctx.threads
// threads, polls ctx.Check() between rounds (returning kCancelled / kDeadlineExceeded), and is
// deterministic: the same graph and parameters give bit-identical results at any thread
// count. Results are indexed by dense vertex id (PlainGraph::Find maps an external id to it).
// A PlainGraph has no access labels: these kernels apply no clearance (ctx.clearance is
// ignored), so load only data every user of the result may see.
//
// Example:
//   polegraph::QueryContext ctx{.threads = 8};
//   auto g = polegraph::PlainGraph::LoadGraphalytics("G.v", "G.e", {.directed = true}, 8);
//   if (!g.ok()) return g.status();
//   std::optional<polegraph::NodeId> src = g->Find(/*external id=*/42);
//   if (!src) return absl::NotFoundError("vertex 42 is not in G.v");
//   absl::StatusOr<std::vector<std::int64_t>> depth = polegraph::graphalytics::Bfs(*g, *src, ctx);
//   if (!depth.ok()) return depth.status();
//   absl::Status s = polegraph::graphalytics::WriteResult("G-BFS", *g, *depth);
#ifndef POLEGRAPH_GRAPHALYTICS_H_
#define POLEGRAPH_GRAPHALYTICS_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "polegraph/plain_graph.h"
#include "polegraph/query.h"

namespace polegraph::graphalytics {

inline constexpr std::int64_t kUnreachable = std::numeric_limits<std::int64_t>::max();

// Breadth-first search (direction-optimising) from `source`, a dense vertex id (InvalidArgument
// when source >= g.num_nodes()). O(n + m) work.
absl::StatusOr<std::vector<std::int64_t>> Bfs(const PlainGraph& g, NodeId source,
                                              const QueryContext& ctx);

// Single-source shortest paths (delta-stepping). Needs a weighted graph with weights >= 0.
// A distance is the smallest floating-point sum (left to right along the path) over all
// paths, the same value Dijkstra's algorithm computes. Unreachable: +infinity. Errors:
// InvalidArgument when source >= g.num_nodes() or a weight is negative, NaN or infinite
// (naming the edge); FailedPrecondition when the graph was loaded unweighted.
absl::StatusOr<std::vector<double>> Sssp(const PlainGraph& g, NodeId source,
                                         const QueryContext& ctx);

// Weakly connected components (Shiloach-Vishkin). O(m log n) work worst case.
absl::StatusOr<std::vector<std::int64_t>> Wcc(const PlainGraph& g, const QueryContext& ctx);

// Community detection by label propagation. iterations >= 0. O(iterations * m log d).
absl::StatusOr<std::vector<std::int64_t>> Cdlp(const PlainGraph& g, int iterations,
                                               const QueryContext& ctx);

// PageRank. iterations >= 0, damping in [0, 1]. O(iterations * (n + m)).
absl::StatusOr<std::vector<double>> PageRank(const PlainGraph& g, int iterations, double damping,
                                             const QueryContext& ctx);

// Local clustering coefficient. O(sum over v of sum over u in N(v) of deg(u)).
absl::StatusOr<std::vector<double>> Lcc(const PlainGraph& g, const QueryContext& ctx);

enum class Algorithm { kBfs, kWcc, kCdlp, kPageRank, kLcc, kSssp };
// "bfs", "wcc", "cdlp", "pr", "lcc", "sssp".
std::optional<Algorithm> ParseAlgorithm(std::string_view name);
std::string_view AlgorithmName(Algorithm a);

// Formats one result value as the Graphalytics validator expects: integers in decimal
// (kUnreachable as 9223372036854775807), doubles in scientific notation with 15 digits after
// the point (2.476533217845853e-08), +infinity as "Infinity".
std::string FormatValue(std::int64_t v);
std::string FormatValue(double v);

// Writes "external_id value" lines in dense id order (the .v file order) to `path`, replacing
// it (not atomically). Errors: InvalidArgument when values.size() != g.num_nodes();
// PermissionDenied when `path` cannot be opened for writing (also for a missing directory);
// DataLoss when a write fails (a full disk).
absl::Status WriteResult(const std::string& path, const PlainGraph& g,
                         std::span<const std::int64_t> values);
absl::Status WriteResult(const std::string& path, const PlainGraph& g,
                         std::span<const double> values);

}  // namespace polegraph::graphalytics

#endif  // POLEGRAPH_GRAPHALYTICS_H_
