// SaveSnapshot: writes a Graph's sections to one file (layout in snapshot_format.h).
// Written to "<path>.tmp", fsync'd, renamed over <path>, and the directory fsync'd, so a
// reader sees the old file or the complete new one, never a partial file.
// How: the file image is streamed in order through a FileSink (file_sink.h: aligned buffers
// written by a helper thread, O_DIRECT where the file system allows, so no page-cache copy);
// each section's CRC-32C is computed piece by piece just before the piece is copied, while
// it is in cache, and the header and section table, which hold the CRCs, are patched into
// the start of the file at the end. Cost: one read of the sections (CRC + copy) and the
// disk write; memory: the sink's three 4 MiB buffers.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "graph/crc32c.h"
#include "graph/storage.h"
#include "io/file_sink.h"
#include "io/snapshot_format.h"
#include "polegraph/io.h"

namespace polegraph {
namespace internal {
namespace {

// Bytes a section is cut into for CRC-then-copy (small enough to stay in the L2 cache).
constexpr std::size_t kPiece = std::size_t{256} << 10;

absl::Status WriteImage(const Graph::Storage& s, FileSink& sink) {
  std::vector<SectionEntry> table(kNumSections);
  const std::uint64_t table_end = sizeof(FileHeader) + sizeof(SectionEntry) * kNumSections;
  sink.AppendZeros(static_cast<std::size_t>(AlignUp(table_end)));  // header and table: patched
  for (int i = 0; i < kNumSections; ++i) {
    const auto& spec = kSectionSpecs[static_cast<std::size_t>(i)];
    const auto& sec = s.sections[static_cast<std::size_t>(i)];
    SectionEntry& e = table[static_cast<std::size_t>(i)];
    std::memset(&e, 0, sizeof(e));
    std::memcpy(e.name, spec.name.data(), spec.name.size());
    e.dtype = static_cast<std::uint32_t>(spec.dtype);
    e.offset = sink.size();
    e.size = sec.bytes;
    std::uint32_t crc = 0;
    for (std::uint64_t at = 0; at < sec.bytes; at += kPiece) {
      const std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(kPiece, sec.bytes - at));
      crc = Crc32c(crc, sec.data + at, n);
      sink.Append(sec.data + at, n);
    }
    e.crc = crc;
    sink.AppendZeros(static_cast<std::size_t>(AlignUp(sink.size()) - sink.size()));
  }
  FileHeader h;
  std::memset(&h, 0, sizeof(h));
  std::memcpy(h.magic, kSnapshotMagic, sizeof(h.magic));
  h.format_version = kSnapshotFormatVersion;
  h.section_count = static_cast<std::uint32_t>(kNumSections);
  h.file_size = sink.size();
  h.table_crc = Crc32c(0, table.data(), table.size() * sizeof(table[0]));
  h.header_crc = Crc32c(0, &h, sizeof(h));
  sink.Patch(0, &h, sizeof(h));
  sink.Patch(sizeof(h), table.data(), table.size() * sizeof(table[0]));
  return sink.Finish();
}

}  // namespace

absl::Status SaveSnapshotTo(const Graph& graph, const std::string& path, bool direct) {
  const std::string tmp = path + ".tmp";
  absl::Status st;
  {
    FileSink sink;
    st = sink.Open(tmp, direct);
    if (!st.ok()) return st;
    st = WriteImage(graph.storage(), sink);
  }
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    absl::Status err = absl::UnavailableError(
        absl::StrCat("snapshot '", path,
                     "': cannot rename the temporary file into place: ", std::strerror(errno)));
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

}  // namespace internal

absl::Status SaveSnapshot(const Graph& graph, const std::string& path) {
  return internal::SaveSnapshotTo(graph, path, /*direct=*/true);
}

}  // namespace polegraph
