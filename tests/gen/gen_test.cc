// Tests of polegraph-gen: runs the built binary (POLEGRAPH_GEN) into temporary directories at
// small scales and checks the output against independent oracles written here: record parsing
// with ExtractReader, identifier shape rules (tools/gen/ids.h, themselves checked against
// hand-worked examples below), a brute-force convoy / clone search over the reads, and the
// truth.json bookkeeping (every bad record really is invalid at its index, and no other record
// is).
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../../tools/gen/ids.h"
#include "absl/strings/str_cat.h"
#include "gen/mini_json.h"
#include "polegraph/anpr.pb.h"
#include "polegraph/extract.h"
#include "polegraph/pnc.pb.h"
#include "polegraph/pnd.pb.h"

namespace {

namespace fs = std::filesystem;
using polegraph::testing::Json;
namespace pb = polegraph::pb;
namespace gen = polegraph::gen;

fs::path Generate(const std::string& name, double scale, int seed, double bad = 0) {
  fs::path dir = fs::temp_directory_path() / absl::StrCat("polegraph-gen-test-", getpid()) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string cmd = absl::StrCat(POLEGRAPH_GEN, " --scale ", scale, " --seed ", seed,
                                 " --bad-fraction ", bad, " --out ", dir.string(), " > ",
                                 (dir / "summary.json").string());
  REQUIRE(std::system(cmd.c_str()) == 0);
  return dir;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Json Truth(const fs::path& dir) { return Json::Parse(Slurp(dir / "truth.json")); }

template <typename Record>
std::vector<Record> ReadAll(const fs::path& path) {
  auto reader = polegraph::ExtractReader::Open(path.string());
  REQUIRE(reader.ok());
  std::vector<Record> out;
  polegraph::ExtractReader::Frame frame;
  for (;;) {
    auto more = (*reader)->Next(&frame);
    REQUIRE(more.ok());
    if (!*more) break;
    REQUIRE(frame.index == out.size());
    Record r;
    REQUIRE((*reader)->Parse(frame.payload, &r).ok());
    out.push_back(std::move(r));
  }
  return out;
}

// --- independent validity oracle ---------------------------------------------------------
bool Utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (n < 0 || i + n >= s.size() + (n == 0 ? 1 : 0)) return false;
    for (int k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += n + 1;
  }
  return true;
}
bool BadDate(const pb::Date& d) {
  if (d.year() == 0 && d.month() == 0 && d.day() == 0) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.month() < 1 || d.month() > 12 || d.day() < 1) return true;
  bool leap = (d.year() % 4 == 0 && d.year() % 100 != 0) || d.year() % 400 == 0;
  int max = d.month() == 2 && !leap ? 28 : kDays[d.month() - 1];
  return d.day() > max;
}
std::string Norm(const std::string& vrm) {
  std::string out;
  for (char c : vrm) {
    if (c == ' ') continue;
    out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  }
  return out;
}
void NameDefects(const pb::PersonName& n, std::set<std::string>* d) {
  if (!Utf8(n.forename()) || !Utf8(n.middle_names()) || !Utf8(n.surname())) d->insert("invalid_utf8");
}
void RefDefects(const pb::PersonRef& p, std::set<std::string>* d) {
  NameDefects(p.name(), d);
  if (BadDate(p.date_of_birth())) d->insert("impossible_date");
  if (p.sex() > 3) d->insert("unknown_enum");
}
void MetaDefects(const pb::RecordMeta& m, std::set<std::string>* d) {
  if (m.record_id().empty()) d->insert("empty_record_id");
  if (m.marking().classification() > 4) d->insert("unknown_enum");
}

std::set<std::string> Defects(const pb::PncRecord& r) {
  std::set<std::string> d;
  if (r.has_nominal()) {
    const pb::Nominal& n = r.nominal();
    MetaDefects(n.meta(), &d);
    if (n.pnc_id().empty()) d.insert("missing_key");
    NameDefects(n.name(), &d);
    for (const auto& a : n.aliases()) NameDefects(a, &d);
    if (BadDate(n.date_of_birth())) d.insert("impossible_date");
    for (const auto& a : n.alternative_dates_of_birth()) if (BadDate(a)) d.insert("impossible_date");
    if (n.sex() > 3) d.insert("unknown_enum");
  } else {
    const pb::Vehicle& v = r.vehicle();
    MetaDefects(v.meta(), &d);
    if (v.vrm().empty() && v.vin().empty()) d.insert("missing_key");
    if (!v.vrm().empty() && !gen::IsValidVrmShape(Norm(v.vrm()))) d.insert("bad_vrm");
    if (!Utf8(v.make()) || !Utf8(v.model()) || !Utf8(v.colour())) d.insert("invalid_utf8");
    RefDefects(v.keeper().person(), &d);
  }
  return d;
}
std::set<std::string> Defects(const pb::PndRecord& r) {
  std::set<std::string> d;
  if (r.has_crime()) {
    const pb::Crime& c = r.crime();
    MetaDefects(c.meta(), &d);
    if (c.crime_reference().empty()) d.insert("missing_key");
    if (!Utf8(c.modus_operandi())) d.insert("invalid_utf8");
    for (const auto& p : c.people()) {
      RefDefects(p.person(), &d);
      if (p.role() > 4) d.insert("unknown_enum");
    }
  } else if (r.has_intelligence()) {
    const pb::Intelligence& i = r.intelligence();
    MetaDefects(i.meta(), &d);
    if (!Utf8(i.text())) d.insert("invalid_utf8");
    if (i.grading().source() > 3) d.insert("unknown_enum");
    for (const auto& p : i.subjects()) RefDefects(p, &d);
    for (const auto& p : i.associates()) RefDefects(p, &d);
  } else {
    const pb::Custody& c = r.custody();
    MetaDefects(c.meta(), &d);
    if (c.custody_id().empty()) d.insert("missing_key");
    RefDefects(c.detainee(), &d);
  }
  return d;
}
std::set<std::string> Defects(const pb::AnprRecord& r) {
  std::set<std::string> d;
  if (r.has_site()) {
    MetaDefects(r.site().meta(), &d);
    if (r.site().site_id().empty()) d.insert("missing_key");
    return d;
  }
  const pb::Read& x = r.read();
  MetaDefects(x.meta(), &d);
  if (x.site_id().empty() || x.vrm().empty()) d.insert("missing_key");
  if (!x.vrm().empty() && !gen::IsValidVrmShape(Norm(x.vrm()))) d.insert("bad_vrm");
  if (!Utf8(x.make()) || !Utf8(x.colour())) d.insert("invalid_utf8");
  return d;
}

// PNC ID as the ingest rules key it: "YY/NNNNNNNA" with the serial padded to 7 digits.
std::string PadPncId(const std::string& id) {
  auto slash = id.find('/');
  if (slash == std::string::npos) return id;
  std::string serial = id.substr(slash + 1, id.size() - slash - 2);
  return id.substr(0, slash + 1) + std::string(7 - std::min<std::size_t>(7, serial.size()), '0') +
         serial + id.back();
}

struct Extract {
  std::vector<pb::PncRecord> pnc;
  std::vector<pb::PndRecord> pnd;
  std::vector<pb::AnprRecord> anpr;
  Json truth;
};
Extract Load(const fs::path& dir) {
  return {ReadAll<pb::PncRecord>(dir / "pnc.pb"), ReadAll<pb::PndRecord>(dir / "pnd.pb"),
          ReadAll<pb::AnprRecord>(dir / "anpr.pb"), Truth(dir)};
}

}  // namespace

TEST_CASE("identifier rules agree with hand-worked examples", "[gen]") {
  // 16/1234A: 161234 -> serial 0001234, 160001234 mod 23 = 160001234 - 23*6956575 = 9 -> 'J'.
  REQUIRE(gen::PncCheckLetter(16, 1234) == gen::kCheckLetters[160001234 % 23]);
  REQUIRE(160001234 % 23 == 9);
  REQUIRE(gen::FormatPncId(16, 1234) == "16/0001234J");
  REQUIRE(gen::FormatPncId(16, 1234, false) == "16/1234J");
  REQUIRE(gen::IsCanonicalPncId("16/0001234J"));
  REQUIRE_FALSE(gen::IsCanonicalPncId("16/0001234K"));
  REQUIRE(gen::IsValidVrmShape("AB12CDE"));
  REQUIRE(gen::IsValidVrmShape("A123BCD"));
  REQUIRE(gen::IsValidVrmShape("ABC123D"));
  REQUIRE(gen::IsValidVrmShape("ABC123"));
  REQUIRE(gen::IsValidVrmShape("1234AB"));
  REQUIRE_FALSE(gen::IsValidVrmShape("AB1#CDE"));
  REQUIRE_FALSE(gen::IsValidVrmShape("ABCDEFGH12"));
  REQUIRE_FALSE(gen::IsValidVrmShape("AB12CD3"));
  // AB12CDE: B->8 gives A812CDE (a prefix-format mark); the other swaps break the shape.
  auto m = gen::MisreadCandidates("AB12CDE");
  REQUIRE(std::find(m.begin(), m.end(), "A812CDE") != m.end());
  for (const auto& x : m) REQUIRE(gen::IsValidVrmShape(x));
  // The ISO 3779 check digit of the textbook VIN 1M8GDM9AXKP042788 is X.
  REQUIRE(gen::VinCheckDigit("1M8GDM9AXKP042788") == 'X');
}

TEST_CASE("same seed gives identical bytes, another seed different ones", "[gen]") {
  fs::path a = Generate("det-a", 0.02, 7, 0.01), b = Generate("det-b", 0.02, 7, 0.01);
  fs::path c = Generate("det-c", 0.02, 8, 0.01);
  for (const char* f : {"pnc.pb", "pnd.pb", "anpr.pb", "truth.json"}) {
    INFO(f);
    std::string x = Slurp(a / f);
    REQUIRE(x.size() > 100);
    REQUIRE(x == Slurp(b / f));
    REQUIRE(x != Slurp(c / f));
  }
}

TEST_CASE("record counts grow linearly and two thirds are reads", "[gen]") {
  Json small = Truth(Generate("lin-1", 0.01, 3)), big = Truth(Generate("lin-4", 0.04, 3));
  const double s = small["counts"]["records"].number, b = big["counts"]["records"].number;
  CHECK(s > 8000);
  CHECK(s < 14000);
  CHECK(b / s > 3.4);
  CHECK(b / s < 4.4);
  for (const Json* t : {&small, &big}) {
    const Json& c = (*t)["counts"];
    double reads = c["reads"].number / c["records"].number;
    CHECK(reads > 0.64);
    CHECK(reads < 0.69);
    CHECK(c["pnc.pb"].number + c["pnd.pb"].number + c["anpr.pb"].number == c["records"].number);
  }
}

TEST_CASE("every bad record is invalid at its index and no other record is", "[gen]") {
  Extract e = Load(Generate("bad", 0.03, 11, 0.04));
  std::map<std::pair<std::string, std::uint64_t>, std::string> bad;
  for (const Json& b : e.truth["bad_records"].array) {
    bad[{b["file"].string, b["index"].Uint()}] = b["reason"].string;
  }
  REQUIRE(bad.size() > 100);
  std::set<std::string> reasons;
  auto check = [&](const std::string& file, std::uint64_t i, const std::set<std::string>& d) {
    auto it = bad.find({file, i});
    INFO(file << " record " << i);
    if (it == bad.end()) {
      REQUIRE(d.empty());
    } else {
      REQUIRE(d.count(it->second) == 1);
      reasons.insert(it->second);
    }
  };
  for (std::size_t i = 0; i < e.pnc.size(); ++i) check("pnc.pb", i, Defects(e.pnc[i]));
  for (std::size_t i = 0; i < e.pnd.size(); ++i) check("pnd.pb", i, Defects(e.pnd[i]));
  for (std::size_t i = 0; i < e.anpr.size(); ++i) check("anpr.pb", i, Defects(e.anpr[i]));
  REQUIRE(reasons == std::set<std::string>{"bad_vrm", "empty_record_id", "impossible_date",
                                           "invalid_utf8", "missing_key", "unknown_enum"});
  const double fraction = static_cast<double>(bad.size()) /
                          static_cast<double>(e.pnc.size() + e.pnd.size() + e.anpr.size());
  CHECK(fraction > 0.03);
  CHECK(fraction < 0.05);
}

namespace {

// Accent and punctuation folding for the names the generator uses (an oracle for the
// duplicates check, independent of the generator's variant code).
std::string Fold(const std::string& s) {
  static const std::pair<const char*, const char*> kMap[] = {
      {"é", "E"}, {"è", "E"}, {"ë", "E"}, {"ê", "E"}, {"É", "E"}, {"á", "A"}, {"à", "A"},
      {"í", "I"}, {"ó", "O"}, {"ô", "O"}, {"Ó", "O"}, {"ú", "U"}, {"ü", "U"}, {"ñ", "N"},
      {"ś", "S"}, {"ń", "N"}, {"ț", "T"}, {"ç", "C"}, {"î", "I"}, {"Ú", "U"}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool hit = false;
    for (const auto& [from, to] : kMap) {
      std::string f(from);
      if (s.compare(i, f.size(), f) == 0) {
        out += to;
        i += f.size();
        hit = true;
        break;
      }
    }
    if (hit) continue;
    char c = s[i++];
    if (c == '\'') continue;
    if (c == '-') c = ' ';
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}
std::string FoldName(const pb::PersonName& n) {
  return Fold(n.forename()) + "|" + Fold(n.surname());
}
bool SameDate(const pb::Date& a, const pb::Date& b) {
  return a.year() == b.year() && a.month() == b.month() && a.day() == b.day();
}

}  // namespace

TEST_CASE("truth keys are well formed and name entities in the extracts", "[gen]") {
  Extract e = Load(Generate("truth", 0.05, 5));
  std::map<std::string, const pb::Nominal*> nominals;
  std::map<std::string, const pb::Vehicle*> by_vin, by_vrm;
  for (const auto& r : e.pnc) {
    if (r.has_nominal()) {
      REQUIRE(gen::IsCanonicalPncId(PadPncId(r.nominal().pnc_id())));
      nominals[PadPncId(r.nominal().pnc_id())] = &r.nominal();
    } else {
      REQUIRE(gen::IsValidVinShape(r.vehicle().vin()));
      REQUIRE(gen::VinCheckDigit(r.vehicle().vin()) == r.vehicle().vin()[8]);
      REQUIRE(gen::IsValidVrmShape(Norm(r.vehicle().vrm())));
      REQUIRE(by_vin.emplace(r.vehicle().vin(), &r.vehicle()).second);  // VINs distinct
      REQUIRE(by_vrm.emplace(Norm(r.vehicle().vrm()), &r.vehicle()).second);  // VRMs distinct
    }
  }
  REQUIRE(nominals.size() == e.truth["counts"]["nominals"].Uint());
  auto person = [&](const std::string& key) {
    REQUIRE(key.rfind("person:", 0) == 0);
    std::string id = key.substr(7);
    REQUIRE(gen::IsCanonicalPncId(id));
    REQUIRE(nominals.count(id) == 1);
    return nominals[id];
  };
  auto vehicle = [&](const std::string& key) {
    REQUIRE(key.rfind("vehicle:", 0) == 0);
    REQUIRE(by_vin.count(key.substr(8)) == 1);
    return by_vin[key.substr(8)];
  };
  auto plate = [&](const std::string& key) {
    REQUIRE(key.rfind("plate:", 0) == 0);
    std::string vrm = key.substr(6);
    REQUIRE(vrm == Norm(vrm));
    REQUIRE(gen::IsValidVrmShape(vrm));
    return vrm;
  };

  // Groups: 5-30 members, and members co-offend (a crime naming >= 2 of them).
  std::map<std::string, int> group_of;
  REQUIRE(e.truth["groups"].array.size() >= 2);
  for (const Json& g : e.truth["groups"].array) {
    REQUIRE(g["members"].array.size() >= 5);
    REQUIRE(g["members"].array.size() <= 30);
    for (const Json& m : g["members"].array) {
      person(m.string);
      group_of[m.string.substr(7)] = static_cast<int>(g["id"].number);
    }
    for (const Json& v : g["vehicles"].array) vehicle(v.string);
  }
  std::map<int, int> co_offences;
  for (const auto& r : e.pnd) {
    if (!r.has_crime()) continue;
    std::map<int, int> per_group;
    for (const auto& p : r.crime().people()) {
      if (auto it = group_of.find(PadPncId(p.person().pnc_id())); it != group_of.end()) {
        ++per_group[it->second];
      }
    }
    for (auto [g, n] : per_group) co_offences[g] += n >= 2;
  }
  for (const Json& g : e.truth["groups"].array) {
    CHECK(co_offences[static_cast<int>(g["id"].number)] >= 3);
  }

  // Duplicates: the record names the person without PNC ID, by a name that folds to the PNC
  // name or an alias, with the PNC date of birth or an alternative one.
  REQUIRE(!e.truth["duplicates"].array.empty());
  for (const Json& d : e.truth["duplicates"].array) {
    const pb::Nominal* n = person(d["person"].string);
    for (const Json& rec : d["records"].array) {
      REQUIRE(rec["file"].string == "pnd.pb");
      REQUIRE_FALSE(rec["pnc_id_present"].boolean);
      const pb::PndRecord& r = e.pnd.at(rec["index"].Uint());
      const pb::PersonRef& ref = r.has_custody() ? r.custody().detainee() : r.intelligence().subjects(0);
      INFO(rec["name"].string);
      REQUIRE(ref.pnc_id().empty());
      REQUIRE(rec["name"].string == ref.name().forename() + " " + ref.name().surname());
      bool name_ok = FoldName(ref.name()) == FoldName(n->name());
      for (const auto& a : n->aliases()) name_ok = name_ok || FoldName(ref.name()) == FoldName(a);
      REQUIRE(name_ok);
      bool dob_ok = SameDate(ref.date_of_birth(), n->date_of_birth());
      for (const auto& a : n->alternative_dates_of_birth()) dob_ok = dob_ok || SameDate(ref.date_of_birth(), a);
      REQUIRE(dob_ok);
    }
  }

  // Reads: sites first, then reads in time order; misreads and clones as described.
  std::map<std::string, const pb::Site*> sites;
  std::size_t first_read = 0;
  while (first_read < e.anpr.size() && e.anpr[first_read].has_site()) {
    sites[e.anpr[first_read].site().site_id()] = &e.anpr[first_read].site();
    ++first_read;
  }
  std::int64_t last = 0;
  std::map<std::string, std::vector<const pb::Read*>> reads_of;
  for (std::size_t i = first_read; i < e.anpr.size(); ++i) {
    REQUIRE(e.anpr[i].has_read());
    const pb::Read& r = e.anpr[i].read();
    REQUIRE(r.read_at() >= last);
    last = r.read_at();
    REQUIRE(sites.count(r.site_id()) == 1);
    reads_of[r.vrm()].push_back(&r);
  }
  for (const Json& m : e.truth["misreads"].array) {
    const pb::AnprRecord& r = e.anpr.at(m["index"].Uint());
    REQUIRE(Norm(r.read().vrm()) == plate(m["read"].string));
    std::string truth_vrm = plate(m["true"].string);
    REQUIRE(by_vrm.count(truth_vrm) == 1);
    std::string read = plate(m["read"].string);
    REQUIRE(read.size() == truth_vrm.size());
    int differences = 0;
    for (std::size_t k = 0; k < read.size(); ++k) differences += read[k] != truth_vrm[k];
    REQUIRE(differences == 1);
  }
  const double misread_rate = static_cast<double>(e.truth["misreads"].array.size()) /
                              e.truth["counts"]["reads"].number;
  CHECK(misread_rate > 0.0005);
  CHECK(misread_rate < 0.01);

  auto km = [&](const pb::Site* a, const pb::Site* b) {
    const double r = 6371.0, d2r = M_PI / 180;
    double x = (b->longitude() - a->longitude()) * d2r * std::cos((a->latitude() + b->latitude()) / 2 * d2r);
    double y = (b->latitude() - a->latitude()) * d2r;
    return r * std::sqrt(x * x + y * y);
  };
  REQUIRE(!e.truth["clones"].array.empty());
  for (const Json& c : e.truth["clones"].array) {
    std::string vrm = plate(c["plate"].string);
    const pb::Vehicle* a = vehicle(c["vehicles"].array.at(0).string);
    const pb::Vehicle* b = vehicle(c["vehicles"].array.at(1).string);
    REQUIRE(Norm(a->vrm()) == vrm);
    REQUIRE(a->make() != b->make());
    REQUIRE(b->stolen_reports_size() == 1);
    // Brute force: pairs of reads of the plate faster than 200 km/h.
    int impossible = 0;
    const auto& rs = reads_of[vrm];
    for (std::size_t i = 0; i < rs.size(); ++i) {
      for (std::size_t k = i + 1; k < rs.size(); ++k) {
        double dt = std::fabs(static_cast<double>(rs[k]->read_at() - rs[i]->read_at())) + 1;
        double d = km(sites[rs[i]->site_id()], sites[rs[k]->site_id()]);
        if (d > 50 && d / (dt / 3600) > 200) {
          ++impossible;
          if (!rs[i]->make().empty() && !rs[k]->make().empty()) CHECK(rs[i]->make() != rs[k]->make());
        }
      }
    }
    CHECK(impossible >= static_cast<int>(c["occasions"].number));
  }

  // Convoys: every pair (lead, follower) is read at >= 3 common sites within 60 s, on >= 2
  // occasions (clusters of such co-reads more than an hour apart).
  REQUIRE(!e.truth["convoys"].array.empty());
  for (const Json& c : e.truth["convoys"].array) {
    REQUIRE(c["plates"].array.size() >= 2);
    REQUIRE(c["occasions"].number >= 2);
    const std::string lead = plate(c["plates"].array[0].string);
    for (std::size_t f = 1; f < c["plates"].array.size(); ++f) {
      const std::string follower = plate(c["plates"].array[f].string);
      std::set<std::string> common;
      std::vector<std::int64_t> times;
      for (const pb::Read* x : reads_of[lead]) {
        for (const pb::Read* y : reads_of[follower]) {
          if (x->site_id() == y->site_id() && std::abs(x->read_at() - y->read_at()) <= 60) {
            common.insert(x->site_id());
            times.push_back(x->read_at());
          }
        }
      }
      std::sort(times.begin(), times.end());
      int occasions = times.empty() ? 0 : 1;
      for (std::size_t k = 1; k < times.size(); ++k) occasions += times[k] - times[k - 1] > 3600;
      CHECK(common.size() >= 3);
      CHECK(occasions >= 2);
    }
  }
}

TEST_CASE("only the planted duplicates match PNC people by name and date of birth", "[gen]") {
  Extract e = Load(Generate("names", 0.05, 9));
  auto key = [](const pb::PersonName& n, const pb::Date& d) {
    return absl::StrCat(FoldName(n), "|", d.year(), "-", d.month(), "-", d.day());
  };
  std::map<std::string, std::set<std::string>> index;  // folded name + dob -> PNC IDs
  for (const auto& r : e.pnc) {
    if (!r.has_nominal()) continue;
    const pb::Nominal& n = r.nominal();
    std::vector<const pb::PersonName*> names{&n.name()};
    for (const auto& a : n.aliases()) names.push_back(&a);
    std::vector<const pb::Date*> dates{&n.date_of_birth()};
    for (const auto& d : n.alternative_dates_of_birth()) dates.push_back(&d);
    for (const auto* name : names) {
      for (const auto* d : dates) index[key(*name, *d)].insert(PadPncId(n.pnc_id()));
    }
  }
  std::map<std::uint64_t, std::string> planted;  // PND index -> PNC ID
  for (const Json& d : e.truth["duplicates"].array) {
    for (const Json& rec : d["records"].array) planted[rec["index"].Uint()] = d["person"].string.substr(7);
  }
  REQUIRE(planted.size() > 20);
  std::size_t refs_without_id = 0;
  auto check = [&](std::uint64_t i, const pb::PersonRef& ref) {
    if (!ref.pnc_id().empty()) return;
    ++refs_without_id;
    auto it = index.find(key(ref.name(), ref.date_of_birth()));
    INFO("pnd.pb record " << i << ": " << ref.name().forename() << " " << ref.name().surname());
    if (auto p = planted.find(i); p != planted.end()) {
      REQUIRE(it != index.end());
      REQUIRE(it->second == std::set<std::string>{p->second});
    } else {
      REQUIRE(it == index.end());
    }
  };
  for (std::uint64_t i = 0; i < e.pnd.size(); ++i) {
    const pb::PndRecord& r = e.pnd[i];
    if (r.has_crime()) for (const auto& p : r.crime().people()) check(i, p.person());
    if (r.has_intelligence()) {
      for (const auto& p : r.intelligence().subjects()) check(i, p);
      for (const auto& p : r.intelligence().associates()) check(i, p);
    }
    if (r.has_custody()) check(i, r.custody().detainee());
  }
  REQUIRE(refs_without_id > 1000);  // victims and witnesses are many and never match
}

TEST_CASE("summary line and argument errors", "[gen]") {
  fs::path dir = Generate("summary", 0.01, 2);
  Json summary = Json::Parse(Slurp(dir / "summary.json"));
  Json truth = Truth(dir);
  REQUIRE(summary["records"]["total"].number == truth["counts"]["records"].number);
  REQUIRE(summary["files"].array.size() == 4);
  REQUIRE(summary["seconds"].number >= 0);
  const std::string quiet = " > /dev/null 2>&1";
  for (const char* args : {"--scale 0 --out x", "--scale 101 --out x", "--scale 1",
                           "--scale 0.01 --seed -1 --out x", "--scale 0.01 --bad-fraction 2 --out x",
                           "--scale 0.01 --colour red --out x", "--scale abc --out x"}) {
    INFO(args);
    REQUIRE(std::system(absl::StrCat(POLEGRAPH_GEN, " ", args, quiet).c_str()) != 0);
  }
  // An output directory that cannot be created.
  REQUIRE(std::system(absl::StrCat(POLEGRAPH_GEN, " --scale 0.01 --out /proc/polegraph", quiet).c_str()) != 0);
}
