// Internal to ingest: phase (b), entity resolution. Applies the facts of every file, in a fixed
// order, to one GraphBuilder (resolve.cc).
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_RESOLVE_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_RESOLVE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
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
//     vrm_since, then the greatest key), else "VRM-<VRM>" with DISPLAYS to the plate.
// Not thread-safe. Index() every file before the first Apply().
class Resolver {
 public:
  explicit Resolver(GraphBuilder* builder) : builder_(builder) {}

  void Index(const FileFacts& file);
  void Apply(const FileFacts& file, GraphBuilder::ExtractHandle extract);
  std::uint64_t merges() const { return merges_; }

 private:
  struct NameMatch {
    std::string pnc_id, record_id, how;
  };
  // Where a node came from: the record that first asserted it ("PNC NOM-1").
  // The record that first made a node (shown as "<source> <record id>" in merge texts). The
  // record id points into the FileFacts being applied, which outlive the Resolver's use.
  struct Origin {
    RecordNo record = kNoRecord;  // kNoRecord: no origin yet
    Source source = Source::kPnc;
    const std::string* record_id = nullptr;
  };
  struct Context {
    RecordNo record;
    LabelId label;
    Source source;
    const std::string* record_id;  // with `source`, "PND CR-9": the record being applied
  };

  GraphBuilder::Handle Touch(NodeKind kind, const std::string& key, const Context& c,
                             std::optional<MergeRule> rule, std::string_view what);
  GraphBuilder::Handle ResolvePerson(const NodeFact& f, const std::vector<PersonKeyFact>& people,
                                     const Context& c);
  GraphBuilder::Handle ResolveVehicleByVrm(const NodeFact& f, const Context& c);

  GraphBuilder* builder_;
  absl::flat_hash_map<std::string, std::vector<NameMatch>> names_;  // distinct PNC IDs
  absl::flat_hash_map<std::string, VrmIndexEntry> vrms_;
  Origin& OriginOf(GraphBuilder::Handle h);

  std::vector<Origin> origin_;  // by node handle
  std::uint64_t merges_ = 0;
};

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_RESOLVE_H_
