// ExtractReader: reads and verifies the framed extract format of polegraph/extract.h.
//
// The file is read with pread and walked frame by frame: Next() and ScanChunks (and Verify)
// through the reader's window (a reused buffer), ForEachRecord through the caller's buffer,
// one chunk at a time (session 16: see Window). Each frame is checked in
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
// session 16 traded that for a copy into a reused buffer (Window), and the parse's reads of
// the mapping for a copy of each chunk (ForEachRecord), which also lets a file truncated
// while it is read fail with DataLoss instead of a bus error.
#include <fcntl.h>
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

// One frame as read (ReadFrame).
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

// Reads the file's bytes [at, at + n) into out with pread (short reads and EINTR retried). A
// file that ends first (it shrank after it was opened) is DataLoss, other failures their
// errno; either names `at`.
absl::Status ReadFully(const std::string& path, int fd, std::uint64_t at, std::uint64_t n,
                       char* out) {
  std::uint64_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, out + got, n - got, static_cast<off_t>(at + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      return absl::ErrnoToStatus(errno,
                                 absl::StrCat(path, ": offset ", at, ": cannot read the extract"));
    }
    if (r == 0) {
      return absl::DataLossError(absl::StrCat(path, ": offset ", at, ": the file ends before byte ",
                                              at + n, ": it was truncated after it was opened"));
    }
    got += static_cast<std::uint64_t>(r);
  }
  return absl::OkStatus();
}

// Reads the frame at `*pos` (bytes(at, n): the file's bytes [at, at + n), or nullptr when they
// cannot be read; the file is `size` bytes) and advances *pos past it. On failure *pos is
// unchanged and the status (DataLoss) names `path` and the frame's offset; bytes that cannot
// be read give DataLoss "cannot be read" (the caller may have a better status). `digest`,
// when given, is extended with a record frame's payload (once the frame's CRC matched) in the
// same pass over the bytes as that CRC (Crc32cPair). The payload views bytes' memory.
template <typename Bytes>
absl::Status ReadFrame(const std::string& path, Bytes&& bytes, std::uint64_t size,
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
  const char* prefix = bytes(at, internal::kFramePrefixBytes);
  if (prefix == nullptr) return damage("the frame cannot be read");
  const char type = prefix[0];
  if (type != internal::kHeaderFrame && type != internal::kRecordFrame &&
      type != internal::kTrailerFrame) {
    return damage(absl::StrCat(FrameName(type), ": the extract is damaged"));
  }
  const std::uint32_t length = internal::LoadLe32(prefix + 1);
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
  const char* frame = bytes(at, frame_bytes);
  if (frame == nullptr) return damage("the frame cannot be read");
  const std::uint32_t stored = internal::LoadLe32(frame + internal::kFramePrefixBytes + length);
  std::uint32_t computed = 0;
  std::uint32_t extended = 0;
  const bool chained = digest != nullptr && type == internal::kRecordFrame;
  if (chained) {
    extended = *digest;
    ingest_internal::Crc32cPair(frame, internal::kFramePrefixBytes + length, &computed,
                                frame + internal::kFramePrefixBytes, length, &extended);
  } else {
    computed = internal::Crc32c(0, frame, internal::kFramePrefixBytes + length);
  }
  if (stored != computed) {
    return damage(
        absl::StrFormat("%s CRC mismatch (stored 0x%08x, computed 0x%08x): the extract is damaged",
                        FrameName(type), stored, computed));
  }
  if (chained) *digest = extended;
  out->type = type;
  out->offset = at;
  out->payload = std::string_view(frame + internal::kFramePrefixBytes, length);
  *pos = at + frame_bytes;
  return absl::OkStatus();
}

}  // namespace

// The file read front to back through a reused buffer with pread (Next, ScanChunks): bytes
// [at, at + n) for n <= size - at, or nullptr with error() set when they cannot be read. The
// buffer holds kBytes from `at` (or the frame, if longer), so most frames cost one copy from
// the page cache, which on this project's virtual machines costs less than mapping the pages
// (scale-10 extracts: 0.36-0.39 s against 1.0 s to map and read them; bench/README.md,
// session 16); and a file that shrinks while it is read is an error, not a bus fault.
class ExtractReader::Window {
 public:
  static constexpr std::uint64_t kBytes = std::uint64_t{1} << 20;

  Window(const std::string& path, int fd, std::uint64_t size) : path_(path), fd_(fd), size_(size) {}

  const char* operator()(std::uint64_t at, std::uint64_t n) {
    if (at >= begin_ && at + n <= end_) return buffer_.data() + (at - begin_);
    const std::uint64_t want = std::min(std::max(n, kBytes), size_ - at);
    if (buffer_.size() < want) buffer_.resize(want);
    absl::Status read = ReadFully(path_, fd_, at, want, buffer_.data());
    if (!read.ok()) {
      error_ = std::move(read);
      begin_ = end_ = 0;
      return nullptr;
    }
    begin_ = at;
    end_ = at + want;
    return buffer_.data();
  }
  const absl::Status& error() const { return error_; }

 private:
  const std::string& path_;
  int fd_;
  std::uint64_t size_;
  std::vector<char> buffer_;
  std::uint64_t begin_ = 0, end_ = 0;  // the file bytes the buffer holds
  absl::Status error_;
};

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
  r->fd_ = fd;  // closed by the destructor from here on
  r->window_ = std::make_unique<Window>(r->path_, fd, r->size_);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // read front to back

  const std::string magic(internal::kExtractMagic);
  const bool too_short = r->size_ < magic.size();
  const char* start = too_short ? nullptr : (*r->window_)(0, magic.size());
  if (!too_short && start == nullptr) return r->window_->error();  // could not be read
  if (too_short || std::string_view(start, magic.size()) != magic) {
    return absl::DataLossError(
        absl::StrCat(path, ": offset 0: not a polegraph extract (the magic \"", magic,
                     "\" is missing", too_short ? ": file too short" : "", ")"));
  }
  r->pos_ = magic.size();
  char type = 0;
  Frame f;
  if (absl::Status s = r->ReadNext(&type, &f); !s.ok()) return s;
  if (type != internal::kHeaderFrame) {
    return absl::DataLossError(absl::StrCat(
        path, ": offset ", f.offset, ": expected a header frame first, found a ", FrameName(type)));
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
  if (fd_ >= 0) ::close(fd_);
}

absl::Status ExtractReader::ReadNext(char* type, Frame* frame) {
  RawFrame f;
  if (absl::Status s = ReadFrame(path_, *window_, size_, limits_, &pos_, &f, &digest_); !s.ok()) {
    return window_->error().ok() ? s : window_->error();  // a read error says more
  }
  *type = f.type;
  frame->offset = f.offset;
  frame->payload = f.payload;
  return absl::OkStatus();
}

absl::StatusOr<bool> ExtractReader::Next(Frame* frame) {
  if (!error_.ok()) return error_;
  if (done_) return false;
  char type = 0;
  Frame f;
  if (absl::Status s = ReadNext(&type, &f); !s.ok()) {
    error_ = s;
    return s;
  }
  if (type == internal::kRecordFrame) {  // digest_ has its payload (ReadFrame)
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
  if (type == internal::kHeaderFrame) {
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

absl::Status ExtractReader::ForEachRecord(const Chunk& chunk, std::string* buffer,
                                          absl::FunctionRef<void(const Frame&)> fn) const {
  if (chunk.begin > chunk.end || chunk.end > size_) {
    return absl::InvalidArgumentError(absl::StrCat(path_, ": bytes ", chunk.begin, "-", chunk.end,
                                                   " are not a chunk of this file"));
  }
  const std::uint64_t bytes = chunk.end - chunk.begin;
  if (buffer->size() < bytes) buffer->resize(bytes);
  if (absl::Status s = ReadFully(path_, fd_, chunk.begin, bytes, buffer->data()); !s.ok()) {
    return s;
  }
  const char* base = buffer->data();
  auto in_buffer = [&](std::uint64_t at, std::uint64_t) { return base + (at - chunk.begin); };
  std::uint64_t at = chunk.begin;
  Frame f;
  for (std::uint64_t i = 0; i < chunk.records; ++i) {
    RawFrame raw;
    // The chunk's end stands for the file's: a frame running past it is damage too.
    absl::Status s = ReadFrame(path_, in_buffer, chunk.end, limits_, &at, &raw);
    if (s.ok() && raw.type != internal::kRecordFrame) {
      s = absl::DataLossError(absl::StrCat(path_, ": offset ", raw.offset, ": a ",
                                           FrameName(raw.type), " among the records"));
    }
    if (!s.ok()) {
      return absl::DataLossError(
          absl::StrCat(s.message(), " (the file changed after it was verified)"));
    }
    f.offset = raw.offset;
    f.index = chunk.first_index + i;
    f.payload = raw.payload;
    fn(f);
  }
  if (at != chunk.end) {
    return absl::DataLossError(absl::StrCat(path_, ": offset ", at,
                                            ": the chunk's records end before byte ", chunk.end,
                                            " (the file changed after it was verified)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<pb::ExtractTrailer> ExtractReader::Verify(const std::string& path,
                                                         ExtractLimits limits) {
  absl::StatusOr<std::unique_ptr<ExtractReader>> r = Open(path, limits);
  if (!r.ok()) return r.status();
  std::vector<Chunk> chunks;
  if (absl::Status s = (*r)->ScanChunks(std::numeric_limits<std::uint64_t>::max(), &chunks);
      !s.ok()) {
    return s;
  }
  return (*r)->trailer();
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
