// graph/pages.h. RestartWithMallocHugePages' decision: which GLIBC_TUNABLES value the CLI and
// the benchmarks restart under, for each environment. The expected strings are written out by
// hand; where the kernel gives no huge pages (TransparentHugePagesAvailable read from sysfs
// here independently), no restart is the expected answer throughout. ReleaseWholeHugePages:
// which bytes of a filled mapping read back as zero, worked out by hand from the offsets.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>

#include "graph/pages.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace {

// Sets (or unsets, nullopt) an environment variable for one scope, restoring it after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

bool KernelGivesHugePages() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  if (!std::getline(in, line)) return false;
  return line.find("[always]") != std::string::npos || line.find("[madvise]") != std::string::npos;
}

}  // namespace

TEST_CASE("malloc huge pages: the tunables a program restarts under") {
  using polegraph::internal::MallocHugePagesTunables;
  const bool thp = KernelGivesHugePages();
  CHECK(polegraph::internal::TransparentHugePagesAvailable() == thp);
  ScopedEnv no_opt_out("POLEGRAPH_MALLOC_HUGEPAGES", std::nullopt);

  SECTION("no tunables yet: the one tunable") {
    ScopedEnv t("GLIBC_TUNABLES", std::nullopt);
    CHECK(MallocHugePagesTunables() == (thp ? "glibc.malloc.hugetlb=1" : ""));
  }
  SECTION("other tunables are kept, this one appended") {
    ScopedEnv t("GLIBC_TUNABLES", "glibc.malloc.arena_max=2");
    CHECK(MallocHugePagesTunables() ==
          (thp ? "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1" : ""));
  }
  SECTION("a value the caller chose stands (and a restarted program does not restart)") {
    ScopedEnv t("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0");
    CHECK(MallocHugePagesTunables().empty());
    ScopedEnv u("GLIBC_TUNABLES", "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
    CHECK(MallocHugePagesTunables().empty());
  }
  SECTION("POLEGRAPH_MALLOC_HUGEPAGES=0 opts out; other values do not") {
    ScopedEnv t("GLIBC_TUNABLES", std::nullopt);
    {
      ScopedEnv o("POLEGRAPH_MALLOC_HUGEPAGES", "0");
      CHECK(MallocHugePagesTunables().empty());
    }
    ScopedEnv o("POLEGRAPH_MALLOC_HUGEPAGES", "1");
    CHECK(MallocHugePagesTunables() == (thp ? "glibc.malloc.hugetlb=1" : ""));
  }
}

#if defined(__linux__)
TEST_CASE("ReleaseWholeHugePages: only the whole 2 MiB pages inside the range read back as zero") {
  using polegraph::internal::kHugePage;
  using polegraph::internal::ReleaseWholeHugePages;
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  // Four huge pages from a 2 MiB-aligned base, inside a mapping with room to align.
  const std::size_t mapped = 5 * kHugePage;
  void* m = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(m != MAP_FAILED);
  const auto aligned = (reinterpret_cast<std::uintptr_t>(m) + kHugePage - 1) & ~(kHugePage - 1);
  auto* base = reinterpret_cast<unsigned char*>(aligned);
  const std::size_t size = 4 * kHugePage;
  std::memset(base, 0xAB, size);
  auto zero_at = [&](std::size_t offset) { return base[offset] == 0; };

  SECTION("a range from inside page 0 to inside page 2 releases page 1 alone") {
    ReleaseWholeHugePages(base + kMiB + 100, base + 5 * kMiB + 7);
    CHECK_FALSE(zero_at(0));
    CHECK_FALSE(zero_at(kMiB + 100));    // the range's start, in page 0
    CHECK_FALSE(zero_at(2 * kMiB - 1));  // page 0's last byte
    CHECK(zero_at(2 * kMiB));            // page 1, first byte
    CHECK(zero_at(3 * kMiB));
    CHECK(zero_at(4 * kMiB - 1));    // page 1, last byte
    CHECK_FALSE(zero_at(4 * kMiB));  // page 2: the range ends inside it
    CHECK_FALSE(zero_at(5 * kMiB + 6));
    CHECK_FALSE(zero_at(size - 1));
  }
  SECTION("aligned ends release exactly the pages between them") {
    ReleaseWholeHugePages(base + kHugePage, base + 3 * kHugePage);
    CHECK_FALSE(zero_at(kHugePage - 1));
    CHECK(zero_at(kHugePage));
    CHECK(zero_at(3 * kHugePage - 1));
    CHECK_FALSE(zero_at(3 * kHugePage));
  }
  SECTION("a range inside one huge page, or empty, releases nothing") {
    ReleaseWholeHugePages(base + 100, base + kHugePage - 100);
    ReleaseWholeHugePages(base + 3 * kHugePage, base + 3 * kHugePage);
    for (std::size_t at = 0; at < size; at += 4096) CHECK_FALSE(zero_at(at));
  }
  ::munmap(m, mapped);
}
#endif
