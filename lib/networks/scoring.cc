// Agreement between two partitions of the same items, from their contingency table n_ij
// (items with label i in A and j in B), row sums a_i and column sums b_j:
//   NMI = 2 I(A;B) / (H(A) + H(B))  (Danon, Diaz-Guilera, Duch, Arenas 2005), with
//     I = sum n_ij/n log(n n_ij / (a_i b_j)), H(A) = -sum a_i/n log(a_i/n); 1 when
//     H(A) + H(B) = 0 (both single blocks).
//   ARI = (sum C(n_ij,2) - E) / ((sum C(a_i,2) + sum C(b_j,2)) / 2 - E),
//     E = sum C(a_i,2) sum C(b_j,2) / C(n,2)  (Hubert & Arabie 1985); 1 when the denominator
//     is 0 (both partitions all singletons or both one block).
// The table is built by sorting label pairs: O(n log n), sums in sorted order (deterministic).
#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "polegraph/networks.h"

namespace polegraph {
namespace {

struct Table {
  std::vector<double> cells, rows, cols;
  double n = 0;
};

absl::StatusOr<Table> Contingency(std::span<const std::uint32_t> a,
                                  std::span<const std::uint32_t> b, const char* what) {
  if (a.size() != b.size() || a.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": labellings must be non-empty and of ",
                                                   "equal size, got ", a.size(), " and ",
                                                   b.size()));
  }
  auto counts = [](std::vector<std::uint64_t> keys) {
    std::sort(keys.begin(), keys.end());
    std::vector<double> out;
    for (std::size_t i = 0; i < keys.size();) {
      std::size_t j = i;
      while (j < keys.size() && keys[j] == keys[i]) ++j;
      out.push_back(static_cast<double>(j - i));
      i = j;
    }
    return out;
  };
  std::vector<std::uint64_t> pairs(a.size()), ra(a.size()), rb(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    pairs[i] = (std::uint64_t{a[i]} << 32) | b[i];
    ra[i] = a[i];
    rb[i] = b[i];
  }
  return Table{counts(std::move(pairs)), counts(std::move(ra)), counts(std::move(rb)),
               static_cast<double>(a.size())};
}

double Choose2(double x) { return x * (x - 1.0) / 2.0; }

}  // namespace

absl::StatusOr<double> NormalizedMutualInformation(std::span<const std::uint32_t> a,
                                                   std::span<const std::uint32_t> b) {
  absl::StatusOr<Table> t = Contingency(a, b, "NormalizedMutualInformation");
  if (!t.ok()) return t.status();
  const double n = t->n;
  auto entropy = [n](const std::vector<double>& c) {
    double h = 0.0;
    for (double x : c) h -= x / n * std::log(x / n);
    return h;
  };
  const double ha = entropy(t->rows), hb = entropy(t->cols);
  if (ha + hb == 0.0) return 1.0;
  // I = H(A) + H(B) - H(A,B).
  const double mi = ha + hb - entropy(t->cells);
  return std::clamp(2.0 * mi / (ha + hb), 0.0, 1.0);
}

absl::StatusOr<double> AdjustedRandIndex(std::span<const std::uint32_t> a,
                                         std::span<const std::uint32_t> b) {
  absl::StatusOr<Table> t = Contingency(a, b, "AdjustedRandIndex");
  if (!t.ok()) return t.status();
  double sum_cells = 0.0, sum_rows = 0.0, sum_cols = 0.0;
  for (double x : t->cells) sum_cells += Choose2(x);
  for (double x : t->rows) sum_rows += Choose2(x);
  for (double x : t->cols) sum_cols += Choose2(x);
  const double total = Choose2(t->n);
  const double expected = total == 0.0 ? 0.0 : sum_rows * sum_cols / total;
  const double denom = 0.5 * (sum_rows + sum_cols) - expected;
  if (denom == 0.0) return 1.0;
  return (sum_cells - expected) / denom;
}

}  // namespace polegraph
