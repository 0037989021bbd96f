// StringPool (lib/graph/string_pool.h), the builder's interning table that ingest's apply phase
// leans on, checked against a brute-force oracle: a std::map from string to the id it should
// have (dense, in first-seen order). Also the pre-hashed GraphBuilder overloads, checked
// against the plain ones.
#include "graph/string_pool.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "polegraph/graph.h"

namespace polegraph::testing {
namespace {

using internal::StringPool;

// Random strings over a small alphabet (so that repeats and shared prefixes are common), with
// the empty string, and lengths around the slot's inline length limit (65535).
std::vector<std::string> Workload(std::uint32_t seed, std::size_t n) {
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t r = rng() % 100;
    std::size_t length = rng() % 12;
    if (r == 0) length = 65534 + rng() % 3;  // 65534, 65535 (the limit), 65536
    std::string s(length, 'a');
    for (char& c : s) c = static_cast<char>('a' + rng() % 3);
    if (r == 0 && (rng() % 2) == 0) s.assign(length, 'b');  // long repeats
    out.push_back(std::move(s));
  }
  out.push_back("");
  out.push_back("");
  return out;
}

// Interns every string with `hash` and checks ids, Find and Get against the oracle.
template <typename HashFn>
void CheckAgainstOracle(const std::vector<std::string>& strings, HashFn hash) {
  StringPool pool;
  std::map<std::string, std::uint32_t> oracle;
  for (const std::string& s : strings) {
    auto [it, inserted] = oracle.try_emplace(s, static_cast<std::uint32_t>(oracle.size()));
    const std::optional<std::uint32_t> before = pool.Find(s, hash(s));
    REQUIRE(before.has_value() == !inserted);
    pool.Prefetch(hash(s));
    pool.PrefetchChars(hash(s));
    REQUIRE(pool.Intern(s, hash(s)) == it->second);
  }
  REQUIRE(pool.size() == oracle.size());
  for (const auto& [s, id] : oracle) {
    REQUIRE(pool.Get(id) == s);
    REQUIRE(pool.Find(s, hash(s)) == std::optional<std::uint32_t>(id));
  }
  REQUIRE_FALSE(pool.Find("zzz-not-there", hash("zzz-not-there")).has_value());
  pool.DropIndex();  // Get still works
  for (const auto& [s, id] : oracle) REQUIRE(pool.Get(id) == s);
}

TEST_CASE("StringPool numbers distinct strings densely in first-seen order") {
  const std::vector<std::string> strings = Workload(1, 20000);
  SECTION("with its own hash") {
    CheckAgainstOracle(strings, [](const std::string& s) { return StringPool::HashOf(s); });
  }
  SECTION("when every hash collides (probe chains, wrap-around, equal-hash compares)") {
    CheckAgainstOracle(std::vector<std::string>(strings.begin(), strings.begin() + 3000),
                       [](const std::string&) { return std::uint64_t{0xFFFFFFFF}; });
  }
  SECTION("when hashes share their low bits only") {
    CheckAgainstOracle(strings,
                       [](const std::string& s) { return StringPool::HashOf(s) | 0xFFFFFu; });
  }
  SECTION("when the 32-bit hashes share their top bits (they choose the home slot)") {
    CheckAgainstOracle(strings, [](const std::string& s) {
      return StringPool::HashOf(s) & 0xFFFFu;  // every string starts in slot 0 (< 65536 slots)
    });
  }
}

TEST_CASE(
    "StringPool Intern without a hash equals Intern with HashOf, and Reserve changes nothing") {
  const std::vector<std::string> strings = Workload(2, 5000);
  StringPool a, b;
  b.Reserve(100000, 1 << 20);
  for (const std::string& s : strings) {
    REQUIRE(a.Intern(s) == b.Intern(s, StringPool::HashOf(s)));
  }
  REQUIRE(a.size() == b.size());
  REQUIRE(a.Find(strings[7]) == b.Find(strings[7]));
  b.Clear();
  REQUIRE(b.size() == 0);
}

// Tables of 2 MiB (131072 slots) and more live in a reserved region and grow in place (the
// old slots taken out from the last and put back under the new capacity, those whose new home
// is before their old slot or whose probe wraps put back last): 600,000 interns of about
// 310,000 distinct strings take the table from the vector through that switch and several
// in-place growths. Checked against the std::map oracle every 200,000 interns
// (counting mismatches, so that the 600,000 checks stay fast), with the plain hash, with one
// string in 64 forced to the table's last slots (a cluster that wraps around to slot 0), and
// with one in 64 forced to its first few hundred slots (a long cluster at the start: new homes
// before the old slots).
TEST_CASE("StringPool tables past 2 MiB grow in place and stay exact") {
  std::mt19937 rng(7);
  std::vector<std::string> strings;
  for (int i = 0; i < 600000; ++i) {
    std::string s = std::to_string(rng() % 400000);
    if (i % 1000 == 0) s.append(300 + rng() % 50, 'x');  // some chars past a cache line
    strings.push_back(std::move(s));
  }
  auto plain = [](const std::string& s) { return StringPool::HashOf(s); };
  auto wrapping = [](const std::string& s) {
    const std::uint64_t h = StringPool::HashOf(s);
    return h % 64 == 0 ? (h | 0xFFFFFF00u) : h;  // the top bits of the low 32 choose the home
  };
  auto front = [](const std::string& s) {
    const std::uint64_t h = StringPool::HashOf(s);
    return h % 64 == 1 ? (h & ~std::uint64_t{0xFFF00000u}) : h;  // home < capacity / 4096
  };
  auto hash_of = [&](int variant, const std::string& s) {
    return variant == 0 ? plain(s) : variant == 1 ? wrapping(s) : front(s);
  };
  for (int variant = 0; variant < 3; ++variant) {
    StringPool pool;
    std::map<std::string, std::uint32_t> oracle;
    std::size_t mismatches = 0, checks = 0;
    for (std::size_t i = 0; i < strings.size(); ++i) {
      const std::string& s = strings[i];
      const std::uint64_t h = hash_of(variant, s);
      auto [it, inserted] = oracle.try_emplace(s, static_cast<std::uint32_t>(oracle.size()));
      if (pool.Find(s, h).has_value() == inserted) ++mismatches;
      pool.Prefetch(h);
      if (!inserted && pool.PrefetchChars(h) == std::nullopt) ++mismatches;
      if (pool.Intern(s, h) != it->second) ++mismatches;
      if (i % 200000 == 199999) {  // every earlier string still found, under its own id
        for (const auto& [t, id] : oracle) {
          const std::uint64_t th = hash_of(variant, t);
          if (pool.Find(t, th) != std::optional<std::uint32_t>(id) || pool.Get(id) != t) {
            ++mismatches;
          }
          ++checks;
        }
      }
    }
    REQUIRE(oracle.size() > 300000);  // a table of 599,104 slots (9.6 MB)
    REQUIRE(checks > 600000);
    REQUIRE(mismatches == 0);
    REQUIRE(pool.size() == oracle.size());
    REQUIRE_FALSE(pool.Find("not-a-number", plain("not-a-number")).has_value());
    pool.DropIndex();  // Get still works
    for (const auto& [t, id] : oracle) {
      if (pool.Get(id) != t) ++mismatches;
    }
    REQUIRE(mismatches == 0);
  }
}

TEST_CASE("GraphBuilder pre-hashed AddNode and AddProperty equal the plain ones") {
  // Same calls through both entry points: the same handles, and graphs with the same nodes
  // and properties.
  const std::vector<std::pair<NodeKind, std::string>> keys = {
      {NodeKind::kPlate, "AB12CDE"},
      {NodeKind::kVehicle, "AB12CDE"},
      {NodeKind::kPlate, "XY51ABC"},
      {NodeKind::kPlate, "AB12CDE"},
      {NodeKind::kPerson, std::string(100, 'P')},  // longer than NodeHash's stack buffer
      {NodeKind::kLocation, ""}};
  GraphBuilder plain, hashed;
  for (GraphBuilder* b : {&plain, &hashed}) {
    b->AddExtract(ExtractInfo{});
    b->AddRecord(0, "R1", 0);
    b->InternLabel(Classification::kOfficial, "GMP", {});
  }
  std::vector<GraphBuilder::Handle> hp, hh;
  for (const auto& [kind, key] : keys) {
    hp.push_back(plain.AddNode(kind, key, 0, 0));
    hashed.PrefetchNode(GraphBuilder::NodeHash(kind, key));
    hashed.PrefetchNodeKey(GraphBuilder::NodeHash(kind, key));
    hh.push_back(hashed.AddNode(kind, key, GraphBuilder::NodeHash(kind, key), 0, 0));
  }
  REQUIRE(hp == hh);
  REQUIRE(hp == std::vector<GraphBuilder::Handle>{0, 1, 2, 0, 3, 4});
  for (std::size_t i = 0; i < hp.size(); ++i) {
    const std::string value = "value " + std::to_string(i % 2);
    plain.AddProperty(hp[i], "colour", value, 0);
    hashed.PrefetchValue(GraphBuilder::ValueHash(value));
    hashed.PrefetchValueChars(GraphBuilder::ValueHash(value));
    hashed.AddProperty(hh[i], "colour", value, GraphBuilder::ValueHash(value), 0);
  }
  auto gp = std::move(plain).Build();
  auto gh = std::move(hashed).Build();
  REQUIRE(gp.ok());
  REQUIRE(gh.ok());
  REQUIRE((*gp)->num_nodes() == 5);
  REQUIRE((*gh)->num_nodes() == 5);
  for (NodeId v = 0; v < 5; ++v) {
    REQUIRE((*gp)->kind(v) == (*gh)->kind(v));
    REQUIRE((*gp)->key(v) == (*gh)->key(v));
    REQUIRE((*gp)->property(v, "colour") == (*gh)->property(v, "colour"));
  }
  REQUIRE((*gh)->Find(NodeKind::kPlate, "AB12CDE").has_value());
  REQUIRE((*gh)->property(*(*gh)->Find(NodeKind::kPlate, "XY51ABC"), "colour") == "value 0");
}

}  // namespace
}  // namespace polegraph::testing
