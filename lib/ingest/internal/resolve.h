// Internal to ingest: phase (b), entity resolution. Applies the facts of every file, in a fixed
// order, to one GraphBuilder (resolve.cc).
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_RESOLVE_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_RESOLVE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "graph/reserved_region.h"
#include "ingest/internal/facts.h"
#include "polegraph/graph.h"

namespace polegraph::ingest_internal {

// Resolves node facts onto builder nodes:
//   - keyed nodes by their key; a Person, VIN-keyed Vehicle or Offence that already exists from
//     another record gets a recorded merge (kPncId / kVin / kOffenceRef) naming that record;
//   - people without a PNC ID by folded forename + surname + date of birth, looked up in the
//     index of every PNC nominal's names, aliases, dob and alternative dobs: exactly one PNC ID
//     -> that person, with a kNameDob merge explaining the match; none or several -> the person
//     "<SURNAME>/<FORENAME>/<YYYY-MM-DD>", with a kNameDob merge when another record made it;
//   - vehicles known only by VRM onto the PNC vehicle displaying that VRM (the latest
//     vrm_since, then the greatest key; a kVrm merge naming the VRM when that vehicle is keyed
//     by VIN), else "VRM-<VRM>" with DISPLAYS to the plate.
//   - an ANPR read is applied once some applied record has defined its site; until then it is
//     held back, and FinishReads() applies it or, when no record defined the site, returns it
//     as quarantined. (Usually sites come first and nothing is held back.)
// Not thread-safe. Index() every PNC chunk before the first Apply(). Results depend only on the
// order of the Index() and Apply() calls, not on how files were cut into chunks.
class Resolver {
 public:
  explicit Resolver(GraphBuilder* builder) : builder_(builder) {}

  // A chunk to apply, with where it came from.
  struct ChunkRef {
    std::shared_ptr<const ChunkFacts> facts;
    GraphBuilder::ExtractHandle extract = 0;
    std::size_t file = 0;               // the caller's file number, returned with quarantine
    const std::string* path = nullptr;  // the file's path (outlives the Resolver)
    // Empty, or the builder's value id of each of facts->props (InternChunkValues; kept alive
    // with `facts`): then Apply adds properties by id and leaves the value pool alone, which
    // another thread may be writing meanwhile.
    std::span<const std::uint32_t> value_ids = {};
  };
  struct Quarantined {
    std::size_t file;
    QuarantineEntry entry;
  };

  void Index(const ChunkFacts& chunk);
  // Applies the chunk's records in order; keeps `chunk.facts` alive only if a read is held back.
  void Apply(const ChunkRef& chunk);
  // Applies the held-back reads whose site is now defined, in the order they were held back,
  // and returns the others as quarantined.
  std::vector<Quarantined> FinishReads();
  std::uint64_t merges() const { return merges_; }

  // Frees what only people, vehicles and offences need: the PNC name and VRM indexes and the
  // origin records of nodes with a merge rule. Call it once no later chunk can name a person,
  // a vehicle or an offence (Ingest: at the first ANPR chunk; ANPR records name only plates and
  // sites, and ANPR sorts last). A later record that does name one still applies, but sets
  // status() to an internal error, so that a caller that broke the promise fails loudly
  // instead of resolving against an empty index.
  void EndPeopleAndVehicles();
  const absl::Status& status() const { return status_; }

 private:
  // Append-only storage for the index strings: blocks that never move (so views into them
  // stay valid), freed whole. The PNC name index has millions of entries: as std::strings and
  // vectors they cost a dozen mallocs each to build and as many frees at the first ANPR chunk
  // (session 7: building and freeing it took ~14 % of the applier).
  class TextArena {
   public:
    std::string_view Add(std::string_view s);
    void Clear() { std::vector<std::unique_ptr<char[]>>().swap(blocks_), left_ = 0; }

   private:
    static constexpr std::size_t kBlock = std::size_t{1} << 20;
    std::vector<std::unique_ptr<char[]>> blocks_;
    char* at_ = nullptr;  // free space of the last block
    std::size_t left_ = 0;
  };
  // A distinct PNC ID filed under a name key (its strings in names_text_); the matches of one
  // key are chained in the order they were indexed.
  struct NameMatch {
    std::string_view pnc_id, record_id, how;
    // Once first matched: the person's node and the merge explanation (the same for every
    // record that matches this entry), so that later matches need no lookup or text.
    GraphBuilder::Handle handle = kNone;
    std::uint32_t text = kNone;
    std::uint32_t next = kNone;  // the key's next match (index into name_matches_)
  };
  struct NameKey {
    std::uint32_t first;  // index into name_matches_
    std::uint32_t count;  // distinct PNC IDs
  };
  struct VrmVehicle {
    std::string_view vehicle_key;  // in names_text_
    std::int64_t since;
    // Once a reference by this VRM alone was merged onto the vehicle: the explanation (the
    // same for every such merge: it names the VRM and the vehicle's origin).
    std::uint32_t text = kNone;
  };
  // What is remembered of a node with a merge rule, by handle: the record that first made it
  // (index into origin_records_), and the explanation of its merges (the same for every merge
  // of the node by one rule: it names the node's key and its origin) as rule << 28 | text id.
  // The origin's record number is kept here too, so that telling a merge from a repeat by the
  // same record reads nothing else (origin_records_ is read only for a node's first merge).
  struct NodeOrigin {
    std::uint32_t origin = kNone;
    std::uint32_t merge = kNone;
    RecordNo record = kNoRecord;
  };
  static constexpr int kTextBits = 28;
  // A record that first made some node (shown as "<source> <record id>" in merge texts), in
  // one 32-byte block, so that the one cache line the applier prefetches ahead of a merge
  // holds all of it: the record id inline when short, else in `origin_ids_` (chunk facts are
  // freed once applied).
  struct alignas(32) OriginRecord {
    static constexpr std::size_t kInline = 23;
    RecordNo record = kNoRecord;
    std::uint32_t id_size = 0;
    Source source = Source::kPnc;
    char id[kInline];  // the id when id_size <= kInline, else its offset in origin_ids_ (u64)
  };
  struct Context {
    RecordNo record;
    LabelId label;
    Source source;
    std::string_view record_id;  // with `source`, "PND CR-9": the record being applied
  };
  struct HeldRead {
    ChunkRef chunk;
    std::uint32_t record;  // index into chunk.facts->records
  };

  void ApplyRecord(const ChunkRef& chunk, const RecordFacts& r, std::span<const LabelId> labels);
  std::uint32_t OriginFor(const Context& c);  // the record being applied, as an origin
  std::string_view OriginId(const OriginRecord& o) const;
  // `hash`: GraphBuilder::NodeHash(kind, key). With a `rule`, a record other than the node's
  // first that asserts it is recorded as a merge "WHAT 'KEY' matched SOURCE ID", with `shown`
  // in place of the key when given (a VRM-keyed vehicle's VRM, without "VRM-").
  GraphBuilder::Handle Touch(NodeKind kind, std::string_view key, std::uint64_t hash,
                             const Context& c, std::optional<MergeRule> rule, std::string_view what,
                             std::string_view shown = {});
  // Prefetch hints for record r, in passes some lookups apart: kSlots, the builder's table
  // entries; kKeys, the stored keys they point at (and the origin entries of the nodes' probable
  // handles); kOrigins, the origin records a first merge of those nodes names in its text.
  // `values`: prefetch the value pool's entries too (the chunk's values are not interned yet).
  enum class Pass { kSlots, kKeys, kOrigins };
  void Prefetch(const ChunkFacts& file, const RecordFacts& r, Pass pass, bool values) const;
  GraphBuilder::Handle ResolvePerson(const ChunkFacts& file, const NodeFact& f, const Context& c);
  GraphBuilder::Handle ResolveVehicleByVrm(std::string_view vrm, const Context& c);

  GraphBuilder* builder_;
  TextArena names_text_;  // the keys and strings of names_, name_matches_ and vrms_
  absl::flat_hash_map<absl::string_view, NameKey> names_;
  // A RegionVector (no copy at each doubling, no abandoned buffers to fault in: ~1 % of the
  // ingest's page faults at scale 10 as a std::vector; session 10).
  internal::RegionVector<NameMatch> name_matches_;
  absl::flat_hash_map<absl::string_view, VrmVehicle> vrms_;
  NodeOrigin& OriginOf(GraphBuilder::Handle h);

  // By node handle, and in apply order; read at random (prefetched), so on huge pages
  // (RegionVector: a reservation that grows in place).
  internal::RegionVector<NodeOrigin> origin_;
  internal::RegionVector<OriginRecord> origin_records_;
  std::string origin_ids_;  // their record ids
  // "SITE-<ID>" keys defined by applied records (std::, not Abseil: graph/text_hash.h).
  std::unordered_set<std::string, internal::TextHash, std::equal_to<>> sites_;
  std::vector<HeldRead> held_;
  std::vector<LabelId> labels_;  // scratch: the chunk's labels as builder ids
  // The chunk's SetPosition calls, made at its end in a batch whose map lookups overlap (the
  // least position wins whatever the order, so deferring them changes nothing).
  std::vector<std::pair<GraphBuilder::Handle, GeoPoint>> positions_;
  void FlushPositions();
  std::vector<GraphBuilder::Handle> handles_;  // scratch: the record's nodes
  std::string merge_text_;                     // scratch: a merge explanation
  std::vector<std::tuple<GraphBuilder::Handle, GraphBuilder::Handle, EdgeKind, std::int64_t>>
      edges_;  // scratch: the record's edges
  std::uint64_t merges_ = 0;
  bool people_ended_ = false;  // EndPeopleAndVehicles() was called
  absl::Status status_;
  void CheckPeopleNotEnded(std::string_view what);
};

// Interns the values of every property of `chunk` into the builder's value pool
// (GraphBuilder::InternValue), in order, and sets (*ids)[i] to the id of props[i]'s value.
// Ingest runs it as the pipeline's in-order stage, so that the applier only adds properties by
// id. Prefetches the pool's entries some values ahead. O(props) expected (intern_values.cc).
void InternChunkValues(GraphBuilder* builder, const ChunkFacts& chunk,
                       std::vector<std::uint32_t>* ids);

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_RESOLVE_H_
