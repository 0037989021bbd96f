// Kernels stop between rounds when the QueryContext is cancelled or past its deadline, and
// reject an invalid context before any work.
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "absl/time/clock.h"
#include "polegraph/graphalytics.h"
#include "test_graphs.h"

namespace ga = polegraph::graphalytics;
using polegraph::CancellationToken;
using polegraph::PlainGraph;
using polegraph::QueryContext;
using polegraph::testing::RandomGraph;

namespace {

// The status code of each of the six kernels under ctx.
std::vector<absl::StatusCode> RunAll(const PlainGraph& g, const QueryContext& ctx) {
  return {ga::Bfs(g, 0, ctx).status().code(),
          ga::Sssp(g, 0, ctx).status().code(),
          ga::Wcc(g, ctx).status().code(),
          ga::Cdlp(g, 3, ctx).status().code(),
          ga::PageRank(g, 3, 0.85, ctx).status().code(),
          ga::Lcc(g, ctx).status().code()};
}

}  // namespace

TEST_CASE("A cancelled context makes every kernel return kCancelled", "[cancel]") {
  PlainGraph g = RandomGraph(500, 3'000, true, true, 1);
  QueryContext ctx;
  ctx.threads = 2;
  ctx.cancel = std::make_shared<CancellationToken>();
  CHECK(RunAll(g, ctx) == std::vector<absl::StatusCode>(6, absl::StatusCode::kOk));
  ctx.cancel->Cancel();
  CHECK(RunAll(g, ctx) == std::vector<absl::StatusCode>(6, absl::StatusCode::kCancelled));
}

TEST_CASE("A passed deadline makes every kernel return kDeadlineExceeded", "[cancel]") {
  PlainGraph g = RandomGraph(500, 3'000, false, true, 2);
  QueryContext ctx;
  ctx.deadline = absl::Now() - absl::Seconds(1);
  CHECK(RunAll(g, ctx) == std::vector<absl::StatusCode>(6, absl::StatusCode::kDeadlineExceeded));
}

TEST_CASE("An invalid context is refused before any work", "[cancel]") {
  PlainGraph g = RandomGraph(50, 100, true, true, 3);
  QueryContext ctx;
  ctx.threads = 0;
  CHECK(RunAll(g, ctx) == std::vector<absl::StatusCode>(6, absl::StatusCode::kInvalidArgument));
}

TEST_CASE("Cancelling a running PageRank stops it within a round", "[cancel]") {
  // 10 million iterations would take minutes; the cancel after 50 ms must stop it early.
  PlainGraph g = RandomGraph(5'000, 40'000, true, false, 4);
  QueryContext ctx;
  ctx.threads = 2;
  ctx.cancel = std::make_shared<CancellationToken>();
  std::thread stopper([token = ctx.cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    token->Cancel();
  });
  auto start = std::chrono::steady_clock::now();
  auto r = ga::PageRank(g, 10'000'000, 0.85, ctx);
  auto elapsed = std::chrono::steady_clock::now() - start;
  stopper.join();
  CHECK(r.status().code() == absl::StatusCode::kCancelled);
  // A loose bound (a loaded 2-core machine, a sanitizer build): the 10 million rounds would
  // take several minutes, so stopping within it still shows the run did not finish first.
  CHECK(elapsed < std::chrono::seconds(60));
}

TEST_CASE("A deadline during CDLP stops it with kDeadlineExceeded", "[cancel]") {
  PlainGraph g = RandomGraph(5'000, 40'000, false, false, 5);
  QueryContext ctx;
  ctx.deadline = absl::Now() + absl::Milliseconds(50);
  auto r = ga::Cdlp(g, 10'000'000, ctx);
  CHECK(r.status().code() == absl::StatusCode::kDeadlineExceeded);
}
