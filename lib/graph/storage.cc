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

namespace {

// Decodes compact offsets into `out` when their shape is sound (see CompactShapeOk);
// otherwise leaves it empty: Validate reports the damage.
void Decode(const internal::CompactOffsets& c, internal::Column<EdgeIndex>& out) {
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
                          std::span<const LabelId> escape, internal::Column<LabelId>& out) {
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
