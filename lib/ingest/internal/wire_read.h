// Internal to ingest: the strict protobuf wire-format readers shared by the hand-written
// decoders (anpr_decode.cc, pnc_index_decode.cc). Each reads one value at p (advancing p) and
// answers false for anything but the shortest, complete encoding, so that a decoder built on
// them takes only bytes that protobuf parses to exactly the values read.
// Reference: https://protobuf.dev/programming-guides/encoding/
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_WIRE_READ_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_WIRE_READ_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace polegraph::ingest_internal::wire {

// A varint in its shortest form (at most 10 bytes, the 10th 0 or 1, no trailing 0x00 byte
// after the first): exactly the value protobuf reads. False for any other bytes.
inline bool Varint(const char*& p, const char* end, std::uint64_t* v) {
  if (p < end && static_cast<unsigned char>(*p) < 0x80) {
    *v = static_cast<unsigned char>(*p++);
    return true;
  }
  std::uint64_t x = 0;
  for (int i = 0; i < 10 && p < end; ++i) {
    const unsigned b = static_cast<unsigned char>(*p++);
    x |= std::uint64_t{b & 0x7Fu} << (7 * i);
    if (b < 0x80) {
      if (b == 0 || (i == 9 && b > 1)) return false;  // a longer form, or beyond 64 bits
      *v = x;
      return true;
    }
  }
  return false;
}

// A length-delimited value: its length varint and that many bytes.
inline bool Bytes(const char*& p, const char* end, std::string_view* out) {
  std::uint64_t n = 0;
  if (!Varint(p, end, &n) || n > static_cast<std::uint64_t>(end - p)) return false;
  *out = std::string_view(p, static_cast<std::size_t>(n));
  p += n;
  return true;
}

// An int32 or enum field: protobuf keeps the low 32 bits of the varint.
inline bool Int32(const char*& p, const char* end, std::int32_t* out) {
  std::uint64_t v = 0;
  if (!Varint(p, end, &v)) return false;
  *out = static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return true;
}

// A fixed32 / fixed64 value (float, double), little-endian on every supported target.
template <typename T>
inline bool Fixed(const char*& p, const char* end, T* out) {
  if (end - p < static_cast<std::ptrdiff_t>(sizeof(T))) return false;
  std::memcpy(out, p, sizeof(T));
  p += sizeof(T);
  return true;
}

}  // namespace polegraph::ingest_internal::wire

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_WIRE_READ_H_
