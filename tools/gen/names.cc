// Name tables and spelling variants; see names.h.
#include "names.h"

#include <array>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace polegraph::gen {
namespace {

// Roughly by frequency among UK adults (most common first).
constexpr std::string_view kMale[] = {
    "David",     "John",        "Michael",   "Paul",    "Andrew",   "James",    "Mark",
    "Daniel",    "Christopher", "Thomas",    "Robert",  "Richard",  "Stephen",  "Matthew",
    "Peter",     "William",     "Anthony",   "Lee",     "Jack",     "Ryan",     "Joshua",
    "Kevin",     "Gary",        "Craig",     "Darren",  "Jamie",    "Liam",     "Adam",
    "Samuel",    "Benjamin",    "Luke",      "Oliver",  "Harry",    "George",   "Jason",
    "Ian",       "Carl",        "Dean",      "Wayne",   "Shaun",    "Scott",    "Nathan",
    "Connor",    "Callum",      "Jordan",    "Kieran",  "Aaron",    "Bradley",  "Lewis",
    "Alexander", "Joseph",      "Charlie",   "Jacob",   "Mohammed", "Muhammad", "Ben",
    "Simon",     "Martin",      "Neil",      "Stuart",  "Alan",     "Brian",    "Patrick",
    "Sean",      "Tyler",       "Kyle",      "Ethan",   "Dylan",    "Reece",    "Declan",
    "Edward",    "Henry",       "Samir",     "Ahmed",   "Ali",      "Omar",     "Hassan",
    "Bilal",     "Imran",       "Tariq",     "Kamran",  "Rajesh",   "Sanjay",   "Arjun",
    "Piotr",     "Krzysztof",   "Tomasz",    "Mateusz", "Jakub",    "Łukasz",   "Paweł",
    "Andrei",    "Mihai",       "Ionuț",     "Seán",    "José",     "Jérôme",   "Kwame",
    "Tunde",     "Chinedu",     "Darius",    "Elliot",  "Frankie",  "Archie",   "Alfie",
    "Reggie",    "Ronnie",      "Tommy",     "Finley",  "Harvey",   "Jayden",   "Kai",
    "Leon",      "Marcus",      "Nathaniel", "Owen",    "Rhys",     "Gareth",   "Dafydd",
    "Iwan",
};
constexpr std::string_view kFemale[] = {
    "Sarah",      "Emma",     "Laura",  "Rebecca",  "Claire",   "Nicola",    "Lisa",
    "Michelle",   "Kelly",    "Gemma",  "Samantha", "Amy",      "Hannah",    "Jessica",
    "Charlotte",  "Lauren",   "Sophie", "Emily",    "Chloe",    "Katie",     "Jade",
    "Danielle",   "Natalie",  "Stacey", "Amanda",   "Karen",    "Tracey",    "Joanne",
    "Julie",      "Donna",    "Helen",  "Susan",    "Louise",   "Victoria",  "Elizabeth",
    "Rachel",     "Jennifer", "Angela", "Deborah",  "Caroline", "Zoe",       "Megan",
    "Shannon",    "Bethany",  "Leah",   "Abigail",  "Holly",    "Jasmine",   "Eleanor",
    "Olivia",     "Amelia",   "Isla",   "Ava",      "Grace",    "Mia",       "Poppy",
    "Ella",       "Lily",     "Evie",   "Ruby",     "Freya",    "Daisy",     "Alice",
    "Ellie",      "Kirsty",   "Kerry",  "Charlene", "Toni",     "Jodie",     "Leanne",
    "Hayley",     "Kayleigh", "Fatima", "Ayesha",   "Aisha",    "Zainab",    "Maryam",
    "Amina",      "Priya",    "Sana",   "Nadia",    "Shabana",  "Agnieszka", "Katarzyna",
    "Małgorzata", "Anna",     "Maria",  "Ioana",    "Zoë",      "Chloë",     "Siobhán",
    "Róisín",     "Sinéad",   "Niamh",  "Aoife",    "Renée",    "Ngozi",     "Precious",
    "Chantelle",  "Carys",    "Ffion",  "Seren",    "Bronwen",  "Mary-Jane", "Emma-Louise",
    "Lucy",       "Georgia",  "Paige",  "Courtney", "Demi",     "Tia",       "Kimberley",
    "Gail",       "Sharon",   "Dawn",
};
constexpr std::string_view kSurnames[] = {
    "Smith",          "Jones",     "Williams",    "Taylor",       "Brown",
    "Davies",         "Evans",     "Wilson",      "Thomas",       "Johnson",
    "Roberts",        "Robinson",  "Thompson",    "Wright",       "Walker",
    "White",          "Edwards",   "Hughes",      "Green",        "Hall",
    "Lewis",          "Harris",    "Clarke",      "Patel",        "Jackson",
    "Wood",           "Turner",    "Martin",      "Cooper",       "Hill",
    "Ward",           "Morris",    "Moore",       "Clark",        "Lee",
    "King",           "Baker",     "Harrison",    "Morgan",       "Allen",
    "James",          "Scott",     "Phillips",    "Watson",       "Davis",
    "Parker",         "Price",     "Bennett",     "Young",        "Griffiths",
    "Mitchell",       "Kelly",     "Cook",        "Carter",       "Richardson",
    "Bailey",         "Collins",   "Bell",        "Shaw",         "Murphy",
    "Miller",         "Cox",       "Richards",    "Khan",         "Marshall",
    "Anderson",       "Simpson",   "Ellis",       "Adams",        "Singh",
    "Begum",          "Wilkinson", "Foster",      "Chapman",      "Powell",
    "Webb",           "Rogers",    "Gray",        "Mason",        "Ali",
    "Hunt",           "Hussain",   "Campbell",    "Matthews",     "Owen",
    "Palmer",         "Holmes",    "Mills",       "Barnes",       "Knight",
    "Lloyd",          "Butler",    "Russell",     "Barker",       "Fisher",
    "Stevens",        "Jenkins",   "Murray",      "Dixon",        "Harvey",
    "Graham",         "Pearson",   "Ahmed",       "Fletcher",     "Walsh",
    "Kaur",           "Gibson",    "Howard",      "Andrews",      "Stewart",
    "Elliott",        "Reynolds",  "Saunders",    "Payne",        "Fox",
    "Ford",           "Pearce",    "Day",         "Brooks",       "West",
    "Lawrence",       "Cole",      "Atkinson",    "Bradley",      "Spencer",
    "Gill",           "Dawson",    "Ball",        "Burton",       "O'Brien",
    "Watts",          "Rose",      "Booth",       "Perry",        "Ryan",
    "Grant",          "Wells",     "Armstrong",   "Francis",      "Rees",
    "Hayes",          "Hart",      "Hudson",      "Newman",       "Barrett",
    "Webster",        "Hunter",    "Gregory",     "Carr",         "Lowe",
    "Page",           "Marsh",     "Riley",       "Dunn",         "Woods",
    "Parsons",        "Berry",     "Stone",       "Reid",         "Holland",
    "Hawkins",        "Harding",   "Porter",      "Robertson",    "Newton",
    "Oliver",         "Reed",      "Kennedy",     "Williamson",   "Bird",
    "Gardner",        "Shah",      "Dean",        "Lane",         "Cooke",
    "Bates",          "Henderson", "Parry",       "Burgess",      "Bishop",
    "Walton",         "Burns",     "Nicholson",   "Shepherd",     "Ross",
    "Cross",          "Long",      "Freeman",     "Warren",       "Nicholls",
    "Hamilton",       "Byrne",     "Sutton",      "McDonald",     "Yates",
    "Hodgson",        "Robson",    "Curtis",      "Hopkins",      "O'Connor",
    "Harper",         "Coleman",   "Watkins",     "Moss",         "McCarthy",
    "Chambers",       "O'Neill",   "Griffin",     "Sharp",        "Hardy",
    "Wheeler",        "Potter",    "Osborne",     "Johnston",     "Gordon",
    "Doyle",          "Wallace",   "George",      "Jordan",       "Hutchinson",
    "Rowe",           "Burke",     "May",         "Pritchard",    "Gilbert",
    "Willis",         "Higgins",   "Read",        "Miles",        "Stevenson",
    "Stephenson",     "Hammond",   "Arnold",      "Buckley",      "Walters",
    "Hewitt",         "Barber",    "Nelson",      "Slater",       "Austin",
    "Sullivan",       "Whitehead", "Mann",        "Frost",        "Lambert",
    "Stephens",       "Blake",     "Akhtar",      "Lynch",        "Goodwin",
    "Barton",         "Woodward",  "Thomson",     "Cunningham",   "Quinn",
    "Barnett",        "Baxter",    "Bibi",        "Clayton",      "Nash",
    "Greenwood",      "Jennings",  "Holt",        "Kemp",         "Poole",
    "Gallagher",      "Bond",      "Stokes",      "Tucker",       "Davidson",
    "Fowler",         "Heath",     "Norman",      "Middleton",    "Lawson",
    "Banks",          "French",    "Stanley",     "Jarvis",       "Gibbs",
    "Ferguson",       "Hayward",   "Carroll",     "Douglas",      "Dickinson",
    "Todd",           "Barlow",    "Peters",      "Lucas",        "Knowles",
    "Hartley",        "Miah",      "Morton",      "Field",        "Norris",
    "Townsend",       "Preston",   "Nowak",       "Kowalski",     "Wiśniewski",
    "Wójcik",         "Kowalczyk", "Popescu",     "Ionescu",      "Okafor",
    "Adeyemi",        "Mensah",    "García",      "Rodríguez",    "Fernández",
    "Ó Súilleabháin", "MacNeil",   "Smith-Jones", "Lloyd-Davies", "Hughes-Parry",
    "Ap Rhys",        "D'Souza",
};

const WeightedTable& MaleTable() {
  static const WeightedTable t = WeightedTable::Zipf(std::size(kMale), 0.8);
  return t;
}
const WeightedTable& FemaleTable() {
  static const WeightedTable t = WeightedTable::Zipf(std::size(kFemale), 0.8);
  return t;
}
const WeightedTable& SurnameTable() {
  static const WeightedTable t = WeightedTable::Zipf(std::size(kSurnames), 0.75);
  return t;
}

// Latin-1 and Latin Extended-A letters with a canonical decomposition (so any Unicode-aware
// accent folding drops the accent) -> base letter. Ł/ł has no decomposition and is left alone.
struct Accent {
  std::string_view utf8, plain;
};
constexpr Accent kAccents[] = {
    {"é", "e"}, {"è", "e"}, {"ë", "e"}, {"ê", "e"}, {"É", "E"}, {"á", "a"}, {"à", "a"},
    {"í", "i"}, {"ó", "o"}, {"ô", "o"}, {"Ó", "O"}, {"ú", "u"}, {"ü", "u"}, {"ñ", "n"},
    {"ś", "s"}, {"ń", "n"}, {"ț", "t"}, {"ç", "c"}, {"î", "i"}, {"Ú", "U"},
};

std::string DropAccents(std::string_view s, bool* changed) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool hit = false;
    for (const Accent& a : kAccents) {
      if (s.substr(i, a.utf8.size()) == a.utf8) {
        out += a.plain;
        i += a.utf8.size();
        hit = true;
        *changed = true;
        break;
      }
    }
    if (!hit) out += s[i++];
  }
  return out;
}

std::string AsciiCase(std::string_view s, bool upper) {
  std::string out(s);
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string DrawForename(Rng& rng, bool male) {
  return male ? std::string(kMale[MaleTable().Pick(rng)])
              : std::string(kFemale[FemaleTable().Pick(rng)]);
}
std::string DrawSurname(Rng& rng) { return std::string(kSurnames[SurnameTable().Pick(rng)]); }

NameParts DrawName(Rng& rng, bool male) {
  NameParts n;
  n.forename = DrawForename(rng, male);
  if (rng.Chance(0.55)) n.middle = DrawForename(rng, male);
  n.surname = DrawSurname(rng);
  return n;
}

NameParts SpellingVariant(const NameParts& name, Rng& rng, std::string* kind) {
  NameParts v = name;
  v.middle.clear();  // PND records usually carry no middle names
  // Try the kinds in a random rotation and keep the first that changes something.
  const int start = static_cast<int>(rng.Below(5));
  for (int k = 0; k < 5; ++k) {
    switch ((start + k) % 5) {
      case 0: {  // accents dropped
        bool changed = false;
        NameParts w = v;
        w.forename = DropAccents(v.forename, &changed);
        w.surname = DropAccents(v.surname, &changed);
        if (changed) {
          *kind = "accents dropped";
          return w;
        }
        break;
      }
      case 1: {  // apostrophe dropped or hyphen as space
        NameParts w = v;
        bool changed = false;
        for (std::string* s : {&w.forename, &w.surname}) {
          std::string out;
          for (char c : *s) {
            if (c == '\'') {
              changed = true;
              continue;
            }
            if (c == '-') {
              changed = true;
              out += ' ';
              continue;
            }
            out += c;
          }
          *s = out;
        }
        if (changed) {
          *kind = "punctuation";
          return w;
        }
        break;
      }
      case 2: {  // upper case (as many legacy systems store names)
        NameParts w = v;
        w.forename = AsciiCase(v.forename, true);
        w.surname = AsciiCase(v.surname, true);
        *kind = "upper case";
        return w;
      }
      case 3: {  // extra spaces
        NameParts w = v;
        w.forename = absl::StrCat(" ", v.forename, "  ");
        w.surname = absl::StrCat("  ", v.surname);
        *kind = "extra spaces";
        return w;
      }
      case 4: {  // lower case
        NameParts w = v;
        w.forename = AsciiCase(v.forename, false);
        w.surname = AsciiCase(v.surname, false);
        *kind = "lower case";
        return w;
      }
    }
  }
  *kind = "middle names dropped";
  return v;
}

std::string JoinName(const NameParts& name) {
  std::string out;
  for (const std::string* s : {&name.forename, &name.middle, &name.surname}) {
    if (s->empty()) continue;
    if (!out.empty()) out += ' ';
    out += *s;
  }
  return out;
}

void SetName(const NameParts& name, pb::PersonName* out) {
  out->set_forename(name.forename);
  if (!name.middle.empty()) out->set_middle_names(name.middle);
  out->set_surname(name.surname);
}

}  // namespace polegraph::gen
