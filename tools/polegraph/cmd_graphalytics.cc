// polegraph graphalytics: the LDBC Graphalytics driver. Loads a .v/.e graph, runs one
// kernel, writes the result file ("id value" lines in .v order) and reports the load and
// processing times separately as JSON on stderr (the benchmark's T_l and T_p).
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/args.h"
#include "common/cli.h"
#include "common/json.h"
#include "polegraph/commands.h"
#include "polegraph/graphalytics.h"
#include "polegraph/plain_graph.h"
#include "polegraph/query.h"

namespace polegraph::tools {
namespace {

namespace ga = polegraph::graphalytics;

constexpr const char* kName = "graphalytics";
using Result = std::variant<std::vector<std::int64_t>, std::vector<double>>;

struct Params {
  ga::Algorithm algorithm = ga::Algorithm::kBfs;
  std::optional<std::int64_t> source;
  int iterations = 10;
  double damping = 0.85;
};

absl::StatusOr<Result> Run(const PlainGraph& g, const Params& p, const QueryContext& ctx) {
  NodeId source = 0;
  if (p.algorithm == ga::Algorithm::kBfs || p.algorithm == ga::Algorithm::kSssp) {
    if (!p.source) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--algorithm ", std::string(ga::AlgorithmName(p.algorithm)), " needs --source ID"));
    }
    std::optional<NodeId> s = g.Find(*p.source);
    if (!s) {
      return absl::InvalidArgumentError(
          absl::StrCat("--source ", *p.source, " is not a vertex of the graph"));
    }
    source = *s;
  }
  auto wrap = [](auto r) -> absl::StatusOr<Result> {
    if (!r.ok()) return r.status();
    return Result(*std::move(r));
  };
  switch (p.algorithm) {
    case ga::Algorithm::kBfs:
      return wrap(ga::Bfs(g, source, ctx));
    case ga::Algorithm::kWcc:
      return wrap(ga::Wcc(g, ctx));
    case ga::Algorithm::kCdlp:
      return wrap(ga::Cdlp(g, p.iterations, ctx));
    case ga::Algorithm::kPageRank:
      return wrap(ga::PageRank(g, p.iterations, p.damping, ctx));
    case ga::Algorithm::kLcc:
      return wrap(ga::Lcc(g, ctx));
    case ga::Algorithm::kSssp:
      return wrap(ga::Sssp(g, source, ctx));
  }
  return absl::InternalError("unknown algorithm");
}

}  // namespace

int RunGraphalytics(int argc, char** argv) {
  Args a;
  a.Option("vertices").Option("edges").Option("algorithm").Option("source");
  a.Option("iterations").Option("damping").Option("out").Option("threads");
  a.Flag("directed").Flag("weighted");
  if (absl::Status s = a.Parse(argc, argv); !s.ok()) return Fail(kName, s);
  if (!a.positionals().empty()) {
    return Fail(kName, absl::InvalidArgumentError(
                           absl::StrCat("unexpected argument '", a.positionals()[0], "'")));
  }
  for (const char* required : {"vertices", "edges", "algorithm", "out"}) {
    if (!a.Has(required)) {
      return Fail(kName, absl::InvalidArgumentError(absl::StrCat("--", required, " is required")));
    }
  }
  Params p;
  std::optional<ga::Algorithm> alg = ga::ParseAlgorithm(a.Get("algorithm"));
  if (!alg) {
    return Fail(kName, absl::InvalidArgumentError(absl::StrCat(
                           "--algorithm must be one of bfs, wcc, cdlp, pr, lcc, sssp; got '",
                           a.Get("algorithm"), "'")));
  }
  p.algorithm = *alg;
  if (a.Has("source")) {
    absl::StatusOr<std::int64_t> s = a.Int("source", 0);
    if (!s.ok()) return Fail(kName, s.status());
    p.source = *s;
  }
  absl::StatusOr<std::int64_t> iterations = a.Int("iterations", 10);
  if (!iterations.ok()) return Fail(kName, iterations.status());
  if (*iterations < 0 || *iterations > 1'000'000) {
    return Fail(kName, absl::InvalidArgumentError("--iterations must be in [0, 1000000]"));
  }
  p.iterations = static_cast<int>(*iterations);
  absl::StatusOr<double> damping = a.Double("damping", 0.85);
  if (!damping.ok()) return Fail(kName, damping.status());
  p.damping = *damping;
  absl::StatusOr<std::int64_t> threads = a.Int("threads", 1);
  if (!threads.ok()) return Fail(kName, threads.status());
  if (*threads < 1 || *threads > 1024) {
    return Fail(kName, absl::InvalidArgumentError("--threads must be in [1, 1024]"));
  }
  QueryContext ctx;
  ctx.threads = static_cast<int>(*threads);
  ctx.user = "cli";
  ctx.purpose = "graphalytics";
  PlainGraphOptions options{.directed = a.Has("directed"), .weighted = a.Has("weighted")};
  if (p.algorithm == ga::Algorithm::kSssp && !options.weighted) {
    return Fail(kName, absl::InvalidArgumentError("--algorithm sssp needs --weighted"));
  }

  absl::Time t0 = absl::Now();
  absl::StatusOr<PlainGraph> g =
      PlainGraph::LoadGraphalytics(a.Get("vertices"), a.Get("edges"), options, ctx.threads);
  if (!g.ok()) return Fail(kName, g.status());
  absl::Time t1 = absl::Now();
  absl::StatusOr<Result> result = Run(*g, p, ctx);
  if (!result.ok()) return Fail(kName, result.status());
  absl::Time t2 = absl::Now();
  absl::Status written = std::visit(
      [&](const auto& values) { return ga::WriteResult(a.Get("out"), *g, values); }, *result);
  if (!written.ok()) return Fail(kName, written);
  absl::Time t3 = absl::Now();

  JsonWriter j(std::cerr);
  j.BeginObject();
  j.Field("algorithm", ga::AlgorithmName(p.algorithm));
  j.Field("vertices", static_cast<std::uint64_t>(g->num_nodes()));
  j.Field("edges", static_cast<std::uint64_t>(g->num_edges()));
  j.Field("directed", options.directed);
  j.Field("weighted", options.weighted);
  j.Field("threads", ctx.threads);
  j.Key("load_seconds");
  j.Double(absl::ToDoubleSeconds(t1 - t0), 9);
  j.Key("processing_seconds");
  j.Double(absl::ToDoubleSeconds(t2 - t1), 9);
  j.Key("output_seconds");
  j.Double(absl::ToDoubleSeconds(t3 - t2), 9);
  j.Field("out", a.Get("out"));
  j.EndObject();
  j.Newline();
  return 0;
}

}  // namespace polegraph::tools
