// polegraph centrality (G.pg | --edges FILE [--weighted]) --measure
//     betweenness|pagerank|degree|closeness|harmonic [--samples N] [--seed N] [--tolerance T]
//     [--top N] [--threads T] [--projection SPEC] [--hub-cap N] [--clearance LEVEL] [--from U] [--to U]
//
// Ranks the vertices of a person projection (or a plain edge list) by one centrality measure
// and prints the top N (default 20; 0 = all) as JSON, highest first (ties by vertex id).
// Betweenness with --samples N is the Riondato–Kornaropoulos approximation; the output then
// states the sample count and the error bound (delta 0.1). PageRank runs 100 power iterations,
// or with --tolerance T solves to within T * 0.85 / 0.15 of the exact ranks in L1 (at most
// 1000 steps; the output states the tolerance).
#include <algorithm>
#include <iostream>
#include <numeric>

#include "common/args.h"
#include "common/json.h"
#include "network_input.h"
#include "polegraph/centrality.h"
#include "polegraph/commands.h"

namespace polegraph::tools {

int RunCentrality(int argc, char** argv) {
  Args args;
  DeclareNetworkInput(args);
  args.Option("measure").Option("samples").Option("seed").Option("top").Option("tolerance");
  absl::Status parsed = args.Parse(argc, argv);
  auto usage = [&](const absl::Status& s) {
    std::cerr << "usage: polegraph centrality " << kNetworkInputUsage
              << " --measure betweenness|pagerank|degree|closeness|harmonic [--samples N]"
                 " [--seed N] [--tolerance T] [--top N] [--threads T]\n"
              << kClearanceHelp;
    if (!s.ok()) std::cerr << "polegraph centrality: " << s.message() << "\n";
    return 2;
  };
  if (!parsed.ok()) return usage(parsed);
  if (absl::Status s = CheckNetworkInputShape(args); !s.ok()) return usage(s);
  std::optional<CentralityMeasure> measure = ParseCentralityMeasure(args.Get("measure"));
  if (!measure) {
    return usage(absl::InvalidArgumentError(
        "--measure: use betweenness, pagerank, degree, closeness or harmonic"));
  }
  auto threads = args.IntIn("threads", 1, 1, 1024);
  auto samples = args.IntIn("samples", 0, 0, kMaxInt64);
  auto seed = args.IntIn("seed", 1, 0, kMaxInt64);
  auto top = args.IntIn("top", 20, 0, kMaxInt64);
  auto tolerance = args.Double("tolerance", 0.0);
  for (const absl::Status& s : {threads.status(), samples.status(), seed.status(), top.status(),
                                tolerance.status()}) {
    if (!s.ok()) return usage(s);
  }
  if (*samples > 0 && *measure != CentralityMeasure::kBetweenness) {
    return usage(absl::InvalidArgumentError("--samples applies to --measure betweenness only"));
  }
  if (args.Has("tolerance") && *measure != CentralityMeasure::kPageRank) {
    return usage(absl::InvalidArgumentError("--tolerance applies to --measure pagerank only"));
  }
  if (!(*tolerance >= 0.0 && *tolerance < 1.0)) {
    return usage(absl::InvalidArgumentError("--tolerance must be in [0, 1) (0: 100 iterations)"));
  }
  QueryContext ctx;
  ctx.threads = static_cast<int>(*threads);
  absl::StatusOr<NetworkInput> in = ParseNetworkOptions(args, ctx);
  if (!in.ok()) return usage(in.status());
  if (absl::Status loaded = LoadNetworkInput(args, ctx, *in); !loaded.ok()) {
    std::cerr << "polegraph centrality: " << loaded.message() << "\n";
    return 1;
  }
  const WeightedGraph& g = in->graph;
  absl::StatusOr<std::vector<double>> values;
  std::optional<SampledBetweenness> sampled;
  switch (*measure) {
    case CentralityMeasure::kDegree:
      values = DegreeCentrality(g, true, ctx);
      break;
    case CentralityMeasure::kPageRank:
      if (*tolerance == 0.0) {
        values = PageRankCentrality(g, {}, ctx);
      } else {
        PageRankOptions po;
        po.iterations = 1000;
        po.tolerance = *tolerance;
        values = PageRankCentrality(g, po, ctx);
      }
      break;
    case CentralityMeasure::kCloseness:
      values = ClosenessCentrality(g, ctx);
      break;
    case CentralityMeasure::kHarmonic:
      values = HarmonicCentrality(g, ctx);
      break;
    case CentralityMeasure::kBetweenness:
      if (*samples == 0) {
        values = Betweenness(g, ctx);
      } else {
        SampledBetweennessOptions so;
        so.samples = static_cast<std::uint64_t>(*samples);
        so.seed = static_cast<std::uint64_t>(*seed);
        absl::StatusOr<SampledBetweenness> s = ApproximateBetweenness(g, so, ctx);
        if (!s.ok()) {
          values = s.status();
        } else {
          values = s->values;
          sampled = std::move(*s);
        }
      }
      break;
  }
  if (!values.ok()) {
    std::cerr << "polegraph centrality: " << values.status().message() << "\n";
    return 1;
  }
  std::vector<NodeId> order(g.num_nodes());
  std::iota(order.begin(), order.end(), NodeId{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](NodeId a, NodeId b) { return (*values)[a] > (*values)[b]; });
  if (*top > 0 && order.size() > static_cast<std::size_t>(*top)) {
    order.resize(static_cast<std::size_t>(*top));
  }
  JsonWriter j(std::cout);
  j.BeginObject();
  j.Field("measure", CentralityMeasureName(*measure));
  j.Field("vertices", static_cast<std::uint64_t>(g.num_nodes()));
  j.Field("edges", static_cast<std::uint64_t>(g.num_edges()));
  if (sampled) {
    j.Field("samples", sampled->samples);
    j.Key("epsilon");
    j.Double(sampled->epsilon, 12);
    j.Key("epsilon_absolute");
    j.Double(sampled->epsilon_absolute, 12);
    j.Key("delta");
    j.Double(sampled->delta, 12);
  }
  if (*tolerance > 0.0) {
    j.Key("tolerance");
    j.Double(*tolerance, 12);
  }
  j.Key("top");
  j.BeginArray();
  for (NodeId v : order) {
    j.BeginObject();
    j.Key("key");
    in->WriteVertex(v, j);
    j.Key("value");
    j.Double((*values)[v], 12);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  j.Newline();
  return 0;
}

}  // namespace polegraph::tools
