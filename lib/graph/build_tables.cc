// Build steps for the small tables: extracts, records, force / caveat / property-name names,
// metadata, positions, and the in-CSR. Each orders its table by content so the snapshot is
// independent of call order. (Pool strings are sorted in build_pools.cc.)
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <tuple>
#include <utility>

#include "graph/build_steps.h"

namespace polegraph::internal {

std::vector<std::uint32_t> SortedRenumbering(const Interner& in) {
  std::vector<std::uint32_t> order(in.names.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return in.names[a] < in.names[b]; });
  std::vector<std::uint32_t> renumber(order.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) renumber[order[i]] = i;
  return renumber;
}

void BuildPositions(const BuilderFacts& b, const Column<NodeId>& node_new, Graph::Storage& s) {
  NodeId first = kNoNode, last = 0;
  for (const auto& [h, p] : b.positions) {
    first = std::min(first, node_new[h]);
    last = std::max(last, node_new[h]);
  }
  if (b.positions.empty()) first = last = 0;
  const std::size_t count = b.positions.empty() ? 0 : std::size_t{last - first} + 1;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> position(2 * count, kNaN);
  for (const auto& [h, p] : b.positions) {
    const std::size_t i = 2 * std::size_t{node_new[h] - first};
    position[i] = p.latitude;
    position[i + 1] = p.longitude;
  }
  s.Own(SectionId::position_range, std::vector<NodeId>{first, static_cast<NodeId>(first + count)});
  s.Own(SectionId::position, std::move(position));
}

void BuildInCsr(std::span<const EdgeIndex> out_off, std::span<const NodeId> nbr, int threads,
                Column<EdgeIndex>* in_off, std::span<NodeId> in_nbr, std::span<EdgeId> in_edge) {
  const std::size_t n = out_off.size() - 1;
  const std::size_t m = nbr.size();
  // The in-degrees are counted into in_off[t + 1] and summed in place; in_off and cursor are
  // Columns zeroed or written by parallel passes (a zero-filled vector of n entries would be
  // a serial pass, with its page faults, on the calling thread). Each thread sets the
  // cursors of its own targets below.
  in_off->resize(n + 1);
  Column<EdgeIndex>& io = *in_off;
  ParallelFor(0, n + 1, threads, [&](std::size_t v) { io[v] = 0; });
  ParallelFor(0, m, threads, [&](std::size_t e) { FetchAdd<EdgeIndex>(io[nbr[e] + 1], 1); });
  InclusiveScan(io, threads);
  Column<EdgeIndex> cursor(n);
  const int blocks = ThreadsFor(m, threads, std::size_t{1} << 16);
  ParallelBlocks(m, blocks, [&](int, std::size_t lo, std::size_t hi) {
    // Targets whose first in-edge position is in [lo, hi).
    const auto first = [&](std::size_t at) {
      return static_cast<std::size_t>(std::lower_bound(io.begin(), io.end() - 1, at) - io.begin());
    };
    const std::size_t t_lo = first(lo), t_hi = first(hi);
    for (std::size_t t = t_lo; t < t_hi; ++t) cursor[t] = io[t];
    for (std::size_t v = 0; v < n; ++v) {
      for (EdgeIndex e = out_off[v]; e < out_off[v + 1]; ++e) {
        const NodeId t = nbr[e];
        if (t < t_lo || t >= t_hi) continue;
        const EdgeIndex at = cursor[t]++;
        in_nbr[at] = static_cast<NodeId>(v);
        in_edge[at] = static_cast<EdgeId>(e);
      }
    }
  });
}

namespace {

// Names in the order given by a renumbering.
std::vector<std::string_view> InOrder(const Interner& in, const std::vector<std::uint32_t>& re) {
  std::vector<std::string_view> out(in.names.size());
  for (std::size_t i = 0; i < re.size(); ++i) out[re[i]] = in.names[i];
  return out;
}

}  // namespace

std::vector<std::uint32_t> BuildExtracts(const BuilderFacts& b, Graph::Storage& s) {
  const auto& x = b.extracts;
  std::vector<std::uint32_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  auto key = [&](std::uint32_t i) {
    return std::tie(x[i].source, x[i].force, x[i].extracted_at, x[i].extract_id, x[i].digest,
                    x[i].path, x[i].schema_version, x[i].record_count);
  };
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t c) { return key(a) < key(c); });
  std::vector<std::uint32_t> renumber(x.size());
  std::vector<Source> source;
  std::vector<std::int64_t> extracted_at;
  std::vector<std::uint32_t> schema_version, digest;
  std::vector<std::uint64_t> record_count;
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    const ExtractInfo& e = x[order[i]];
    renumber[order[i]] = i;
    source.push_back(e.source);
    extracted_at.push_back(e.extracted_at);
    schema_version.push_back(e.schema_version);
    digest.push_back(e.digest);
    record_count.push_back(e.record_count);
  }
  s.Own(SectionId::extract_source, std::move(source));
  s.Own(SectionId::extract_extracted_at, std::move(extracted_at));
  s.Own(SectionId::extract_schema_version, std::move(schema_version));
  s.Own(SectionId::extract_record_count, std::move(record_count));
  s.Own(SectionId::extract_digest, std::move(digest));
  PutStrings(
      s, SectionId::extract_path_offsets, SectionId::extract_path_chars, x.size(),
      [&](std::size_t i) -> std::string_view { return x[order[i]].path; }, 1);
  PutStrings(
      s, SectionId::extract_force_offsets, SectionId::extract_force_chars, x.size(),
      [&](std::size_t i) -> std::string_view { return x[order[i]].force; }, 1);
  PutStrings(
      s, SectionId::extract_id_offsets, SectionId::extract_id_chars, x.size(),
      [&](std::size_t i) -> std::string_view { return x[order[i]].extract_id; }, 1);
  return renumber;
}

absl::StatusOr<Column<RecordNo>> BuildRecords(const BuilderFacts& b,
                                              const std::vector<std::uint32_t>& extract_new,
                                              Graph::Storage& s, int threads) {
  const BuilderRecords& r = b.records;
  const std::size_t num = r.size(), nx = b.extracts.size();
  auto key = [&](std::uint32_t i) {
    return std::make_tuple(extract_new[r.extract[i]], r.offset[i], r.id(i));
  };
  // Counting sort by extract (stable: per-block counts, blocks in order within an extract),
  // then each extract's records by (offset, id, index): ingest adds a file's records in offset
  // order, so the check finds them sorted and the comparison sort is skipped. The index
  // breaks ties between identical records, which are merged below (so the order among them
  // cannot show in the output).
  Column<std::uint32_t> order(num);  // (every entry written by the scatter)
  std::vector<std::uint64_t> bound(nx + 1, 0);
  {
    const int blocks = ThreadsFor(num, threads, std::size_t{1} << 16);
    std::vector<std::uint64_t> place(nx * static_cast<std::size_t>(blocks), 0);
    ParallelBlocks(num, blocks, [&](int k, std::size_t lo, std::size_t hi) {
      std::uint64_t* count = place.data() + nx * static_cast<std::size_t>(k);
      for (std::size_t i = lo; i < hi; ++i) ++count[extract_new[r.extract[i]]];
    });
    std::uint64_t at = 0;
    for (std::size_t x = 0; x < nx; ++x) {
      bound[x] = at;
      for (int k = 0; k < blocks; ++k) {
        std::uint64_t& c = place[nx * static_cast<std::size_t>(k) + x];
        const std::uint64_t count = c;
        c = at;
        at += count;
      }
    }
    bound[nx] = at;
    ParallelBlocks(num, blocks, [&](int k, std::size_t lo, std::size_t hi) {
      std::uint64_t* next = place.data() + nx * static_cast<std::size_t>(k);
      for (std::size_t i = lo; i < hi; ++i) {
        order[next[extract_new[r.extract[i]]]++] = static_cast<std::uint32_t>(i);
      }
    });
  }
  auto less = [&](std::uint32_t a, std::uint32_t c) {
    return std::make_tuple(r.offset[a], r.id(a), a) < std::make_tuple(r.offset[c], r.id(c), c);
  };
  for (std::size_t x = 0; x < nx; ++x) {
    const auto lo = order.begin() + static_cast<std::ptrdiff_t>(bound[x]);
    const auto hi = order.begin() + static_cast<std::ptrdiff_t>(bound[x + 1]);
    std::vector<char> unsorted(static_cast<std::size_t>(threads), 0);
    const int blocks = ThreadsFor(static_cast<std::size_t>(hi - lo), threads, 1 << 16);
    ParallelBlocks(
        static_cast<std::size_t>(hi - lo), blocks, [&](int k, std::size_t first, std::size_t last) {
          for (std::size_t i = std::max<std::size_t>(first, 1); i < last; ++i) {
            if (less(lo[static_cast<std::ptrdiff_t>(i)], lo[static_cast<std::ptrdiff_t>(i - 1)])) {
              unsorted[static_cast<std::size_t>(k)] = 1;
              break;
            }
          }
        });
    if (std::find(unsorted.begin(), unsorted.end(), 1) == unsorted.end()) continue;
    std::vector<std::uint32_t> part(lo, hi);
    ParallelSort(part, threads, less);
    std::copy(part.begin(), part.end(), lo);
  }
  // rank[i]: the number of distinct records among order[0..i] (identical records merged).
  Column<RecordNo> rank(num);
  ParallelFor(0, num, threads, [&](std::size_t i) {
    rank[i] = i == 0 || key(order[i - 1]) != key(order[i]) ? 1 : 0;
  });
  InclusiveScan(rank, threads);
  const std::size_t distinct = num == 0 ? 0 : rank[num - 1];
  Column<RecordNo> renumber(num);        // (order is a permutation: every entry written)
  Column<std::uint32_t> kept(distinct);  // builder index of each snapshot record
  ParallelFor(0, num, threads, [&](std::size_t i) {
    renumber[order[i]] = rank[i] - 1;
    if (i == 0 || rank[i] != rank[i - 1]) kept[rank[i] - 1] = order[i];
  });
  std::vector<RecordNo> first(nx + 1, 0);  // records of extract x: [first[x], first[x + 1])
  for (std::size_t x = 0; x < nx; ++x)
    first[x + 1] = bound[x + 1] == 0 ? 0 : rank[bound[x + 1] - 1];
  Column<RecordNo>().swap(rank);
  Column<std::uint32_t>().swap(order);
  Column<std::uint64_t> offset(kept.size());
  ParallelFor(0, kept.size(), threads, [&](std::size_t i) { offset[i] = r.offset[kept[i]]; });
  if (absl::Status st = s.OwnRecordOffsets(first, offset); !st.ok()) return st;
  Column<std::uint64_t>().swap(offset);
  s.Own(SectionId::extract_first_record, std::move(first));
  absl::Status st = PutCompactStrings(
      s, SectionId::record_id_base, SectionId::record_id_offsets, SectionId::record_id_chars,
      kept.size(), [&](std::size_t i) { return r.id(kept[i]); }, threads);
  if (!st.ok()) return st;
  return renumber;
}

void BuildNameTables(const BuilderFacts& b, Graph::Storage& s) {
  const auto forces = InOrder(b.forces, SortedRenumbering(b.forces));
  const auto caveats = InOrder(b.caveats, SortedRenumbering(b.caveats));
  const auto props = InOrder(b.prop_names, SortedRenumbering(b.prop_names));
  PutStrings(
      s, SectionId::force_names_offsets, SectionId::force_names_chars, forces.size(),
      [&](std::size_t i) { return forces[i]; }, 1);
  PutStrings(
      s, SectionId::caveat_names_offsets, SectionId::caveat_names_chars, caveats.size(),
      [&](std::size_t i) { return caveats[i]; }, 1);
  PutStrings(
      s, SectionId::prop_names_offsets, SectionId::prop_names_chars, props.size(),
      [&](std::size_t i) { return props[i]; }, 1);
  std::vector<std::string_view> names, values;
  for (const auto& [name, value] : b.metadata) {
    names.push_back(name);
    values.push_back(value);
  }
  PutStrings(
      s, SectionId::meta_name_offsets, SectionId::meta_name_chars, names.size(),
      [&](std::size_t i) { return names[i]; }, 1);
  PutStrings(
      s, SectionId::meta_value_offsets, SectionId::meta_value_chars, values.size(),
      [&](std::size_t i) { return values[i]; }, 1);
}

}  // namespace polegraph::internal
