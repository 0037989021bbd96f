// polegraph clones G.pg [--max-speed-kmh 200] [--min-distance-m 1000] [--no-make-colour]
//                       [--since T --until T] [--threads T] [--clearance LEVEL] [--text]
//
// Cloned plates (FindClones): clones[] with plate, reason (speed / make / colour), the
// conflicting reads, speed_kmh (null when the reads are simultaneous), and for mismatches the
// vehicle PNC says displays the plate with the values read and recorded.
#include <cmath>
#include <iostream>

#include "absl/strings/str_format.h"
#include "polegraph/anpr_cli.h"
#include "polegraph/commands.h"

namespace polegraph::tools {
namespace {

constexpr char kUsage[] =
    "usage: polegraph clones G.pg [--max-speed-kmh 200] [--min-distance-m 1000] "
    "[--no-make-colour] [--since T --until T] [--threads T] [--clearance LEVEL] "
    "[--caveats C,...] [--forces F,...] [--text]\n";

void WriteJson(const Graph& g, const CloneResult& r) {
  JsonWriter j(std::cout);
  j.BeginObject();
  j.Key("plates");
  j.BeginArray();
  for (NodeId p : r.plates) j.String(g.key(p));
  j.EndArray();
  j.Key("clones");
  j.BeginArray();
  for (const CloneConflict& c : r.conflicts) {
    j.BeginObject();
    j.Field("plate", g.key(c.plate));
    j.Field("reason", CloneReasonName(c.reason));
    j.Key("reads");
    WriteReads(g, c.reads, j);
    if (c.reason == CloneReason::kSpeed) {
      j.Field("speed_kmh", c.speed_kmh);  // null when infinite
      j.Field("distance_m", c.distance_m);
      j.Field("seconds", c.seconds);
    } else {
      j.Field("vehicle", g.Name(c.vehicle));
      j.Field("read_value", c.read_value);
      j.Field("vehicle_value", c.vehicle_value);
      j.Field("vehicle_record_id", g.record(g.edge_record()[c.displays]).record_id);
    }
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  j.Newline();
}

void WriteText(const Graph& g, const CloneResult& r) {
  std::cout << absl::StrFormat("%d conflicts on %d plates\n", r.conflicts.size(), r.plates.size());
  for (const CloneConflict& c : r.conflicts) {
    if (c.reason == CloneReason::kSpeed) {
      std::cout << absl::StrFormat("%-10s speed   %s km/h (%.1f km in %d s)\n", g.key(c.plate),
                                   std::isfinite(c.speed_kmh) ? absl::StrFormat("%.0f", c.speed_kmh)
                                                              : std::string("simultaneous"),
                                   c.distance_m / 1000, c.seconds);
    } else {
      std::cout << absl::StrFormat("%-10s %-7s read %s, PNC %s says %s\n", g.key(c.plate),
                                   CloneReasonName(c.reason), c.read_value, g.Name(c.vehicle),
                                   c.vehicle_value);
    }
    for (const AnprRead& read : c.reads) std::cout << "    " << ReadText(g, read) << "\n";
  }
}

}  // namespace

int RunClones(int argc, char** argv) {
  Args args;
  CommonOptions(args);
  args.Option("max-speed-kmh").Option("min-distance-m").Option("since").Option("until");
  args.Flag("no-make-colour");
  if (absl::Status s = args.Parse(argc, argv); !s.ok() || args.positionals().size() != 1) {
    std::cerr << kUsage << kClearanceHelp;
    if (!s.ok()) std::cerr << s.message() << "\n";
    return 2;
  }
  CloneOptions o;
  auto speed = args.Double("max-speed-kmh", o.max_speed_kmh);
  auto distance = args.Double("min-distance-m", o.min_distance_m);
  auto since = TimeOption(args, "since");
  auto until = TimeOption(args, "until");
  auto ctx = ContextOption(args);
  for (const absl::Status& s :
       {speed.status(), distance.status(), since.status(), until.status(), ctx.status()}) {
    if (!s.ok()) return Fail("clones", s);
  }
  o.max_speed_kmh = *speed;
  o.min_distance_m = *distance;
  o.compare_make_colour = !args.Has("no-make-colour");
  o.since = *since;
  o.until = *until;
  std::shared_ptr<const Graph> g = OpenOrReport("clones", args);
  if (g == nullptr) return 1;
  absl::StatusOr<CloneResult> r = FindClones(*g, o, *ctx);
  if (!r.ok()) {
    return Fail("clones", r.status());
  }
  if (args.Has("text")) {
    WriteText(*g, *r);
  } else {
    WriteJson(*g, *r);
  }
  return 0;
}

}  // namespace polegraph::tools
