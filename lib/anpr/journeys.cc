// Journeys: the time-ordered reads of one plate, with the time, distance and implied speed
// between consecutive reads (PlateJourney in polegraph/anpr.h).
//
// How: scan the plate's out-edges for visible SEEN_AT reads in the range, sort by (time,
// edge), and measure each step with the haversine distance between the sites' positions.
// Cost: O(d log d) for the plate's out-degree d.
// Reference: none.
#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "anpr/internal/reads.h"
#include "polegraph/anpr.h"

namespace polegraph {

absl::StatusOr<Journey> PlateJourney(const Graph& graph, NodeId plate,
                                     const JourneyOptions& options, const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (options.from > options.to) {
    return absl::InvalidArgumentError("JourneyOptions.from is after to");
  }
  const anpr_internal::Visibility vis(graph, ctx.clearance);
  if (plate >= graph.num_nodes() || graph.kind(plate) != NodeKind::kPlate || !vis.Node(plate)) {
    return absl::NotFoundError(absl::StrCat("journey: node ", plate, " is not a visible plate"));
  }
  const anpr_internal::TimeRange range = anpr_internal::MakeRange(options.from, options.to);
  std::vector<AnprRead> reads;
  for (EdgeIndex i = graph.out_offsets()[plate]; i < graph.out_offsets()[plate + 1]; ++i) {
    const auto e = static_cast<EdgeId>(i);
    const NodeId site = graph.out_neighbours()[i];
    const std::int64_t t = graph.edge_time()[e];
    if (graph.edge_kind()[e] != EdgeKind::kSeenAt || t == kUnknownTime || !range.Contains(t) ||
        !vis.Edge(e) || !vis.Node(site)) {
      continue;
    }
    reads.push_back({e, plate, site, t, graph.edge_record()[e]});
  }
  std::sort(reads.begin(), reads.end(), anpr_internal::ReadBefore);
  if (absl::Status s = ctx.Check(); !s.ok()) return s;

  Journey j;
  j.plate = plate;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t k = 0; k < reads.size(); ++k) {
    JourneyStep step;
    step.read = reads[k];
    if (k > 0) {
      const AnprRead& prev = reads[k - 1];
      step.seconds = reads[k].time - prev.time;
      const GeoPoint a = graph.position(prev.site), b = graph.position(reads[k].site);
      const bool known = !std::isnan(a.latitude) && !std::isnan(a.longitude) &&
                         !std::isnan(b.latitude) && !std::isnan(b.longitude);
      step.distance_m = known ? HaversineMetres(a, b) : kNaN;
      if (!known) {
        step.speed_kmh = kNaN;
      } else if (step.seconds > 0) {
        step.speed_kmh = step.distance_m / static_cast<double>(step.seconds) * 3.6;
      } else {
        step.speed_kmh = step.distance_m > 0 ? std::numeric_limits<double>::infinity() : 0;
      }
      if (known) j.distance_m += step.distance_m;
    }
    j.steps.push_back(step);
  }
  return j;
}

}  // namespace polegraph
