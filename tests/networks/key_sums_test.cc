// KeySums and SmallSums (lib/networks/internal/key_sums.h) against a std::map oracle: KeySums'
// two paths (the small table and the dense array) and SmallSums list the keys in order of
// first touch with the sums of their weights, and a dense use leaves nothing behind for the
// next one.
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

// Adds `adds` to s (a KeySums in use, or a SmallSums) and checks the keys and sums against
// the oracle.
template <typename Sums>
void CheckAdds(Sums& s, const std::vector<Added>& adds) {
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
}

// Runs one use over `adds` and checks it against the oracle.
void CheckUse(KeySums& s, const std::vector<Added>& adds, std::size_t universe) {
  s.Begin(adds.size(), universe);
  CheckAdds(s, adds);
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

TEST_CASE("SmallSums lists up to 8 keys in first-touch order with their sums") {
  // Hand-worked: keys 4, 2, 4, 4, 8 with weights 0.5, 1, 2, 0.125, 3 -> 4: 2.625, 2: 1, 8: 3.
  SmallSums hand;
  const Added worked[] = {{4, 0.5}, {2, 1.0}, {4, 2.0}, {4, 0.125}, {8, 3.0}};
  for (const Added& a : worked) hand.Add(a.key, a.w);
  REQUIRE(hand.size() == 3);
  CHECK(hand.key(0) == 4);
  CHECK(hand.sum(0) == 2.625);
  CHECK(hand.key(1) == 2);
  CHECK(hand.sum(1) == 1.0);
  CHECK(hand.key(2) == 8);
  CHECK(hand.sum(2) == 3.0);

  // Random uses of up to 8 distinct keys (each repeated), against the same oracle as KeySums.
  std::mt19937 rng(23);
  std::uniform_real_distribution<double> weight(0.1, 3.0);
  for (int use = 0; use < 200; ++use) {
    const std::size_t distinct = 1 + use % SmallSums::kMaxKeys;
    std::uniform_int_distribution<NodeId> pick(0, 1u << 30);
    std::vector<NodeId> keys(distinct);
    for (NodeId& k : keys) k = pick(rng);
    std::uniform_int_distribution<std::size_t> which(0, distinct - 1);
    std::vector<Added> adds;
    for (std::size_t i = 0; i < 3 * distinct; ++i) adds.push_back({keys[which(rng)], weight(rng)});
    SmallSums s;
    CheckAdds(s, adds);
  }
}

}  // namespace
}  // namespace polegraph::internal
