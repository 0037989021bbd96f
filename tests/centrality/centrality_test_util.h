// Shared by the centrality and networks tests.
#ifndef POLEGRAPH_TESTS_CENTRALITY_CENTRALITY_TEST_UTIL_H_
#define POLEGRAPH_TESTS_CENTRALITY_CENTRALITY_TEST_UTIL_H_

#include "polegraph/query.h"

namespace polegraph::testing {

// A QueryContext with `t` threads and the defaults otherwise.
inline QueryContext Threads(int t) {
  QueryContext ctx;
  ctx.threads = t;
  return ctx;
}

}  // namespace polegraph::testing

#endif  // POLEGRAPH_TESTS_CENTRALITY_CENTRALITY_TEST_UTIL_H_
