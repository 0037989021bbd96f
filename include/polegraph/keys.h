// polegraph/keys.h — normalisation and validation of the identifiers that resolve entities
// (DOMAIN.md): VRMs, VINs, PNC IDs, CRO numbers, names, postcodes.
//
// Ingest normalises every key with these functions before resolving records onto nodes, and
// Graph::Resolve applies the same normalisation to a user's "kind:key" (NormaliseKey), so
// "plate:ab12 cde" finds the node "plate:AB12CDE". graph.h tables the key form of each node
// kind and its normalisation.
//
// Example:
//   polegraph::NormaliseVrm(" ab12 cde ")   -> "AB12CDE"
//   polegraph::IsValidVrm("AB12CDE")        -> true  (current format)
//   polegraph::NormalisePncId("16/1234J")   -> "16/0001234J" (the check letter is right);
//   polegraph::NormalisePncId("16/1234A")   -> InvalidArgument (wrong check letter)
#ifndef POLEGRAPH_KEYS_H_
#define POLEGRAPH_KEYS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "polegraph/types.h"

namespace polegraph {

// Upper-cases and removes spaces, hyphens and dots.
std::string NormaliseVrm(std::string_view vrm);
// Accepts current (AB12CDE), prefix (A123BCD), suffix (ABC123D) and dateless / personalised
// marks (1-4 letters and 1-4 digits in either order, at most 7 characters) of a normalised VRM.
bool IsValidVrm(std::string_view normalised_vrm);
// Upper-cased, spaces removed; valid when 17 characters of A-Z/0-9 without I, O or Q.
std::string NormaliseVin(std::string_view vin);
bool IsValidVin(std::string_view normalised_vin);
// "YY/NNNNNNNA" with the serial zero-padded to 7 digits; checks the check letter.
absl::StatusOr<std::string> NormalisePncId(std::string_view pnc_id);
// "NNNNNN/YYA"; checks the shape (serial of up to 6 digits, two-digit year, letter).
absl::StatusOr<std::string> NormaliseCroNumber(std::string_view cro);
// Case- and accent-folded, punctuation removed, runs of spaces collapsed: "O'Brien-Smith, Seán"
// -> "OBRIEN SMITH SEAN". Input must be UTF-8 (invalid bytes are dropped).
std::string FoldName(std::string_view name);
// Upper-cased, single space before the inward code: "sw1a1aa" -> "SW1A 1AA".
std::string NormalisePostcode(std::string_view postcode);
// True when `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);
// Normalises the key part of "kind:key" for a node kind, as Graph::Resolve does (the key
// forms are tabled in graph.h). Surrounding whitespace is trimmed, then:
//   plate     NormaliseVrm (upper-cased; spaces, '-' and '.' removed)
//   vehicle   NormaliseVin (upper-cased, whitespace removed)
//   person    NormalisePncId when it parses ("16/1234j" -> "16/0001234J"); otherwise
//             upper-cased ("smith/john/1990-01-02" -> "SMITH/JOHN/1990-01-02", not folded)
//   offence   upper-cased ("wmp/wmp/0000001/24" -> "WMP/WMP/0000001/24")
//   location  upper-cased ("site-m6-0042-n" -> "SITE-M6-0042-N")
// Never fails: a key that is not valid for its kind is returned normalised as far as it goes
// (and then simply is not found).
std::string NormaliseKey(NodeKind kind, std::string_view key);

}  // namespace polegraph

#endif  // POLEGRAPH_KEYS_H_
