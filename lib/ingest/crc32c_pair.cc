// Crc32cPair (internal/crc32c_pair.h): two CRC-32Cs in one pass.
//
// How: the SSE4.2 crc32 instruction has a latency of about 3 cycles and a throughput of one a
// cycle, so one CRC chain over 8-byte words is latency-bound; a second, independent chain
// fills the idle slots and comes nearly free. Both chains take a word each per step while both
// have 8 bytes left; then each finishes alone: a rest under 8 bytes as at most one 4-, one 2-
// and one 1-byte step (not up to seven byte steps, each paying the full latency), a longer one
// by graph/crc32c.h's Crc32c. Without SSE4.2 it is two calls of Crc32c (slicing-by-8).
// Cost: O(a_size + b_size). ExtractReader's scan CRCs each record payload twice (frame CRC and
// digest): one interleaved pass instead of two (bench/HISTORY.md, "Session 10: ingest parse
// workers and file reading").
// Reference: Intel SSE4.2 CRC32 instruction; the CRC-32C definition (RFC 3720, B.4).
#include "ingest/internal/crc32c_pair.h"

#include <cstring>

#include "graph/crc32c.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace polegraph::ingest_internal {
namespace {

#if defined(__x86_64__)
// Extends the (uninverted) state c with n < 8 bytes at p.
__attribute__((target("sse4.2"))) std::uint32_t HardwareTail(std::uint32_t c,
                                                               const unsigned char* p,
                                                               std::size_t n) {
  if (n & 4) {
    std::uint32_t w;
    std::memcpy(&w, p, 4);
    c = _mm_crc32_u32(c, w);
    p += 4;
  }
  if (n & 2) {
    std::uint16_t w;
    std::memcpy(&w, p, 2);
    c = _mm_crc32_u16(c, w);
    p += 2;
  }
  if (n & 1) c = _mm_crc32_u8(c, *p);
  return c;
}

// Extends the (uninverted) state c with n bytes at p, one chain: a rest under 16 bytes (a
// frame's, whose CRC covers 5 bytes more than the digest's) here, a longer one by Crc32c
// (whose word loop this would repeat).
__attribute__((target("sse4.2"))) std::uint32_t HardwareRest(std::uint32_t c,
                                                               const unsigned char* p,
                                                               std::size_t n) {
  if (n >= 16) return ~internal::Crc32c(~c, p, n);
  if (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    c = static_cast<std::uint32_t>(_mm_crc32_u64(c, w));
    p += 8;
    n -= 8;
  }
  return HardwareTail(c, p, n);
}

__attribute__((target("sse4.2"))) void HardwarePair(const unsigned char* p, std::size_t n,
                                                    std::uint32_t* a, const unsigned char* q,
                                                    std::size_t m, std::uint32_t* b) {
  std::uint64_t x = static_cast<std::uint32_t>(~*a);
  std::uint64_t y = static_cast<std::uint32_t>(~*b);
  while (n >= 8 && m >= 8) {
    std::uint64_t v, w;
    std::memcpy(&v, p, 8);
    std::memcpy(&w, q, 8);
    x = _mm_crc32_u64(x, v);
    y = _mm_crc32_u64(y, w);
    p += 8, n -= 8;
    q += 8, m -= 8;
  }
  *a = ~HardwareRest(static_cast<std::uint32_t>(x), p, n);
  *b = ~HardwareRest(static_cast<std::uint32_t>(y), q, m);
}
#endif

}  // namespace

void Crc32cPair(const void* a_data, std::size_t a_size, std::uint32_t* a, const void* b_data,
                std::size_t b_size, std::uint32_t* b) {
#if defined(__x86_64__)
  static const bool hardware = internal::Crc32cUsesHardware();
  if (hardware) {
    HardwarePair(static_cast<const unsigned char*>(a_data), a_size, a,
                 static_cast<const unsigned char*>(b_data), b_size, b);
    return;
  }
#endif
  *a = internal::Crc32c(*a, a_data, a_size);
  *b = internal::Crc32c(*b, b_data, b_size);
}

}  // namespace polegraph::ingest_internal
