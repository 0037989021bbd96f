// Internal to ingest: parses the chunks of every extract in parallel while the calling thread
// applies them in order (pipeline.cc).
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_PIPELINE_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_PIPELINE_H_

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "ingest/internal/facts.h"

namespace polegraph::ingest_internal {

// Tasks 0..n-1 are parsed by `threads` threads — threads-1 workers plus the calling thread,
// which parses whenever the task it waits for is not ready — and taken by the calling thread
// with Get() and Release(). To bound memory, a task is parsed only while it is below
// released + window, where `released` counts the tasks released so far (release them in
// order), and, when `after` is given, only once after[task] tasks have been released (a task
// that reads what the applier wrote while taking an earlier one).
// What a task's facts are does not depend on which thread parsed it, so the result of the
// ingest does not depend on `threads`.
class ChunkPipeline {
 public:
  using ParseFn = std::function<ChunkFacts(std::size_t task, ChunkParser& parser)>;

  ChunkPipeline(std::size_t n, int threads, std::size_t window, ParseFn parse,
                std::vector<std::size_t> after = {});
  ~ChunkPipeline();  // stops and joins the workers
  ChunkPipeline(const ChunkPipeline&) = delete;
  ChunkPipeline& operator=(const ChunkPipeline&) = delete;

  // Task i's facts, once parsed (parsing others on this thread while waiting).
  std::shared_ptr<const ChunkFacts> Get(std::size_t i);
  // Drops the pipeline's reference to task i's facts and advances the window. With workers,
  // the facts are freed by a worker (a chunk's facts are many small allocations: freeing them
  // cost the sequential caller about a tenth of its time), else here.
  void Release(std::size_t i);

  // Seconds the calling thread spent in Get() parsing, and waiting for other threads.
  double caller_parse_seconds() const { return caller_parse_seconds_; }
  double caller_wait_seconds() const { return caller_wait_seconds_; }

 private:
  bool CanParse() const;       // with mu_ held
  void ParseNext(std::unique_lock<std::mutex>& lock, ChunkParser& parser);
  void Work();

  std::size_t n_, window_;
  ParseFn parse_;
  std::vector<std::size_t> after_;  // empty, or by task
  std::mutex mu_;
  std::condition_variable cv_;
  std::size_t next_ = 0;      // next task to parse
  std::size_t released_ = 0;  // tasks released
  bool stop_ = false;
  std::vector<std::shared_ptr<const ChunkFacts>> done_;  // by task; null until parsed
  std::vector<std::shared_ptr<const ChunkFacts>> garbage_;  // released, for a worker to free
  ChunkParser caller_parser_;
  double caller_parse_seconds_ = 0, caller_wait_seconds_ = 0;
  std::vector<std::thread> workers_;
};

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_PIPELINE_H_
