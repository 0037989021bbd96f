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
#include "polegraph/keys.h"

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
// The same into out[0, 20).
bool FastTimeText(std::int64_t seconds, char* out);

// The appending forms below write straight into `out` (a chunk's text, ChunkFacts::chars), so
// that a key or value needs no string of its own. Each appends exactly what its counterpart
// returns.

// Appends FastFoldName(name).
void AppendFoldName(std::string_view name, std::string* out);
// Appends FoldName(name) without its spaces (the key part of an address's first line).
void AppendFoldNoSpaces(std::string_view name, std::string* out);
// Whether FoldName(name) is empty, without building it.
bool FoldsEmpty(std::string_view name);
// Appends UpperNoSpaces(s).
void AppendUpperNoSpaces(std::string_view s, std::string* out);
// Appends s upper-cased without its ' ' (other whitespace kept): NoSpaces(KeyPart(s)).
void AppendUpperNoBlanks(std::string_view s, std::string* out);
// Whether KeyPart(s) (validate.h: trimmed of ' ', upper-cased) is empty.
inline bool KeyPartEmpty(std::string_view s) {
  return s.find_first_not_of(' ') == std::string_view::npos;
}

// NormalisePncId(pnc_id) into out[0, 11) ("YY/NNNNNNNA") for a well-formed ID; false for any
// other input (then FastPncId gives the result or the error).
bool PncIdText(std::string_view pnc_id, char* out);

// IsValidVrm(vrm) (keys.h): the current format ("AB12CDE", nearly every plate read) by its
// seven character classes inline, anything else by IsValidVrm itself.
inline bool FastIsValidVrm(std::string_view v) {
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  // Two letters, two digits, three letters are exactly IsValidVrm's runs (2, 2, 3) of the
  // current format: valid. Any other text gets IsValidVrm's own verdict.
  if (v.size() == 7 && upper(v[0]) && upper(v[1]) && digit(v[2]) && digit(v[3]) && upper(v[4]) &&
      upper(v[5]) && upper(v[6])) {
    return true;
  }
  return IsValidVrm(v);
}

}  // namespace polegraph::ingest_internal

#endif  // POLEGRAPH_LIB_INGEST_INTERNAL_KEYS_FAST_H_
