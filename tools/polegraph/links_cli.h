// Shared by the link-analysis sub-commands (neighbours, path, network, linked-offences): the
// filter and context options, entity resolution that does not reveal what the caller may not
// see, and LinkChart output as JSON (keys "nodes", "edges", "paths") or text.
#ifndef POLEGRAPH_TOOLS_POLEGRAPH_LINKS_CLI_H_
#define POLEGRAPH_TOOLS_POLEGRAPH_LINKS_CLI_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/args.h"
#include "common/cli.h"
#include "common/json.h"
#include "polegraph/graph.h"
#include "polegraph/links.h"
#include "polegraph/query.h"

namespace polegraph::tools {

// The options every link command takes, documented once for the usage lines.
inline constexpr const char* kLinkFilterUsage =
    "[--node-kinds person,vehicle,...] [--edge-kinds SEEN_AT,...] [--direction out|in|both] "
    "[--since T] [--until T] [--include-unknown-time true|false] [--max-results N] "
    "[--clearance LEVEL] [--caveats C,...] [--forces F,...] [--threads T] [--text]";

// Declares the filter and context options (and --text) on `args`.
void AddLinkOptions(Args& args);

// --node-kinds, --edge-kinds, --direction, --since/--until (ISO 8601 UTC: 2024-03-01T12:00:00Z
// or 2024-03-01), --include-unknown-time, --max-results.
absl::StatusOr<TraversalFilter> ParseFilter(const Args& args);

// --threads (default: the machine's cores) and the clearance options (common/cli.h: default
// OFFICIAL, no caveats, all forces).
absl::StatusOr<QueryContext> ParseContext(const Args& args, const std::string& purpose);

// A hop-count option (--hops, --max-hops): `fallback` when absent, InvalidArgument when it is
// not an integer in [0, 2147483647].
absl::StatusOr<int> HopsOption(const Args& args, const std::string& name, int fallback);

// Resolves "kind:key" names; a name that does not exist and one the clearance does not cover
// get the same error, so the tool does not reveal that hidden data exists.
absl::StatusOr<std::vector<NodeId>> ResolveEntities(const Graph& g, const std::string& list,
                                                    const Clearance& clearance);

// Writes "nodes", "edges", "paths" and "truncated" into the current JSON object.
void WriteChartJson(const LinkChart& chart, JsonWriter& j);
// Paths, then nodes and edges, one per line.
void PrintChartText(const LinkChart& chart, std::ostream& out);

// Opens the snapshot named by the first positional argument (reports errors on stderr).
absl::StatusOr<std::shared_ptr<const Graph>> OpenForCommand(const Args& args);

// What every links command needs before its analysis: the filter, the query context and the
// opened snapshot, in that order (so option errors are reported before any file is opened).
struct LinkCommand {
  TraversalFilter filter;
  QueryContext ctx;
  std::shared_ptr<const Graph> graph;
};
absl::StatusOr<LinkCommand> PrepareLinkCommand(const Args& args, const std::string& purpose);

}  // namespace polegraph::tools

#endif  // POLEGRAPH_TOOLS_POLEGRAPH_LINKS_CLI_H_
