// polegraph nearby G.pg (--offence KIND:KEY [--margin 30m] | --at LAT,LON --from T --to T)
//                       [--radius 500] [--threads T] [--clearance LEVEL] [--text]
//
// The scene (FindNearby): camera sites within --radius metres (great-circle, haversine) of the
// offence's location or the point, the reads there in the time range, the plates read, the
// vehicles that display them and the people who keep or use those vehicles, each with its
// path from the site and the record ids that evidence each step.
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "polegraph/anpr_cli.h"
#include "polegraph/commands.h"

namespace polegraph::tools {
namespace {

constexpr char kUsage[] =
    "usage: polegraph nearby G.pg (--offence KIND:KEY [--margin 30m] | --at LAT,LON --from T "
    "--to T) [--radius M] [--threads T] [--clearance LEVEL] [--caveats C,...] [--forces F,...] "
    "[--text]\n";

std::vector<std::string> PathNames(const Graph& g, const SceneLink& l) {
  std::vector<std::string> names;
  for (NodeId v : l.path) names.push_back(g.Name(v));
  return names;
}

std::vector<std::string> Evidence(const Graph& g, const SceneLink& l) {
  std::vector<std::string> ids;
  for (EdgeId e : l.edges) ids.emplace_back(g.record(g.edge_record()[e]).record_id);
  return ids;
}

void WriteLinks(const Graph& g, const std::vector<SceneLink>& links, JsonWriter& j) {
  j.BeginArray();
  for (const SceneLink& l : links) {
    j.BeginObject();
    j.Field("entity", g.Name(l.node));
    j.Key("path");
    j.BeginArray();
    for (const std::string& n : PathNames(g, l)) j.String(n);
    j.EndArray();
    j.Key("edges");
    j.BeginArray();
    for (EdgeId e : l.edges) j.String(EdgeKindName(g.edge_kind()[e]));
    j.EndArray();
    j.Key("evidence");
    j.BeginArray();
    for (const std::string& id : Evidence(g, l)) j.String(id);
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();
}

void WriteJson(const Graph& g, const NearbyResult& r) {
  JsonWriter j(std::cout);
  j.BeginObject();
  j.Key("centre");
  j.BeginObject();
  j.Field("latitude", r.centre.latitude);
  j.Field("longitude", r.centre.longitude);
  j.EndObject();
  j.Field("radius_m", r.radius_m);
  j.Field("distance", "haversine great-circle, R = 6371.0088 km");
  j.Field("from", IsoTime(r.from));
  j.Field("to", IsoTime(r.to));
  j.Key("sites");
  j.BeginArray();
  for (const NearbySite& s : r.sites) {
    j.BeginObject();
    j.Field("site", g.key(s.site));
    j.Field("distance_m", s.distance_m);
    j.EndObject();
  }
  j.EndArray();
  j.Key("reads");
  WriteReads(g, r.reads, j);
  j.Key("plates");
  WriteLinks(g, r.plates, j);
  j.Key("vehicles");
  WriteLinks(g, r.vehicles, j);
  j.Key("people");
  WriteLinks(g, r.people, j);
  j.EndObject();
  j.Newline();
}

void WriteText(const Graph& g, const NearbyResult& r) {
  std::cout << absl::StrFormat("within %.0f m of %.6f, %.6f from %s to %s\n", r.radius_m,
                               r.centre.latitude, r.centre.longitude, IsoTime(r.from),
                               IsoTime(r.to));
  for (const NearbySite& s : r.sites) {
    std::cout << absl::StrFormat("site %-20s %.0f m\n", g.key(s.site), s.distance_m);
  }
  std::cout << absl::StrFormat("%d reads\n", r.reads.size());
  for (const AnprRead& read : r.reads) std::cout << "  " << ReadText(g, read) << "\n";
  for (const auto* group : {&r.plates, &r.vehicles, &r.people}) {
    for (const SceneLink& l : *group) {
      std::cout << absl::StrFormat("%-28s via %s  [%s]\n", g.Name(l.node),
                                   absl::StrJoin(PathNames(g, l), " -> "),
                                   absl::StrJoin(Evidence(g, l), ", "));
    }
  }
}

}  // namespace

int RunNearby(int argc, char** argv) {
  Args args;
  CommonOptions(args);
  args.Option("offence").Option("margin").Option("at").Option("from").Option("to");
  args.Option("radius");
  if (absl::Status s = args.Parse(argc, argv);
      !s.ok() || args.positionals().size() != 1 || args.Has("offence") == args.Has("at")) {
    std::cerr << kUsage << kClearanceHelp;
    if (!s.ok()) std::cerr << s.message() << "\n";
    return 2;
  }
  NearbyOptions o;
  auto margin = DurationOption(args, "margin", o.margin);
  auto radius = args.Double("radius", o.radius_m);
  auto from = TimeOption(args, "from");
  auto to = TimeOption(args, "to");
  auto ctx = ContextOption(args);
  for (const absl::Status& s :
       {margin.status(), radius.status(), from.status(), to.status(), ctx.status()}) {
    if (!s.ok()) return Fail("nearby", s);
  }
  o.margin = *margin;
  o.radius_m = *radius;
  if (args.Has("at")) {
    std::vector<std::string> parts = absl::StrSplit(args.Get("at"), ',');
    GeoPoint p{0, 0};
    if (parts.size() != 2 || !absl::SimpleAtod(parts[0], &p.latitude) ||
        !absl::SimpleAtod(parts[1], &p.longitude)) {
      return Fail("nearby", absl::InvalidArgumentError("--at takes LAT,LON, e.g. 51.5,-0.12"));
    }
    if (!from->has_value() || !to->has_value()) {
      return Fail("nearby", absl::InvalidArgumentError("--at needs --from and --to"));
    }
    o.at = p;
    o.from = **from;
    o.to = **to;
  }
  std::shared_ptr<const Graph> g = OpenOrReport("nearby", args);
  if (g == nullptr) return 1;
  if (args.Has("offence")) {
    absl::StatusOr<NodeId> offence = g->Resolve(args.Get("offence"));
    if (!offence.ok()) return Fail("nearby", offence.status());
    o.offence = *offence;
  }
  absl::StatusOr<NearbyResult> r = FindNearby(*g, o, *ctx);
  if (!r.ok()) {
    return Fail("nearby", r.status());
  }
  if (args.Has("text")) {
    WriteText(*g, *r);
  } else {
    WriteJson(*g, *r);
  }
  return 0;
}

}  // namespace polegraph::tools
