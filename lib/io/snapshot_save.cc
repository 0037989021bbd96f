// SaveSnapshot and SnapshotWriter: write a Graph's sections to one file (layout in
// snapshot_format.h), either once the graph is built or while GraphBuilder::Build makes it.
// Written to "<path>.tmp", fsync'd, renamed over <path>, and the directory fsync'd, so a
// reader sees the old file or the complete new one, never a partial file.
// How: a SnapshotStream (the SectionSink Build publishes its stages to, storage_stream.h)
// streams the file image through a FileSink (file_sink.h: aligned buffers written by a helper
// thread, O_DIRECT where the file system allows, so no page-cache copy). The sections go in
// file order (kFileOrder: by the Build stage that finishes them); while Build runs, a feeder
// thread takes each published section, computes its CRC-32C piece by piece just before the
// piece is copied (while it is in cache) and appends it, so most of the file is written while
// Build computes the later stages. Commit appends what is left, patches the header and the
// section table (which hold the CRCs and offsets) into the start of the file, fsyncs and
// renames. The bytes depend only on the sections, never on when they were published.
// Cost: one read of the sections (CRC + copy: ~0.2 CPU s for the 1.3 GB of scale 10) and the
// disk write; memory: the sink's three 1 MiB buffers.
// Measured (scale 10, 2 threads): the save after Build took 0.56-0.84 s; streamed, Commit
// waits only for the in-CSR (~160 MB) and the fsync, 0.23-0.25 s, while Build's wall rises by
// ~0.1-0.2 s (the feeder shares the cores): build + save -0.2..-0.4 s (bench/HISTORY.md
// "Session 9: ingest build").
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "graph/crc32c.h"
#include "graph/storage.h"
#include "graph/storage_stream.h"
#include "io/file_sink.h"
#include "io/snapshot_format.h"
#include "polegraph/io.h"

namespace polegraph {
namespace internal {
namespace {

// Bytes a section is cut into for CRC-then-copy (small enough to stay in the L2 cache).
constexpr std::size_t kPiece = std::size_t{256} << 10;

// end[k] = the number of sections of kFileOrder in stages below k.
constexpr std::array<int, kNumBuildStages + 1> StageEnds() {
  std::array<int, kNumBuildStages + 1> end{};
  for (int k = 0; k <= kNumBuildStages; ++k) {
    for (SectionId id : kFileOrder) end[k] += static_cast<int>(StageOf(id)) < k ? 1 : 0;
  }
  return end;
}
constexpr std::array<int, kNumBuildStages + 1> kStageEnd = StageEnds();

class SnapshotStream final : public SectionSink {
 public:
  SnapshotStream() = default;
  ~SnapshotStream() override {
    StopFeeder();
    sink_.reset();  // closes the file
    if (!committed_ && !tmp_.empty()) ::unlink(tmp_.c_str());
  }

  absl::Status Open(const std::string& path, bool direct) {
    path_ = path;
    tmp_ = path + ".tmp";
    sink_ = std::make_unique<FileSink>();
    if (absl::Status st = sink_->Open(tmp_, direct); !st.ok()) {
      sink_.reset();
      ::unlink(tmp_.c_str());
      tmp_.clear();
      return st;
    }
    table_.resize(kNumSections);
    const std::uint64_t table_end = sizeof(FileHeader) + sizeof(SectionEntry) * kNumSections;
    sink_->AppendZeros(static_cast<std::size_t>(AlignUp(table_end)));  // patched at the end
    return absl::OkStatus();
  }

  absl::Status Begin(const Graph::Storage& s) override {
    if (storage_ != nullptr || abandoned_) {
      return absl::FailedPreconditionError(
          absl::StrCat("snapshot '", path_,
                       "': this SnapshotWriter already received a build (use one per build)"));
    }
    storage_ = &s;
    return absl::OkStatus();
  }

  void Publish(BuildStage stage) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      published_ = std::max(published_, kStageEnd[static_cast<std::size_t>(stage) + 1]);
    }
    if (!feeder_.joinable()) feeder_ = std::thread([this] { FeedLoop(); });
    cv_.notify_one();
  }

  void Built(std::shared_ptr<const Graph> graph) override { graph_ = std::move(graph); }

  void Abandon() override {
    StopFeeder();
    storage_ = nullptr;
    abandoned_ = true;
  }

  absl::Status Commit(const Graph& graph) {
    if (committed_ || sink_ == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("snapshot '", path_, "': Commit was already called on this writer"));
    }
    if (abandoned_) {
      return absl::FailedPreconditionError(
          absl::StrCat("snapshot '", path_,
                       "': the Build that streamed into this writer failed; nothing "
                       "was saved (build again with a new SnapshotWriter)"));
    }
    if (storage_ == nullptr) {
      storage_ = &GraphAccess::storage(graph);  // nothing streamed: all of it is written here
    } else if (storage_ != &GraphAccess::storage(graph)) {
      return absl::FailedPreconditionError(
          absl::StrCat("snapshot '", path_,
                       "': Commit got another graph than the one built "
                       "with this writer (commit the graph that Build returned)"));
    }
    if (feeder_.joinable()) {
      Publish(BuildStage::kInCsr);  // (everything, should the build not have published it)
      feeder_.join();
      if (feed_error_ != nullptr) {  // the destructor removes the temporary file
        abandoned_ = true;
        std::rethrow_exception(feed_error_);
      }
    } else {
      published_ = kNumSections;
      Feed(kNumSections);
    }
    absl::Status st = Finish();
    sink_.reset();
    if (st.ok()) st = Rename();
    if (!st.ok()) {
      ::unlink(tmp_.c_str());
    } else {
      committed_ = true;
    }
    tmp_.clear();  // (done either way: a failed Commit is not retried)
    graph_.reset();
    return st;
  }

 private:
  // Appends sections next_ .. end - 1 of kFileOrder; stops early when abandoned.
  void Feed(int end) {
    for (; next_ < end; ++next_) {
      const auto id = static_cast<std::size_t>(kFileOrder[static_cast<std::size_t>(next_)]);
      const auto& spec = kSectionSpecs[id];
      const Graph::Storage::Section sec = storage_->sections[id];
      SectionEntry& e = table_[id];
      std::memset(&e, 0, sizeof(e));
      std::memcpy(e.name, spec.name.data(), spec.name.size());
      e.dtype = static_cast<std::uint32_t>(spec.dtype);
      e.offset = sink_->size();
      e.size = sec.bytes;
      std::uint32_t crc = 0;
      for (std::uint64_t at = 0; at < sec.bytes; at += kPiece) {
        if (stop_.load(std::memory_order_relaxed)) return;
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(kPiece, sec.bytes - at));
        crc = Crc32c(crc, sec.data + at, n);
        sink_->Append(sec.data + at, n);
      }
      e.crc = crc;
      sink_->AppendZeros(static_cast<std::size_t>(AlignUp(sink_->size()) - sink_->size()));
    }
  }

  // The feeder thread: writes each published section, until all are written or it is stopped.
  // What Feed throws (std::bad_alloc) is kept for Commit to rethrow on the caller's thread.
  void FeedLoop() {
    try {
      while (next_ < kNumSections) {
        int end;
        {
          std::unique_lock<std::mutex> lock(mu_);
          cv_.wait(lock, [&] { return stop_.load() || published_ > next_; });
          if (stop_.load()) return;
          end = published_;
        }
        Feed(end);
      }
    } catch (...) {
      feed_error_ = std::current_exception();  // read after join
    }
  }

  void StopFeeder() {
    if (!feeder_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_.store(true);
    }
    cv_.notify_one();
    feeder_.join();
  }

  // Patches the header and table in, then writes, truncates and fsyncs the file.
  absl::Status Finish() {
    FileHeader h;
    std::memset(&h, 0, sizeof(h));
    std::memcpy(h.magic, kSnapshotMagic, sizeof(h.magic));
    h.format_version = kSnapshotFormatVersion;
    h.section_count = static_cast<std::uint32_t>(kNumSections);
    h.file_size = sink_->size();
    h.table_crc = Crc32c(0, table_.data(), table_.size() * sizeof(table_[0]));
    h.header_crc = Crc32c(0, &h, sizeof(h));
    sink_->Patch(0, &h, sizeof(h));
    sink_->Patch(sizeof(h), table_.data(), table_.size() * sizeof(table_[0]));
    return sink_->Finish();
  }

  absl::Status Rename() {
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
      return absl::UnavailableError(
          absl::StrCat("snapshot '", path_,
                       "': cannot rename the temporary file into place: ", std::strerror(errno)));
    }
    const std::size_t slash = path_.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : path_.substr(0, slash + 1);
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {  // best effort: some file systems refuse to fsync a directory
      ::fsync(dfd);
      ::close(dfd);
    }
    return absl::OkStatus();
  }

  std::string path_, tmp_;  // tmp_ empty once there is no temporary file to remove
  std::unique_ptr<FileSink> sink_;
  std::vector<SectionEntry> table_;
  const Graph::Storage* storage_ = nullptr;  // the sections being written
  std::shared_ptr<const Graph> graph_;       // keeps a streamed build's storage alive
  bool abandoned_ = false, committed_ = false;

  std::thread feeder_;
  int next_ = 0;  // sections of kFileOrder appended (the feeder's while it runs)
  std::mutex mu_;
  std::condition_variable cv_;
  int published_ = 0;  // guarded by mu_: sections of kFileOrder that may be written
  std::atomic<bool> stop_{false};
  std::exception_ptr feed_error_;  // thrown by Feed on the feeder thread
};

}  // namespace

std::unique_ptr<SnapshotWriter> SnapshotWriterAccess::Make(std::unique_ptr<SectionSink> sink) {
  return std::unique_ptr<SnapshotWriter>(new SnapshotWriter(std::move(sink)));
}

absl::StatusOr<std::unique_ptr<SnapshotWriter>> CreateSnapshotWriter(const std::string& path,
                                                                     bool direct) {
  auto stream = std::make_unique<SnapshotStream>();
  if (absl::Status st = stream->Open(path, direct); !st.ok()) return st;
  return SnapshotWriterAccess::Make(std::move(stream));
}

absl::Status SaveSnapshotTo(const Graph& graph, const std::string& path, bool direct) {
  absl::StatusOr<std::unique_ptr<SnapshotWriter>> writer = CreateSnapshotWriter(path, direct);
  if (!writer.ok()) return writer.status();
  return (*writer)->Commit(graph);
}

}  // namespace internal

SnapshotWriter::SnapshotWriter(std::unique_ptr<internal::SectionSink> sink)
    : sink_(std::move(sink)) {}

SnapshotWriter::~SnapshotWriter() = default;

absl::StatusOr<std::unique_ptr<SnapshotWriter>> SnapshotWriter::Create(const std::string& path) {
  return internal::CreateSnapshotWriter(path, /*direct=*/true);
}

absl::Status SnapshotWriter::Commit(const Graph& graph) {
  return static_cast<internal::SnapshotStream&>(*sink_).Commit(graph);
}

absl::Status SaveSnapshot(const Graph& graph, const std::string& path) {
  return internal::SaveSnapshotTo(graph, path, /*direct=*/true);
}

}  // namespace polegraph
