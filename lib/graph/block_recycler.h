// BlockRecycler: a small, bounded cache of freed big blocks (Column buffers, ChunkedVector
// chunks), so that a later Build step's arrays land on pages that are already resident
// instead of being faulted in (and zeroed by the kernel) fresh after glibc handed the freed
// block back (munmap above its mmap threshold, malloc_trim below it).
//
// How: while at least one RecyclerScope is alive (GraphBuilder::Build opens one), a freed
// block of at least kMinRecycledBlock bytes is kept (up to kMaxRecycledBytes in all) instead
// of being freed; an allocation of at least kMinRecycledBlock bytes takes the smallest kept
// block that holds it (its real size is malloc_usable_size); one no kept block fits is made
// fresh, and the kept blocks stay (freeing them then, so that kept + live blocks never grew,
// was measured and dropped: the big allocations no kept block fits are Build's `dist` and
// output columns, whose pages become resident only as they are written, so it threw away the
// blocks the next smaller columns would have reused: -0.12 M minor faults at scale 10
// instead of -0.2 M).
// So Build's resident size grows by at most kMaxRecycledBytes (at scale 10 its largest is
// 2.19 GB instead of 1.96 GB, under the apply phase's peak of 2.29-2.35 GB). When the last
// scope closes, every kept block is freed. Outside any scope the recycler is plain
// malloc/free. Cost: one mutex and a scan of at most a few dozen kept
// blocks per big allocation or free (Build makes a few hundred).
// Thread-safety: every function may be called from any thread (one mutex).
// Elsewhere than glibc (no malloc_usable_size): plain malloc/free, nothing kept.
#ifndef POLEGRAPH_LIB_GRAPH_BLOCK_RECYCLER_H_
#define POLEGRAPH_LIB_GRAPH_BLOCK_RECYCLER_H_

#include <cstddef>

namespace polegraph::internal {

inline constexpr std::size_t kMinRecycledBlock = std::size_t{1} << 20;   // 1 MiB
inline constexpr std::size_t kMaxRecycledBytes = std::size_t{256} << 20;  // 256 MiB kept at most

// A block of at least `bytes` bytes (malloc alignment); throws std::bad_alloc if none.
void* RecyclerAllocate(std::size_t bytes);
// Frees (or keeps, inside a scope) a block from RecyclerAllocate. p may be null.
void RecyclerFree(void* p);

// Bytes and blocks kept now (for tests and figures).
struct RecyclerStats {
  std::size_t kept_bytes = 0, kept_blocks = 0;
  std::size_t reused = 0, fresh = 0;  // big allocations since the first scope opened
};
RecyclerStats GetRecyclerStats();

// While alive, freed big blocks are kept for reuse; the last one to close frees them all.
class RecyclerScope {
 public:
  RecyclerScope();
  ~RecyclerScope();
  RecyclerScope(const RecyclerScope&) = delete;
  RecyclerScope& operator=(const RecyclerScope&) = delete;
};

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_BLOCK_RECYCLER_H_
