// BlockRecycler (lib/graph/block_recycler.h): which blocks are kept and reused, the cap, the
// scopes, ChunkedVector's chunks, and Columns allocated from it by several threads against
// std::vector.
#include "graph/block_recycler.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "graph/chunked_vector.h"
#include "graph/column.h"

namespace polegraph::internal {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

TEST_CASE("recycler outside a scope keeps nothing", "[recycler]") {
  const RecyclerStats before = GetRecyclerStats();
  void* p = RecyclerAllocate(4 * kMiB);
  std::memset(p, 7, 4 * kMiB);
  RecyclerFree(p);
  RecyclerFree(nullptr);
  const RecyclerStats after = GetRecyclerStats();
  CHECK(after.kept_blocks == 0);
  CHECK(after.kept_bytes == 0);
  CHECK(after.reused == before.reused);
  CHECK(after.fresh == before.fresh);
  void* z = RecyclerAllocate(0);  // a valid pointer, freed normally
  CHECK(z != nullptr);
  RecyclerFree(z);
}

#if defined(__GLIBC__)
TEST_CASE("recycler reuses the smallest kept block that fits", "[recycler]") {
  const RecyclerScope scope;
  auto* a = static_cast<unsigned char*>(RecyclerAllocate(4 * kMiB));
  auto* b = static_cast<unsigned char*>(RecyclerAllocate(2 * kMiB));
  void* small = RecyclerAllocate(kMiB / 2);  // below the minimum: never kept
  std::memset(a, 1, 4 * kMiB);
  std::memset(b, 2, 2 * kMiB);
  RecyclerFree(a);
  RecyclerFree(b);
  RecyclerFree(small);
  RecyclerStats st = GetRecyclerStats();
  CHECK(st.kept_blocks == 2);
  CHECK(st.kept_bytes >= 6 * kMiB);
  const std::size_t reused = st.reused;
  // 1.5 MiB fits both: the 2 MiB block is taken, its bytes as they were left.
  auto* c = static_cast<unsigned char*>(RecyclerAllocate(3 * kMiB / 2));
  CHECK(c == b);
  CHECK(c[0] == 2);
  CHECK(c[3 * kMiB / 2 - 1] == 2);
  // 3 MiB fits only the 4 MiB block.
  auto* d = static_cast<unsigned char*>(RecyclerAllocate(3 * kMiB));
  CHECK(d == a);
  st = GetRecyclerStats();
  CHECK(st.kept_blocks == 0);
  CHECK(st.kept_bytes == 0);
  CHECK(st.reused == reused + 2);
  RecyclerFree(c);
  RecyclerFree(d);
  CHECK(GetRecyclerStats().kept_blocks == 2);
}

TEST_CASE("recycler keeps its blocks past a fresh allocation none fits", "[recycler]") {
  const RecyclerScope scope;
  std::vector<void*> blocks;
  for (int i = 0; i < 4; ++i) blocks.push_back(RecyclerAllocate(2 * kMiB));
  for (void* p : blocks) RecyclerFree(p);
  CHECK(GetRecyclerStats().kept_blocks == 4);
  const std::size_t fresh = GetRecyclerStats().fresh;
  // 5 MiB: no kept block holds it, so it is made fresh and the four stay.
  void* big = RecyclerAllocate(5 * kMiB);
  RecyclerStats st = GetRecyclerStats();
  CHECK(st.fresh == fresh + 1);
  CHECK(st.kept_blocks == 4);
  RecyclerFree(big);
  st = GetRecyclerStats();
  CHECK(st.kept_blocks == 5);
  CHECK(st.kept_bytes >= 13 * kMiB);
  // The 5 MiB block is now the only one that fits 3 MiB.
  void* again = RecyclerAllocate(3 * kMiB);
  CHECK(again == big);
  RecyclerFree(again);
}

TEST_CASE("recycler keeps at most its cap and frees all when the last scope closes",
          "[recycler]") {
  {
    const RecyclerScope outer;
    {
      const RecyclerScope inner;
      const std::size_t block = 32 * kMiB;
      const std::size_t n = kMaxRecycledBytes / block + 3;
      std::vector<void*> blocks;
      for (std::size_t i = 0; i < n; ++i) blocks.push_back(RecyclerAllocate(block));
      for (void* p : blocks) RecyclerFree(p);
      const RecyclerStats st = GetRecyclerStats();
      CHECK(st.kept_bytes <= kMaxRecycledBytes);
      CHECK(st.kept_blocks >= kMaxRecycledBytes / block - 1);
      CHECK(st.kept_blocks < n);
    }
    CHECK(GetRecyclerStats().kept_blocks > 0);  // the outer scope is still open
  }
  CHECK(GetRecyclerStats().kept_blocks == 0);
  CHECK(GetRecyclerStats().kept_bytes == 0);
}

TEST_CASE("ChunkedVector's chunks released inside a scope are kept and reused", "[recycler]") {
  const RecyclerScope scope;
  using Vec = ChunkedVector<std::uint64_t>;  // 2 MiB chunks
  Vec v;
  for (std::size_t i = 0; i < 2 * Vec::kChunk; ++i) v.push_back(i);
  const RecyclerStats before = GetRecyclerStats();
  const std::uint64_t* first = &v[0];
  v.ReleaseChunk(0);
  const RecyclerStats kept = GetRecyclerStats();
  CHECK(kept.kept_blocks == before.kept_blocks + 1);
  CHECK(kept.kept_bytes >= before.kept_bytes + Vec::kChunk * sizeof(std::uint64_t));
  // The next allocation of a chunk's size takes the released chunk, its bytes as they were.
  auto* p = static_cast<std::uint64_t*>(RecyclerAllocate(Vec::kChunk * sizeof(std::uint64_t)));
  CHECK(p == first);
  CHECK(p[Vec::kChunk - 1] == Vec::kChunk - 1);
  CHECK(GetRecyclerStats().reused == kept.reused + 1);
  RecyclerFree(p);
  CHECK(v[2 * Vec::kChunk - 1] == 2 * Vec::kChunk - 1);  // the other chunk is untouched
  v.Clear();  // its chunk is kept too
  CHECK(GetRecyclerStats().kept_blocks == before.kept_blocks + 2);
}
#endif

// Columns of random sizes (empty, one element, below and above the minimum block) made,
// filled, checked against a std::vector holding the same values, and freed by 1, 2 and 8
// threads at once inside a scope; the last thread's scope frees what is kept.
TEST_CASE("Columns from the recycler match std::vector at 1/2/8 threads", "[recycler]") {
  for (int threads : {1, 2, 8}) {
    const RecyclerScope scope;
    std::vector<int> bad(static_cast<std::size_t>(threads), 0);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([t, &bad] {
        std::mt19937_64 rng(static_cast<std::uint64_t>(t) * 7919 + 1);
        const std::size_t sizes[] = {0, 1, 1000, (kMiB / 4) - 1, kMiB / 4, kMiB, 3 * kMiB};
        for (int round = 0; round < 24; ++round) {
          const std::size_t n = sizes[rng() % std::size(sizes)] + rng() % 3;
          Column<std::uint32_t> col(n);
          std::vector<std::uint32_t> oracle(n);
          for (std::size_t i = 0; i < n; ++i) {
            col[i] = oracle[i] = static_cast<std::uint32_t>(rng());
          }
          if (rng() % 2 == 0 && n > 0) {  // grow: a reallocation copies into a new block
            col.resize(2 * n);
            oracle.resize(2 * n);
            for (std::size_t i = n; i < 2 * n; ++i) {
              col[i] = oracle[i] = static_cast<std::uint32_t>(i);
            }
          }
          if (!std::equal(col.begin(), col.end(), oracle.begin(), oracle.end())) ++bad[t];
        }
      });
    }
    for (auto& th : pool) th.join();
    for (int t = 0; t < threads; ++t) CHECK(bad[static_cast<std::size_t>(t)] == 0);
    CHECK(GetRecyclerStats().kept_bytes <= kMaxRecycledBytes);
  }
  CHECK(GetRecyclerStats().kept_blocks == 0);
}

}  // namespace
}  // namespace polegraph::internal
