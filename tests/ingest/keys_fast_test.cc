// The parse workers' fast key normalisers (internal/keys_fast.h) against their oracles, the
// keys.h functions they stand for (and absl's civil time for times): hand-picked edge cases and
// many random strings drawn from the characters that matter (letters, digits, '/', spaces,
// apostrophes, punctuation and a few UTF-8 sequences, valid and broken).
#include "ingest/internal/keys_fast.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "ingest/internal/validate.h"
#include "polegraph/keys.h"

namespace polegraph::testing {
namespace {

using ingest_internal::AppendDateText;
using ingest_internal::AppendFoldName;
using ingest_internal::AppendFoldNoSpaces;
using ingest_internal::AppendUpperNoBlanks;
using ingest_internal::AppendUpperNoSpaces;
using ingest_internal::FastFoldName;
using ingest_internal::FastTimeText;
using ingest_internal::FoldsEmpty;
using ingest_internal::KeyPart;
using ingest_internal::KeyPartEmpty;
using ingest_internal::PncIdText;
using ingest_internal::FastPncId;
using ingest_internal::FastTimeString;
using ingest_internal::UpperNoSpaces;

void SamePncId(const std::string& s) {
  INFO("pnc id '" << s << "'");
  const absl::StatusOr<std::string> want = NormalisePncId(s);
  const absl::StatusOr<std::string> got = FastPncId(s);
  REQUIRE(got.ok() == want.ok());
  char text[11];
  if (PncIdText(s, text)) {  // the fast path: only for valid IDs, and then the same text
    REQUIRE(want.ok());
    CHECK(std::string(text, sizeof text) == *want);
  }
  if (want.ok()) {
    CHECK(*got == *want);
  } else {
    CHECK(got.status() == want.status());
  }
}

// Random text from `alphabet` pieces, 0 to `max_pieces` of them.
std::string RandomText(std::mt19937& rng, const std::vector<std::string>& alphabet,
                       int max_pieces) {
  std::uniform_int_distribution<int> len(0, max_pieces);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string s;
  for (int n = len(rng); n > 0; --n) s += alphabet[pick(rng)];
  return s;
}

TEST_CASE("FastFoldName is FoldName") {
  for (const std::string s : {"", " ", "o'brien", "  Mary-Jane  SMITH ", "d`arcy", "x\ty", "A1 b2",
                              "Zoë", "JOSÉ", "Ægir", "\xff\xfe", "a\x01b", "''", " ' a ' "}) {
    INFO("name '" << s << "'");
    CHECK(FastFoldName(s) == FoldName(s));
  }
  std::mt19937 rng(7);
  const std::vector<std::string> alphabet = {"a", "Z", "m", "0",  "9",    " ", "  ",   "-", "'",
                                             "`", ".", ",", "\t", "\x7f", "é", "\xc3", "ß", "\x80"};
  for (int i = 0; i < 20000; ++i) {
    const std::string s = RandomText(rng, alphabet, 12);
    INFO("name '" << s << "'");
    REQUIRE(FastFoldName(s) == FoldName(s));
  }
}

TEST_CASE("FastPncId is NormalisePncId, valid or not") {
  for (const std::string s : {"16/1234J",    "16/0001234J",
                              "2016/1234J",  " 16 / 1234 j ",
                              "16/1234K",    "16/J",
                              "/1234J",      "16/12345678J",
                              "16/123456J",  "1/1234J",
                              "ab/1234J",    "xy16/1234J",
                              "16/12a4J",    "16/1234",
                              "16/1234/J",   "",
                              "16//1234J",   "2016/0001234J  ",
                              "16/1234J\t",  "123456789012345/1J",
                              "99/9999999X", "00/0000000Z"}) {
    SamePncId(s);
  }
  std::mt19937 rng(11);
  const std::vector<std::string> alphabet = {"1", "6", "0", "9", "/",  " ",
                                             "j", "J", "Z", "a", "\t", "é"};
  for (int i = 0; i < 20000; ++i) SamePncId(RandomText(rng, alphabet, 14));
  // Well-formed IDs with every check letter, valid and not.
  std::uniform_int_distribution<int> serial(0, 9999999), year(0, 99), letter(0, 25);
  for (int i = 0; i < 5000; ++i) {
    SamePncId(std::to_string(year(rng)) + "/" + std::to_string(serial(rng)) +
              static_cast<char>('A' + letter(rng)));
  }
  // IDs already in the normal form "YY/NNNNNNNA" (PncIdText's shortcut), every check letter in
  // either case, and each with one character replaced by a random one of the alphabet.
  for (int i = 0; i < 20000; ++i) {
    std::string s = absl::StrFormat("%02d/%07d%c", year(rng), serial(rng),
                                    (i % 3 == 0 ? 'a' : 'A') + letter(rng));
    SamePncId(s);
    s[static_cast<std::size_t>(i) % s.size()] = alphabet[rng() % alphabet.size()][0];
    SamePncId(s);
  }
}

TEST_CASE("UpperNoSpaces is NormaliseVin, and NormalisePostcode without its space") {
  std::mt19937 rng(3);
  const std::vector<std::string> alphabet = {"a", "Z", "1", " ", "\t", "\n", "\r", "\v", "-", "é"};
  for (int i = 0; i < 5000; ++i) {
    const std::string s = RandomText(rng, alphabet, 10);
    INFO("text '" << s << "'");
    CHECK(UpperNoSpaces(s) == NormaliseVin(s));
    std::string postcode = NormalisePostcode(s);
    std::erase(postcode, ' ');
    CHECK(UpperNoSpaces(s) == postcode);
  }
}

TEST_CASE("FastTimeString is absl's civil time, and declines years outside 1000-9999") {
  auto absl_text = [](std::int64_t t) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(t), absl::UTCTimeZone());
  };
  std::vector<std::int64_t> times = {0,          1,         -1,         86399,        86400,
                                     951782400,  951868799, 4107542399, -30610224000, 253402300799,
                                     1700000000, 946684800};
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<std::int64_t> any(-30610224000, 253402300799);
  for (int i = 0; i < 100000; ++i) times.push_back(any(rng));
  for (std::int64_t t : times) {
    INFO("time " << t);
    std::string got;
    REQUIRE(FastTimeString(t, &got));
    REQUIRE(got == absl_text(t));
  }
  char text[20];
  for (std::size_t i = 0; i < times.size(); i += 97) {
    REQUIRE(FastTimeText(times[i], text));
    REQUIRE(std::string(text, sizeof text) == absl_text(times[i]));
  }
  CHECK_FALSE(FastTimeText(253402300800, text));
  std::string untouched = "x";
  CHECK_FALSE(FastTimeString(-30610224001, &untouched));
  CHECK_FALSE(FastTimeString(253402300800, &untouched));
  CHECK(untouched == "x");
}

// `append` run after a prefix already in the string: the prefix stays and `want` follows.
template <typename Append>
void AppendsAfterPrefix(Append append, std::string_view s, const std::string& want) {
  std::string out = "prefix|";
  append(s, &out);
  REQUIRE(out == "prefix|" + want);
}

TEST_CASE("The appending key forms give what their keys.h oracles give") {
  std::mt19937 rng(13);
  const std::vector<std::string> alphabet = {"a", "Z", "m",  "0",  "9",  " ",  "  ",     "-", "'",
                                             "`", ".", "\t", "\n", "\v", "é", "\xc3", "ß", "/"};
  std::vector<std::string> inputs = {"", " ", "  ", "o'brien", " 12 High St. ", "Zoë Road", "\xff",
                                     "flat 3, 12a", "\t", "'", "a"};
  for (int i = 0; i < 20000; ++i) inputs.push_back(RandomText(rng, alphabet, 12));
  for (const std::string& s : inputs) {
    INFO("text '" << s << "'");
    AppendsAfterPrefix(AppendFoldName, s, FoldName(s));
    std::string no_spaces = FoldName(s);
    std::erase(no_spaces, ' ');
    AppendsAfterPrefix(AppendFoldNoSpaces, s, no_spaces);
    CHECK(FoldsEmpty(s) == FoldName(s).empty());
    AppendsAfterPrefix(AppendUpperNoSpaces, s, NormaliseVin(s));
    std::string no_blanks = KeyPart(s);
    std::erase(no_blanks, ' ');
    AppendsAfterPrefix(AppendUpperNoBlanks, s, no_blanks);
    CHECK(KeyPartEmpty(s) == KeyPart(s).empty());
  }
}

TEST_CASE("AppendDateText writes YYYY-MM-DD as printf does, also for impossible values") {
  const int values[][3] = {{2024, 2, 29}, {0, 0, 0},     {9999, 99, 99}, {1, 2, 3},
                           {-1, 5, 5},    {10000, 1, 1}, {2000, -1, 1},  {2000, 100, 1},
                           {2000, 1, -3}, {2000, 1, 100}, {1900, 12, 31}, {123, 4, 5}};
  for (const auto& v : values) {
    const std::string want = absl::StrFormat("%04d-%02d-%02d", v[0], v[1], v[2]);
    INFO("date " << want);
    std::string out = "x";
    AppendDateText(v[0], v[1], v[2], &out);
    CHECK(out == "x" + want);
    CHECK(ingest_internal::DateText(v[0], v[1], v[2]) == want);
  }
  std::mt19937 rng(17);
  std::uniform_int_distribution<int> year(-50, 10050), part(-5, 105);
  for (int i = 0; i < 20000; ++i) {
    const int y = year(rng), m = part(rng), d = part(rng);
    std::string out;
    AppendDateText(y, m, d, &out);
    REQUIRE(out == absl::StrFormat("%04d-%02d-%02d", y, m, d));
  }
}

}  // namespace
}  // namespace polegraph::testing
