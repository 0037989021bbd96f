// Shared helpers for the Graphalytics tests: temporary files, random graphs, contexts.
#ifndef POLEGRAPH_TESTS_GRAPHALYTICS_TEST_GRAPHS_H_
#define POLEGRAPH_TESTS_GRAPHALYTICS_TEST_GRAPHS_H_

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "polegraph/plain_graph.h"
#include "polegraph/query.h"

namespace polegraph::testing {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    static int counter = 0;
    path_ =
        std::filesystem::temp_directory_path() /
        ("polegraph-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline QueryContext Ctx(int threads) {
  QueryContext ctx;
  ctx.threads = threads;
  return ctx;
}

// A random simple graph: n vertices with external ids 1000 + 3 * i listed in a shuffled
// order (so dense order != id order), m edge attempts (self-loops and repeats dropped),
// weights in [0, 10) with a few zeros.
inline PlainGraph RandomGraph(std::uint32_t n, std::size_t m, bool directed, bool weighted,
                              std::uint64_t seed, int threads = 2) {
  std::mt19937_64 rng(seed);
  std::vector<std::int64_t> ids(n);
  for (std::uint32_t i = 0; i < n; ++i) ids[i] = 1000 + 3 * static_cast<std::int64_t>(i);
  std::shuffle(ids.begin(), ids.end(), rng);
  std::vector<PlainEdge> edges;
  edges.reserve(m);
  for (std::size_t k = 0; k < m; ++k) {
    PlainEdge e;
    e.source = ids[rng() % n];
    e.target = ids[rng() % n];
    e.weight = (rng() % 10 == 0) ? 0.0 : static_cast<double>(rng() % 10000) / 1000.0;
    edges.push_back(e);
  }
  PlainGraphOptions o;
  o.directed = directed;
  o.weighted = weighted;
  o.simplify = true;
  auto g = PlainGraph::FromEdges(ids, edges, o, threads);
  if (!g.ok()) std::abort();
  return *std::move(g);
}

}  // namespace polegraph::testing

#endif  // POLEGRAPH_TESTS_GRAPHALYTICS_TEST_GRAPHS_H_
