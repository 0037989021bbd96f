// FileSink: writes a new file as one stream of bytes, for SaveSnapshot.
//
// The bytes are copied into 1 MiB aligned buffers; each full buffer is written by a helper
// thread while the caller fills the next, and the file is opened with O_DIRECT where the file
// system allows it, so the data goes from the buffers to the disk without a copy into the
// page cache (at scale 10, 1.3 GB: the buffered writes' page-cache copy took ~3 s of kernel
// time, the direct writes well under 1 s). Where O_DIRECT is refused (tmpfs, some network
// file systems) the same buffers are written with ordinary writes. The first buffer is
// written last, so a header at the start of the file can be patched in (Patch) once the
// rest is known. Finish pads the last direct write to the block size, truncates the file to
// its exact length and fsyncs it.
// Cost: one copy of the bytes (memcpy into the buffers) plus the writes; memory: 3 buffers.
// (Buffers of 4 MiB until session 9: a SnapshotWriter's buffers are resident during Build,
// whose peak is the ingest's, so they were made smaller; `dd oflag=direct` of the scale-10
// snapshot on the test machine was no slower with 1 MiB blocks than with 4 MiB.)
// Thread-safety: one FileSink is used by one thread (its helper thread is internal).
#ifndef POLEGRAPH_LIB_IO_FILE_SINK_H_
#define POLEGRAPH_LIB_IO_FILE_SINK_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "polegraph/io.h"

namespace polegraph::internal {

class FileSink {
 public:
  static constexpr std::size_t kBufferBytes = std::size_t{1} << 20;
  static constexpr std::size_t kAlign = 4096;  // buffer address and direct write granularity

  FileSink() = default;
  ~FileSink();  // a sink not finished is abandoned: its file is closed (the caller unlinks it)
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  // Creates (or truncates) `path` for writing; `direct` asks for O_DIRECT (falls back to
  // ordinary writes where refused). Unavailable naming the path on failure.
  absl::Status Open(const std::string& path, bool direct);
  // Appends `size` bytes (or zeros) to the stream.
  void Append(const void* data, std::size_t size);
  void AppendZeros(std::size_t size);
  // Overwrites bytes [offset, offset + size) of the stream, which must lie in the first
  // kBufferBytes and already have been appended.
  void Patch(std::uint64_t offset, const void* data, std::size_t size);
  std::uint64_t size() const { return size_; }
  // Whether the writes bypass the page cache (O_DIRECT accepted so far).
  bool direct() const { return direct_; }
  // Writes what is left, truncates the file to size(), fsyncs and closes it. Returns the first
  // error of any write (Unavailable, with the path and the system's reason).
  absl::Status Finish();

 private:
  struct Job {
    int buffer;
    std::uint64_t offset;
    std::size_t bytes;
  };
  std::byte* Buffer(int i) { return buffers_.get() + static_cast<std::size_t>(i) * kBufferBytes; }
  void Flush();               // hands the full current buffer to the writer
  void WaitIdle(int buffer);  // until the writer is done with `buffer`
  void Submit(Job job);       // queues a job (starts the writer thread on first use)
  void WriterLoop();
  absl::Status Write(const Job& job);  // one buffer, on the writer thread (or at Finish)
  void Join();

  std::string path_;
  int fd_ = -1;
  bool direct_ = false;
  struct FreeDeleter {
    void operator()(std::byte* p) const;
  };
  std::unique_ptr<std::byte, FreeDeleter> buffers_;  // 3 buffers: the first, and two in turn
  int current_ = 0;                                  // buffer being filled
  std::size_t fill_ = 0;                             // bytes in the current buffer
  std::uint64_t size_ = 0;                           // bytes appended
  std::uint64_t current_offset_ = 0;                 // file offset of the current buffer

  std::thread writer_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;  // guarded by mu_
  bool busy_[3] = {};     // guarded by mu_: buffer queued or being written
  bool stop_ = false;     // guarded by mu_
  absl::Status error_;    // guarded by mu_: the first failed write
};

// SaveSnapshot and SnapshotWriter::Create with the choice of O_DIRECT writes (they use
// direct = true; tests check that both ways write the same bytes). snapshot_save.cc.
absl::Status SaveSnapshotTo(const Graph& graph, const std::string& path, bool direct);
absl::StatusOr<std::unique_ptr<SnapshotWriter>> CreateSnapshotWriter(const std::string& path,
                                                                     bool direct);

// Makes a SnapshotWriter around a sink (its constructor is private). snapshot_save.cc.
struct SnapshotWriterAccess {
  static std::unique_ptr<SnapshotWriter> Make(std::unique_ptr<SectionSink> sink);
};

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_IO_FILE_SINK_H_
