// Seeded pseudo-random numbers for polegraph-gen, written here so that output is identical on
// every platform and library version (std:: distributions differ between implementations).
//
// Everything the generator draws is derived from (seed, stream, index) with Mix(): an entity's
// attributes are a pure function of its index, so records can be generated in any order, in
// chunks, without holding the world in memory.
//   - SplitMix64 (Steele, Lea, Flood 2014) mixes keys into 64-bit states;
//   - xoshiro256** (Blackman, Vigna 2018) draws sequences from such a state.
#ifndef POLEGRAPH_TOOLS_GEN_RNG_H_
#define POLEGRAPH_TOOLS_GEN_RNG_H_

#include <cmath>
#include <cstdint>
#include <vector>

namespace polegraph::gen {

__extension__ typedef unsigned __int128 Uint128;

inline std::uint64_t SplitMix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A 64-bit key for (seed, stream, index, extra); different arguments give independent keys.
inline std::uint64_t Mix(std::uint64_t seed, std::uint64_t stream, std::uint64_t index,
                         std::uint64_t extra = 0) {
  std::uint64_t h = SplitMix(seed ^ 0x5bd1e9955bd1e995ULL);
  h = SplitMix(h ^ (stream * 0xC2B2AE3D27D4EB4FULL));
  h = SplitMix(h ^ index);
  return SplitMix(h ^ (extra * 0x165667B19E3779F9ULL));
}

// Streams: one per kind of entity or decision, so adding draws to one never shifts another.
enum Stream : std::uint64_t {
  kStreamPerson = 1,
  kStreamVehicle,
  kStreamAddress,
  kStreamCrime,
  kStreamIntel,
  kStreamCustody,
  kStreamVictim,
  kStreamWorld,
  kStreamGroup,
  kStreamHour,
  kStreamBad,
  kStreamTransient,
  kStreamSite,
  kStreamDuplicate,
  kStreamPlan,
};

class Rng {
 public:
  explicit Rng(std::uint64_t key) {
    for (auto& w : s_) w = key = SplitMix(key);
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n); n > 0. (Lemire's multiply-shift; the tiny bias is irrelevant here.)
  std::uint64_t Below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<Uint128>(Next()) * n) >> 64);
  }
  std::int64_t Range(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  bool Chance(double p) { return Unit() < p; }
  // Standard normal by Box-Muller (std::log/cos/sqrt are correctly rounded enough and
  // identical across glibc versions for our purposes).
  double Normal() {
    double u = 1.0 - Unit();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * Unit());
  }
  // Heavy-tailed rank in [0, n): rank = n * u^power; power > 1 concentrates on low ranks.
  std::uint64_t SkewedRank(std::uint64_t n, double power) {
    auto r = static_cast<std::uint64_t>(static_cast<double>(n) * std::pow(Unit(), power));
    return r < n ? r : n - 1;
  }
  // Geometric-like count >= lo with mean about lo + mean_extra.
  int Geometric(int lo, double mean_extra, int hi) {
    int k = lo;
    const double p = mean_extra / (1.0 + mean_extra);
    while (k < hi && Chance(p)) ++k;
    return k;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// A fixed table of weights; Pick() returns an index with probability proportional to weight.
class WeightedTable {
 public:
  WeightedTable() = default;
  explicit WeightedTable(const std::vector<double>& weights) {
    double sum = 0;
    for (double w : weights) cumulative_.push_back(sum += w);
    for (double& c : cumulative_) c /= sum;
  }
  // Zipf-like weights 1/(rank+1)^s for `n` ranks.
  static WeightedTable Zipf(std::size_t n, double s) {
    std::vector<double> w(n);
    for (std::size_t i = 0; i < n; ++i) w[i] = 1.0 / std::pow(static_cast<double>(i + 1), s);
    return WeightedTable(w);
  }
  std::size_t Pick(Rng& rng) const {
    double u = rng.Unit();
    std::size_t lo = 0, hi = cumulative_.size() - 1;
    while (lo < hi) {
      std::size_t mid = (lo + hi) / 2;
      if (cumulative_[mid] > u)
        hi = mid;
      else
        lo = mid + 1;
    }
    return lo;
  }
  std::size_t size() const { return cumulative_.size(); }

 private:
  std::vector<double> cumulative_;
};

// A pseudo-random bijection on [0, n) and its inverse: a 4-round Feistel network on the
// smallest even number of bits covering n, with cycle walking (Black and Rogaway 2002) to stay
// inside [0, n). Used to scatter ranks over indices (so "the most active vehicle" is not
// vehicle 0) and to give every entity a distinct code (VRM, serial, VIN) without remembering
// which codes are taken. Expected cost: under 4 Feistel evaluations a call.
class Permutation {
 public:
  Permutation() = default;
  Permutation(std::uint64_t n, std::uint64_t key) : n_(n == 0 ? 1 : n) {
    half_bits_ = 1;
    while ((1ULL << (2 * half_bits_)) < n_) ++half_bits_;
    mask_ = (1ULL << half_bits_) - 1;
    for (int r = 0; r < 4; ++r) keys_[r] = SplitMix(key + 0x1234567ULL * (r + 1));
  }
  std::uint64_t operator()(std::uint64_t x) const {
    x %= n_;
    do {
      x = Forward(x);
    } while (x >= n_);
    return x;
  }
  std::uint64_t Invert(std::uint64_t y) const {
    y %= n_;
    do {
      y = Backward(y);
    } while (y >= n_);
    return y;
  }
  std::uint64_t size() const { return n_; }

 private:
  std::uint64_t Round(std::uint64_t half, int r) const { return SplitMix(half ^ keys_[r]) & mask_; }
  std::uint64_t Forward(std::uint64_t x) const {
    std::uint64_t l = x >> half_bits_, r = x & mask_;
    for (int k = 0; k < 4; ++k) {
      std::uint64_t t = l ^ Round(r, k);
      l = r;
      r = t;
    }
    return (l << half_bits_) | r;
  }
  std::uint64_t Backward(std::uint64_t y) const {
    std::uint64_t l = y >> half_bits_, r = y & mask_;
    for (int k = 3; k >= 0; --k) {
      std::uint64_t t = r ^ Round(l, k);
      r = l;
      l = t;
    }
    return (l << half_bits_) | r;
  }
  std::uint64_t n_ = 1, mask_ = 1;
  int half_bits_ = 1;
  std::uint64_t keys_[4] = {};
};

}  // namespace polegraph::gen

#endif  // POLEGRAPH_TOOLS_GEN_RNG_H_
