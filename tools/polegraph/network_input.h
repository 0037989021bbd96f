// The input of `polegraph communities` and `polegraph centrality`: a snapshot projected onto
// people (--projection, --hub-cap, --clearance / --caveats / --forces, --from/--to), or a
// plain edge list (--edges, --weighted), as one WeightedGraph plus the names of its vertices.
#ifndef POLEGRAPH_TOOLS_POLEGRAPH_NETWORK_INPUT_H_
#define POLEGRAPH_TOOLS_POLEGRAPH_NETWORK_INPUT_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/args.h"
#include "common/cli.h"
#include "common/json.h"
#include "polegraph/io.h"
#include "polegraph/networks.h"
#include "polegraph/plain_graph.h"

namespace polegraph::tools {

inline constexpr const char* kNetworkInputUsage =
    "(G.pg [--projection co-offending,vehicles=0.5,addresses,associates,co-travel] "
    "[--hub-cap N] [--clearance LEVEL] [--caveats C,...] [--forces F,...] [--from TIME] "
    "[--to TIME] | --edges FILE [--weighted])";

struct NetworkInput {
  WeightedGraph graph;
  std::shared_ptr<const Graph> snapshot;  // null for --edges
  std::optional<Projection> projection;
  ProjectionOptions projection_options;
  std::optional<PlainGraph> plain;

  void WriteVertex(NodeId v, JsonWriter& j) const {
    if (snapshot) {
      j.String(snapshot->Name(projection->nodes[v]));
    } else {
      j.Int(plain->external_id(v));
    }
  }
};

// Declares the options NetworkInput reads.
inline void DeclareNetworkInput(Args& a) {
  a.Option("edges")
      .Flag("weighted")
      .Option("projection")
      .Option("hub-cap")
      .Option("from")
      .Option("to")
      .Option("threads");
  DeclareClearanceOptions(a);
}

// InvalidArgument unless exactly one of a snapshot path and --edges is given.
inline absl::Status CheckNetworkInputShape(const Args& a) {
  if (a.Has("edges") == (a.positionals().size() == 1) || a.positionals().size() > 1) {
    return absl::InvalidArgumentError("give either one snapshot G.pg or --edges FILE");
  }
  return absl::OkStatus();
}

// Reads and checks the options of NetworkInput without touching a file: InvalidArgument (a
// usage error, exit code 2) for a wrong shape, clearance, projection spec, --hub-cap or
// --from/--to. Sets ctx.clearance from the clearance options (common/cli.h: default OFFICIAL,
// no caveats). The result holds the options only; LoadNetworkInput fills in the graph.
inline absl::StatusOr<NetworkInput> ParseNetworkOptions(const Args& a, QueryContext& ctx) {
  NetworkInput in;
  if (absl::Status s = CheckNetworkInputShape(a); !s.ok()) return s;
  if (a.Has("edges")) return in;
  absl::StatusOr<Clearance> clearance = ParseClearance(a);
  if (!clearance.ok()) return clearance.status();
  ctx.clearance = *std::move(clearance);
  absl::StatusOr<std::vector<MetaPath>> paths = ParseProjectionSpec(
      a.Get("projection", "co-offending,vehicles,addresses,associates,co-travel"));
  if (!paths.ok()) return paths.status();
  in.projection_options.paths = std::move(*paths);
  absl::StatusOr<std::int64_t> cap = a.IntIn("hub-cap", 250, 0, kMaxInt64);
  if (!cap.ok()) return cap.status();
  in.projection_options.hub_cap = static_cast<std::uint64_t>(*cap);
  // Edge times are unsigned 32-bit seconds: 1970-01-01 .. 2106-02-07.
  for (const char* name : {"from", "to"}) {
    absl::StatusOr<std::optional<std::int64_t>> t = a.Time(name);
    if (!t.ok()) return t.status();
    if (!*t) continue;
    if (**t < 0 || **t > kMaxUint32) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", name, " must lie in 1970-01-01T00:00:00Z .. 2106-02-07T06:28:15Z (Unix seconds "
          "0 .. 4294967295), got '", a.Get(name), "'"));
    }
    (std::string_view(name) == "from" ? in.projection_options.time_from
                                      : in.projection_options.time_to) =
        static_cast<EdgeTime>(**t);
  }
  return in;
}

// Loads the graph that ParseNetworkOptions's `in` describes: the --edges file, or the snapshot
// projected onto people. Errors are the loader's and the projection's (a missing or damaged
// file, a malformed edge line: exit code 1, not usage errors).
inline absl::Status LoadNetworkInput(const Args& a, const QueryContext& ctx, NetworkInput& in) {
  if (a.Has("edges")) {
    PlainGraphOptions po;
    po.directed = false;
    po.weighted = a.Has("weighted");
    po.simplify = true;
    absl::StatusOr<PlainGraph> g = PlainGraph::LoadEdgeList(a.Get("edges"), po, ctx.threads);
    if (!g.ok()) return g.status();
    absl::StatusOr<WeightedGraph> w = WeightedGraph::FromPlain(*g, ctx.threads);
    if (!w.ok()) return w.status();
    in.plain = std::move(*g);
    in.graph = std::move(*w);
    return absl::OkStatus();
  }
  absl::StatusOr<std::shared_ptr<const Graph>> snap = OpenForCli(a.positionals()[0]);
  if (!snap.ok()) return snap.status();
  in.snapshot = *snap;
  absl::StatusOr<Projection> p = ProjectPersons(*in.snapshot, in.projection_options, ctx);
  if (!p.ok()) return p.status();
  in.graph = p->graph;
  in.projection = std::move(*p);
  return absl::OkStatus();
}

}  // namespace polegraph::tools

#endif  // POLEGRAPH_TOOLS_POLEGRAPH_NETWORK_INPUT_H_
