// Command-line arguments for one polegraph sub-command: positionals plus "--name value",
// "--name=value" and boolean "--flag" options. Every option a command accepts is declared up
// front, so an unknown or malformed option is an error before any work starts.
//
//   Args a;
//   a.Option("out").Option("threads").Flag("text");
//   if (absl::Status s = a.Parse(argc, argv); !s.ok()) ...
//   int t = *a.Int("threads", 1);
//   int top = *a.IntIn("top", 5, 0, INT32_MAX);   // range-checked before narrowing
//   std::optional<std::int64_t> since = *a.Time("since");  // Unix seconds, any time form
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
#include "absl/time/time.h"

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
  // --name as a time in Unix seconds (UTC), or nullopt when not given: the one form of every
  // time option of the CLI. Accepted: ISO 8601 with a zone, "2024-03-31T00:30:00Z" or
  // "2024-03-31T02:30:00+01:00" (seconds and fractions optional; converted to UTC, fractions
  // dropped); a bare date "2024-03-31", meaning 00:00 UTC; or Unix seconds "1711845000". A
  // date and time without a zone is refused: UK clocks change (GMT / BST), so it would be
  // ambiguous by an hour. InvalidArgument naming the option otherwise.
  absl::StatusOr<std::optional<std::int64_t>> Time(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::optional<std::int64_t>();
    const std::string& text = it->second;
    std::int64_t seconds;
    if (LooksLikeInteger(text) && absl::SimpleAtoi(text, &seconds)) return seconds;
    absl::Time t;
    std::string err;
    for (const char* format : {"%Y-%m-%d%ET%H:%M:%E*S%Ez", "%Y-%m-%d%ET%H:%M%Ez", "%Y-%m-%d"}) {
      if (absl::ParseTime(format, text, absl::UTCTimeZone(), &t, &err)) {
        return absl::ToUnixSeconds(t);
      }
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, ": '", text,
        "' is not a time: use ISO 8601 with a zone (2024-03-31T00:30:00Z, "
        "2024-03-31T02:30:00+01:00), a date (2024-03-31, 00:00 UTC) or Unix seconds"));
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
