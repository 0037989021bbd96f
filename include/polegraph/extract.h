// polegraph/extract.h — reading and writing extract files (the PNC, PND and ANPR feeds).
//
// File format (all integers little-endian):
//   magic    8 bytes  "PGXTRCT1"
//   frames   each:    type (1 byte: 'H' header, 'R' record, 'T' trailer)
//                     length (4 bytes, payload size, at most ExtractLimits::max_record_bytes)
//                     payload (a serialised protobuf message)
//                     crc (4 bytes: CRC-32C of type, length and payload)
//   one 'H' frame (polegraph.pb.ExtractHeader), any number of 'R' frames (PncRecord,
//   PndRecord or AnprRecord, by the header's source), one 'T' frame (ExtractTrailer: the record
//   count and a CRC-32C chained over the record payloads), then end of file.
// A file cut at any byte, or with any byte changed, fails a frame CRC, the framing, or the
// trailer check, and is reported with the file name and byte offset.
//
// Example (writing; the record types come from "polegraph/pnc.pb.h", "polegraph/pnd.pb.h" and
// "polegraph/anpr.pb.h", which this header does not include: it brings only common.pb.h):
//   #include "polegraph/pnc.pb.h"
//   polegraph::pb::ExtractHeader h;  h.set_source(polegraph::pb::PNC); h.set_force("MPS");
//   auto w = polegraph::ExtractWriter::Create("pnc.pb", h);          // StatusOr
//   polegraph::pb::PncRecord r; ... ; (*w)->Append(r);
//   absl::Status s = (*w)->Finish();   // writes the trailer, fsyncs, renames into place
// examples/extract_roundtrip.cc writes a PNC extract this way and ingests it.
// Example (reading):
//   auto r = polegraph::ExtractReader::Open("pnc.pb");
//   polegraph::ExtractReader::Frame f;
//   while (true) { auto more = (*r)->Next(&f); if (!more.ok()) ...; if (!*more) break; ... }
#ifndef POLEGRAPH_EXTRACT_H_
#define POLEGRAPH_EXTRACT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message_lite.h"
#include "polegraph/common.pb.h"

namespace polegraph {

// Parser limits, set explicitly rather than left to protobuf's defaults.
struct ExtractLimits {
  std::uint32_t max_record_bytes = 4u << 20;  // 4 MiB per record frame
  int max_nesting = 16;                       // protobuf recursion limit per record
};

inline constexpr std::uint32_t kExtractSchemaVersion = 1;

// Writes an extract file atomically: to "<path>.tmp", then fsync and rename on Finish().
// Not thread-safe. If Finish() is never called the temporary file is removed. An existing
// "<path>.tmp" (left by a crash) is overwritten. Frames are buffered (about 1 MiB) and written
// with write(2); the first I/O error is sticky: every later call returns it.
class ExtractWriter {
 public:
  // Creates "<path>.tmp" and writes the magic and the header frame. The header's
  // schema_version may be left 0 (it is written as kExtractSchemaVersion); any other value
  // than kExtractSchemaVersion, or an unspecified source, is InvalidArgument.
  static absl::StatusOr<std::unique_ptr<ExtractWriter>> Create(const std::string& path,
                                                               const pb::ExtractHeader& header);
  ~ExtractWriter();
  ExtractWriter(const ExtractWriter&) = delete;
  ExtractWriter& operator=(const ExtractWriter&) = delete;

  // Appends one record (a PncRecord, PndRecord or AnprRecord matching the header's source;
  // another message type is InvalidArgument). A payload above the default
  // ExtractLimits::max_record_bytes is InvalidArgument (readers would reject it).
  absl::Status Append(const google::protobuf::MessageLite& record);
  // Appends an already-serialised record payload as it is: for a producer that serialises
  // records itself (or copies them from another extract). The payload is not parsed or
  // checked against the header's source, so the frame is intact but the record may not be:
  // ingest quarantines a payload that does not parse as the source's record type. Errors:
  // InvalidArgument above the default ExtractLimits::max_record_bytes, the sticky I/O error,
  // or FailedPrecondition after Finish.
  absl::Status AppendSerialized(std::string_view payload);
  // Writes the trailer, flushes, fsyncs, renames "<path>.tmp" to "<path>" and fsyncs the
  // directory. Afterwards (or after a failure) Append and Finish return FailedPrecondition or
  // the sticky error.
  absl::Status Finish();
  std::uint64_t records_written() const { return count_; }

 private:
  ExtractWriter() = default;
  absl::Status WriteFrame(char type, std::string_view payload);
  absl::Status Flush();
  absl::Status Fail(absl::Status status);  // records a sticky error and returns it
  std::string path_, tmp_path_;
  int fd_ = -1;
  pb::SourceSystem source_ = pb::SOURCE_UNSPECIFIED;
  std::string buffer_;
  std::string scratch_;  // reused serialisation buffer
  std::uint64_t count_ = 0;
  std::uint32_t digest_ = 0;
  bool finished_ = false;
  absl::Status error_;
};

// Reads an extract file frame by frame, verifying every CRC, the trailer's count and digest,
// and that nothing follows the trailer. The file is read with pread into buffers, not
// memory-mapped (on a virtual machine, mapping a page of the page cache can cost more than
// copying it): Next() and ScanChunks through a window of about 1 MiB that the reader keeps
// (a longer frame widens it), ForEachRecord through the caller's buffer. A file that shrinks
// or changes while it is read is DataLoss or an I/O error's status, never a crash. Not
// thread-safe except where a method says so; open one reader per thread.
//
// Damage and salvage: Next() returns every record frame whose own CRC checks, in file order,
// up to the first damage; only then does it fail (DataLoss, naming the path and the offset of
// the damaged frame, which position() also returns). So a caller that keeps the records it got
// before the error keeps exactly the intact prefix of the file, with correct offsets and
// indices. The reader does not resynchronise after damage: once Next() has failed it returns
// the same error on every later call. A file is only known to be whole once Next() has
// returned false (trailer count and digest verified, nothing after the trailer).
// Cost: one pass over the file, two CRC-32C passes per payload (frame CRC and digest).
class ExtractReader {
 public:
  struct Frame {
    std::uint64_t offset = 0;  // byte offset of the frame's type byte
    std::uint64_t index = 0;   // 0-based record index in the file
    std::string_view payload;  // from Next(): valid until the next call of Next or ScanChunks
  };

  // Opens the file and reads the header. Errors: NotFound, DataLoss (bad magic,
  // header CRC, no header frame first), FailedPrecondition (unsupported schema version or
  // source), InvalidArgument (limits not positive, not a regular file), or the errno status.
  static absl::StatusOr<std::unique_ptr<ExtractReader>> Open(const std::string& path,
                                                             ExtractLimits limits = {});
  ~ExtractReader();
  ExtractReader(const ExtractReader&) = delete;
  ExtractReader& operator=(const ExtractReader&) = delete;

  const pb::ExtractHeader& header() const { return header_; }
  const std::string& path() const { return path_; }
  std::uint64_t file_size() const { return size_; }
  const ExtractLimits& limits() const { return limits_; }

  // Reads the next record frame into *frame. Returns true for a record, false after the
  // trailer has been read and verified. A damaged file gives DataLoss with the path and the
  // byte offset of the damage ("pnd.pb: offset 1234: record frame CRC mismatch").
  // A frame longer than limits.max_record_bytes is also DataLoss.
  absl::StatusOr<bool> Next(Frame* frame);

  // Byte offset of the next frame to read; after Next() has failed, the offset named in its
  // error (where the intact prefix ends — what a salvaging caller reports).
  std::uint64_t position() const { return pos_; }

  // Verifies the whole file (every frame and the trailer) without returning records.
  // Returns the trailer on success; the errors are those of Open() and Next().
  static absl::StatusOr<pb::ExtractTrailer> Verify(const std::string& path,
                                                   ExtractLimits limits = {});

  // Parses a record payload with the configured limits (total bytes = payload size, recursion
  // limit = limits.max_nesting) and requires the payload to be consumed entirely.
  // InvalidArgument when it does not parse or nests too deeply (a framing-intact record that
  // is bad: quarantine it, the file is not damaged). Touches only *message, so it may run
  // concurrently on one reader with a distinct message per thread.
  absl::Status Parse(std::string_view payload, google::protobuf::MessageLite* message) const;

  // Valid once the whole file verified: Next() returned false or ScanChunks OK.
  const pb::ExtractTrailer& trailer() const { return trailer_; }

  // A run of consecutive record frames of the file, from ScanChunks.
  struct Chunk {
    std::uint64_t begin = 0;        // offset of the chunk's first frame
    std::uint64_t end = 0;          // offset just past its last frame
    std::uint64_t first_index = 0;  // record index of its first frame
    std::uint64_t records = 0;      // number of record frames
  };

  // Reads and verifies every remaining frame, as Next() does, and appends the record frames to
  // *chunks as runs of at most `records_per_chunk` (>= 1) consecutive frames, so that several
  // threads can parse one file (ForEachRecord). The split depends only on the file and
  // `records_per_chunk`. Returns OK when the whole file verified (trailer included);
  // otherwise Next()'s DataLoss error (or an I/O error's status), with *chunks covering
  // exactly the intact records before the damage and position() the damage offset. After
  // it, Next() continues from position() (returns false, or the same error). Cost: one pass
  // (the CRCs) over the file.
  absl::Status ScanChunks(std::uint64_t records_per_chunk, std::vector<Chunk>* chunks);

  // Reads the bytes of `chunk` (from this reader's ScanChunks) into *buffer (reused: it only
  // grows) and calls fn(frame) for every record frame, in order, with the offsets and indices
  // Next() gave; a frame's payload views *buffer, valid until the buffer is reused. Each
  // frame's CRC is checked again, so a file changed or truncated since ScanChunks verified it
  // gives DataLoss (path, offset) -- after fn has seen the intact frames before the damage:
  // a caller that must not half-apply a file keeps what fn gathered until OK. I/O errors give
  // their errno status. Thread-safe: any number of threads may walk chunks at once, each with
  // its own buffer. Cost: one read of the chunk's bytes, one CRC pass over them.
  absl::Status ForEachRecord(const Chunk& chunk, std::string* buffer,
                             absl::FunctionRef<void(const Frame&)> fn) const;

 private:
  ExtractReader() = default;
  std::string path_;
  ExtractLimits limits_;
  class Window;  // the file read through a reused buffer (extract_reader.cc)
  // Reads the frame at pos_ (CRC-checked; a record's payload chained into digest_) and moves
  // past it: its type in *type, its offset and payload (valid until the window moves) in
  // *frame.
  absl::Status ReadNext(char* type, Frame* frame);
  int fd_ = -1;  // the open file (pread)
  std::unique_ptr<Window> window_;
  std::uint64_t size_ = 0;
  std::uint64_t pos_ = 0;
  std::uint64_t index_ = 0;
  std::uint32_t digest_ = 0;
  bool done_ = false;
  absl::Status error_;  // sticky: the first damage found
  pb::ExtractHeader header_;
  pb::ExtractTrailer trailer_;
};

}  // namespace polegraph

#endif  // POLEGRAPH_EXTRACT_H_
