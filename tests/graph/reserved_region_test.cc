// ReservedRegion and RegionVector (lib/graph/reserved_region.h), checked against std::vector
// doing the same operations: through the ordinary allocation, the one move into the reserved
// region at 2 MiB, in-place growth there, and the fall-back past the region's size.
#include "graph/reserved_region.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <vector>

namespace polegraph::testing {
namespace {

using internal::RegionVector;
using internal::ReservedRegion;

// A 32-byte aligned element, like the resolver's origin records.
struct alignas(32) Wide {
  std::uint64_t a = 0;
  std::uint32_t b = 7;
  char c[12] = {};
  friend bool operator==(const Wide& x, const Wide& y) {
    return x.a == y.a && x.b == y.b && std::equal(x.c, x.c + 12, y.c);
  }
};

template <typename T>
bool Same(const RegionVector<T>& got, const std::vector<T>& want) {
  if (got.size() != want.size() || got.empty() != want.empty()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (!(got[i] == want[i])) return false;
  }
  return want.empty() || got.back() == want.back();
}

TEST_CASE("ReservedRegion gives zeroed, 2 MiB-aligned memory and releases it") {
  ReservedRegion r;
  REQUIRE(r.size() == 0);
  REQUIRE(r.data() == nullptr);
  if (!r.Reserve(std::size_t{3} << 20)) {  // the system refused: callers fall back
    WARN("ReservedRegion::Reserve(3 MiB) was refused here: the region itself is not checked");
    return;
  }
  REQUIRE(r.size() == std::size_t{4} << 20);     // rounded up to whole 2 MiB pages
  REQUIRE(reinterpret_cast<std::uintptr_t>(r.data()) % (std::size_t{2} << 20) == 0);
  auto* bytes = static_cast<unsigned char*>(r.data());
  REQUIRE(bytes[0] == 0);
  REQUIRE(bytes[r.size() - 1] == 0);
  bytes[12345] = 9;
  void* const at = r.data();
  REQUIRE(r.Reserve(std::size_t{64} << 20));  // reserved already: nothing changes
  REQUIRE(r.data() == at);
  REQUIRE(bytes[12345] == 9);
  r.Release();
  REQUIRE(r.size() == 0);
  REQUIRE(r.data() == nullptr);
}

TEST_CASE("RegionVector equals std::vector through the move to its region and past it") {
  // max_bytes 4 MiB: 2 MiB in, the chars move into the region; past 4 MiB they move out to an
  // ordinary allocation again. Checked after every step against std::vector.
  RegionVector<char> chars(std::size_t{4} << 20);
  std::vector<char> oracle;
  std::mt19937 rng(3);
  REQUIRE(Same(chars, oracle));
  chars.Append(nullptr, 0);  // an empty append of an empty string_view
  REQUIRE(Same(chars, oracle));
  bool ok = true;
  const char* region_data = nullptr;
  while (oracle.size() < (std::size_t{6} << 20)) {
    std::string s(rng() % 5000, static_cast<char>('a' + rng() % 26));
    chars.Append(s.data(), s.size());
    oracle.insert(oracle.end(), s.begin(), s.end());
    if (rng() % 7 == 0) {
      chars.push_back('#');
      oracle.push_back('#');
    }
    if (oracle.size() > (std::size_t{5} << 19) && oracle.size() < (std::size_t{7} << 19)) {
      if (region_data == nullptr) region_data = chars.data();
      ok = ok && chars.data() == region_data;  // in the region, growing in place
    }
    ok = ok && chars.size() == oracle.size() && chars.back() == oracle.back();
  }
  REQUIRE(ok);
  REQUIRE(Same(chars, oracle));
  chars.Clear();
  REQUIRE(chars.size() == 0);
  REQUIRE(chars.empty());
  chars.push_back('x');  // usable again after Clear
  REQUIRE(chars.size() == 1);
  REQUIRE(chars[0] == 'x');
}

TEST_CASE("RegionVector GrowTo fills, keeps alignment, and Reserve changes nothing visible") {
  RegionVector<Wide> v;
  std::vector<Wide> oracle;
  Wide fill;
  fill.a = 42;
  v.GrowTo(0, fill);
  REQUIRE(v.empty());
  std::size_t n = 1;
  while (n < 200000) {  // 6.4 MB of 32-byte elements: through the region switch
    v.GrowTo(n, fill);
    oracle.resize(n, fill);
    Wide w;
    w.a = n;
    w.b = static_cast<std::uint32_t>(n * 3);
    w.c[n % 12] = 'q';
    v[n / 2] = w;
    oracle[n / 2] = w;
    REQUIRE(reinterpret_cast<std::uintptr_t>(v.data()) % 32 == 0);
    n = n * 3 / 2 + 1;
  }
  v.GrowTo(5, fill);  // never shrinks
  REQUIRE(Same(v, oracle));
  RegionVector<std::uint64_t> r;
  std::vector<std::uint64_t> ro;
  r.Reserve(1000000);
  for (std::uint64_t i = 0; i < 300000; ++i) {
    r.push_back(i * i);
    ro.push_back(i * i);
  }
  REQUIRE(Same(r, ro));
}

}  // namespace
}  // namespace polegraph::testing
