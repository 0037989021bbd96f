// An independent serializer of the snapshot file layout (snapshot_format.h), for the io tests:
// the layout written out plainly, sections by the Build stage that finishes them
// (storage_stream.h's StageOf), in table order within a stage, CRCs by the portable CRC-32C.
#ifndef POLEGRAPH_TESTS_IO_SNAPSHOT_ORACLE_H_
#define POLEGRAPH_TESTS_IO_SNAPSHOT_ORACLE_H_

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "graph/crc32c.h"
#include "graph/storage.h"
#include "graph/storage_stream.h"
#include "io/snapshot_format.h"
#include "polegraph/io.h"

namespace polegraph::testing {

// The snapshot file of `s` as snapshot_format.h describes it, built in memory.
inline std::string OracleImage(const Graph::Storage& s) {
  using internal::kNumSections;
  std::string out(internal::AlignUp(sizeof(internal::FileHeader) +
                                    kNumSections * sizeof(internal::SectionEntry)),
                  '\0');
  std::vector<internal::SectionEntry> table(kNumSections);
  // The sections go by the Build stage that finishes them, in table order within a stage.
  std::vector<int> order(kNumSections);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [](int a, int b) {
    return internal::StageOf(static_cast<internal::SectionId>(a)) <
           internal::StageOf(static_cast<internal::SectionId>(b));
  });
  for (int i : order) {
    const auto& sec = s.sections[static_cast<std::size_t>(i)];
    const auto& spec = internal::kSectionSpecs[static_cast<std::size_t>(i)];
    internal::SectionEntry& e = table[static_cast<std::size_t>(i)];
    std::memset(&e, 0, sizeof e);
    std::memcpy(e.name, spec.name.data(), spec.name.size());
    e.dtype = static_cast<std::uint32_t>(spec.dtype);
    e.offset = out.size();
    e.size = sec.bytes;
    e.crc = internal::Crc32cPortable(0, sec.data, static_cast<std::size_t>(sec.bytes));
    out.append(reinterpret_cast<const char*>(sec.data), static_cast<std::size_t>(sec.bytes));
    out.resize(internal::AlignUp(out.size()), '\0');
  }
  internal::FileHeader h;
  std::memset(&h, 0, sizeof h);
  std::memcpy(h.magic, internal::kSnapshotMagic, sizeof h.magic);
  h.format_version = kSnapshotFormatVersion;
  h.section_count = kNumSections;
  h.file_size = out.size();
  h.table_crc = internal::Crc32cPortable(0, table.data(), table.size() * sizeof table[0]);
  h.header_crc = internal::Crc32cPortable(0, &h, sizeof h);
  std::memcpy(out.data(), &h, sizeof h);
  std::memcpy(out.data() + sizeof h, table.data(), table.size() * sizeof table[0]);
  return out;
}

inline std::vector<std::string> Dirs() {
  std::vector<std::string> dirs = {POLEGRAPH_BINARY_DIR};
  if (::access("/dev/shm", W_OK) == 0) dirs.push_back("/dev/shm");  // O_DIRECT often refused
  return dirs;
}

inline std::string PathIn(const std::string& dir, const std::string& name) {
  return dir + "/polegraph_save_test_" + std::to_string(::getpid()) + "-" + name;
}

}  // namespace polegraph::testing

#endif  // POLEGRAPH_TESTS_IO_SNAPSHOT_ORACLE_H_
