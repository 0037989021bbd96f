// Internal to ingest: two CRC-32Cs in one pass (crc32c_pair.cc). ExtractReader needs two for
// every record frame: the frame's own CRC over type, length and payload, and the file's running
// digest over the payload only, i.e. over the same bytes but the first five.
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_CRC32C_PAIR_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_CRC32C_PAIR_H_

#include <cstddef>
#include <cstdint>

namespace polegraph::ingest_internal {

// Extends *a with a_size bytes at `a_data` and *b with b_size bytes at `b_data` (each a CRC-32C
// value as graph/crc32c.h's Crc32c gives, 0 to start): afterwards *a == Crc32c(old *a, a_data,
// a_size) and *b == Crc32c(old *b, b_data, b_size). The buffers may overlap. With SSE4.2 the
// two dependency chains of the crc32 instruction run interleaved, so the pair costs about what
// the longer CRC alone costs (the instruction's latency, not its throughput, bounds a single
// chain); without it this is two Crc32c calls. Thread-safe; O(a_size + b_size).
void Crc32cPair(const void* a_data, std::size_t a_size, std::uint32_t* a, const void* b_data,
                std::size_t b_size, std::uint32_t* b);

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_CRC32C_PAIR_H_
