// BlockRecycler (see block_recycler.h).
#include "graph/block_recycler.h"

#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace polegraph::internal {
namespace {

struct Kept {
  void* p;
  std::size_t size;
};

struct State {
  std::mutex mu;
  int scopes = 0;
  std::vector<Kept> kept;
  std::size_t kept_bytes = 0;
  std::size_t reused = 0, fresh = 0;
};

State& GetState() {
  static State* state = new State;  // (never destroyed: frees may come during exit)
  return *state;
}

std::size_t UsableSize(void* p) {
#if defined(__GLIBC__)
  return malloc_usable_size(p);
#else
  (void)p;
  return 0;
#endif
}

constexpr bool kCanKeep =
#if defined(__GLIBC__)
    true;
#else
    false;
#endif

// Takes kept blocks, largest first, until at least `bytes` are taken or none is left, into
// `out` for the caller to free after unlocking; the caller holds the lock.
void TakeToFree(State& st, std::size_t bytes, std::vector<void*>& out) {
  std::size_t freed = 0;
  while (freed < bytes && !st.kept.empty()) {
    std::size_t big = 0;
    for (std::size_t i = 1; i < st.kept.size(); ++i) {
      if (st.kept[i].size > st.kept[big].size) big = i;
    }
    freed += st.kept[big].size;
    st.kept_bytes -= st.kept[big].size;
    out.push_back(st.kept[big].p);
    st.kept[big] = st.kept.back();
    st.kept.pop_back();
  }
}

}  // namespace

void* RecyclerAllocate(std::size_t bytes) {
  if (kCanKeep && bytes >= kMinRecycledBlock) {
    State& st = GetState();
    {
      std::lock_guard<std::mutex> lock(st.mu);
      if (st.scopes > 0) {
        std::size_t best = st.kept.size();
        for (std::size_t i = 0; i < st.kept.size(); ++i) {
          if (st.kept[i].size >= bytes &&
              (best == st.kept.size() || st.kept[i].size < st.kept[best].size)) {
            best = i;
          }
        }
        if (best != st.kept.size()) {
          void* p = st.kept[best].p;
          st.kept_bytes -= st.kept[best].size;
          st.kept[best] = st.kept.back();
          st.kept.pop_back();
          ++st.reused;
          return p;
        }
        ++st.fresh;
      }
    }
  }
  void* p = std::malloc(bytes == 0 ? 1 : bytes);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void RecyclerFree(void* p) {
  if (p == nullptr) return;
  if (kCanKeep) {
    const std::size_t size = UsableSize(p);
    if (size >= kMinRecycledBlock) {
      State& st = GetState();
      std::lock_guard<std::mutex> lock(st.mu);
      if (st.scopes > 0 && st.kept_bytes + size <= kMaxRecycledBytes) {
        st.kept.push_back({p, size});
        st.kept_bytes += size;
        return;
      }
    }
  }
  std::free(p);
}

RecyclerStats GetRecyclerStats() {
  State& st = GetState();
  std::lock_guard<std::mutex> lock(st.mu);
  return {st.kept_bytes, st.kept.size(), st.reused, st.fresh};
}

RecyclerScope::RecyclerScope() {
  State& st = GetState();
  std::lock_guard<std::mutex> lock(st.mu);
  ++st.scopes;
}

RecyclerScope::~RecyclerScope() {
  State& st = GetState();
  std::vector<void*> to_free;
  {
    std::lock_guard<std::mutex> lock(st.mu);
    if (--st.scopes == 0) TakeToFree(st, st.kept_bytes + 1, to_free);
  }
  for (void* p : to_free) std::free(p);
}

}  // namespace polegraph::internal
