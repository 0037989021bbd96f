// Filter / context options, entity resolution and chart output for the link commands.
#include "polegraph/links_cli.h"

#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/format.h"
#include "polegraph/io.h"

namespace polegraph::tools {
namespace {

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    out.emplace_back(part.data(), part.size());
  }
  return out;
}

}  // namespace

void AddLinkOptions(Args& args) {
  args.Option("node-kinds").Option("edge-kinds").Option("direction").Option("since");
  args.Option("until").Option("include-unknown-time").Option("max-results");
  DeclareClearanceOptions(args);
  args.Option("threads").Flag("text");
}

absl::StatusOr<TraversalFilter> ParseFilter(const Args& args) {
  TraversalFilter f;
  if (args.Has("node-kinds")) {
    f.node_kinds.reset();
    for (const std::string& name : SplitList(args.Get("node-kinds"))) {
      auto kind = ParseNodeKind(name);
      if (!kind) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--node-kinds: unknown kind '", name, "' (person, vehicle, plate, location, offence)"));
      }
      f.node_kinds.set(static_cast<std::size_t>(*kind));
    }
  }
  if (args.Has("edge-kinds")) {
    f.edge_kinds.reset();
    for (const std::string& name : SplitList(args.Get("edge-kinds"))) {
      auto kind = ParseEdgeKind(name);
      if (!kind) {
        return absl::InvalidArgumentError(
            absl::StrCat("--edge-kinds: unknown kind '", name, "' (e.g. KEEPER_OF, SEEN_AT)"));
      }
      f.edge_kinds.set(static_cast<std::size_t>(*kind));
    }
  }
  const std::string dir = args.Get("direction", "both");
  if (dir == "out") {
    f.direction = Direction::kOut;
  } else if (dir == "in") {
    f.direction = Direction::kIn;
  } else if (dir == "both") {
    f.direction = Direction::kBoth;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--direction: '", dir, "' is not one of out, in, both"));
  }
  for (const char* name : {"since", "until"}) {
    absl::StatusOr<std::optional<std::int64_t>> t = args.Time(name);
    if (!t.ok()) return t.status();
    if (*t) (std::string_view(name) == "since" ? f.since : f.until) = **t;
  }
  const std::string unknown = args.Get("include-unknown-time", "true");
  if (unknown != "true" && unknown != "false") {
    return absl::InvalidArgumentError("--include-unknown-time: give true or false");
  }
  f.include_unknown_time = unknown == "true";
  auto max_results = args.Int("max-results", 1000);
  if (!max_results.ok()) return max_results.status();
  if (*max_results < 1) return absl::InvalidArgumentError("--max-results must be at least 1");
  f.max_results = static_cast<std::size_t>(*max_results);
  if (absl::Status s = ValidateFilter(f); !s.ok()) return s;
  return f;
}

absl::StatusOr<QueryContext> ParseContext(const Args& args, const std::string& purpose) {
  const auto cores = static_cast<std::int64_t>(std::max(1u, std::thread::hardware_concurrency()));
  return ParseQueryContext(args, purpose, cores);
}

absl::StatusOr<std::vector<NodeId>> ResolveEntities(const Graph& g, const std::string& list,
                                                    const Clearance& clearance) {
  const std::vector<bool> visible = g.VisibleLabels(clearance);
  std::vector<NodeId> out;
  for (const std::string& name : SplitList(list)) {
    auto v = g.Resolve(name);
    if (v.ok() && visible[g.node_label(*v)]) {
      out.push_back(*v);
      continue;
    }
    if (!v.ok() && v.status().code() == absl::StatusCode::kInvalidArgument) return v.status();
    return absl::NotFoundError(
        absl::StrCat("no entity '", name, "' (or not visible at this clearance)"));
  }
  if (out.empty()) return absl::InvalidArgumentError("no entities named");
  return out;
}

void WriteChartJson(const LinkChart& chart, JsonWriter& j) {
  j.Key("nodes");
  j.BeginArray();
  for (const LinkNode& n : chart.nodes) {
    j.BeginObject();
    j.Field("id", n.name);
    j.Field("kind", NodeKindName(n.kind));
    if (n.distance != kUnreached) j.Field("distance", n.distance);
    j.EndObject();
  }
  j.EndArray();
  j.Key("edges");
  j.BeginArray();
  for (const LinkEdge& e : chart.edges) {
    j.BeginObject();
    j.Field("id", e.id);
    j.Field("kind", EdgeKindName(e.kind));
    j.Field("from", e.from_name);
    j.Field("to", e.to_name);
    j.Field("time", FormatUtc(e.time));
    j.Key("provenance");
    j.BeginObject();
    j.Field("source", SourceName(e.provenance.source));
    j.Field("extract", e.provenance.extract);
    j.Field("record_id", e.provenance.record_id);
    j.Field("offset", e.provenance.offset);
    j.EndObject();
    j.EndObject();
  }
  j.EndArray();
  j.Key("paths");
  j.BeginArray();
  for (const LinkPath& p : chart.paths) {
    j.BeginObject();
    j.Field("hops", p.hops());
    j.Key("nodes");
    j.BeginArray();
    for (const std::string& name : p.names) j.String(name);
    j.EndArray();
    j.Key("edges");
    j.BeginArray();
    for (EdgeId e : p.edges) j.Uint(e);
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();
  j.Field("truncated", chart.truncated);
}

void PrintChartText(const LinkChart& chart, std::ostream& out) {
  for (std::size_t i = 0; i < chart.paths.size(); ++i) {
    const LinkPath& p = chart.paths[i];
    out << absl::StrFormat("path %d (%d hops): %s", i + 1, p.hops(), p.names[0]);
    for (std::size_t s = 0; s < p.edges.size(); ++s) {
      const LinkEdge* e = chart.FindEdge(p.edges[s]);
      const bool forward = e == nullptr || e->from == p.nodes[s];
      const std::string label =
          e == nullptr ? "?"
                       : absl::StrCat(std::string(EdgeKindName(e->kind)),
                                      e->time ? absl::StrCat(" ", FormatUtc(e->time)) : "", " ",
                                      e->provenance.record_id);
      out << (forward ? " -[" : " <-[") << label << (forward ? "]-> " : "]- ") << p.names[s + 1];
    }
    out << "\n";
  }
  out << absl::StrFormat("nodes %d\n", chart.nodes.size());
  for (const LinkNode& n : chart.nodes) {
    out << absl::StrFormat("  %-40s %s\n", n.name,
                           n.distance == kUnreached ? "" : absl::StrCat("d=", n.distance));
  }
  out << absl::StrFormat("edges %d\n", chart.edges.size());
  for (const LinkEdge& e : chart.edges) {
    out << absl::StrFormat("  %-32s -[%s]-> %-32s %-20s %s %s record %s\n", e.from_name,
                           EdgeKindName(e.kind), e.to_name, FormatUtc(e.time),
                           SourceName(e.provenance.source), e.provenance.extract,
                           e.provenance.record_id);
  }
  if (chart.truncated) out << "(truncated: raise --max-results to see more)\n";
}

absl::StatusOr<std::shared_ptr<const Graph>> OpenForCommand(const Args& args) {
  if (args.positionals().size() != 1) {
    return absl::InvalidArgumentError("give exactly one snapshot file (G.pg)");
  }
  return OpenForCli(args.positionals()[0]);
}

absl::StatusOr<int> HopsOption(const Args& args, const std::string& name, int fallback) {
  auto hops = args.IntIn(name, fallback, 0, kMaxInt32);
  if (!hops.ok()) return hops.status();
  return static_cast<int>(*hops);
}

absl::StatusOr<LinkCommand> PrepareLinkCommand(const Args& args, const std::string& purpose) {
  LinkCommand cmd;
  absl::StatusOr<TraversalFilter> filter = ParseFilter(args);
  if (!filter.ok()) return filter.status();
  cmd.filter = *std::move(filter);
  absl::StatusOr<QueryContext> ctx = ParseContext(args, purpose);
  if (!ctx.ok()) return ctx.status();
  cmd.ctx = *std::move(ctx);
  absl::StatusOr<std::shared_ptr<const Graph>> graph = OpenForCommand(args);
  if (!graph.ok()) return graph.status();
  cmd.graph = *std::move(graph);
  return cmd;
}

}  // namespace polegraph::tools
