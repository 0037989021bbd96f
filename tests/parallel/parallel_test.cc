// Tests for the parallel primitives (lib/parallel): every index visited once, prefix sums
// against std::partial_sum, the fixed-order sum bit-identical at any thread count, frontier
// buffers, bitmap and atomic minimum under contention.
#include "parallel/parallel.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <random>
#include <vector>

#include "parallel/frontier.h"

namespace pi = polegraph::internal;

TEST_CASE("ParallelFor and ParallelForDynamic visit every index exactly once", "[parallel]") {
  for (int threads : {1, 2, 8}) {
    const std::size_t n = 100'003;
    std::vector<std::atomic<int>> hits(n);
    pi::ParallelFor(0, n, threads, [&](std::size_t i) { hits[i].fetch_add(1); });
    pi::ParallelForDynamic(0, n, threads, [&](std::size_t i) { hits[i].fetch_add(1); });
    for (std::size_t i = 0; i < n; ++i) REQUIRE(hits[i].load() == 2);
  }
}

TEST_CASE("ParallelFor on an empty or reversed range does nothing", "[parallel]") {
  int calls = 0;
  pi::ParallelFor(5, 5, 4, [&](std::size_t) { ++calls; });
  pi::ParallelFor(7, 3, 4, [&](std::size_t) { ++calls; });
  CHECK(calls == 0);
}

TEST_CASE("PrefixSum matches std::partial_sum at any thread count", "[parallel]") {
  std::mt19937_64 rng(7);
  std::vector<std::uint32_t> counts(300'001);
  for (auto& c : counts) c = static_cast<std::uint32_t>(rng() % 100);
  std::vector<std::uint64_t> expected(counts.size() + 1, 0);
  std::partial_sum(counts.begin(), counts.end(), expected.begin() + 1,
                   [](std::uint64_t a, std::uint64_t b) { return a + b; });
  for (int threads : {1, 2, 8}) {
    std::vector<std::uint64_t> offsets;
    std::uint64_t total = pi::PrefixSum(counts, offsets, threads);
    CHECK(total == expected.back());
    CHECK(offsets == expected);
  }
}

TEST_CASE("DeterministicSum is bit-identical at 1, 2 and 8 threads", "[parallel]") {
  // Values of wildly different magnitudes: a naive per-thread reduction would round
  // differently with the thread count.
  std::mt19937_64 rng(11);
  std::vector<double> x(123'457);
  for (auto& v : x) v = std::ldexp(static_cast<double>(rng() % 1000003), -int(rng() % 60));
  // The reference: blocks of 4096 summed left to right, then the block sums in order.
  double reference = 0;
  for (std::size_t lo = 0; lo < x.size(); lo += 4096) {
    double s = 0;
    for (std::size_t i = lo; i < std::min(x.size(), lo + 4096); ++i) s += x[i];
    reference += s;
  }
  for (int threads : {1, 2, 8}) {
    double s = pi::DeterministicSum<double>(x.size(), threads, [&](std::size_t i) { return x[i]; });
    CHECK(std::memcmp(&s, &reference, sizeof s) == 0);
  }
  CHECK(pi::DeterministicSum<double>(0, 4, [](std::size_t) { return 1.0; }) == 0.0);
}

TEST_CASE("FrontierBuffers collect every pushed item once", "[parallel]") {
  for (int threads : {1, 2, 8}) {
    pi::FrontierBuffers<std::uint32_t> buffers(threads);
    std::vector<std::uint32_t> out;
    pi::ParallelForDynamic(0, 50'000, threads, [&](std::size_t i) {
      if (i % 3 == 0) buffers.local().push_back(static_cast<std::uint32_t>(i));
    });
    REQUIRE(buffers.Collect(out, threads) == 16'667);
    std::sort(out.begin(), out.end());
    for (std::size_t k = 0; k < out.size(); ++k) REQUIRE(out[k] == 3 * k);
    // Buffers are empty after Collect.
    REQUIRE(buffers.Collect(out, threads) == 0);
  }
}

TEST_CASE("Bitmap set_atomic from many threads, get, reset and swap", "[parallel]") {
  const std::size_t n = 10'000;
  pi::Bitmap a(n), b(n);
  pi::ParallelFor(
      0, n, 8,
      [&](std::size_t i) {
        if (i % 7 == 0) a.set_atomic(i);
      },
      16);
  for (std::size_t i = 0; i < n; ++i) REQUIRE(a.get(i) == (i % 7 == 0));
  a.swap(b);
  CHECK(b.get(0));
  CHECK_FALSE(a.get(0));
  b.reset();
  for (std::size_t i = 0; i < n; ++i) REQUIRE_FALSE(b.get(i));
}

TEST_CASE("AtomicMin keeps the minimum under contention", "[parallel]") {
  std::atomic<std::int64_t> m{1'000'000};
  std::atomic<int> wins{0};
  pi::ParallelFor(
      0, 100'000, 8,
      [&](std::size_t i) {
        if (pi::AtomicMin(m, static_cast<std::int64_t>((i * 7919) % 100'000) + 5)) ++wins;
      },
      16);
  CHECK(m.load() == 5);
  CHECK(wins.load() >= 1);
  CHECK_FALSE(pi::AtomicMin(m, std::int64_t{5}));  // not lowered: equal
}
