// ExtractWriter: writes the framed extract format of polegraph/extract.h.
//
// Frames are encoded into an in-memory buffer and written with write(2) whenever it passes
// ~1 MiB, so a file of small records costs one syscall per megabyte. The file is built under
// "<path>.tmp"; Finish() writes the trailer, fsyncs the file, renames it over "<path>" and
// fsyncs the directory, so a reader sees either no file or a whole one.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <typeinfo>

#include "absl/strings/str_cat.h"
#include "graph/crc32c.h"
#include "ingest/extract_format.h"
#include "polegraph/anpr.pb.h"
#include "polegraph/extract.h"
#include "polegraph/pnc.pb.h"
#include "polegraph/pnd.pb.h"

namespace polegraph {
namespace {

constexpr std::size_t kFlushBytes = 1u << 20;

absl::Status ErrnoError(int err, const std::string& what, const std::string& path) {
  return absl::ErrnoToStatus(err, absl::StrCat(path, ": ", what));
}

// Writes all of `data`, retrying on EINTR and short writes.
absl::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "write failed", path);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return absl::OkStatus();
}

// Makes a completed rename durable: fsync of the directory holding `path`.
absl::Status SyncParentDirectory(const std::string& path) {
  std::string::size_type slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot open directory to sync", dir);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  // Some file systems cannot fsync a directory (EINVAL); the rename is then as durable as
  // that file system allows.
  if (rc != 0 && err != EINVAL) return ErrnoError(err, "fsync of directory failed", dir);
  return absl::OkStatus();
}

bool MatchesSource(const google::protobuf::MessageLite& record, pb::SourceSystem source) {
  switch (source) {
    case pb::PNC:
      return typeid(record) == typeid(pb::PncRecord);
    case pb::PND:
      return typeid(record) == typeid(pb::PndRecord);
    case pb::ANPR:
      return typeid(record) == typeid(pb::AnprRecord);
    default:
      return false;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<ExtractWriter>> ExtractWriter::Create(
    const std::string& path, const pb::ExtractHeader& header) {
  if (header.source() != pb::PNC && header.source() != pb::PND && header.source() != pb::ANPR) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the extract header must name a source (PNC, PND or ANPR)"));
  }
  if (header.schema_version() != 0 && header.schema_version() != kExtractSchemaVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": this build writes extract schema version ", kExtractSchemaVersion,
                     ", not ", header.schema_version()));
  }
  std::unique_ptr<ExtractWriter> w(new ExtractWriter());
  w->path_ = path;
  w->tmp_path_ = path + ".tmp";
  w->source_ = header.source();
  w->fd_ = ::open(w->tmp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (w->fd_ < 0) return ErrnoError(errno, "cannot create file", w->tmp_path_);

  pb::ExtractHeader h = header;
  h.set_schema_version(kExtractSchemaVersion);
  std::string payload;
  if (!h.SerializeToString(&payload)) {
    return absl::InternalError(absl::StrCat(path, ": cannot serialise the extract header"));
  }
  w->buffer_.reserve(kFlushBytes + 4096);
  w->buffer_.append(internal::kExtractMagic);
  if (absl::Status s = w->WriteFrame(internal::kHeaderFrame, payload); !s.ok()) return s;
  return w;
}

ExtractWriter::~ExtractWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!finished_ && !tmp_path_.empty()) ::unlink(tmp_path_.c_str());
}

absl::Status ExtractWriter::Fail(absl::Status status) {
  if (error_.ok()) error_ = status;
  return status;
}

absl::Status ExtractWriter::Flush() {
  absl::Status s = WriteAll(fd_, buffer_, tmp_path_);
  buffer_.clear();
  return s.ok() ? s : Fail(s);
}

absl::Status ExtractWriter::WriteFrame(char type, std::string_view payload) {
  if (payload.size() > ExtractLimits{}.max_record_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path_, ": frame payload of ", payload.size(), " bytes exceeds the limit of ",
                     ExtractLimits{}.max_record_bytes, " bytes that readers accept by default"));
  }
  char prefix[internal::kFramePrefixBytes];
  prefix[0] = type;
  internal::StoreLe32(static_cast<std::uint32_t>(payload.size()), prefix + 1);
  std::uint32_t crc = internal::Crc32c(0, prefix, sizeof prefix);
  crc = internal::Crc32c(crc, payload.data(), payload.size());
  char crc_bytes[internal::kFrameCrcBytes];
  internal::StoreLe32(crc, crc_bytes);
  buffer_.append(prefix, sizeof prefix);
  buffer_.append(payload);
  buffer_.append(crc_bytes, sizeof crc_bytes);
  return buffer_.size() >= kFlushBytes ? Flush() : absl::OkStatus();
}

absl::Status ExtractWriter::Append(const google::protobuf::MessageLite& record) {
  if (!MatchesSource(record, source_)) {
    return absl::InvalidArgumentError(absl::StrCat(path_, ": cannot append a ",
                                                   record.GetTypeName(), " to a ",
                                                   pb::SourceSystem_Name(source_), " extract"));
  }
  scratch_.clear();
  if (!record.AppendToString(&scratch_)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path_, ": record ", count_, " cannot be serialised"));
  }
  return AppendSerialized(scratch_);
}

absl::Status ExtractWriter::AppendSerialized(std::string_view payload) {
  if (!error_.ok()) return error_;
  if (finished_) {
    return absl::FailedPreconditionError(absl::StrCat(path_, ": Append after Finish"));
  }
  if (absl::Status s = WriteFrame(internal::kRecordFrame, payload); !s.ok()) return s;
  digest_ = internal::Crc32c(digest_, payload.data(), payload.size());
  ++count_;
  return absl::OkStatus();
}

absl::Status ExtractWriter::Finish() {
  if (!error_.ok()) return error_;
  if (finished_) return absl::FailedPreconditionError(absl::StrCat(path_, ": Finish called twice"));
  pb::ExtractTrailer trailer;
  trailer.set_record_count(count_);
  trailer.set_digest(digest_);
  std::string payload;
  trailer.SerializeToString(&payload);
  if (absl::Status s = WriteFrame(internal::kTrailerFrame, payload); !s.ok()) return Fail(s);
  if (absl::Status s = Flush(); !s.ok()) return s;
  if (::fsync(fd_) != 0) return Fail(ErrnoError(errno, "fsync failed", tmp_path_));
  int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) return Fail(ErrnoError(errno, "close failed", tmp_path_));
  if (::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
    return Fail(ErrnoError(errno, absl::StrCat("cannot rename to ", path_), tmp_path_));
  }
  finished_ = true;
  return SyncParentDirectory(path_);
}

}  // namespace polegraph
