// Helpers shared by the ANPR sub-commands (cmd_convoys, cmd_clones, cmd_nearby, cmd_journey,
// cmd_misreads): time and duration arguments, the query context from --threads and
// --clearance, and reads and paths as JSON.
#ifndef POLEGRAPH_TOOLS_POLEGRAPH_ANPR_CLI_H_
#define POLEGRAPH_TOOLS_POLEGRAPH_ANPR_CLI_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/args.h"
#include "common/cli.h"
#include "common/json.h"
#include "polegraph/anpr.h"
#include "polegraph/graph.h"
#include "polegraph/query.h"

namespace polegraph::tools {

// --name as a time, when given, in any form Args::Time accepts (ISO 8601 with a zone, a
// date at 00:00 UTC, Unix seconds).
absl::StatusOr<std::optional<absl::Time>> TimeOption(const Args& args, const std::string& name);
// A duration: "90s", "2m", "1h30m", or a number of seconds ("90").
absl::StatusOr<absl::Duration> DurationOption(const Args& args, const std::string& name,
                                              absl::Duration fallback);
// "2024-03-31T00:30:00Z" (UTC, whole seconds).
std::string IsoTime(std::int64_t seconds);

// The context of a CLI query: ParseQueryContext (common/cli.h) with --threads defaulting to 1.
absl::StatusOr<QueryContext> ContextOption(const Args& args);
// Declares the options every ANPR command takes: threads, the clearance options, text.
void CommonOptions(Args& args);

// {"edge", "plate", "site", "time", "record_id"}
void WriteRead(const Graph& g, const AnprRead& read, JsonWriter& j);
void WriteReads(const Graph& g, const std::vector<AnprRead>& reads, JsonWriter& j);
// "SITE-1 2024-03-31T00:30:00Z PLATE record R1"
std::string ReadText(const Graph& g, const AnprRead& read);

// Opens the snapshot named by the first positional; prints the error as "polegraph CMD: ...".
std::shared_ptr<const Graph> OpenOrReport(const std::string& command, const Args& args);

}  // namespace polegraph::tools

#endif  // POLEGRAPH_TOOLS_POLEGRAPH_ANPR_CLI_H_
