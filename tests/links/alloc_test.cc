// A traversal allocates O(nodes) once per call, not once per hop: HopDistances on two graphs
// with the same number of nodes, one searched in 6 levels and one in ~1,500, makes the same
// number of heap allocations (at 1 thread exactly; at 2 threads the per-thread level buffers
// grow in an order that depends on scheduling, so within a slack of 32, far below the ~1,500
// extra levels) and allocates under 48 bytes per node in total. Counted by replacing the global operator new of this test binary (the counter
// only runs inside CountSearch(); OpenMP's own runtime uses malloc and is not counted).
//
// The broom graph, N nodes: a star (hub 0 with leaves 1..S, which makes the BFS go bottom-up)
// and a chain hanging from leaf 1 (S+1 -> S+2 -> ... of length L); the other nodes isolated.
//
//   leaves 2..S       chain
//       \ | /
//        [0] -- 1 -- S+1 -- S+2 -- ... -- S+L
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>

#include <catch2/catch.hpp>

#include "fixture.h"
#include "sanitizers.h"

// ThreadSanitizer's runtime defines the global operator new itself (it must see every
// allocation), so this test, which replaces it, is left out of TSan builds.
#ifndef POLEGRAPH_TEST_TSAN
namespace {

std::atomic<bool> g_counting{false};
std::atomic<std::size_t> g_allocs{0};
std::atomic<std::size_t> g_bytes{0};

void Count(std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) {
    g_allocs.fetch_add(1, std::memory_order_relaxed);
    g_bytes.fetch_add(size, std::memory_order_relaxed);
  }
}

void* CountedAlloc(std::size_t size) noexcept {
  Count(size);
  return std::malloc(size == 0 ? 1 : size);
}

void* CountedAlignedAlloc(std::size_t size, std::align_val_t align) noexcept {
  Count(size);
  const auto a = static_cast<std::size_t>(align);
  return std::aligned_alloc(a, (std::max<std::size_t>(size, 1) + a - 1) / a * a);
}

void* OrThrow(void* p) {
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

// Every replaceable form, so that each allocation is counted and freed by its own family.
void* operator new(std::size_t size) { return OrThrow(CountedAlloc(size)); }
void* operator new[](std::size_t size) { return OrThrow(CountedAlloc(size)); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return CountedAlloc(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return CountedAlloc(size);
}
void* operator new(std::size_t size, std::align_val_t a) {
  return OrThrow(CountedAlignedAlloc(size, a));
}
void* operator new[](std::size_t size, std::align_val_t a) {
  return OrThrow(CountedAlignedAlloc(size, a));
}
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return CountedAlignedAlloc(size, a);
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return CountedAlignedAlloc(size, a);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace polegraph::links_test {
namespace {

struct Counted {
  std::size_t allocs = 0;
  std::size_t bytes = 0;
  std::uint32_t depth = 0;  // largest finite distance found
};

Spec Broom(std::uint32_t n, std::uint32_t star, std::uint32_t chain) {
  Spec s;
  s.shape = absl::StrCat("broom n=", n, " chain=", chain);
  s.nodes.resize(n);
  for (std::uint32_t i = 1; i <= star; ++i) AddEdge(s, 0, i);
  AddEdge(s, 1, star + 1);
  for (std::uint32_t i = star + 1; i < star + chain; ++i) AddEdge(s, i, i + 1);
  return s;
}

Counted CountSearch(const Built& b, int threads) {
  QueryContext ctx;
  ctx.threads = threads;
  ctx.clearance = Clearance::Unrestricted();
  TraversalFilter f;
  f.direction = Direction::kOut;
  const NodeId source[] = {b.id[0]};
  g_allocs = 0;
  g_bytes = 0;
  g_counting = true;
  auto tree = HopDistances(*b.graph, source, f, kUnreached, ctx);
  g_counting = false;
  REQUIRE(tree.ok());
  Counted c{g_allocs.load(), g_bytes.load(), 0};
  for (std::uint32_t d : tree->distance) {
    if (d != kUnreached) c.depth = std::max(c.depth, d);
  }
  return c;
}

TEST_CASE("a traversal's allocations do not grow with its number of hops") {
  constexpr std::uint32_t kN = 6000, kStar = 4000;
  const Built shallow = Build(Broom(kN, kStar, 4));
  const Built deep = Build(Broom(kN, kStar, 1500));
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    // Warm-up: OpenMP's first region, lazily built tables, each graph's cached VisibleLabels.
    CountSearch(shallow, threads);
    CountSearch(deep, threads);
    const Counted a = CountSearch(shallow, threads);
    const Counted b = CountSearch(deep, threads);
    CHECK(a.depth == 1 + 4);  // hand-worked: leaf 1 at 1, chain end S+4 at 1 + 4
    CHECK(b.depth == 1 + 1500);
    if (threads == 1) {
      CHECK(b.allocs == a.allocs);
    } else {
      CHECK(b.allocs <= a.allocs + 32);  // vs ~1,500 more levels
    }
    CHECK(a.allocs <= 64);
    CHECK(a.bytes <= 48 * kN);
    CHECK(b.bytes <= 48 * kN);
  }
}

}  // namespace
}  // namespace polegraph::links_test
#endif  // POLEGRAPH_TEST_TSAN
