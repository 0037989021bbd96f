// Fast key normalisers for the parse workers (internal/keys_fast.h).
//
// How: each runs the rules of its keys.h counterpart (lib/graph/keys.cc, fold_name.cc) for the
// inputs nearly every record holds — ASCII names, well-formed PNC IDs — straight into the
// result (short results stay in the string's inline buffer: no allocation), and calls the
// keys.h function for anything else, so the two agree on every input (tested against them in
// tests/ingest/keys_fast_test.cc). Dates of times use the days-to-civil algorithm of Howard
// Hinnant ("chrono-Compatible Low-Level Date Algorithms", civil_from_days) instead of absl's
// time-zone machinery.
// Cost: O(input) each, one pass.
#include "ingest/internal/keys_fast.h"

#include <cstring>
#include <string>

#include "polegraph/keys.h"

namespace polegraph::ingest_internal {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
char ToUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

constexpr std::string_view kPncCheckLetters = "ZABCDEFGHJKLMNPQRTUVWXY";

// Writes v (>= 0, < 10^width) as `width` zero-padded decimal digits.
void PutDigits(char* at, std::int64_t v, int width) {
  auto u = static_cast<std::uint32_t>(v);  // every caller's value fits (years, serials, seconds)
  for (int i = width - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + u % 10);
    u /= 10;
  }
}

// Appends what write(begin) puts at [begin, end) and returns `end` of: at most n characters,
// written through a pointer into room made for n, then cut to size. A null `end` appends
// nothing and returns false.
template <typename Write>
bool AppendBounded(std::size_t n, std::string* out, Write write) {
  const std::size_t from = out->size();
  out->resize(from + n);
  char* const end = write(out->data() + from);
  out->resize(end == nullptr ? from : static_cast<std::size_t>(end - out->data()));
  return end != nullptr;
}

// Appends s upper-cased without the characters `drop` selects.
template <typename Drop>
void AppendUpperDropping(std::string_view s, std::string* out, Drop drop) {
  AppendBounded(s.size(), out, [&](char* at) {
    for (char c : s) {
      if (!drop(c)) *at++ = ToUpper(c);
    }
    return at;
  });
}

}  // namespace

void AppendFoldName(std::string_view name, std::string* out) {
  const bool ascii = AppendBounded(name.size(), out, [name](char* const begin) -> char* {
    char* at = begin;
    bool pending_space = false;
    for (char ch : name) {
      const auto c = static_cast<unsigned char>(ch);
      if (c >= 0x80) return nullptr;        // UTF-8: the full folding
      if (c == '\'' || c == '`') continue;  // apostrophes vanish
      char put;
      if (c >= 'a' && c <= 'z') {
        put = static_cast<char>(c - 'a' + 'A');
      } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        put = static_cast<char>(c);
      } else {
        pending_space = true;
        continue;
      }
      if (pending_space && at != begin) *at++ = ' ';
      pending_space = false;
      *at++ = put;
    }
    return at;
  });
  if (!ascii) out->append(FoldName(name));
}

std::string FastFoldName(std::string_view name) {
  std::string out;
  AppendFoldName(name, &out);
  return out;
}

void AppendFoldNoSpaces(std::string_view name, std::string* out) {
  const bool ascii = AppendBounded(name.size(), out, [name](char* at) -> char* {
    for (char ch : name) {
      const auto c = static_cast<unsigned char>(ch);
      if (c >= 0x80) return nullptr;
      if (c >= 'a' && c <= 'z') {
        *at++ = static_cast<char>(c - 'a' + 'A');
      } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        *at++ = static_cast<char>(c);
      }  // anything else folds to a separator or vanishes
    }
    return at;
  });
  if (!ascii) {
    std::string folded = FoldName(name);
    std::erase(folded, ' ');
    out->append(folded);
  }
}

bool FoldsEmpty(std::string_view name) {
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) return FoldName(name).empty();
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool PncIdText(std::string_view pnc_id, char* out) {
  // Already in the normal form "YY/NNNNNNNA" (every ID of a well-kept extract): checked where
  // it stands and copied. Anything else (spaces, lower case, a four-digit year, a short
  // serial, a wrong letter) goes the general way below.
  if (pnc_id.size() == 11 && pnc_id[2] == '/' && IsUpper(pnc_id[10])) {
    std::uint32_t number = 0;
    bool digits = true;
    for (int i : {0, 1, 3, 4, 5, 6, 7, 8, 9}) {
      digits = digits && IsDigit(pnc_id[i]);
      number = number * 10 + static_cast<std::uint32_t>(pnc_id[i] - '0');
    }
    if (digits && pnc_id[10] == kPncCheckLetters[number % 23]) {
      std::memcpy(out, pnc_id.data(), 11);
      return true;
    }
  }
  // The upper-cased ID without whitespace; a well-formed one has at most 4 + 1 + 8 characters.
  char s[13];
  std::size_t n = 0;
  for (char c : pnc_id) {
    if (IsSpace(c)) continue;
    if (n == sizeof s) return false;
    s[n++] = ToUpper(c);
  }
  std::size_t slash = 0;
  while (slash < n && s[slash] != '/') ++slash;
  if (slash != 2 && slash != 4) return false;
  const char* year = s + slash - 2;  // a four-digit year reduces to its last two digits
  const std::size_t rest = n - slash - 1;
  if (!IsDigit(year[0]) || !IsDigit(year[1]) || rest < 2 || rest > 8) return false;
  // "YY/NNNNNNNA": the serial's 1-7 digits right-aligned in seven, zero-padded.
  const std::size_t digits = rest - 1;
  std::uint32_t serial = 0;
  for (std::size_t i = 0; i < 7 - digits; ++i) out[3 + i] = '0';
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = s[slash + 1 + i];
    if (!IsDigit(c)) return false;
    serial = serial * 10 + static_cast<std::uint32_t>(c - '0');
    out[3 + 7 - digits + i] = c;
  }
  const char check = s[n - 1];
  const std::uint32_t number =
      static_cast<std::uint32_t>((year[0] - '0') * 10 + (year[1] - '0')) * 10000000u + serial;
  if (!IsUpper(check) || check != kPncCheckLetters[number % 23]) return false;
  out[0] = year[0];
  out[1] = year[1];
  out[2] = '/';
  out[10] = check;
  return true;
}

absl::StatusOr<std::string> FastPncId(std::string_view pnc_id) {
  char text[11];
  if (PncIdText(pnc_id, text)) return std::string(text, sizeof text);
  return NormalisePncId(pnc_id);
}

void AppendUpperNoSpaces(std::string_view s, std::string* out) {
  AppendUpperDropping(s, out, IsSpace);
}

std::string UpperNoSpaces(std::string_view s) {
  std::string out;
  AppendUpperNoSpaces(s, &out);
  return out;
}

void AppendUpperNoBlanks(std::string_view s, std::string* out) {
  AppendUpperDropping(s, out, [](char c) { return c == ' '; });
}

bool FastTimeString(std::int64_t seconds, std::string* out) {
  char buf[20];
  if (!FastTimeText(seconds, buf)) return false;
  out->assign(buf, sizeof buf);
  return true;
}

bool FastTimeText(std::int64_t seconds, char* buf) {
  constexpr std::int64_t kFirst = -30610224000;  // 1000-01-01T00:00:00Z
  constexpr std::int64_t kLast = 253402300799;   // 9999-12-31T23:59:59Z
  if (seconds < kFirst || seconds > kLast) return false;
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) rem += 86400, --days;
  // civil_from_days (Hinnant): eras of 400 years from 0000-03-01.
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;                                       // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;                           // [1, 31]
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;                            // [1, 12]
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  PutDigits(buf, year, 4);
  buf[4] = '-';
  PutDigits(buf + 5, month, 2);
  buf[7] = '-';
  PutDigits(buf + 8, day, 2);
  buf[10] = 'T';
  PutDigits(buf + 11, rem / 3600, 2);
  buf[13] = ':';
  PutDigits(buf + 14, rem / 60 % 60, 2);
  buf[16] = ':';
  PutDigits(buf + 17, rem % 60, 2);
  buf[19] = 'Z';
  return true;
}

}  // namespace polegraph::ingest_internal
