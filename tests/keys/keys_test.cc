// Tests of keys.h against hand-worked cases (DOMAIN.md formats; PNC check letters computed by
// hand: (YY * 10^7 + serial) mod 23 indexes "ZABCDEFGHJKLMNPQRTUVWXY").
#include "polegraph/keys.h"

#include <catch2/catch.hpp>

namespace polegraph {
namespace {

TEST_CASE("NormaliseVrm upper-cases and strips spaces, hyphens and dots") {
  CHECK(NormaliseVrm(" ab12 cde ") == "AB12CDE");
  CHECK(NormaliseVrm("a-123.bcd") == "A123BCD");
  CHECK(NormaliseVrm("") == "");
}

TEST_CASE("IsValidVrm accepts every GB format of DOMAIN.md") {
  // Current (since Sept 2001): two letters, two digits, three letters.
  CHECK(IsValidVrm("AB12CDE"));
  CHECK(IsValidVrm("AB74CDE"));  // September-February age identifier (+50)
  // Prefix: letter, 1-3 digits, three letters.
  CHECK(IsValidVrm("A123BCD"));
  CHECK(IsValidVrm("A1BCD"));
  CHECK(IsValidVrm("A12BCD"));
  // Suffix: three letters, 1-3 digits, letter.
  CHECK(IsValidVrm("ABC123D"));
  CHECK(IsValidVrm("ABC1D"));
  // Dateless and personalised: 1-4 letters and 1-4 digits in either order, <= 7 characters.
  CHECK(IsValidVrm("A1"));
  CHECK(IsValidVrm("1A"));
  CHECK(IsValidVrm("ABC1234"));
  CHECK(IsValidVrm("1234AB"));
  CHECK(IsValidVrm("ABCD123"));
  CHECK(IsValidVrm(NormaliseVrm("ab12 cde")));
}

TEST_CASE("IsValidVrm rejects misformats") {
  CHECK_FALSE(IsValidVrm(""));
  CHECK_FALSE(IsValidVrm("A"));         // too short
  CHECK_FALSE(IsValidVrm("AB12CDEF"));  // 8 characters
  CHECK_FALSE(IsValidVrm("ab12cde"));   // not normalised (lower case)
  CHECK_FALSE(IsValidVrm("AB12 CDE"));  // not normalised (space)
  CHECK_FALSE(IsValidVrm("AB12CD"));    // 2-2-2: no format
  CHECK_FALSE(IsValidVrm("ABC12DE"));   // 3-2-2
  CHECK_FALSE(IsValidVrm("A1B2C3"));    // alternating runs
  CHECK_FALSE(IsValidVrm("ABCDE1"));    // five letters
  CHECK_FALSE(IsValidVrm("A12345"));    // five digits
  CHECK_FALSE(IsValidVrm("AB1234C"));   // 2-4-1
  CHECK_FALSE(IsValidVrm("AB12C*E"));   // punctuation
  CHECK_FALSE(IsValidVrm("AB"));        // letters only
  CHECK_FALSE(IsValidVrm("1234"));      // digits only
}

TEST_CASE("VINs: 17 characters, no I, O or Q") {
  CHECK(NormaliseVin(" wvwzzz1jz xw000001") == "WVWZZZ1JZXW000001");
  CHECK(IsValidVin("WVWZZZ1JZXW000001"));
  CHECK(IsValidVin("SAJAA01234X567890"));
  CHECK_FALSE(IsValidVin("WVWZZZ1JZXW00000"));    // 16
  CHECK_FALSE(IsValidVin("WVWZZZ1JZXW0000011"));  // 18
  CHECK_FALSE(IsValidVin("WVWZZZ1JZXW00000I"));   // I
  CHECK_FALSE(IsValidVin("WVWZZZ1JZXO000001"));   // O
  CHECK_FALSE(IsValidVin("QVWZZZ1JZXW000001"));   // Q
  CHECK_FALSE(IsValidVin("wvwzzz1jzxw000001"));   // not normalised
  CHECK_FALSE(IsValidVin("WVWZZZ-JZXW000001"));
}

TEST_CASE("NormalisePncId pads the serial and checks the letter") {
  // 16/1234: 160001234 = 23 * 6956575 + 9 -> 'J'.
  CHECK(NormalisePncId("16/1234J").value() == "16/0001234J");
  // 99/123456: 990123456 = 23 * 43048845 + 21 -> 'X'.
  CHECK(NormalisePncId("99/123456X").value() == "99/0123456X");
  CHECK(NormalisePncId(" 99/0123456x ").value() == "99/0123456X");
  CHECK(NormalisePncId("1999/123456X").value() == "99/0123456X");  // four-digit year
  // 00/1: 1 -> 'A'.  24/9999999: 249999999 = 23 * 10869565 + 4 -> 'D'.
  CHECK(NormalisePncId("00/1A").value() == "00/0000001A");
  CHECK(NormalisePncId("24/9999999D").value() == "24/9999999D");
  // 05/42: 50000042 = 23 * 2173914 + 20 -> 'W'.  87/654321: 870654321 mod 23 = 16 -> 'R'.
  CHECK(NormalisePncId("05/42W").value() == "05/0000042W");
  CHECK(NormalisePncId("87/654321R").value() == "87/0654321R");
}

TEST_CASE("NormalisePncId rejects wrong check letters and shapes") {
  for (const char* bad : {"16/1234A", "16/1234K", "99/123456W", "00/1Z", "24/9999999C"}) {
    auto r = NormalisePncId(bad);
    CHECK(r.status().code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK_FALSE(NormalisePncId("161234J").ok());       // no slash
  CHECK_FALSE(NormalisePncId("6/1234J").ok());       // one-digit year
  CHECK_FALSE(NormalisePncId("16/12345678J").ok());  // 8-digit serial
  CHECK_FALSE(NormalisePncId("16/J").ok());          // no serial
  CHECK_FALSE(NormalisePncId("16/1234").ok());       // no letter
  CHECK_FALSE(NormalisePncId("16/12A4J").ok());
  CHECK_FALSE(NormalisePncId("").ok());
  CHECK(NormalisePncId("16/1234A").status().message().find("'J' is expected") != std::string::npos);
}

TEST_CASE("NormaliseCroNumber checks the shape") {
  CHECK(NormaliseCroNumber("123456/78A").value() == "123456/78A");
  CHECK(NormaliseCroNumber(" 1234/05z").value() == "001234/05Z");
  CHECK_FALSE(NormaliseCroNumber("1234567/78A").ok());
  CHECK_FALSE(NormaliseCroNumber("123456/7A").ok());
  CHECK_FALSE(NormaliseCroNumber("123456/789").ok());
  CHECK_FALSE(NormaliseCroNumber("12A456/78A").ok());
  CHECK_FALSE(NormaliseCroNumber("/78A").ok());
  CHECK_FALSE(NormaliseCroNumber("12345678A").ok());
}

TEST_CASE("FoldName folds accents and punctuation") {
  CHECK(FoldName("O'Brien-Smith, Se\xC3\xA1n") == "OBRIEN SMITH SEAN");
  CHECK(FoldName("  jos\xC3\xA9   mar\xC3\xAD"
                 "a ") == "JOSE MARIA");
  CHECK(FoldName("Nu\xC3\xB1"
                 "ez") == "NUNEZ");  // n tilde
  CHECK(FoldName("Stra\xC3\x9F"
                 "e") == "STRASSE");                 // sharp s
  CHECK(FoldName("S\xC3\xB8rensen") == "SORENSEN");  // o slash
  CHECK(FoldName("\xC3\x86lfred") == "AELFRED");     // AE
  CHECK(FoldName("\xC5\x81"
                 "ukasz") == "LUKASZ");                 // L stroke (Ext-A)
  CHECK(FoldName("Dvo\xC5\x99\xC3\xA1k") == "DVORAK");  // r caron
  CHECK(FoldName("\xC5\x92uvre") == "OEUVRE");          // OE ligature
  CHECK(FoldName("D\xE2\x80\x99"
                 "Arcy") == "DARCY");       // right single quote
  CHECK(FoldName("Zoe\xCC\x88") == "ZOE");  // combining diaeresis
  CHECK(FoldName("J.R. Smith") == "J R SMITH");
  CHECK(FoldName("smith\xFF") == "SMITH");  // invalid byte dropped
  CHECK(FoldName("") == "");
  CHECK(FoldName(" - ' ") == "");
}

TEST_CASE("IsValidUtf8") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("plain"));
  CHECK(IsValidUtf8("Se\xC3\xA1n \xE2\x80\x99 \xF0\x9F\x98\x80"));
  CHECK_FALSE(IsValidUtf8("\xFF"));
  CHECK_FALSE(IsValidUtf8("\xC3"));              // truncated
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(IsValidUtf8("a\x80"));             // stray continuation
}

TEST_CASE("NormalisePostcode") {
  CHECK(NormalisePostcode("sw1a1aa") == "SW1A 1AA");
  CHECK(NormalisePostcode(" M1  1AE ") == "M1 1AE");
  CHECK(NormalisePostcode("B338TH") == "B33 8TH");
}

TEST_CASE("NormaliseKey by kind") {
  CHECK(NormaliseKey(NodeKind::kPlate, " ab12 cde") == "AB12CDE");
  CHECK(NormaliseKey(NodeKind::kVehicle, "wvwzzz1jzxw000001 ") == "WVWZZZ1JZXW000001");
  CHECK(NormaliseKey(NodeKind::kPerson, "16/1234J") == "16/0001234J");
  CHECK(NormaliseKey(NodeKind::kPerson, " smith/john/1990-01-02") == "SMITH/JOHN/1990-01-02");
  CHECK(NormaliseKey(NodeKind::kOffence, "mps/cr-1 ") == "MPS/CR-1");
  CHECK(NormaliseKey(NodeKind::kLocation, " site-m6-12") == "SITE-M6-12");
}

// The examples of NormaliseKey's comment and graph.h's key table, worked by hand: offence and
// location keys are upper-cased whole; a person key that is a PNC ID with a lower-case check
// letter is upper-cased first, then zero-padded (16/1234 -> 160001234 mod 23 = 9 -> 'J').
TEST_CASE("NormaliseKey upper-cases offence and location keys and a PNC ID's check letter") {
  CHECK(NormaliseKey(NodeKind::kOffence, " wmp/wmp/0000001/24 ") == "WMP/WMP/0000001/24");
  CHECK(NormaliseKey(NodeKind::kLocation, "site-m6-0042-n") == "SITE-M6-0042-N");
  CHECK(NormaliseKey(NodeKind::kPerson, "16/1234j") == "16/0001234J");
}

}  // namespace
}  // namespace polegraph
