// Command-line arguments for one polegraph sub-command: positionals plus "--name value",
// "--name=value" and boolean "--flag" options. Every option a command accepts is declared up
// front, so an unknown or malformed option is an error before any work starts.
//
//   Args a;
//   a.Option("out").Option("threads").Flag("text");
//   if (absl::Status s = a.Parse(argc, argv); !s.ok()) ...
//   int t = *a.Int("threads", 1);
//   int top = *a.IntIn("top", 5, 0, INT32_MAX);   // range-checked before narrowing
#ifndef POLEGRAPH_TOOLS_COMMON_ARGS_H_
#define POLEGRAPH_TOOLS_COMMON_ARGS_H_

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace polegraph::tools {

// Upper bounds for Args::IntIn on options narrowed to these types.
inline constexpr std::int64_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();
inline constexpr std::int64_t kMaxUint32 = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();

class Args {
 public:
  Args& Option(const std::string& name) { options_.insert(name); return *this; }
  Args& Flag(const std::string& name) { flags_.insert(name); return *this; }

  // argv[0] is the sub-command name.
  absl::Status Parse(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a.size() > 2 && a.rfind("--", 0) == 0) {
        std::string name = a.substr(2);
        std::optional<std::string> value;
        if (auto eq = name.find('='); eq != std::string::npos) {
          value = name.substr(eq + 1);
          name = name.substr(0, eq);
        }
        if (flags_.count(name)) {
          if (value) return absl::InvalidArgumentError(absl::StrCat("--", name, " takes no value"));
          values_[name] = "true";
        } else if (options_.count(name)) {
          if (!value) {
            if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
            value = argv[++i];
          }
          values_[name] = *value;
        } else {
          return absl::InvalidArgumentError(absl::StrCat("unknown option --", name));
        }
      } else {
        positionals_.push_back(a);
      }
    }
    return absl::OkStatus();
  }

  const std::vector<std::string>& positionals() const { return positionals_; }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }
  absl::StatusOr<std::int64_t> Int(const std::string& name, std::int64_t fallback) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    std::int64_t v;
    if (!absl::SimpleAtoi(it->second, &v)) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, ": not an integer: '", it->second, "'"));
    }
    return v;
  }
  // Int within [lo, hi] (both inclusive), for an option whose value is narrowed to a smaller
  // type or must lie in a range: InvalidArgument "--NAME must be in [lo, hi], got 'V'" for any
  // integer outside it, including one too large for 64 bits.
  absl::StatusOr<std::int64_t> IntIn(const std::string& name, std::int64_t fallback,
                                     std::int64_t lo, std::int64_t hi) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    std::int64_t v;
    const bool parsed = absl::SimpleAtoi(it->second, &v);
    if (!parsed && !LooksLikeInteger(it->second)) return Int(name, fallback);  // its message
    if (!parsed || v < lo || v > hi) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " must be in [", lo, ", ", hi, "], got '", it->second, "'"));
    }
    return v;
  }
  absl::StatusOr<double> Double(const std::string& name, double fallback) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    double v;
    if (!absl::SimpleAtod(it->second, &v)) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, ": not a number: '", it->second, "'"));
    }
    return v;
  }

 private:
  // An optional sign and at least one digit, nothing else (SimpleAtoi fails on such text only
  // when it is out of range).
  static bool LooksLikeInteger(const std::string& s) {
    std::size_t i = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (i == s.size()) return false;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
    }
    return true;
  }

  std::set<std::string> options_, flags_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
};

}  // namespace polegraph::tools

#endif  // POLEGRAPH_TOOLS_COMMON_ARGS_H_
