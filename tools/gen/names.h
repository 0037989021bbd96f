// Name tables for polegraph-gen: UK forenames (male and female) and surnames in rough order of
// frequency, drawn with Zipf-like weights so a few names are very common and most are rare;
// a few accented and non-English names (Zoë, Seán, José, Łukasz, Wójcik) are included. Also the
// spelling variants a PND record may use for someone already on the PNC.
#ifndef POLEGRAPH_TOOLS_GEN_NAMES_H_
#define POLEGRAPH_TOOLS_GEN_NAMES_H_

#include <string>
#include <string_view>

#include "polegraph/common.pb.h"
#include "rng.h"

namespace polegraph::gen {

struct NameParts {
  std::string forename, middle, surname;
};

// Draws a name; `male` chooses the forename list.
NameParts DrawName(Rng& rng, bool male);
// A second forename (used for middle names and aliases).
std::string DrawForename(Rng& rng, bool male);
std::string DrawSurname(Rng& rng);

// How a PND record spells a PNC person's name (see the README (polegraph-gen and truth.json) "duplicates"): a variant that
// polegraph::FoldName resolves to the same folded forename and surname (upper or lower case,
// accents dropped, apostrophes dropped, hyphen as space, extra spaces, middle names dropped).
// `kind` receives a short description of the change.
NameParts SpellingVariant(const NameParts& name, Rng& rng, std::string* kind);

// "forename middle surname" with single spaces (empty parts skipped).
std::string JoinName(const NameParts& name);
void SetName(const NameParts& name, pb::PersonName* out);

}  // namespace polegraph::gen

#endif  // POLEGRAPH_TOOLS_GEN_NAMES_H_
