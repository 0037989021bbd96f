// The parse workers' fast key normalisers (internal/keys_fast.h) against their oracles, the
// keys.h functions they stand for (and absl's civil time for times): hand-picked edge cases and
// many random strings drawn from the characters that matter (letters, digits, '/', spaces,
// apostrophes, punctuation and a few UTF-8 sequences, valid and broken).
#include "ingest/internal/keys_fast.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "polegraph/keys.h"

namespace polegraph::testing {
namespace {

using ingest_internal::FastFoldName;
using ingest_internal::FastPncId;
using ingest_internal::FastTimeString;
using ingest_internal::UpperNoSpaces;

void SamePncId(const std::string& s) {
  INFO("pnc id '" << s << "'");
  const absl::StatusOr<std::string> want = NormalisePncId(s);
  const absl::StatusOr<std::string> got = FastPncId(s);
  REQUIRE(got.ok() == want.ok());
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
  std::string untouched = "x";
  CHECK_FALSE(FastTimeString(-30610224001, &untouched));
  CHECK_FALSE(FastTimeString(253402300800, &untouched));
  CHECK(untouched == "x");
}

}  // namespace
}  // namespace polegraph::testing
