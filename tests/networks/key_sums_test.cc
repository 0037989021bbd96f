// KeySums (lib/networks/internal/key_sums.h) against a std::map oracle: both of its paths (the
// small table and the dense array) list the keys in order of first touch with the sums of
// their weights, and a dense use leaves nothing behind for the next one.
#include "networks/internal/key_sums.h"

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <vector>

namespace polegraph::internal {
namespace {

struct Added {
  NodeId key;
  double w;
};

// Runs one use over `adds` and checks it against the oracle.
void CheckUse(KeySums& s, const std::vector<Added>& adds, std::size_t universe) {
  s.Begin(adds.size(), universe);
  std::map<NodeId, double> oracle;
  std::vector<NodeId> first_touch;
  for (const Added& a : adds) {
    s.Add(a.key, a.w);
    if (oracle.find(a.key) == oracle.end()) first_touch.push_back(a.key);
    oracle[a.key] += a.w;  // the same additions in the same order: bit-identical sums
  }
  REQUIRE(s.size() == first_touch.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    CHECK(s.key(i) == first_touch[i]);
    CHECK(s.sum(i) == oracle[first_touch[i]]);
  }
  s.End();
}

TEST_CASE("KeySums lists keys in first-touch order with their sums, table and dense") {
  // Hand-worked: keys 7, 3, 7, 9, 3 with weights 1, 2, 0.5, 4, 0.25 -> 7: 1.5, 3: 2.25, 9: 4.
  KeySums s;
  s.Begin(5, 10);
  const Added hand[] = {{7, 1.0}, {3, 2.0}, {7, 0.5}, {9, 4.0}, {3, 0.25}};
  for (const Added& a : hand) s.Add(a.key, a.w);
  REQUIRE(s.size() == 3);
  CHECK(s.key(0) == 7);
  CHECK(s.sum(0) == 1.5);
  CHECK(s.key(1) == 3);
  CHECK(s.sum(1) == 2.25);
  CHECK(s.key(2) == 9);
  CHECK(s.sum(2) == 4.0);
  s.End();

  std::mt19937 rng(11);
  std::uniform_real_distribution<double> weight(0.1, 3.0);
  // Uses of 1 to 2000 additions over 50 000 keys: up to 64 use the table (colliding keys
  // included: a few distinct keys repeated), more the dense array; alternating both ways
  // checks that neither leaves state behind.
  for (std::size_t count : {1, 5, 64, 65, 200, 2000, 3, 1000, 64, 40}) {
    INFO("additions " << count);
    std::uniform_int_distribution<NodeId> key(0, count % 2 == 0 ? 49999 : 30);
    std::vector<Added> adds;
    for (std::size_t i = 0; i < count; ++i) adds.push_back({key(rng), weight(rng)});
    CheckUse(s, adds, 50000);
  }
}

}  // namespace
}  // namespace polegraph::internal
