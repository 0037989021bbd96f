// Graph::Storage: owned or mapped sections, and their typed views.
#include "graph/storage.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"
#include "parallel/parallel.h"

namespace polegraph {
namespace internal {

std::size_t DTypeSize(DType t) {
  switch (t) {
    case DType::kU8:
    case DType::kChar:
      return 1;
    case DType::kU16:
      return 2;
    case DType::kU32:
      return 4;
    case DType::kU64:
    case DType::kI64:
    case DType::kF64:
      return 8;
  }
  return 0;
}

std::string_view DTypeName(DType t) {
  switch (t) {
    case DType::kU8:
      return "u8";
    case DType::kU16:
      return "u16";
    case DType::kU32:
      return "u32";
    case DType::kU64:
      return "u64";
    case DType::kI64:
      return "i64";
    case DType::kF64:
      return "f64";
    case DType::kChar:
      return "char";
  }
  return "unknown";
}

}  // namespace internal

using internal::kSectionSpecs;
using internal::SectionId;

Graph::Storage::Storage() = default;

Graph::Storage::~Storage() {
  if (map_addr_ != nullptr) munmap(map_addr_, map_len_);
}

void Graph::Storage::View(SectionId id, const void* data, std::uint64_t bytes) {
  Section& s = sections[static_cast<std::size_t>(id)];
  s.data = static_cast<const std::byte*>(data);
  s.bytes = bytes;
}

namespace internal {

absl::Status CompactFrom(std::string_view column, const std::vector<std::uint64_t>& offsets,
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
                                        const std::vector<std::uint64_t>& offsets, int threads) {
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

absl::Status Graph::Storage::OwnCsrOffsets(bool out, std::vector<EdgeIndex> offsets, int threads) {
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

void Graph::Storage::OwnEdgeLabels(std::vector<LabelId> labels, int threads) {
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
  std::vector<std::uint8_t> codes(labels.size());
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
                                              const std::vector<std::uint64_t>& offsets) {
  using internal::kCompactBlock;
  std::vector<std::uint64_t> base;
  std::vector<std::uint16_t> delta(offsets.size());
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

namespace {

// Decodes compact offsets into `out` when their shape is sound (see CompactShapeOk);
// otherwise leaves it empty: Validate reports the damage.
void Decode(const internal::CompactOffsets& c, std::vector<EdgeIndex>& out) {
  out.clear();
  if (!internal::CompactShapeOk(c)) return;
  out.resize(c.size());
  for (std::size_t lo = 0; lo < out.size(); lo += internal::kCompactBlock) {
    const std::size_t hi = std::min(out.size(), lo + internal::kCompactBlock);
    const std::uint64_t b = c.base[lo >> internal::kCompactShift];
    if ((b & internal::kWideBlock) != 0) {
      for (std::size_t i = lo; i < hi; ++i) out[i] = c.Wide(b, i);
    } else {
      for (std::size_t i = lo; i < hi; ++i) out[i] = b + c.delta[i];
    }
  }
}

}  // namespace

namespace internal {

bool CompactShapeOk(const CompactOffsets& c) {
  const std::size_t blocks = (c.delta.size() + kCompactBlock - 1) >> kCompactShift;
  if (c.base.size() != blocks) return false;
  std::uint64_t wide = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    if ((c.base[b] & kWideBlock) == 0) continue;
    if ((c.base[b] & ~kWideBlock) != wide) return false;
    ++wide;
  }
  return c.wide.size() == wide * kWideRecord;
}

}  // namespace internal

namespace {

// Decodes the edge labels (see OwnEdgeLabels) into `out`; fails on a code past the table or
// escapes that do not match the codes 255.
absl::Status DecodeLabels(std::span<const std::uint8_t> codes, std::span<const LabelId> table,
                          std::span<const LabelId> escape, std::vector<LabelId>& out) {
  out.resize(codes.size());
  std::size_t k = 0;
  for (std::size_t e = 0; e < codes.size(); ++e) {
    const std::uint8_t c = codes[e];
    if (c < table.size()) {
      out[e] = table[c];
    } else if (c == internal::kEdgeLabelEscape && k < escape.size()) {
      out[e] = escape[k++];
    } else {
      out.clear();
      return absl::DataLossError(absl::StrCat(
          "section 'edge.label': element ", e, " = ", c,
          c == internal::kEdgeLabelEscape ? " has no entry left in 'edge.label.escape'"
                                          : absl::StrCat(" is past the table of ", table.size())));
    }
  }
  if (k != escape.size()) {
    out.clear();
    return absl::DataLossError(absl::StrCat("section 'edge.label.escape': has ", escape.size(),
                                            " entries for ", k, " escaped edges"));
  }
  return absl::OkStatus();
}

}  // namespace

RecordNo Graph::Storage::PropRecord(NodeId v, std::uint64_t i) const {
  const std::uint8_t k = prop_record[i];
  if (k != internal::kPropRecordEscape) return records[node_record_offsets[v] + k];
  const auto it = std::lower_bound(prop_escape_at.begin(), prop_escape_at.end(), i);
  return prop_escape[static_cast<std::size_t>(it - prop_escape_at.begin())];
}

std::uint16_t Graph::Storage::PropName(std::uint64_t i) const {
  const std::uint8_t k = prop_name[i];
  if (k != internal::kPropNameEscape) return k;
  const auto it = std::lower_bound(prop_name_escape_at.begin(), prop_name_escape_at.end(), i);
  return prop_name_escape[static_cast<std::size_t>(it - prop_name_escape_at.begin())];
}

void Graph::Storage::OwnPropNames(const std::vector<std::uint16_t>& names) {
  std::vector<std::uint8_t> codes(names.size());
  std::vector<std::uint32_t> escape_at;
  std::vector<std::uint16_t> escape;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] < internal::kPropNameEscape) {
      codes[i] = static_cast<std::uint8_t>(names[i]);
    } else {
      codes[i] = internal::kPropNameEscape;
      escape_at.push_back(static_cast<std::uint32_t>(i));
      escape.push_back(names[i]);
    }
  }
  Own(SectionId::prop_name, std::move(codes));
  Own(SectionId::prop_name_escape_at, std::move(escape_at));
  Own(SectionId::prop_name_escape, std::move(escape));
}

void Graph::Storage::AdoptMapping(void* addr, std::size_t length) {
  map_addr_ = addr;
  map_len_ = length;
}

namespace {

template <typename T>
absl::Status BindOne(const Graph::Storage::Section& s, int index, std::span<const T>* out) {
  const std::string_view name = kSectionSpecs[static_cast<std::size_t>(index)].name;
  if (s.bytes % sizeof(T) != 0) {
    return absl::DataLossError(absl::StrCat("section '", internal::Av(name), "': size ", s.bytes,
                                            " is not a multiple of its element size ", sizeof(T)));
  }
  if (s.bytes != 0 && reinterpret_cast<std::uintptr_t>(s.data) % alignof(T) != 0) {
    return absl::DataLossError(absl::StrCat("section '", internal::Av(name), "': misaligned data"));
  }
  if (s.bytes == 0) {
    *out = {};
  } else {
    *out = std::span<const T>(reinterpret_cast<const T*>(s.data),
                              static_cast<std::size_t>(s.bytes / sizeof(T)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Graph::Storage::Bind() {
#define POLEGRAPH_BIND(member, name, type)                                                   \
  if (absl::Status st = BindOne<type>(sections[static_cast<std::size_t>(SectionId::member)], \
                                      static_cast<int>(SectionId::member), &member);         \
      !st.ok()) {                                                                            \
    return st;                                                                               \
  }
  POLEGRAPH_SECTIONS(POLEGRAPH_BIND)
#undef POLEGRAPH_BIND
  node_record_offsets = {record_base, record_offsets, record_wide};
  out_compact = {out_base, out_delta, out_wide};
  in_compact = {in_base, in_delta, in_wide};
  if (!out_decoded_) Decode(out_compact, out_offsets_);
  if (!in_decoded_) Decode(in_compact, in_offsets_);
  out_offsets = out_offsets_;
  in_offsets = in_offsets_;
  if (!labels_decoded_) {
    if (absl::Status st =
            DecodeLabels(edge_label_code, edge_label_table, edge_label_escape, edge_label_);
        !st.ok()) {
      return st;
    }
  }
  edge_label = edge_label_;
  // Extract x's first offset block; a decreasing first_record (a damaged file) counts as
  // empty here and is reported by Validate.
  record_block_first_.assign(extract_first_record.empty() ? 1 : extract_first_record.size(), 0);
  for (std::size_t x = 0; x + 1 < extract_first_record.size(); ++x) {
    const RecordNo lo = extract_first_record[x], hi = extract_first_record[x + 1];
    const std::uint64_t count = hi > lo ? hi - lo : 0;
    record_block_first_[x + 1] =
        record_block_first_[x] + ((count + internal::kCompactBlock - 1) >> internal::kCompactShift);
  }
  record_offset = {record_offset_base, record_offset_delta, record_offset_wide,
                   extract_first_record, record_block_first_};
  node_prop_offsets = {prop_base, prop_offsets, prop_wide};
  node_merge_offsets = {merge_base, merge_offsets, merge_wide};
  keys = {{key_base, key_offsets, key_wide}, key_chars};
  prop_values = {{value_base, value_offsets, value_wide}, value_chars};
  merge_texts = {{merge_text_base, merge_text_offsets, merge_text_wide}, merge_text_chars};
  record_ids = {{record_id_base, record_id_offsets, record_id_wide}, record_id_chars};
  prop_names = {prop_names_offsets, prop_names_chars};
  extract_paths = {extract_path_offsets, extract_path_chars};
  extract_forces = {extract_force_offsets, extract_force_chars};
  extract_ids = {extract_id_offsets, extract_id_chars};
  force_names = {force_names_offsets, force_names_chars};
  caveat_names = {caveat_names_offsets, caveat_names_chars};
  meta_names = {meta_name_offsets, meta_name_chars};
  meta_values = {meta_value_offsets, meta_value_chars};
  return absl::OkStatus();
}

}  // namespace polegraph
