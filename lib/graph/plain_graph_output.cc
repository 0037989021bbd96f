// Graphalytics result files: "id value" lines in vertex-file order, numbers formatted as the
// specification's validator expects. Blocks of lines are formatted in parallel with
// std::to_chars and written in order.
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"
#include "parallel/parallel.h"
#include "polegraph/graphalytics.h"

namespace polegraph::graphalytics {
namespace {

constexpr std::array<std::string_view, 6> kNames = {"bfs", "wcc", "cdlp", "pr", "lcc", "sssp"};

void Append(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void Append(std::string& out, double v) {
  if (std::isinf(v)) {
    out += v > 0 ? "Infinity" : "-Infinity";
    return;
  }
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific, 15);
  out.append(buf, r.ptr);
}

template <typename T>
absl::Status Write(const std::string& path, const PlainGraph& g, std::span<const T> values) {
  if (values.size() != g.num_nodes()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "WriteResult: ", values.size(), " values for a graph of ", g.num_nodes(), " vertices"));
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!f) return absl::PermissionDeniedError(absl::StrCat(path, ": cannot open for writing"));
  constexpr std::size_t kBlock = 1 << 16;
  constexpr int kThreads = 4;  // formatting is cheap; a few threads keep up with the disk
  const std::size_t n = values.size();
  for (std::size_t lo = 0; lo < n; lo += kBlock * kThreads) {
    std::array<std::string, kThreads> text;
    internal::ParallelFor(
        0, kThreads, kThreads,
        [&](std::size_t t) {
          std::size_t b = lo + t * kBlock;
          for (std::size_t i = b; i < std::min(n, b + kBlock); ++i) {
            Append(text[t], g.external_id(static_cast<NodeId>(i)));
            text[t] += ' ';
            Append(text[t], values[i]);
            text[t] += '\n';
          }
        },
        1);
    for (const std::string& s : text) {
      if (std::fwrite(s.data(), 1, s.size(), f.get()) != s.size()) {
        return absl::DataLossError(absl::StrCat(path, ": write failed (disk full?)"));
      }
    }
  }
  if (std::fflush(f.get()) != 0) {
    return absl::DataLossError(absl::StrCat(path, ": write failed (disk full?)"));
  }
  return absl::OkStatus();
}

}  // namespace

std::optional<Algorithm> ParseAlgorithm(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Algorithm>(i);
  }
  return std::nullopt;
}

std::string_view AlgorithmName(Algorithm a) { return kNames[static_cast<std::size_t>(a)]; }

std::string FormatValue(std::int64_t v) {
  std::string s;
  Append(s, v);
  return s;
}

std::string FormatValue(double v) {
  std::string s;
  Append(s, v);
  return s;
}

absl::Status WriteResult(const std::string& path, const PlainGraph& g,
                         std::span<const std::int64_t> values) {
  return Write(path, g, values);
}

absl::Status WriteResult(const std::string& path, const PlainGraph& g,
                         std::span<const double> values) {
  return Write(path, g, values);
}

}  // namespace polegraph::graphalytics
