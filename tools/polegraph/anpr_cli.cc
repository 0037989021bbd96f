// Helpers shared by the ANPR sub-commands (anpr_cli.h).
#include "polegraph/anpr_cli.h"

#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/format.h"
#include "polegraph/io.h"

namespace polegraph::tools {

absl::StatusOr<std::optional<absl::Time>> TimeOption(const Args& args, const std::string& name) {
  absl::StatusOr<std::optional<std::int64_t>> t = args.Time(name);
  if (!t.ok()) return t.status();
  if (!*t) return std::optional<absl::Time>();
  return std::optional<absl::Time>(absl::FromUnixSeconds(**t));
}

absl::StatusOr<absl::Duration> DurationOption(const Args& args, const std::string& name,
                                              absl::Duration fallback) {
  if (!args.Has(name)) return fallback;
  const std::string v = args.Get(name);
  std::int64_t seconds;
  if (absl::SimpleAtoi(v, &seconds)) return absl::Seconds(seconds);
  absl::Duration d;
  if (absl::ParseDuration(v, &d)) return d;
  return absl::InvalidArgumentError(
      absl::StrCat("--", name, ": not a duration: '", v, "' (use e.g. 90s, 2m, 1h30m)"));
}

std::string IsoTime(std::int64_t seconds) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(seconds),
                          absl::UTCTimeZone());
}

void CommonOptions(Args& args) {
  DeclareClearanceOptions(args);
  args.Option("threads").Flag("text");
}

absl::StatusOr<QueryContext> ContextOption(const Args& args) {
  return ParseQueryContext(args, "anpr", 1);
}

void WriteRead(const Graph& g, const AnprRead& read, JsonWriter& j) {
  j.BeginObject();
  j.Field("edge", static_cast<std::uint64_t>(read.edge));
  j.Field("plate", g.key(read.plate));
  j.Field("site", g.key(read.site));
  j.Field("time", IsoTime(read.time));
  j.Field("record_id", g.record(read.record).record_id);
  j.EndObject();
}

void WriteReads(const Graph& g, const std::vector<AnprRead>& reads, JsonWriter& j) {
  j.BeginArray();
  for (const AnprRead& r : reads) WriteRead(g, r, j);
  j.EndArray();
}

std::string ReadText(const Graph& g, const AnprRead& read) {
  return absl::StrCat(IsoTime(read.time), "  ", std::string(g.key(read.site)), "  ",
                      std::string(g.key(read.plate)), "  record ",
                      std::string(g.record(read.record).record_id));
}

std::shared_ptr<const Graph> OpenOrReport(const std::string& command, const Args& args) {
  auto g = OpenForCli(args.positionals()[0]);
  if (!g.ok()) {
    Fail(command, g.status());
    return nullptr;
  }
  return *g;
}

}  // namespace polegraph::tools
