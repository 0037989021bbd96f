// Normalisation and validation of identifier keys (keys.h): VRMs, VINs, PNC IDs, CRO numbers,
// postcodes and "kind:key" names. Names (FoldName) and UTF-8 live in fold_name.cc.
//
// PNC ID check letter. A PNC ID is YY/NNNNNNNA: the two-digit year of creation, a serial of up
// to seven digits and a check letter. The check letter is found by reading the year followed
// by the serial zero-padded to seven digits as one nine-digit number, taking it modulo 23, and
// indexing the 23-letter table "ZABCDEFGHJKLMNPQRTUVWXY" (A-Z without I, O and S; Z for 0).
// Source: the PNC ID validator of the Ministry of Justice's person record service
// (github.com/ministryofjustice/hmpps-person-record, PNCIdValidator.kt), which implements the
// published PNC rule. Worked example: 16/1234 -> 160001234 = 23 * 6956575 + 9 -> table[9] = 'J',
// so "16/1234J" normalises to "16/0001234J".
// Cost: O(length of the input) for every function here.
#include "polegraph/keys.h"

#include <cctype>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace polegraph {
namespace {

// absl::string_view is not std::string_view in this Abseil build.
absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
char ToUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Upper-cased copy of `s` without whitespace.
std::string UpperNoSpace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (!IsSpace(c)) out.push_back(ToUpper(c));
  }
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToUpper(c);
  return out;
}

// A maximal run of letters or of digits in a VRM.
struct Run {
  bool letters;
  int length;
};

constexpr std::string_view kPncCheckLetters = "ZABCDEFGHJKLMNPQRTUVWXY";

}  // namespace

std::string NormaliseVrm(std::string_view vrm) {
  std::string out;
  out.reserve(vrm.size());
  for (char c : vrm) {
    if (IsSpace(c) || c == '-' || c == '.') continue;
    out.push_back(ToUpper(c));
  }
  return out;
}

bool IsValidVrm(std::string_view v) {
  if (v.size() < 2 || v.size() > 7) return false;
  Run runs[7];
  int n = 0;
  for (char c : v) {
    bool letter = IsUpper(c);
    if (!letter && !IsDigit(c)) return false;
    if (n > 0 && runs[n - 1].letters == letter) {
      ++runs[n - 1].length;
    } else {
      runs[n++] = Run{letter, 1};
    }
  }
  auto in = [](int x, int lo, int hi) { return x >= lo && x <= hi; };
  if (n == 3) {
    const Run &a = runs[0], &b = runs[1], &c = runs[2];
    if (!a.letters || b.letters || !c.letters) return false;
    // Current (since 2001): AB12CDE.
    if (a.length == 2 && b.length == 2 && c.length == 3) return true;
    // Prefix (1983-2001): A123BCD.
    if (a.length == 1 && in(b.length, 1, 3) && c.length == 3) return true;
    // Suffix (1963-1983): ABC123D.
    if (a.length == 3 && in(b.length, 1, 3) && c.length == 1) return true;
    return false;
  }
  // Dateless and personalised: 1-4 letters and 1-4 digits, in either order.
  if (n == 2) return in(runs[0].length, 1, 4) && in(runs[1].length, 1, 4);
  return false;
}

std::string NormaliseVin(std::string_view vin) { return UpperNoSpace(vin); }

bool IsValidVin(std::string_view v) {
  if (v.size() != 17) return false;
  for (char c : v) {
    if (!IsDigit(c) && !IsUpper(c)) return false;
    if (c == 'I' || c == 'O' || c == 'Q') return false;
  }
  return true;
}

absl::StatusOr<std::string> NormalisePncId(std::string_view pnc_id) {
  const std::string s = UpperNoSpace(pnc_id);
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("PNC ID '", Av(pnc_id), "' ", Av(why),
                                                   " (expected YY/NNNNNNNA, e.g. 16/0001234J)"));
  };
  const std::size_t slash = s.find('/');
  if (slash == std::string::npos) return bad("has no '/'");
  std::string_view year = std::string_view(s).substr(0, slash);
  std::string_view rest = std::string_view(s).substr(slash + 1);
  // A four-digit year (as some systems display it) reduces to its last two digits.
  if (year.size() == 4) year.remove_prefix(2);
  if (year.size() != 2 || !IsDigit(year[0]) || !IsDigit(year[1])) {
    return bad("does not start with a two-digit year");
  }
  if (rest.size() < 2 || rest.size() > 8) return bad("has no serial of 1-7 digits and letter");
  std::string_view serial = rest.substr(0, rest.size() - 1);
  const char check = rest.back();
  std::uint64_t number = static_cast<std::uint64_t>((year[0] - '0') * 10 + (year[1] - '0'));
  std::uint64_t serial_value = 0;
  for (char c : serial) {
    if (!IsDigit(c)) return bad("has a serial that is not 1-7 digits");
    serial_value = serial_value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!IsUpper(check)) return bad("does not end with a check letter");
  number = number * 10000000u + serial_value;
  const char expected = kPncCheckLetters[number % 23];
  if (check != expected) {
    return bad(absl::StrCat("has check letter '", std::string(1, check), "' but '",
                            std::string(1, expected), "' is expected"));
  }
  return absl::StrFormat("%s/%07u%c", std::string(year), serial_value, check);
}

absl::StatusOr<std::string> NormaliseCroNumber(std::string_view cro) {
  const std::string s = UpperNoSpace(cro);
  const std::size_t slash = s.find('/');
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("CRO number '", Av(cro),
                     "' is not NNNNNN/YYA (serial of 1-6 digits, '/', "
                     "two-digit year, check letter)"));
  };
  if (slash == std::string::npos || slash == 0 || slash > 6) return bad();
  std::string_view serial = std::string_view(s).substr(0, slash);
  std::string_view rest = std::string_view(s).substr(slash + 1);
  if (rest.size() != 3 || !IsDigit(rest[0]) || !IsDigit(rest[1]) || !IsUpper(rest[2])) {
    return bad();
  }
  for (char c : serial) {
    if (!IsDigit(c)) return bad();
  }
  return absl::StrCat(std::string(6 - serial.size(), '0'), Av(serial), "/", Av(rest));
}

std::string NormalisePostcode(std::string_view postcode) {
  const std::string s = UpperNoSpace(postcode);
  if (s.size() < 5) return s;
  const std::size_t outward = s.size() - 3;  // the inward code is always 3 characters
  return absl::StrCat(absl::string_view(s.data(), outward), " ",
                      absl::string_view(s.data() + outward, 3));
}

std::string NormaliseKey(NodeKind kind, std::string_view key) {
  key = Trim(key);
  switch (kind) {
    case NodeKind::kPlate:
      return NormaliseVrm(key);
    case NodeKind::kVehicle:
      return NormaliseVin(key);
    case NodeKind::kPerson: {
      // PNC IDs in canonical form; other person keys ("SURNAME/FORENAME/YYYY-MM-DD") are
      // stored upper-cased by ingest.
      absl::StatusOr<std::string> pnc = NormalisePncId(key);
      if (pnc.ok()) return *std::move(pnc);
      return Upper(key);
    }
    case NodeKind::kOffence:   // "<FORCE>/<CRIME REF>"
    case NodeKind::kLocation:  // UPRN, "PC-<POSTCODE>-<LINE>", "SITE-<SITE ID>"
      return Upper(key);       // ingest stores these upper-cased
  }
  return std::string(key);
}

}  // namespace polegraph
