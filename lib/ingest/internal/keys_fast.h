// Internal to ingest: fast forms of the key normalisers of polegraph/keys.h that the parse
// workers call for nearly every record (names, PNC IDs, postcodes, times). Each gives exactly
// what its keys.h counterpart gives, for every input: the common case (ASCII text, a well-formed
// PNC ID) is handled inline without allocation beyond the result, and anything else is handed
// to the keys.h function itself.
#ifndef POLEGRAPH_LIB_INGEST_INTERNAL_KEYS_FAST_H_
#define POLEGRAPH_LIB_INGEST_INTERNAL_KEYS_FAST_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace polegraph::ingest_internal {

// FoldName(name) (keys.h). Cost: O(name), one pass for ASCII names.
std::string FastFoldName(std::string_view name);

// NormalisePncId(pnc_id) (keys.h), with the same error status when it fails.
absl::StatusOr<std::string> FastPncId(std::string_view pnc_id);

// The upper-cased text without whitespace (' ', '\t', '\n', '\r', '\v'): NoSpaces of
// NormalisePostcode(postcode), and NormaliseVin(vin) (keys.h).
std::string UpperNoSpaces(std::string_view s);

// "YYYY-MM-DDTHH:MM:SSZ" of a UTC time: TimeString (validate.h) for years 1000-9999 without
// absl's civil-time conversion. False (and *out untouched) for times outside those years.
bool FastTimeString(std::int64_t seconds, std::string* out);

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_KEYS_FAST_H_
