// polegraph journey G.pg --plate VRM [--from T --to T] [--threads T] [--clearance LEVEL] [--text]
//
// A plate's reads in time order (PlateJourney), each with the time, great-circle distance and
// implied speed from the previous read.
#include <cmath>
#include <iostream>

#include "absl/strings/str_format.h"
#include "polegraph/anpr_cli.h"
#include "polegraph/commands.h"
#include "polegraph/keys.h"

namespace polegraph::tools {

int RunJourney(int argc, char** argv) {
  Args args;
  CommonOptions(args);
  args.Option("plate").Option("from").Option("to");
  if (absl::Status s = args.Parse(argc, argv);
      !s.ok() || args.positionals().size() != 1 || !args.Has("plate")) {
    std::cerr << "usage: polegraph journey G.pg --plate VRM [--from T --to T] [--threads T] "
                 "[--clearance LEVEL] [--caveats C,...] [--forces F,...] "
                 "[--text]\n"
              << kClearanceHelp;
    if (!s.ok()) std::cerr << s.message() << "\n";
    return 2;
  }
  auto from = TimeOption(args, "from");
  auto to = TimeOption(args, "to");
  auto ctx = ContextOption(args);
  for (const absl::Status& s : {from.status(), to.status(), ctx.status()}) {
    if (!s.ok()) return Fail("journey", s);
  }
  JourneyOptions o;
  if (*from) o.from = **from;
  if (*to) o.to = **to;
  std::shared_ptr<const Graph> g = OpenOrReport("journey", args);
  if (g == nullptr) return 1;
  const std::string vrm = NormaliseVrm(args.Get("plate"));
  std::optional<NodeId> plate = g->Find(NodeKind::kPlate, vrm);
  if (!plate) return Fail("journey", absl::NotFoundError("no plate " + vrm + " in the snapshot"));
  absl::StatusOr<Journey> j = PlateJourney(*g, *plate, o, *ctx);
  if (!j.ok()) return Fail("journey", j.status());
  if (args.Has("text")) {
    std::cout << absl::StrFormat("%s: %d reads, %.1f km\n", vrm, j->steps.size(),
                                 j->distance_m / 1000);
    for (const JourneyStep& s : j->steps) {
      std::cout << absl::StrFormat("  %s  %+6d s  %8.1f km  %8.0f km/h\n", ReadText(*g, s.read),
                                   s.seconds, s.distance_m / 1000, s.speed_kmh);
    }
    return 0;
  }
  JsonWriter w(std::cout);
  w.BeginObject();
  w.Field("plate", vrm);
  w.Field("distance_m", j->distance_m);
  w.Key("steps");
  w.BeginArray();
  for (const JourneyStep& s : j->steps) {
    w.BeginObject();
    w.Key("read");
    WriteRead(*g, s.read, w);
    w.Field("seconds", s.seconds);
    w.Field("distance_m", s.distance_m);  // null when a site has no position
    w.Field("speed_kmh", s.speed_kmh);    // null when unknown or simultaneous
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.Newline();
  return 0;
}

}  // namespace polegraph::tools
