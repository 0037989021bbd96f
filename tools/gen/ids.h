// Identifier formats for polegraph-gen (DOMAIN.md): PNC IDs with their check letter, CRO
// numbers, VRMs in the current, prefix, suffix and dateless formats, VINs with the ISO 3779
// check digit, and the ANPR confusable-character misreads. Header-only so the tests can check
// the generator's output with the same shape rules.
//
// PNC ID check letter: the two-digit year followed by the seven-digit serial, read as one
// nine-digit number, modulo 23, indexes "ZABCDEFGHJKLMNPQRTUVWXY" (I, O and S are not used).
// The CRO number uses the same letter table over its year and six-digit serial.
#ifndef POLEGRAPH_TOOLS_GEN_IDS_H_
#define POLEGRAPH_TOOLS_GEN_IDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"

namespace polegraph::gen {

inline constexpr std::string_view kCheckLetters = "ZABCDEFGHJKLMNPQRTUVWXY";

inline char PncCheckLetter(int year2, std::uint32_t serial) {
  return kCheckLetters[(static_cast<std::uint64_t>(year2) * 10000000ULL + serial) % 23];
}
// "YY/NNNNNNNA"; with `pad` false the serial's leading zeros are omitted ("16/1234A").
inline std::string FormatPncId(int year2, std::uint32_t serial, bool pad = true) {
  return pad ? absl::StrFormat("%02d/%07u%c", year2, serial, PncCheckLetter(year2, serial))
             : absl::StrFormat("%02d/%u%c", year2, serial, PncCheckLetter(year2, serial));
}
// True when `id` is exactly "YY/NNNNNNNA" (padded) with the right check letter.
inline bool IsCanonicalPncId(std::string_view id) {
  if (id.size() != 11 || id[2] != '/') return false;
  for (int i : {0, 1, 3, 4, 5, 6, 7, 8, 9}) {
    if (id[i] < '0' || id[i] > '9') return false;
  }
  int year = (id[0] - '0') * 10 + (id[1] - '0');
  std::uint32_t serial = 0;
  for (int i = 3; i < 10; ++i) serial = serial * 10 + static_cast<std::uint32_t>(id[i] - '0');
  return id[10] == PncCheckLetter(year, serial);
}
inline std::string FormatCro(std::uint32_t serial, int year2) {
  return absl::StrFormat(
      "%06u/%02d%c", serial, year2,
      kCheckLetters[(static_cast<std::uint64_t>(year2) * 1000000ULL + serial) % 23]);
}

// Current-format marks use the 47 most recent age identifiers (half-years) before the period.
inline constexpr int kCurrentAges = 47;

// --- VRMs (normalised: upper case, no spaces) ------------------------------------------------
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Shape rules of keys.h IsValidVrm: current AB12CDE, prefix A123BCD, suffix ABC123D, dateless
// 1-4 letters and 1-4 digits in either order (at most 7 characters).
inline bool IsValidVrmShape(std::string_view v) {
  const std::size_t n = v.size();
  auto run = [&](std::size_t from, bool letters) {
    std::size_t k = from;
    while (k < n && (letters ? IsUpper(v[k]) : IsDigit(v[k]))) ++k;
    return k - from;
  };
  if (n == 0 || n > 7) return false;
  std::size_t a = run(0, true);
  if (a > 0) {
    std::size_t d = run(a, false);
    if (d == 0) return false;
    std::size_t b = run(a + d, true);
    if (a + d + b != n) return false;
    if (b == 0) return a <= 4 && d <= 4;          // dateless: letters then digits
    if (a == 2 && d == 2 && b == 3) return true;  // current
    if (a == 1 && d <= 3 && b == 3) return true;  // prefix
    if (a == 3 && d <= 3 && b == 1) return true;  // suffix
    return false;
  }
  std::size_t d = run(0, false);
  std::size_t b = run(d, true);
  return d + b == n && d <= 4 && b >= 1 && b <= 4;  // dateless: digits then letters
}

// True when a non-current-format mark has a number starting with 0 ("A012BCD"): valid by
// shape, but no such mark was issued, so a misread should not produce one.
inline bool HasLeadingZeroNumber(std::string_view v) {
  const bool current = v.size() == 7 && IsUpper(v[0]) && IsUpper(v[1]) && IsDigit(v[2]) &&
                       IsDigit(v[3]) && IsUpper(v[4]) && IsUpper(v[5]) && IsUpper(v[6]);
  if (current) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '0' && (i == 0 || !IsDigit(v[i - 1]))) return true;
  }
  return false;
}

// Characters an ANPR camera confuses, as (shown, read) pairs.
inline constexpr std::string_view kConfusableFrom = "O0I1B8S5Z2G6DO";
inline constexpr std::string_view kConfusableTo = "0O1I8B5S2Z6GOD";

// Every VRM that differs from `vrm` in one confusable character and is still a valid shape.
inline std::vector<std::string> MisreadCandidates(std::string_view vrm) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < vrm.size(); ++i) {
    for (std::size_t k = 0; k < kConfusableFrom.size(); ++k) {
      if (vrm[i] != kConfusableFrom[k]) continue;
      std::string m(vrm);
      m[i] = kConfusableTo[k];
      if (IsValidVrmShape(m) && !HasLeadingZeroNumber(m)) out.push_back(m);
    }
  }
  return out;
}

// --- VINs ---------------------------------------------------------------------------------
inline constexpr std::string_view kVinChars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";  // no I O Q

inline bool IsValidVinShape(std::string_view v) {
  if (v.size() != 17) return false;
  for (char c : v) {
    if (!(IsUpper(c) || IsDigit(c)) || c == 'I' || c == 'O' || c == 'Q') return false;
  }
  return true;
}
// ISO 3779 / North American check digit (position 9): transliterate, weight, mod 11.
inline char VinCheckDigit(std::string_view v) {
  static constexpr int kWeights[17] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
  static constexpr int kLetters[26] = {1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4,
                                       5, 0, 7, 0, 9, 2, 3, 4, 5, 6, 7, 8, 9};
  int sum = 0;
  for (std::size_t i = 0; i < 17 && i < v.size(); ++i) {
    int value = IsDigit(v[i]) ? v[i] - '0' : kLetters[v[i] - 'A'];
    sum += value * kWeights[i];
  }
  int r = sum % 11;
  return r == 10 ? 'X' : static_cast<char>('0' + r);
}

}  // namespace polegraph::gen

#endif  // POLEGRAPH_TOOLS_GEN_IDS_H_
