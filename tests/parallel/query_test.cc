// QueryContext: validation and the between-rounds check (cancellation, deadline).
#include "polegraph/query.h"

#include <catch2/catch.hpp>
#include <memory>
#include <thread>

#include "absl/time/clock.h"

using polegraph::CancellationToken;
using polegraph::QueryContext;

TEST_CASE("A default QueryContext is valid and never stops", "[query]") {
  QueryContext ctx;
  CHECK(ctx.threads == 1);
  CHECK(ctx.Validate().ok());
  CHECK(ctx.Check().ok());
}

TEST_CASE("Validate rejects fewer than one thread", "[query]") {
  QueryContext ctx;
  ctx.threads = 0;
  absl::Status s = ctx.Validate();
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  CHECK(s.message().find("threads") != absl::string_view::npos);
  ctx.threads = -3;
  CHECK(ctx.Validate().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("Check reports cancellation from another thread", "[query]") {
  auto token = std::make_shared<CancellationToken>();
  QueryContext ctx;
  ctx.cancel = token;
  CHECK(ctx.Check().ok());
  std::thread t([token] { token->Cancel(); });
  t.join();
  CHECK(token->cancelled());
  CHECK(ctx.Check().code() == absl::StatusCode::kCancelled);
  // Cancellation wins over a passed deadline, and stays.
  ctx.deadline = absl::Now() - absl::Seconds(1);
  CHECK(ctx.Check().code() == absl::StatusCode::kCancelled);
}

TEST_CASE("Check reports a passed deadline", "[query]") {
  QueryContext ctx;
  ctx.deadline = absl::Now() + absl::Hours(1);
  CHECK(ctx.Check().ok());
  ctx.deadline = absl::Now() - absl::Milliseconds(1);
  CHECK(ctx.Check().code() == absl::StatusCode::kDeadlineExceeded);
}
