// Graph::Storage's encoders for Build: compact offsets (CompactFrom, OwnCompact,
// OwnCsrOffsets), one-byte edge labels (OwnEdgeLabels) and record file offsets
// (OwnRecordOffsets). The per-entry passes run on the caller's threads, in blocks whose
// results are combined in block order, so the bytes do not depend on the thread count.
// Cost: O(n) each; memory: the encoded sections plus one byte per block of 64 entries.
#include <algorithm>
#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"
#include "graph/storage.h"
#include "parallel/parallel.h"

namespace polegraph {

using internal::kSectionSpecs;
using internal::SectionId;

namespace internal {

absl::Status CompactFrom(std::string_view column, std::span<const std::uint64_t> offsets,
                         CompactColumns* out, int threads) {
  // Two passes over the blocks: each block checked and, when narrow, written (in parallel);
  // then, after the wide blocks are numbered in order, the bases and wide records. The first
  // bad block in block order decides the error, as a sequential pass would.
  const std::size_t n = offsets.size();
  const std::size_t blocks = (n + kCompactBlock - 1) >> kCompactShift;
  enum : std::uint8_t { kNarrow, kWide, kDecreases, kSpan, kTooLarge };
  std::vector<std::uint8_t> kind(blocks);
  out->base.resize(blocks);
  out->delta.resize(n);
  out->wide.clear();
  ParallelFor(
      0, blocks, threads,
      [&](std::size_t b) {
        const std::size_t lo = b << kCompactShift, hi = std::min(n, lo + kCompactBlock);
        const std::uint64_t first = offsets[lo];
        std::uint8_t k = kNarrow;
        for (std::size_t i = lo + 1; i < hi; ++i) {
          if (offsets[i] < offsets[i - 1]) k = kDecreases;
        }
        const std::uint64_t span = offsets[hi - 1] - first;
        if (k == kNarrow && span > std::numeric_limits<std::uint32_t>::max()) k = kSpan;
        if (k == kNarrow && first >= kWideBlock) k = kTooLarge;
        if (k == kNarrow && span > std::numeric_limits<std::uint16_t>::max()) k = kWide;
        kind[b] = k;
        for (std::size_t i = lo; i < hi; ++i) {
          out->delta[i] = k == kNarrow ? static_cast<std::uint16_t>(offsets[i] - first) : 0;
        }
        out->base[b] = first;
      },
      256);
  std::size_t wide = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t lo = b << kCompactShift, hi = std::min(n, lo + kCompactBlock);
    switch (kind[b]) {
      case kNarrow:
        break;
      case kWide:
        out->base[b] = kWideBlock | wide++;
        break;
      case kDecreases:
        for (std::size_t i = lo + 1; i < hi; ++i) {
          if (offsets[i] < offsets[i - 1]) {
            return absl::InvalidArgumentError(
                absl::StrCat("column '", Av(column), "': entry ", i, " decreases"));
          }
        }
        break;
      case kSpan:
        return absl::InvalidArgumentError(absl::StrCat(
            "column '", Av(column), "': ", kCompactBlock, " consecutive entries span 4 GiB or more",
            " (entries ", lo, " to ", hi - 1, "); a snapshot cannot hold such a column"));
      default:
        return absl::InvalidArgumentError(
            absl::StrCat("column '", Av(column), "': entry ", lo, " is 2^63 or more"));
    }
  }
  if (wide == 0) return absl::OkStatus();
  out->wide.resize(wide * kWideRecord);
  ParallelFor(
      0, blocks, threads,
      [&](std::size_t b) {
        if (kind[b] != kWide) return;
        const std::size_t lo = b << kCompactShift, hi = std::min(n, lo + kCompactBlock);
        const std::uint64_t first = offsets[lo];
        std::uint32_t* w = out->wide.data() + (out->base[b] & ~kWideBlock) * kWideRecord;
        w[0] = static_cast<std::uint32_t>(first);
        w[1] = static_cast<std::uint32_t>(first >> 32);
        for (std::size_t i = lo; i < lo + kCompactBlock; ++i) {
          w[2 + i - lo] = i < hi ? static_cast<std::uint32_t>(offsets[i] - first) : 0;
        }
      },
      256);
  return absl::OkStatus();
}

}  // namespace internal

absl::Status Graph::Storage::OwnCompact(SectionId base_id, SectionId delta_id,
                                        std::span<const std::uint64_t> offsets, int threads) {
  internal::CompactColumns c;
  if (absl::Status st = internal::CompactFrom(
          kSectionSpecs[static_cast<std::size_t>(delta_id)].name, offsets, &c, threads);
      !st.ok()) {
    return st;
  }
  Own(base_id, std::move(c.base));
  Own(delta_id, std::move(c.delta));
  Own(static_cast<SectionId>(static_cast<int>(delta_id) + 1), std::move(c.wide));
  return absl::OkStatus();
}

absl::Status Graph::Storage::OwnCsrOffsets(bool out, internal::Column<EdgeIndex> offsets,
                                           int threads) {
  if (absl::Status st =
          out ? OwnCompact(SectionId::out_base, SectionId::out_delta, offsets, threads)
              : OwnCompact(SectionId::in_base, SectionId::in_delta, offsets, threads);
      !st.ok()) {
    return st;
  }
  (out ? out_offsets_ : in_offsets_) = std::move(offsets);
  (out ? out_decoded_ : in_decoded_) = true;
  return absl::OkStatus();
}

void Graph::Storage::OwnEdgeLabels(internal::Column<LabelId> labels, int threads) {
  // The table: the (at most 255) most frequent labels, ties to the lower id, in id order.
  constexpr std::size_t kLabels = std::size_t{std::numeric_limits<LabelId>::max()} + 1;
  const int blocks = internal::ThreadsFor(labels.size(), threads, std::size_t{1} << 16);
  std::vector<std::vector<std::uint64_t>> counts(static_cast<std::size_t>(blocks));
  internal::ParallelBlocks(labels.size(), blocks, [&](int k, std::size_t lo, std::size_t hi) {
    std::vector<std::uint64_t>& c = counts[static_cast<std::size_t>(k)];
    c.assign(kLabels, 0);
    for (std::size_t e = lo; e < hi; ++e) ++c[labels[e]];
  });
  std::vector<std::uint64_t> count(kLabels, 0);
  for (const auto& c : counts) {
    for (std::size_t l = 0; l < kLabels; ++l) count[l] += c[l];
  }
  std::vector<std::vector<std::uint64_t>>().swap(counts);
  std::vector<LabelId> used;
  for (std::size_t l = 0; l < count.size(); ++l) {
    if (count[l] != 0) used.push_back(static_cast<LabelId>(l));
  }
  const std::size_t keep = std::min<std::size_t>(used.size(), internal::kEdgeLabelEscape);
  std::partial_sort(
      used.begin(), used.begin() + static_cast<std::ptrdiff_t>(keep), used.end(),
      [&](LabelId a, LabelId b) { return count[a] != count[b] ? count[a] > count[b] : a < b; });
  std::vector<LabelId> table(used.begin(), used.begin() + static_cast<std::ptrdiff_t>(keep));
  std::sort(table.begin(), table.end());
  std::vector<std::uint8_t> code_of(count.size(), internal::kEdgeLabelEscape);
  for (std::size_t k = 0; k < table.size(); ++k) code_of[table[k]] = static_cast<std::uint8_t>(k);
  internal::Column<std::uint8_t> codes(labels.size());  // (every entry written below)
  std::vector<std::vector<LabelId>> escapes(static_cast<std::size_t>(blocks));  // per block
  internal::ParallelBlocks(labels.size(), blocks, [&](int k, std::size_t lo, std::size_t hi) {
    for (std::size_t e = lo; e < hi; ++e) {
      codes[e] = code_of[labels[e]];
      if (codes[e] == internal::kEdgeLabelEscape) {
        escapes[static_cast<std::size_t>(k)].push_back(labels[e]);
      }
    }
  });
  std::vector<LabelId> escape;
  for (const auto& x : escapes) escape.insert(escape.end(), x.begin(), x.end());
  Own(SectionId::edge_label_code, std::move(codes));
  Own(SectionId::edge_label_table, std::move(table));
  Own(SectionId::edge_label_escape, std::move(escape));
  edge_label_ = std::move(labels);
  labels_decoded_ = true;
}

absl::Status Graph::Storage::OwnRecordOffsets(const std::vector<RecordNo>& first,
                                              std::span<const std::uint64_t> offsets) {
  using internal::kCompactBlock;
  std::vector<std::uint64_t> base;
  // (The extracts' ranges cover the records, so the loop below writes every entry; any
  // outside them are zeroed here.)
  internal::Column<std::uint16_t> delta(offsets.size());
  const std::size_t covered_lo =
      first.empty() ? 0 : std::min<std::size_t>(first.front(), delta.size());
  const std::size_t covered_hi =
      first.empty() ? 0 : std::min<std::size_t>(first.back(), delta.size());
  std::fill(delta.begin(), delta.begin() + static_cast<std::ptrdiff_t>(covered_lo), 0);
  std::fill(delta.begin() + static_cast<std::ptrdiff_t>(std::max(covered_lo, covered_hi)),
            delta.end(), 0);
  std::vector<std::uint32_t> wide;
  for (std::size_t x = 0; x + 1 < first.size(); ++x) {
    for (std::size_t lo = first[x]; lo < first[x + 1]; lo += kCompactBlock) {
      const std::size_t hi = std::min<std::size_t>(first[x + 1], lo + kCompactBlock);
      const auto [least_it, most_it] =
          std::minmax_element(offsets.begin() + static_cast<std::ptrdiff_t>(lo),
                              offsets.begin() + static_cast<std::ptrdiff_t>(hi));
      const std::uint64_t least = *least_it, span = *most_it - least;
      if (span > std::numeric_limits<std::uint32_t>::max() || least >= internal::kWideBlock) {
        return absl::InvalidArgumentError(
            absl::StrCat("column 'record.offset': ", kCompactBlock,
                         " consecutive records of one extract span 4 GiB or more (records ", lo,
                         " to ", hi - 1, "); a snapshot cannot hold them"));
      }
      if (span <= std::numeric_limits<std::uint16_t>::max()) {
        base.push_back(least);
        for (std::size_t i = lo; i < hi; ++i) {
          delta[i] = static_cast<std::uint16_t>(offsets[i] - least);
        }
        continue;
      }
      std::fill(delta.begin() + static_cast<std::ptrdiff_t>(lo),
                delta.begin() + static_cast<std::ptrdiff_t>(hi), 0);  // (a wide block's are 0)
      base.push_back(internal::kWideBlock | (wide.size() / internal::kWideRecord));
      wide.push_back(static_cast<std::uint32_t>(least));
      wide.push_back(static_cast<std::uint32_t>(least >> 32));
      for (std::size_t i = lo; i < lo + kCompactBlock; ++i) {
        wide.push_back(i < hi ? static_cast<std::uint32_t>(offsets[i] - least) : 0);
      }
    }
  }
  Own(SectionId::record_offset_base, std::move(base));
  Own(SectionId::record_offset_delta, std::move(delta));
  Own(SectionId::record_offset_wide, std::move(wide));
  return absl::OkStatus();
}

}  // namespace polegraph
