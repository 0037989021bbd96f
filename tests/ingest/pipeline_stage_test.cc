// ChunkPipeline (lib/ingest/pipeline.cc) with its in-order stage, against a plain sequential
// oracle: for any thread count, window and `after` constraint, every task is parsed once and
// staged once, stages never overlap and run in task order, and Get(i) returns task i's facts
// with what its stage made of them — the same as parsing and staging tasks 0..n-1 in turn on
// one thread. Inputs: no task, one task, and many tasks of skewed cost (some parse slowly, some
// stage slowly), with and without a stage. And a parse or stage that throws (std::bad_alloc,
// on whichever thread runs it) reaches the caller through Get, instead of ending the process.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "ingest/internal/pipeline.h"

namespace polegraph::testing {
namespace {

using ingest_internal::ChunkFacts;
using ingest_internal::ChunkParser;
using ingest_internal::ChunkPipeline;
using ingest_internal::ParsedChunk;

// Task t's facts: t % 5 properties and the text "t<t>"; every 7th task parses slowly.
ChunkFacts ParseTask(std::size_t t) {
  if (t % 7 == 3) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ChunkFacts f;
  f.chars = "t" + std::to_string(t);
  f.props.resize(t % 5);
  return f;
}

// The oracle: task t's stage output when tasks are staged 0..n-1 in turn — a running count of
// properties, so each id says how many properties the stages saw before it.
std::vector<std::vector<std::uint32_t>> SequentialIds(std::size_t n) {
  std::vector<std::vector<std::uint32_t>> ids(n);
  std::uint32_t next = 0;
  for (std::size_t t = 0; t < n; ++t) {
    for (std::size_t i = 0; i < ParseTask(t).props.size(); ++i) ids[t].push_back(next++);
  }
  return ids;
}

void Check(std::size_t n, int threads, std::size_t window, bool with_after, bool with_stage) {
  INFO("tasks " << n << ", threads " << threads << ", window " << window << ", after " << with_after
                << ", stage " << with_stage);
  std::vector<std::atomic<int>> parsed(n);
  std::vector<std::size_t> staged_order;  // written by the stage only (stages never overlap)
  std::atomic<int> staging{0};
  std::atomic<bool> overlapped{false};
  std::uint32_t next_id = 0;
  // Task 2k+1 may start parsing only once task k is released (like the PNC apply pass).
  std::vector<std::size_t> after;
  if (with_after) {
    after.assign(n, 0);
    for (std::size_t t = 1; t < n; t += 2) after[t] = t / 2 + 1;
  }
  std::atomic<std::size_t> released{0};
  std::atomic<bool> parsed_too_early{false};
  ChunkPipeline::StageFn stage;
  if (with_stage) {
    stage = [&](std::size_t t, ParsedChunk& c) {
      if (staging.fetch_add(1) != 0) overlapped = true;
      if (t % 11 == 5) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      staged_order.push_back(t);
      for (std::size_t i = 0; i < c.facts.props.size(); ++i) c.value_ids.push_back(next_id++);
      staging.fetch_sub(1);
    };
  }
  {
    ChunkPipeline pipeline(
        n, threads, window,
        [&](std::size_t t, ChunkParser&) {
          ++parsed[t];
          if (with_after && released.load() < after[t]) parsed_too_early = true;
          return ParseTask(t);
        },
        after, stage);
    const std::vector<std::vector<std::uint32_t>> oracle = SequentialIds(n);
    for (std::size_t t = 0; t < n; ++t) {
      std::shared_ptr<const ParsedChunk> c = pipeline.Get(t);
      REQUIRE(c != nullptr);
      REQUIRE(c->facts.chars == "t" + std::to_string(t));
      REQUIRE(c->facts.props.size() == t % 5);
      if (with_stage) {
        REQUIRE(c->value_ids == oracle[t]);
      } else {
        REQUIRE(c->value_ids.empty());
      }
      released = t + 1;
      pipeline.Release(t);
    }
  }
  for (std::size_t t = 0; t < n; ++t) REQUIRE(parsed[t].load() == 1);
  CHECK_FALSE(overlapped.load());
  CHECK_FALSE(parsed_too_early.load());
  if (with_stage) {
    std::vector<std::size_t> in_order(n);
    for (std::size_t t = 0; t < n; ++t) in_order[t] = t;
    CHECK(staged_order == in_order);
  }
}

TEST_CASE("ChunkPipeline stages tasks once each, in order, as a sequential run would") {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{60}}) {
    for (int threads : {1, 2, 8}) {
      for (std::size_t window : {std::size_t{1}, std::size_t{3}, std::size_t{32}}) {
        for (bool with_after : {false, true}) {
          Check(n, threads, window, with_after, /*with_stage=*/true);
        }
      }
      Check(n, threads, 4, false, /*with_stage=*/false);
    }
  }
}

TEST_CASE("ChunkPipeline hands an exception thrown by parse or stage to Get") {
  // Task `bad` throws in parse or in stage. Taking tasks in order, every Get before the throw
  // reaches the caller returns the right task; Get(bad) at the latest throws std::bad_alloc
  // (an earlier Get may, once a worker has met the failure); the pipeline then stops cleanly.
  constexpr std::size_t kTasks = 60;
  for (bool in_stage : {false, true}) {
    for (std::size_t bad : {std::size_t{0}, std::size_t{13}, kTasks - 1}) {
      for (int threads : {1, 2, 8}) {
        for (std::size_t window : {std::size_t{1}, std::size_t{32}}) {
          INFO("stage " << in_stage << ", bad " << bad << ", threads " << threads << ", window "
                        << window);
          ChunkPipeline pipeline(
              kTasks, threads, window,
              [&](std::size_t t, ChunkParser&) {
                if (!in_stage && t == bad) throw std::bad_alloc();
                return ParseTask(t);
              },
              {},
              [&](std::size_t t, ParsedChunk&) {
                if (in_stage && t == bad) throw std::bad_alloc();
              });
          std::size_t thrown_at = kTasks;
          for (std::size_t t = 0; t < kTasks; ++t) {
            try {
              std::shared_ptr<const ParsedChunk> c = pipeline.Get(t);
              REQUIRE(c->facts.chars == "t" + std::to_string(t));
              pipeline.Release(t);
            } catch (const std::bad_alloc&) {
              thrown_at = t;
              break;
            }
          }
          CHECK(thrown_at <= bad);
          if (threads == 1) CHECK(thrown_at == bad);  // no worker: exactly the sequential run
          CHECK_THROWS_AS(pipeline.Get(bad), std::bad_alloc);  // and again
        }
      }
    }
  }
}

}  // namespace
}  // namespace polegraph::testing
