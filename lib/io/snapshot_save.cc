// SaveSnapshot: writes a Graph's sections to one file (layout in snapshot_format.h).
// Written to "<path>.tmp", fsync'd, renamed over <path>, and the directory fsync'd, so a
// reader sees the old file or the complete new one, never a partial file.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "graph/crc32c.h"
#include "graph/storage.h"
#include "io/snapshot_format.h"
#include "polegraph/io.h"

namespace polegraph {
namespace {

using internal::Av;

absl::Status IoError(std::string_view what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat("snapshot '", path, "': ", Av(what), ": ", std::strerror(errno)));
}

absl::Status WriteAll(int fd, const void* data, std::uint64_t size, const std::string& path) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(size, 1 << 30));
    const ssize_t w = ::write(fd, p, chunk);
    if (w < 0) {
      if (errno == EINTR) continue;
      return IoError("write failed (is the disk full?)", path);
    }
    p += w;
    size -= static_cast<std::uint64_t>(w);
  }
  return absl::OkStatus();
}

absl::Status WriteFile(int fd, const Graph::Storage& s, const std::string& tmp) {
  using internal::kNumSections;
  std::vector<internal::SectionEntry> table(kNumSections);
  std::uint64_t at = internal::AlignUp(sizeof(internal::FileHeader) +
                                       sizeof(internal::SectionEntry) * kNumSections);
  for (int i = 0; i < kNumSections; ++i) {
    const auto& spec = internal::kSectionSpecs[static_cast<std::size_t>(i)];
    const auto& sec = s.sections[static_cast<std::size_t>(i)];
    internal::SectionEntry& e = table[static_cast<std::size_t>(i)];
    std::memset(&e, 0, sizeof(e));
    std::memcpy(e.name, spec.name.data(), spec.name.size());
    e.dtype = static_cast<std::uint32_t>(spec.dtype);
    e.offset = at;
    e.size = sec.bytes;
    e.crc = internal::Crc32c(0, sec.data, static_cast<std::size_t>(sec.bytes));
    at = internal::AlignUp(at + sec.bytes);
  }
  internal::FileHeader h;
  std::memset(&h, 0, sizeof(h));
  std::memcpy(h.magic, internal::kSnapshotMagic, sizeof(h.magic));
  h.format_version = kSnapshotFormatVersion;
  h.section_count = static_cast<std::uint32_t>(kNumSections);
  h.file_size = at;
  h.table_crc = internal::Crc32c(0, table.data(), table.size() * sizeof(table[0]));
  h.header_crc = internal::Crc32c(0, &h, sizeof(h));

  static const char kZeros[internal::kSnapshotAlign] = {};
  if (absl::Status st = WriteAll(fd, &h, sizeof(h), tmp); !st.ok()) return st;
  if (absl::Status st = WriteAll(fd, table.data(), table.size() * sizeof(table[0]), tmp);
      !st.ok()) {
    return st;
  }
  std::uint64_t pos = sizeof(h) + table.size() * sizeof(table[0]);
  for (int i = 0; i < kNumSections; ++i) {
    const internal::SectionEntry& e = table[static_cast<std::size_t>(i)];
    if (absl::Status st = WriteAll(fd, kZeros, e.offset - pos, tmp); !st.ok()) return st;
    const auto& sec = s.sections[static_cast<std::size_t>(i)];
    if (absl::Status st = WriteAll(fd, sec.data, sec.bytes, tmp); !st.ok()) return st;
    pos = e.offset + e.size;
  }
  if (absl::Status st = WriteAll(fd, kZeros, at - pos, tmp); !st.ok()) return st;
  if (::fsync(fd) != 0) return IoError("fsync failed", tmp);
  return absl::OkStatus();
}

}  // namespace

absl::Status SaveSnapshot(const Graph& graph, const std::string& path) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot create the temporary file (check the directory)", tmp);
  absl::Status st = WriteFile(fd, graph.storage(), tmp);
  if (::close(fd) != 0 && st.ok()) st = IoError("close failed", tmp);
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    absl::Status err = IoError("cannot rename the temporary file into place", path);
    ::unlink(tmp.c_str());
    return err;
  }
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {  // best effort: some file systems refuse to fsync a directory
    ::fsync(dfd);
    ::close(dfd);
  }
  return absl::OkStatus();
}

}  // namespace polegraph
