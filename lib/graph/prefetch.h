// PrefetchLine, PrefetchLineForWrite: prefetch hints that the compiler cannot drop.
#ifndef POLEGRAPH_LIB_GRAPH_PREFETCH_H_
#define POLEGRAPH_LIB_GRAPH_PREFETCH_H_

namespace polegraph::internal {

// __builtin_prefetch(p), in a form the compiler keeps. GCC (12 at least) counts a prefetch as
// no side effect: a function whose only effect is prefetching is deduced pure, and a call to
// it whose (void) result is unused is deleted before it could be inlined, so the hint silently
// vanishes (GraphBuilder::PrefetchNode and PrefetchValue compiled to a bare `ret` until
// session 7). The empty volatile asm is a side effect for that analysis; it emits nothing.
inline void PrefetchLine(const void* p) {
  __builtin_prefetch(p);
  asm volatile("" : : "r"(p));
}
// The same for a line about to be written (fetched for ownership where the CPU can).
inline void PrefetchLineForWrite(const void* p) {
  __builtin_prefetch(p, 1);
  asm volatile("" : : "r"(p));
}

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_PREFETCH_H_
