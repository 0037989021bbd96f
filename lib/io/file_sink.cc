// FileSink (file_sink.h): buffered, pipelined, O_DIRECT-when-possible file output.
#include "io/file_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace polegraph::internal {
namespace {

absl::Status IoError(std::string_view what, const std::string& path, int err) {
  return absl::UnavailableError(absl::StrCat("snapshot '", path,
                                             "': ", absl::string_view(what.data(), what.size()),
                                             ": ", std::strerror(err)));
}

constexpr int kNumBuffers = 3;

}  // namespace

void FileSink::FreeDeleter::operator()(std::byte* p) const { std::free(p); }

FileSink::~FileSink() {
  Join();
  if (fd_ >= 0) ::close(fd_);
}

absl::Status FileSink::Open(const std::string& path, bool direct) {
  path_ = path;
  void* mem = std::aligned_alloc(kAlign, kNumBuffers * kBufferBytes);
  if (mem == nullptr) {
    return absl::ResourceExhaustedError(
        absl::StrCat("snapshot '", path, "': no memory for the write buffers"));
  }
  buffers_.reset(static_cast<std::byte*>(mem));
  const int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
  direct_ = false;
  if (direct) {
    fd_ = ::open(path.c_str(), flags | O_DIRECT, 0644);
    direct_ = fd_ >= 0;
  }
  if (fd_ < 0) fd_ = ::open(path.c_str(), flags, 0644);
  if (fd_ < 0)
    return IoError("cannot create the temporary file (check the directory)", path, errno);
  return absl::OkStatus();
}

void FileSink::Append(const void* data, std::size_t size) {
  const auto* p = static_cast<const std::byte*>(data);
  while (size > 0) {
    const std::size_t n = std::min(size, kBufferBytes - fill_);
    std::memcpy(Buffer(current_) + fill_, p, n);
    fill_ += n;
    size_ += n;
    p += n;
    size -= n;
    if (fill_ == kBufferBytes) Flush();
  }
}

void FileSink::AppendZeros(std::size_t size) {
  while (size > 0) {
    const std::size_t n = std::min(size, kBufferBytes - fill_);
    std::memset(Buffer(current_) + fill_, 0, n);
    fill_ += n;
    size_ += n;
    size -= n;
    if (fill_ == kBufferBytes) Flush();
  }
}

void FileSink::Patch(std::uint64_t offset, const void* data, std::size_t size) {
  // Buffer 0 holds the file's first kBufferBytes until Finish writes it.
  std::memcpy(Buffer(0) + offset, data, size);
}

void FileSink::Flush() {
  if (current_offset_ != 0) Submit({current_, current_offset_, fill_});
  // The first buffer stays (Patch); the others alternate.
  current_ = current_ == 1 ? 2 : 1;
  WaitIdle(current_);
  current_offset_ += kBufferBytes;
  fill_ = 0;
}

void FileSink::WaitIdle(int buffer) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !busy_[buffer]; });
}

void FileSink::Submit(Job job) {
  {
    std::lock_guard lock(mu_);
    busy_[job.buffer] = true;
    jobs_.push_back(job);
  }
  cv_.notify_all();
  if (!writer_.joinable()) writer_ = std::thread([this] { WriterLoop(); });
}

void FileSink::WriterLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stop_ and nothing left
    const Job job = jobs_.front();
    jobs_.pop_front();
    const bool failed = !error_.ok();
    lock.unlock();
    absl::Status st = failed ? absl::OkStatus() : Write(job);  // after an error, only drain
    lock.lock();
    if (!st.ok() && error_.ok()) error_ = std::move(st);
    busy_[job.buffer] = false;
    cv_.notify_all();
  }
}

absl::Status FileSink::Write(const Job& job) {
  std::size_t bytes = job.bytes;
  if (direct_) {
    // A direct write covers whole blocks: the tail of the last one is zero-padded (Finish
    // truncates the file to its size).
    const std::size_t padded = (bytes + kAlign - 1) / kAlign * kAlign;
    std::memset(Buffer(job.buffer) + bytes, 0, padded - bytes);
    bytes = padded;
  }
  const std::byte* p = Buffer(job.buffer);
  std::uint64_t offset = job.offset;
  while (bytes > 0) {
    const ssize_t w = ::pwrite(fd_, p, bytes, static_cast<off_t>(offset));
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EINVAL && direct_) {
        // The file system accepted O_DIRECT at open but refuses these writes: go on with
        // ordinary writes (same bytes; the padding past the size is truncated at Finish).
        const int flags = ::fcntl(fd_, F_GETFL);
        if (flags >= 0 && ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT) == 0) {
          direct_ = false;
          continue;
        }
      }
      return IoError("write failed (is the disk full?)", path_, errno);
    }
    if (w == 0) return IoError("write wrote nothing (is the disk full?)", path_, ENOSPC);
    p += w;
    offset += static_cast<std::uint64_t>(w);
    bytes -= static_cast<std::size_t>(w);
  }
  return absl::OkStatus();
}

void FileSink::Join() {
  if (!writer_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

absl::Status FileSink::Finish() {
  if (fill_ > 0 && current_offset_ != 0) Submit({current_, current_offset_, fill_});
  Join();
  absl::Status st;
  {
    std::lock_guard lock(mu_);
    st = error_;
  }
  if (st.ok()) {
    st = Write({0, 0, static_cast<std::size_t>(std::min<std::uint64_t>(size_, kBufferBytes))});
  }
  if (st.ok() && ::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
    st = IoError("cannot set the file's size", path_, errno);
  }
  if (st.ok() && ::fsync(fd_) != 0) st = IoError("fsync failed", path_, errno);
  if (::close(fd_) != 0 && st.ok()) st = IoError("close failed", path_, errno);
  fd_ = -1;
  return st;
}

}  // namespace polegraph::internal
