// CRC-32C (lib/graph/crc32c.h) against published check values and against a bit-at-a-time
// reference written here from the definition: reflected polynomial 0x82F63B78, initial value
// and final XOR 0xFFFFFFFF. Both library paths (SSE4.2 when present, slicing-by-8) are checked.
#include "graph/crc32c.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "extract/extract_test_util.h"

namespace polegraph::internal {
namespace {

using test::ReferenceCrc32c;

std::string Bytes(std::initializer_list<int> v) {
  std::string s;
  for (int b : v) s.push_back(static_cast<char>(b));
  return s;
}

std::string Iota(int n, int start, int step) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>(start + i * step));
  return s;
}

TEST_CASE("CRC-32C check values", "[crc32c]") {
  struct Case {
    std::string data;
    std::uint32_t crc;
  };
  // "123456789" is the standard check input; the 32-byte vectors are RFC 3720 appendix B.4.
  const std::vector<Case> cases = {
      {"", 0x00000000u},
      {"123456789", 0xE3069283u},
      {std::string(32, '\0'), 0x8A9136AAu},
      {std::string(32, '\xFF'), 0x62A8AB43u},
      {Iota(32, 0, 1), 0x46DD794Eu},
      {Iota(32, 31, -1), 0x113FDB5Cu},
      {Bytes({'a'}), 0xC1D04330u},
  };
  for (const Case& c : cases) {
    INFO("input of " << c.data.size() << " bytes");
    CHECK(ReferenceCrc32c(0, c.data) == c.crc);
    CHECK(Crc32c(c.data) == c.crc);
    CHECK(Crc32c(0, c.data.data(), c.data.size()) == c.crc);
    CHECK(Crc32cPortable(0, c.data.data(), c.data.size()) == c.crc);
  }
}

TEST_CASE("CRC-32C paths agree with the bitwise reference on random buffers", "[crc32c]") {
  std::mt19937_64 rng(20261125);
  std::vector<char> pool(8192 + 16);
  for (char& c : pool) c = static_cast<char>(rng());
  INFO("hardware path in use: " << Crc32cUsesHardware());
  std::vector<std::size_t> lengths;
  for (std::size_t n = 0; n <= 80; ++n) lengths.push_back(n);
  for (int i = 0; i < 60; ++i) lengths.push_back(rng() % 8192);
  lengths.push_back(8192);
  for (std::size_t n : lengths) {
    // Every start alignment mod 8, so the word loops and byte tails are all exercised.
    for (std::size_t align = 0; align < 8; ++align) {
      const char* p = pool.data() + align;
      const std::uint32_t want = ReferenceCrc32c(0, std::string_view(p, n));
      INFO("length " << n << ", alignment " << align);
      REQUIRE(Crc32c(0, p, n) == want);
      REQUIRE(Crc32cPortable(0, p, n) == want);
      // A nonzero starting value (a chained CRC) as well.
      const std::uint32_t seed = static_cast<std::uint32_t>(rng());
      REQUIRE(Crc32c(seed, p, n) == ReferenceCrc32c(seed, std::string_view(p, n)));
      REQUIRE(Crc32cPortable(seed, p, n) == ReferenceCrc32c(seed, std::string_view(p, n)));
    }
  }
}

TEST_CASE("CRC-32C chains across any split point", "[crc32c]") {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    std::string buf(rng() % 600, '\0');
    for (char& c : buf) c = static_cast<char>(rng());
    const std::uint32_t whole = ReferenceCrc32c(0, buf);
    INFO("buffer of " << buf.size() << " bytes");
    for (std::size_t split = 0; split <= buf.size(); ++split) {
      const std::uint32_t a = Crc32c(0, buf.data(), split);
      REQUIRE(Crc32c(a, buf.data() + split, buf.size() - split) == whole);
      const std::uint32_t b = Crc32cPortable(0, buf.data(), split);
      REQUIRE(Crc32cPortable(b, buf.data() + split, buf.size() - split) == whole);
    }
    // Three pieces, the hardware and portable paths mixed.
    const std::size_t i = rng() % (buf.size() + 1);
    const std::size_t j = i + rng() % (buf.size() - i + 1);
    std::uint32_t c = Crc32c(0, buf.data(), i);
    c = Crc32cPortable(c, buf.data() + i, j - i);
    c = Crc32c(c, buf.data() + j, buf.size() - j);
    REQUIRE(c == whole);
  }
}

TEST_CASE("CRC-32C detects every single-bit error in a 64-byte buffer", "[crc32c]") {
  std::string buf = Iota(64, 3, 7);
  const std::uint32_t crc = Crc32c(buf);
  for (std::size_t byte = 0; byte < buf.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string changed = buf;
      changed[byte] = static_cast<char>(changed[byte] ^ (1 << bit));
      REQUIRE(Crc32c(changed) != crc);
    }
  }
}

}  // namespace
}  // namespace polegraph::internal
