// CRC-32C (Castagnoli), used to check extract frames and snapshot sections.
// Uses the SSE4.2 crc32 instruction when the CPU has it (checked once at run time), and a
// slicing-by-8 table otherwise; both give the same values.
#ifndef POLEGRAPH_LIB_GRAPH_CRC32C_H_
#define POLEGRAPH_LIB_GRAPH_CRC32C_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace polegraph::internal {

// Extends `crc` (0 to start) with `size` bytes. Crc32c(Crc32c(0, a), b) == Crc32c(0, a+b).
std::uint32_t Crc32c(std::uint32_t crc, const void* data, std::size_t size);
inline std::uint32_t Crc32c(std::string_view s) { return Crc32c(0, s.data(), s.size()); }

// The two paths Crc32c() chooses between, exposed so tests can check each against a reference:
// the portable slicing-by-8 path, and whether the SSE4.2 path is in use on this CPU.
std::uint32_t Crc32cPortable(std::uint32_t crc, const void* data, std::size_t size);
bool Crc32cUsesHardware();

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_CRC32C_H_
