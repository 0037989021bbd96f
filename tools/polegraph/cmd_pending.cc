// Sub-commands whose implementation has not landed yet (removed as each cmd_<name>.cc lands).
#include <iostream>

#include "polegraph/commands.h"

namespace polegraph::tools {
namespace {
int Pending(const char* name) {
  std::cerr << "polegraph " << name << ": not available in this build yet\n";
  return 2;
}
}  // namespace
int RunGraphalytics(int, char**) { return Pending("graphalytics"); }
}  // namespace polegraph::tools
