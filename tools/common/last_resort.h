// The last resort of the programs' main(): the library reports errors as absl::Status, but
// running out of memory throws std::bad_alloc (on the calling thread even when a worker thread
// met it, parallel.h). RunReportingExceptions turns it, or any other exception that got this
// far, into a message on stderr and exit code 1 instead of std::terminate (an abort, and no
// destructors run: temporary files left behind).
#ifndef POLEGRAPH_TOOLS_COMMON_LAST_RESORT_H_
#define POLEGRAPH_TOOLS_COMMON_LAST_RESORT_H_

#include <exception>
#include <iostream>
#include <new>
#include <string_view>

namespace polegraph::tools {

// Returns run()'s exit code; on std::bad_alloc prints "<who>: out of memory (<hint>)", on
// another exception "<who>: internal error: <what>", and returns 1.
template <typename Run>
int RunReportingExceptions(std::string_view who, std::string_view hint, Run&& run) {
  try {
    return run();
  } catch (const std::bad_alloc&) {
    std::cerr << who << ": out of memory (" << hint << ")\n";
  } catch (const std::exception& e) {
    std::cerr << who << ": internal error: " << e.what() << "\n";
  }
  return 1;
}

}  // namespace polegraph::tools

#endif  // POLEGRAPH_TOOLS_COMMON_LAST_RESORT_H_
