// RestartWithMallocHugePages' decision (graph/pages.h): which GLIBC_TUNABLES value the CLI and
// the benchmarks restart under, for each environment. The expected strings are written out by
// hand; where the kernel gives no huge pages (TransparentHugePagesAvailable read from sysfs
// here independently), no restart is the expected answer throughout.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "graph/pages.h"

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
