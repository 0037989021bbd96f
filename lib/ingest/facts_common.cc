// The per-record sink shared by every source (append, commit, roll back); the conversion of the
// schemas' shared parts — person, address and vehicle references — into normalised node facts
// is in fact_refs.h. Keys and values can be written straight into the chunk's text and then
// named by where they start (NodeAt, PropAt), so that the facts code builds no
// string of its own for them (session 8: a temporary std::string, often heap-allocated, per
// address key, "address" value, name, date, time and offence key cost ~20 % of the parse
// instructions). A property whose value's hash is known already (PropHashed: enum names and
// "true" from fact_refs.h's tables, session 9) is not hashed again in Commit.
// Cost: O(size of the record).
#include <algorithm>
#include <cassert>

#include "graph/edge_endpoints.h"
#include "ingest/internal/validate.h"
#include "polegraph/graph.h"
#include "polegraph/keys.h"

namespace polegraph::ingest_internal {

void RecordSink::Begin(std::uint64_t offset, std::uint64_t index, bool trusted) {
  current_ = RecordFacts{};
  trusted_ = trusted;
  index_only_nodes_ = 0;
  current_.offset = offset;
  current_.index = index;
  current_.node_begin = static_cast<std::uint32_t>(file_->nodes.size());
  current_.edge_begin = static_cast<std::uint32_t>(file_->edges.size());
  current_.prop_begin = static_cast<std::uint32_t>(file_->props.size());
  labels_begin_ = file_->labels.size();
  people_begin_ = file_->people.size();
  positions_begin_ = file_->positions.size();
  names_begin_ = file_->names.size();
  vrms_begin_ = file_->vrms.size();
  chars_begin_ = file_->chars.size();
}

void RecordSink::SetMeta(std::string record_id, LabelFact label) {
  current_.record_id = file_->AddText(record_id);
  // Records of a chunk share a few dozen markings: one hash lookup finds it among them.
  std::vector<LabelFact>& labels = file_->labels;
  auto [it, inserted] =
      label_index_.try_emplace(std::move(label), static_cast<std::uint32_t>(labels.size()));
  current_.label = it->second;
  if (inserted) labels.push_back(it->first);
}

void RecordSink::SetMetaLabel(std::string_view record_id, std::uint32_t label) {
  current_.record_id = file_->AddText(record_id);
  current_.label = label;
}

std::uint32_t RecordSink::Node(NodeKind kind, std::string_view key) {
  if (index_only_) return index_only_nodes_++;
  const TextRef text = file_->AddText(key);
  NodeFact& f = file_->nodes.emplace_back();  // built in place: most records' nodes come here
  f.kind = kind;
  f.key = text;
  return static_cast<std::uint32_t>(file_->nodes.size()) - 1 - current_.node_begin;
}

std::uint32_t RecordSink::NodeHashed(NodeKind kind, TextRef key, std::uint64_t hash) {
  if (index_only_) return index_only_nodes_++;
  NodeFact& f = file_->nodes.emplace_back();
  f.kind = kind;
  f.key = key;
  f.hash = hash;
  return static_cast<std::uint32_t>(file_->nodes.size()) - 1 - current_.node_begin;
}

std::uint32_t RecordSink::Unresolved(NodeFact fact, std::string_view key) {
  if (index_only_) return index_only_nodes_++;
  fact.key = file_->AddText(key);
  file_->nodes.push_back(fact);
  return static_cast<std::uint32_t>(file_->nodes.size()) - 1 - current_.node_begin;
}

std::uint32_t RecordSink::NodeAt(NodeKind kind, std::size_t at) {
  if (index_only_) {
    file_->chars.resize(at);
    return index_only_nodes_++;
  }
  NodeFact& f = file_->nodes.emplace_back();
  f.kind = kind;
  f.key = TextRef{at, static_cast<std::uint32_t>(file_->chars.size() - at)};
  return static_cast<std::uint32_t>(file_->nodes.size()) - 1 - current_.node_begin;
}

void RecordSink::PropAt(std::uint32_t node, std::string_view name, std::size_t at) {
  if (index_only_) {
    file_->chars.resize(at);
    return;
  }
  if (file_->chars.size() == at) return;
  file_->props.push_back(
      PropFact{node, name, TextRef{at, static_cast<std::uint32_t>(file_->chars.size() - at)}});
}

namespace {

// a + sep + b + sep + c, in one allocation.
std::string Joined3(std::string_view a, std::string_view b, std::string_view c, char sep) {
  std::string out;
  out.reserve(a.size() + b.size() + c.size() + 2);
  out.append(a);
  out += sep;
  out.append(b);
  out += sep;
  out.append(c);
  return out;
}

}  // namespace

std::uint32_t RecordSink::PersonByName(PersonKeyFact person) {
  if (index_only_) return index_only_nodes_++;
  NodeFact f;
  f.kind = NodeKind::kPerson;
  f.how = Resolution::kPersonRef;
  f.person = static_cast<std::uint32_t>(file_->people.size());
  person.index_key = Joined3(person.forename, person.surname, person.dob, '|');
  person.node_key = Joined3(person.surname, person.forename, person.dob, '/');
  person.node_hash = GraphBuilder::NodeHash(NodeKind::kPerson, person.node_key);
  file_->people.push_back(std::move(person));
  return Unresolved(f, {});
}

void RecordSink::Position(std::uint32_t node, double latitude, double longitude) {
  if (index_only_) return;
  file_->nodes[current_.node_begin + node].position =
      static_cast<std::uint32_t>(file_->positions.size());
  file_->positions.push_back(PositionFact{latitude, longitude});
}

void RecordSink::Edge(std::uint32_t from, std::uint32_t to, EdgeKind kind, std::int64_t time) {
  if (index_only_) return;
  // Ingest makes only edges whose kind allows their endpoints' kinds: OpenSnapshot refuses
  // any other, and the analyses rely on it (graph/edge_endpoints.h).
  assert(internal::EdgeKindJoins(kind, file_->nodes[current_.node_begin + from].kind,
                                 file_->nodes[current_.node_begin + to].kind));
  file_->edges.push_back(EdgeFact{from, to, kind, time});
}

void RecordSink::Prop(std::uint32_t node, std::string_view name, std::string_view value) {
  if (value.empty() || index_only_) return;
  file_->props.push_back(PropFact{node, name, file_->AddText(value)});
}

void RecordSink::PropHashed(std::uint32_t node, std::string_view name, std::string_view value,
                            std::uint64_t value_hash) {
  if (value.empty() || index_only_) return;
  file_->props.push_back(PropFact{node, name, file_->AddText(value), value_hash});
}

void RecordSink::Commit() {
  current_.node_end = static_cast<std::uint32_t>(file_->nodes.size());
  current_.edge_end = static_cast<std::uint32_t>(file_->edges.size());
  current_.prop_end = static_cast<std::uint32_t>(file_->props.size());
  // The builder's table hashes, here on the parsing thread rather than on the applier (0: not
  // yet computed; NodeHashed gives nodes theirs).
  for (std::uint32_t i = current_.node_begin; i < current_.node_end; ++i) {
    NodeFact& f = file_->nodes[i];
    if (f.hash != 0) continue;
    if (f.how == Resolution::kKey || (f.how == Resolution::kPersonRef && !f.key.empty())) {
      f.hash = GraphBuilder::NodeHash(f.kind, file_->Text(f.key));
    }
  }
  for (std::uint32_t i = current_.prop_begin; i < current_.prop_end; ++i) {
    PropFact& p = file_->props[i];  // 0: not yet computed (PropHashed gives props theirs)
    if (p.value_hash == 0) p.value_hash = GraphBuilder::ValueHash(file_->Text(p.value));
  }
  file_->records.push_back(std::move(current_));
  current_ = RecordFacts{};
}

void RecordSink::Quarantine(std::string record_id, std::string reason) {
  file_->nodes.resize(current_.node_begin);
  file_->edges.resize(current_.edge_begin);
  file_->props.resize(current_.prop_begin);
  for (std::size_t i = labels_begin_; i < file_->labels.size(); ++i) {
    label_index_.erase(file_->labels[i]);
  }
  file_->labels.resize(labels_begin_);
  std::erase_if(marking_cache_.label_by_raw,
                [&](const auto& entry) { return entry.second >= labels_begin_; });
  for (MarkingCache::Recent& r : marking_cache_.recent) {
    if (r.label != kNone && r.label >= labels_begin_) r.label = kNone;
  }
  if (!anpr_cache_.sites.empty()) {
    std::erase_if(anpr_cache_.sites,
                  [&](const auto& entry) { return entry.second.key.at >= chars_begin_; });
  }
  file_->people.resize(people_begin_);
  file_->positions.resize(positions_begin_);
  file_->names.resize(names_begin_);
  file_->vrms.resize(vrms_begin_);
  file_->chars.resize(chars_begin_);
  QuarantineEntry q;
  q.file = *path_;
  q.offset = current_.offset;
  q.index = current_.index;
  q.record_id = std::move(record_id);
  q.reason = std::move(reason);
  file_->quarantine.push_back(std::move(q));
  current_ = RecordFacts{};
}

}  // namespace polegraph::ingest_internal
