// PlainGraph loaders: Graphalytics EVLP (.v + .e) and plain edge lists.
//
// The whole file is read into memory, cut into one chunk per thread at line boundaries, and
// each chunk is parsed by a hand-written scanner (no iostreams, no locale) into its own
// arrays; the chunks are concatenated in file order, so the result does not depend on the
// thread count. Errors carry file:line (a chunk counts its lines; the line of a record found
// bad after parsing is recovered by rescanning, on the error path only).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "graph/plain_graph_builder.h"
#include "parallel/frontier.h"
#include "parallel/parallel.h"
#include "polegraph/plain_graph.h"

namespace polegraph {
namespace {

// Reads a whole regular file. A directory, FIFO or device is refused (InvalidArgument, as
// ExtractReader::Open and OpenSnapshot do); a file too large for memory is ResourceExhausted.
absl::StatusOr<std::string> ReadFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot open for reading"));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) return absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot stat"));
  if (!S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a regular file"));
  }
  // st_size is where reading starts, not a promise: read() may return less than asked
  // (signals, network file systems), a file may grow meanwhile, and files in /proc report 0.
  // So read to end of file, into a buffer one byte larger than st_size (so that the final
  // empty read needs no reallocation), doubled when a file turns out longer.
  std::string data;
  std::size_t have = 0;
  auto grow = [&](std::uint64_t bytes) -> absl::Status {
    try {
      data.resize(static_cast<std::size_t>(bytes));
    } catch (const std::exception&) {  // std::bad_alloc, or std::length_error past max_size()
      return absl::ResourceExhaustedError(
          absl::StrCat(path, ": ", bytes, " bytes do not fit in memory"));
    }
    return absl::OkStatus();
  };
  if (absl::Status s = grow(static_cast<std::uint64_t>(st.st_size) + 1); !s.ok()) return s;
  while (true) {
    if (have == data.size()) {
      if (absl::Status s = grow(std::max<std::uint64_t>(2 * have, 1 << 16)); !s.ok()) return s;
    }
    const ssize_t got = ::read(fd, data.data() + have, data.size() - have);
    if (got < 0) {
      if (errno == EINTR) continue;
      return absl::DataLossError(absl::StrCat(path, ": read error: ", std::strerror(errno)));
    }
    if (got == 0) break;
    have += static_cast<std::size_t>(got);
  }
  data.resize(have);
  return data;
}

inline bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// One parsed chunk of records: ids (1 or 2 per record) and weights.
struct Chunk {
  std::vector<std::int64_t> ids;
  std::vector<double> weights;
  std::uint64_t lines = 0;       // newlines in the chunk
  std::string error;             // first error, if any
  std::uint64_t error_line = 0;  // 1-based line within the chunk
};

struct Format {
  int ids_per_line = 2;
  bool weighted = false;
  bool comments = false;  // skip lines starting with '#' or '%'
  bool allow_self_loops = false;
};

std::string Shown(const char* p, const char* end) {
  const char* q = p;
  while (q < end && !IsBlank(*q) && q - p < 24) ++q;
  if (q == p) return "end of line";
  return absl::StrCat("'", std::string(p, static_cast<std::size_t>(q - p)), "'");
}

// Parses one line [p, end) (no '\n'); appends to chunk or returns an error message.
std::optional<std::string> ParseLine(const char* p, const char* end, const Format& f, Chunk& c) {
  while (p < end && IsBlank(*p)) ++p;
  if (p == end) return std::nullopt;  // empty line
  if (f.comments && (*p == '#' || *p == '%')) return std::nullopt;
  std::int64_t id[2] = {0, 0};
  for (int k = 0; k < f.ids_per_line; ++k) {
    while (p < end && IsBlank(*p)) ++p;
    auto [q, ec] = std::from_chars(p, end, id[k]);
    if (ec != std::errc() || (q < end && !IsBlank(*q))) {
      if (ec == std::errc::result_out_of_range) {
        return absl::StrCat("vertex id ", Shown(p, end), " does not fit in 64 bits");
      }
      return absl::StrCat("expected ", k == 0 ? "a vertex id" : "a second vertex id", ", found ",
                          Shown(p, end));
    }
    p = q;
  }
  while (p < end && IsBlank(*p)) ++p;
  double w = 1.0;
  bool has_w = false;
  if (f.ids_per_line == 2 && p < end) {
    auto [q, ec] = std::from_chars(p, end, w);
    if (ec == std::errc::result_out_of_range) {
      return absl::StrCat("weight ", Shown(p, end), " is out of the range of a double");
    }
    if (ec != std::errc() || (q < end && !IsBlank(*q))) {
      return absl::StrCat("expected a weight, found ", Shown(p, end));
    }
    has_w = true;
    p = q;
    while (p < end && IsBlank(*p)) ++p;
  }
  // A vertex line may carry properties after the id (EVLP); they are not used.
  if (p < end && f.ids_per_line == 2) {
    return absl::StrCat("unexpected text after the record: ", Shown(p, end));
  }
  if (f.ids_per_line == 2) {
    if (id[0] == id[1] && !f.allow_self_loops) {
      return absl::StrCat("self-loop on vertex ", id[0],
                          "; the Graphalytics format forbids self-loops");
    }
    if (f.weighted) {
      if (!has_w) return "missing weight (the graph was declared weighted)";
      if (!(w >= 0) || !std::isfinite(w)) {
        return absl::StrCat("weight ", w,
                            " is not a finite non-negative number; SSSP needs weights >= 0");
      }
      c.weights.push_back(w);
    }
  }
  for (int k = 0; k < f.ids_per_line; ++k) c.ids.push_back(id[k]);
  return std::nullopt;
}

void ParseChunk(const char* p, const char* end, const Format& f, Chunk& c) {
  while (p < end) {
    const char* nl =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* line_end = nl ? nl : end;
    if (auto err = ParseLine(p, line_end, f, c)) {
      c.error = *std::move(err);
      c.error_line = c.lines + 1;
      return;
    }
    if (!nl) break;
    ++c.lines;
    p = nl + 1;
  }
}

// Parses a whole file's text into ids (and weights), in file order.
absl::Status ParseText(const std::string& text, const std::string& path, const Format& f,
                       int threads, std::vector<std::int64_t>& ids, std::vector<double>& weights) {
  const std::size_t size = text.size();
  const int chunks = internal::ThreadsFor(size, threads, 1 << 20);
  std::vector<std::size_t> cut(static_cast<std::size_t>(chunks) + 1, size);
  cut[0] = 0;
  for (int k = 1; k < chunks; ++k) {
    std::size_t at = std::max(cut[k - 1], size * static_cast<std::size_t>(k) / chunks);
    while (at < size && text[at - 1] != '\n') ++at;  // start each chunk after a newline
    cut[k] = at;
  }
  std::vector<Chunk> parts(static_cast<std::size_t>(chunks));
  internal::ParallelBlocks(
      static_cast<std::size_t>(chunks), chunks, [&](int, std::size_t lo, std::size_t hi) {
        for (std::size_t k = lo; k < hi; ++k) {
          ParseChunk(text.data() + cut[k], text.data() + cut[k + 1], f, parts[k]);
        }
      });
  std::uint64_t line_base = 0;
  std::size_t total_ids = 0, total_w = 0;
  for (const Chunk& c : parts) {
    if (!c.error.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_base + c.error_line, ": ", c.error));
    }
    line_base += c.lines;
    total_ids += c.ids.size();
    total_w += c.weights.size();
  }
  ids.resize(total_ids);
  weights.resize(total_w);
  std::vector<std::size_t> id_at(parts.size() + 1, 0), w_at(parts.size() + 1, 0);
  for (std::size_t k = 0; k < parts.size(); ++k) {
    id_at[k + 1] = id_at[k] + parts[k].ids.size();
    w_at[k + 1] = w_at[k] + parts[k].weights.size();
  }
  internal::ParallelFor(
      0, parts.size(), threads,
      [&](std::size_t k) {
        std::copy(parts[k].ids.begin(), parts[k].ids.end(), ids.begin() + id_at[k]);
        std::copy(parts[k].weights.begin(), parts[k].weights.end(), weights.begin() + w_at[k]);
      },
      1);
  return absl::OkStatus();
}

// 1-based line number of the record-th record (0-based) of a file, skipping blank lines and
// (when f.comments) comment lines. Error path only.
std::uint64_t LineOfRecord(const std::string& text, std::size_t record, const Format& f) {
  std::uint64_t line = 1;
  std::size_t seen = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const char* nl =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* line_end = nl ? nl : end;
    const char* q = p;
    while (q < line_end && IsBlank(*q)) ++q;
    bool is_record = q < line_end && !(f.comments && (*q == '#' || *q == '%'));
    if (is_record) {
      if (seen == record) return line;
      ++seen;
    }
    if (!nl) break;
    ++line;
    p = nl + 1;
  }
  return line;
}

// Maps external edge endpoints to dense ids; on an unknown id reports the first offending
// edge with its file:line.
absl::Status MapEdges(const PlainGraph& g, const std::vector<std::int64_t>& ids,
                      const std::string& text, const std::string& path, const Format& f,
                      const std::string& vertex_path, int threads, DenseEdges& out) {
  const std::size_t m = ids.size() / 2;
  out.source.resize(m);
  out.target.resize(m);
  std::atomic<std::size_t> first_bad{m};
  internal::ParallelFor(0, m, threads, [&](std::size_t i) {
    std::optional<NodeId> s = g.Find(ids[2 * i]), t = g.Find(ids[2 * i + 1]);
    if (!s || !t) {
      internal::AtomicMin(first_bad, i);
      return;
    }
    out.source[i] = *s;
    out.target[i] = *t;
  });
  if (std::size_t bad = first_bad.load(); bad < m) {
    std::int64_t missing = g.Find(ids[2 * bad]) ? ids[2 * bad + 1] : ids[2 * bad];
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", LineOfRecord(text, bad, f), ": vertex ", missing,
                     " is not listed in the vertex file ", vertex_path));
  }
  return absl::OkStatus();
}

// Removes self-loops (kept by the parser only when simplifying), preserving order.
void DropSelfLoops(DenseEdges& edges) {
  const bool weighted = !edges.weight.empty();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < edges.source.size(); ++i) {
    if (edges.source[i] == edges.target[i]) continue;
    edges.source[kept] = edges.source[i];
    edges.target[kept] = edges.target[i];
    if (weighted) edges.weight[kept] = edges.weight[i];
    ++kept;
  }
  edges.source.resize(kept);
  edges.target.resize(kept);
  if (weighted) edges.weight.resize(kept);
}

}  // namespace

absl::StatusOr<PlainGraph> PlainGraph::LoadGraphalytics(const std::string& vertex_path,
                                                        const std::string& edge_path,
                                                        const PlainGraphOptions& options,
                                                        int threads) {
  PlainGraph g;
  Format vf{.ids_per_line = 1, .comments = true};
  {
    absl::StatusOr<std::string> vtext = ReadFile(vertex_path);
    if (!vtext.ok()) return vtext.status();
    std::vector<std::int64_t> ids;
    std::vector<double> unused;
    if (absl::Status s = ParseText(*vtext, vertex_path, vf, threads, ids, unused); !s.ok()) {
      return s;
    }
    std::size_t dup = 0;
    if (absl::Status s = PlainGraphBuilder::SetVertices(g, std::move(ids), &dup); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(vertex_path, ":", LineOfRecord(*vtext, dup, vf), ": ", s.message()));
    }
  }
  Format ef{.ids_per_line = 2,
            .weighted = options.weighted,
            .comments = true,
            .allow_self_loops = options.simplify};
  absl::StatusOr<std::string> etext = ReadFile(edge_path);
  if (!etext.ok()) return etext.status();
  std::vector<std::int64_t> ids;
  DenseEdges edges;
  if (absl::Status s = ParseText(*etext, edge_path, ef, threads, ids, edges.weight); !s.ok()) {
    return s;
  }
  if (absl::Status s = MapEdges(g, ids, *etext, edge_path, ef, vertex_path, threads, edges);
      !s.ok()) {
    return s;
  }
  ids = {};
  etext = std::string();
  if (options.simplify) DropSelfLoops(edges);
  if (absl::Status s =
          PlainGraphBuilder::BuildAdjacency(g, std::move(edges), options, threads, edge_path);
      !s.ok()) {
    return s;
  }
  return g;
}

absl::StatusOr<PlainGraph> PlainGraph::LoadEdgeList(const std::string& path,
                                                    const PlainGraphOptions& options, int threads) {
  Format ef{.ids_per_line = 2,
            .weighted = options.weighted,
            .comments = true,
            .allow_self_loops = options.simplify};
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  std::vector<std::int64_t> ids;
  DenseEdges edges;
  if (absl::Status s = ParseText(*text, path, ef, threads, ids, edges.weight); !s.ok()) return s;
  std::vector<std::int64_t> vertices = ids;
  std::sort(vertices.begin(), vertices.end());
  vertices.erase(std::unique(vertices.begin(), vertices.end()), vertices.end());
  PlainGraph g;
  if (absl::Status s = PlainGraphBuilder::SetVertices(g, std::move(vertices)); !s.ok()) return s;
  if (absl::Status s = MapEdges(g, ids, *text, path, ef, path, threads, edges); !s.ok()) {
    return s;
  }
  ids = {};
  if (options.simplify) DropSelfLoops(edges);
  if (absl::Status s =
          PlainGraphBuilder::BuildAdjacency(g, std::move(edges), options, threads, path);
      !s.ok()) {
    return s;
  }
  return g;
}

}  // namespace polegraph
