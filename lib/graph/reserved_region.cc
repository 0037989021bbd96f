// ReservedRegion (reserved_region.h): one reservation of address space on huge pages.
#include "graph/reserved_region.h"

#include <cstdint>

#include "graph/pages.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace polegraph::internal {

bool ReservedRegion::Reserve(std::size_t bytes) {
  if (data_ != nullptr) return true;
#if defined(__linux__)
  bytes = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  const std::size_t mapped = bytes + kHugePage;  // room to align data() to 2 MiB
  void* p = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return false;
  const std::uintptr_t aligned =
      (reinterpret_cast<std::uintptr_t>(p) + kHugePage - 1) / kHugePage * kHugePage;
  mapping_ = p;
  mapped_ = mapped;
  data_ = reinterpret_cast<void*>(aligned);
  size_ = bytes;
  AdviseHugePages(data_, size_);  // a hint: without it, 4 KiB pages (still correct)
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

}  // namespace polegraph::internal
