// Internal to ingest: PNC records read straight from their wire bytes by a hand-written decoder
// (pnc_decode.cc) into flat views (ref_views.h and below) with the accessors of the generated
// classes, so that the facts code of the protobuf path (facts_pnc.cc) runs on them unchanged.
// This serves the second PNC pass (the graph facts); the first pass, which needs only the
// indexes, has its own lighter decoder (pnc_index_decode.h).
//
// A fast path, not a second parser with its own verdicts (as pnd_decode.h): the decoder takes a
// record only when protobuf would parse it into exactly these values and the field rules
// (ValidateFields) accept it; for anything else the caller runs the protobuf path, which gives
// the verdict and the quarantine reason. For a record it takes, PncFieldsFacts gives the facts,
// or the quarantine reason, that PncFacts gives for the parsed record.
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_PNC_DECODE_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_PNC_DECODE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "ingest/internal/facts.h"
#include "ingest/internal/ref_views.h"
#include "ingest/internal/validate.h"
#include "polegraph/pnc.pb.h"

namespace polegraph::ingest_internal::pnc_view {

using view::Address;
using view::Date;
using view::PersonName;
using view::PersonRef;

struct Arrest {
  std::string_view arrest_id_, offence_code_, crime_reference_, arresting_force_;
  std::int64_t arrested_at_ = 0;
  std::string_view arrest_id() const { return arrest_id_; }
  std::string_view offence_code() const { return offence_code_; }
  std::string_view crime_reference() const { return crime_reference_; }
  std::string_view arresting_force() const { return arresting_force_; }
  std::int64_t arrested_at() const { return arrested_at_; }
};

struct Disposal {
  std::int32_t type_ = 0;
  std::string_view offence_code_, court_, crime_reference_, outcome_;
  std::int64_t offence_date_ = 0, disposal_date_ = 0;
  pb::DisposalType type() const { return static_cast<pb::DisposalType>(type_); }
  std::string_view offence_code() const { return offence_code_; }
  std::string_view court() const { return court_; }
  std::string_view crime_reference() const { return crime_reference_; }
  std::string_view outcome() const { return outcome_; }
  std::int64_t offence_date() const { return offence_date_; }
  std::int64_t disposal_date() const { return disposal_date_; }
};

struct Nominal {
  MetaFields meta;
  std::string_view pnc_id_, cro_number_;
  PersonName name_;
  std::vector<PersonName> aliases_;
  Date date_of_birth_;
  std::vector<Date> alternative_dates_of_birth_;
  std::int32_t sex_ = 0;
  std::vector<Address> addresses_;
  std::vector<std::int32_t> warning_markers_;
  std::vector<Arrest> arrests_;
  std::vector<Disposal> disposals_;
  bool wanted_ = false, missing_ = false;
  std::string_view pnc_id() const { return pnc_id_; }
  std::string_view cro_number() const { return cro_number_; }
  const PersonName& name() const { return name_; }
  const std::vector<PersonName>& aliases() const { return aliases_; }
  const Date& date_of_birth() const { return date_of_birth_; }
  const std::vector<Date>& alternative_dates_of_birth() const {
    return alternative_dates_of_birth_;
  }
  pb::Sex sex() const { return static_cast<pb::Sex>(sex_); }
  const std::vector<Address>& addresses() const { return addresses_; }
  const std::vector<std::int32_t>& warning_markers() const { return warning_markers_; }
  const std::vector<Arrest>& arrests() const { return arrests_; }
  int disposals_size() const { return static_cast<int>(disposals_.size()); }
  const Disposal& disposals(int i) const { return disposals_[static_cast<std::size_t>(i)]; }
  bool wanted() const { return wanted_; }
  bool missing() const { return missing_; }
};

struct Keeper {
  bool has_person_ = false;  // the person field is present (for the first pass's checks)
  PersonRef person_;
  std::int64_t since_ = 0;
  const PersonRef& person() const { return person_; }
  std::int64_t since() const { return since_; }
};

struct StolenReport {
  std::int64_t reported_at_ = 0, recovered_at_ = 0;
  std::string_view crime_reference_;
  std::int64_t reported_at() const { return reported_at_; }
  std::int64_t recovered_at() const { return recovered_at_; }
  std::string_view crime_reference() const { return crime_reference_; }
};

struct Vehicle {
  MetaFields meta;
  std::string_view vrm_, vin_, make_, model_, colour_;
  bool has_keeper_ = false;
  Keeper keeper_;
  std::vector<StolenReport> stolen_reports_;
  std::int64_t vrm_since_ = 0;
  std::string_view vrm() const { return vrm_; }
  std::string_view vin() const { return vin_; }
  std::string_view make() const { return make_; }
  std::string_view model() const { return model_; }
  std::string_view colour() const { return colour_; }
  bool has_keeper() const { return has_keeper_; }
  const Keeper& keeper() const { return keeper_; }
  const std::vector<StolenReport>& stolen_reports() const { return stolen_reports_; }
  std::int64_t vrm_since() const { return vrm_since_; }
};

}  // namespace polegraph::ingest_internal::pnc_view

namespace polegraph::ingest_internal {

// A pb::PncRecord's values: the oneof case and the fields of the case that is set. Reused from
// record to record (the vectors keep their storage).
struct PncFields {
  enum class Case : std::uint8_t { kNone, kNominal, kVehicle };
  Case which = Case::kNone;
  pnc_view::Nominal nominal;
  pnc_view::Vehicle vehicle;
};

// The nesting depth below the record that DecodePnc follows (PncRecord > Vehicle > Keeper >
// PersonRef > Address): use it only when ExtractLimits::max_nesting is at least this, since
// protobuf rejects deeper records.
inline constexpr int kPncDecodeDepth = 4;

// Decodes `payload`, a serialised pb::PncRecord, into *out. True only when protobuf would parse
// the payload (ExtractReader::Parse) into a record with exactly these values, a case is set,
// and every field rule of ValidateFields(record, extracted_at) passes. False — with *out
// unspecified — for anything else: malformed or truncated wire data, an unknown field or wire
// type, a field number or varint in a longer form than needed, a singular field or sub-message
// given twice or both cases of the oneof (left to protobuf), no case set, or a value a field
// rule rejects. Repeated warning markers may come packed or not, as protobuf reads them.
// Thread-safe (touches only *out). Cost: O(payload bytes); no allocation beyond the vectors'
// growth.
bool DecodePnc(std::string_view payload, std::int64_t extracted_at, PncFields* out);

// Phase (a) for one PNC record that DecodePnc took: applies its marking and appends its facts
// (and index entries), or quarantines it, exactly as PncFacts does for the parsed record.
void PncFieldsFacts(const PncFields& record, RecordSink* sink);

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_PNC_DECODE_H_
