// Graph: read accessors over the sections of Graph::Storage.
#include "polegraph/graph.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <mutex>
#include <utility>
#include <string>

#include "absl/strings/str_cat.h"
#include "graph/storage.h"
#include "polegraph/keys.h"

namespace polegraph {

std::string_view MergeRuleName(MergeRule rule) {
  static constexpr std::array<std::string_view, 7> kNames = {
      "PNC_ID", "CRO_NUMBER", "VIN", "VRM", "NAME_DOB", "LOCATION_KEY", "OFFENCE_REF"};
  const auto i = static_cast<std::size_t>(rule);
  return i < kNames.size() ? kNames[i] : "UNKNOWN";
}

// The VisibleLabels of the last kEntries clearances used, keyed by what decides them: the
// level, the caveat bits held and the forces admitted.
struct Graph::VisibilityCache {
  static constexpr std::size_t kEntries = 8;
  struct Entry {
    std::string key;
    std::vector<bool> visible;
    std::uint64_t used = 0;
  };
  std::mutex mu;
  std::vector<Entry> entries;
  std::uint64_t clock = 0;
};

// GraphAccess::Derived's objects, by tag (a handful at most: a linear search).
struct Graph::DerivedCache {
  std::mutex mu;
  std::vector<std::pair<const void*, std::shared_ptr<const void>>> items;
};

Graph::Graph(std::unique_ptr<Storage> storage)
    : storage_(std::move(storage)),
      visibility_(std::make_unique<VisibilityCache>()),
      derived_(std::make_unique<DerivedCache>()) {}
Graph::~Graph() = default;

std::shared_ptr<const void> internal::GraphAccess::Derived(
    const Graph& graph, const void* tag, absl::FunctionRef<std::shared_ptr<const void>()> make) {
  Graph::DerivedCache& cache = *graph.derived_;
  std::lock_guard<std::mutex> lock(cache.mu);
  for (const auto& [t, object] : cache.items) {
    if (t == tag) return object;
  }
  std::shared_ptr<const void> object = make();
  cache.items.emplace_back(tag, object);
  return object;
}

NodeId Graph::num_nodes() const { return static_cast<NodeId>(storage_->node_kind.size()); }
EdgeIndex Graph::num_edges() const { return storage_->out_neighbours.size(); }

NodeKind Graph::kind(NodeId v) const { return storage_->node_kind[v]; }
std::string_view Graph::key(NodeId v) const { return storage_->keys.Get(v); }
std::string Graph::Name(NodeId v) const {
  return absl::StrCat(internal::Av(NodeKindName(kind(v))), ":", internal::Av(key(v)));
}
NodeLabelId Graph::node_label(NodeId v) const { return storage_->node_label[v]; }

std::pair<NodeId, NodeId> Graph::KindRange(NodeKind kind) const {
  const auto k = static_cast<std::size_t>(kind);
  if (k >= static_cast<std::size_t>(kNumNodeKinds)) return {0, 0};
  return {storage_->kind_first[k], storage_->kind_first[k + 1]};
}

std::optional<NodeId> Graph::Find(NodeKind kind, std::string_view key) const {
  auto [lo, hi] = KindRange(kind);
  while (lo < hi) {  // first node in [lo, hi) whose key is >= key
    const NodeId mid = lo + (hi - lo) / 2;
    if (storage_->keys.Get(mid) < key) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < KindRange(kind).second && storage_->keys.Get(lo) == key) return lo;
  return std::nullopt;
}

absl::StatusOr<NodeId> Graph::Resolve(std::string_view name) const {
  const std::size_t colon = name.find(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "entity '", internal::Av(name), "' is not of the form kind:key (e.g. plate:AB12CDE)"));
  }
  std::string kind_name(name.substr(0, colon));
  for (char& ch : kind_name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const std::optional<NodeKind> kind = ParseNodeKind(kind_name);
  if (!kind) {
    return absl::InvalidArgumentError(
        absl::StrCat("entity '", internal::Av(name), "': unknown kind '", kind_name,
                     "' (expected person, vehicle, plate, location or offence)"));
  }
  const std::string key = NormaliseKey(*kind, name.substr(colon + 1));
  if (std::optional<NodeId> v = Find(*kind, key)) return *v;
  return absl::NotFoundError(absl::StrCat("entity '", internal::Av(name), "' (",
                                          internal::Av(NodeKindName(*kind)), ":", key,
                                          ") is not in the graph"));
}

std::vector<PropertyView> Graph::properties(NodeId v) const {
  const Storage& s = *storage_;
  std::vector<PropertyView> out;
  const EdgeIndex begin = s.node_prop_offsets[v], end = s.node_prop_offsets[v + 1];
  out.reserve(static_cast<std::size_t>(end - begin));
  for (EdgeIndex i = begin; i < end; ++i) {
    out.push_back(
        {s.prop_names.Get(s.PropName(i)), s.prop_values.Get(s.prop_value[i]), s.PropRecord(v, i)});
  }
  return out;
}

std::optional<std::string_view> Graph::property(NodeId v, std::string_view name) const {
  const Storage& s = *storage_;
  for (EdgeIndex i = s.node_prop_offsets[v]; i < s.node_prop_offsets[v + 1]; ++i) {
    if (s.prop_names.Get(s.PropName(i)) == name) return s.prop_values.Get(s.prop_value[i]);
  }
  return std::nullopt;
}

GeoPoint Graph::position(NodeId v) const {
  const Storage& s = *storage_;
  const NodeId first = s.position_range[0];
  if (v < first || v >= s.position_range[1]) {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    return {kNaN, kNaN};
  }
  const std::size_t i = 2 * std::size_t{v - first};
  return {s.position[i], s.position[i + 1]};
}

std::span<const RecordNo> Graph::node_records(NodeId v) const {
  const Storage& s = *storage_;
  const EdgeIndex begin = s.node_record_offsets[v];
  return s.records.subspan(begin, s.node_record_offsets[v + 1] - begin);
}

std::vector<MergeView> Graph::merges(NodeId v) const {
  const Storage& s = *storage_;
  std::vector<MergeView> out;
  for (EdgeIndex i = s.node_merge_offsets[v]; i < s.node_merge_offsets[v + 1]; ++i) {
    out.push_back({s.merge_rule[i], s.merge_record[i], s.merge_texts.Get(s.merge_text[i])});
  }
  return out;
}

// Decoded from the compact sections by Storage::Bind.
std::span<const EdgeIndex> Graph::out_offsets() const { return storage_->out_offsets; }
std::span<const NodeId> Graph::out_neighbours() const { return storage_->out_neighbours; }
std::span<const EdgeIndex> Graph::in_offsets() const { return storage_->in_offsets; }
std::span<const NodeId> Graph::in_neighbours() const { return storage_->in_neighbours; }
std::span<const EdgeId> Graph::in_edge() const { return storage_->in_edge; }
std::span<const EdgeKind> Graph::edge_kind() const { return storage_->edge_kind; }
std::span<const EdgeTime> Graph::edge_time() const { return storage_->edge_time; }
std::span<const LabelId> Graph::edge_label() const { return storage_->edge_label; }
std::span<const RecordNo> Graph::edge_record() const { return storage_->edge_record; }

EdgeIndex Graph::out_degree(NodeId v) const {
  return storage_->out_offsets[v + 1] - storage_->out_offsets[v];
}
EdgeIndex Graph::in_degree(NodeId v) const {
  return storage_->in_offsets[v + 1] - storage_->in_offsets[v];
}

NodeId Graph::edge_source(EdgeId e) const { return storage_->EdgeSource(e); }
NodeId Graph::edge_target(EdgeId e) const { return storage_->out_neighbours[e]; }

std::uint32_t Graph::num_records() const {
  return static_cast<std::uint32_t>(storage_->record_offset.size());
}

RecordInfo Graph::record(RecordNo r) const {
  const Storage& s = *storage_;
  // The extract whose record range holds r: the last x with first_record[x] <= r (extracts
  // with no records have empty ranges and are skipped by upper_bound).
  const auto& first = s.extract_first_record;
  const auto x = static_cast<std::uint32_t>(std::upper_bound(first.begin(), first.end(), r) -
                                            first.begin() - 1);
  return {s.extract_source[x], x, s.record_ids.Get(r), s.record_offset.Get(r, x)};
}

std::uint32_t Graph::num_extracts() const {
  return static_cast<std::uint32_t>(storage_->extract_source.size());
}

ExtractInfo Graph::extract(std::uint32_t i) const {
  const Storage& s = *storage_;
  ExtractInfo x;
  x.path = std::string(s.extract_paths.Get(i));
  x.source = s.extract_source[i];
  x.force = std::string(s.extract_forces.Get(i));
  x.extracted_at = s.extract_extracted_at[i];
  x.schema_version = s.extract_schema_version[i];
  x.extract_id = std::string(s.extract_ids.Get(i));
  x.record_count = s.extract_record_count[i];
  x.digest = s.extract_digest[i];
  return x;
}

std::size_t Graph::num_single_labels() const { return storage_->label_classification.size(); }
std::size_t Graph::num_labels() const {
  return num_single_labels() + storage_->label_set_offsets.size() - 1;
}
AccessLabel Graph::label(NodeLabelId id) const {
  const Storage& s = *storage_;
  if (id >= num_single_labels()) id = label_members(id).front();
  return {s.label_classification[id], s.label_force[id], s.label_caveats[id]};
}
std::vector<LabelId> Graph::label_members(NodeLabelId id) const {
  const Storage& s = *storage_;
  if (id < num_single_labels()) return {static_cast<LabelId>(id)};
  const std::size_t set = id - num_single_labels();
  return {s.label_set_members.begin() + s.label_set_offsets[set],
          s.label_set_members.begin() + s.label_set_offsets[set + 1]};
}
std::size_t Graph::num_forces() const { return storage_->force_names.size(); }
std::string_view Graph::force_name(std::uint16_t force) const {
  return storage_->force_names.Get(force);
}
std::size_t Graph::num_caveats() const { return storage_->caveat_names.size(); }
std::string_view Graph::caveat_name(int bit) const {
  return storage_->caveat_names.Get(static_cast<std::size_t>(bit));
}

std::vector<bool> Graph::VisibleLabels(const Clearance& clearance) const {
  const Storage& s = *storage_;
  std::uint32_t held = 0;
  for (std::size_t b = 0; b < s.caveat_names.size(); ++b) {
    const std::string_view name = s.caveat_names.Get(b);
    if (clearance.all_caveats || std::find(clearance.caveats.begin(), clearance.caveats.end(),
                                           name) != clearance.caveats.end()) {
      held |= std::uint32_t{1} << b;
    }
  }
  std::vector<bool> force_ok(s.force_names.size(), clearance.forces.empty());
  for (std::size_t f = 0; f < s.force_names.size(); ++f) {
    const std::string_view name = s.force_names.Get(f);
    if (std::find(clearance.forces.begin(), clearance.forces.end(), name) !=
        clearance.forces.end()) {
      force_ok[f] = true;
    }
  }
  std::string key = absl::StrCat(static_cast<int>(clearance.level), ":", held, ":");
  for (bool ok : force_ok) key.push_back(ok ? '1' : '0');
  VisibilityCache& cache = *visibility_;
  {
    std::lock_guard<std::mutex> lock(cache.mu);
    for (VisibilityCache::Entry& e : cache.entries) {
      if (e.key == key) {
        e.used = ++cache.clock;
        return e.visible;
      }
    }
  }
  const std::size_t singles = num_single_labels();
  std::vector<bool> visible(num_labels());
  for (std::size_t id = 0; id < singles; ++id) {
    visible[id] = s.label_classification[id] <= clearance.level &&
                  (s.label_caveats[id] & ~held) == 0 && force_ok[s.label_force[id]];
  }
  for (std::size_t set = 0; singles + set < visible.size(); ++set) {
    for (std::uint32_t i = s.label_set_offsets[set]; i < s.label_set_offsets[set + 1]; ++i) {
      if (visible[s.label_set_members[i]]) {
        visible[singles + set] = true;
        break;
      }
    }
  }
  std::lock_guard<std::mutex> lock(cache.mu);
  if (cache.entries.size() < VisibilityCache::kEntries) {
    cache.entries.push_back({std::move(key), visible, ++cache.clock});
  } else {
    auto oldest = std::min_element(cache.entries.begin(), cache.entries.end(),
                                   [](const VisibilityCache::Entry& a,
                                      const VisibilityCache::Entry& b) { return a.used < b.used; });
    *oldest = {std::move(key), visible, ++cache.clock};
  }
  return visible;
}

std::vector<std::pair<std::string, std::string>> Graph::metadata() const {
  const Storage& s = *storage_;
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < s.meta_names.size(); ++i) {
    out.emplace_back(std::string(s.meta_names.Get(i)), std::string(s.meta_values.Get(i)));
  }
  return out;
}

std::uint64_t Graph::memory_bytes() const {
  std::uint64_t total = 0;
  for (const Storage::Section& sec : storage_->sections) total += sec.bytes;
  return total;
}

std::vector<std::pair<std::string, std::uint64_t>> Graph::section_bytes() const {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (int i = 0; i < internal::kNumSections; ++i) {
    out.emplace_back(std::string(internal::kSectionSpecs[static_cast<std::size_t>(i)].name),
                     storage_->sections[static_cast<std::size_t>(i)].bytes);
  }
  return out;
}

}  // namespace polegraph
