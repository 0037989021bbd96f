// A team of threads entered once and handed many short parallel loops, for algorithms that
// alternate a sequential step with a parallel loop thousands of times (local moving's colour
// classes). Under OMP_WAIT_POLICY=passive an OpenMP region per loop costs two futex hand-overs
// on the critical path: waking the sleeping workers, and at the join the calling thread falling
// asleep when a worker still runs its last chunk, to be woken when it ends. The team never spins
// (a spinning team was tried in session 8 and lost 3x on an oversubscribed machine): a thread
// with nothing to do sleeps on a futex at once (SleepWhile). What it saves is the second hand-over:
// the workers stop taking tasks once `reserve` tasks are left, so the calling thread runs the tail
// itself and usually finds the workers done when it gets to the join (session 9, bench/README.md).
//
// RunTeam(threads, master) opens one OpenMP region; thread 0 runs master(team), the others
// serve. Inside master, team.Run(tasks, f) calls f(j) for every j in [0, tasks): the threads
// take task indices from a shared counter, and Run returns once every task is done, their
// effects visible to thread 0. The hand-over is by release / acquire atomics (a generation
// counter out, a count of working helpers back), so ThreadSanitizer sees the ordering.
//
//   RunTeam(threads, [&](WorkTeam& team) {
//     for (auto& step : steps) { Prepare(step); team.Run(step.tasks, [&](std::size_t j) {...}); }
//   });
//
// Cost per Run: one futex wake when a helper sleeps (a system call on thread 0; the helper
// starts some microseconds later while thread 0 already works), and up to `reserve` tasks run
// by thread 0 alone.
#ifndef POLEGRAPH_LIB_PARALLEL_WORK_TEAM_H_
#define POLEGRAPH_LIB_PARALLEL_WORK_TEAM_H_

#include <omp.h>

#include <atomic>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace polegraph::internal {

// Sleeps while `a` holds `old` (returns at once if it does not; may return spuriously), and
// wakes every thread sleeping on `a`. A futex on Linux, without the checks and sched_yield
// calls std::atomic::wait makes first: a thread that yields on a busy machine goes to the back
// of the run queue, and the waits here are on the critical path of every colour class (with
// std::atomic::wait, Leiden on LFR 10^6 took 2-3x longer than with OpenMP regions beside a
// running build).
inline void SleepWhile(std::atomic<std::uint32_t>& a, std::uint32_t old) {
#if defined(__linux__)
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t));
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&a), FUTEX_WAIT_PRIVATE, old, nullptr,
          nullptr, 0);
#else
  a.wait(old, std::memory_order_seq_cst);
#endif
}
inline void WakeAll(std::atomic<std::uint32_t>& a) {
#if defined(__linux__)
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&a), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr,
          nullptr, 0);
#else
  a.notify_all();
#endif
}

class WorkTeam {
 public:
  // Calls f(j) for every j in [0, tasks) on the team and returns when all are done. Only
  // thread 0 may call it, inside RunTeam's master. Helpers take no task once fewer than
  // `reserve` are left, so thread 0 runs the last ones (and all of them, without waking
  // anyone, when there are no more than `reserve`). f(j) must not depend on which thread
  // runs it for the result to be deterministic.
  template <typename F>
  void Run(std::size_t tasks, F&& f, std::size_t reserve = 2) {
    if (tasks == 0) return;
    if (size_ <= 1 || tasks <= reserve || tasks == 1) {
      for (std::size_t j = 0; j < tasks; ++j) f(j);
      return;
    }
    using Fn = std::remove_reference_t<F>;
    obj_ = const_cast<void*>(static_cast<const void*>(&f));
    call_ = [](void* obj, std::size_t j) { (*static_cast<Fn*>(obj))(j); };
    helper_end_ = tasks - reserve;
    next_.store(0, std::memory_order_relaxed);
    working_.store(static_cast<std::uint32_t>(size_ - 1), std::memory_order_relaxed);
    Publish();
    for (;;) {
      const std::size_t j = next_.fetch_add(1, std::memory_order_relaxed);
      if (j >= tasks) break;
      f(j);
    }
    // A thread going to sleep counts itself first (seq_cst on both sides: either the waker sees
    // the count, or the sleeper sees the new value), so a wake is sent only to a sleeper.
    for (std::uint32_t w; (w = working_.load(std::memory_order_acquire)) != 0;) {
      master_asleep_.store(1, std::memory_order_seq_cst);
      if (working_.load(std::memory_order_seq_cst) == w) SleepWhile(working_, w);
      master_asleep_.store(0, std::memory_order_relaxed);
    }
  }

  // Threads in the team (1 when RunTeam ran without a region).
  int size() const { return size_; }

 private:
  template <typename Master>
  friend void RunTeam(int threads, Master&& master);

  // The loop of threads 1.. of the team: run each published job until stop_ is set.
  void Serve() {
    std::uint32_t seen = 0;
    for (;;) {
      // The next job is published only after every helper has left this one.
      std::uint32_t g;
      while ((g = generation_.load(std::memory_order_acquire)) == seen) {
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        if (generation_.load(std::memory_order_seq_cst) == seen) SleepWhile(generation_, seen);
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
      }
      seen = g;
      if (stop_) return;
      for (std::size_t j = next_.load(std::memory_order_relaxed); j < helper_end_;) {
        if (next_.compare_exchange_weak(j, j + 1, std::memory_order_relaxed)) {
          call_(obj_, j);
          j = next_.load(std::memory_order_relaxed);
        }
      }
      if (working_.fetch_sub(1, std::memory_order_seq_cst) == 1 &&
          master_asleep_.load(std::memory_order_seq_cst) != 0) {
        WakeAll(working_);
      }
    }
  }

  // Releases the job (or the stop) written before it to the helpers, waking those asleep.
  void Publish() {
    generation_.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) != 0) WakeAll(generation_);
  }

  void Stop() {
    stop_ = true;
    Publish();
  }

  int size_ = 1;
  // The job: written by thread 0 before generation_ is released, read by the others after.
  void* obj_ = nullptr;
  void (*call_)(void*, std::size_t) = nullptr;
  std::size_t helper_end_ = 0;  // helpers take tasks below this index
  bool stop_ = false;
  alignas(64) std::atomic<std::uint32_t> generation_{0};  // 32 bits: waited on as a futex
  std::atomic<std::uint32_t> sleepers_{0};                // helpers asleep on generation_
  alignas(64) std::atomic<std::size_t> next_{0};          // the next task to take
  alignas(64) std::atomic<std::uint32_t> working_{0};     // helpers still in the job
  std::atomic<std::uint32_t> master_asleep_{0};           // thread 0 asleep on working_
};

// Runs master(team) on a team of up to `threads` threads: master on thread 0, the others
// serving team.Run. No OpenMP region when threads <= 1 (team.Run is then a plain loop).
template <typename Master>
void RunTeam(int threads, Master&& master) {
  WorkTeam team;
  if (threads <= 1) {
    master(team);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    if (omp_get_thread_num() == 0) {
      team.size_ = omp_get_num_threads();  // read by thread 0 only
      master(team);
      team.Stop();
    } else {
      team.Serve();
    }
  }
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_PARALLEL_WORK_TEAM_H_
