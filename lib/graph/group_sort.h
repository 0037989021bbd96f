// GroupSortBuckets: turns an unordered list of items, each belonging to one of n groups (a
// node), into the items grouped and each group sorted, handed out bucket by bucket (a bucket
// is a run of consecutive groups) in group order, without ever holding a second copy of all
// the items. EmitBucket then writes a bucket's groups to output columns in parallel.
//
// How:
//  1. a histogram of the items over coarse ranges of groups (g >> shift, at most 2^14 ranges;
//     one sequential read, per-thread counts) cuts the groups into buckets of about equal
//     item counts: about kBucketItems items each, but at least kMinBuckets and at most
//     kMaxBuckets buckets (few buckets mean few parallel regions, each of which costs a
//     synchronisation — dearly on an oversubscribed machine; more buckets a smaller buffer);
//  2. the items are distributed to their buckets, the source chunks split among the threads
//     (each thread appends to its own lists of kBucketBlock-item blocks, and frees each source
//     chunk once read);
//  3. per bucket, in group order: the items are counted per group and scattered into one
//     buffer (the bucket's blocks split among the threads, per-thread counts, no atomics; each
//     block freed once scattered), every group is sorted by `less` (groups of more than
//     kBigGroup items — an ANPR camera with a million sightings — with every thread, the rest
//     one group per task), and visit(bucket) is called.
// `less` must be a strict total order on the items of one group (every field but the group
// compared), so each group's sorted items — and everything made from them — are the same
// whatever the thread count or the order in which the items arrived.
// Cost: O(items) for the histogram, the distribution and the scatters, plus the per-group
// sorts; memory: the items about once (blocks allocated as source chunks are freed), one
// bucket's buffer (at most about max(kBucketItems, items / kMinBuckets) items) and per-thread
// group counts of a bucket.
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
#include "parallel/parallel.h"
#include "polegraph/types.h"

namespace polegraph::internal {

inline constexpr EdgeIndex kBigGroup = EdgeIndex{1} << 15;
inline constexpr std::size_t kMinBuckets = 8;
inline constexpr std::size_t kMaxBuckets = 64;
inline constexpr std::size_t kBucketItems = std::size_t{1} << 21;
inline constexpr std::size_t kBucketBlock = std::size_t{1} << 13;  // items per block
inline constexpr std::size_t kMaxRanges = std::size_t{1} << 14;

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
  // 1. Coarse histogram and the bucket cuts.
  int shift = 0;
  while ((num_groups >> shift) >= kMaxRanges) ++shift;
  const std::size_t ranges = (num_groups >> shift) + 1;
  std::vector<std::vector<std::uint64_t>> hist(static_cast<std::size_t>(tc));
  ParallelBlocks(chunks, tc, [&](int t, std::size_t lo, std::size_t hi) {
    std::vector<std::uint64_t>& h = hist[static_cast<std::size_t>(t)];
    h.assign(ranges, 0);
    for (std::size_t c = lo; c < hi; ++c) {
      for (std::size_t i = items.chunk_begin(c); i < items.chunk_end(c); ++i) {
        ++h[static_cast<std::size_t>(group_of(items[i])) >> shift];
      }
    }
  });
  const std::uint64_t total = items.size();
  const std::size_t buckets =
      std::clamp<std::size_t>((total + bucket_items - 1) / bucket_items, kMinBuckets, kMaxBuckets);
  std::vector<std::uint16_t> bucket_of(ranges);
  std::vector<std::size_t> first_group = {0};  // bucket k: groups [first_group[k], [k + 1])
  {
    std::uint64_t acc = 0;
    for (std::size_t r = 0; r < ranges; ++r) {
      bucket_of[r] = static_cast<std::uint16_t>(first_group.size() - 1);
      for (const auto& h : hist) acc += h[r];
      const std::uint64_t target = total * first_group.size() / buckets;
      if (acc > target && first_group.size() < buckets && r + 1 < ranges) {
        first_group.push_back(std::min(num_groups, (r + 1) << shift));
      }
    }
    first_group.push_back(num_groups);
  }
  std::vector<std::vector<std::uint64_t>>().swap(hist);
  const std::size_t nb = first_group.size() - 1;
  // 2. Distribution: lists[t][k] are thread t's blocks of bucket k (the last one partly
  // filled: fill[t][k] items).
  using Block = std::unique_ptr<T[]>;
  std::vector<std::vector<std::vector<Block>>> lists(static_cast<std::size_t>(tc));
  std::vector<std::vector<std::size_t>> fill(static_cast<std::size_t>(tc));
  ParallelBlocks(chunks, tc, [&](int t, std::size_t lo, std::size_t hi) {
    auto& mine = lists[static_cast<std::size_t>(t)];
    auto& filled = fill[static_cast<std::size_t>(t)];
    mine.resize(nb);
    filled.assign(nb, kBucketBlock);
    for (std::size_t c = lo; c < hi; ++c) {
      for (std::size_t i = items.chunk_begin(c); i < items.chunk_end(c); ++i) {
        const T& x = items[i];
        const std::size_t k = bucket_of[static_cast<std::size_t>(group_of(x)) >> shift];
        if (filled[k] == kBucketBlock) {
          mine[k].emplace_back(new T[kBucketBlock]);
          filled[k] = 0;
        }
        mine[k].back()[filled[k]++] = x;
      }
      items.ReleaseChunk(c);
    }
  });
  items.Clear();
  // 3. Bucket by bucket.
  std::vector<T> buffer;
  std::vector<EdgeIndex> offset;
  struct Span {
    Block* block;
    std::size_t size;
  };
  std::uint64_t freed = 0;
  for (std::size_t k = 0; k < nb; ++k) {
    const std::size_t g_lo = first_group[k], g_hi = first_group[k + 1], groups = g_hi - g_lo;
    std::vector<Span> spans;
    for (std::size_t t = 0; t < lists.size(); ++t) {
      std::vector<Block>& blocks = lists[t][k];
      for (std::size_t j = 0; j < blocks.size(); ++j) {
        spans.push_back({&blocks[j], j + 1 == blocks.size() ? fill[t][k] : kBucketBlock});
      }
    }
    std::size_t size = 0;
    for (const Span& s : spans) size += s.size;
    // Per-part group counts, turned into per-part cursors: part p's items of group g go after
    // those of parts before p.
    const int parts = ThreadsFor(size, threads, std::size_t{1} << 15);
    std::vector<std::vector<EdgeIndex>> cursor(static_cast<std::size_t>(parts));
    ParallelBlocks(spans.size(), parts, [&](int p, std::size_t lo, std::size_t hi) {
      std::vector<EdgeIndex>& count = cursor[static_cast<std::size_t>(p)];
      count.assign(groups, 0);
      for (std::size_t s = lo; s < hi; ++s) {
        const T* x = spans[s].block->get();
        for (std::size_t i = 0; i < spans[s].size; ++i) ++count[group_of(x[i]) - g_lo];
      }
    });
    offset.assign(groups + 1, 0);
    EdgeIndex at = 0;
    for (std::size_t g = 0; g < groups; ++g) {
      offset[g] = at;
      for (auto& count : cursor) {
        const EdgeIndex c = count[g];
        count[g] = at;
        at += c;
      }
    }
    offset[groups] = at;
    buffer.resize(size);
    ParallelBlocks(spans.size(), parts, [&](int p, std::size_t lo, std::size_t hi) {
      std::vector<EdgeIndex>& next = cursor[static_cast<std::size_t>(p)];
      for (std::size_t s = lo; s < hi; ++s) {
        const T* x = spans[s].block->get();
        for (std::size_t i = 0; i < spans[s].size; ++i)
          buffer[next[group_of(x[i]) - g_lo]++] = x[i];
        spans[s].block->reset();
      }
    });
    for (std::size_t t = 0; t < lists.size(); ++t) std::vector<Block>().swap(lists[t][k]);
    freed += size * sizeof(T);
    if (freed > (std::uint64_t{64} << 20)) {
      TrimFreeHeap();
      freed = 0;
    }
    std::vector<std::vector<EdgeIndex>>().swap(cursor);
    auto lo = [&](std::size_t g) {
      return buffer.begin() + static_cast<std::ptrdiff_t>(offset[g]);
    };
    ParallelForDynamic(
        0, groups, threads,
        [&](std::size_t g) {
          if (offset[g + 1] - offset[g] > kBigGroup) return;
          std::sort(lo(g), lo(g + 1), less);
        },
        256);
    for (std::size_t g = 0; g < groups; ++g) {
      if (offset[g + 1] - offset[g] <= kBigGroup) continue;
      std::vector<T> part(lo(g), lo(g + 1));
      ParallelSort(part, threads, less);
      std::copy(part.begin(), part.end(), lo(g));
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
// bucket's first group (0 for the first bucket); off[g + 1] is set for every g of b.
template <typename T, typename Count, typename Grow, typename Write>
void EmitBucket(const SortedBucket<T>& b, int threads, std::vector<EdgeIndex>& off, Count count,
                Grow grow, Write write) {
  ParallelForDynamic(
      b.first, b.last, threads, [&](std::size_t g) { off[g + 1] = count(g, b.begin(g), b.end(g)); },
      256);
  for (std::size_t g = b.first; g < b.last; ++g) off[g + 1] += off[g];
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
