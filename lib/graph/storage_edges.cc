// The two checks of a snapshot's edges that Graph::Storage::Validate makes after the bounds
// (storage_validate.cc), and that GraphBuilder::Build makes of the edges it was given: every
// edge joins the node kinds its kind allows (internal::EdgeKindJoins, e.g. a SEEN_AT edge
// starts at a Plate: the ANPR code indexes per-plate arrays by `plate - first plate`), and the
// in-CSR is the out-CSR transposed (in-entry i of node v is edge in.edge[i], which ends at v
// and starts at in.neighbours[i], in (source, edge id) order, so in.edge is a permutation of
// the edges). A crafted file with recomputed checksums that broke the second crashed convoys
// (session 11's review). Cost: sequential scans on `threads` threads, no copies.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "graph/edge_endpoints.h"
#include "graph/storage.h"
#include "parallel/parallel.h"

namespace polegraph {
namespace {

using internal::SectionError;
using internal::SectionId;

// Bit from * kNumNodeKinds + to of kJoins[k]: an edge of kind k may join a `from` node to a
// `to` node (internal::EdgeKindJoins, the one statement of the rule).
constexpr std::array<std::uint32_t, kNumEdgeKinds> kJoins = [] {
  std::array<std::uint32_t, kNumEdgeKinds> joins{};
  for (int k = 0; k < kNumEdgeKinds; ++k) {
    for (int a = 0; a < kNumNodeKinds; ++a) {
      for (int b = 0; b < kNumNodeKinds; ++b) {
        if (internal::EdgeKindJoins(static_cast<EdgeKind>(k), static_cast<NodeKind>(a),
                                    static_cast<NodeKind>(b))) {
          joins[static_cast<std::size_t>(k)] |= std::uint32_t{1} << (a * kNumNodeKinds + b);
        }
      }
    }
  }
  return joins;
}();
static_assert(kNumNodeKinds == 5);  // FirstMisjoinedEdge finds a node's kind with 4 comparisons

// Runs check(lo, hi) on contiguous blocks of [0, n) on up to `threads` threads and returns the
// error of the first failing block. Each check returns the first failure in its block, so the
// error is the first in [0, n) whatever the thread count.
template <typename Check>
absl::Status FirstFailure(std::uint64_t n, int threads, Check&& check) {
  const int blocks = internal::ThreadsFor(n, threads, std::size_t{1} << 18);
  std::vector<absl::Status> status(static_cast<std::size_t>(blocks));
  internal::ParallelBlocks(n, blocks, [&](int b, std::size_t lo, std::size_t hi) {
    status[static_cast<std::size_t>(b)] = check(lo, hi);
  });
  for (absl::Status& st : status) {
    if (!st.ok()) return std::move(st);
  }
  return absl::OkStatus();
}

// The in-CSR is the out-CSR transposed: in-entry i of node v is edge e = in.edge[i], which ends
// at v (out.neighbours[e] == v) and starts at u = in.neighbours[i] (e lies in u's out-range),
// and each node's entries rise strictly by (source, edge id), the order Build writes. Then no
// edge appears twice (twice at one node breaks the order; at two nodes, the target), so
// in.edge, E entries, is a permutation of the edges. This is the exact check, entry by entry;
// its reads of out.neighbours[e] and out.offsets[u] follow in.edge in no particular order (3 s
// for 10^8 edges), so CheckInTransposed runs it only to name the fault once the fast test below
// has found one. The entries are split into blocks by position, not by node, so one node with
// a million in-edges (a busy ANPR site) does not hold up one thread.
absl::Status FindTransposeFault(const Graph::Storage& s, int threads) {
  return FirstFailure(s.in_edge.size(), threads, [&](EdgeIndex lo, EdgeIndex hi) {
    if (lo == hi) return absl::OkStatus();
    // The node whose entries hold position lo: the last v with in.offsets[v] <= lo.
    NodeId v = static_cast<NodeId>(std::upper_bound(s.in_offsets.begin(), s.in_offsets.end(), lo) -
                                   s.in_offsets.begin() - 1);
    for (EdgeIndex i = lo; i < hi; ++i) {
      while (i >= s.in_offsets[v + 1]) ++v;
      const EdgeId e = s.in_edge[i];
      if (s.out_neighbours[e] != v) {
        return SectionError(
            SectionId::in_edge,
            absl::StrCat("entry ", i, " (of node ", v, ") is edge ", e, ", which ends at node ",
                         s.out_neighbours[e], " (out.neighbours)"));
      }
      const NodeId u = s.in_neighbours[i];
      if (e < s.out_offsets[u] || e >= s.out_offsets[u + 1]) {
        const NodeId source = s.EdgeSource(e);
        return SectionError(SectionId::in_neighbours,
                            absl::StrCat("entry ", i, " (of node ", v, ") names node ", u,
                                         " as the source of edge ", e, ", which starts at node ",
                                         source, " (out.offsets)"));
      }
      // The source is right (e lies in u's out-range), so rising edge ids are rising
      // (source, edge id). The previous entry may lie in the block before: it is only read.
      if (i > s.in_offsets[v] && e <= s.in_edge[i - 1]) {
        const EdgeId last_e = s.in_edge[i - 1];
        return SectionError(
            SectionId::in_edge,
            e == last_e
                ? absl::StrCat("entry ", i, " (of node ", v, ") repeats edge ", e)
                : absl::StrCat("entry ", i, " (of node ", v, ") is edge ", e, " after edge ",
                               last_e, ": in-edges rise by source, then edge id"));
      }
    }
    return absl::OkStatus();
  });
}

inline std::uint64_t Mix(std::uint64_t z) {  // SplitMix64's finaliser
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Two 64-bit keys drawn once per process, so that a file cannot be crafted to make the sums
// below agree by a collision of EdgeHash: it would have to guess the keys.
struct HashKeys {
  std::uint64_t k0, k1;
};
const HashKeys& Keys() {
  static const HashKeys keys = [] {
    std::random_device rd;
    const auto draw = [&] { return (std::uint64_t{rd()} << 32) ^ rd(); };
    const std::uint64_t t =
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    return HashKeys{Mix(draw() ^ t) | 1, Mix(draw() + t) | 1};
  }();
  return keys;
}

// The keyed hash of edge e from u to v: a keyed linear map of (u, v, e) to 64 bits, then
// SplitMix's bijective finaliser, without which sums of the hashes would be linear and easy to
// balance. Two distinct triples meet under the linear map only if their differences in (u, v)
// and in e hold the same power of two 2^t (t <= 31, e being 32-bit), and then for one k1 in
// 2^(63-t) given k0: probability at most 2^-32 over the keys for the worst pair chosen.
inline std::uint64_t EdgeHash(const HashKeys& k, NodeId u, NodeId v, EdgeId e) {
  return Mix(((std::uint64_t{u} << 32) | v) * k.k0 + std::uint64_t{e} * k.k1);
}

// CheckInTransposed's fast test, over one block of positions [lo, hi) of both CSRs: the sum
// (modulo 2^64) of EdgeHash(u, v, e) over the out-edges e = u -> v in [lo, hi), minus the sum
// over the in-entries i in [lo, hi) of EdgeHash(in.neighbours[i], v, in.edge[i]) with v the
// node owning entry i; and whether an in-entry fails to rise above the one before it at its
// node. Two sequential passes.
struct TransposeSums {
  std::uint64_t sum = 0;
  bool out_of_order = false;
};
TransposeSums SumBlock(const Graph::Storage& s, const HashKeys& k, EdgeIndex lo, EdgeIndex hi) {
  TransposeSums r;
  if (lo == hi) return r;
  const auto owner = [](std::span<const EdgeIndex> offsets, EdgeIndex at) {
    return static_cast<NodeId>(std::upper_bound(offsets.begin(), offsets.end(), at) -
                               offsets.begin() - 1);
  };
  NodeId u = owner(s.out_offsets, lo);
  for (EdgeIndex e = lo; e < hi; ++e) {
    while (e >= s.out_offsets[u + 1]) ++u;
    r.sum += EdgeHash(k, u, s.out_neighbours[e], static_cast<EdgeId>(e));
  }
  NodeId v = owner(s.in_offsets, lo);
  for (EdgeIndex i = lo; i < hi; ++i) {
    while (i >= s.in_offsets[v + 1]) ++v;
    const EdgeId e = s.in_edge[i];
    r.out_of_order |= i > s.in_offsets[v] && e <= s.in_edge[i - 1];
    r.sum -= EdgeHash(k, s.in_neighbours[i], v, e);
  }
  return r;
}

}  // namespace

// Nodes are sorted by kind, so the out-edges of kind a's nodes are one run of edge ids, and a
// target's kind follows from kind_first without reading node.kind: one sequential pass over
// the edges, in blocks on `threads` threads; the first misjoined edge of the first block that
// has one is the first of all. Needs the offsets, ids and kinds in range.
std::optional<EdgeIndex> Graph::Storage::FirstMisjoinedEdge(int threads) const {
  const auto first = [&](int k) { return kind_first[static_cast<std::size_t>(k)]; };
  const std::uint64_t m = out_neighbours.size();
  const int blocks = internal::ThreadsFor(m, threads, std::size_t{1} << 18);
  std::vector<std::optional<EdgeIndex>> found(static_cast<std::size_t>(blocks));
  internal::ParallelBlocks(m, blocks, [&](int block, EdgeIndex lo, EdgeIndex hi) {
    for (int a = 0; a < kNumNodeKinds; ++a) {
      const EdgeIndex end = std::min<EdgeIndex>(hi, out_offsets[first(a + 1)]);
      for (EdgeIndex e = std::max<EdgeIndex>(lo, out_offsets[first(a)]); e < end; ++e) {
        const NodeId v = out_neighbours[e];
        const int b = (v >= first(1)) + (v >= first(2)) + (v >= first(3)) + (v >= first(4));
        const auto kind = static_cast<std::size_t>(edge_kind[e]);
        if (((kJoins[kind] >> (a * kNumNodeKinds + b)) & 1) == 0) {
          found[static_cast<std::size_t>(block)] = e;
          return;
        }
      }
    }
  });
  for (const std::optional<EdgeIndex>& e : found) {
    if (e) return e;
  }
  return std::nullopt;
}

std::string Graph::Storage::DescribeEdge(EdgeIndex e) const {
  const NodeId source = EdgeSource(e);
  const NodeId target = out_neighbours[e];
  return absl::StrCat("edge ", e, " (", internal::Av(EdgeKindName(edge_kind[e])), ") joins ",
                      internal::Av(NodeKindName(node_kind[source])), " -> ",
                      internal::Av(NodeKindName(node_kind[target])),
                      ", which its kind does not allow (", internal::Av(EdgeKindName(edge_kind[e])),
                      " joins ", internal::EdgeKindEnds(edge_kind[e]), ")");
}

// Whether the in-CSR is the out-CSR transposed (FindTransposeFault states the rule). Fast test:
// the triples (source, target, edge id) read from the out-CSR and from the in-CSR are the same
// multiset exactly when the sums of their keyed hashes agree, but for a collision (EdgeHash:
// at most 2^-32 for a pair crafted without the secret keys, about 2^-64 for damage); with the
// rising order per node this is the exact check's
// rule. Sequential reads only, on `threads` threads; the exact check runs only when the test
// fails, to name the first faulty entry (so the message is the same at any thread count).
absl::Status Graph::Storage::CheckInTransposed(int threads) const {
  const std::uint64_t m = out_neighbours.size();  // == in_edge.size(), checked before
  const HashKeys& keys = Keys();
  const int blocks = internal::ThreadsFor(m, threads, std::size_t{1} << 18);
  std::vector<TransposeSums> parts(static_cast<std::size_t>(blocks));
  internal::ParallelBlocks(m, blocks, [&](int b, std::size_t lo, std::size_t hi) {
    parts[static_cast<std::size_t>(b)] = SumBlock(*this, keys, lo, hi);
  });
  TransposeSums total;
  for (const TransposeSums& p : parts) {
    total.sum += p.sum;
    total.out_of_order |= p.out_of_order;
  }
  if (total.sum == 0 && !total.out_of_order) return absl::OkStatus();
  if (absl::Status fault = FindTransposeFault(*this, threads); !fault.ok()) return fault;
  // Unreachable: when every entry passes the exact check the two multisets are equal.
  return SectionError(SectionId::in_edge, "does not match the out-adjacency");
}

}  // namespace polegraph
