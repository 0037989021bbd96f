// polegraph — the command-line tool. `polegraph help` lists the sub-commands.
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

#include "common/cli.h"
#include "common/last_resort.h"
#include "graph/pages.h"
#include "polegraph/commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* usage;
};

constexpr Command kCommands[] = {
    {"ingest", polegraph::tools::RunIngest,
     "ingest FILE... --out G.pg [--threads T] [--salvage] [--text]"},
    {"info", polegraph::tools::RunInfo, "info G.pg [--text]"},
    {"show", polegraph::tools::RunShow,
     "show G.pg KIND:KEY [--limit N] [--clearance LEVEL] [--caveats C,...] [--forces F,...] "
     "[--text]"},
    {"neighbours", polegraph::tools::RunNeighbours,
     "neighbours G.pg --from K:K[,K:K...] --hops K [filters]"},
    {"path", polegraph::tools::RunPath,
     "path G.pg --from A --to B [--max-hops K] [--all | --k N | --time-respecting] [filters]"},
    {"network", polegraph::tools::RunNetwork,
     "network G.pg --subjects A,B,C --max-hops K [filters]"},
    {"linked-offences", polegraph::tools::RunLinkedOffences,
     "linked-offences G.pg --offence K:K --max-hops K [filters]"},
    {"graphalytics", polegraph::tools::RunGraphalytics,
     "graphalytics --vertices G.v --edges G.e [--directed] [--weighted] --algorithm "
     "bfs|wcc|cdlp|pr|lcc|sssp [--source ID] [--iterations N] [--damping D] --out RESULT "
     "[--threads T]"},
    {"communities", polegraph::tools::RunCommunities,
     "communities (G.pg [--projection SPEC] [--hub-cap N] [--clearance LEVEL] [--caveats C,...] "
     "[--forces F,...] [--from TIME] [--to TIME] | --edges FILE [--weighted]) [--algorithm "
     "leiden|louvain|lpa|wcc] [--resolution R] [--seed N] [--threads T] [--min-size N] [--top N] "
     "[--explain]"},
    {"centrality", polegraph::tools::RunCentrality,
     "centrality (G.pg [--projection SPEC] [--hub-cap N] [--clearance LEVEL] [--caveats C,...] "
     "[--forces F,...] [--from TIME] [--to TIME] | --edges FILE [--weighted]) --measure "
     "betweenness|pagerank|degree|closeness|harmonic [--samples N] [--seed N] [--tolerance T] "
     "[--top N] [--threads T]"},
    {"convoys", polegraph::tools::RunConvoys,
     "convoys G.pg [--window 90s] [--occasion-gap 30m] [--min-sites 3] [--min-occasions 2] "
     "[--since T --until T] [--min-score S] [--fdr Q] [--uncorrected] [--limit N] "
     "[--derive-out G2.pg] [--clearance LEVEL] [--caveats C,...] [--forces F,...] [--threads T] "
     "[--text]"},
    {"clones", polegraph::tools::RunClones,
     "clones G.pg [--max-speed-kmh 200] [--min-distance-m M] [--since T --until T] "
     "[--no-make-colour] [--clearance LEVEL] [--caveats C,...] [--forces F,...] [--threads T] "
     "[--text]"},
    {"nearby", polegraph::tools::RunNearby,
     "nearby G.pg (--offence KIND:KEY [--margin 30m] | --at LAT,LON --from T --to T) "
     "[--radius M] [--clearance LEVEL] [--caveats C,...] [--forces F,...] [--threads T] "
     "[--text]"},
    {"journey", polegraph::tools::RunJourney,
     "journey G.pg --plate VRM [--from T --to T] [--clearance LEVEL] [--caveats C,...] "
     "[--forces F,...] [--threads T] [--text]"},
    {"misreads", polegraph::tools::RunMisreads,
     "misreads G.pg --plate VRM [--max-substitutions 2] [--no-indel] [--limit 20] "
     "[--clearance LEVEL] [--caveats C,...] [--forces F,...] [--threads T] [--text]"},
};

int Usage(std::ostream& out) {
  out << "usage: polegraph COMMAND ...\n";
  for (const Command& c : kCommands) out << "  polegraph " << c.usage << "\n";
  out << "[filters] include the clearance options; for every command that reads a snapshot:\n"
      << polegraph::tools::kClearanceHelp;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Big kernels fault in far less often with 2 MiB pages (graph/pages.h).
  polegraph::internal::RestartWithMallocHugePages(argv);
  if (argc < 2) return Usage(std::cerr);
  std::string_view name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") {
    Usage(std::cout);
    return 0;
  }
  for (const Command& c : kCommands) {
    if (name != c.name) continue;
    const std::string who = "polegraph " + std::string(name);
    return polegraph::tools::RunReportingExceptions(
        who, "try fewer threads, a smaller input or a larger machine",
        [&] { return c.run(argc - 1, argv + 1); });
  }
  std::cerr << "polegraph: unknown command '" << name << "'\n";
  return Usage(std::cerr);
}
