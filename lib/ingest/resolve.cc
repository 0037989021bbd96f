// Entity resolution (phase (b) of Ingest; see internal/resolve.h for the rules).
//
// How: the PNC name index maps "FORENAME|SURNAME|YYYY-MM-DD" (every name and alias of a nominal
// crossed with its dob and every alternative dob) to the distinct PNC IDs filed under it; a
// PND person without a PNC ID resolves onto a PNC person only when exactly one ID matches, so
// an ambiguous name + dob never merges two people. Files are applied in a fixed order and the
// builder orders everything by key, so the result does not depend on thread count or on the
// order of the input paths. Merges are recorded for people, VIN-keyed vehicles (by VIN, or by
// VRM for a reference that carries only the VRM) and offences (the weak and cross-source links
// an analyst must be able to explain and undo), not for the plates and sites that every ANPR
// read shares.
// The applier is the ingest's sequential path and the builder's tables are far bigger than
// the caches, so Apply prefetches in three passes ahead of the record it applies (node table
// slots, then the stored keys and the nodes' origin entries, then the origin records a first
// merge names), and the PNC name and VRM indexes keep their strings in an arena of 1 MiB blocks
// (built and freed without a malloc per entry: session 7 measured ~1.5 CPU s at scale 10 for
// building the std::string/std::vector index and freeing it at the first ANPR chunk).
// The builder's tables and chars and the origin tables here (origin_, origin_records_) live on
// transparent huge pages in reservations that grow in place (graph/reserved_region.h; session
// 9): the prefetches of the passes above no longer stall on page walks (session 8 tried huge
// pages with std::vectors, dropped because every growth zeroed a fresh table of huge pages).
// Measured and dropped (session 8, bench/HISTORY.md "Session 8: ingest applier"): prefetching a
// slot's next line only when the home slot is in the second half of its line (no difference).
// Cost: O(facts) hash-map operations.
#include "ingest/internal/resolve.h"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "graph/prefetch.h"
#include "polegraph/keys.h"

namespace polegraph::ingest_internal {

void Resolver::CheckPeopleNotEnded(std::string_view what) {
  if (people_ended_ && status_.ok()) {
    status_ = absl::InternalError(absl::StrCat(
        "entity resolution: a ", Av(what),
        " was applied after the person and vehicle indexes were freed (a chunk after the first "
        "ANPR chunk names a person, vehicle or offence); this is a bug in polegraph's ingest"));
  }
}

std::uint32_t Resolver::OriginFor(const Context& c) {
  static_assert(sizeof(OriginRecord) == 32);
  if (origin_records_.empty() || origin_records_.back().record != c.record) {
    OriginRecord o;
    o.record = c.record;
    o.id_size = static_cast<std::uint32_t>(c.record_id.size());
    o.source = c.source;
    if (c.record_id.size() <= OriginRecord::kInline) {
      std::copy(c.record_id.begin(), c.record_id.end(), o.id);
    } else {
      const std::uint64_t at = origin_ids_.size();
      std::memcpy(o.id, &at, sizeof(at));
      origin_ids_.append(c.record_id);
    }
    origin_records_.push_back(o);
  }
  return static_cast<std::uint32_t>(origin_records_.size() - 1);
}

std::string_view Resolver::OriginId(const OriginRecord& o) const {
  if (o.id_size <= OriginRecord::kInline) return std::string_view(o.id, o.id_size);
  std::uint64_t at;
  std::memcpy(&at, o.id, sizeof(at));
  return std::string_view(origin_ids_).substr(at, o.id_size);
}

Resolver::NodeOrigin& Resolver::OriginOf(GraphBuilder::Handle h) {
  if (origin_.size() <= h) origin_.GrowTo(std::size_t{h} + 1, NodeOrigin{});
  return origin_[h];
}

GraphBuilder::Handle Resolver::Touch(NodeKind kind, std::string_view key, std::uint64_t hash,
                                     const Context& c, std::optional<MergeRule> rule,
                                     std::string_view what, std::string_view shown) {
  // Handles are dense and increasing, so a handle at or past the old node count is new: one
  // hash lookup decides both "existed" and the handle.
  const std::size_t nodes_before = builder_->num_nodes();
  const GraphBuilder::Handle h = builder_->AddNode(kind, key, hash, c.label, c.record);
  if (!rule.has_value()) return h;
  CheckPeopleNotEnded(what);
  const bool existed = h < nodes_before;
  NodeOrigin& node = OriginOf(h);
  if (!existed || node.origin == kNone) {  // the latter cannot happen for these kinds
    node.origin = OriginFor(c);
    node.record = c.record;
    return h;
  }
  if (node.record != c.record) {
    // The explanation depends only on `what`, the key and the origin: the same for every
    // merge of this node by this rule (`what` follows from the rule and the key).
    const auto tag = static_cast<std::uint32_t>(*rule) << kTextBits;
    if (node.merge != kNone && (node.merge & ~((1u << kTextBits) - 1)) == tag) {
      builder_->AddMergeById(h, *rule, c.record, node.merge & ((1u << kTextBits) - 1));
    } else {
      const OriginRecord& o = origin_records_[node.origin];
      merge_text_.clear();
      absl::StrAppend(&merge_text_, Av(what), " '", Av(shown.empty() ? key : shown), "' matched ",
                      Av(SourceName(o.source)), " ", Av(OriginId(o)));
      const std::uint32_t text = builder_->AddMerge(h, *rule, c.record, merge_text_);
      node.merge = text < (1u << kTextBits) ? (tag | text) : kNone;
    }
    ++merges_;
  }
  return h;
}

GraphBuilder::Handle Resolver::ResolvePerson(const ChunkFacts& file, const NodeFact& f,
                                             const Context& c) {
  CheckPeopleNotEnded("person");
  if (!f.key.empty()) {
    return Touch(NodeKind::kPerson, file.Text(f.key), f.hash, c, MergeRule::kPncId, "PNC ID");
  }
  const PersonKeyFact& p = file.people[f.person];
  auto it = names_.find(Av(p.index_key));
  if (it != names_.end() && it->second.count == 1) {
    NameMatch& m = name_matches_[it->second.first];
    GraphBuilder::Handle h;
    if (m.handle != kNone) {
      h = m.handle;
      builder_->AssertNode(h, c.label, c.record);
    } else {
      h = m.handle = builder_->AddNode(NodeKind::kPerson, m.pnc_id, c.label, c.record);
    }
    NodeOrigin& node = OriginOf(h);
    if (node.origin == kNone) node.origin = OriginFor(c), node.record = c.record;
    if (m.text != kNone) {
      builder_->AddMergeById(h, MergeRule::kNameDob, c.record, m.text);
    } else {
      merge_text_.clear();
      absl::StrAppend(&merge_text_, "name+dob '", p.forename, " ", p.surname, " ", p.dob,
                      "' matched PNC ", Av(m.record_id), " (", Av(m.pnc_id), ") by ", Av(m.how));
      m.text = builder_->AddMerge(h, MergeRule::kNameDob, c.record, merge_text_);
    }
    ++merges_;
    return h;
  }
  // No PNC nominal, or several: the person is known by name + dob alone.
  const std::string what = it == names_.end() ? std::string("name+dob")
                                              : absl::StrCat("name+dob (", it->second.count,
                                                             " PNC nominals share it, not merged)");
  return Touch(NodeKind::kPerson, p.node_key, p.node_hash, c, MergeRule::kNameDob, what);
}

GraphBuilder::Handle Resolver::ResolveVehicleByVrm(std::string_view vrm, const Context& c) {
  CheckPeopleNotEnded("vehicle known by VRM");
  auto it = vrms_.find(Av(vrm));
  if (it != vrms_.end()) {
    VrmVehicle& m = it->second;
    const std::string_view key = m.vehicle_key;
    const std::uint64_t hash = GraphBuilder::NodeHash(NodeKind::kVehicle, key);
    // A PNC vehicle without VIN is keyed "VRM-<VRM>": the reference has its key, and another
    // record naming it is a kVrm merge "VRM 'AB12CDE' matched PNC V1".
    if (key.rfind("VRM-", 0) == 0) {
      return Touch(NodeKind::kVehicle, key, hash, c, MergeRule::kVrm, "VRM", vrm);
    }
    // A VIN-keyed PNC vehicle matched by its VRM alone: a kVrm merge whose explanation names
    // the VRM (Touch's would name the VIN, which the reference does not carry). The text
    // depends only on the VRM and the node's origin, both fixed once the node exists: it is
    // made once per VRM, as for a name + dob match.
    const std::size_t nodes_before = builder_->num_nodes();
    const GraphBuilder::Handle h =
        builder_->AddNode(NodeKind::kVehicle, key, hash, c.label, c.record);
    NodeOrigin& node = OriginOf(h);
    if (h >= nodes_before || node.origin == kNone) {
      node.origin = OriginFor(c);
      node.record = c.record;
      return h;
    }
    if (node.record == c.record) return h;
    if (m.text != kNone) {
      builder_->AddMergeById(h, MergeRule::kVrm, c.record, m.text);
    } else {
      const OriginRecord& o = origin_records_[node.origin];
      merge_text_.clear();
      absl::StrAppend(&merge_text_, "VRM '", Av(vrm), "' matched ", Av(SourceName(o.source)), " ",
                      Av(OriginId(o)));
      m.text = builder_->AddMerge(h, MergeRule::kVrm, c.record, merge_text_);
    }
    ++merges_;
    return h;
  }
  // A VRM that no PNC vehicle has: the vehicle is known by it alone ("VRM-<VRM>"), and a
  // second record naming it is a kVrm merge "VRM 'AB12CDE' matched PND CR1".
  const std::string vehicle_key = absl::StrCat("VRM-", Av(vrm));
  const GraphBuilder::Handle vehicle = Touch(
      NodeKind::kVehicle, vehicle_key, GraphBuilder::NodeHash(NodeKind::kVehicle, vehicle_key), c,
      MergeRule::kVrm, "VRM", vrm);
  const GraphBuilder::Handle plate = Touch(
      NodeKind::kPlate, vrm, GraphBuilder::NodeHash(NodeKind::kPlate, vrm), c, std::nullopt, "");
  builder_->AddEdge(vehicle, plate, EdgeKind::kDisplays, 0, c.label, c.record);
  return vehicle;
}

void Resolver::Apply(const ChunkRef& chunk) {
  const ChunkFacts& file = *chunk.facts;
  labels_.clear();
  for (const LabelFact& l : file.labels) {
    labels_.push_back(builder_->InternLabel(l.classification, l.force, l.caveats));
  }
  // The builder's tables are far bigger than the caches: the table entries of the lookups
  // about kSlotsAhead lookups on are loaded, the stored keys of those kKeysAhead on, and the
  // origin records of those kOriginsAhead on (a distance in lookups, not records: a PND record
  // makes a dozen, an ANPR read two).
  constexpr std::size_t kAhead[] = {64, 32, 12};  // kSlotsAhead, kKeysAhead, kOriginsAhead
  constexpr Pass kPasses[] = {Pass::kSlots, Pass::kKeys, Pass::kOrigins};
  const auto n = static_cast<std::uint32_t>(file.records.size());
  const bool values = chunk.value_ids.empty();  // else interned already, maybe being written
  auto lookups = [&](const RecordFacts& r) -> std::size_t {
    return (r.node_end - r.node_begin) + (values ? r.prop_end - r.prop_begin : 0);
  };
  // Per pass: the next record to prefetch, and the lookups from record i up to it. A pass
  // stays behind the one before it (whose loads it reads).
  std::uint32_t at[3] = {0, 0, 0};
  std::size_t ahead[3] = {0, 0, 0};
  const std::size_t passes = people_ended_ ? 2 : 3;  // origins are gone with the people
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < passes; ++k) {
      const std::uint32_t limit = k == 0 ? n : at[k - 1];
      while (at[k] < limit && (at[k] <= i || ahead[k] < kAhead[k])) {
        Prefetch(file, file.records[at[k]], kPasses[k], values);
        ahead[k] += lookups(file.records[at[k]++]);
      }
      ahead[k] -= std::min(ahead[k], lookups(file.records[i]));
    }
    const RecordFacts& r = file.records[i];
    if (r.defined_site != kNone) {
      sites_.insert(std::string(file.Text(file.nodes[r.node_begin + r.defined_site].key)));
    }
    if (r.read_site != kNone &&
        !sites_.contains(file.Text(file.nodes[r.node_begin + r.read_site].key))) {
      held_.push_back(HeldRead{chunk, i});
      continue;
    }
    ApplyRecord(chunk, r, labels_);
  }
  FlushPositions();
}

void Resolver::FlushPositions() {
  constexpr std::size_t kAhead = 16;
  const std::size_t n = positions_.size();
  for (std::size_t i = 0; i < std::min(n, kAhead); ++i) {
    builder_->PrefetchPosition(positions_[i].first);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) builder_->PrefetchPosition(positions_[i + kAhead].first);
    builder_->SetPosition(positions_[i].first, positions_[i].second);
  }
  positions_.clear();
}

void Resolver::Prefetch(const ChunkFacts& file, const RecordFacts& r, Pass pass,
                        bool values) const {
  // The facts' own strings were written by another thread: they are loaded too.
  for (std::uint32_t i = r.node_begin; i < r.node_end; ++i) {
    const NodeFact& f = file.nodes[i];
    std::uint64_t hash = f.hash;
    if (hash == 0 && f.how == Resolution::kPersonRef) {
      const PersonKeyFact& p = file.people[f.person];
      if (pass == Pass::kSlots && !people_ended_) names_.prefetch(Av(p.index_key));
      hash = p.node_hash;
    }
    if (pass == Pass::kSlots) internal::PrefetchLine(file.chars.data() + f.key.at);
    if (hash == 0) continue;  // resolved when applied
    if (pass == Pass::kSlots) {
      builder_->PrefetchNode(hash);
      continue;
    }
    if (f.kind == NodeKind::kPlate || f.kind == NodeKind::kLocation) {
      if (pass == Pass::kKeys) builder_->PrefetchNodeKey(hash);
      continue;  // no merge rule: no origin
    }
    // The node's probable handle: its origin entry is read when it is touched with a rule, and
    // a node's first merge names the record that made it.
    const GraphBuilder::Handle h = builder_->PrefetchNodeKey(hash);
    if (h >= origin_.size()) continue;
    if (pass == Pass::kKeys) {
      internal::PrefetchLine(&origin_[h]);
    } else if (origin_[h].origin != kNone && origin_[h].merge == kNone) {
      internal::PrefetchLine(&origin_records_[origin_[h].origin]);
    }
  }
  if (!values || pass == Pass::kOrigins) return;
  for (std::uint32_t i = r.prop_begin; i < r.prop_end; ++i) {
    const PropFact& p = file.props[i];
    if (pass == Pass::kSlots) {
      internal::PrefetchLine(file.chars.data() + p.value.at);
      builder_->PrefetchValue(p.value_hash);
    } else {
      builder_->PrefetchValueChars(p.value_hash);
    }
  }
}

std::vector<Resolver::Quarantined> Resolver::FinishReads() {
  std::vector<Quarantined> out;
  for (const HeldRead& held : held_) {
    const ChunkFacts& file = *held.chunk.facts;
    const RecordFacts& r = file.records[held.record];
    const std::string_view site = file.Text(file.nodes[r.node_begin + r.read_site].key);
    if (sites_.contains(site)) {
      const LabelFact& l = file.labels[r.label];
      std::vector<LabelId> labels(file.labels.size(), 0);
      labels[r.label] = builder_->InternLabel(l.classification, l.force, l.caveats);
      ApplyRecord(held.chunk, r, labels);
      FlushPositions();
      continue;
    }
    QuarantineEntry q;
    q.file = *held.chunk.path;
    q.offset = r.offset;
    q.index = r.index;
    q.record_id = file.Text(r.record_id);
    q.reason = absl::StrCat("read names site '", Av(site.substr(5)),
                            "' that no ingested ANPR extract defines");
    out.push_back(Quarantined{held.chunk.file, std::move(q)});
  }
  held_.clear();
  return out;
}

void Resolver::ApplyRecord(const ChunkRef& chunk, const RecordFacts& r,
                           std::span<const LabelId> labels) {
  const ChunkFacts& file = *chunk.facts;
  Context c;
  c.record = builder_->AddRecord(chunk.extract, file.Text(r.record_id), r.offset);
  c.label = labels[r.label];
  c.source = file.source;
  c.record_id = file.Text(r.record_id);
  handles_.clear();
  for (std::uint32_t i = r.node_begin; i < r.node_end; ++i) {
    const NodeFact& f = file.nodes[i];
    GraphBuilder::Handle h;
    switch (f.how) {
      case Resolution::kPersonRef:
        h = ResolvePerson(file, f, c);
        break;
      case Resolution::kVehicleByVrm:
        h = ResolveVehicleByVrm(file.Text(f.key), c);
        break;
      case Resolution::kKey:
      default: {
        const std::string_view key = file.Text(f.key);
        std::optional<MergeRule> rule;
        std::string_view what, shown;
        if (f.kind == NodeKind::kPerson) {
          rule = MergeRule::kPncId, what = "PNC ID";
        } else if (f.kind == NodeKind::kVehicle) {
          if (key.rfind("VRM-", 0) != 0) {
            rule = MergeRule::kVin, what = "VIN";
          } else {  // a PNC vehicle without VIN, keyed by its VRM
            rule = MergeRule::kVrm, what = "VRM", shown = key.substr(4);
          }
        } else if (f.kind == NodeKind::kOffence) {
          rule = MergeRule::kOffenceRef, what = "crime reference";
        }
        h = Touch(f.kind, key, f.hash, c, rule, what, shown);
        break;
      }
    }
    if (f.position != kNone) {
      const PositionFact& at = file.positions[f.position];
      positions_.emplace_back(h, GeoPoint{at.latitude, at.longitude});
    }
    handles_.push_back(h);
  }
  if (!chunk.value_ids.empty()) {
    for (std::uint32_t i = r.prop_begin; i < r.prop_end; ++i) {
      const PropFact& p = file.props[i];
      builder_->AddPropertyById(handles_[p.node], p.name, chunk.value_ids[i], c.record);
    }
  } else {
    for (std::uint32_t i = r.prop_begin; i < r.prop_end; ++i) {
      const PropFact& p = file.props[i];
      builder_->AddProperty(handles_[p.node], p.name, file.Text(p.value), p.value_hash, c.record);
    }
  }
  // One record asserts an edge once, however many of its parts resolve onto it (e.g. two
  // witnesses of a crime that both resolve onto the same PNC person).
  edges_.clear();
  for (std::uint32_t i = r.edge_begin; i < r.edge_end; ++i) {
    const EdgeFact& e = file.edges[i];
    edges_.emplace_back(handles_[e.from], handles_[e.to], e.kind, e.time);
  }
  if (edges_.size() > 1) {
    std::sort(edges_.begin(), edges_.end());
    edges_.erase(std::unique(edges_.begin(), edges_.end()), edges_.end());
  }
  for (const auto& [from, to, kind, time] : edges_) {
    builder_->AddEdge(from, to, kind, time, c.label, c.record);
  }
}

}  // namespace polegraph::ingest_internal
