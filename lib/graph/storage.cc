// Graph::Storage: owned or mapped sections, and their typed views.
#include "graph/storage.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"

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

absl::Status Graph::Storage::OwnCompact(SectionId base_id, SectionId delta_id,
                                        const std::vector<std::uint64_t>& offsets) {
  using internal::kCompactShift;
  std::vector<std::uint64_t> base((offsets.size() + internal::kCompactBlock - 1) >> kCompactShift);
  std::vector<std::uint32_t> delta(offsets.size());
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    if ((i & (internal::kCompactBlock - 1)) == 0) base[i >> kCompactShift] = offsets[i];
    const std::uint64_t d = offsets[i] - base[i >> kCompactShift];
    if (offsets[i] < base[i >> kCompactShift] || d > std::numeric_limits<std::uint32_t>::max()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "column '", internal::Av(kSectionSpecs[static_cast<std::size_t>(delta_id)].name),
          "': ", internal::kCompactBlock, " consecutive entries span 4 GiB or more (entry ", i,
          "); a snapshot cannot hold such strings"));
    }
    delta[i] = static_cast<std::uint32_t>(d);
  }
  Own(base_id, std::move(base));
  Own(delta_id, std::move(delta));
  return absl::OkStatus();
}

absl::Status Graph::Storage::OwnRecordOffsets(const std::vector<RecordNo>& first,
                                              const std::vector<std::uint64_t>& offsets) {
  using internal::kCompactBlock;
  std::vector<std::uint64_t> base;
  std::vector<std::uint32_t> delta(offsets.size());
  for (std::size_t x = 0; x + 1 < first.size(); ++x) {
    for (std::size_t lo = first[x]; lo < first[x + 1]; lo += kCompactBlock) {
      const std::size_t hi = std::min<std::size_t>(first[x + 1], lo + kCompactBlock);
      const std::uint64_t least =
          *std::min_element(offsets.begin() + static_cast<std::ptrdiff_t>(lo),
                            offsets.begin() + static_cast<std::ptrdiff_t>(hi));
      base.push_back(least);
      for (std::size_t i = lo; i < hi; ++i) {
        if (offsets[i] - least > std::numeric_limits<std::uint32_t>::max()) {
          return absl::InvalidArgumentError(
              absl::StrCat("column 'record.offset': ", kCompactBlock,
                           " consecutive records of one extract span 4 GiB or more (record ", i,
                           "); a snapshot cannot hold them"));
        }
        delta[i] = static_cast<std::uint32_t>(offsets[i] - least);
      }
    }
  }
  Own(SectionId::record_offset_base, std::move(base));
  Own(SectionId::record_offset_delta, std::move(delta));
  return absl::OkStatus();
}

namespace {

// Decodes compact offsets into `out` when the base array has one entry per block (otherwise
// leaves it empty: Validate reports the damage).
void Decode(const internal::CompactOffsets& c, std::vector<EdgeIndex>& out) {
  out.clear();
  const std::size_t blocks =
      (c.delta.size() + internal::kCompactBlock - 1) >> internal::kCompactShift;
  if (c.base.size() != blocks) return;
  out.resize(c.delta.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = c[i];
}

}  // namespace

RecordNo Graph::Storage::PropRecord(NodeId v, std::uint64_t i) const {
  const std::uint8_t k = prop_record[i];
  if (k != internal::kPropRecordEscape) return records[node_record_offsets[v] + k];
  const auto it = std::lower_bound(prop_escape_at.begin(), prop_escape_at.end(), i);
  return prop_escape[static_cast<std::size_t>(it - prop_escape_at.begin())];
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
  node_record_offsets = {record_base, record_offsets};
  out_compact = {out_base, out_delta};
  in_compact = {in_base, in_delta};
  Decode(out_compact, out_offsets_);
  Decode(in_compact, in_offsets_);
  out_offsets = out_offsets_;
  in_offsets = in_offsets_;
  // Extract x's first offset block; a decreasing first_record (a damaged file) counts as
  // empty here and is reported by Validate.
  record_block_first_.assign(extract_first_record.empty() ? 1 : extract_first_record.size(), 0);
  for (std::size_t x = 0; x + 1 < extract_first_record.size(); ++x) {
    const RecordNo lo = extract_first_record[x], hi = extract_first_record[x + 1];
    const std::uint64_t count = hi > lo ? hi - lo : 0;
    record_block_first_[x + 1] =
        record_block_first_[x] + ((count + internal::kCompactBlock - 1) >> internal::kCompactShift);
  }
  record_offset = {record_offset_base, record_offset_delta, extract_first_record,
                   record_block_first_};
  node_prop_offsets = {prop_base, prop_offsets};
  node_merge_offsets = {merge_base, merge_offsets};
  keys = {{key_base, key_offsets}, key_chars};
  prop_values = {{value_base, value_offsets}, value_chars};
  merge_texts = {{merge_text_base, merge_text_offsets}, merge_text_chars};
  record_ids = {{record_id_base, record_id_offsets}, record_id_chars};
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
