// truth.json: the planted ground truth, in the schema documented in the README (polegraph-gen and truth.json).
#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "output.h"

namespace polegraph::gen {

absl::Status WriteTruth(const World& world, const Truth& truth, const std::string& path) {
  const std::string tmp = path + ".tmp";
  // The temporary file is removed unless it was renamed into place: on a write failure, and
  // when running out of memory unwinds from here (main reports it).
  struct RemoveUnlessKept {
    const std::string& file;
    bool kept = false;
    ~RemoveUnlessKept() {
      if (!kept) std::remove(file.c_str());
    }
  } guard{tmp};
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) return absl::UnavailableError(absl::StrCat(tmp, ": cannot open for writing"));
  tools::JsonWriter j(out, true);
  j.BeginObject();
  j.Field("scale", world.config().scale);
  j.Field("seed", static_cast<std::uint64_t>(world.config().seed));
  j.Field("bad_fraction", world.config().bad_fraction);
  j.Key("counts");
  j.BeginObject();
  j.Field("pnc.pb", truth.pnc_records);
  j.Field("pnd.pb", truth.pnd_records);
  j.Field("anpr.pb", truth.anpr_records);
  j.Field("records", truth.pnc_records + truth.pnd_records + truth.anpr_records);
  j.Field("nominals", truth.nominals);
  j.Field("vehicles", truth.vehicles);
  j.Field("crimes", truth.crimes);
  j.Field("intelligence", truth.intelligence);
  j.Field("custody", truth.custody);
  j.Field("sites", truth.sites);
  j.Field("reads", truth.reads);
  j.Field("groups", static_cast<std::uint64_t>(world.groups().size()));
  j.Field("convoys", static_cast<std::uint64_t>(world.convoys().size()));
  j.Field("clones", static_cast<std::uint64_t>(world.clones().size()));
  j.Field("duplicates", static_cast<std::uint64_t>(truth.duplicates.size()));
  j.Field("misreads", static_cast<std::uint64_t>(truth.misreads.size()));
  j.Field("bad_records", static_cast<std::uint64_t>(truth.bad_records.size()));
  j.EndObject();

  auto person = [&](std::uint64_t i) { return absl::StrCat("person:", world.PersonAt(i).pnc_id); };
  auto vehicle = [&](std::uint64_t v) { return absl::StrCat("vehicle:", world.VehicleAt(v).vin); };
  auto plate = [&](std::uint64_t v) { return absl::StrCat("plate:", world.VehicleAt(v).vrm); };

  j.Key("groups");
  j.BeginArray();
  for (const Group& g : world.groups()) {
    j.BeginObject();
    j.Field("id", static_cast<std::uint64_t>(g.id));
    j.Key("members");
    j.BeginArray();
    for (std::uint64_t m : g.members) j.String(person(m));
    j.EndArray();
    j.Key("vehicles");
    j.BeginArray();
    for (std::uint64_t v : g.vehicles) j.String(vehicle(v));
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();

  j.Key("convoys");
  j.BeginArray();
  const auto& sites = world.network().sites;
  const auto& roads = world.network().roads;
  for (const Convoy& c : world.convoys()) {
    j.BeginObject();
    j.Field("group", static_cast<std::uint64_t>(c.group));
    j.Key("plates");
    j.BeginArray();
    for (std::uint64_t v : c.vehicles) j.String(plate(v));
    j.EndArray();
    j.Key("sites");
    j.BeginArray();
    std::vector<std::string> seen;
    for (const ConvoyOccasion& o : c.occasions) {
      for (std::uint32_t k = 0; k < o.length; ++k) {
        std::uint32_t p = o.forward ? o.start + k : o.start - k;
        const Road& road = roads[o.road];
        const std::string& id = sites[o.forward ? road.forward_site[p] : road.reverse_site[p]].id;
        if (std::find(seen.begin(), seen.end(), id) == seen.end()) seen.push_back(id);
      }
    }
    for (const std::string& id : seen) j.String(id);
    j.EndArray();
    j.Field("occasions", static_cast<std::uint64_t>(c.occasions.size()));
    j.Field("window_seconds", 60);
    j.EndObject();
  }
  j.EndArray();

  j.Key("clones");
  j.BeginArray();
  for (const Clone& c : world.clones()) {
    j.BeginObject();
    j.Field("plate", plate(c.genuine));
    j.Key("vehicles");
    j.BeginArray();
    j.String(vehicle(c.genuine));
    j.String(vehicle(c.clone));
    j.EndArray();
    j.Key("sites");
    j.BeginArray();
    for (const CloneOccasion& o : c.occasions) {
      j.BeginArray();
      j.String(sites[o.site_a].id);
      j.String(sites[o.site_b].id);
      j.EndArray();
    }
    j.EndArray();
    j.Field("occasions", static_cast<std::uint64_t>(c.occasions.size()));
    j.EndObject();
  }
  j.EndArray();

  j.Key("duplicates");
  j.BeginArray();
  for (std::size_t k = 0; k < truth.duplicates.size();) {
    const std::string& who = truth.duplicates[k].person;
    j.BeginObject();
    j.Field("person", who);
    j.Key("records");
    j.BeginArray();
    for (; k < truth.duplicates.size() && truth.duplicates[k].person == who; ++k) {
      j.BeginObject();
      j.Field("file", "pnd.pb");
      j.Field("index", truth.duplicates[k].index);
      j.Field("name", truth.duplicates[k].name);
      j.Field("pnc_id_present", false);
      j.EndObject();
    }
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();

  j.Key("misreads");
  j.BeginArray();
  for (const Misread& m : truth.misreads) {
    j.BeginObject();
    j.Field("true", absl::StrCat("plate:", m.true_vrm));
    j.Field("read", absl::StrCat("plate:", m.read_vrm));
    j.Field("file", "anpr.pb");
    j.Field("index", m.index);
    j.EndObject();
  }
  j.EndArray();

  j.Key("bad_records");
  j.BeginArray();
  for (const BadRecord& b : truth.bad_records) {
    j.BeginObject();
    j.Field("file", b.file);
    j.Field("index", b.index);
    j.Field("reason", b.reason);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  j.Newline();
  out.close();
  if (!out) return absl::DataLossError(absl::StrCat(tmp, ": write failed (disk full?)"));
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot rename ", tmp, " to ", path));
  }
  guard.kept = true;
  return absl::OkStatus();
}

}  // namespace polegraph::gen
