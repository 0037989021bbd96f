// DecodePncIndex (internal/pnc_index_decode.h): what the first PNC pass of Ingest needs of a
// record — which records are accepted and what they add to the name and VRM indexes — read
// from the wire bytes, without a protobuf parse (the rules and entries: pnc_index_facts.cc).
//
// How: the record is decoded by DecodePnc (pnc_decode.cc: one strict pass over the wire format
// that checks every field rule as it reads, and gives up on anything protobuf might read
// differently), and the values the index needs are copied out of its views (views into the
// payload, no text copied). Reading the whole record costs little more than skipping the fields
// the index does not need, since each must still be checked; one decoder serves both passes.
// Cost: O(payload bytes).
#include "ingest/internal/pnc_index_decode.h"


#include "ingest/internal/pnc_decode.h"
#include "polegraph/pnc.pb.h"

namespace polegraph::ingest_internal {

void PncIndexFields::Clear() {
  which = Case::kNone;
  meta.Clear();
  pnc_id = cro_number = {};
  names.clear();
  date_of_birth = {};
  alternative_dobs.clear();
  addresses.clear();
  arrests = arrests_without_reference = disposals = disposals_unspecified = 0;
  vrm = vin = {};
  vrm_since = 0;
  has_keeper = keeper_has_person = keeper_has_address = false;
  keeper_pnc_id = {};
  keeper_name = {};
  keeper_dob = {};
  keeper_address = {};
}

namespace {

PncIndexFields::Name NameOf(const view::PersonName& n) { return {n.forename(), n.surname()}; }

PncIndexFields::DateParts DateOf(const view::Date& d) { return {d.year(), d.month(), d.day()}; }

PncIndexFields::Address AddressOf(const view::Address& a) {
  return {a.uprn(), a.line(), a.town(), a.postcode()};
}

}  // namespace

bool DecodePncIndex(std::string_view payload, std::int64_t extracted_at, PncIndexFields* out) {
  thread_local PncFields record;  // reused: its vectors keep their storage
  out->Clear();
  if (!DecodePnc(payload, extracted_at, &record)) return false;
  if (record.which == PncFields::Case::kNominal) {
    const pnc_view::Nominal& n = record.nominal;
    out->which = PncIndexFields::Case::kNominal;
    out->meta = n.meta;
    out->pnc_id = n.pnc_id();
    out->cro_number = n.cro_number();
    out->names.push_back(NameOf(n.name()));
    for (const view::PersonName& a : n.aliases()) out->names.push_back(NameOf(a));
    out->date_of_birth = DateOf(n.date_of_birth());
    for (const view::Date& d : n.alternative_dates_of_birth()) {
      out->alternative_dobs.push_back(DateOf(d));
    }
    for (const view::Address& a : n.addresses()) out->addresses.push_back(AddressOf(a));
    for (const pnc_view::Arrest& a : n.arrests()) {
      ++out->arrests;
      if (a.crime_reference().empty() && a.arrest_id().empty()) ++out->arrests_without_reference;
    }
    for (int i = 0; i < n.disposals_size(); ++i) {
      ++out->disposals;
      if (n.disposals(i).type() == pb::DISPOSAL_UNSPECIFIED) ++out->disposals_unspecified;
    }
  } else {
    const pnc_view::Vehicle& v = record.vehicle;
    out->which = PncIndexFields::Case::kVehicle;
    out->meta = v.meta;
    out->vrm = v.vrm();
    out->vin = v.vin();
    out->vrm_since = v.vrm_since();
    out->has_keeper = v.has_keeper();
    out->keeper_has_person = v.keeper().has_person_;
    const view::PersonRef& k = v.keeper().person();
    out->keeper_pnc_id = k.pnc_id();
    out->keeper_name = NameOf(k.name());
    out->keeper_dob = DateOf(k.date_of_birth());
    out->keeper_has_address = k.has_address();
    out->keeper_address = AddressOf(k.address());
  }
  return true;
}

}  // namespace polegraph::ingest_internal
