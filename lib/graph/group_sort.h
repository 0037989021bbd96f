// GroupSortBuckets: turns an unordered list of items, each belonging to one of n groups (a
// node), into the items grouped and each group sorted, handed out bucket by bucket (a bucket
// is a run of consecutive groups) in group order, without ever holding a second copy of all
// the items. EmitBucket then writes a bucket's groups to output columns in parallel.
//
// How:
//  1. a histogram of the items over coarse ranges of groups (g >> shift, at most 2^14 ranges;
//     one sequential read, per-thread counts) cuts the groups into cells of about
//     kCellItems items (at most kMaxCells cells), and runs of cells into buckets of about
//     equal item counts: about kBucketItems items each, but at least kMinBuckets and at most
//     kMaxBuckets buckets (few buckets mean few parallel regions, each of which costs a
//     synchronisation — dearly on an oversubscribed machine; more buckets a smaller buffer);
//  2. the items are distributed to their cells, the source chunks split among the threads
//     (each thread appends to its own list of blocks per cell, and frees each source chunk
//     once read); a block holds total / (16 x cells x threads) items (kMinCellBlock to
//     kBucketBlock), so the partly filled last blocks waste at most a sixteenth;
//  3. per bucket, in group order, one parallel region over its cells (dynamic): a cell's
//     items are counted per group and scattered into the bucket's buffer at the cell's place
//     (each block freed once scattered), and the cell's groups sorted by `less` — a cell's
//     counts and buffer range fit in a core's cache, and a cell is one task, so the scatter
//     needs no per-thread cursors and the passes run back to back on cached data; groups of
//     more than kBigGroup items (an ANPR camera with a million sightings) are then sorted
//     with every thread; and visit(bucket) is called.
// `less` must be a strict total order on the items of one group (every field but the group
// compared), so each group's sorted items — and everything made from them — are the same
// whatever the thread count or the order in which the items arrived.
// Cost: O(items) for the histogram, the distribution and the scatters, plus the per-group
// sorts; memory: the items about once (blocks allocated as source chunks are freed, plus the
// partly filled blocks), one bucket's buffer (at most about max(kBucketItems,
// items / kMinBuckets) items) and one cell's group counts per thread.
#ifndef POLEGRAPH_LIB_GRAPH_GROUP_SORT_H_
#define POLEGRAPH_LIB_GRAPH_GROUP_SORT_H_

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "graph/chunked_vector.h"
#include "graph/column.h"
#include "parallel/parallel.h"
#include "polegraph/types.h"

namespace polegraph::internal {

inline constexpr EdgeIndex kBigGroup = EdgeIndex{1} << 15;
inline constexpr std::size_t kMinBuckets = 8;
inline constexpr std::size_t kMaxBuckets = 64;
inline constexpr std::size_t kBucketItems = std::size_t{1} << 21;
inline constexpr std::size_t kBucketBlock = std::size_t{1} << 13;  // items per block
inline constexpr std::size_t kMaxRanges = std::size_t{1} << 14;
inline constexpr std::size_t kCellItems = std::size_t{1} << 15;
inline constexpr std::size_t kMaxCells = std::size_t{1} << 12;
inline constexpr std::size_t kMinCellBlock = std::size_t{1} << 8;

// Returns the C allocator's free heap pages to the system. The buckets' blocks (tens to
// hundreds of KB each) are carved from glibc's heaps and freed while the output columns get
// their own mappings: without a trim the freed blocks would stay resident until the step
// ends. Costs a walk of the free lists (about a millisecond).
inline void TrimFreeHeap() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

// Groups [first, last) with their items sorted: group g's items are
// items[offset[g - first]] .. items[offset[g - first + 1] - 1]. The items may be reordered
// or rewritten in place by the visitor (EmitBucket de-duplicates in place).
template <typename T>
struct SortedBucket {
  std::size_t first = 0, last = 0;
  T* items = nullptr;
  const EdgeIndex* offset = nullptr;
  T* begin(std::size_t g) const { return items + offset[g - first]; }
  T* end(std::size_t g) const { return items + offset[g - first + 1]; }
};

// (bucket_items: kBucketItems, or smaller in tests, to make many buckets of few items.)
template <typename T, typename GroupOf, typename Less, typename Visit>
void GroupSortBuckets(std::size_t num_groups, ChunkedVector<T>& items, GroupOf group_of, Less less,
                      int threads, Visit visit, std::size_t bucket_items = kBucketItems) {
  threads = std::max(threads, 1);
  if (num_groups == 0) {
    items.Clear();
    return;
  }
  const std::size_t chunks = items.num_chunks();
  const int tc = std::max(1, std::min(threads, static_cast<int>(chunks)));
  // 1. Coarse histogram, and the cell and bucket cuts.
  int shift = 0;
  while ((num_groups >> shift) >= kMaxRanges) ++shift;
  const std::size_t ranges = (num_groups >> shift) + 1;
  std::vector<std::vector<std::uint64_t>> hist(static_cast<std::size_t>(tc));
  ParallelBlocks(chunks, tc, [&](int t, std::size_t lo, std::size_t hi) {
    std::vector<std::uint64_t>& h = hist[static_cast<std::size_t>(t)];
    h.assign(ranges, 0);
    for (std::size_t c = lo; c < hi; ++c) {
      const T* x = &items[items.chunk_begin(c)];
      const std::size_t len = items.chunk_end(c) - items.chunk_begin(c);
      for (std::size_t i = 0; i < len; ++i) ++h[static_cast<std::size_t>(group_of(x[i])) >> shift];
    }
  });
  const std::uint64_t total = items.size();
  const std::size_t buckets =
      std::clamp<std::size_t>((total + bucket_items - 1) / bucket_items, kMinBuckets, kMaxBuckets);
  const std::size_t cells_wanted =
      std::clamp<std::size_t>((total + kCellItems - 1) / kCellItems, buckets, kMaxCells);
  std::vector<std::uint16_t> cell_of(ranges);
  std::vector<std::size_t> cell_group = {0};   // cell c: groups [cell_group[c], [c + 1])
  std::vector<std::size_t> bucket_cell = {0};  // bucket k: cells [bucket_cell[k], [k + 1])
  {
    std::uint64_t acc = 0;
    for (std::size_t r = 0; r < ranges; ++r) {
      cell_of[r] = static_cast<std::uint16_t>(cell_group.size() - 1);
      for (const auto& h : hist) acc += h[r];
      if (r + 1 == ranges) break;
      const bool new_bucket =
          acc > total * bucket_cell.size() / buckets && bucket_cell.size() < buckets;
      const bool new_cell = new_bucket || (acc > total * cell_group.size() / cells_wanted &&
                                           cell_group.size() < kMaxCells);
      if (new_cell) cell_group.push_back(std::min(num_groups, (r + 1) << shift));
      if (new_bucket) bucket_cell.push_back(cell_group.size() - 1);
    }
    cell_group.push_back(num_groups);
    bucket_cell.push_back(cell_group.size() - 1);
  }
  std::vector<std::vector<std::uint64_t>>().swap(hist);
  const std::size_t cells = cell_group.size() - 1;
  const std::size_t nb = bucket_cell.size() - 1;
  // 2. Distribution: lists[t][c] are thread t's blocks of cell c (the last one partly
  // filled: fill[t][c] items). Blocks are small enough that the partly filled ones (one per
  // thread and cell) stay a few percent of the items.
  const std::size_t block_items = std::clamp<std::size_t>(
      total / (cells * static_cast<std::size_t>(tc) * 16), kMinCellBlock, kBucketBlock);
  using Block = std::unique_ptr<T[]>;
  std::vector<std::vector<std::vector<Block>>> lists(static_cast<std::size_t>(tc));
  std::vector<std::vector<std::size_t>> fill(static_cast<std::size_t>(tc));
  ParallelBlocks(chunks, tc, [&](int t, std::size_t lo, std::size_t hi) {
    auto& mine = lists[static_cast<std::size_t>(t)];
    auto& filled = fill[static_cast<std::size_t>(t)];
    mine.resize(cells);
    filled.assign(cells, block_items);
    std::vector<T*> open(cells, nullptr);  // the block being filled, per cell
    for (std::size_t c = lo; c < hi; ++c) {
      const T* x = &items[items.chunk_begin(c)];
      const std::size_t len = items.chunk_end(c) - items.chunk_begin(c);
      for (std::size_t i = 0; i < len; ++i) {
        const std::size_t k = cell_of[static_cast<std::size_t>(group_of(x[i])) >> shift];
        if (filled[k] == block_items) {
          mine[k].emplace_back(new T[block_items]);
          open[k] = mine[k].back().get();
          filled[k] = 0;
        }
        open[k][filled[k]++] = x[i];
      }
      items.ReleaseChunk(c);
    }
  });
  items.Clear();
  // Each cell's items and its place in its bucket's buffer.
  std::vector<std::uint64_t> cell_size(cells, 0), cell_at(cells, 0);
  for (std::size_t c = 0; c < cells; ++c) {
    for (std::size_t t = 0; t < lists.size(); ++t) {
      const std::size_t blocks = lists[t][c].size();
      if (blocks != 0) cell_size[c] += (blocks - 1) * block_items + fill[t][c];
    }
  }
  // 3. Bucket by bucket; in a bucket, cell by cell in parallel.
  Column<T> buffer;  // (resized without a zero-fill: the scatter writes every item)
  std::vector<EdgeIndex> offset;
  std::uint64_t freed = 0;
  for (std::size_t k = 0; k < nb; ++k) {
    const std::size_t c_lo = bucket_cell[k], c_hi = bucket_cell[k + 1];
    const std::size_t g_lo = cell_group[c_lo], g_hi = cell_group[c_hi], groups = g_hi - g_lo;
    std::size_t size = 0;
    for (std::size_t c = c_lo; c < c_hi; ++c) {
      cell_at[c] = size;
      size += cell_size[c];
    }
    buffer.resize(size);
    offset.resize(groups + 1);
    offset[groups] = size;
    // A cell: its items counted per group, scattered into the buffer (blocks freed as they
    // go), and its groups sorted (big ones below, with every thread). The cell's buffer
    // range and group counts fit in a core's cache.
    ParallelForDynamic(
        c_lo, c_hi, threads,
        [&](std::size_t c) {
          const std::size_t cg_lo = cell_group[c], cg = cell_group[c + 1] - cg_lo;
          thread_local std::vector<EdgeIndex> next;
          next.assign(cg, 0);
          for (std::size_t t = 0; t < lists.size(); ++t) {
            const std::vector<Block>& blocks = lists[t][c];
            for (std::size_t j = 0; j < blocks.size(); ++j) {
              const T* x = blocks[j].get();
              const std::size_t len = j + 1 == blocks.size() ? fill[t][c] : block_items;
              for (std::size_t i = 0; i < len; ++i) ++next[group_of(x[i]) - cg_lo];
            }
          }
          EdgeIndex at = cell_at[c];
          for (std::size_t i = 0; i < cg; ++i) {
            offset[cg_lo - g_lo + i] = at;
            const EdgeIndex count = next[i];
            next[i] = at;
            at += count;
          }
          for (std::size_t t = 0; t < lists.size(); ++t) {
            std::vector<Block>& blocks = lists[t][c];
            for (std::size_t j = 0; j < blocks.size(); ++j) {
              const T* x = blocks[j].get();
              const std::size_t len = j + 1 == blocks.size() ? fill[t][c] : block_items;
              for (std::size_t i = 0; i < len; ++i) buffer[next[group_of(x[i]) - cg_lo]++] = x[i];
              blocks[j].reset();
            }
            std::vector<Block>().swap(blocks);
          }
          // next[i] is now the end of group cg_lo + i.
          for (std::size_t i = 0; i < cg; ++i) {
            const EdgeIndex first = offset[cg_lo - g_lo + i];
            if (next[i] - first > kBigGroup) continue;
            std::sort(buffer.begin() + static_cast<std::ptrdiff_t>(first),
                      buffer.begin() + static_cast<std::ptrdiff_t>(next[i]), less);
          }
        },
        1);
    freed += size * sizeof(T);
    if (freed > (std::uint64_t{64} << 20)) {
      TrimFreeHeap();
      freed = 0;
    }
    for (std::size_t g = 0; g < groups; ++g) {
      if (offset[g + 1] - offset[g] <= kBigGroup) continue;
      const auto lo = buffer.begin() + static_cast<std::ptrdiff_t>(offset[g]);
      const auto hi = buffer.begin() + static_cast<std::ptrdiff_t>(offset[g + 1]);
      std::vector<T> part(lo, hi);
      ParallelSort(part, threads, less);
      std::copy(part.begin(), part.end(), lo);
    }
    visit(SortedBucket<T>{g_lo, g_hi, buffer.data(), offset.data()});
  }
}

// Writes the groups of `b` to output columns in group order. count(g, first, last) returns
// how many output items group g's sorted items [first, last) make — it may de-duplicate them
// in place, keeping the output items first — and is called in parallel; then
// grow(total) once, with the number of output items of all buckets so far (the caller
// resizes its columns); then write(g, first, last, at) in parallel, with first..last the
// group's output items and `at` the index of the first of them. `off` (num_groups + 1
// entries) receives the CSR offsets: off[b.first] must hold the output position of the
// bucket's first group (0 for the first bucket); off[g + 1] is set for every g of b (`off`
// is any random-access array of EdgeIndex, e.g. a Column; the bucket's running sums are a
// parallel scan in blocks cut by the bucket's size alone, so they do not depend on threads).
template <typename T, typename Off, typename Count, typename Grow, typename Write>
void EmitBucket(const SortedBucket<T>& b, int threads, Off& off, Count count, Grow grow,
                Write write) {
  ParallelForDynamic(
      b.first, b.last, threads, [&](std::size_t g) { off[g + 1] = count(g, b.begin(g), b.end(g)); },
      256);
  {
    // off[b.first + 1 .. b.last] += off[b.first] + the counts before them: block sums, then
    // each block scanned from its start.
    const std::size_t groups = b.last - b.first;
    const int blocks = ThreadsFor(groups, threads, std::size_t{1} << 16);
    std::vector<EdgeIndex> sum(static_cast<std::size_t>(blocks) + 1, 0);
    sum[0] = off[b.first];
    ParallelBlocks(groups, blocks, [&](int k, std::size_t lo, std::size_t hi) {
      EdgeIndex total = 0;
      for (std::size_t i = lo; i < hi; ++i) total += off[b.first + i + 1];
      sum[static_cast<std::size_t>(k) + 1] = total;
    });
    for (int k = 0; k < blocks; ++k) sum[k + 1] += sum[k];
    ParallelBlocks(groups, blocks, [&](int k, std::size_t lo, std::size_t hi) {
      EdgeIndex total = sum[static_cast<std::size_t>(k)];
      for (std::size_t i = lo; i < hi; ++i) off[b.first + i + 1] = total += off[b.first + i + 1];
    });
  }
  grow(off[b.last]);
  ParallelForDynamic(
      b.first, b.last, threads,
      [&](std::size_t g) {
        T* first = b.begin(g);
        write(g, first, first + (off[g + 1] - off[g]), off[g]);
      },
      256);
}

// Count for EmitBucket that collapses equal items (`less`-equivalent) and counts the rest.
template <typename Less>
auto Dedupe(Less less) {
  return [less](std::size_t, auto* first, auto* last) {
    auto same = [&](const auto& x, const auto& y) { return !less(x, y) && !less(y, x); };
    return static_cast<EdgeIndex>(std::unique(first, last, same) - first);
  };
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_GROUP_SORT_H_
