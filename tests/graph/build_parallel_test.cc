// Build's parallel helpers against plain sequential oracles, each at 1, 2 and 8 threads and on
// empty, one-element and skewed inputs: RewriteFacts (the prefetching fact rewrite),
// PutLabelSets (label sets numbered by a radix sort and parallel scans), GroupSortBuckets on
// degenerate inputs (no items, one item, every item in one group), and Column
// (sized without a zero-fill, contents unchanged).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <random>
#include <span>
#include <tuple>
#include <vector>

#include "graph/build_steps.h"
#include "graph/chunked_vector.h"
#include "graph/column.h"
#include "graph/group_sort.h"
#include "graph/storage.h"

namespace polegraph {
namespace {

using internal::ChunkedVector;
using internal::SectionId;

struct Fact {
  std::uint32_t node;
  std::uint32_t value;
  bool operator==(const Fact&) const = default;
};

TEST_CASE("RewriteFacts rewrites every fact as a sequential loop does", "[graph][build]") {
  std::mt19937 rng(17);
  const std::size_t chunk = ChunkedVector<Fact>::kChunk;
  // table[i]: the "new id" of i; value kNone (past the table) is kept as is, as a record
  // number kNoRecord is.
  std::vector<std::uint32_t> table(100000);
  for (auto& t : table) t = static_cast<std::uint32_t>(rng());
  constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{17}, 3 * chunk + 5}) {
    std::vector<Fact> input(n);
    for (auto& f : input) {
      f = {static_cast<std::uint32_t>(rng() % table.size()),
           rng() % 7 == 0 ? kNone : static_cast<std::uint32_t>(rng() % table.size())};
    }
    std::vector<Fact> expect = input;  // the oracle: a plain loop
    for (Fact& f : expect) f = {table[f.node], f.value == kNone ? kNone : table[f.value]};
    for (int threads : {1, 2, 8}) {
      CAPTURE(n, threads);
      ChunkedVector<Fact> facts;
      for (const Fact& f : input) facts.push_back(f);
      internal::RewriteFacts(
          facts, threads,
          [&](const Fact& f) {
            internal::PrefetchEntry(table, f.node);
            internal::PrefetchEntry(table, f.value);  // kNone: past the table, skipped
          },
          [&](Fact& f) {
            f = {table[f.node], f.value == kNone ? kNone : table[f.value]};
          });
      REQUIRE(facts.size() == n);
      for (std::size_t i = 0; i < n; ++i) REQUIRE(facts[i] == expect[i]);
    }
  }
}

template <typename T>
std::vector<T> SectionOf(const Graph::Storage& s, SectionId id) {
  const auto& sec = s.sections[static_cast<std::size_t>(id)];
  std::vector<T> v(sec.bytes / sizeof(T));
  if (!v.empty()) std::memcpy(v.data(), sec.data, sec.bytes);
  return v;
}

TEST_CASE("PutLabelSets numbers the distinct sets in sorted order", "[graph][build]") {
  std::mt19937 rng(23);
  constexpr std::size_t kLabels = 40;
  // Sizes: none, one node, a few, and enough nodes for the parallel radix sort and scans.
  // Sets of 2 to 7 increasing members from few labels, so sets repeat and many share their
  // first four members (sorted by the whole set); one in three nodes has no set.
  for (std::size_t n : {0, 1, 5, 300000}) {
    std::vector<NodeId> set_nodes;
    std::vector<std::uint64_t> set_end;
    std::vector<LabelId> members;
    std::vector<std::vector<LabelId>> set_of(n);
    for (std::size_t v = 0; v < n; ++v) {
      if (n > 1 && rng() % 3 == 0) continue;
      std::vector<LabelId> x;
      const std::size_t size = 2 + rng() % 6;
      // Members from 1 .. 12 (0 excluded: a later member is never 0) with a common head.
      for (LabelId l : {LabelId{1}, LabelId{2}, LabelId{3}}) {
        if (rng() % 4 != 0) x.push_back(l);
      }
      while (x.size() < size) x.push_back(static_cast<LabelId>(1 + rng() % 12));
      std::sort(x.begin(), x.end());
      x.erase(std::unique(x.begin(), x.end()), x.end());
      if (x.size() < 2) x = {4, 9};
      set_of[v] = x;
      set_nodes.push_back(static_cast<NodeId>(v));
      members.insert(members.end(), x.begin(), x.end());
      set_end.push_back(members.size());
    }
    // The oracle: the distinct sets in lexicographic order, numbered after the labels.
    std::map<std::vector<LabelId>, std::uint32_t> number;
    for (const auto& x : set_of) {
      if (!x.empty()) number.emplace(x, 0);
    }
    std::vector<std::uint32_t> expect_offsets{0};
    std::vector<LabelId> expect_members;
    std::uint32_t next = 0;
    for (auto& [x, id] : number) {
      id = next++;
      expect_members.insert(expect_members.end(), x.begin(), x.end());
      expect_offsets.push_back(static_cast<std::uint32_t>(expect_members.size()));
    }
    for (int threads : {1, 2, 8}) {
      CAPTURE(n, threads);
      std::vector<NodeLabelId> node_label(n, 7);  // 7: a single label, kept for nodes without
      Graph::Storage s;
      internal::PutLabelSets(kLabels, set_nodes, set_end, members, node_label, s, threads);
      REQUIRE(SectionOf<std::uint32_t>(s, SectionId::label_set_offsets) == expect_offsets);
      REQUIRE(SectionOf<LabelId>(s, SectionId::label_set_members) == expect_members);
      for (std::size_t v = 0; v < n; ++v) {
        const auto want =
            static_cast<NodeLabelId>(set_of[v].empty() ? 7 : kLabels + number.at(set_of[v]));
        REQUIRE(node_label[v] == want);
      }
    }
  }
}

TEST_CASE("GroupSortBuckets on no items, one item and one group holding every item",
          "[graph][build]") {
  std::mt19937 rng(29);
  struct Case {
    std::size_t groups, items;
    bool one_group;
  };
  for (const Case& c : {Case{5, 0, false}, Case{1, 1, false}, Case{100000, 1, false},
                        Case{100000, 200000, true}, Case{3, 200000, true}}) {
    std::vector<Fact> all(c.items);
    for (auto& f : all) {
      f = {c.one_group ? static_cast<std::uint32_t>(c.groups - 1)
                       : static_cast<std::uint32_t>(rng() % c.groups),
           static_cast<std::uint32_t>(rng() % 1000)};
    }
    std::vector<Fact> expect = all;  // the oracle: one whole sort by (group, value)
    std::sort(expect.begin(), expect.end(), [](const Fact& x, const Fact& y) {
      return std::tie(x.node, x.value) < std::tie(y.node, y.value);
    });
    for (int threads : {1, 2, 8}) {
      CAPTURE(c.groups, c.items, threads);
      ChunkedVector<Fact> items;
      for (const Fact& f : all) items.push_back(f);
      std::vector<Fact> out;
      std::size_t next_group = 0;
      internal::GroupSortBuckets(
          c.groups, items, [](const Fact& f) { return f.node; },
          [](const Fact& x, const Fact& y) { return x.value < y.value; }, threads,
          [&](const internal::SortedBucket<Fact>& b) {
            REQUIRE(b.first == next_group);
            next_group = b.last;
            for (std::size_t g = b.first; g < b.last; ++g)
              out.insert(out.end(), b.begin(g), b.end(g));
          });
      REQUIRE(next_group == c.groups);
      REQUIRE(out == expect);
    }
  }
}

TEST_CASE("Column keeps its elements when grown and is owned as a section", "[graph][build]") {
  internal::Column<std::uint32_t> c;
  for (std::uint32_t i = 0; i < 1000; ++i) c.push_back(i * 3);
  c.resize(5u << 20);  // the first 1000 are kept
  for (std::uint32_t i = 0; i < 1000; ++i) REQUIRE(c[i] == i * 3);
  for (std::size_t i = 1000; i < c.size(); ++i) c[i] = static_cast<std::uint32_t>(i);
  REQUIRE(c[c.size() - 1] == c.size() - 1);
  Graph::Storage s;  // a Column owned as a section, bytes as written
  internal::Column<std::uint16_t> col(3);
  col[0] = 1, col[1] = 2, col[2] = 3;
  s.Own(SectionId::label_set_members, std::move(col));
  REQUIRE(SectionOf<std::uint16_t>(s, SectionId::label_set_members) ==
          std::vector<std::uint16_t>{1, 2, 3});
}

}  // namespace
}  // namespace polegraph
