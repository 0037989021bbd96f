// Tests for the parallel primitives (lib/parallel): every index visited once, ParallelFor's
// blocks those of OpenMP's static schedule, an exception thrown inside a region reaching the
// caller, prefix sums against std::partial_sum, the fixed-order sum bit-identical at any
// thread count, frontier buffers, bitmap and atomic minimum under contention.
#include "parallel/parallel.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <new>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
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

TEST_CASE("ParallelFor gives each thread the block of OpenMP's static schedule", "[parallel]") {
  // The oracle, worked from the rule: n items on t threads, q = n / t, r = n % t; thread k
  // takes q + 1 items if k < r, else q, the blocks in thread order.
  for (int threads : {2, 3, 8}) {
    for (std::size_t n : {std::size_t{17'000}, std::size_t{100'003}}) {
      INFO("threads = " << threads << ", n = " << n);
      std::vector<int> thread_of(n, -1);
      const std::size_t begin = 5;
      pi::ParallelFor(
          begin, begin + n, threads,
          [&](std::size_t i) { thread_of[i - begin] = omp_get_thread_num(); }, /*grain=*/1000);
      const std::size_t t = static_cast<std::size_t>(threads);
      const std::size_t q = n / t, r = n % t;
      std::size_t i = 0;
      for (std::size_t k = 0; k < t; ++k) {
        for (std::size_t c = 0; c < q + (k < r ? 1 : 0); ++c, ++i) {
          REQUIRE(thread_of[i] == static_cast<int>(k));
        }
      }
      CHECK(i == n);
    }
  }
}

TEST_CASE("An exception thrown inside a parallel region reaches the caller", "[parallel]") {
  // Escaping an OpenMP region would end the process; each primitive rethrows the exception on
  // the calling thread (its type and message intact) and works again afterwards.
  const std::size_t n = 100'003, bad = 77'777;
  auto fail_at = [&](std::size_t i) {
    if (i == bad) throw std::runtime_error("item " + std::to_string(i));
  };
  for (int threads : {1, 2, 8}) {
    INFO("threads = " << threads);
    std::vector<std::atomic<int>> hits(n);
    auto count = [&](std::size_t i) {
      fail_at(i);
      hits[i].fetch_add(1);
    };
    CHECK_THROWS_WITH(pi::ParallelFor(0, n, threads, count), "item 77777");
    CHECK_THROWS_WITH(pi::ParallelForDynamic(0, n, threads, count), "item 77777");
    CHECK_THROWS_WITH(pi::ParallelBlocks(n, threads,
                                         [&](int, std::size_t lo, std::size_t hi) {
                                           for (std::size_t i = lo; i < hi; ++i) fail_at(i);
                                         }),
                      "item 77777");
    CHECK_THROWS_AS(pi::DeterministicSum<double>(n, threads,
                                                 [&](std::size_t i) -> double {
                                                   if (i == bad) throw std::bad_alloc();
                                                   return 1.0;
                                                 }),
                    std::bad_alloc);
    // The failing item never counted, and no item twice (the others before the stop may or
    // may not have run: with one thread exactly those below `bad` did, twice over).
    CHECK(hits[bad].load() == 0);
    std::size_t ran = 0;
    for (std::size_t i = 0; i < n; ++i) {
      REQUIRE(hits[i].load() <= 2);
      ran += static_cast<std::size_t>(hits[i].load());
    }
    if (threads == 1) CHECK(ran == 2 * bad);
    // ParallelSort: a comparator that throws only across blocks, i.e. in the merge rounds.
    // Block b (ParallelSort's bounds) holds the values = b mod blocks, in descending order.
    const std::size_t grain = std::size_t{1} << 12;
    const auto blocks = static_cast<std::size_t>(pi::ThreadsFor(n, threads, grain));
    std::vector<std::size_t> v(n);
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t lo = n * b / blocks, hi = n * (b + 1) / blocks;
      for (std::size_t i = lo; i < hi; ++i) v[i] = (hi - 1 - i) * blocks + b;
    }
    std::vector<std::size_t> sorted = v;  // the oracle: std::sort
    std::sort(sorted.begin(), sorted.end());
    auto across = [&](std::size_t a, std::size_t b) {
      if (a % blocks != b % blocks) throw std::runtime_error("compared across blocks");
      return a < b;
    };
    if (blocks > 1) {
      CHECK_THROWS_WITH(pi::ParallelSort(v, threads, across, grain), "compared across blocks");
    }
    pi::ParallelSort(v, threads, std::less<>(), grain);  // and sorts afterwards
    CHECK(v == sorted);
    // Each primitive still works after a throw.
    std::fill(hits.begin(), hits.end(), 0);
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
