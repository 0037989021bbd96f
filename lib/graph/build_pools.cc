// Pool strings in sorted order for GraphBuilder::Build (node keys, property values, merge
// explanations): SortedPoolOrder, its inverse (Ranks) and the sorted string column
// (PutSortedPool).
// How: every string's first 8 bytes as a big-endian integer (zero-padded), a parallel LSD
// radix sort of (prefix, id) pairs, then each run of equal prefixes refined 8 bytes deeper
// (a big run with every thread by another radix sort, a small one per task by SortRun) until
// the strings differ. Pool strings are distinct, so the order is total and the same at any
// thread count.
// Cost: O(n) per 8-byte level reached, plus the comparison sorts of small runs; memory: two
// arrays of 16-byte (prefix, id) items. A big run is refined in place, its radix sort using
// the first sort's second array (session 10: the run had been copied out, sorted with a new
// buffer and copied back, at every level: SortedPoolOrder -5 % instructions at scale 1, the
// scale-10 faults within the run-to-run spread). The arrays (and the order and ranks) are
// Columns: not zero-filled on one thread before the parallel passes write them, so their pages
// are first touched by every thread.
#include <algorithm>
#include <cstring>
#include <span>
#include <utility>
#include <vector>

#include "graph/build_steps.h"

namespace polegraph::internal {

namespace {

// The passes of RadixSortByPrefix over items[0, n), ping-ponging with scratch[0, n); returns
// whether the sorted items ended in scratch (an odd number of passes ran).
bool RadixPasses(PrefixItem* items, PrefixItem* scratch, std::size_t n, int threads) {
  constexpr std::size_t kDigits = std::size_t{1} << 16;
  const int blocks = ThreadsFor(n, threads, std::size_t{1} << 16);
  std::vector<std::uint64_t> place(kDigits * static_cast<std::size_t>(blocks));
  bool swapped = false;
  for (int shift = 0; shift < 64; shift += 16) {
    auto digit = [shift](const PrefixItem& x) {
      return static_cast<std::size_t>((x.prefix >> shift) & (kDigits - 1));
    };
    std::fill(place.begin(), place.end(), 0);
    ParallelBlocks(n, blocks, [&](int b, std::size_t lo, std::size_t hi) {
      std::uint64_t* count = place.data() + kDigits * static_cast<std::size_t>(b);
      for (std::size_t i = lo; i < hi; ++i) ++count[digit(items[i])];
    });
    std::uint64_t at = 0;
    bool trivial = false;
    for (std::size_t d = 0; d < kDigits; ++d) {
      std::uint64_t total = 0;
      for (int b = 0; b < blocks; ++b) {
        std::uint64_t& c = place[kDigits * static_cast<std::size_t>(b) + d];
        const std::uint64_t count = c;
        c = at;
        at += count;
        total += count;
      }
      if (total == n) trivial = true;
    }
    if (trivial) continue;  // every item has this digit: the pass would not move anything
    ParallelBlocks(n, blocks, [&](int b, std::size_t lo, std::size_t hi) {
      std::uint64_t* next = place.data() + kDigits * static_cast<std::size_t>(b);
      for (std::size_t i = lo; i < hi; ++i) scratch[next[digit(items[i])]++] = items[i];
    });
    std::swap(items, scratch);
    swapped = !swapped;
  }
  return swapped;
}

// Sizes scratch to n items, without copying or zero-filling (its contents are not kept).
void SizeScratch(Column<PrefixItem>& scratch, std::size_t n) {
  if (scratch.capacity() < n) Column<PrefixItem>().swap(scratch);
  scratch.resize(std::max(n, scratch.size()));
}

}  // namespace

void RadixSortByPrefix(Column<PrefixItem>& items, Column<PrefixItem>& scratch, int threads) {
  SizeScratch(scratch, items.size());
  if (RadixPasses(items.data(), scratch.data(), items.size(), threads)) {
    scratch.resize(items.size());
    items.swap(scratch);
  }
}

void RadixSortByPrefix(std::span<PrefixItem> items, Column<PrefixItem>& scratch, int threads) {
  SizeScratch(scratch, items.size());
  if (RadixPasses(items.data(), scratch.data(), items.size(), threads)) {
    ParallelBlocks(items.size(), ThreadsFor(items.size(), threads, std::size_t{1} << 16),
                   [&](int, std::size_t lo, std::size_t hi) {
                     std::copy(scratch.begin() + static_cast<std::ptrdiff_t>(lo),
                               scratch.begin() + static_cast<std::ptrdiff_t>(hi),
                               items.begin() + static_cast<std::ptrdiff_t>(lo));
                   });
  }
}

void RadixSortByPrefix(Column<PrefixItem>& items, int threads) {
  Column<PrefixItem> scratch;
  RadixSortByPrefix(items, scratch, threads);
}

namespace {

// Bytes [at, at + 8) of s as a big-endian number, zero-padded past the end.
std::uint64_t Chunk8(std::string_view s, std::size_t at) {
  if (at + 8 <= s.size()) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + at, 8);
    return __builtin_bswap64(x);  // little-endian host (snapshot_format.h asserts it)
  }
  std::uint64_t x = 0;
  for (std::size_t k = at; k < at + 8; ++k) {
    x = (x << 8) | (k < s.size() ? static_cast<unsigned char>(s[k]) : 0u);
  }
  return x;
}

// Sorts items [lo, hi), whose strings agree on their first `depth` bytes, by the rest: by
// the next 8 bytes as one integer, then each run that still ties one level deeper (strings
// with shared long prefixes, such as "PC-<postcode>-..." location keys, cost a few integer
// sorts instead of many string comparisons). Past the longest string's end (only padding is
// left), the strings themselves decide.
void SortRun(const StringPool& pool, Column<PrefixItem>& items, std::size_t lo, std::size_t hi,
             std::size_t depth) {
  const auto begin = items.begin() + static_cast<std::ptrdiff_t>(lo);
  const auto end = items.begin() + static_cast<std::ptrdiff_t>(hi);
  std::size_t longest = 0;
  for (std::size_t i = lo; i < hi; ++i) {
    const std::string_view x = pool.Get(items[i].id);
    longest = std::max(longest, x.size());
    items[i].prefix = Chunk8(x, depth);
  }
  if (depth >= longest) {
    std::sort(begin, end, [&](const PrefixItem& a, const PrefixItem& c) {
      return pool.Get(a.id) < pool.Get(c.id);
    });
    return;
  }
  std::sort(begin, end, [](const PrefixItem& a, const PrefixItem& c) {
    return a.prefix != c.prefix ? a.prefix < c.prefix : a.id < c.id;
  });
  for (std::size_t i = lo, j = lo; i < hi; i = j) {
    for (j = i + 1; j < hi && items[j].prefix == items[i].prefix;) ++j;
    if (j - i > 1) SortRun(pool, items, i, j, depth + 8);
  }
}

}  // namespace

// Runs of equal prefixes longer than this are refined with every thread.
constexpr std::size_t kBigRun = std::size_t{1} << 15;

Column<std::uint32_t> SortedPoolOrder(const StringPool& pool, int threads) {
  // Sorted as (8-byte big-endian prefix, id) pairs: a radix sort by the prefixes, then each
  // run of equal prefixes by the following bytes (SortRun). A string shorter than 8 bytes is
  // padded with zero bytes, which keeps the order byte-wise lexicographic (a tie on the
  // padding is resolved by the full comparison). Pool strings
  // are distinct, so the order is total and the result does not depend on the thread count.
  Column<PrefixItem> items(pool.size());  // (not zero-filled: written in parallel below)
  ParallelFor(0, items.size(), threads, [&](std::size_t i) {
    items[i] = {Chunk8(pool.Get(static_cast<std::uint32_t>(i)), 0), static_cast<std::uint32_t>(i)};
  });
  // The radix sorts' second array, reused by the big runs' sorts (a run is sorted in place,
  // so neither it nor its sort's buffer is fresh memory that the kernel must fault in).
  Column<PrefixItem> scratch;
  RadixSortByPrefix(items, scratch, threads);
  // Runs of equal prefixes, each sorted by its following bytes. A big run (strings with a
  // long common prefix, such as merge explanations "PNC ID '...' matched ...") is refined
  // 8 bytes deeper with every thread (a radix sort of the run), until its runs are small;
  // the small runs are sorted one per task (SortRun).
  struct Run {
    std::size_t lo, hi, depth;
  };
  std::vector<Run> big, small;
  auto add_runs = [&](std::size_t lo, std::size_t hi, std::size_t depth) {
    for (std::size_t i = lo, j = lo; i < hi; i = j) {
      for (j = i + 1; j < hi && items[j].prefix == items[i].prefix;) ++j;
      if (j - i > kBigRun) {
        big.push_back({i, j, depth});
      } else if (j - i > 1) {
        small.push_back({i, j, depth});
      }
    }
  };
  add_runs(0, items.size(), 8);
  while (!big.empty()) {
    const Run r = big.back();
    big.pop_back();
    const std::span<PrefixItem> part(items.data() + r.lo, r.hi - r.lo);
    std::vector<std::size_t> longest(static_cast<std::size_t>(threads), 0);
    const int blocks = ThreadsFor(part.size(), threads, std::size_t{1} << 14);
    ParallelBlocks(part.size(), blocks, [&](int b, std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) {
        const std::string_view x = pool.Get(part[i].id);
        longest[static_cast<std::size_t>(b)] =
            std::max(longest[static_cast<std::size_t>(b)], x.size());
        part[i].prefix = Chunk8(x, r.depth);
      }
    });
    if (r.depth >= *std::max_element(longest.begin(), longest.end())) {
      // Only padding left (cannot happen for distinct strings, but the order stays total).
      std::vector<PrefixItem> whole(part.begin(), part.end());
      ParallelSort(whole, threads, [&](const PrefixItem& a, const PrefixItem& c) {
        return pool.Get(a.id) < pool.Get(c.id);
      });
      std::copy(whole.begin(), whole.end(), part.begin());
      continue;
    }
    RadixSortByPrefix(part, scratch, threads);
    add_runs(r.lo, r.hi, r.depth + 8);
  }
  Column<PrefixItem>().swap(scratch);
  ParallelForDynamic(
      0, small.size(), threads,
      [&](std::size_t k) { SortRun(pool, items, small[k].lo, small[k].hi, small[k].depth); }, 16);
  Column<std::uint32_t> order(items.size());
  ParallelFor(0, items.size(), threads, [&](std::size_t i) { order[i] = items[i].id; });
  return order;
}

Column<std::uint32_t> Ranks(const Column<std::uint32_t>& order, int threads) {
  Column<std::uint32_t> rank(order.size());
  ParallelFor(0, order.size(), threads,
              [&](std::size_t i) { rank[order[i]] = static_cast<std::uint32_t>(i); });
  return rank;
}

absl::StatusOr<Column<std::uint32_t>> PutSortedPool(Graph::Storage& s, SectionId base_id,
                                                    SectionId offsets_id, SectionId chars_id,
                                                    const StringPool& pool, int threads) {
  const Column<std::uint32_t> order = SortedPoolOrder(pool, threads);
  absl::Status st = PutCompactStrings(
      s, base_id, offsets_id, chars_id, order.size(),
      [&](std::size_t i) { return pool.Get(order[i]); }, threads);
  if (!st.ok()) return st;
  return Ranks(order, threads);
}

}  // namespace polegraph::internal
