// Internal to ingest: flat views of the schemas' shared messages (common.proto) as read from a
// record's wire bytes by the hand-written decoders (ref_decode.h): text fields are views into
// the bytes. Each view holds the values of one message (defaults when absent), with the
// accessors of its generated class that the facts code (fact_refs.h) calls, so that the same
// code gives the facts of a parsed message and of a decoded one.
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_REF_VIEWS_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_REF_VIEWS_H_

#include <cstdint>
#include <string_view>

#include "polegraph/common.pb.h"

namespace polegraph::ingest_internal::view {

struct Date {
  std::int32_t year_ = 0, month_ = 0, day_ = 0;
  std::int32_t year() const { return year_; }
  std::int32_t month() const { return month_; }
  std::int32_t day() const { return day_; }
};

struct PersonName {
  std::string_view forename_, middle_names_, surname_;
  std::string_view forename() const { return forename_; }
  std::string_view middle_names() const { return middle_names_; }
  std::string_view surname() const { return surname_; }
};

struct Address {
  std::string_view uprn_, line_, town_, postcode_;
  double latitude_ = 0, longitude_ = 0;
  std::string_view uprn() const { return uprn_; }
  std::string_view line() const { return line_; }
  std::string_view town() const { return town_; }
  std::string_view postcode() const { return postcode_; }
  double latitude() const { return latitude_; }
  double longitude() const { return longitude_; }
};

struct PersonRef {
  std::string_view pnc_id_;
  PersonName name_;
  Date date_of_birth_;
  std::int32_t sex_ = 0;
  bool has_address_ = false;
  Address address_;
  std::string_view pnc_id() const { return pnc_id_; }
  const PersonName& name() const { return name_; }
  const Date& date_of_birth() const { return date_of_birth_; }
  pb::Sex sex() const { return static_cast<pb::Sex>(sex_); }
  bool has_address() const { return has_address_; }
  const Address& address() const { return address_; }
};

struct VehicleRef {
  std::string_view vrm_, vin_, make_, model_, colour_;
  std::string_view vrm() const { return vrm_; }
  std::string_view vin() const { return vin_; }
  std::string_view make() const { return make_; }
  std::string_view model() const { return model_; }
  std::string_view colour() const { return colour_; }
};

}  // namespace polegraph::ingest_internal::view

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_REF_VIEWS_H_
