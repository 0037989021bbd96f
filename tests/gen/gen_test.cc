// Tests of polegraph-gen's output as files: runs the built binary at small scales and checks
// it against independent oracles: identifier shape rules (tools/gen/ids.h, checked against
// hand-worked examples), byte-identical output for a seed, linear growth with the scale, and
// the bad-record bookkeeping (every bad record really is invalid at its index, and no other
// record is), by a validity checker written here.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "../../tools/gen/ids.h"
#include "gen/gen_fixture.h"

namespace gen = polegraph::gen;
using namespace polegraph::gentest;  // NOLINT: test file

namespace {

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
void NameDefects(const pb::PersonName& n, std::set<std::string>* d) {
  if (!Utf8(n.forename()) || !Utf8(n.middle_names()) || !Utf8(n.surname()))
    d->insert("invalid_utf8");
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
    for (const auto& a : n.alternative_dates_of_birth())
      if (BadDate(a)) d.insert("impossible_date");
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
    if (c.custody_id().empty() && c.crime_reference().empty()) d.insert("missing_key");
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
  // AO12CDE: O->0 would give A012CDE, a prefix mark with a leading zero: not offered.
  auto z = gen::MisreadCandidates("AO12CDE");
  REQUIRE(std::find(z.begin(), z.end(), "A012CDE") == z.end());
  REQUIRE(std::find(z.begin(), z.end(), "AD12CDE") != z.end());
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

TEST_CASE("summary line and argument errors", "[gen]") {
  fs::path dir = Generate("summary", 0.01, 2);
  Json summary = Json::Parse(Slurp(dir / "summary.json"));
  Json truth = Truth(dir);
  REQUIRE(summary["records"]["total"].number == truth["counts"]["records"].number);
  REQUIRE(summary["files"].array.size() == 4);
  REQUIRE(summary["seconds"].number >= 0);
  const std::string quiet = " > /dev/null 2>&1";
  for (const char* args :
       {"--scale 0 --out x", "--scale 101 --out x", "--scale 1", "--scale 0.01 --seed -1 --out x",
        "--scale 0.01 --bad-fraction 2 --out x", "--scale 0.01 --colour red --out x",
        "--scale abc --out x"}) {
    INFO(args);
    REQUIRE(std::system(absl::StrCat(POLEGRAPH_GEN, " ", args, quiet).c_str()) != 0);
  }
  // An output directory that cannot be created.
  REQUIRE(std::system(
              absl::StrCat(POLEGRAPH_GEN, " --scale 0.01 --out /proc/polegraph", quiet).c_str()) !=
          0);
}
