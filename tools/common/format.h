// Small formatting helpers shared by the CLI commands.
#ifndef POLEGRAPH_TOOLS_COMMON_FORMAT_H_
#define POLEGRAPH_TOOLS_COMMON_FORMAT_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "polegraph/types.h"

namespace polegraph::tools {

// "2024-03-01T12:00:00Z", or "" for an unknown time.
inline std::string FormatUtc(std::int64_t seconds) {
  if (seconds == 0) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(seconds),
                          absl::UTCTimeZone());
}

}  // namespace polegraph::tools

#endif  // POLEGRAPH_TOOLS_COMMON_FORMAT_H_
