// What every polegraph sub-command shares: how an error is reported (Fail) and who the caller
// is allowed to see (--clearance, --caveats, --forces), parsed one way with one default.
//
// The default is least privilege: a caller who does not say what they are cleared for gets
// OFFICIAL, no handling caveats, every owning force. Records marked above that (or carrying a
// caveat) are left out of every result as if they did not exist.
//
//   Args a;
//   DeclareClearanceOptions(a);
//   ...
//   absl::StatusOr<Clearance> c = ParseClearance(a);
//   if (!c.ok()) return Fail("show", c.status());
#ifndef POLEGRAPH_TOOLS_COMMON_CLI_H_
#define POLEGRAPH_TOOLS_COMMON_CLI_H_

#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/args.h"
#include "polegraph/graph.h"
#include "polegraph/io.h"
#include "polegraph/query.h"
#include "polegraph/types.h"

namespace polegraph::tools {

// Opens a snapshot for a command, checking its checksums on every core of the machine (the
// check is most of an open's time on a big snapshot, and its result does not depend on the
// thread count; a command's --threads applies to its analysis).
inline absl::StatusOr<std::shared_ptr<const Graph>> OpenForCli(const std::string& path) {
  OpenOptions options;
  options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return OpenSnapshot(path, options);
}

// Prints "polegraph COMMAND: message" to stderr and returns the exit code: 2 for a usage error
// (InvalidArgument), 1 for anything else.
inline int Fail(std::string_view command, const absl::Status& status) {
  std::cerr << "polegraph " << command << ": " << status.message() << "\n";
  return status.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
}

// The clearance options as they appear in a command's usage line, and what they mean (printed
// under the usage line).
inline constexpr const char* kClearanceUsage =
    "[--clearance LEVEL] [--caveats C,...] [--forces F,...]";
inline constexpr const char* kClearanceHelp =
    "  --clearance OFFICIAL|OFFICIAL-SENSITIVE|SECRET|TOP-SECRET (default OFFICIAL),\n"
    "  --caveats C,... handling caveats held (default none), --forces F,... owning forces\n"
    "  whose data may be seen (default all): anything the clearance does not cover is left out.\n";

// Declares --clearance, --caveats and --forces on `args`.
inline void DeclareClearanceOptions(Args& args) {
  args.Option("clearance").Option("caveats").Option("forces");
}

// The caller's clearance from --clearance LEVEL (OFFICIAL, OFFICIAL-SENSITIVE, SECRET or
// TOP-SECRET; any letter case, '-', '_' or ' ' between words; default OFFICIAL), --caveats
// (handling caveats held, comma-separated; default none) and --forces (owning forces whose data
// may be seen; default all). InvalidArgument naming the option on an unknown level.
inline absl::StatusOr<Clearance> ParseClearance(const Args& args) {
  Clearance c;  // OFFICIAL, no caveats, all forces
  if (args.Has("clearance")) {
    std::string level = args.Get("clearance");
    for (char& ch : level) {
      ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (ch == '_' || ch == ' ') ch = '-';
    }
    std::optional<Classification> parsed = ParseClassification(level);
    if (!parsed) {
      return absl::InvalidArgumentError(
          absl::StrCat("--clearance: '", args.Get("clearance"),
                       "' is not OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP-SECRET"));
    }
    c.level = *parsed;
  }
  for (auto [option, out] : {std::pair{"caveats", &c.caveats}, std::pair{"forces", &c.forces}}) {
    for (absl::string_view part : absl::StrSplit(args.Get(option), ',', absl::SkipWhitespace())) {
      out->emplace_back(part.data(), part.size());
    }
  }
  return c;
}

// The QueryContext of a command: --threads (1..1024, default `default_threads`) and the
// clearance options (ParseClearance); user "polegraph-cli", purpose as given.
inline absl::StatusOr<QueryContext> ParseQueryContext(const Args& args, std::string purpose,
                                                      std::int64_t default_threads) {
  QueryContext ctx;
  absl::StatusOr<std::int64_t> threads = args.Int("threads", default_threads);
  if (!threads.ok()) return threads.status();
  if (*threads < 1 || *threads > 1024) {
    return absl::InvalidArgumentError("--threads must be between 1 and 1024");
  }
  ctx.threads = static_cast<int>(*threads);
  absl::StatusOr<Clearance> clearance = ParseClearance(args);
  if (!clearance.ok()) return clearance.status();
  ctx.clearance = *std::move(clearance);
  ctx.user = "polegraph-cli";
  ctx.purpose = std::move(purpose);
  return ctx;
}

}  // namespace polegraph::tools

#endif  // POLEGRAPH_TOOLS_COMMON_CLI_H_
