// OpenSnapshot: memory-maps a snapshot file (MAP_PRIVATE, read-only) and checks it.
//
// Checks, in order: size and magic, format version, header CRC, recorded file size (catches
// truncation), section count, table CRC, then per section its name, element type, 64-byte
// alignment and bounds within the file; then (by default) every section's CRC-32C, on
// OpenOptions::threads threads (sections largest first; a mismatch is reported for the first
// damaged section in table order, so the error does not depend on the thread count); finally
// the storage's structural validation (Graph::Storage::Validate: array sizes, offsets, id
// ranges, and two invariants of the edges). After these, whatever the bytes — even with
// checksums off — no accessor can read outside the mapping, and the analyses' assumptions
// about edges hold: every edge joins the node kinds its kind allows (a SEEN_AT edge starts at
// a Plate and ends at a Location: internal::EdgeKindJoins), and in-entry i of node v is edge
// in.edge[i], which ends at v and starts at in.neighbours[i], each edge exactly once. (CRCs
// are no authentication: a crafted file with recomputed ones reaches these checks.) Cost: one
// pass over the file for the CRCs (the larger part of an open) and one for the structural
// checks; nothing is copied but the CSR offsets and edge labels, which Bind decodes
// (storage.h).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "graph/crc32c.h"
#include "graph/storage.h"
#include "io/snapshot_format.h"
#include "parallel/parallel.h"
#include "polegraph/io.h"

namespace polegraph {
namespace {

using internal::Av;
using internal::FileHeader;
using internal::SectionEntry;

absl::Status Corrupt(const std::string& path, std::string_view what) {
  return absl::DataLossError(absl::StrCat("snapshot '", path, "': ", Av(what),
                                          " (the file is damaged or not a snapshot: save it "
                                          "again or restore a copy)"));
}

// A section whose CRC-32C is still to be checked.
struct PendingCrc {
  int section;
  const std::byte* data;
  std::uint64_t size;
  std::uint32_t crc;
};

// Index (into `pending`) of the first section in table order whose bytes do not match their
// recorded CRC, or -1. The sections are checked on `threads` threads, largest first.
int FirstCrcMismatch(const std::vector<PendingCrc>& pending, int threads) {
  std::vector<std::size_t> order(pending.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return pending[a].size > pending[b].size; });
  std::vector<char> bad(pending.size(), 0);
  internal::ParallelForDynamic(
      0, order.size(), threads,
      [&](std::size_t k) {
        const PendingCrc& p = pending[order[k]];
        bad[order[k]] = internal::Crc32c(0, p.data, static_cast<std::size_t>(p.size)) != p.crc;
      },
      /*grain=*/1);
  const auto it = std::find(bad.begin(), bad.end(), 1);
  return it == bad.end() ? -1 : static_cast<int>(it - bad.begin());
}

// Maps the file's sections into `s` after checking the header and table.
absl::Status MapSections(const std::string& path, const std::byte* base, std::uint64_t size,
                         const OpenOptions& options, Graph::Storage& s) {
  if (size < sizeof(FileHeader)) {
    return Corrupt(path, absl::StrCat("file is only ", size, " bytes, too short for a header"));
  }
  FileHeader h;
  std::memcpy(&h, base, sizeof(h));
  if (std::memcmp(h.magic, internal::kSnapshotMagic, sizeof(h.magic)) != 0) {
    return Corrupt(path, "not a polegraph snapshot (bad magic; expected \"PGSNAP01\")");
  }
  if (h.format_version != kSnapshotFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "snapshot '", path, "': format version ", h.format_version, ", but this build reads ",
        kSnapshotFormatVersion, " (re-create the snapshot with this version's ingest)"));
  }
  const std::uint32_t header_crc = h.header_crc;
  h.header_crc = 0;
  if (internal::Crc32c(0, &h, sizeof(h)) != header_crc) {
    return Corrupt(path, "header checksum mismatch");
  }
  if (h.file_size != size) {
    return Corrupt(path, absl::StrCat("header records ", h.file_size, " bytes but the file has ",
                                      size, (size < h.file_size ? " (truncated)" : "")));
  }
  if (h.section_count != static_cast<std::uint32_t>(internal::kNumSections)) {
    return Corrupt(path, absl::StrCat("has ", h.section_count, " sections, expected ",
                                      internal::kNumSections));
  }
  const std::uint64_t table_end = sizeof(FileHeader) + sizeof(SectionEntry) * h.section_count;
  if (table_end > size) return Corrupt(path, "section table runs past the end of the file");
  if (internal::Crc32c(0, base + sizeof(FileHeader), table_end - sizeof(FileHeader)) !=
      h.table_crc) {
    return Corrupt(path, "section table checksum mismatch");
  }
  std::vector<PendingCrc> pending;
  for (int i = 0; i < internal::kNumSections; ++i) {
    const auto& spec = internal::kSectionSpecs[static_cast<std::size_t>(i)];
    SectionEntry e;
    std::memcpy(&e, base + sizeof(FileHeader) + sizeof(SectionEntry) * static_cast<unsigned>(i),
                sizeof(e));
    const std::string_view name(e.name, strnlen(e.name, sizeof(e.name)));
    if (name != spec.name) {
      return Corrupt(path, absl::StrCat("section ", i, " is '", Av(name), "', expected '",
                                        Av(spec.name), "'"));
    }
    const std::string where = absl::StrCat("section '", Av(spec.name), "'");
    if (e.dtype != static_cast<std::uint32_t>(spec.dtype)) {
      return Corrupt(path, absl::StrCat(where, " has element type ", e.dtype, ", expected ",
                                        Av(internal::DTypeName(spec.dtype))));
    }
    if (e.offset % internal::kSnapshotAlign != 0 || e.offset < table_end || e.offset > size ||
        e.size > size - e.offset) {
      return Corrupt(path, absl::StrCat(where, " (offset ", e.offset, ", ", e.size,
                                        " bytes) lies outside the file or is misaligned"));
    }
    if (e.size % internal::DTypeSize(spec.dtype) != 0) {
      return Corrupt(path,
                     absl::StrCat(where, " size ", e.size, " is not a whole number of elements"));
    }
    if (options.verify_checksums) pending.push_back({i, base + e.offset, e.size, e.crc});
    s.View(static_cast<internal::SectionId>(i), e.size == 0 ? nullptr : base + e.offset, e.size);
  }
  if (const int bad = FirstCrcMismatch(pending, options.threads); bad >= 0) {
    const auto& spec = internal::kSectionSpecs[static_cast<std::size_t>(pending[bad].section)];
    return Corrupt(path, absl::StrCat("section '", Av(spec.name), "' checksum mismatch"));
  }
  if (absl::Status st = s.Bind(); !st.ok()) {
    return Corrupt(path, st.message().empty()
                             ? "bad section"
                             : std::string_view(st.message().data(), st.message().size()));
  }
  if (absl::Status st = s.Validate(options.threads); !st.ok()) {
    return Corrupt(path, std::string_view(st.message().data(), st.message().size()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const Graph>> OpenSnapshot(const std::string& path,
                                                          OpenOptions options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    const std::string msg =
        absl::StrCat("snapshot '", path, "': cannot open: ", std::strerror(err));
    return err == ENOENT ? absl::NotFoundError(msg) : absl::PermissionDeniedError(msg);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const std::string msg = absl::StrCat("snapshot '", path, "': fstat: ", std::strerror(errno));
    ::close(fd);
    return absl::UnavailableError(msg);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(absl::StrCat("snapshot '", path, "': not a regular file"));
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  auto storage = std::make_unique<Graph::Storage>();
  void* addr = nullptr;
  if (size > 0) {
    addr = ::mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (addr == MAP_FAILED) {
      const std::string msg = absl::StrCat("snapshot '", path, "': mmap: ", std::strerror(errno));
      ::close(fd);
      return absl::ResourceExhaustedError(msg);
    }
    storage->AdoptMapping(addr, static_cast<std::size_t>(size));
  }
  ::close(fd);  // the mapping stays valid
  if (absl::Status s =
          MapSections(path, static_cast<const std::byte*>(addr), size, options, *storage);
      !s.ok()) {
    return s;
  }
  return internal::GraphAccess::Make(std::move(storage));
}

}  // namespace polegraph
