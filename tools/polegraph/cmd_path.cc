// polegraph path G.pg --from A --to B [--max-hops K] [--all | --k N] [--time-respecting]
//                [filters] [--text]
//
// How two entities are linked: one shortest path (default), every shortest path (--all:
// exact count, the first --max-results listed), the N shortest simple paths (--k N), or the
// earliest-arriving path whose edge times never go backwards (--time-respecting).
#include <iostream>

#include "common/format.h"
#include "common/json.h"
#include "polegraph/commands.h"
#include "polegraph/links_cli.h"

namespace polegraph::tools {

int RunPath(int argc, char** argv) {
  constexpr const char* kName = "path";
  Args args;
  args.Option("from").Option("to").Option("max-hops").Option("k");
  args.Flag("all").Flag("time-respecting");
  AddLinkOptions(args);
  absl::Status parsed = args.Parse(argc, argv);
  const int modes = args.Has("all") + args.Has("k") + args.Has("time-respecting");
  if (!parsed.ok() || !args.Has("from") || !args.Has("to") || modes > 1) {
    std::cerr << "usage: polegraph path G.pg --from A --to B [--max-hops K] "
                 "[--all | --k N | --time-respecting] "
              << kLinkFilterUsage << "\n" << kClearanceHelp;
    if (!parsed.ok()) std::cerr << parsed.message() << "\n";
    if (modes > 1) std::cerr << "--all, --k and --time-respecting exclude each other\n";
    return 2;
  }
  auto max_hops = args.IntIn("max-hops", 6, 0, kMaxInt32);
  auto k = args.IntIn("k", 3, 1, kMaxInt64);
  if (!max_hops.ok()) return Fail(kName, max_hops.status());
  if (!k.ok()) return Fail(kName, k.status());
  auto cmd = PrepareLinkCommand(args, "path");
  if (!cmd.ok()) return Fail(kName, cmd.status());
  const Graph& g = *cmd->graph;
  auto from = ResolveEntities(g, args.Get("from"), cmd->ctx.clearance);
  if (!from.ok()) return Fail(kName, from.status());
  auto to = ResolveEntities(g, args.Get("to"), cmd->ctx.clearance);
  if (!to.ok()) return Fail(kName, to.status());
  if (from->size() != 1 || to->size() != 1) {
    return Fail(kName, absl::InvalidArgumentError("--from and --to name one entity each"));
  }

  PathOptions opt;
  opt.filter = cmd->filter;
  opt.max_hops = static_cast<std::uint32_t>(*max_hops);
  opt.k = static_cast<std::size_t>(*k);
  const NodeId a = (*from)[0], b = (*to)[0];
  LinkChart chart;
  std::uint32_t hops = kUnreached;
  std::string count, mode = "shortest";
  std::int64_t departure = 0, arrival = 0;
  if (args.Has("time-respecting")) {
    mode = "time-respecting";
    auto r = TimeRespectingPath(g, a, b, opt, cmd->ctx);
    if (!r.ok()) return Fail(kName, r.status());
    chart = std::move(r->chart);
    hops = r->hops;
    departure = r->departure;
    arrival = r->arrival;
  } else {
    absl::StatusOr<PathResult> r;
    if (args.Has("all")) {
      mode = "all-shortest";
      r = AllShortestPaths(g, a, b, opt, cmd->ctx);
    } else if (args.Has("k")) {
      mode = "k-shortest";
      r = KShortestPaths(g, a, b, opt, cmd->ctx);
    } else {
      r = ShortestPath(g, a, b, opt, cmd->ctx);
    }
    if (!r.ok()) return Fail(kName, r.status());
    chart = std::move(r->chart);
    hops = r->hops;
    if (args.Has("all")) count = r->count.ToString();
  }
  if (args.Has("text")) {
    if (hops == kUnreached) {
      std::cout << "no path within " << *max_hops << " hops\n";
      return 0;
    }
    if (!count.empty()) std::cout << "shortest paths: " << count << " of " << hops << " hops\n";
    if (arrival != 0) {
      std::cout << "departs " << FormatUtc(departure) << ", arrives " << FormatUtc(arrival) << "\n";
    }
    PrintChartText(chart, std::cout);
    return 0;
  }
  JsonWriter j(std::cout);
  j.BeginObject();
  j.Field("mode", mode);
  j.Field("from", g.Name(a));
  j.Field("to", g.Name(b));
  j.Field("found", hops != kUnreached);
  if (hops != kUnreached) j.Field("hops", hops);
  if (!count.empty()) j.Field("count", count);  // decimal string: may exceed 64 bits
  if (mode == "time-respecting" && hops != kUnreached) {
    j.Field("departure", FormatUtc(departure));
    j.Field("arrival", FormatUtc(arrival));
  }
  WriteChartJson(chart, j);
  j.EndObject();
  j.Newline();
  return 0;
}

}  // namespace polegraph::tools
