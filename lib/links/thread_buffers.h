// Per-thread output buffers for the link analyses, concatenated in thread order afterwards.
// Like internal::FrontierBuffers (parallel/frontier.h), but the concatenation only opens a
// parallel region when there is enough to copy: link queries are mostly small, and an OpenMP
// region per BFS level costs more than the level itself on a busy machine.
#ifndef POLEGRAPH_LIB_LINKS_THREAD_BUFFERS_H_
#define POLEGRAPH_LIB_LINKS_THREAD_BUFFERS_H_

#include <algorithm>
#include <cstddef>
#include <vector>

#include "parallel/parallel.h"

namespace polegraph::links_internal {

template <typename T>
class ThreadBuffers {
 public:
  explicit ThreadBuffers(int threads) : locals_(threads) {}
  // The calling thread's buffer (inside a ParallelFor body, or outside any region).
  std::vector<T>& local() { return locals_.local(); }
  // Replaces `out` with the buffers' concatenation in thread order and clears them. The
  // buffers keep their capacity, so a reused object stops allocating once it has grown.
  void Collect(std::vector<T>& out, int threads) {
    std::vector<std::size_t>& at = at_;  // kept: a traversal collects once per level
    at.assign(locals_.size() + 1, 0);
    for (std::size_t t = 0; t < locals_.size(); ++t) at[t + 1] = at[t] + locals_[t].size();
    out.resize(at.back());
    const int copiers = at.back() < (std::size_t{1} << 16) ? 1 : threads;
    internal::ParallelFor(
        0, locals_.size(), copiers,
        [&](std::size_t t) {
          std::copy(locals_[t].begin(), locals_[t].end(),
                    out.begin() + static_cast<std::ptrdiff_t>(at[t]));
          locals_[t].clear();
        },
        /*grain=*/1);
  }

 private:
  internal::PerThread<std::vector<T>> locals_;
  std::vector<std::size_t> at_;
};

}  // namespace polegraph::links_internal

#endif  // POLEGRAPH_LIB_LINKS_THREAD_BUFFERS_H_
