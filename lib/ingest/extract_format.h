// The byte layout of extract files, shared by ExtractWriter and ExtractReader (the format is
// documented in include/polegraph/extract.h). Private to lib/ingest.
#ifndef POLEGRAPH_LIB_INGEST_EXTRACT_FORMAT_H_
#define POLEGRAPH_LIB_INGEST_EXTRACT_FORMAT_H_

#include <cstddef>
#include <cstdint>
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

inline std::uint32_t LoadLe32(const char* in) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t{static_cast<unsigned char>(in[i])} << (8 * i);
  return v;
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_INGEST_EXTRACT_FORMAT_H_
