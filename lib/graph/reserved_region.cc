// ReservedRegion (reserved_region.h): one reservation of address space on huge pages.
#include "graph/reserved_region.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace polegraph::internal {

bool ReservedRegion::Reserve(std::size_t bytes) {
  if (data_ != nullptr) return true;
#if defined(__linux__)
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  bytes = (bytes + kHuge - 1) / kHuge * kHuge;
  const std::size_t mapped = bytes + kHuge;  // room to align data() to 2 MiB
  void* p = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return false;
  const std::uintptr_t aligned = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) / kHuge * kHuge;
  mapping_ = p;
  mapped_ = mapped;
  data_ = reinterpret_cast<void*>(aligned);
  size_ = bytes;
  ::madvise(data_, size_, MADV_HUGEPAGE);  // a hint: without it, 4 KiB pages (still correct)
  return true;
#else
  (void)bytes;
  return false;
#endif
}

void ReservedRegion::Release() {
#if defined(__linux__)
  if (mapping_ != nullptr) ::munmap(mapping_, mapped_);
#endif
  mapping_ = nullptr;
  mapped_ = 0;
  data_ = nullptr;
  size_ = 0;
}

void AppendBuffer::Grow(std::size_t needed) {
  if (needed >= kRegionMin && needed <= kRegionMax && region_.Reserve(kRegionMax)) {
    char* const to = static_cast<char*>(region_.data());
    if (data_ != to) {
      if (size_ > 0) std::memcpy(to, data_, size_);
      heap_.reset();
      data_ = to;
      capacity_ = region_.size();
    }
    return;
  }
  const std::size_t capacity = std::max({needed, 2 * capacity_, std::size_t{64}});
  std::unique_ptr<char[]> bigger = std::make_unique_for_overwrite<char[]>(capacity);
  if (size_ > 0) std::memcpy(bigger.get(), data_, size_);
  heap_ = std::move(bigger);
  data_ = heap_.get();
  capacity_ = capacity;
  region_.Release();  // the bytes were in it if it was reserved (needed past kRegionMax)
}

void AppendBuffer::Clear() {
  heap_.reset();
  region_.Release();
  data_ = nullptr;
  size_ = capacity_ = 0;
}

}  // namespace polegraph::internal
