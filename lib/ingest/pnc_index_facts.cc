// PncIndexFieldsFacts (internal/pnc_index_decode.h): the first PNC pass for a record that
// DecodePncIndex took.
//
// How: PncFacts' acceptance rules repeated on the decoded values (valid PNC ID and CRO number,
// set alternative dobs, keyed addresses, arrests with a reference, disposals with a type; a
// valid VRM and VIN, a keeper known by PNC ID or name + dob), then the marking (ApplyMeta, as
// RecordKindFacts) and the same name or VRM index entries PncFacts builds (facts_pnc.cc), in
// the same order. Any rule failing is left to PncFacts, which gives the reason.
// Cost: what PncFacts spends on the entries; the rules are O(size of the checked fields).
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ingest/internal/keys_fast.h"
#include "ingest/internal/pnc_index_decode.h"
#include "polegraph/keys.h"

namespace polegraph::ingest_internal {
namespace {

using Fields = PncIndexFields;

bool IsSet(const Fields::DateParts& d) { return d.year != 0 || d.month != 0 || d.day != 0; }

std::string DateText(const Fields::DateParts& d) {
  return ingest_internal::DateText(d.year, d.month, d.day);
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }

// AddressNode's rule: a UPRN, or a postcode and first line, or nothing at all. (A key part is
// there when KeyPart(uprn) has a character other than a space, NormalisePostcode(postcode)
// when the postcode has one that is not whitespace, the line when it folds to anything.)
bool AddressOk(const Fields::Address& a) {
  const bool uprn = !KeyPartEmpty(a.uprn);
  const bool postcode = std::find_if_not(a.postcode.begin(), a.postcode.end(), IsBlank) !=
                        a.postcode.end();
  const bool line = !FoldsEmpty(a.line);
  return uprn || (postcode && line) || (!postcode && !line && a.town.empty());
}

bool PncIdOk(std::string_view pnc_id) {
  char text[11];
  return PncIdText(pnc_id, text) || FastPncId(pnc_id).ok();
}

// Applies the marking as RecordKindFacts does; on failure quarantines the record (the reason
// PncFacts would give: the marking is checked first) and returns false.
bool Meta(const Fields& d, RecordSink* sink) {
  const absl::Status s = ApplyMeta(d.meta, sink);
  if (s.ok()) return true;
  sink->Quarantine(std::string(d.meta.record_id), std::string(s.message()));
  return false;
}

bool NominalIndex(const Fields& d, RecordSink* sink) {
  if (d.pnc_id.empty()) return false;
  std::string pnc;
  if (char id[11]; PncIdText(d.pnc_id, id)) {
    pnc.assign(id, sizeof id);
  } else {
    absl::StatusOr<std::string> normalised = FastPncId(d.pnc_id);
    if (!normalised.ok()) return false;
    pnc = *std::move(normalised);
  }
  if (!d.cro_number.empty() && !NormaliseCroNumber(d.cro_number).ok()) return false;
  if (d.arrests_without_reference != 0 || d.disposals_unspecified != 0) return false;
  for (const Fields::DateParts& dob : d.alternative_dobs) {
    if (!IsSet(dob)) return false;
  }
  for (const Fields::Address& a : d.addresses) {
    if (!AddressOk(a)) return false;
  }
  if (!Meta(d, sink)) return true;
  std::vector<std::string> dobs;
  const bool has_dob = IsSet(d.date_of_birth);
  if (has_dob) dobs.push_back(DateText(d.date_of_birth));
  for (const Fields::DateParts& dob : d.alternative_dobs) dobs.push_back(DateText(dob));
  std::string fore, sur;
  for (std::size_t i = 0; i < d.names.size(); ++i) {
    fore.clear();
    sur.clear();
    AppendFoldName(d.names[i].forename, &fore);
    AppendFoldName(d.names[i].surname, &sur);
    if (fore.empty() || sur.empty()) continue;
    for (std::size_t j = 0; j < dobs.size(); ++j) {
      NameIndexEntry e;
      e.key = absl::StrCat(fore, "|", sur, "|", dobs[j]);
      e.pnc_id = pnc;
      e.record_id = sink->record_id();
      e.how = absl::StrCat(i == 0 ? "name '" : "alias '", fore, " ", sur, "', ",
                           j == 0 && has_dob ? "dob " : "alternative dob ", dobs[j]);
      sink->chunk().names.push_back(std::move(e));
    }
  }
  sink->Commit();
  return true;
}

bool VehicleIndex(const Fields& d, RecordSink* sink) {
  std::string vrm = NormaliseVrm(d.vrm);
  if (vrm.empty() || !FastIsValidVrm(vrm)) return false;
  std::string vin = UpperNoSpaces(d.vin);
  if (!vin.empty() && !IsValidVin(vin)) return false;
  if (d.has_keeper) {  // PersonRefNode's rules on the keeper's person (default when absent)
    if (!d.keeper_pnc_id.empty()) {
      if (!PncIdOk(d.keeper_pnc_id)) return false;
    } else if (FoldsEmpty(d.keeper_name.forename) || FoldsEmpty(d.keeper_name.surname) ||
               !IsSet(d.keeper_dob)) {
      return false;
    }
    if (d.keeper_has_address && !AddressOk(d.keeper_address)) return false;
  }
  if (!Meta(d, sink)) return true;
  std::string key = vin.empty() ? absl::StrCat("VRM-", vrm) : std::move(vin);
  sink->chunk().vrms.push_back(VrmIndexEntry{std::move(vrm), std::move(key), d.vrm_since});
  sink->Commit();
  return true;
}

}  // namespace

bool PncIndexFieldsFacts(const PncIndexFields& record, RecordSink* sink) {
  switch (record.which) {
    case PncIndexFields::Case::kNominal:
      return NominalIndex(record, sink);
    case PncIndexFields::Case::kVehicle:
      return VehicleIndex(record, sink);
    default:
      return false;
  }
}

}  // namespace polegraph::ingest_internal
