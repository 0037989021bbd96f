// WorkTeam (lib/parallel/work_team.h): every task of every Run is called exactly once, its
// effects are visible to thread 0 when Run returns, the last `reserve` tasks run on thread 0,
// thousands of Runs in a row (the hand-over of local moving's colour classes) lose nothing, and
// an exception thrown by a task or by master reaches the caller. The oracle is the plain loop:
// per-task counts and sums computed without the team.
#include "parallel/work_team.h"

#include <omp.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace polegraph::internal {
namespace {

TEST_CASE("WorkTeam runs every task once and hands the results to thread 0", "[parallel]") {
  for (int threads : {1, 2, 8}) {
    INFO("threads = " << threads);
    int team_size = 0;
    RunTeam(threads, [&](WorkTeam& team) {
      team_size = team.size();
      CHECK(omp_get_thread_num() == 0);
      for (std::size_t tasks : {0, 1, 2, 3, 5, 64, 1000}) {
        INFO("tasks = " << tasks);
        std::vector<std::uint32_t> calls(tasks, 0);
        std::vector<int> thread_of(tasks, -1);
        team.Run(tasks, [&](std::size_t j) {
          ++calls[j];  // one writer per entry: a task index is handed out once
          thread_of[j] = omp_get_thread_num();
        });
        CHECK(std::count(calls.begin(), calls.end(), 1u) == static_cast<std::ptrdiff_t>(tasks));
        // The default reserve of 2: helpers never take the last two tasks.
        for (std::size_t j = tasks >= 2 ? tasks - 2 : 0; j < tasks; ++j) CHECK(thread_of[j] == 0);
      }
    });
    CHECK(team_size >= 1);
    CHECK(team_size <= threads);
  }
}

TEST_CASE("WorkTeam keeps thousands of consecutive hand-overs apart", "[parallel]") {
  // Each Run writes round-dependent values that the next round reads back: a task of round r
  // taken before round r was published, or a result of round r not visible after Run, breaks
  // the chain. Expected values computed sequentially.
  constexpr std::size_t kTasks = 37;
  constexpr int kRounds = 5000;
  for (int threads : {2, 8}) {
    INFO("threads = " << threads);
    std::vector<std::uint64_t> value(kTasks, 0), expect(kTasks, 0);
    for (int r = 0; r < kRounds; ++r) {
      std::vector<std::uint64_t> prev = expect;
      for (std::size_t j = 0; j < kTasks; ++j) {
        expect[j] = prev[j] * 31 + static_cast<std::uint64_t>(r) + j + prev[(j + 1) % kTasks] % 7;
      }
    }
    RunTeam(threads, [&](WorkTeam& team) {
      std::vector<std::uint64_t> next(kTasks);
      for (int r = 0; r < kRounds; ++r) {
        // Odd rounds with reserve 0 (helpers may take any task), even ones with the default.
        auto task = [&](std::size_t j) {
          next[j] = value[j] * 31 + static_cast<std::uint64_t>(r) + j + value[(j + 1) % kTasks] % 7;
        };
        if (r % 2 == 1) {
          team.Run(kTasks, task, /*reserve=*/0);
        } else {
          team.Run(kTasks, task);
        }
        value.swap(next);
      }
    });
    CHECK(value == expect);
  }
}

TEST_CASE("WorkTeam hands an exception thrown by a task or by master to the caller", "[parallel]") {
  for (int threads : {1, 2, 8}) {
    INFO("threads = " << threads);
    int master_ran = 0;
    CHECK_THROWS_WITH(
        RunTeam(threads,
                [&](WorkTeam& team) {
                  constexpr std::size_t kTasks = 1000;
                  for (std::size_t bad : {std::size_t{3}, std::size_t{500}, kTasks - 1}) {
                    INFO("bad = " << bad);
                    std::vector<std::uint32_t> calls(kTasks, 0);
                    // reserve 0: a helper may take the failing task, or thread 0 may.
                    CHECK_THROWS_WITH(team.Run(
                                          kTasks,
                                          [&](std::size_t j) {
                                            if (j == bad) {
                                              throw std::runtime_error("task " + std::to_string(j));
                                            }
                                            ++calls[j];
                                          },
                                          /*reserve=*/0),
                                      "task " + std::to_string(bad));
                    CHECK(calls[bad] == 0);
                    for (std::uint32_t c : calls) REQUIRE(c <= 1);
                    // The team runs the next job in full.
                    std::fill(calls.begin(), calls.end(), 0u);
                    team.Run(kTasks, [&](std::size_t j) { ++calls[j]; });
                    CHECK(std::count(calls.begin(), calls.end(), 1u) ==
                          static_cast<std::ptrdiff_t>(kTasks));
                  }
                  ++master_ran;
                  throw std::runtime_error("master");
                }),
        "master");
    CHECK(master_ran == 1);
  }
}

}  // namespace
}  // namespace polegraph::internal
