// The byte layout of extract files, shared by ExtractWriter and ExtractReader (the format is
// documented in include/polegraph/extract.h). Private to lib/ingest.
#ifndef POLEGRAPH_LIB_INGEST_EXTRACT_FORMAT_H_
#define POLEGRAPH_LIB_INGEST_EXTRACT_FORMAT_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace polegraph::internal {

inline constexpr std::string_view kExtractMagic = "PGXTRCT1";
inline constexpr std::size_t kFramePrefixBytes = 5;  // type byte + 4-byte length
inline constexpr std::size_t kFrameCrcBytes = 4;
inline constexpr char kHeaderFrame = 'H';
inline constexpr char kRecordFrame = 'R';
inline constexpr char kTrailerFrame = 'T';

inline void StoreLe32(std::uint32_t v, char* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// One 4-byte load (GCC 12 at -O2 kept the byte-by-byte form as a loop of four loads and
// shifts, on every frame the scan and the parse walk).
inline std::uint32_t LoadLe32(const char* in) {
  std::uint32_t v;
  std::memcpy(&v, in, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_INGEST_EXTRACT_FORMAT_H_
