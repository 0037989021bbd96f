// libFuzzer harness for ExtractReader: arbitrary bytes are put in an in-memory file
// (memfd) and read as an extract — Open, a Next() loop parsing every record into the
// message type the header names, and Verify. It must never crash, hang or leak, and the
// reader's own promises are checked (a failed check aborts, which the fuzzer reports):
//   - frames come back in order: index 0, 1, 2, ...; offsets strictly increasing and inside
//     the file; payloads inside the mapping and within limits.max_record_bytes;
//   - errors are DataLoss / FailedPrecondition (InvalidArgument only from Parse), they name
//     the file, and a failed Next() is sticky;
//   - a file read to a verified end has as many records as its trailer counts, and Verify
//     agrees with the Next() loop.
// Each input is also run a second time with its frame CRCs and trailer digest recomputed,
// so that mutations reach the framing rules, the trailer checks and the protobuf parsers.
// Not a *_test.cc, so the test glob skips it. Build (clang 14):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined tests/fuzz/extract_fuzz.cc \
//     ... (the ingest and graph libraries, polegraph_proto, protobuf, absl status)
// With -DPOLEGRAPH_FUZZ_STANDALONE it gets a main() that runs each file named on the command
// line once (for replaying a corpus without libFuzzer).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "graph/crc32c.h"
#include "polegraph/anpr.pb.h"
#include "polegraph/extract.h"
#include "polegraph/pnc.pb.h"
#include "polegraph/pnd.pb.h"

namespace {

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "extract_fuzz: invariant violated: %s\n", what);
    std::abort();
  }
}

bool IsDamageCode(const absl::Status& s) {
  return s.code() == absl::StatusCode::kDataLoss ||
         s.code() == absl::StatusCode::kFailedPrecondition;
}

bool NamesFile(const absl::Status& s, const std::string& path) {
  return std::string(s.message()).find(path) != std::string::npos;
}

google::protobuf::MessageLite* MessageFor(polegraph::pb::SourceSystem source,
                                          polegraph::pb::PncRecord* pnc,
                                          polegraph::pb::PndRecord* pnd,
                                          polegraph::pb::AnprRecord* anpr) {
  switch (source) {
    case polegraph::pb::PNC:
      return pnc;
    case polegraph::pb::PND:
      return pnd;
    default:
      return anpr;
  }
}

void ReadExtract(const std::string& path, std::uint64_t size) {
  // Small limits so that deep or long inputs reach the limit checks quickly.
  const polegraph::ExtractLimits limits{.max_record_bytes = 1 << 16, .max_nesting = 8};
  auto verified = polegraph::ExtractReader::Verify(path, limits);
  auto r = polegraph::ExtractReader::Open(path, limits);
  if (!r.ok()) {
    Require(IsDamageCode(r.status()), "Open error is DataLoss or FailedPrecondition");
    Require(NamesFile(r.status(), path), "Open error names the file");
    Require(!verified.ok() && verified.status() == r.status(), "Verify fails as Open does");
    return;
  }
  polegraph::ExtractReader& reader = **r;
  Require(reader.file_size() == size, "file_size");
  polegraph::pb::PncRecord pnc;
  polegraph::pb::PndRecord pnd;
  polegraph::pb::AnprRecord anpr;
  google::protobuf::MessageLite* msg = MessageFor(reader.header().source(), &pnc, &pnd, &anpr);
  polegraph::ExtractReader::Frame f;
  std::uint64_t n = 0, last_offset = 0;
  while (true) {
    auto more = reader.Next(&f);
    if (!more.ok()) {
      Require(more.status().code() == absl::StatusCode::kDataLoss, "Next error is DataLoss");
      Require(NamesFile(more.status(), path), "Next error names the file");
      Require(reader.position() <= size, "error position inside the file");
      Require(reader.Next(&f).status() == more.status(), "Next errors are sticky");
      Require(!verified.ok() && verified.status() == more.status(), "Verify agrees with Next");
      return;
    }
    if (!*more) break;
    Require(f.index == n, "indices are 0, 1, 2, ...");
    Require(f.offset > last_offset && f.offset < size, "offsets increase inside the file");
    Require(f.offset + 9 + f.payload.size() <= size, "frame inside the file");
    Require(f.payload.size() <= limits.max_record_bytes, "payload within the limit");
    last_offset = f.offset;
    ++n;
    absl::Status s = reader.Parse(f.payload, msg);
    Require(s.ok() || s.code() == absl::StatusCode::kInvalidArgument,
            "Parse error is InvalidArgument");
  }
  Require(reader.trailer().record_count() == n, "trailer count matches");
  Require(reader.position() == size, "a verified file ends at the trailer");
  Require(verified.ok() && verified->record_count() == n, "Verify agrees with Next");
  auto again = reader.Next(&f);
  Require(again.ok() && !*again, "Next after the end returns false");
}

// Runs ReadExtract on `bytes` held in an anonymous in-memory file (the reader maps files,
// and memfd avoids the disk).
void ReadBytes(std::string_view bytes) {
  int fd = ::memfd_create("extract_fuzz", MFD_CLOEXEC);
  if (fd < 0) return;
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (w <= 0) break;
    done += static_cast<std::size_t>(w);
  }
  if (done == bytes.size()) ReadExtract("/proc/self/fd/" + std::to_string(fd), bytes.size());
  ::close(fd);
}

// Rewrites every frame CRC (and the trailer digest field when it is the canonical last 5
// bytes of the trailer payload) so that mutations get past the CRCs to the framing rules,
// the trailer check and the protobuf parsers. Returns false when nothing changed.
bool FixChecksums(std::string* bytes) {
  const std::string original = *bytes;
  std::uint64_t pos = 8;
  std::uint32_t digest = 0;
  while (pos + 5 <= bytes->size()) {
    char* p = bytes->data() + pos;
    std::uint32_t len = 0;
    for (int i = 0; i < 4; ++i)
      len |= std::uint32_t{static_cast<unsigned char>(p[1 + i])} << (8 * i);
    if (pos + 9 + std::uint64_t{len} > bytes->size()) break;
    if (p[0] == 'R') digest = polegraph::internal::Crc32c(digest, p + 5, len);
    if (p[0] == 'T' && len >= 5 && p[5 + len - 5] == '\x15') {
      for (int i = 0; i < 4; ++i) p[5 + len - 4 + i] = static_cast<char>(digest >> (8 * i));
    }
    const std::uint32_t crc = polegraph::internal::Crc32c(0, p, 5 + len);
    for (int i = 0; i < 4; ++i) p[5 + len + i] = static_cast<char>(crc >> (8 * i));
    pos += 9 + std::uint64_t{len};
  }
  return *bytes != original;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  ReadBytes(bytes);
  if (FixChecksums(&bytes)) ReadBytes(bytes);
  return 0;
}

#ifdef POLEGRAPH_FUZZ_STANDALONE
int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  return 0;
}
#endif
