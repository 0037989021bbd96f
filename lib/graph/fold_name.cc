// Name folding (FoldName) and UTF-8 validation (IsValidUtf8) for keys.h.
//
// FoldName decodes UTF-8 (dropping invalid bytes) and maps each code point:
//   - ASCII letters are upper-cased, digits kept;
//   - Latin-1 Supplement (U+00C0-U+00FF) and Latin Extended-A (U+0100-U+017F) letters fold to
//     their ASCII base letters by the tables below (e -> E, n~ -> N, sharp s -> SS, o/ -> O,
//     ae -> AE, oe -> OE, thorn -> TH, ij -> IJ);
//   - apostrophes (' ` U+00B4 U+02BC U+2018 U+2019) and combining marks (U+0300-U+036F, from
//     decomposed input such as "e" + U+0301) vanish;
//   - every other character (spaces, hyphens, commas, dots, other scripts) becomes a space;
// then runs of spaces collapse to one and leading/trailing spaces go.
// Cost: one pass over the input, O(n).
#include <cstdint>

#include "polegraph/keys.h"

namespace polegraph {
namespace {

// Folds of U+00C0..U+00FF; "" marks a non-letter (becomes a space).
constexpr std::string_view kLatin1[64] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",   // C0
    "D", "N", "O", "O", "O", "O", "O",  "",  "O", "U", "U", "U", "U", "Y", "TH", "SS",  // D0
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",   // E0
    "D", "N", "O", "O", "O", "O", "O",  "",  "O", "U", "U", "U", "U", "Y", "TH", "Y",   // F0
};

// Folds of U+0100..U+017F as ranges of code points sharing a base letter.
struct FoldRange {
  char32_t first, last;
  std::string_view fold;
};
constexpr FoldRange kLatinExtendedA[] = {
    {0x100, 0x105, "A"}, {0x106, 0x10D, "C"},  {0x10E, 0x111, "D"}, {0x112, 0x11B, "E"},
    {0x11C, 0x123, "G"}, {0x124, 0x127, "H"},  {0x128, 0x131, "I"}, {0x132, 0x133, "IJ"},
    {0x134, 0x135, "J"}, {0x136, 0x138, "K"},  {0x139, 0x142, "L"}, {0x143, 0x14B, "N"},
    {0x14C, 0x151, "O"}, {0x152, 0x153, "OE"}, {0x154, 0x159, "R"}, {0x15A, 0x161, "S"},
    {0x162, 0x167, "T"}, {0x168, 0x173, "U"},  {0x174, 0x175, "W"}, {0x176, 0x178, "Y"},
    {0x179, 0x17E, "Z"}, {0x17F, 0x17F, "S"},
};

// Decodes one UTF-8 sequence at s[*i]; advances *i. Returns false (and advances one byte) on an
// invalid sequence: a bad lead or continuation byte, an overlong form, a surrogate, or a code
// point above U+10FFFF.
bool DecodeUtf8(std::string_view s, std::size_t* i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  int extra;
  char32_t min;
  if (b0 < 0x80) {
    *cp = b0;
    ++*i;
    return true;
  } else if ((b0 & 0xE0) == 0xC0) {
    extra = 1, min = 0x80, *cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2, min = 0x800, *cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3, min = 0x10000, *cp = b0 & 0x07;
  } else {
    ++*i;
    return false;
  }
  if (*i + static_cast<std::size_t>(extra) >= s.size()) {
    ++*i;
    return false;
  }
  for (int k = 1; k <= extra; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return false;
    }
    *cp = (*cp << 6) | (b & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) {
    ++*i;
    return false;
  }
  *i += static_cast<std::size_t>(extra) + 1;
  return true;
}

bool IsApostrophe(char32_t c) {
  return c == U'\'' || c == U'`' || c == 0xB4 || c == 0x2BC || c == 0x2018 || c == 0x2019;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  char32_t cp;
  while (i < s.size()) {
    // ASCII bytes (most of every record) are valid alone: skip them without decoding.
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    if (!DecodeUtf8(s, &i, &cp)) return false;
  }
  return true;
}

std::string FoldName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool pending_space = false;
  auto emit = [&](std::string_view letters) {
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.append(letters);
  };
  std::size_t i = 0;
  while (i < name.size()) {
    char32_t c;
    if (!DecodeUtf8(name, &i, &c)) continue;  // invalid bytes are dropped
    if (IsApostrophe(c) || (c >= 0x300 && c <= 0x36F)) continue;
    if (c >= 'a' && c <= 'z') {
      const char up = static_cast<char>(c - 'a' + 'A');
      emit(std::string_view(&up, 1));
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      const char ch = static_cast<char>(c);
      emit(std::string_view(&ch, 1));
    } else if (c >= 0xC0 && c <= 0xFF && !kLatin1[c - 0xC0].empty()) {
      emit(kLatin1[c - 0xC0]);
    } else if (c >= 0x100 && c <= 0x17F) {
      for (const FoldRange& r : kLatinExtendedA) {
        if (c >= r.first && c <= r.last) emit(r.fold);
      }
    } else {
      pending_space = true;
    }
  }
  return out;
}

}  // namespace polegraph
