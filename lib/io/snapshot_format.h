// The on-disk layout of a snapshot file (kSnapshotFormatVersion). Little-endian throughout.
//
//   offset 0     FileHeader (64 bytes)
//   offset 64    SectionEntry[section_count] (64 bytes each, in SectionId order)
//   then         the sections, each starting at a multiple of 64, zero padding between them,
//                in file order: by the Build stage that finishes them, SectionId order within
//                a stage (kFileOrder, graph/storage_stream.h), so a file can be written while
//                Build runs. (Before session 9 they were in SectionId order; readers never
//                depended on the order — each entry's offset says where its section is — so
//                the version did not change and files of either order open alike.)
//
// A section holds exactly the bytes of one Graph::Storage section (lib/graph/storage.h), so
// opening maps the file and points the storage at it. header_crc covers the header with that
// field zeroed; table_crc covers the section table; each entry's crc covers its section.
#ifndef POLEGRAPH_LIB_IO_SNAPSHOT_FORMAT_H_
#define POLEGRAPH_LIB_IO_SNAPSHOT_FORMAT_H_

#include <bit>
#include <cstdint>

namespace polegraph::internal {

static_assert(std::endian::native == std::endian::little,
              "snapshot files are little-endian; a big-endian port needs byte swapping");

inline constexpr char kSnapshotMagic[8] = {'P', 'G', 'S', 'N', 'A', 'P', '0', '1'};
inline constexpr std::uint64_t kSnapshotAlign = 64;

struct FileHeader {
  char magic[8];
  std::uint32_t format_version;
  std::uint32_t section_count;
  std::uint64_t file_size;   // total bytes, to detect truncation before anything else
  std::uint32_t table_crc;   // CRC-32C of the section table
  std::uint32_t header_crc;  // CRC-32C of this header with header_crc = 0
  std::uint8_t reserved[32];
};
static_assert(sizeof(FileHeader) == 64);

struct SectionEntry {
  char name[32];  // NUL-padded section name, e.g. "out.neighbours"
  std::uint32_t dtype;
  std::uint32_t reserved;
  std::uint64_t offset;  // from the start of the file; a multiple of 64
  std::uint64_t size;    // bytes
  std::uint32_t crc;     // CRC-32C of the section's bytes
  std::uint32_t reserved2;
};
static_assert(sizeof(SectionEntry) == 64);

inline std::uint64_t AlignUp(std::uint64_t x) {
  return (x + kSnapshotAlign - 1) / kSnapshotAlign * kSnapshotAlign;
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_IO_SNAPSHOT_FORMAT_H_
