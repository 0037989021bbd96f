// Tests of truth.json against the extracts: every key is well formed and names an entity of
// the extracts; groups co-offend; duplicates fold to the PNC person; misreads differ by one
// character; clones and convoys are found again by brute force over the reads; and only the
// planted duplicates match PNC people by folded name and date of birth.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "../../tools/gen/ids.h"
#include "gen/gen_fixture.h"
#include "polegraph/keys.h"

namespace gen = polegraph::gen;
using namespace polegraph::gentest;  // NOLINT: test file

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
      REQUIRE(polegraph::IsValidVin(polegraph::NormaliseVin(r.vehicle().vin())));
      REQUIRE(polegraph::IsValidVrm(polegraph::NormaliseVrm(r.vehicle().vrm())));
      REQUIRE(gen::VinCheckDigit(r.vehicle().vin()) == r.vehicle().vin()[8]);
      REQUIRE(gen::IsValidVrmShape(Norm(r.vehicle().vrm())));
      REQUIRE(by_vin.emplace(r.vehicle().vin(), &r.vehicle()).second);        // VINs distinct
      REQUIRE(by_vrm.emplace(Norm(r.vehicle().vrm()), &r.vehicle()).second);  // VRMs distinct
    }
  }
  REQUIRE(nominals.size() == e.truth["counts"]["nominals"].Uint());
  auto person = [&](const std::string& key) {
    REQUIRE(key.rfind("person:", 0) == 0);
    std::string id = key.substr(7);
    REQUIRE(gen::IsCanonicalPncId(id));
    auto normalised = polegraph::NormalisePncId(id);  // the library's rule (keys.cc)
    REQUIRE(normalised.ok());
    REQUIRE(*normalised == id);
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
    REQUIRE(polegraph::IsValidVrm(vrm));
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
      const pb::PersonRef& ref =
          r.has_custody() ? r.custody().detainee() : r.intelligence().subjects(0);
      INFO(rec["name"].string);
      REQUIRE(ref.pnc_id().empty());
      REQUIRE(rec["name"].string == ref.name().forename() + " " + ref.name().surname());
      bool name_ok = FoldName(ref.name()) == FoldName(n->name());
      // The library's folding agrees (forename and surname folded separately, as ingest does).
      bool library_ok =
          polegraph::FoldName(ref.name().forename()) == polegraph::FoldName(n->name().forename()) &&
          polegraph::FoldName(ref.name().surname()) == polegraph::FoldName(n->name().surname());
      for (const auto& a : n->aliases()) {
        library_ok =
            library_ok ||
            (polegraph::FoldName(ref.name().forename()) == polegraph::FoldName(a.forename()) &&
             polegraph::FoldName(ref.name().surname()) == polegraph::FoldName(a.surname()));
      }
      REQUIRE(library_ok);
      for (const auto& a : n->aliases()) name_ok = name_ok || FoldName(ref.name()) == FoldName(a);
      REQUIRE(name_ok);
      bool dob_ok = SameDate(ref.date_of_birth(), n->date_of_birth());
      for (const auto& a : n->alternative_dates_of_birth())
        dob_ok = dob_ok || SameDate(ref.date_of_birth(), a);
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
    REQUIRE_FALSE(gen::HasLeadingZeroNumber(read));
  }
  const double misread_rate =
      static_cast<double>(e.truth["misreads"].array.size()) / e.truth["counts"]["reads"].number;
  CHECK(misread_rate > 0.0005);
  CHECK(misread_rate < 0.01);

  auto km = [&](const pb::Site* a, const pb::Site* b) {
    const double r = 6371.0, d2r = M_PI / 180;
    double x = (b->longitude() - a->longitude()) * d2r *
               std::cos((a->latitude() + b->latitude()) / 2 * d2r);
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
          if (!rs[i]->make().empty() && !rs[k]->make().empty())
            CHECK(rs[i]->make() != rs[k]->make());
        }
      }
    }
    CHECK(impossible >= static_cast<int>(c["occasions"].number));
  }

  // Ordinary traffic is physically consistent: apart from the cloned plates, no plate's
  // consecutive reads imply more than 200 km/h over more than 1 km.
  std::set<std::string> cloned;
  for (const Json& c : e.truth["clones"].array) cloned.insert(plate(c["plate"].string));
  std::size_t checked = 0;
  for (const auto& [vrm, rs] : reads_of) {
    if (cloned.count(vrm)) continue;
    for (std::size_t k = 1; k < rs.size(); ++k) {
      double d = km(sites[rs[k - 1]->site_id()], sites[rs[k]->site_id()]);
      double hours = (static_cast<double>(rs[k]->read_at() - rs[k - 1]->read_at()) + 1) / 3600;
      INFO(vrm << " " << rs[k - 1]->site_id() << " -> " << rs[k]->site_id());
      if (d > 1) CHECK(d / hours <= 200);
      ++checked;
    }
  }
  CHECK(checked > 10000);

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
    for (const Json& rec : d["records"].array)
      planted[rec["index"].Uint()] = d["person"].string.substr(7);
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
    if (r.has_crime())
      for (const auto& p : r.crime().people()) check(i, p.person());
    if (r.has_intelligence()) {
      for (const auto& p : r.intelligence().subjects()) check(i, p);
      for (const auto& p : r.intelligence().associates()) check(i, p);
    }
    if (r.has_custody()) check(i, r.custody().detainee());
  }
  REQUIRE(refs_without_id > 1000);  // victims and witnesses are many and never match
}
