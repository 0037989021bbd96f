// Build's memory-lean steps against brute-force oracles: ChunkedVector, GroupSortBuckets and
// EmitBucket (buckets of groups in order, big groups sorted with every thread, in-place
// de-duplication, output columns grown bucket by bucket) and
// BuildInCsr (the counting-sort in-CSR), SortedPoolOrder (radix sort of 8-byte prefixes,
// ties refined 8 bytes at a time), JoinStrings and InclusiveScan, each at 1, 2 and 8 threads;
// and the record file offsets (per-extract blocks: u64 base + u16 delta, wide blocks u32).
#include "graph/build_steps.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "graph/chunked_vector.h"
#include "graph/group_sort.h"
#include "graph/storage.h"
#include "graph/string_pool.h"
#include "polegraph/graph.h"

namespace polegraph {
namespace {

using internal::ChunkedVector;

struct Item {
  std::uint32_t group;
  std::uint32_t a;
  std::uint16_t b;
  bool operator==(const Item&) const = default;
};

TEST_CASE("ChunkedVector indexes across chunks and frees chunks", "[graph][build]") {
  ChunkedVector<std::uint32_t> v;
  const std::size_t n = 2 * ChunkedVector<std::uint32_t>::kChunk + 5;
  for (std::size_t i = 0; i < n; ++i) v.push_back(static_cast<std::uint32_t>(i * 3));
  REQUIRE(v.size() == n);
  REQUIRE(v.num_chunks() == 3);
  REQUIRE(v.chunk_end(2) == n);
  REQUIRE(v.chunk_begin(1) == ChunkedVector<std::uint32_t>::kChunk);
  for (std::size_t i = 0; i < n; i += 997) REQUIRE(v[i] == i * 3);
  REQUIRE(v.back() == (n - 1) * 3);
  v.ReleaseChunk(0);
  REQUIRE(v[n - 1] == (n - 1) * 3);  // later chunks are untouched
  v.Clear();
  REQUIRE(v.empty());
}

TEST_CASE(
    "GroupSortBuckets + EmitBucket equal a whole sort by (group, item), with and without "
    "dedupe",
    "[graph][build]") {
  std::mt19937 rng(5);
  // Group 0 is big (more than kBigGroup items, sorted by the parallel path), group 700 too
  // (in a later bucket), the rest small; values from a small range so that duplicates are
  // common; the last group stays empty, and so does a run of groups in the middle.
  for (std::size_t groups : {std::size_t{1}, std::size_t{1000}, std::size_t{70000}}) {
    std::vector<Item> all;
    auto group = [&]() {
      std::uint32_t g =
          static_cast<std::uint32_t>(1 + rng() % std::max<std::size_t>(1, groups - 2));
      if (g >= 300 && g < 340) g = 1;
      return groups == 1 ? 0u : g;
    };
    for (std::uint32_t big : {0u, 700u}) {
      if (big >= groups) continue;
      for (std::size_t i = 0; i < internal::kBigGroup + 5000; ++i) {
        all.push_back(
            {big, static_cast<std::uint32_t>(rng() % 3000), static_cast<std::uint16_t>(rng() % 3)});
      }
    }
    for (std::size_t i = 0; i < 300000; ++i) {
      all.push_back(
          {group(), static_cast<std::uint32_t>(rng() % 50), static_cast<std::uint16_t>(rng() % 2)});
    }
    std::shuffle(all.begin(), all.end(), rng);
    auto key = [](const Item& x) { return std::tie(x.group, x.a, x.b); };
    std::vector<Item> sorted = all;
    std::sort(sorted.begin(), sorted.end(),
              [&](const Item& x, const Item& y) { return key(x) < key(y); });
    std::vector<Item> unique = sorted;
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    auto less = [](const Item& x, const Item& y) {
      return std::tie(x.a, x.b) < std::tie(y.a, y.b);
    };
    for (bool dedupe : {false, true}) {
      const std::vector<Item>& expect = dedupe ? unique : sorted;
      for (const auto& config :
           {std::pair{1, internal::kBucketItems}, std::pair{2, std::size_t{4096}},
            std::pair{8, internal::kBucketItems}, std::pair{2, internal::kBucketItems}}) {
        const int threads = config.first;
        const std::size_t bucket_items = config.second;
        CAPTURE(groups, dedupe, threads, bucket_items);
        ChunkedVector<Item> items;
        for (const Item& x : all) items.push_back(x);
        std::vector<EdgeIndex> off(groups + 1, 0);
        std::vector<Item> out;
        std::size_t next_group = 0, grows = 0;
        internal::GroupSortBuckets(
            groups, items, [](const Item& x) { return x.group; }, less, threads,
            [&](const internal::SortedBucket<Item>& b) {
              REQUIRE(b.first == next_group);  // buckets cover the groups in order
              REQUIRE(b.last >= b.first);
              next_group = b.last;
              for (std::size_t g = b.first; g < b.last; ++g) {
                for (const Item* x = b.begin(g); x != b.end(g); ++x) REQUIRE(x->group == g);
              }
              auto count = [&](std::size_t g, Item* first, Item* last) {
                return dedupe ? internal::Dedupe(less)(g, first, last)
                              : static_cast<EdgeIndex>(last - first);
              };
              internal::EmitBucket(
                  b, threads, off, count,
                  [&](EdgeIndex total) {
                    REQUIRE(total >= out.size());
                    out.resize(total);
                    ++grows;
                  },
                  [&](std::size_t, const Item* first, const Item* last, EdgeIndex at) {
                    std::copy(first, last, out.begin() + static_cast<std::ptrdiff_t>(at));
                  });
            },
            bucket_items);
        REQUIRE(items.empty());
        REQUIRE(next_group == groups);
        REQUIRE(grows <= internal::kMaxBuckets);
        // Many small buckets when asked for (the groups allow it), else the minimum.
        if (groups > 1000 && bucket_items < 5000) REQUIRE(grows > 32);
        REQUIRE(out == expect);
        REQUIRE(off[0] == 0);
        REQUIRE(off[groups] == expect.size());
        for (std::size_t g = 0; g < groups; ++g) {
          for (EdgeIndex i = off[g]; i < off[g + 1]; ++i) REQUIRE(out[i].group == g);
        }
      }
    }
  }
}

// GroupSortBuckets with many source chunks per thread (each freed once distributed), a skewed
// group, and empty and one-item inputs. Oracle: std::sort of a copy.
TEST_CASE("GroupSortBuckets with many chunks, skewed, empty and one-item inputs",
          "[graph][build]") {
  std::mt19937 rng(17);
  const std::size_t many = 9 * ChunkedVector<Item>::kChunk + 123;
  for (const auto& [groups, count] :
       {std::pair{std::size_t{3}, std::size_t{0}}, std::pair{std::size_t{3}, std::size_t{1}},
        std::pair{std::size_t{50000}, many}}) {
    std::vector<Item> all(count);
    for (Item& x : all) {
      // A third of the items in group 5 (a big group), the rest spread; the first group of a
      // three-group input only.
      const auto g = groups == 3      ? 0u
                     : rng() % 3 == 0 ? 5u
                                      : static_cast<std::uint32_t>(rng() % groups);
      x = {g, static_cast<std::uint32_t>(rng() % 1000), static_cast<std::uint16_t>(rng() % 4)};
    }
    std::vector<Item> expect = all;
    std::sort(expect.begin(), expect.end(), [](const Item& x, const Item& y) {
      return std::tie(x.group, x.a, x.b) < std::tie(y.group, y.a, y.b);
    });
    auto less = [](const Item& x, const Item& y) {
      return std::tie(x.a, x.b) < std::tie(y.a, y.b);
    };
    for (int threads : {1, 2, 8}) {
      CAPTURE(groups, count, threads);
      ChunkedVector<Item> items;
      for (const Item& x : all) items.push_back(x);
      std::vector<Item> out;
      internal::GroupSortBuckets(
          groups, items, [](const Item& x) { return x.group; }, less, threads,
          [&](const internal::SortedBucket<Item>& b) {
            for (std::size_t g = b.first; g < b.last; ++g)
              out.insert(out.end(), b.begin(g), b.end(g));
          });
      REQUIRE(items.empty());
      REQUIRE(out == expect);
    }
  }
}

TEST_CASE("BuildInCsr lists each node's in-edges by (source, EdgeId)", "[graph][build]") {
  std::mt19937 rng(11);
  for (std::size_t n : {1, 7, 3000}) {
    // A random out-CSR with skew: node 0 is the target of a quarter of the edges.
    std::vector<EdgeIndex> out_off(n + 1, 0);
    std::vector<NodeId> nbr;
    for (std::size_t v = 0; v < n; ++v) {
      const std::size_t deg = rng() % 9;
      for (std::size_t k = 0; k < deg; ++k) {
        nbr.push_back(rng() % 4 == 0 ? 0 : static_cast<NodeId>(rng() % n));
      }
      out_off[v + 1] = nbr.size();
    }
    // Oracle: every (target, source, edge), sorted.
    std::vector<std::tuple<NodeId, NodeId, EdgeId>> triples;
    for (std::size_t v = 0; v < n; ++v) {
      for (EdgeIndex e = out_off[v]; e < out_off[v + 1]; ++e) {
        triples.emplace_back(nbr[e], static_cast<NodeId>(v), static_cast<EdgeId>(e));
      }
    }
    std::sort(triples.begin(), triples.end());
    for (int threads : {1, 2, 8}) {
      internal::Column<EdgeIndex> in_off;
      std::vector<NodeId> in_nbr(nbr.size());
      std::vector<EdgeId> in_edge(nbr.size());
      internal::BuildInCsr(out_off, nbr, threads, &in_off, in_nbr, in_edge);
      CAPTURE(n, threads);
      REQUIRE(in_off.size() == n + 1);
      for (std::size_t t = 0; t < n; ++t) {
        for (EdgeIndex i = in_off[t]; i < in_off[t + 1]; ++i) {
          REQUIRE(std::get<0>(triples[i]) == t);
          REQUIRE(in_nbr[i] == std::get<1>(triples[i]));
          REQUIRE(in_edge[i] == std::get<2>(triples[i]));
        }
      }
      REQUIRE(in_off[n] == triples.size());
    }
  }
}

// RadixSortByPrefix on a span, with a scratch kept from an earlier, larger sort (as
// SortedPoolOrder refines a big run in place): equals std::stable_sort by prefix (the sort is
// stable, so ids in input order break ties), and leaves the items around the span untouched.
// Empty, one item, all one prefix (every pass skipped), skewed and random prefixes.
TEST_CASE("RadixSortByPrefix on a span with a reused scratch equals std::stable_sort",
          "[graph][build]") {
  std::mt19937_64 rng(23);
  for (std::size_t n : {0, 1, 5, 100000, 300000}) {
    for (int pattern = 0; pattern < 3; ++pattern) {
      std::vector<internal::PrefixItem> items(n + 20);
      for (std::size_t i = 0; i < items.size(); ++i) {
        const std::uint64_t r = rng();
        const std::uint64_t prefix = pattern == 0   ? 42
                                     : pattern == 1 ? (r % 4 == 0 ? r : 7) << 3
                                                    : r >> (r % 64);
        items[i] = {prefix, static_cast<std::uint32_t>(i)};
      }
      auto expect = items;
      std::stable_sort(expect.begin() + 10, expect.begin() + 10 + static_cast<std::ptrdiff_t>(n),
                       [](const auto& x, const auto& y) { return x.prefix < y.prefix; });
      for (int threads : {1, 2, 8}) {
        CAPTURE(n, pattern, threads);
        auto got = items;
        internal::Column<internal::PrefixItem> scratch(n + 1000);  // reused, larger
        internal::RadixSortByPrefix(std::span<internal::PrefixItem>(got.data() + 10, n), scratch,
                                    threads);
        REQUIRE(scratch.size() >= n);
        for (std::size_t i = 0; i < got.size(); ++i) {
          REQUIRE(got[i].prefix == expect[i].prefix);
          REQUIRE(got[i].id == expect[i].id);
        }
      }
    }
  }
}

TEST_CASE("SortedPoolOrder equals std::sort of the strings", "[graph][build]") {
  std::mt19937 rng(17);
  // Long shared prefixes (several 8-byte levels), embedded and trailing NUL bytes (which the
  // zero padding must not confuse with a shorter string), empty and one-byte strings.
  std::vector<std::string> strings = {"",  std::string(1, '\0'),  std::string(2, '\0'),
                                      "a", std::string("a\0", 2), std::string("a\0b", 3),
                                      "ab"};
  const std::string alphabet("AB\0-", 4);
  for (int i = 0; i < 200000; ++i) {  // over 2^16 strings: several radix blocks
    std::string x = (i % 3 == 0) ? "PC-SW1A 1AA-FLAT " : (i % 3 == 1 ? "name+dob '" : "");
    const int len = static_cast<int>(rng() % 30);
    for (int k = 0; k < len; ++k) x.push_back(alphabet[rng() % alphabet.size()]);
    strings.push_back(x);
  }
  internal::StringPool pool;
  for (const std::string& x : strings) pool.Intern(x);
  std::vector<std::string> expect;
  for (std::uint32_t id = 0; id < pool.size(); ++id) expect.emplace_back(pool.Get(id));
  std::sort(expect.begin(), expect.end());
  for (int threads : {1, 2, 8}) {
    const auto order = internal::SortedPoolOrder(pool, threads);
    CAPTURE(threads);
    REQUIRE(order.size() == expect.size());
    for (std::size_t i = 0; i < order.size(); ++i) REQUIRE(pool.Get(order[i]) == expect[i]);
  }
}

TEST_CASE("JoinStrings and InclusiveScan equal a sequential concatenation and sum",
          "[graph][build]") {
  std::mt19937 rng(31);
  // Empty, one string, one empty string, many short strings read in a shuffled order (as
  // from a sorted pool), and a skewed set: one long string among empty ones.
  std::vector<std::vector<std::string>> cases = {{}, {"x"}, {""}};
  std::vector<std::string> many(100000), skewed(70000);
  for (auto& x : many) x = std::string(rng() % 20, static_cast<char>('a' + rng() % 26));
  skewed[12345] = std::string(1 << 20, 'z');
  cases.push_back(many);
  cases.push_back(skewed);
  for (const auto& strings : cases) {
    std::vector<std::uint32_t> order(strings.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    // The oracle: a plain loop.
    std::vector<std::uint64_t> want_off = {0};
    std::string want_chars;
    for (std::uint32_t i : order) {
      want_chars += strings[i];
      want_off.push_back(want_chars.size());
    }
    for (int threads : {1, 2, 8}) {
      CAPTURE(strings.size(), threads);
      auto [off, chars] = internal::JoinStrings(
          order.size(), [&](std::size_t i) -> std::string_view { return strings[order[i]]; },
          threads);
      REQUIRE(std::vector<std::uint64_t>(off.begin(), off.end()) == want_off);
      REQUIRE(std::string(chars.begin(), chars.end()) == want_chars);
      std::vector<std::uint32_t> v(strings.size());
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint32_t>(rng() % 5);
      std::vector<std::uint32_t> want = v;
      for (std::size_t i = 1; i < want.size(); ++i) want[i] += want[i - 1];
      internal::InclusiveScan(v, threads);
      REQUIRE(v == want);
    }
  }
}

TEST_CASE("record offsets: per-extract blocks hold files larger than 4 GiB", "[graph][build]") {
  std::mt19937_64 rng(3);
  // Extracts of 0, 1, 64, 65 and 1000 records; offsets rise within an extract (from above
  // 2^32 for some, as in a 14 GB ANPR file) and restart at the next extract.
  std::vector<RecordNo> first = {0};
  std::vector<std::uint64_t> x;
  // Steps of up to 5000 bytes make wide blocks (64 records spanning more than 64 KiB); the
  // extract of 1000 records has steps below 1000 but one of 100,000 in its fifth block.
  for (std::size_t count : {0, 1, 64, 65, 1000, 0}) {
    std::uint64_t at = rng() % 2 == 0 ? (std::uint64_t{9} << 32) : 16;
    for (std::size_t i = 0; i < count; ++i) {
      at += count == 1000 ? (i == 300 ? 100000 : 1 + rng() % 1000) : 1 + rng() % 5000;
      x.push_back(at);
    }
    first.push_back(static_cast<RecordNo>(x.size()));
  }
  Graph::Storage s;
  REQUIRE(s.OwnRecordOffsets(first, x).ok());
  s.Own(internal::SectionId::extract_first_record, first);
  REQUIRE(s.Bind().ok());
  REQUIRE(s.record_offset.size() == x.size());
  // Blocks: 0 + 1 + 1 + 2 + 16 + 0.
  REQUIRE(s.record_offset.base.size() == 20);
  // Wide blocks: those whose records span more than 65535 bytes (counted by brute force).
  std::size_t wide = 0, expected_wide = 0;
  for (std::uint64_t b : s.record_offset.base) wide += (b & internal::kWideBlock) != 0;
  for (std::size_t e = 0; e + 1 < first.size(); ++e) {
    for (std::size_t lo = first[e]; lo < first[e + 1]; lo += 64) {
      const std::size_t hi = std::min<std::size_t>(first[e + 1], lo + 64);
      expected_wide += x[hi - 1] - x[lo] > 65535;
    }
  }
  REQUIRE(expected_wide == 3);  // the 64's block, the 65's first, the 1000's fifth
  REQUIRE(wide == expected_wide);
  REQUIRE(s.record_offset.wide.size() == wide * internal::kWideRecord);
  for (std::size_t e = 0; e + 1 < first.size(); ++e) {
    for (RecordNo r = first[e]; r < first[e + 1]; ++r) REQUIRE(s.record_offset.Get(r, e) == x[r]);
  }
  // 64 records of one extract spanning 4 GiB cannot be held.
  Graph::Storage t;
  const std::vector<std::uint64_t> too_wide = {1, (std::uint64_t{1} << 32) + 1};
  const absl::Status st = t.OwnRecordOffsets({0, 2}, too_wide);
  REQUIRE(st.code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(std::string(st.message()).find("record.offset") != std::string::npos);
}

}  // namespace
}  // namespace polegraph

namespace polegraph {
namespace {

// A node asserted by 300 records, with properties from its records 0, 100, 254, 255 and 299
// (the last two past the one-byte index: escaped), from a record that did not assert it
// (escaped) and with no record (escaped); a second node with one record. Every property must
// come back with its own record.
TEST_CASE("property records: node-record indices and the escape table", "[graph][build]") {
  GraphBuilder b;
  ExtractInfo info;
  info.path = "x.pb";
  info.source = Source::kPnd;
  const auto ex = b.AddExtract(info);
  const LabelId lab = b.InternLabel(Classification::kOfficial, "MPS", {});
  std::vector<RecordNo> rec;
  for (int i = 0; i < 302; ++i) rec.push_back(b.AddRecord(ex, "R" + std::to_string(i), 10 * i));
  GraphBuilder::Handle p = 0;
  for (int i = 0; i < 300; ++i) p = b.AddNode(NodeKind::kPerson, "P", lab, rec[i]);
  const auto q = b.AddNode(NodeKind::kPerson, "Q", lab, rec[301]);
  // Expected (name, value, record) of P, in the snapshot's (name, value, record) order.
  const std::vector<std::tuple<std::string, std::string, RecordNo>> expect = {
      {"a", "0", rec[0]},      {"b", "100", rec[100]}, {"c", "254", rec[254]},
      {"d", "255", rec[255]},  {"e", "299", rec[299]}, {"f", "other", rec[300]},
      {"g", "none", kNoRecord}};
  for (const auto& [name, value, record] : expect) b.AddProperty(p, name, value, record);
  b.AddProperty(q, "z", "q", rec[301]);
  auto g = std::move(b).Build(1);
  REQUIRE(g.ok());
  const Graph& graph = **g;
  const NodeId pv = *graph.Find(NodeKind::kPerson, "P");
  REQUIRE(graph.node_records(pv).size() == 300);
  const std::vector<PropertyView> props = graph.properties(pv);
  REQUIRE(props.size() == expect.size());
  for (std::size_t i = 0; i < expect.size(); ++i) {
    CAPTURE(i);
    REQUIRE(props[i].name == std::get<0>(expect[i]));
    REQUIRE(props[i].value == std::get<1>(expect[i]));
    REQUIRE(props[i].record == std::get<2>(expect[i]));
  }
  const auto& s = internal::GraphAccess::storage(graph);
  REQUIRE(s.prop_escape.size() == 4);  // d, e, f, g
  REQUIRE(s.Validate().ok());
  const std::vector<PropertyView> qp = graph.properties(*graph.Find(NodeKind::kPerson, "Q"));
  REQUIRE(qp.size() == 1);
  REQUIRE(qp[0].record == rec[301]);
}

}  // namespace
}  // namespace polegraph
