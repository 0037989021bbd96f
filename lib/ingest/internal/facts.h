// Internal to ingest: the normalised "facts" that Ingest extracts from each chunk of records in
// parallel, and then applies to one GraphBuilder in a fixed order.
//
// A chunk's facts are flat arrays (nodes, edges, properties) with one RecordFacts per accepted
// record giving its ranges, so thousands of ANPR reads cost a few allocations, not a few per
// record. Node references inside a record are indices into that record's node range. Nodes
// that need cross-file knowledge to resolve (people by name + date of birth, vehicles known
// only by VRM) are left unresolved here and resolved when applied.
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_FACTS_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_FACTS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "graph/text_hash.h"
#include "polegraph/anpr.pb.h"
#include "polegraph/common.pb.h"
#include "polegraph/extract.h"
#include "polegraph/ingest.h"
#include "polegraph/pnc.pb.h"
#include "polegraph/pnd.pb.h"
#include "polegraph/types.h"

namespace polegraph::ingest_internal {

// absl::string_view is not std::string_view in this Abseil build.
inline absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }

enum class Resolution : std::uint8_t {
  kKey,           // `key` is the node's normalised key
  kPersonRef,     // a person: `key` is the PNC ID, or empty (then forename/surname/dob)
  kVehicleByVrm,  // a vehicle known only by its VRM (`key`): the PNC vehicle displaying it,
                  // else "VRM-<VRM>" with DISPLAYS to the plate
};

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// A string of a chunk's facts: ChunkFacts::chars[at, at + size). Keys, values and record ids
// live in the one buffer of their chunk, so a chunk's thousands of strings cost no allocation
// of their own to build or to free.
struct TextRef {
  std::uint64_t at = 0;
  std::uint32_t size = 0;
  bool empty() const { return size == 0; }
};

struct NodeFact {
  TextRef key;
  NodeKind kind = NodeKind::kPerson;
  Resolution how = Resolution::kKey;
  std::uint32_t person = kNone;    // kPersonRef without PNC ID: index into ChunkFacts::people
  std::uint32_t position = kNone;  // index into ChunkFacts::positions
  // GraphBuilder::NodeHash(kind, key) when `key` is the node's key (kKey, and kPersonRef with
  // a PNC ID), computed by the parsing thread so that the applier need not; else 0.
  std::uint64_t hash = 0;
};

// A person known by name + date of birth: folded forename and surname, "YYYY-MM-DD". The
// sink derives the rest on the parsing thread, so that the applier need not: the key of the
// PNC name index and the node key (and its GraphBuilder::NodeHash) used when that finds no
// single nominal.
struct PersonKeyFact {
  std::string forename, surname, dob;
  std::string index_key;  // "FORENAME|SURNAME|DOB"
  std::string node_key;   // "SURNAME/FORENAME/DOB"
  std::uint64_t node_hash = 0;
};

struct PositionFact {
  double latitude = 0, longitude = 0;
};

struct EdgeFact {
  std::uint32_t from = 0, to = 0;  // node indices within the record
  EdgeKind kind = EdgeKind::kKeeperOf;
  std::int64_t time = 0;
};

struct PropFact {
  std::uint32_t node = 0;  // node index within the record
  std::string_view name;   // a string literal
  TextRef value;
  std::uint64_t value_hash = 0;  // GraphBuilder::ValueHash(value), by the parsing thread
};

// A record's access label by names (interned into the builder in phase (b)).
struct LabelFact {
  Classification classification = Classification::kOfficial;
  std::string force;                 // owning force, upper-cased
  std::vector<std::string> caveats;  // sorted, distinct
  friend bool operator==(const LabelFact&, const LabelFact&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const LabelFact& l) {
    return H::combine(std::move(h), static_cast<int>(l.classification), l.force, l.caveats);
  }
};

struct RecordFacts {
  std::uint64_t offset = 0, index = 0;
  TextRef record_id;
  std::uint32_t label = 0;  // index into ChunkFacts::labels
  std::uint32_t node_begin = 0, node_end = 0;
  std::uint32_t edge_begin = 0, edge_end = 0;
  std::uint32_t prop_begin = 0, prop_end = 0;
  std::uint32_t read_site = kNone;     // ANPR reads: the node (in the record) of the site read at
  std::uint32_t defined_site = kNone;  // ANPR sites: the node (in the record) of the site
};

// A name + date of birth under which a PNC nominal can be found ("FORENAME|SURNAME|DOB").
struct NameIndexEntry {
  std::string key;
  std::string pnc_id;
  std::string record_id;
  std::string how;  // e.g. "alias 'JOHNNY SMITH', alternative dob 1990-02-01"
};

// A PNC vehicle displaying a VRM.
struct VrmIndexEntry {
  std::string vrm;
  std::string vehicle_key;
  std::int64_t since = 0;
};

// The facts of a run of consecutive records of one extract (one ExtractReader::Chunk). Chunks
// are parsed in parallel and applied in file order.
struct ChunkFacts {
  Source source = Source::kPnc;
  std::string chars;                 // the text of every TextRef below
  std::vector<RecordFacts> records;  // accepted records, in file order
  std::vector<LabelFact> labels;
  std::vector<NodeFact> nodes;
  std::vector<PersonKeyFact> people;
  std::vector<PositionFact> positions;
  std::vector<EdgeFact> edges;
  std::vector<PropFact> props;
  std::vector<NameIndexEntry> names;  // PNC nominals (index-only chunks)
  std::vector<VrmIndexEntry> vrms;    // PNC vehicles (index-only chunks)
  std::vector<QuarantineEntry> quarantine;
  // OK, or why the chunk's bytes could not be read whole (the file changed after its scan, or
  // an I/O error): the facts are then partial and the ingest fails with this status.
  absl::Status status;

  std::string_view Text(TextRef t) const { return std::string_view(chars.data() + t.at, t.size); }
  // Appends `s` (which may view `chars` itself) and returns where it is.
  TextRef AddText(std::string_view s) {
    TextRef t{chars.size(), static_cast<std::uint32_t>(s.size())};
    if (!chars.empty() && s.data() >= chars.data() && s.data() < chars.data() + chars.size()) {
      chars.append(chars, static_cast<std::size_t>(s.data() - chars.data()), s.size());
    } else {
      chars.append(s.data(), s.size());
    }
    return t;
  }
};

// Appends the facts of one record to a ChunkFacts, and rolls them back when the record turns
// out to be invalid. Not thread-safe (one per chunk being parsed).
// Its tables are std::unordered_map, safe when an insert throws (graph/text_hash.h).
//
// Two uses besides the plain one: an index-only sink keeps just the records and the PNC index
// entries (names, VRMs) and drops node, edge, property and position facts (the first PNC pass
// needs nothing else); and a record marked trusted — one that an earlier pass over the same
// bytes accepted — skips the field rules, which are pure functions of those bytes.
class RecordSink {
 public:
  RecordSink(const std::string* path, ChunkFacts* chunk, bool index_only = false)
      : path_(path), file_(chunk), index_only_(index_only) {}

  // Starts a record at this frame; `trusted`: an earlier pass accepted these bytes.
  void Begin(std::uint64_t offset, std::uint64_t index, bool trusted = false);
  bool trusted() const { return trusted_; }
  // An index-only sink (the first PNC pass): the only one whose PNC name and VRM index entries
  // are read (Resolver::Index), so the only one that builds them.
  bool index_only() const { return index_only_; }
  void Trust() { trusted_ = true; }  // the record's bytes passed the field rules already
  // Sets the validated meta of the record being built.
  void SetMeta(std::string record_id, LabelFact label);
  // Sets the record's id and a label already in the chunk (one that SetMeta gave, label()).
  void SetMetaLabel(std::string_view record_id, std::uint32_t label);
  std::uint32_t label() const { return current_.label; }

  // The labels of the markings met in this sink, by the markings' raw values (ApplyMeta keeps
  // it): records of a chunk share a few dozen markings, which then need no normalising, sorting
  // or LabelFact. An entry goes when the record that added its label is quarantined.
  struct MarkingCache {
    std::unordered_map<std::string, std::uint32_t, internal::TextHash, std::equal_to<>>
        label_by_raw;
    std::string scratch;  // the raw key being looked up
    // A direct-mapped front of label_by_raw for markings whose force and caveats (at most
    // two) are at most 16 bytes each: the marking packed into seven words with no string
    // built, looked up by a multiply hash of them (session 9: ApplyMeta ~345 -> ~213
    // instructions a record, 68 of them the record id's copy). A slot whose label is kNone
    // is empty; a collision only falls back on the map.
    struct Recent {
      std::array<std::uint64_t, 7> key{};
      std::uint32_t label = kNone;
    };
    static constexpr int kRecentBits = 9;
    std::array<Recent, std::size_t{1} << kRecentBits> recent;
  };
  MarkingCache& marking_cache() { return marking_cache_; }
  // ANPR reads' per-chunk shortcut (facts_anpr.cc): each site met before, by its raw id, with
  // its key's text and NodeHash. An entry goes when its text does (a quarantine).
  struct AnprCache {
    struct Site {
      TextRef key;
      std::uint64_t hash = 0;
    };
    std::unordered_map<std::string, Site, internal::TextHash, std::equal_to<>>
        sites;  // by raw site id
  };
  AnprCache& anpr_cache() { return anpr_cache_; }
  // The owning force of the record's label (set by SetMeta / SetMetaLabel).
  std::string_view force() const {
    if (current_.label >= file_->labels.size()) return {};
    return file_->labels[current_.label].force;
  }
  // The record id SetMeta gave (a view into the chunk's text: copy it before adding text).
  std::string_view record_id() const { return file_->Text(current_.record_id); }

  // Nodes and properties; the strings are copied into the chunk's text.
  std::uint32_t Node(NodeKind kind, std::string_view key);
  std::uint32_t Unresolved(NodeFact fact, std::string_view key);
  // A node whose key is already in the chunk's text, with its GraphBuilder::NodeHash.
  std::uint32_t NodeHashed(NodeKind kind, TextRef key, std::uint64_t hash);
  std::uint32_t PersonByName(PersonKeyFact person);
  // Keys and values written in place: append the text to text() (the chunk's text: views into
  // it are invalidated by appending), then make the node or property of what was appended
  // since `at` (text().size() before appending), so that the text needs no string of its own.
  // In an index-only sink the text is dropped again; an empty value is no property.
  std::string& text() { return file_->chars; }
  std::uint32_t NodeAt(NodeKind kind, std::size_t at);
  void PropAt(std::uint32_t node, std::string_view name, std::size_t at);
  void Position(std::uint32_t node, double latitude, double longitude);
  void Edge(std::uint32_t from, std::uint32_t to, EdgeKind kind, std::int64_t time);
  void Prop(std::uint32_t node, std::string_view name, std::string_view value);
  // Prop with the value's GraphBuilder::ValueHash already known (Commit then skips it).
  void PropHashed(std::uint32_t node, std::string_view name, std::string_view value,
                  std::uint64_t value_hash);
  void SetReadSite(std::uint32_t node) { current_.read_site = node; }
  void SetDefinedSite(std::uint32_t node) { current_.defined_site = node; }
  ChunkFacts& chunk() { return *file_; }

  // Keeps the record's facts.
  void Commit();
  // Drops the record's facts (and index entries) and quarantines it with `reason`.
  void Quarantine(std::string record_id, std::string reason);

 private:
  const std::string* path_;
  ChunkFacts* file_;
  bool index_only_ = false;
  bool trusted_ = false;
  std::uint32_t index_only_nodes_ = 0;  // index-only: nodes of the record so far
  RecordFacts current_;
  std::unordered_map<LabelFact, std::uint32_t, absl::Hash<LabelFact>> label_index_;  // labels
  MarkingCache marking_cache_;
  AnprCache anpr_cache_;
  std::size_t labels_begin_ = 0, people_begin_ = 0, positions_begin_ = 0;
  std::size_t names_begin_ = 0, vrms_begin_ = 0, chars_begin_ = 0;
};

// Phase (a) for one record of each source: validates `record` and appends its facts, or
// quarantines it. The record has parsed; `extracted_at` bounds its dates and times.
void PncFacts(const google::protobuf::Message& record, std::int64_t extracted_at, RecordSink* sink);
void PndFacts(const google::protobuf::Message& record, std::int64_t extracted_at, RecordSink* sink);
void AnprFacts(const google::protobuf::Message& record, std::int64_t extracted_at,
               RecordSink* sink);

// Phase (a) for one chunk: parses, validates and records the facts of every record frame of
// `chunk`, or quarantines the record (read_file.cc). Thread-safe on one reader with a distinct
// ChunkParser per thread.
class ChunkParser {
 public:
  ChunkParser();
  ~ChunkParser();
  ChunkParser(const ChunkParser&) = delete;
  ChunkParser& operator=(const ChunkParser&) = delete;

  // `index_only`: see RecordSink. `trusted`, when given, is indexed by record index in the
  // file: non-zero marks a record an earlier pass accepted. A chunk whose bytes cannot be
  // read whole comes back with ChunkFacts::status set.
  ChunkFacts Parse(const ExtractReader& reader, const ExtractReader::Chunk& chunk,
                   bool index_only = false, const std::uint8_t* trusted = nullptr);

 private:
  // Records are parsed into messages on an arena that starts in this block and is reset every
  // few records, so the memory stays in cache (TOOLCHAIN.md: keeping parsed messages alive
  // halves decode speed) and a record's sub-messages and strings cost a bump allocation, not a
  // malloc and a free (a reused message frees its oneof sub-message at every Clear).
  std::unique_ptr<char[]> arena_block_;
  // The chunk's bytes, read by ExtractReader::ForEachRecord (a copy from the page cache costs
  // less than mapping it here); reused, so its pages fault in once per thread.
  std::string bytes_;
  // The wire decoder's views of a PND record, reused from record to record (pnd_decode.h).
  std::unique_ptr<struct PndFields> pnd_fields_;
  std::unique_ptr<struct PncFields> pnc_fields_;  // the same for PNC (pnc_decode.h)
  // The sizes of the facts of the last chunk parsed per source and pass, per record of that
  // chunk: the next chunk's arrays are reserved from them, so they neither grow by doubling
  // (copying, and leaving up to half their capacity unused while the chunk waits to be
  // applied) nor keep much slack.
  struct SizeHint {
    double chars = 0, records = 0, labels = 0, nodes = 0, people = 0, positions = 0, edges = 0,
           props = 0, names = 0, vrms = 0;
  };
  SizeHint hints_[3][2];  // [Source][index_only]
};

// The source system an extract header names, or InvalidArgument naming `path`.
absl::StatusOr<Source> HeaderSource(const pb::ExtractHeader& header, const std::string& path);

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_FACTS_H_
