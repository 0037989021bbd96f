// polegraph communities (G.pg | --edges FILE [--weighted]) [--algorithm leiden|louvain|lpa|wcc]
//     [--projection SPEC] [--resolution R] [--seed N] [--threads T] [--min-size N] [--top N]
//     [--hub-cap N] [--clearance LEVEL] [--caveats C,...] [--forces F,...] [--from TIME]
//     [--to TIME] [--explain]
//
// Detects communities in a person projection of a snapshot (or a plain edge list) and reports
// them as JSON: modularity, then per community (largest first) its members, size, density,
// the offences its members are linked to, key players (highest betweenness inside the
// community) and brokers (cut vertices of the community, then members linked outside it).
// --explain adds each community's internal links with the snapshot edges (and their source
// records) that make them.
#include <cmath>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/args.h"
#include "common/format.h"
#include "common/graph_report.h"
#include "common/json.h"
#include "network_input.h"
#include "polegraph/commands.h"

namespace polegraph::tools {
namespace {

// "links": every link inside the community with its weight and the snapshot edges behind it
// (kind, endpoints, time, label, source record).
void WriteLinks(const NetworkInput& in, const std::vector<std::uint32_t>& community,
                const CommunitySummary& s, JsonWriter& j) {
  const Graph& g = *in.snapshot;
  j.Key("links");
  j.BeginArray();
  for (NodeId a : s.members) {
    auto adj = in.graph.neighbours(a);
    for (std::size_t i = 0; i < adj.size(); ++i) {
      const NodeId b = adj[i];
      if (b < a || community[b] != s.id) continue;
      j.BeginObject();
      j.Field("a", g.Name(in.projection->nodes[a]));
      j.Field("b", g.Name(in.projection->nodes[b]));
      j.Key("weight");
      j.Double(in.graph.weights(a)[i], 12);
      j.Key("evidence");
      j.BeginArray();
      for (EdgeId e : in.projection->Explain(a, b)) {
        j.BeginObject();
        j.Field("kind", EdgeKindName(g.edge_kind()[e]));
        j.Field("from", g.Name(g.edge_source(e)));
        j.Field("to", g.Name(g.edge_target(e)));
        j.Field("time", FormatUtc(g.edge_time()[e]));
        j.Field("label", LabelText(g, g.edge_label()[e]));
        j.Field("record", RecordText(g, g.edge_record()[e]));
        j.EndObject();
      }
      j.EndArray();
      j.EndObject();
    }
  }
  j.EndArray();
}

}  // namespace

int RunCommunities(int argc, char** argv) {
  Args args;
  DeclareNetworkInput(args);
  args.Option("algorithm").Option("resolution").Option("seed").Option("min-size").Option("top");
  args.Flag("explain");
  absl::Status parsed = args.Parse(argc, argv);
  auto usage = [&](const absl::Status& s) {
    std::cerr << "usage: polegraph communities " << kNetworkInputUsage
              << " [--algorithm leiden|louvain|lpa|wcc] [--resolution R] [--seed N]"
                 " [--threads T] [--min-size N] [--top N] [--explain]\n"
              << kClearanceHelp;
    if (!s.ok()) std::cerr << "polegraph communities: " << s.message() << "\n";
    return 2;
  };
  if (!parsed.ok()) return usage(parsed);
  if (absl::Status s = CheckNetworkInputShape(args); !s.ok()) return usage(s);
  QueryContext ctx;
  CommunityOptions opt;
  CommunityReportOptions report;
  {
    auto threads = args.IntIn("threads", 1, 1, 1024);
    auto seed = args.IntIn("seed", 1, 0, kMaxInt64);
    auto min_size = args.IntIn("min-size", 1, 1, kMaxUint32);
    auto top = args.IntIn("top", 5, 0, kMaxInt32);
    auto resolution = args.Double("resolution", 1.0);
    for (const absl::Status& s :
         {threads.status(), seed.status(), min_size.status(), top.status(), resolution.status()}) {
      if (!s.ok()) return usage(s);
    }
    // Checked here, before a snapshot is opened and projected (minutes at scale 100), although
    // DetectCommunities checks it too.
    if (!(*resolution > 0.0) || !std::isfinite(*resolution)) {
      return usage(absl::InvalidArgumentError(
          absl::StrCat("--resolution must be finite and > 0, got '", args.Get("resolution"), "'")));
    }
    std::optional<CommunityAlgorithm> alg =
        ParseCommunityAlgorithm(args.Get("algorithm", "leiden"));
    if (!alg)
      return usage(absl::InvalidArgumentError("--algorithm: use leiden, louvain, lpa or wcc"));
    ctx.threads = static_cast<int>(*threads);
    opt.algorithm = *alg;
    opt.seed = static_cast<std::uint64_t>(*seed);
    opt.resolution = *resolution;
    report.min_size = static_cast<std::uint32_t>(*min_size);
    report.top = static_cast<int>(*top);
  }
  absl::StatusOr<NetworkInput> in = ParseNetworkOptions(args, ctx);
  if (!in.ok()) return usage(in.status());
  if (absl::Status loaded = LoadNetworkInput(args, ctx, *in); !loaded.ok()) {
    std::cerr << "polegraph communities: " << loaded.message() << "\n";
    return 1;
  }
  absl::StatusOr<Partition> part = DetectCommunities(in->graph, opt, ctx);
  if (!part.ok()) {
    std::cerr << "polegraph communities: " << part.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<std::vector<CommunitySummary>> summaries =
      SummariseCommunities(in->graph, *part, report, ctx);
  if (!summaries.ok()) {
    std::cerr << "polegraph communities: " << summaries.status().message() << "\n";
    return 1;
  }
  // Each community's offences, found before any output so that an error leaves none.
  std::vector<std::vector<NodeId>> offences(summaries->size());
  if (in->projection) {
    for (std::size_t i = 0; i < summaries->size(); ++i) {
      absl::StatusOr<std::vector<NodeId>> o = CommunityOffences(
          *in->snapshot, *in->projection, (*summaries)[i].members, in->projection_options, ctx);
      if (!o.ok()) {
        std::cerr << "polegraph communities: " << o.status().message() << "\n";
        return 1;
      }
      offences[i] = *std::move(o);
    }
  }
  JsonWriter j(std::cout);
  auto vertices = [&](const std::vector<NodeId>& vs) {
    j.BeginArray();
    for (NodeId v : vs) in->WriteVertex(v, j);
    j.EndArray();
  };
  j.BeginObject();
  j.Field("algorithm", CommunityAlgorithmName(opt.algorithm));
  j.Key("resolution");
  j.Double(opt.resolution, 12);
  j.Field("seed", static_cast<std::uint64_t>(opt.seed));
  j.Field("vertices", static_cast<std::uint64_t>(in->graph.num_nodes()));
  j.Field("edges", static_cast<std::uint64_t>(in->graph.num_edges()));
  j.Key("modularity");
  j.Double(part->modularity, 12);
  j.Field("num_communities", static_cast<std::uint64_t>(part->num_communities));
  if (in->projection) {
    j.Key("skipped_hubs");
    j.BeginArray();
    for (NodeId h : in->projection->skipped_hubs) j.String(in->snapshot->Name(h));
    j.EndArray();
  }
  j.Key("communities");
  j.BeginArray();
  for (std::size_t i = 0; i < summaries->size(); ++i) {
    const CommunitySummary& s = (*summaries)[i];
    j.BeginObject();
    j.Field("id", static_cast<std::uint64_t>(s.id));
    j.Key("members");
    vertices(s.members);
    j.Field("size", static_cast<std::uint64_t>(s.members.size()));
    j.Key("density");
    j.Double(s.density, 12);
    j.Key("offences");
    j.BeginArray();
    for (NodeId o : offences[i]) j.String(in->snapshot->Name(o));
    j.EndArray();
    j.Key("key_players");
    vertices(s.key_players);
    j.Field("key_players_by", s.key_players_by_degree   ? "degree"
                              : s.key_players_estimated ? "betweenness estimated from sampled sources"
                                                        : "betweenness");
    std::vector<NodeId> brokers = s.articulation_points;
    for (NodeId b : s.boundary) {
      if (std::find(brokers.begin(), brokers.end(), b) == brokers.end()) brokers.push_back(b);
    }
    j.Key("brokers");
    vertices(brokers);
    j.Key("articulation_points");
    vertices(s.articulation_points);
    j.Key("boundary");
    vertices(s.boundary);
    if (args.Has("explain") && in->projection) WriteLinks(*in, part->community, s, j);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  j.Newline();
  return 0;
}

}  // namespace polegraph::tools
