// TimeRespectingPath: the earliest-arriving path whose edge times never decrease.
//
// Rule for edges of unknown time (admitted when TraversalFilter::include_unknown_time): they
// are timeless — they can be taken at any point and leave the clock where it was (a keeper
// record or an address holds throughout the period of interest). The clock starts before every
// known time; a timed edge with time t can be taken when t >= clock and moves the clock to t.
// Arrival is the clock at the target (the time of the path's last timed edge).
//
// How: earliest arrival by hop rounds (a Bellman-Ford over hops). arr_h(v) is the earliest
// clock at v over walks of at most h steps; since being somewhere earlier never forbids a
// later step, arr_h(v) = min(arr_{h-1}(v), min over steps u -> v of the clock after the step
// from arr_{h-1}(u)), and only nodes improved in round h - 1 need relaxing in round h. Every
// improvement is logged with its predecessor's log entry, so the path for the target's final
// arrival is read back from the log; the round it was set in is the fewest hops achieving it.
// Ties inside a round go to the smallest (clock, node id, EdgeId). A walk never needs a cycle
// (cutting one keeps times non-decreasing), so the result is a simple path.
// Cost: O(max_hops * m) worst case, sequential; ctx.Check() between rounds.
// Reference: B.-M. B. Xuan, A. Ferreira, A. Jarry, "Computing shortest, fastest, and foremost
// journeys in dynamic networks", IJFCS 14(2), 2003 (foremost journeys).
#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

#include "absl/container/btree_map.h"
#include "links/chart.h"
#include "links/filtered_view.h"
#include "polegraph/links.h"

namespace polegraph {

using links_internal::FilteredView;

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kBeforeAll = std::numeric_limits<std::int64_t>::min();
constexpr std::uint32_t kNoEntry = std::numeric_limits<std::uint32_t>::max();

struct Entry {          // one improvement of a node's earliest arrival
  NodeId node;
  EdgeId edge;          // the step that reached it (kNoEdge for the start)
  std::uint32_t prev;   // the predecessor's entry at the time (kNoEntry for the start)
  std::uint32_t round;  // hops
};

struct Candidate {
  std::int64_t clock;
  NodeId from;
  EdgeId edge;
  bool operator<(const Candidate& o) const {
    return std::tie(clock, from, edge) < std::tie(o.clock, o.from, o.edge);
  }
};

}  // namespace

absl::StatusOr<TimedPathResult> TimeRespectingPath(const Graph& graph, NodeId from, NodeId to,
                                                   const PathOptions& options,
                                                   const QueryContext& ctx) {
  const NodeId ends[] = {from, to};
  auto view = FilteredView::Make(graph, options.filter, ctx, ends);
  if (!view.ok()) return view.status();
  const auto times = graph.edge_time();
  std::vector<std::int64_t> arrival(view->num_nodes(), kNever);
  std::vector<std::uint32_t> entry_of(view->num_nodes(), kNoEntry);
  std::vector<Entry> log;
  arrival[from] = kBeforeAll;
  entry_of[from] = 0;
  log.push_back({from, kNoEdge, kNoEntry, 0});
  std::vector<NodeId> improved{from};
  for (std::uint32_t round = 1; round <= options.max_hops && !improved.empty(); ++round) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    absl::btree_map<NodeId, Candidate> best;  // ordered: entries are logged in node order
    for (NodeId u : improved) {
      const std::int64_t clock = arrival[u];
      view->ForEachStep(u, /*reverse=*/false, [&](NodeId v, EdgeId e) {
        const EdgeTime t = times[e];
        std::int64_t after = clock;
        if (t != kUnknownTime) {
          if (static_cast<std::int64_t>(t) < clock) return;
          after = t;
        }
        if (after >= arrival[v]) return;
        const Candidate c{after, u, e};
        auto [it, inserted] = best.try_emplace(v, c);
        if (!inserted && c < it->second) it->second = c;
      });
    }
    improved.clear();
    for (const auto& [v, c] : best) {
      arrival[v] = c.clock;
      log.push_back({v, c.edge, entry_of[c.from], round});
      improved.push_back(v);
    }
    // Entries of this round point at the previous round's entries: update after logging.
    for (std::size_t i = log.size() - improved.size(); i < log.size(); ++i) {
      entry_of[log[i].node] = static_cast<std::uint32_t>(i);
    }
  }
  if (absl::Status s = ctx.Check(); !s.ok()) return s;
  TimedPathResult result;
  if (arrival[to] == kNever) return result;
  std::vector<NodeId> nodes;
  std::vector<EdgeId> edges;
  for (std::uint32_t i = entry_of[to]; i != kNoEntry; i = log[i].prev) {
    nodes.push_back(log[i].node);
    if (log[i].edge != kNoEdge) edges.push_back(log[i].edge);
  }
  std::reverse(nodes.begin(), nodes.end());
  std::reverse(edges.begin(), edges.end());
  result.hops = static_cast<std::uint32_t>(edges.size());
  for (EdgeId e : edges) {
    if (times[e] == kUnknownTime) continue;
    if (result.departure == 0) result.departure = times[e];
    result.arrival = times[e];
  }
  result.chart.paths.push_back(links_internal::MakePath(graph, nodes, edges));
  links_internal::AddPathItems(graph, result.chart, [&](NodeId v) {
    return static_cast<std::uint32_t>(std::find(nodes.begin(), nodes.end(), v) - nodes.begin());
  });
  return result;
}

}  // namespace polegraph
