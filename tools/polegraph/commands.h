// The polegraph CLI's sub-commands, one file each (cmd_<name>.cc). Each takes the arguments
// after "polegraph" (argv[0] is the sub-command name), writes its result to stdout (JSON, or
// text with --text) and errors to stderr, and returns the process exit code.
#ifndef POLEGRAPH_TOOLS_POLEGRAPH_COMMANDS_H_
#define POLEGRAPH_TOOLS_POLEGRAPH_COMMANDS_H_

namespace polegraph::tools {

int RunIngest(int argc, char** argv);
int RunInfo(int argc, char** argv);
int RunShow(int argc, char** argv);
int RunGraphalytics(int argc, char** argv);
int RunNeighbours(int argc, char** argv);
int RunPath(int argc, char** argv);
int RunNetwork(int argc, char** argv);
int RunLinkedOffences(int argc, char** argv);
int RunCommunities(int argc, char** argv);
int RunCentrality(int argc, char** argv);
int RunConvoys(int argc, char** argv);
int RunClones(int argc, char** argv);
int RunNearby(int argc, char** argv);
int RunJourney(int argc, char** argv);
int RunMisreads(int argc, char** argv);

}  // namespace polegraph::tools

#endif  // POLEGRAPH_TOOLS_POLEGRAPH_COMMANDS_H_
