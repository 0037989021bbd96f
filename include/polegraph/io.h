// polegraph/io.h — saving and opening snapshot files.
//
// A snapshot file is one file: a versioned header, a table of sections (name, offset, size,
// CRC-32C) and the sections themselves, 64-byte aligned, holding the Graph's arrays exactly as
// they sit in memory. Saving writes "<path>.tmp", fsyncs and renames it into place, so a
// reader never sees half a file. Opening memory-maps the file and checks the header, the
// section table and (by default) every section's checksum; a truncated, corrupt or foreign
// file is an error naming the file and the damaged section, never a crash.
//
// A snapshot can also be written while the graph is built (SnapshotWriter below): each section
// goes to the file as soon as GraphBuilder::Build has finished it, so most of the file is on
// disk when Build returns. Both ways write the same bytes.
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

// Writes `graph` to `path` (through "<path>.tmp", fsync'd and renamed). Thread-safe for
// distinct paths. Cost: one pass over the graph's sections (CRC and copy) and the disk write.
// Errors, each naming the path: Unavailable when "<path>.tmp" cannot be created (a missing or
// read-only directory), or a write, fsync or the rename fails (a full disk); ResourceExhausted
// when the write buffers cannot be allocated. On an error "<path>.tmp" is removed and an
// existing <path> is left as it was.
absl::Status SaveSnapshot(const Graph& graph, const std::string& path);

namespace internal {
class SectionSink;
struct SnapshotWriterAccess;
}  // namespace internal

// Writes a snapshot file while GraphBuilder::Build makes the graph:
//
//   absl::StatusOr<std::unique_ptr<SnapshotWriter>> w = SnapshotWriter::Create("force.pg");
//   if (!w.ok()) return w.status();                      // e.g. the directory is missing
//   auto graph = std::move(builder).Build(threads, **w);  // sections streamed as they finish
//   if (!graph.ok()) return graph.status();              // no snapshot appears
//   if (absl::Status s = (*w)->Commit(**graph); !s.ok()) return s;
//
// A helper thread checksums and writes each section of "<path>.tmp" as soon as Build has
// finished it, while Build goes on; Commit writes what is left and the header and section
// table, fsyncs and renames the file to <path>. Until Commit succeeds no file named <path> is
// made or replaced, and a writer destroyed without a successful Commit (a failed Build, an
// abandoned ingest) removes "<path>.tmp". The file is byte for byte the one SaveSnapshot
// writes for the built graph, at any thread count. The writer keeps the streamed graph alive
// until Commit or its destruction. Memory: 3 MiB of write buffers.
// Thread-safety: one thread uses a writer (its helper threads are internal).
class SnapshotWriter {
 public:
  // Creates "<path>.tmp" (Unavailable naming it when that fails).
  static absl::StatusOr<std::unique_ptr<SnapshotWriter>> Create(const std::string& path);
  ~SnapshotWriter();
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;

  // Completes the file and puts it in place. `graph` must be the graph that Build streamed
  // into this writer or, when no Build used it, any graph (then all of it is written here).
  // FailedPrecondition when the Build that used the writer failed, the graph is another, or
  // Commit was already called; Unavailable on a write, fsync or rename error (then
  // "<path>.tmp" is removed and <path> is untouched).
  absl::Status Commit(const Graph& graph);

 private:
  friend class GraphBuilder;
  friend struct internal::SnapshotWriterAccess;
  explicit SnapshotWriter(std::unique_ptr<internal::SectionSink> sink);
  std::unique_ptr<internal::SectionSink> sink_;
};

struct OpenOptions {
  // CRC every section (fast: hardware CRC-32C where available). With false, the header,
  // section table and structure (array sizes, offsets, id ranges) are still checked, so no
  // accessor reads outside the file whatever its bytes; but a changed byte that leaves the
  // structure valid (a key, a time, a label, a neighbour id still in range) goes undetected
  // and gives wrong answers. Turn it off only for a file just written and checked.
  bool verify_checksums = true;
  // Threads that check the section CRCs (most of an open's time: ~4 s for a 13 GB scale-100
  // snapshot on one thread). The result, and any error, is the same for every count. Values
  // below 1 are taken as 1.
  int threads = 1;
};

// Memory-maps the snapshot file at `path` (read-only, private) and checks it (file comment).
// The Graph keeps the mapping for its lifetime, shared by every copy of the pointer; the file
// must not be truncated or modified in place while a Graph maps it (replace it with a rename,
// as SaveSnapshot does: a Graph already open keeps reading the old file). Errors, each naming
// the path: NotFound (no such file), PermissionDenied (cannot open it for another reason),
// InvalidArgument (not a regular file), Unavailable (fstat failed), ResourceExhausted (mmap
// failed: address space or memory), FailedPrecondition (another format version: re-create the
// snapshot), DataLoss (truncated, corrupt or foreign file: bad magic, a header, table or
// section CRC mismatch, a section out of bounds, an invalid structure; names the section).
// Cost: one pass over the file for the CRCs (on options.threads) and one for the structure.
absl::StatusOr<std::shared_ptr<const Graph>> OpenSnapshot(const std::string& path,
                                                          OpenOptions options = {});

}  // namespace polegraph

#endif  // POLEGRAPH_IO_H_
