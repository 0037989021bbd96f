// GraphBuilder: collecting facts (the Add* calls). Build() is in builder_build.cc.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "graph/builder_impl.h"

namespace polegraph {

bool internal::BuilderFacts::FailNode(Handle h, std::string_view what) {
  Fail(absl::StrCat(internal::Av(what), ": node handle ", h, " was not returned by AddNode"));
  return false;
}
bool internal::BuilderFacts::FailRecord(RecordNo r, std::string_view what) {
  Fail(absl::StrCat(internal::Av(what), ": record ", r, " was not returned by AddRecord"));
  return false;
}
bool internal::BuilderFacts::FailLabel(LabelId l, std::string_view what) {
  Fail(absl::StrCat(internal::Av(what), ": label ", l, " was not returned by InternLabel"));
  return false;
}

namespace {

// Adds the assertion of an existing node (AddNode and AssertNode).
void AssertExisting(internal::BuilderFacts& f, GraphBuilder::Handle node, LabelId label,
                    RecordNo record) {
  if (f.ValidLabel(label, "AddNode") && f.ValidRecord(record, "AddNode")) {
    // A repeat of the last assertion (the same record naming the same node again) would be
    // collapsed by Build anyway: not storing it saves memory.
    auto& a = f.assertions;
    if (a.empty() || a.back().node != node || a.back().record != record ||
        a.back().label != label) {
      a.push_back({node, record, label});
    }
  }
}

}  // namespace

GraphBuilder::GraphBuilder() : impl_(std::make_unique<Impl>()) {}
GraphBuilder::~GraphBuilder() = default;
GraphBuilder::GraphBuilder(GraphBuilder&&) noexcept = default;
GraphBuilder& GraphBuilder::operator=(GraphBuilder&&) noexcept = default;

GraphBuilder::ExtractHandle GraphBuilder::AddExtract(ExtractInfo info) {
  impl_->extracts.push_back(std::move(info));
  return static_cast<ExtractHandle>(impl_->extracts.size() - 1);
}

RecordNo GraphBuilder::AddRecord(ExtractHandle extract, std::string_view record_id,
                                 std::uint64_t offset) {
  if (extract >= impl_->extracts.size()) {
    impl_->Fail(absl::StrCat("AddRecord '", internal::Av(record_id), "': extract handle ", extract,
                             " was not returned by AddExtract"));
    return kNoRecord;
  }
  if (impl_->records.size() >= kNoRecord - 1) {
    impl_->Fail("AddRecord: more than 2^32-2 records");
    return kNoRecord;
  }
  internal::BuilderRecords& r = impl_->records;
  r.extract.push_back(extract);
  r.offset.push_back(offset);
  r.id_chars.insert(r.id_chars.end(), record_id.begin(), record_id.end());
  r.id_end.push_back(r.id_chars.size());
  return static_cast<RecordNo>(r.size() - 1);
}

LabelId GraphBuilder::InternLabel(Classification classification, std::string_view force,
                                  std::span<const std::string> caveats) {
  internal::BuilderLabel label{classification, impl_->forces.Intern(force), {}};
  for (const std::string& c : caveats) label.caveats.push_back(impl_->caveats.Intern(c));
  std::sort(label.caveats.begin(), label.caveats.end());
  label.caveats.erase(std::unique(label.caveats.begin(), label.caveats.end()), label.caveats.end());
  std::string code = absl::StrCat(static_cast<int>(classification), "/", label.force);
  for (std::uint32_t c : label.caveats) absl::StrAppend(&code, ",", c);
  auto it = impl_->label_ids.find(code);
  if (it != impl_->label_ids.end()) return it->second;
  if (impl_->labels.size() >= std::numeric_limits<LabelId>::max()) {
    impl_->Fail("InternLabel: more than 65535 distinct access labels");
    return 0;
  }
  const auto id = static_cast<LabelId>(impl_->labels.size());
  impl_->labels.push_back(std::move(label));
  impl_->label_ids.emplace(std::move(code), id);
  return id;
}

std::uint64_t GraphBuilder::NodeHash(NodeKind kind, std::string_view key) {
  // The node table's key is the kind byte followed by the key.
  char small[64];
  if (key.size() < sizeof(small)) {
    small[0] = static_cast<char>(kind);
    std::memcpy(small + 1, key.data(), key.size());
    return internal::StringPool::HashOf(std::string_view(small, key.size() + 1));
  }
  std::string code(1, static_cast<char>(kind));
  code.append(key);
  return internal::StringPool::HashOf(code);
}

std::uint64_t GraphBuilder::ValueHash(std::string_view value) {
  return internal::StringPool::HashOf(value);
}

void GraphBuilder::PrefetchNode(std::uint64_t hash) const { impl_->node_codes.Prefetch(hash); }
GraphBuilder::Handle GraphBuilder::PrefetchNodeKey(std::uint64_t hash) const {
  return impl_->node_codes.PrefetchChars(hash).value_or(kNoNode);
}
void GraphBuilder::PrefetchValue(std::uint64_t hash) const { impl_->values.Prefetch(hash); }
void GraphBuilder::PrefetchValueChars(std::uint64_t hash) const {
  impl_->values.PrefetchChars(hash);
}

GraphBuilder::Handle GraphBuilder::AddNode(NodeKind kind, std::string_view key, LabelId label,
                                           RecordNo record) {
  return AddNode(kind, key, NodeHash(kind, key), label, record);
}

GraphBuilder::Handle GraphBuilder::AddNode(NodeKind kind, std::string_view key,
                                           std::uint64_t hash, LabelId label, RecordNo record) {
  if (static_cast<int>(kind) >= kNumNodeKinds) {
    impl_->Fail(absl::StrCat("AddNode '", internal::Av(key), "': invalid node kind ",
                             static_cast<int>(kind)));
    kind = NodeKind::kPerson;
    hash = NodeHash(kind, key);
  }
  // The lookup key is built in a reused buffer; a string is allocated only for a new node.
  std::string& code = impl_->node_code;
  code.assign(1, static_cast<char>(kind));
  code.append(key);
  if (impl_->node_codes.size() >= kNoNode - 1) {
    if (!impl_->node_codes.Find(code, hash)) {
      impl_->Fail("AddNode: more than 2^32-2 nodes");
      return 0;
    }
  }
  const Handle h = impl_->node_codes.Intern(code, hash);
  AssertExisting(*impl_, h, label, record);
  return h;
}

void GraphBuilder::AssertNode(Handle node, LabelId label, RecordNo record) {
  if (impl_->ValidNode(node, "AssertNode")) AssertExisting(*impl_, node, label, record);
}

std::optional<GraphBuilder::Handle> GraphBuilder::FindNode(NodeKind kind,
                                                           std::string_view key) const {
  std::string code(1, static_cast<char>(kind));
  code.append(key);
  return impl_->node_codes.Find(code);
}

void GraphBuilder::AddProperty(Handle node, std::string_view name, std::string_view value,
                               RecordNo record) {
  AddProperty(node, name, value, ValueHash(value), record);
}

void GraphBuilder::AddProperty(Handle node, std::string_view name, std::string_view value,
                               std::uint64_t value_hash, RecordNo record) {
  if (!impl_->ValidNode(node, "AddProperty") || !impl_->ValidRecord(record, "AddProperty")) {
    return;
  }
  AddPropertyById(node, name, InternValue(value, value_hash), record);
}

std::uint32_t GraphBuilder::InternValue(std::string_view value, std::uint64_t hash) {
  internal::StringPool& values = impl_->values;
  if (values.size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
    // Reported by AddPropertyById, on the thread that adds (Fail is not thread-safe).
    impl_->values_published.store(Impl::kValuesFull, std::memory_order_release);
    return Impl::kValuesFull;
  }
  const std::uint32_t id = values.Intern(value, hash);
  impl_->values_published.store(static_cast<std::uint32_t>(values.size()),
                                std::memory_order_release);
  return id;
}

void GraphBuilder::AddPropertyById(Handle node, std::string_view name, std::uint32_t value,
                                   RecordNo record) {
  if (!impl_->ValidNode(node, "AddProperty") || !impl_->ValidRecord(record, "AddProperty")) {
    return;
  }
  if (value >= impl_->values_published.load(std::memory_order_acquire)) {
    impl_->Fail(value == Impl::kValuesFull
                    ? std::string("AddProperty: more than 2^32-2 distinct property values")
                    : absl::StrCat("AddPropertyById: value ", value,
                                   " was not returned by InternValue"));
    return;
  }
  if (impl_->properties.size() >= std::numeric_limits<std::uint32_t>::max()) {
    impl_->Fail("AddProperty: more than 2^32-1 properties");
    return;
  }
  const std::uint32_t name_id = impl_->prop_names.InternByAddress(name);
  if (name_id > std::numeric_limits<std::uint16_t>::max()) {
    impl_->Fail("AddProperty: more than 65536 distinct property names");
    return;
  }
  const internal::BuilderProperty p{node, record, value, static_cast<std::uint16_t>(name_id)};
  auto& props = impl_->properties;
  if (props.empty() || props.back().node != p.node || props.back().record != p.record ||
      props.back().value != p.value || props.back().name != p.name) {
    props.push_back(p);  // an immediate repeat would be collapsed by Build anyway
  }
}

// Flattened: absl's prefetch() is inlined before GCC's pure-function analysis, which would
// otherwise delete the call as side-effect free (see internal::PrefetchLine in graph/prefetch.h).
[[gnu::flatten]] void GraphBuilder::PrefetchPosition(Handle node) const {
  impl_->positions.prefetch(node);
}

void GraphBuilder::SetPosition(Handle node, GeoPoint point) {
  if (!impl_->ValidNode(node, "SetPosition")) return;
  if (std::isnan(point.latitude) || std::isnan(point.longitude)) return;
  auto [it, inserted] = impl_->positions.try_emplace(node, point);
  // Several positions for one node: keep the least (latitude, longitude), whatever the order.
  GeoPoint& p = it->second;
  if (inserted) return;
  if (point.latitude < p.latitude ||
      (point.latitude == p.latitude && point.longitude < p.longitude)) {
    p = point;
  }
}

void GraphBuilder::AddEdge(Handle from, Handle to, EdgeKind kind, std::int64_t time, LabelId label,
                           RecordNo record) {
  if (!impl_->ValidNode(from, "AddEdge") || !impl_->ValidNode(to, "AddEdge") ||
      !impl_->ValidLabel(label, "AddEdge") || !impl_->ValidRecord(record, "AddEdge")) {
    return;
  }
  if (static_cast<int>(kind) >= kNumEdgeKinds) {
    impl_->Fail(absl::StrCat("AddEdge: invalid edge kind ", static_cast<int>(kind)));
    return;
  }
  const EdgeTime t = (time > 0 && time <= std::numeric_limits<EdgeTime>::max())
                         ? static_cast<EdgeTime>(time)
                         : kUnknownTime;
  const internal::BuilderEdge e{from, to, t, record, label, kind};
  auto& edges = impl_->edges;
  if (edges.empty() || edges.back().from != e.from || edges.back().to != e.to ||
      edges.back().time != e.time || edges.back().record != e.record ||
      edges.back().label != e.label || edges.back().kind != e.kind) {
    edges.push_back(e);  // an immediate repeat would be collapsed by Build anyway
  }
}

std::uint32_t GraphBuilder::AddMerge(Handle node, MergeRule rule, RecordNo record,
                                     std::string_view explanation) {
  if (impl_->merge_texts.size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
    impl_->Fail("AddMerge: more than 2^32-2 distinct merge explanations");
    return 0;
  }
  const std::uint32_t text = impl_->merge_texts.Intern(explanation);
  AddMergeById(node, rule, record, text);
  return text;
}

void GraphBuilder::AddMergeById(Handle node, MergeRule rule, RecordNo record,
                                std::uint32_t explanation) {
  if (!impl_->ValidNode(node, "AddMerge") || !impl_->ValidRecord(record, "AddMerge")) return;
  if (static_cast<int>(rule) > static_cast<int>(MergeRule::kOffenceRef)) {
    impl_->Fail(absl::StrCat("AddMerge: invalid merge rule ", static_cast<int>(rule)));
    return;
  }
  if (explanation >= impl_->merge_texts.size()) {
    impl_->Fail(absl::StrCat("AddMergeById: explanation ", explanation,
                             " was not returned by AddMerge"));
    return;
  }
  impl_->merges.push_back({node, record, explanation, rule});
}

void GraphBuilder::SetMetadata(std::string_view name, std::string_view value) {
  impl_->metadata[std::string(name)] = std::string(value);
}

namespace {
constexpr std::size_t kIdCharsPerRecord = 16;
}  // namespace

void GraphBuilder::Reserve(std::size_t records, std::size_t node_calls, std::size_t properties,
                           std::size_t edges) {
  impl_->records.extract.reserve(records);
  impl_->records.offset.reserve(records);
  impl_->records.id_end.reserve(records);
  // Record ids are a few to a few dozen chars. Reserving is address space only (an allocation
  // this big is mapped lazily: pages are faulted in as the ids reach them), so a generous guess
  // costs no memory; it saves the doublings' copies and the abandoned buffers' page faults
  // (session 10: ~1.5 % of the ingest's faults at scale 10). Longer ids still grow it.
  impl_->records.id_chars.reserve(records * kIdCharsPerRecord);
  impl_->assertions.reserve(node_calls);
  impl_->properties.reserve(properties);
  impl_->edges.reserve(edges);
}

std::size_t GraphBuilder::num_nodes() const { return impl_->node_codes.size(); }
std::size_t GraphBuilder::num_edges() const { return impl_->edges.size(); }

}  // namespace polegraph
