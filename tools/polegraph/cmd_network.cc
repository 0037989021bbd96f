// polegraph network G.pg --subjects A,B,C --max-hops K [filters] [--text]
//
// The network connecting a set of subjects: every node and edge on a walk of at most K hops
// between two of them, and the subjects that stay unconnected.
#include <iostream>

#include "common/json.h"
#include "polegraph/commands.h"
#include "polegraph/links_cli.h"

namespace polegraph::tools {

int RunNetwork(int argc, char** argv) {
  constexpr const char* kName = "network";
  Args args;
  args.Option("subjects").Option("max-hops");
  AddLinkOptions(args);
  if (absl::Status s = args.Parse(argc, argv); !s.ok() || !args.Has("subjects")) {
    std::cerr << "usage: polegraph network G.pg --subjects A,B,C --max-hops K "
              << kLinkFilterUsage << "\n" << kClearanceHelp;
    if (!s.ok()) std::cerr << s.message() << "\n";
    return 2;
  }
  auto max_hops = HopsOption(args, "max-hops", 4);
  if (!max_hops.ok()) return Fail(kName, max_hops.status());
  auto cmd = PrepareLinkCommand(args, "network");
  if (!cmd.ok()) return Fail(kName, cmd.status());
  const Graph& g = *cmd->graph;
  auto subjects = ResolveEntities(g, args.Get("subjects"), cmd->ctx.clearance);
  if (!subjects.ok()) return Fail(kName, subjects.status());

  NetworkOptions opt;
  opt.max_hops = static_cast<std::uint32_t>(*max_hops);
  opt.filter = cmd->filter;
  auto r = ConnectingNetwork(g, *subjects, opt, cmd->ctx);
  if (!r.ok()) return Fail(kName, r.status());
  if (args.Has("text")) {
    for (NodeId s : r->unconnected) std::cout << "unconnected: " << g.Name(s) << "\n";
    PrintChartText(r->chart, std::cout);
    return 0;
  }
  JsonWriter j(std::cout);
  j.BeginObject();
  j.Field("max_hops", *max_hops);
  j.Key("subjects");
  j.BeginArray();
  for (NodeId s : r->subjects) j.String(g.Name(s));
  j.EndArray();
  j.Key("unconnected");
  j.BeginArray();
  for (NodeId s : r->unconnected) j.String(g.Name(s));
  j.EndArray();
  WriteChartJson(r->chart, j);
  j.EndObject();
  j.Newline();
  return 0;
}

}  // namespace polegraph::tools
