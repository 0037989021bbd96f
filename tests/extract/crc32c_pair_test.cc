// Crc32cPair (lib/ingest/internal/crc32c_pair.h) against the bitwise CRC-32C reference of
// extract_test_util.h: both results equal two separate reference CRCs, for the same bytes and
// for two buffers (disjoint, overlapping, one empty, either longer), every length 0..80 and
// random ones up to 8 KiB, every start alignment mod 8 (word loop and each tail step), zero,
// equal and random starting values; and chained as ExtractReader chains a frame's CRC (prefix
// and payload) and the digest (payloads only).
#include "ingest/internal/crc32c_pair.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extract_test_util.h"
#include "graph/crc32c.h"

namespace polegraph::ingest_internal {
namespace {

using test::ReferenceCrc32c;

TEST_CASE("Crc32cPair equals two reference CRCs of the same bytes", "[crc32c]") {
  std::mt19937_64 rng(20261126);
  std::vector<char> pool(8192 + 16);
  for (char& c : pool) c = static_cast<char>(rng());
  INFO("hardware path in use: " << internal::Crc32cUsesHardware());
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 80; ++n) lengths.push_back(n);
  for (int i = 0; i < 40; ++i) lengths.push_back(rng() % 8192);
  lengths.push_back(8192);
  for (std::size_t n : lengths) {
    for (std::size_t align = 0; align < 8; ++align) {
      const std::string_view bytes(pool.data() + align, n);
      const std::uint32_t seed = static_cast<std::uint32_t>(rng());
      const std::vector<std::pair<std::uint32_t, std::uint32_t>> starts = {
          {0, 0}, {0, seed}, {seed, 0}, {seed, seed}, {seed, ~seed}};
      for (auto [a0, b0] : starts) {
        INFO("length " << n << ", alignment " << align << ", starts " << a0 << " " << b0);
        std::uint32_t a = a0, b = b0;
        Crc32cPair(bytes.data(), bytes.size(), &a, bytes.data(), bytes.size(), &b);
        REQUIRE(a == ReferenceCrc32c(a0, bytes));
        REQUIRE(b == ReferenceCrc32c(b0, bytes));
        // The second buffer shorter by 0..12 bytes from a later start (a frame and its
        // payload), and a disjoint buffer of another length and alignment.
        const std::size_t skip = rng() % 13;
        const std::string_view later = bytes.substr(std::min(skip, n));
        a = a0, b = b0;
        Crc32cPair(bytes.data(), bytes.size(), &a, later.data(), later.size(), &b);
        REQUIRE(a == ReferenceCrc32c(a0, bytes));
        REQUIRE(b == ReferenceCrc32c(b0, later));
        const std::string_view other(pool.data() + (rng() % 8), rng() % (n + 20));
        a = a0, b = b0;
        Crc32cPair(other.data(), other.size(), &a, bytes.data(), bytes.size(), &b);
        REQUIRE(a == ReferenceCrc32c(a0, other));
        REQUIRE(b == ReferenceCrc32c(b0, bytes));
      }
    }
  }
}

TEST_CASE("Crc32cPair chains like a frame CRC and a running digest", "[crc32c]") {
  // The frame CRC covers a 5-byte prefix and the payload; the digest runs over payloads only.
  std::mt19937_64 rng(11);
  std::uint32_t digest = 0;
  std::string all_payloads;
  for (int n = 0; n < 200; ++n) {
    std::string prefix(5, '\0'), payload(rng() % 300, '\0');
    for (char& c : prefix) c = static_cast<char>(rng());
    for (char& c : payload) c = static_cast<char>(rng());
    const std::string frame = prefix + payload;
    std::uint32_t crc = 0;
    Crc32cPair(frame.data(), frame.size(), &crc, frame.data() + 5, payload.size(), &digest);
    all_payloads += payload;
    REQUIRE(crc == ReferenceCrc32c(0, frame));
    REQUIRE(crc == internal::Crc32c(frame));
    REQUIRE(digest == ReferenceCrc32c(0, all_payloads));
  }
}

}  // namespace
}  // namespace polegraph::ingest_internal
