// polegraph neighbours G.pg --from K:K[,K:K...] --hops K [filters] [--text]
//
// The k-hop neighbourhood of one or more entities: every node within --hops (with its
// distance) and the edges among them, each with kind, time and provenance.
#include <iostream>

#include "common/json.h"
#include "polegraph/commands.h"
#include "polegraph/links_cli.h"

namespace polegraph::tools {

int RunNeighbours(int argc, char** argv) {
  constexpr const char* kName = "neighbours";
  Args args;
  args.Option("from").Option("hops");
  AddLinkOptions(args);
  if (absl::Status s = args.Parse(argc, argv); !s.ok() || !args.Has("from")) {
    std::cerr << "usage: polegraph neighbours G.pg --from K:K[,K:K...] --hops K "
              << kLinkFilterUsage << "\n" << kClearanceHelp;
    if (!s.ok()) std::cerr << s.message() << "\n";
    return 2;
  }
  auto hops = HopsOption(args, "hops", 1);
  if (!hops.ok()) return Fail(kName, hops.status());
  auto cmd = PrepareLinkCommand(args, "neighbours");
  if (!cmd.ok()) return Fail(kName, cmd.status());
  const Graph& g = *cmd->graph;
  auto from = ResolveEntities(g, args.Get("from"), cmd->ctx.clearance);
  if (!from.ok()) return Fail(kName, from.status());

  NeighbourhoodOptions opt;
  opt.hops = static_cast<std::uint32_t>(*hops);
  opt.filter = cmd->filter;
  auto chart = Neighbourhood(g, *from, opt, cmd->ctx);
  if (!chart.ok()) return Fail(kName, chart.status());
  if (args.Has("text")) {
    PrintChartText(*chart, std::cout);
    return 0;
  }
  JsonWriter j(std::cout);
  j.BeginObject();
  j.Field("hops", *hops);
  WriteChartJson(*chart, j);
  j.EndObject();
  j.Newline();
  return 0;
}

}  // namespace polegraph::tools
