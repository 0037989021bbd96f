// polegraph/io.h — saving and opening snapshot files.
//
// A snapshot file is one file: a versioned header, a table of sections (name, offset, size,
// CRC-32C) and the sections themselves, 64-byte aligned, holding the Graph's arrays exactly as
// they sit in memory. Saving writes "<path>.tmp", fsyncs and renames it into place, so a
// reader never sees half a file. Opening memory-maps the file and checks the header, the
// section table and (by default) every section's checksum; a truncated, corrupt or foreign
// file is an error naming the file and the damaged section, never a crash.
//
// Example:
//   absl::Status s = polegraph::SaveSnapshot(*graph, "force.pg");
//   absl::StatusOr<std::shared_ptr<const polegraph::Graph>> g =
//       polegraph::OpenSnapshot("force.pg");
#ifndef POLEGRAPH_IO_H_
#define POLEGRAPH_IO_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "polegraph/graph.h"

namespace polegraph {

// Version 4 (version 3 — pooled values and merge texts, sparse positions, records by extract,
// compact offsets, node label sets — with 16-bit compact offsets, a wide block escaped to 32
// bits, and one-byte edge labels and property names, escaped past the first 255); files of
// another version are refused with a message saying to re-create them.
inline constexpr std::uint32_t kSnapshotFormatVersion = 4;

absl::Status SaveSnapshot(const Graph& graph, const std::string& path);

struct OpenOptions {
  bool verify_checksums = true;  // CRC every section (fast: hardware CRC-32C where available)
  // Threads that check the section CRCs (most of an open's time: ~4 s for a 13 GB scale-100
  // snapshot on one thread). The result, and any error, is the same for every count.
  int threads = 1;
};
absl::StatusOr<std::shared_ptr<const Graph>> OpenSnapshot(const std::string& path,
                                                          OpenOptions options = {});

}  // namespace polegraph

#endif  // POLEGRAPH_IO_H_
