// Internal to ingest: parses the chunks of every extract in parallel while the calling thread
// applies them in order (pipeline.cc).
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_PIPELINE_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_PIPELINE_H_

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "ingest/internal/facts.h"

namespace polegraph::ingest_internal {

// A parsed task: its facts and what the in-order stage made of them.
struct ParsedChunk {
  ChunkFacts facts;
  // Filled by the stage (see ChunkPipeline); Ingest: the builder's value id of each PropFact.
  std::vector<std::uint32_t> value_ids;
};

// Tasks 0..n-1 are parsed by `threads` threads — threads-1 workers (fewer if the system gives
// no more threads) plus the calling thread, which parses whenever the task it waits for is not
// ready — then, when `stage` is given, staged in task order, one task at a time, by whichever
// of those threads gets there first, and taken by the calling thread with Get() and Release().
// To bound memory, a task is parsed
// only while it is below released + window, where `released` counts the tasks released so far
// (release them in order), and, when `after` is given, only once after[task] tasks have been
// released (a task that reads what the applier wrote while taking an earlier one).
// What a task's facts are does not depend on which thread parsed it, and the stage sees the
// tasks in order whatever thread runs it, so the result of the ingest does not depend on
// `threads`. The stage runs at the same time as the caller's work on earlier tasks: it must
// touch nothing that work touches (Ingest: the builder's value pool, InternValue).
class ChunkPipeline {
 public:
  using ParseFn = std::function<ChunkFacts(std::size_t task, ChunkParser& parser)>;
  using StageFn = std::function<void(std::size_t task, ParsedChunk& chunk)>;

  ChunkPipeline(std::size_t n, int threads, std::size_t window, ParseFn parse,
                std::vector<std::size_t> after = {}, StageFn stage = nullptr);
  ~ChunkPipeline();  // stops and joins the workers
  ChunkPipeline(const ChunkPipeline&) = delete;
  ChunkPipeline& operator=(const ChunkPipeline&) = delete;

  // Task i, once parsed and staged (parsing or staging others on this thread while waiting).
  // Rethrows the first exception that parse or stage threw on any thread (then every later
  // call does too: the pipeline stops at the first).
  std::shared_ptr<const ParsedChunk> Get(std::size_t i);
  // Drops the pipeline's reference to task i's facts and advances the window. With workers,
  // the facts are freed by a worker (a chunk's facts are many small allocations: freeing them
  // cost the sequential caller about a tenth of its time), else here.
  void Release(std::size_t i);

  // Seconds the calling thread spent in Get() parsing or staging, and waiting for other
  // threads.
  double caller_parse_seconds() const { return caller_parse_seconds_; }
  double caller_wait_seconds() const { return caller_wait_seconds_; }

 private:
  bool CanParse() const;  // with mu_ held
  bool CanStage() const;  // with mu_ held
  void ParseNext(std::unique_lock<std::mutex>& lock, ChunkParser& parser);
  void StageNext(std::unique_lock<std::mutex>& lock);
  void Work();

  std::size_t n_, window_;
  ParseFn parse_;
  std::vector<std::size_t> after_;  // empty, or by task
  StageFn stage_;                   // may be empty
  std::mutex mu_;
  std::condition_variable cv_;
  std::size_t next_ = 0;      // next task to parse
  std::size_t staged_ = 0;    // tasks staged (a prefix)
  bool staging_ = false;      // a thread is staging task staged_
  std::size_t released_ = 0;  // tasks released
  bool stop_ = false;
  std::exception_ptr error_;                                 // the first thrown by parse or stage
  std::vector<std::shared_ptr<ParsedChunk>> done_;           // by task; null until parsed
  std::vector<std::shared_ptr<const ParsedChunk>> garbage_;  // released, for a worker to free
  ChunkParser caller_parser_;
  double caller_parse_seconds_ = 0, caller_wait_seconds_ = 0;
  std::vector<std::thread> workers_;
};

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_PIPELINE_H_
