// ChunkPipeline (internal/pipeline.h): a bounded, ordered producer/consumer with an optional
// in-order stage between parsing and the consumer.
//
// How: one mutex and one condition variable guard the next task to parse, the next task to
// stage, the count of released tasks and the parsed results. A parser takes the next task
// number under the lock, parses it without the lock and publishes it; the stage of the next
// task in order runs (without the lock) on whichever thread finds it parsed and no stage
// running, before that thread parses anything new (the consumer waits for it). Get() waits
// for its task to be staged, staging or parsing itself when it can (so with one thread it
// parses, stages and applies in turn, and with two the sequential consumer never idles while
// there is work it may do). Released facts are freed by a worker, before it parses its next
// task, so the consumer does not pay for it.
// An exception thrown by parse or stage (std::bad_alloc) on any thread stops the pipeline: the
// first one is kept, the workers take no more work, and Get() rethrows it on the calling
// thread (an exception leaving a worker's std::thread would end the process).
// Cost: two lock round trips per task (tasks are chunks of thousands of records).
#include "ingest/internal/pipeline.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <system_error>
#include <utility>

namespace polegraph::ingest_internal {

ChunkPipeline::ChunkPipeline(std::size_t n, int threads, std::size_t window, ParseFn parse,
                             std::vector<std::size_t> after, StageFn stage)
    : n_(n),
      window_(std::max<std::size_t>(window, 1)),
      parse_(std::move(parse)),
      after_(std::move(after)),
      stage_(std::move(stage)),
      done_(n) {
  const int workers = std::min<int>(std::max(threads, 1) - 1, static_cast<int>(n));
  workers_.reserve(static_cast<std::size_t>(workers));
  for (int w = 0; w < workers; ++w) {
    try {
      workers_.emplace_back([this] { Work(); });
    } catch (const std::system_error&) {
      break;  // no thread to be had (memory, limits): fewer workers, the same result
    }
  }
}

ChunkPipeline::~ChunkPipeline() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

bool ChunkPipeline::CanParse() const {
  return next_ < n_ && next_ < released_ + window_ &&
         (after_.empty() || released_ >= after_[next_]);
}

bool ChunkPipeline::CanStage() const {
  return !staging_ && staged_ < next_ && done_[staged_] != nullptr;
}

void ChunkPipeline::ParseNext(std::unique_lock<std::mutex>& lock, ChunkParser& parser) {
  const std::size_t task = next_++;
  lock.unlock();
  std::shared_ptr<ParsedChunk> parsed;
  std::exception_ptr error;
  try {
    parsed = std::make_shared<ParsedChunk>();
    parsed->facts = parse_(task, parser);
  } catch (...) {
    error = std::current_exception();
  }
  lock.lock();
  if (error != nullptr) {
    if (error_ == nullptr) error_ = error;
  } else {
    done_[task] = std::move(parsed);
  }
  cv_.notify_all();
}

void ChunkPipeline::StageNext(std::unique_lock<std::mutex>& lock) {
  const std::size_t task = staged_;
  if (stage_) {
    staging_ = true;
    ParsedChunk& chunk = *done_[task];  // not freed before it is staged and released
    lock.unlock();
    std::exception_ptr error;
    try {
      stage_(task, chunk);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    staging_ = false;
    if (error != nullptr) {
      if (error_ == nullptr) error_ = error;
      cv_.notify_all();
      return;  // task stays unstaged
    }
  }
  staged_ = task + 1;
  cv_.notify_all();
}

void ChunkPipeline::Work() {
  ChunkParser parser;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_ && error_ == nullptr && (next_ < n_ || staged_ < n_ || !garbage_.empty())) {
    if (!garbage_.empty()) {
      std::vector<std::shared_ptr<const ParsedChunk>> drop;
      drop.swap(garbage_);
      lock.unlock();
      drop.clear();  // freed outside the lock
      lock.lock();
    } else if (CanStage()) {
      StageNext(lock);
    } else if (CanParse()) {
      ParseNext(lock, parser);
    } else {
      cv_.wait(lock);
    }
  }
}

std::shared_ptr<const ParsedChunk> ChunkPipeline::Get(std::size_t i) {
  std::unique_lock<std::mutex> lock(mu_);
  while (staged_ <= i) {
    if (error_ != nullptr) std::rethrow_exception(error_);
    const auto start = std::chrono::steady_clock::now();
    const bool work = CanStage() || CanParse();
    if (CanStage()) {
      StageNext(lock);
    } else if (work) {
      ParseNext(lock, caller_parser_);
    } else {
      cv_.wait(lock);
    }
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    (work ? caller_parse_seconds_ : caller_wait_seconds_) += s;
  }
  return done_[i];
}

void ChunkPipeline::Release(std::size_t i) {
  std::shared_ptr<const ParsedChunk> drop;  // freed outside the lock, when no worker frees it
  {
    std::lock_guard<std::mutex> lock(mu_);
    drop = std::move(done_[i]);
    released_ = std::max(released_, i + 1);
    if (!workers_.empty() && drop != nullptr) garbage_.push_back(std::move(drop));
  }
  cv_.notify_all();
}

}  // namespace polegraph::ingest_internal
