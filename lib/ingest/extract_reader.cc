// ExtractReader: reads and verifies the framed extract format of polegraph/extract.h.
//
// The file is memory-mapped read-only and walked frame by frame. Each frame is checked in
// the order the bytes allow: enough bytes for type and length, a known type, a length within
// ExtractLimits::max_record_bytes and within the file, then the CRC-32C over type, length and
// payload. Record payloads are chained into a running CRC-32C that the trailer's digest must
// match, the trailer's record count must match the frames seen, and the trailer must end the
// file. CRC-32C detects every error burst of up to 32 bits within a frame, so any single
// changed byte fails a CRC (or, in a length field, the framing); a cut anywhere fails the
// framing or leaves the trailer missing; a removed or repeated whole frame fails the
// trailer's count, and reordered frames fail its digest (unless the concatenated payload bytes
// are unchanged, as when an empty record moves: the digest covers payloads only, per format).
// Cost: O(file size), one pass over each payload for both CRCs (Crc32cPair: the frame's CRC
// and the digest run as two interleaved chains); no allocation per record. Session 10: the
// pair took the scan CPU of the scale-10 extracts from 0.567 to 0.522 s (warm page cache);
// a software prefetch 2 KiB ahead of each frame was tried and dropped (no gain: the pages
// come in by fault-around, and the hardware prefetcher keeps up within them). About 30 % of the
// scan's CPU is the kernel mapping the file's pages (next_uptodate_folio) and unmapping them;
// read() into a reused buffer would trade that for a copy of the same size (not tried).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/io/coded_stream.h"
#include "graph/crc32c.h"
#include "ingest/extract_format.h"
#include "ingest/internal/crc32c_pair.h"
#include "polegraph/extract.h"

namespace polegraph {
namespace {

// One frame as found in the mapping.
struct RawFrame {
  char type = 0;
  std::uint64_t offset = 0;
  std::string_view payload;
};

std::string FrameName(char type) {
  switch (type) {
    case internal::kHeaderFrame:
      return "header frame";
    case internal::kRecordFrame:
      return "record frame";
    case internal::kTrailerFrame:
      return "trailer frame";
    default:
      return absl::StrFormat("frame of unknown type 0x%02x",
                             static_cast<unsigned>(static_cast<unsigned char>(type)));
  }
}

bool ParseWithLimits(std::string_view payload, int max_nesting,
                     google::protobuf::MessageLite* message) {
  if (payload.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return false;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const std::uint8_t*>(payload.data()),
                                            static_cast<int>(payload.size()));
  in.SetTotalBytesLimit(static_cast<int>(payload.size()));
  in.SetRecursionLimit(max_nesting);
  return message->ParseFromCodedStream(&in) && in.ConsumedEntireMessage() &&
         static_cast<std::size_t>(in.CurrentPosition()) == payload.size();
}

// Reads the frame at `*pos` from data[0, size) and advances *pos past it. On failure *pos is
// unchanged and the status (DataLoss) names `path` and the frame's offset. `digest`, when
// given, is extended with a record frame's payload (once the frame's CRC matched) in the same
// pass over the bytes as that CRC (Crc32cPair).
absl::Status ReadFrame(const std::string& path, const char* data, std::uint64_t size,
                       const ExtractLimits& limits, std::uint64_t* pos, RawFrame* out,
                       std::uint32_t* digest = nullptr) {
  const std::uint64_t at = *pos;
  auto damage = [&](const std::string& what) {
    return absl::DataLossError(absl::StrCat(path, ": offset ", at, ": ", what));
  };
  const std::uint64_t remaining = size - at;
  if (remaining == 0) {
    return damage("file ends without a trailer frame: the extract is truncated");
  }
  if (remaining < internal::kFramePrefixBytes) {
    return damage(absl::StrCat("frame prefix truncated: needs ", internal::kFramePrefixBytes,
                               " bytes, ", remaining, " remain"));
  }
  const char type = data[at];
  if (type != internal::kHeaderFrame && type != internal::kRecordFrame &&
      type != internal::kTrailerFrame) {
    return damage(absl::StrCat(FrameName(type), ": the extract is damaged"));
  }
  const std::uint32_t length = internal::LoadLe32(data + at + 1);
  if (length > limits.max_record_bytes) {
    return damage(absl::StrCat(FrameName(type), " length ", length, " exceeds the limit of ",
                               limits.max_record_bytes,
                               " bytes (ExtractLimits::max_record_bytes): damaged or hostile"));
  }
  const std::uint64_t frame_bytes =
      internal::kFramePrefixBytes + std::uint64_t{length} + internal::kFrameCrcBytes;
  if (frame_bytes > remaining) {
    return damage(absl::StrCat(FrameName(type), " of ", frame_bytes,
                               " bytes truncated: ", remaining, " bytes remain in the file"));
  }
  const char* crc_at = data + at + internal::kFramePrefixBytes + length;
  const std::uint32_t stored = internal::LoadLe32(crc_at);
  std::uint32_t computed = 0;
  std::uint32_t extended = 0;
  const bool chained = digest != nullptr && type == internal::kRecordFrame;
  if (chained) {
    extended = *digest;
    ingest_internal::Crc32cPair(data + at, internal::kFramePrefixBytes + length, &computed,
                                data + at + internal::kFramePrefixBytes, length, &extended);
  } else {
    computed = internal::Crc32c(0, data + at, internal::kFramePrefixBytes + length);
  }
  if (stored != computed) {
    return damage(
        absl::StrFormat("%s CRC mismatch (stored 0x%08x, computed 0x%08x): the extract is damaged",
                        FrameName(type), stored, computed));
  }
  if (chained) *digest = extended;
  out->type = type;
  out->offset = at;
  out->payload = std::string_view(data + at + internal::kFramePrefixBytes, length);
  *pos = at + frame_bytes;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ExtractReader>> ExtractReader::Open(const std::string& path,
                                                                   ExtractLimits limits) {
  if (limits.max_record_bytes == 0 || limits.max_nesting <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ExtractLimits must be positive (max_record_bytes ",
                     limits.max_record_bytes, ", max_nesting ", limits.max_nesting, ")"));
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot open extract"));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return absl::ErrnoToStatus(err, absl::StrCat(path, ": cannot stat extract"));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a regular file"));
  }
  std::unique_ptr<ExtractReader> r(new ExtractReader());
  r->path_ = path;
  r->limits_ = limits;
  r->size_ = static_cast<std::uint64_t>(st.st_size);
  if (r->size_ > 0) {
    void* map = ::mmap(nullptr, r->size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      int err = errno;
      ::close(fd);
      return absl::ErrnoToStatus(err, absl::StrCat(path, ": cannot map extract"));
    }
    ::madvise(map, r->size_, MADV_SEQUENTIAL);
    r->data_ = static_cast<const char*>(map);
  }
  ::close(fd);  // the mapping keeps the file open

  const std::string magic(internal::kExtractMagic);
  if (r->size_ < magic.size() || std::string_view(r->data_, magic.size()) != magic) {
    return absl::DataLossError(
        absl::StrCat(path, ": offset 0: not a polegraph extract (the magic \"", magic,
                     "\" is missing", r->size_ < magic.size() ? ": file too short" : "", ")"));
  }
  r->pos_ = magic.size();
  RawFrame f;
  if (absl::Status s = ReadFrame(path, r->data_, r->size_, limits, &r->pos_, &f); !s.ok()) {
    return s;
  }
  if (f.type != internal::kHeaderFrame) {
    return absl::DataLossError(absl::StrCat(path, ": offset ", f.offset,
                                            ": expected a header frame first, found a ",
                                            FrameName(f.type)));
  }
  if (!ParseWithLimits(f.payload, limits.max_nesting, &r->header_)) {
    return absl::DataLossError(
        absl::StrCat(path, ": offset ", f.offset, ": the header frame does not parse"));
  }
  if (r->header_.schema_version() != kExtractSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": extract schema version ", r->header_.schema_version(),
                     " is not supported (this build reads version ", kExtractSchemaVersion,
                     "): convert the extract or use a matching polegraph"));
  }
  const pb::SourceSystem source = r->header_.source();
  if (source != pb::PNC && source != pb::PND && source != pb::ANPR) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": extract source ", static_cast<int>(source), " is not PNC, PND or ANPR"));
  }
  return r;
}

ExtractReader::~ExtractReader() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
}

absl::StatusOr<bool> ExtractReader::Next(Frame* frame) {
  if (!error_.ok()) return error_;
  if (done_) return false;
  RawFrame f;
  if (absl::Status s = ReadFrame(path_, data_, size_, limits_, &pos_, &f, &digest_); !s.ok()) {
    error_ = s;
    return s;
  }
  if (f.type == internal::kRecordFrame) {  // digest_ has its payload (ReadFrame)
    frame->offset = f.offset;
    frame->index = index_++;
    frame->payload = f.payload;
    return true;
  }
  auto damage = [&](std::uint64_t at, const std::string& what) {
    pos_ = at;
    error_ = absl::DataLossError(absl::StrCat(path_, ": offset ", at, ": ", what));
    return error_;
  };
  if (f.type == internal::kHeaderFrame) {
    return damage(f.offset, "a second header frame: the extract is damaged");
  }
  if (!ParseWithLimits(f.payload, limits_.max_nesting, &trailer_)) {
    return damage(f.offset, "the trailer frame does not parse");
  }
  if (trailer_.record_count() != index_) {
    return damage(f.offset, absl::StrCat("the trailer counts ", trailer_.record_count(),
                                         " records but the file holds ", index_,
                                         ": record frames are missing or repeated"));
  }
  if (trailer_.digest() != digest_) {
    return damage(f.offset, absl::StrFormat("the trailer digest 0x%08x does not match the records' "
                                            "digest 0x%08x: record frames are changed or reordered",
                                            trailer_.digest(), digest_));
  }
  if (pos_ != size_) {
    return damage(pos_, absl::StrCat(size_ - pos_, " unexpected bytes after the trailer"));
  }
  done_ = true;
  return false;
}

void ExtractReader::DropResidentPages() const {
  if (data_ != nullptr) ::madvise(const_cast<char*>(data_), size_, MADV_DONTNEED);
}

absl::Status ExtractReader::ScanChunks(std::uint64_t records_per_chunk,
                                       std::vector<Chunk>* chunks) {
  if (records_per_chunk == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path_, ": ScanChunks needs at least one record per chunk"));
  }
  Frame f;
  bool open = false;  // the last chunk in *chunks takes more frames
  while (true) {
    const std::uint64_t at = pos_;
    absl::StatusOr<bool> more = Next(&f);
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    if (!open || chunks->back().records == records_per_chunk) {
      chunks->push_back(Chunk{at, at, f.index, 0});
      open = true;
    }
    chunks->back().end = pos_;
    ++chunks->back().records;
  }
}

void ExtractReader::ForEachRecord(const Chunk& chunk,
                                  absl::FunctionRef<void(const Frame&)> fn) const {
  std::uint64_t at = chunk.begin;
  Frame f;
  const std::uint64_t end = std::min(chunk.end, size_);
  for (std::uint64_t i = 0; i < chunk.records && at + internal::kFramePrefixBytes <= end; ++i) {
    const std::uint32_t length = internal::LoadLe32(data_ + at + 1);
    if (at + internal::kFramePrefixBytes + length + internal::kFrameCrcBytes > end) break;
    f.offset = at;
    f.index = chunk.first_index + i;
    f.payload = std::string_view(data_ + at + internal::kFramePrefixBytes, length);
    fn(f);
    at += internal::kFramePrefixBytes + std::uint64_t{length} + internal::kFrameCrcBytes;
  }
}

absl::StatusOr<pb::ExtractTrailer> ExtractReader::Verify(const std::string& path,
                                                         ExtractLimits limits) {
  absl::StatusOr<std::unique_ptr<ExtractReader>> r = Open(path, limits);
  if (!r.ok()) return r.status();
  Frame f;
  while (true) {
    absl::StatusOr<bool> more = (*r)->Next(&f);
    if (!more.ok()) return more.status();
    if (!*more) return (*r)->trailer();
  }
}

absl::Status ExtractReader::Parse(std::string_view payload,
                                  google::protobuf::MessageLite* message) const {
  if (payload.size() > limits_.max_record_bytes ||
      !ParseWithLimits(payload, limits_.max_nesting, message)) {
    return absl::InvalidArgumentError(absl::StrCat(
        path_, ": a ", message->GetTypeName(), " payload of ", payload.size(),
        " bytes does not parse (malformed, or nested deeper than ", limits_.max_nesting, ")"));
  }
  return absl::OkStatus();
}

}  // namespace polegraph
