// A team of threads entered once and handed many short parallel loops, for algorithms that
// alternate a sequential step with a parallel loop thousands of times (local moving's colour
// classes). Under OMP_WAIT_POLICY=passive an OpenMP region per loop costs two futex hand-overs:
// waking the sleeping workers, and at the join the calling thread falling asleep until the last
// worker arrives -- also a worker that is still waking up and will find no work left. The team
// never spins (a spinning team was tried in session 8 and lost 3x on an oversubscribed
// machine): a thread with nothing to do sleeps on a futex at once (SleepWhile). What it saves
// is the join: helpers stop taking tasks once `reserve` are left, so the calling thread runs the
// tail itself, then closes the job and waits only for helpers inside a task; a helper that
// wakes after that takes nothing (session 9, bench/HISTORY.md: the calling thread's sleeps in
// one Leiden call on LFR 10^6, 1,737 -> 17).
//
// RunTeam(threads, master) opens one OpenMP region; thread 0 runs master(team), the others
// serve. Inside master, team.Run(tasks, f) calls f(j) for every j in [0, tasks): the threads
// take task indices from a shared ticket (job number, next index), and Run returns once every
// task is done, their effects visible to thread 0. The hand-over is by release / acquire and
// seq_cst atomics, so ThreadSanitizer sees the ordering.
//
//   RunTeam(threads, [&](WorkTeam& team) {
//     for (auto& step : steps) { Prepare(step); team.Run(step.tasks, [&](std::size_t j) {...}); }
//   });
//
// Cost per Run: one futex wake when a helper sleeps (a system call on thread 0; the helper
// starts some microseconds later while thread 0 already works), and up to `reserve` tasks run
// by thread 0 alone.
// Exceptions (parallel.h's rule): a task that throws, on any thread, stops the job (no thread
// takes another of its tasks); Run waits for the helpers inside a task and rethrows the first
// exception on thread 0. One that leaves master stops the team, and RunTeam rethrows it once
// the region is over.
#ifndef POLEGRAPH_LIB_PARALLEL_WORK_TEAM_H_
#define POLEGRAPH_LIB_PARALLEL_WORK_TEAM_H_

#include <omp.h>

#include <atomic>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "parallel/parallel.h"

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
// std::atomic::wait, Leiden on LFR 10^6 took 21-29 s against 8-13 s for OpenMP regions when
// the two ran at the same time beside a build; with the bare futex, about the same).
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
    if (size_ <= 1 || tasks <= reserve || tasks == 1 || tasks >= kClosed) {
      for (std::size_t j = 0; j < tasks; ++j) f(j);
      return;
    }
    using Fn = std::remove_reference_t<F>;
    obj_ = const_cast<void*>(static_cast<const void*>(&f));
    call_ = [](void* obj, std::size_t j) { (*static_cast<Fn*>(obj))(j); };
    helper_end_.store(tasks - reserve, std::memory_order_relaxed);
    const std::uint32_t job = ++job_;
    ticket_.store(std::uint64_t{job} << 32, std::memory_order_release);
    Publish(job);
    try {
      while (!error_.stopped()) {
        const std::uint64_t j = ticket_.fetch_add(1, std::memory_order_acq_rel) & kIndexMask;
        if (j >= tasks) break;
        f(static_cast<std::size_t>(j));
      }
    } catch (...) {
      error_.Catch();
    }
    // Closed: no helper takes a task of this job from here on, so a helper that wakes late
    // finds nothing to do and thread 0 waits only for those inside a task (seq_cst: a helper
    // counts itself in `active_` before it takes a task, so it is either counted here or finds
    // the job closed). A thread going to sleep counts itself first (seq_cst on both sides:
    // either the waker sees the count, or the sleeper sees the new value), so a wake is sent
    // only to a sleeper.
    ticket_.store((std::uint64_t{job} << 32) | kClosed, std::memory_order_seq_cst);
    for (std::uint32_t a; (a = active_.load(std::memory_order_seq_cst)) != 0;) {
      master_asleep_.store(1, std::memory_order_seq_cst);
      if (active_.load(std::memory_order_seq_cst) == a) SleepWhile(active_, a);
      master_asleep_.store(0, std::memory_order_relaxed);
    }
    error_.Rethrow();  // the helpers' Catch came before their count left active_
  }

  // Threads in the team (1 when RunTeam ran without a region).
  int size() const { return size_; }

 private:
  template <typename Master>
  friend void RunTeam(int threads, Master&& master);

  // The loop of threads 1.. of the team: take tasks of each published job until stop_ is set.
  // A helper that wakes after its job was closed (or replaced) takes nothing.
  void Serve() {
    std::uint32_t seen = 0;
    for (;;) {
      std::uint32_t job;
      while ((job = generation_.load(std::memory_order_acquire)) == seen) {
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        if (generation_.load(std::memory_order_seq_cst) == seen) SleepWhile(generation_, seen);
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
      }
      seen = job;
      if (stop_.load(std::memory_order_acquire)) return;
      active_.fetch_add(1, std::memory_order_seq_cst);
      // A task is taken by moving the ticket from (job, j) to (job, j + 1): the move fails once
      // thread 0 has closed or replaced the job, so the helper_end_ read before it (perhaps
      // already the next job's) is used only when it is this job's.
      std::uint64_t t = ticket_.load(std::memory_order_acquire);
      while ((t >> 32) == job && (t & kIndexMask) < helper_end_.load(std::memory_order_relaxed) &&
             !error_.stopped()) {
        if (ticket_.compare_exchange_weak(t, t + 1, std::memory_order_seq_cst,
                                          std::memory_order_acquire)) {
          try {
            call_(obj_, static_cast<std::size_t>(t & kIndexMask));
          } catch (...) {
            error_.Catch();
          }
          t = ticket_.load(std::memory_order_acquire);
        }
      }
      if (active_.fetch_sub(1, std::memory_order_seq_cst) == 1 &&
          master_asleep_.load(std::memory_order_seq_cst) != 0) {
        WakeAll(active_);
      }
    }
  }

  // Releases the job (or the stop) written before it to the helpers, waking those asleep.
  void Publish(std::uint32_t job) {
    generation_.store(job, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) != 0) WakeAll(generation_);
  }

  void Stop() {
    stop_.store(true, std::memory_order_release);
    Publish(++job_);
  }

  // Task indices are the low 32 bits of the ticket, the job number the high ones.
  static constexpr std::uint64_t kIndexMask = 0xffffffffu;
  static constexpr std::uint64_t kClosed = kIndexMask;

  int size_ = 1;
  std::uint32_t job_ = 0;  // thread 0's count of published jobs
  // The job: written by thread 0 before its ticket is released, read by a helper after it took
  // a task (thread 0 writes the next job only once no helper is inside a task).
  void* obj_ = nullptr;
  void (*call_)(void*, std::size_t) = nullptr;
  std::atomic<std::size_t> helper_end_{0};  // helpers take tasks below this index
  std::atomic<bool> stop_{false};
  alignas(64) std::atomic<std::uint32_t> generation_{0};  // the last job; waited on as a futex
  std::atomic<std::uint32_t> sleepers_{0};                // helpers asleep on generation_
  alignas(64) std::atomic<std::uint64_t> ticket_{0};      // (job, next task index)
  alignas(64) std::atomic<std::uint32_t> active_{0};      // helpers inside a task
  std::atomic<std::uint32_t> master_asleep_{0};           // thread 0 asleep on active_
  alignas(64) FirstException error_;                      // thrown by a task of the job
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
  FirstException error;  // thrown by master
#pragma omp parallel num_threads(threads)
  {
    if (omp_get_thread_num() == 0) {
      team.size_ = omp_get_num_threads();  // read by thread 0 only
      try {
        master(team);
      } catch (...) {
        error.Catch();
      }
      team.Stop();
    } else {
      team.Serve();
    }
  }
  error.Rethrow();
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_PARALLEL_WORK_TEAM_H_
