// polegraph/query.h — the per-call context every analysis takes (DESIGN.md §3): how many
// threads it may use, when it must give up (deadline, cancellation), what the caller may see
// (clearance) and who is asking and why (audit identity).
//
// Algorithms call Check() between rounds (a BFS level, a PageRank iteration, a label
// propagation sweep) and return its error unchanged, so a cancelled or late query stops
// within one round and reports kCancelled or kDeadlineExceeded. A CancellationToken may be
// shared between the caller and any number of running queries; Cancel() is safe from any
// thread.
//
// Example:
//   auto token = std::make_shared<polegraph::CancellationToken>();
//   polegraph::QueryContext ctx{.threads = 4,
//                               .deadline = absl::Now() + absl::Seconds(30),
//                               .cancel = token,
//                               .user = "DC 1234",
//                               .purpose = "Op KESTREL link chart"};
//   if (absl::Status s = ctx.Validate(); !s.ok()) return s;
//   // ... on another thread, when the analyst presses Stop: token->Cancel();
//   absl::StatusOr<std::vector<std::int64_t>> depth =
//       polegraph::graphalytics::Bfs(graph, source, ctx);   // kCancelled if stopped
#ifndef POLEGRAPH_QUERY_H_
#define POLEGRAPH_QUERY_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "polegraph/types.h"

namespace polegraph {

// A one-way flag: once cancelled, always cancelled. Thread-safe.
class CancellationToken {
 public:
  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

struct QueryContext {
  int threads = 1;                               // worker threads, >= 1
  absl::Time deadline = absl::InfiniteFuture();  // give up after this instant
  std::shared_ptr<CancellationToken> cancel;     // optional; null = cannot be cancelled
  Clearance clearance;                           // what the caller may see
  std::string user;                              // audit: who asked
  std::string purpose;                           // audit: why

  // InvalidArgument when a field is out of range (threads < 1). Algorithms call it before
  // any work starts.
  absl::Status Validate() const;

  // kCancelled when the token has been cancelled, kDeadlineExceeded when the deadline has
  // passed, OK otherwise. Cheap (one atomic load and one clock read): call between rounds.
  absl::Status Check() const;
};

}  // namespace polegraph

#endif  // POLEGRAPH_QUERY_H_
