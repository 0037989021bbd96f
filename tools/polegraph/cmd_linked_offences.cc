// polegraph linked-offences G.pg --offence K:K --max-hops K [filters] [--text]
//
// Other offences linked to an offence through people, vehicles, plates or locations, ranked
// by distance and then by number of shortest paths, each with one explaining path.
#include <iostream>

#include "absl/strings/str_format.h"
#include "common/json.h"
#include "polegraph/commands.h"
#include "polegraph/links_cli.h"

namespace polegraph::tools {

int RunLinkedOffences(int argc, char** argv) {
  constexpr const char* kName = "linked-offences";
  Args args;
  args.Option("offence").Option("max-hops");
  AddLinkOptions(args);
  if (absl::Status s = args.Parse(argc, argv); !s.ok() || !args.Has("offence")) {
    std::cerr << "usage: polegraph linked-offences G.pg --offence K:K --max-hops K "
              << kLinkFilterUsage << "\n" << kClearanceHelp;
    if (!s.ok()) std::cerr << s.message() << "\n";
    return 2;
  }
  auto max_hops = HopsOption(args, "max-hops", 4);
  if (!max_hops.ok()) return Fail(kName, max_hops.status());
  auto cmd = PrepareLinkCommand(args, "linked-offences");
  if (!cmd.ok()) return Fail(kName, cmd.status());
  const Graph& g = *cmd->graph;
  auto offence = ResolveEntities(g, args.Get("offence"), cmd->ctx.clearance);
  if (!offence.ok()) return Fail(kName, offence.status());
  if (offence->size() != 1) {
    return Fail(kName, absl::InvalidArgumentError("--offence names one offence"));
  }

  LinkedOffencesOptions opt;
  opt.max_hops = static_cast<std::uint32_t>(*max_hops);
  opt.filter = cmd->filter;
  auto r = LinkedOffences(g, (*offence)[0], opt, cmd->ctx);
  if (!r.ok()) return Fail(kName, r.status());
  if (args.Has("text")) {
    std::cout << absl::StrFormat("%d linked offences\n", r->offences.size());
    for (const LinkedOffence& o : r->offences) {
      std::cout << absl::StrFormat("  %-40s %d hops, %s shortest paths\n", o.name, o.hops,
                                   o.paths.ToString());
    }
    PrintChartText(r->chart, std::cout);
    return 0;
  }
  JsonWriter j(std::cout);
  j.BeginObject();
  j.Field("offence", g.Name((*offence)[0]));
  j.Field("max_hops", *max_hops);
  j.Key("offences");
  j.BeginArray();
  for (const LinkedOffence& o : r->offences) {
    j.BeginObject();
    j.Field("id", o.name);
    j.Field("hops", o.hops);
    j.Field("shortest_paths", o.paths.ToString());  // decimal string: may exceed 64 bits
    j.Key("explanation");
    j.BeginArray();
    for (const std::string& name : o.explanation.names) j.String(name);
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();
  WriteChartJson(r->chart, j);
  j.EndObject();
  j.Newline();
  return 0;
}

}  // namespace polegraph::tools
