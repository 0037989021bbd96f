// Misreads: the known plates that a VRM as read may be a misread of (MisreadIndex in
// polegraph/anpr.h).
//
// What: cameras confuse characters of similar shape — O/0/D/Q, I/1/T, B/8, S/5, Z/2, G/6 —
// and may drop or add a character. A known plate P explains a read Q when Q becomes P by
// substituting confusable characters (at most max_substitutions) and, optionally, dropping or
// adding one character. Its likelihood is a posterior (see MisreadCandidate): a prior
// proportional to the plate's visible reads plus a pseudo-count, times sub^s * indel^i for the
// camera's mistakes, normalised over the candidates and the hypothesis that the VRM is right.
// How: fold every character to its confusion class (O/0/D/Q -> O, ...); two strings differ
// only by confusable substitutions iff their folded forms are equal. The index is the sorted
// list of (FNV-1a hash of folded key, plate). A query looks up its folded form, each form with
// one character deleted (the camera added one) and each form with one folded character
// inserted (the camera dropped one); each hit is verified and scored exactly.
// Cost: build O(P log P) for P plates; query O(L * A * log P) for length L, alphabet A (~30).
// Reference: deletion/insertion neighbourhoods for approximate dictionary look-up (Boytsov,
// "Indexing methods for approximate dictionary searching", ACM JEA 16, 2011).
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "anpr/internal/reads.h"
#include "parallel/parallel.h"
#include "polegraph/anpr.h"
#include "polegraph/keys.h"

namespace polegraph {
namespace {

char Fold(char c) {
  switch (c) {
    case '0':
    case 'D':
    case 'Q':
      return 'O';
    case '1':
    case 'T':
      return 'I';
    case '8':
      return 'B';
    case '5':
      return 'S';
    case '2':
      return 'Z';
    case '6':
      return 'G';
    default:
      return c;
  }
}

std::string FoldAll(std::string_view s) {
  std::string f(s);
  for (char& c : f) c = Fold(c);
  return f;
}

std::uint64_t Fnv1a(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Substitutions turning `a` into `b` (equal lengths) when all differences are confusable.
std::optional<int> Substitutions(std::string_view a, std::string_view b) {
  int subs = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    if (Fold(a[i]) != Fold(b[i])) return std::nullopt;
    ++subs;
  }
  return subs;
}

// (substitutions, indels) turning the read `q` into the plate `p`, minimising substitutions.
std::optional<std::pair<int, int>> Explain(std::string_view q, std::string_view p,
                                           bool allow_indel) {
  if (q.size() == p.size()) {
    auto s = Substitutions(q, p);
    return s ? std::optional<std::pair<int, int>>({*s, 0}) : std::nullopt;
  }
  if (!allow_indel || (q.size() != p.size() + 1 && p.size() != q.size() + 1)) return std::nullopt;
  const std::string_view longer = q.size() > p.size() ? q : p;
  const std::string_view shorter = q.size() > p.size() ? p : q;
  std::optional<int> best;
  for (std::size_t i = 0; i < longer.size(); ++i) {
    std::string cut(longer);
    cut.erase(i, 1);
    auto s = Substitutions(cut, shorter);
    if (s && (!best || *s < *best)) best = s;
  }
  return best ? std::optional<std::pair<int, int>>({*best, 1}) : std::nullopt;
}

absl::Status ValidateOptions(const MisreadOptions& o) {
  if (o.max_substitutions < 0) {
    return absl::InvalidArgumentError("MisreadOptions.max_substitutions must be >= 0");
  }
  if (!(o.substitution_likelihood > 0 && o.substitution_likelihood <= 1) ||
      !(o.indel_likelihood > 0 && o.indel_likelihood <= 1)) {
    return absl::InvalidArgumentError(
        "MisreadOptions.substitution_likelihood and indel_likelihood must be in (0, 1]");
  }
  if (!(o.pseudo_reads > 0) || !std::isfinite(o.pseudo_reads)) {
    return absl::InvalidArgumentError("MisreadOptions.pseudo_reads must be a positive number");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MisreadIndex> MisreadIndex::Build(const Graph& graph, const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  const anpr_internal::Visibility vis(graph, ctx.clearance);
  const anpr_internal::ReadGroups by_plate =
      anpr_internal::ReadsByPlate(graph, vis, anpr_internal::TimeRange{}, ctx.threads);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;
  MisreadIndex index;
  index.graph_ = &graph;
  index.first_plate_ = by_plate.first;
  const std::size_t n = by_plate.num_groups();
  index.reads_.resize(n);
  std::vector<std::uint64_t> hashes(n);
  internal::ParallelFor(0, n, ctx.threads, [&](std::size_t p) {
    const NodeId v = by_plate.first + static_cast<NodeId>(p);
    index.reads_[p] = by_plate.offsets[p + 1] - by_plate.offsets[p];
    hashes[p] = Fnv1a(FoldAll(graph.key(v)));
  });
  for (std::size_t p = 0; p < n; ++p) {
    const NodeId v = by_plate.first + static_cast<NodeId>(p);
    if (vis.Node(v)) index.entries_.emplace_back(hashes[p], v);
  }
  std::sort(index.entries_.begin(), index.entries_.end());
  return index;
}

absl::StatusOr<std::vector<MisreadCandidate>> MisreadIndex::Find(
    std::string_view vrm, const MisreadOptions& options) const {
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  const std::string query = NormaliseVrm(vrm);
  if (query.empty()) return absl::InvalidArgumentError("misreads: the VRM is empty");
  const std::string folded = FoldAll(query);
  std::vector<std::string> keys = {folded};
  if (options.allow_indel) {
    std::string alphabet;
    for (char c = 'A'; c <= 'Z'; ++c) alphabet += Fold(c);
    for (char c = '0'; c <= '9'; ++c) alphabet += Fold(c);
    std::sort(alphabet.begin(), alphabet.end());
    alphabet.erase(std::unique(alphabet.begin(), alphabet.end()), alphabet.end());
    for (std::size_t i = 0; i < folded.size(); ++i) {
      keys.push_back(folded);
      keys.back().erase(i, 1);
    }
    for (std::size_t i = 0; i <= folded.size(); ++i) {
      for (char c : alphabet) {
        keys.push_back(folded);
        keys.back().insert(i, 1, c);
      }
    }
  }
  std::vector<NodeId> hits;
  for (const std::string& k : keys) {
    const std::uint64_t h = Fnv1a(k);
    auto it = std::lower_bound(entries_.begin(), entries_.end(), std::make_pair(h, NodeId{0}));
    for (; it != entries_.end() && it->first == h; ++it) hits.push_back(it->second);
  }
  std::sort(hits.begin(), hits.end());
  hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
  // w(VRM): the read taken as right (its own visible reads; it is among the hits when known).
  double total = options.pseudo_reads;
  std::vector<MisreadCandidate> out;
  for (NodeId v : hits) {
    const std::string_view key = graph_->key(v);
    if (key == query) {
      total += static_cast<double>(reads_[v - first_plate_]);
      continue;
    }
    auto e = Explain(query, key, options.allow_indel);  // also rejects hash collisions
    if (!e || e->first > options.max_substitutions) continue;
    MisreadCandidate c;
    c.plate = v;
    c.substitutions = e->first;
    c.indels = e->second;
    c.reads = reads_[v - first_plate_];
    c.likelihood = (static_cast<double>(c.reads) + options.pseudo_reads) *
                   std::pow(options.substitution_likelihood, c.substitutions) *
                   std::pow(options.indel_likelihood, c.indels);
    out.push_back(c);
  }
  // Candidates are in NodeId order here, so the sum is the same on every run.
  for (const MisreadCandidate& c : out) total += c.likelihood;
  for (MisreadCandidate& c : out) c.likelihood /= total;
  std::sort(out.begin(), out.end(), [](const MisreadCandidate& x, const MisreadCandidate& y) {
    if (x.likelihood != y.likelihood) return x.likelihood > y.likelihood;
    if (x.reads != y.reads) return x.reads > y.reads;
    return x.plate < y.plate;
  });
  if (options.max_results > 0 && out.size() > options.max_results) out.resize(options.max_results);
  return out;
}

absl::StatusOr<std::vector<MisreadCandidate>> FindMisreads(const Graph& graph, std::string_view vrm,
                                                           const MisreadOptions& options,
                                                           const QueryContext& ctx) {
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  absl::StatusOr<MisreadIndex> index = MisreadIndex::Build(graph, ctx);
  if (!index.ok()) return index.status();
  return index->Find(vrm, options);
}

}  // namespace polegraph
