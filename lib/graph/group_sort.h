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
//  2. the items are distributed to their cells by a counting sort into one array (`dist`),
//     the source chunks split among the threads as in the histogram, so each thread knows
//     from its own counts where its items of each cell go (a cell: thread 0's items, then
//     thread 1's, ...; the cells in order) and frees each source chunk once read;
//  3. per bucket, in group order, one parallel region over its cells (dynamic): a cell's
//     items (one range of dist) are counted per group and scattered into the bucket's buffer
//     at the cell's place, and the cell's groups sorted by `less` — a cell's counts and
//     buffer range fit in a core's cache, and a cell is one task, so the scatter needs no
//     per-thread cursors and the passes run back to back on cached data; groups of more than
//     kBigGroup items (an ANPR camera with a million sightings) are then sorted with every
//     thread; the bucket's whole 2 MiB pages of dist go back to the system
//     (ReleaseWholeHugePages); and visit(bucket) is called.
// `less` must be a strict total order on the items of one group (every field but the group
// compared), so each group's sorted items — and everything made from them — are the same
// whatever the thread count or the order in which the items arrived.
// Cost: O(items) for the histogram, the distribution and the scatters, plus the per-group
// sorts; memory: the items about once (dist's pages become resident as the source chunks are
// freed, and are released bucket by bucket), one bucket's buffer (at most about
// max(kBucketItems, items / kMinBuckets) items) and one cell's group counts per thread.
// Session 20: dist's pages went back cell by cell (about 1 MB each, by the thread that had read
// the cell), which split nearly every 2 MiB page of dist into small pages (548 of the ~905
// thp_split_pmd of a scale-10 ingest) and cost a system call and a cross-CPU TLB flush per
// cell; one aligned release per bucket keeps dist's huge pages whole. Scale-10 ingest, 2
// threads, the two alternated in one binary (six pairs): Build 6.7-8.9 -> 5.7-6.1 s, max RSS
// unchanged (2.21-2.27 GiB); snapshots byte-identical (bench/README.md, session 20).
// Session 8: the distribution went to per-thread lists of heap blocks (tens of KB each),
// freed once scattered and given back by a malloc_trim every 64 MB on the calling thread
// (its madvise calls were ~0.25 CPU s of Build's critical path at scale 10); one array laid
// out by the histogram's counts needs no blocks, and its pages go back from both threads.
// Session 10, measured and dropped: distributing by bucket into blocks cut from the source
// chunks already read (page-aligned chunks handed over by a ChunkedVector::TakeChunk), so that
// `dist` is never faulted in fresh, then per bucket copying the blocks by cell into a
// bucket-sized array for the cell pass. Scale 10: -265 k of 1.65 M minor faults, but Build's
// instructions +10 % (callgrind, scale 1: 1.79 -> 1.97 G; the extra copy and the bucket lookup,
// ~20 instructions a fact) and, alternated at load 11-15, Build's step CPU 7.34 -> 7.36 s and
// sys 4.70 -> 4.52 s (3 pairs): a wash. bench/HISTORY.md "Session 10: ingest build".
#ifndef POLEGRAPH_LIB_GRAPH_GROUP_SORT_H_
#define POLEGRAPH_LIB_GRAPH_GROUP_SORT_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "graph/chunked_vector.h"
#include "graph/column.h"
#include "graph/pages.h"
#include "parallel/parallel.h"
#include "polegraph/types.h"

namespace polegraph::internal {

inline constexpr EdgeIndex kBigGroup = EdgeIndex{1} << 15;
inline constexpr std::size_t kMinBuckets = 8;
inline constexpr std::size_t kMaxBuckets = 64;
inline constexpr std::size_t kBucketItems = std::size_t{1} << 21;
inline constexpr std::size_t kMaxRanges = std::size_t{1} << 14;
inline constexpr std::size_t kCellItems = std::size_t{1} << 15;
inline constexpr std::size_t kMaxCells = std::size_t{1} << 12;

// Returns the whole pages inside items [x, x + n) to the system (madvise DONTNEED: they read
// as zero if touched again), for memory that will not be read again but is freed only later.
// The pages at the range's ends, shared with neighbouring data, are kept. Ranges of fewer
// than kReleaseMin bytes are left alone (a system call for a page or two is not worth it).
inline constexpr std::size_t kReleaseMin = std::size_t{64} << 10;
template <typename T>
void ReleasePages(const T* x, std::size_t n) {
  if (n * sizeof(T) >= kReleaseMin) ReleaseWholePages(x, x + n);
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
  const std::size_t cells = cell_group.size() - 1;
  const std::size_t nb = bucket_cell.size() - 1;
  // 2. Distribution: a counting sort by cell into one array, `dist`. Thread t distributes the
  // same chunks it counted in step 1, so it knows how many of its items go to each cell:
  // cell c holds thread 0's items then thread 1's ..., the cells in order; so a cell's items
  // are one contiguous range, and a bucket's cells one range too. Each thread frees a source
  // chunk once read. dist is sized without a zero-fill and its pages are touched only as the
  // items land, so the resident memory is about the items once.
  std::vector<std::uint64_t> cell_at(cells + 1, 0);  // cell c: dist[cell_at[c], [c + 1])
  std::vector<std::vector<std::uint64_t>> next(static_cast<std::size_t>(tc));
  {
    std::uint64_t at = 0;
    for (std::size_t t = 0; t < next.size(); ++t) next[t].assign(cells, 0);
    for (std::size_t r = 0; r < ranges; ++r) {  // per thread and cell counts
      for (std::size_t t = 0; t < next.size(); ++t) next[t][cell_of[r]] += hist[t][r];
    }
    for (std::size_t c = 0; c < cells; ++c) {
      cell_at[c] = at;
      for (std::size_t t = 0; t < next.size(); ++t) {
        const std::uint64_t count = next[t][c];
        next[t][c] = at;
        at += count;
      }
    }
    cell_at[cells] = at;
  }
  std::vector<std::vector<std::uint64_t>>().swap(hist);
  Column<T> dist(total);
  ParallelBlocks(chunks, tc, [&](int t, std::size_t lo, std::size_t hi) {
    std::uint64_t* place = next[static_cast<std::size_t>(t)].data();
    for (std::size_t c = lo; c < hi; ++c) {
      const T* x = &items[items.chunk_begin(c)];
      const std::size_t len = items.chunk_end(c) - items.chunk_begin(c);
      for (std::size_t i = 0; i < len; ++i) {
        dist[place[cell_of[static_cast<std::size_t>(group_of(x[i])) >> shift]]++] = x[i];
      }
      // The chunk's pages go back to the system here, from this thread: a chunk freed into
      // the C allocator's heap would otherwise stay resident until a malloc_trim on the
      // calling thread gave its pages back.
      ReleasePages(x, len);
      items.ReleaseChunk(c);
    }
  });
  items.Clear();
  std::vector<std::vector<std::uint64_t>>().swap(next);
  // 3. Bucket by bucket; in a bucket, cell by cell in parallel.
  // The buffer and offsets are reserved for the largest bucket at once (grown bucket by
  // bucket, they were copied to each larger allocation on the calling thread).
  Column<T> buffer;  // (resized without a zero-fill: the scatter writes every item)
  Column<EdgeIndex> offset;
  {
    std::size_t most_items = 0, most_groups = 0;
    for (std::size_t k = 0; k < nb; ++k) {
      most_items =
          std::max<std::size_t>(most_items, cell_at[bucket_cell[k + 1]] - cell_at[bucket_cell[k]]);
      most_groups =
          std::max(most_groups, cell_group[bucket_cell[k + 1]] - cell_group[bucket_cell[k]]);
    }
    buffer.reserve(most_items);
    offset.reserve(most_groups + 1);
  }
  // dist's whole huge pages below this address are released.
  auto released_to = reinterpret_cast<std::uintptr_t>(dist.data());
  for (std::size_t k = 0; k < nb; ++k) {
    const std::size_t c_lo = bucket_cell[k], c_hi = bucket_cell[k + 1];
    const std::size_t g_lo = cell_group[c_lo], g_hi = cell_group[c_hi], groups = g_hi - g_lo;
    const std::uint64_t base = cell_at[c_lo], size = cell_at[c_hi] - base;
    buffer.resize(size);
    offset.resize(groups + 1);
    offset[groups] = size;
    // A cell: its items counted per group, scattered into the buffer at the cell's place,
    // and the cell's groups sorted (big ones below, with every thread). The cell's items,
    // buffer range and group counts fit in a core's cache. (dist's pages go back per bucket,
    // below.)
    ParallelForDynamic(
        c_lo, c_hi, threads,
        [&](std::size_t c) {
          const std::size_t cg_lo = cell_group[c], cg = cell_group[c + 1] - cg_lo;
          const T* x = dist.data() + cell_at[c];
          const std::size_t len = cell_at[c + 1] - cell_at[c];
          thread_local std::vector<EdgeIndex> pos;
          pos.assign(cg, 0);
          for (std::size_t i = 0; i < len; ++i) ++pos[group_of(x[i]) - cg_lo];
          EdgeIndex at = cell_at[c] - base;
          for (std::size_t i = 0; i < cg; ++i) {
            offset[cg_lo - g_lo + i] = at;
            const EdgeIndex count = pos[i];
            pos[i] = at;
            at += count;
          }
          for (std::size_t i = 0; i < len; ++i) buffer[pos[group_of(x[i]) - cg_lo]++] = x[i];
          // pos[i] is now the end of group cg_lo + i.
          for (std::size_t i = 0; i < cg; ++i) {
            const EdgeIndex first = offset[cg_lo - g_lo + i];
            if (pos[i] - first > kBigGroup) continue;
            std::sort(buffer.begin() + static_cast<std::ptrdiff_t>(first),
                      buffer.begin() + static_cast<std::ptrdiff_t>(pos[i]), less);
          }
        },
        1);
    for (std::size_t g = 0; g < groups; ++g) {
      if (offset[g + 1] - offset[g] <= kBigGroup) continue;
      const auto lo = buffer.begin() + static_cast<std::ptrdiff_t>(offset[g]);
      const auto hi = buffer.begin() + static_cast<std::ptrdiff_t>(offset[g + 1]);
      std::vector<T> part(lo, hi);
      ParallelSort(part, threads, less);
      std::copy(part.begin(), part.end(), lo);
    }
    // dist up to the bucket's end is read: its whole huge pages go back (see the top). The
    // huge page the bucket's end falls in goes with the next bucket's.
    const auto read_end = reinterpret_cast<std::uintptr_t>(dist.data() + cell_at[c_hi]);
    ReleaseWholeHugePages(reinterpret_cast<const void*>(released_to),
                          reinterpret_cast<const void*>(read_end));
    released_to = std::max(released_to, read_end & ~(kHugePage - 1));
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
