// QueryContext validation and the between-rounds check (include/polegraph/query.h).
#include "polegraph/query.h"

#include "absl/strings/str_cat.h"

namespace polegraph {

absl::Status QueryContext::Validate() const {
  if (threads < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("QueryContext.threads must be at least 1, got ", threads));
  }
  return absl::OkStatus();
}

absl::Status QueryContext::Check() const {
  if (cancel != nullptr && cancel->cancelled()) {
    return absl::CancelledError("query cancelled by the caller");
  }
  if (deadline != absl::InfiniteFuture() && absl::Now() >= deadline) {
    return absl::DeadlineExceededError(
        absl::StrCat("query passed its deadline (", absl::FormatTime(deadline), ")"));
  }
  return absl::OkStatus();
}

}  // namespace polegraph
