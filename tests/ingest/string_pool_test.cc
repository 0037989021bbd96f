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

TEST_CASE("StringPool Intern without a hash equals Intern with HashOf; Reserve changes nothing") {
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
