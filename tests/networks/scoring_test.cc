// NMI and ARI against hand-worked values and brute-force pair counting.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "polegraph/networks.h"

namespace polegraph {
namespace {

using Labels = std::vector<std::uint32_t>;

TEST_CASE("NMI and ARI: hand-worked values") {
  // a = {0,0,1,1}, b = {0,0,0,1}: H(a) = ln 2, H(b) = -(3/4 ln 3/4 + 1/4 ln 1/4),
  // H(a,b) = -(1/2 ln 1/2 + 2 * 1/4 ln 1/4) = 1.5 ln 2, so
  // NMI = 2 (H(a) + H(b) - H(a,b)) / (H(a) + H(b)) = 0.3437110184854508.
  // ARI: sum C(n_ij,2) = 1, rows 1 + 1 = 2, cols 3 + 0 = 3, C(4,2) = 6, E = 1:
  // (1 - 1) / (2.5 - 1) = 0.
  const Labels a = {0, 0, 1, 1}, b = {0, 0, 0, 1};
  CHECK(*NormalizedMutualInformation(a, b) == Approx(0.3437110184854508).epsilon(1e-12));
  CHECK(*AdjustedRandIndex(a, b) == Approx(0.0).margin(1e-12));
  // Identical up to renaming: both 1.
  const Labels c = {5, 5, 9, 9, 2};
  const Labels d = {1, 1, 0, 0, 7};
  CHECK(*NormalizedMutualInformation(c, d) == Approx(1.0));
  CHECK(*AdjustedRandIndex(c, d) == Approx(1.0));
  // a = {0,0,0,1,1,1}, b = {0,0,1,1,2,2}: cells 2,1,1,2 -> sum C = 2; rows 3 + 3 = 6;
  // cols 1 + 1 + 1 = 3; C(6,2) = 15; E = 18/15 = 1.2; ARI = 0.8 / (4.5 - 1.2) = 0.24242424.
  CHECK(*AdjustedRandIndex(Labels{0, 0, 0, 1, 1, 1}, Labels{0, 0, 1, 1, 2, 2}) ==
        Approx(0.8 / 3.3));
  // One block against singletons: NMI 0 (H(a) = 0, I = 0).
  CHECK(*NormalizedMutualInformation(Labels{0, 0, 0}, Labels{0, 1, 2}) ==
        Approx(0.0).margin(1e-12));
  CHECK(NormalizedMutualInformation(Labels{0}, Labels{0, 1}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(AdjustedRandIndex(Labels{}, Labels{}).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("ARI equals the pair-counting definition on random labellings") {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    const int n = 30;
    Labels a(n), b(n);
    for (int i = 0; i < n; ++i) {
      a[i] = rng() % 4;
      b[i] = rng() % 5;
    }
    // Pairs: together in both (n11), only a (n10), only b (n01), neither (n00).
    double n11 = 0, n10 = 0, n01 = 0, n00 = 0;
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        const bool sa = a[i] == a[j], sb = b[i] == b[j];
        (sa && sb ? n11 : sa ? n10 : sb ? n01 : n00) += 1;
      }
    }
    const double ari =
        2 * (n11 * n00 - n10 * n01) / ((n11 + n10) * (n10 + n00) + (n11 + n01) * (n01 + n00));
    CHECK(*AdjustedRandIndex(a, b) == Approx(ari).epsilon(1e-9));
  }
}

}  // namespace
}  // namespace polegraph
