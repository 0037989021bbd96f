// Misreads: hand-worked candidates and a brute-force oracle (an edit-distance dynamic
// programme over every plate) on a random plate population.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "anpr_fixture.h"

namespace polegraph::testing {
namespace {

bool Confusable(char a, char b) {
  static const char* kGroups[] = {"O0DQ", "I1T", "B8", "S5", "Z2", "G6"};
  if (a == b) return true;
  for (const char* g : kGroups) {
    const std::string s = g;
    if (s.find(a) != std::string::npos && s.find(b) != std::string::npos) return true;
  }
  return false;
}

// Fewest confusable substitutions turning q into p with at most `indels` insertions or
// deletions; -1 when impossible. dp[i][j][k]: q[0..i) -> p[0..j) with k indels.
int MinSubstitutions(const std::string& q, const std::string& p, int indels) {
  constexpr int kInf = 1 << 20;
  std::vector dp(q.size() + 1, std::vector(p.size() + 1, std::vector<int>(indels + 1, kInf)));
  dp[0][0][0] = 0;
  for (std::size_t i = 0; i <= q.size(); ++i) {
    for (std::size_t j = 0; j <= p.size(); ++j) {
      for (int k = 0; k <= indels; ++k) {
        const int cur = dp[i][j][k];
        if (cur >= kInf) continue;
        if (i < q.size() && j < p.size() && Confusable(q[i], p[j])) {
          dp[i + 1][j + 1][k] = std::min(dp[i + 1][j + 1][k], cur + (q[i] != p[j]));
        }
        if (k < indels && i < q.size()) dp[i + 1][j][k + 1] = std::min(dp[i + 1][j][k + 1], cur);
        if (k < indels && j < p.size()) dp[i][j + 1][k + 1] = std::min(dp[i][j + 1][k + 1], cur);
      }
    }
  }
  int best = kInf;
  for (int k = 0; k <= indels; ++k) best = std::min(best, dp[q.size()][p.size()][k]);
  return best >= kInf ? -1 : best;
}

TEST_CASE("misreads: hand-worked candidates, ranked by likelihood", "[anpr][misreads]") {
  AnprGraph b;
  auto site = b.Site("S", 51.5, -0.1);
  auto ab = b.Plate("AB12CDE");   // the read with 8 -> B: one substitution
  b.Plate("A812CDE");             // exact read: never its own candidate
  auto o0 = b.Plate("AB12C0E");   // D -> 0 and 8 -> B: two substitutions
  auto drop = b.Plate("AB12CD");  // 8 -> B, and the camera added a character
  b.Plate("XY12CDE");             // X/A not confusable: no
  b.Read(ab, site, kDay0);
  b.Read(ab, site, kDay0 + 60);
  b.Read(o0, site, kDay0);
  (void)drop;
  auto g = std::move(b).Build();
  REQUIRE(g != nullptr);
  // Worked by hand (MisreadCandidate): w = (reads + 1) * 0.1^subs * 0.05^indels, and the VRM
  // as read, A812CDE, known but never read, weighs 0 + 1.
  //   AB12CDE (2 reads, 1 sub)          w = 3 * 0.1        = 0.3
  //   AB12C0E (1 read, 2 subs)          w = 2 * 0.01       = 0.02
  //   AB12CD  (0 reads, 1 sub, 1 indel) w = 1 * 0.1 * 0.05 = 0.005
  //   total = 1 + 0.3 + 0.02 + 0.005 = 1.325
  auto r = FindMisreads(*g, "a812 cde", {}, Ctx());
  REQUIRE(r.ok());
  REQUIRE(r->size() == 3);
  CHECK(g->key((*r)[0].plate) == "AB12CDE");
  CHECK((*r)[0].substitutions == 1);
  CHECK((*r)[0].likelihood == Approx(0.3 / 1.325));
  CHECK((*r)[0].reads == 2);
  CHECK(g->key((*r)[1].plate) == "AB12C0E");
  CHECK((*r)[1].likelihood == Approx(0.02 / 1.325));
  CHECK(g->key((*r)[2].plate) == "AB12CD");
  CHECK((*r)[2].likelihood == Approx(0.005 / 1.325));
  // At most one substitution: AB12C0E drops out (and out of the total: 1.305).
  auto more = FindMisreads(*g, "A812CDE", {.max_substitutions = 1}, Ctx());
  REQUIRE(more.ok());
  REQUIRE(more->size() == 2);
  CHECK(g->key((*more)[1].plate) == "AB12CD");
  CHECK((*more)[1].indels == 1);
  CHECK((*more)[1].likelihood == Approx(0.005 / 1.305));
  // Read as AB12CDE, a plate read twice, the VRM itself weighs 2 + 1 = 3; the plate read once
  // beats the one never read at the same number of substitutions:
  //   AB12C0E (1 read, 1 sub D/0)   w = 2 * 0.1  = 0.2
  //   A812CDE (0 reads, 1 sub 8/B)  w = 1 * 0.1  = 0.1
  //   AB12CD  (0 reads, 1 indel)    w = 1 * 0.05 = 0.05     total = 3 + 0.35 = 3.35
  auto known = FindMisreads(*g, "AB12CDE", {}, Ctx());
  REQUIRE(known.ok());
  REQUIRE(known->size() == 3);
  CHECK(g->key((*known)[0].plate) == "AB12C0E");
  CHECK((*known)[0].likelihood == Approx(0.2 / 3.35));
  CHECK(g->key((*known)[1].plate) == "A812CDE");
  CHECK((*known)[1].likelihood == Approx(0.1 / 3.35));
  CHECK(g->key((*known)[2].plate) == "AB12CD");
  CHECK((*known)[2].likelihood == Approx(0.05 / 3.35));
  CHECK(FindMisreads(*g, "AB12CDE", {.pseudo_reads = 0}, Ctx()).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(FindMisreads(*g, " ", {}, Ctx()).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("misreads match a brute-force edit-distance oracle", "[anpr][misreads]") {
  std::mt19937 rng(3);
  const std::string alphabet = "ABDGIOQSTZ0125689CEX";  // rich in confusable characters
  auto pick = [&] {
    return alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
  };
  AnprGraph b;
  std::vector<std::string> keys;
  for (int i = 0; i < 3000; ++i) {
    std::string k;
    const int len = std::uniform_int_distribution<int>(4, 6)(rng);
    for (int c = 0; c < len; ++c) k += pick();
    keys.push_back(k);
    b.Plate(k);
  }
  auto g = std::move(b).Build();
  REQUIRE(g != nullptr);
  auto index = MisreadIndex::Build(*g, Ctx(2));
  REQUIRE(index.ok());
  std::size_t total = 0;
  for (int q = 0; q < 60; ++q) {
    std::string query = keys[static_cast<std::size_t>(q) * 37 % keys.size()];
    query[static_cast<std::size_t>(q) % query.size()] = pick();
    for (bool indel : {false, true}) {
      const MisreadOptions o{.max_substitutions = 2, .allow_indel = indel, .max_results = 0};
      auto fast = index->Find(query, o);
      REQUIRE(fast.ok());
      std::vector<std::pair<NodeId, int>> brute;
      const auto [first, last] = g->KindRange(NodeKind::kPlate);
      for (NodeId v = first; v < last; ++v) {
        const std::string key(g->key(v));
        if (key == query) continue;
        const int same_length = key.size() == query.size() ? MinSubstitutions(query, key, 0) : -1;
        const int subs = same_length >= 0 ? same_length : MinSubstitutions(query, key, indel);
        if (subs >= 0 && subs <= 2) brute.push_back({v, subs});
      }
      std::vector<std::pair<NodeId, int>> got;
      for (const MisreadCandidate& c : *fast) got.push_back({c.plate, c.substitutions});
      std::sort(got.begin(), got.end());
      CHECK(got == brute);
      for (std::size_t i = 1; i < fast->size(); ++i) {
        CHECK((*fast)[i - 1].likelihood >= (*fast)[i].likelihood);
      }
      total += brute.size();
    }
  }
  CHECK(total > 30);
}

}  // namespace
}  // namespace polegraph::testing
