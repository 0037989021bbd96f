// Person projection of a snapshot along meta-paths (Sun, Han et al., "PathSim: meta
// path-based top-k similarity search in heterogeneous information networks", VLDB 2011, for
// the idea of counting meta-path instances between two nodes).
//
// For every visible start node s of the paths' `from` kind (in parallel, dynamic schedule) a
// depth-first walk follows each meta-path step by step: along out-edges, in-edges or both
// whose kind is in the step's set, whose label the clearance covers and whose time is in the
// window, to visible nodes of the step's kind. An intermediate node from which more than
// hub_cap such edges continue the walk (an offence with 500 people in the path's roles) is not
// walked through, and is recorded. A walk that ends at a node t > s is one instance of the
// pair (s, t); since paths are symmetric, walks from t to s are their reverses and need not
// be enumerated. The instances of s are sorted by (t, path, interior nodes): a link's weight
// is sum over paths of weight * (distinct interior node sequences), and its evidence is the
// sorted set of edges on all its walks. Per-start results are concatenated in start order, so
// links and evidence come out sorted and identical at any thread count.
// Cost: O(sum over starts of walks enumerated); a co-offending projection costs
// sum over offences of (people per offence)^2, which the hub cap bounds.
#include <algorithm>
#include <array>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "parallel/parallel.h"
#include "polegraph/networks.h"

namespace polegraph {
namespace {

constexpr std::size_t kMaxSteps = 6;

struct Step {
  std::uint32_t kinds = 0;  // bit set over EdgeKind
  bool out = false, in = false;
  NodeKind to = NodeKind::kPerson;
};

struct Walk {
  NodeId end;
  std::uint32_t path;
  std::array<NodeId, kMaxSteps - 1> interior;
  std::array<EdgeId, kMaxSteps> edges;
};

struct PerStart {
  struct Out {
    NodeId end;
    double weight;
    std::uint32_t ev_begin, ev_end;
  };
  std::vector<Out> links;
  std::vector<EdgeId> evidence;
};

absl::Status ValidatePath(const MetaPath& p, NodeKind from) {
  const std::size_t len = p.steps.size();
  if (len == 0 || len > kMaxSteps) {
    return absl::InvalidArgumentError(absl::StrCat("meta-path '", p.name, "' has ", len,
                                                   " steps; 1 to ", kMaxSteps, " are allowed"));
  }
  if (p.from != from) {
    return absl::InvalidArgumentError(absl::StrCat(
        "meta-path '", p.name, "' starts at ", std::string(NodeKindName(p.from)),
        " but the projection's first path starts at ", std::string(NodeKindName(from))));
  }
  if (!(p.weight > 0.0) || !std::isfinite(p.weight)) {
    return absl::InvalidArgumentError(
        absl::StrCat("meta-path '", p.name, "': weight must be finite and > 0"));
  }
  std::vector<NodeKind> kinds = {p.from};
  for (const MetaPathStep& s : p.steps) kinds.push_back(s.to);
  auto mirror = [](StepDirection d) {
    return d == StepDirection::kOut  ? StepDirection::kIn
           : d == StepDirection::kIn ? StepDirection::kOut
                                     : d;
  };
  for (std::size_t i = 0; i < len; ++i) {
    const MetaPathStep& a = p.steps[i];
    const MetaPathStep& b = p.steps[len - 1 - i];
    std::vector<EdgeKind> ea = a.edges, eb = b.edges;
    std::sort(ea.begin(), ea.end());
    std::sort(eb.begin(), eb.end());
    if (a.edges.empty() || ea != eb || a.direction != mirror(b.direction) ||
        kinds[i] != kinds[len - i]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "meta-path '", p.name, "' is not symmetric at step ", i + 1,
          ": read backwards it must be the same pattern (same edge kinds, mirrored direction)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Projection> ProjectPersons(const Graph& graph, const ProjectionOptions& options,
                                          const QueryContext& ctx) {
  if (absl::Status s = ctx.Validate(); !s.ok()) return s;
  if (options.paths.empty()) {
    return absl::InvalidArgumentError("projection: no meta-paths given");
  }
  if (options.time_from > options.time_to) {
    return absl::InvalidArgumentError(absl::StrCat("projection: empty time window [",
                                                   options.time_from, ", ", options.time_to, "]"));
  }
  const NodeKind from = options.paths[0].from;
  std::vector<std::vector<Step>> paths;
  for (const MetaPath& p : options.paths) {
    if (absl::Status s = ValidatePath(p, from); !s.ok()) return s;
    std::vector<Step> steps;
    for (const MetaPathStep& ms : p.steps) {
      Step st;
      for (EdgeKind k : ms.edges) st.kinds |= 1u << static_cast<unsigned>(k);
      st.out = ms.direction != StepDirection::kIn;
      st.in = ms.direction != StepDirection::kOut;
      st.to = ms.to;
      steps.push_back(st);
    }
    paths.push_back(std::move(steps));
  }
  const std::vector<bool> visible = graph.VisibleLabels(ctx.clearance);
  Projection proj;
  auto [first, last] = graph.KindRange(from);
  for (NodeId v = first; v < last; ++v) {
    if (visible[graph.node_label(v)]) proj.nodes.push_back(v);
  }
  const auto out_off = graph.out_offsets();
  const auto out_nb = graph.out_neighbours();
  const auto in_off = graph.in_offsets();
  const auto in_nb = graph.in_neighbours();
  const auto in_edge = graph.in_edge();
  const auto kind = graph.edge_kind();
  const auto time = graph.edge_time();
  const auto label = graph.edge_label();
  auto edge_ok = [&](EdgeId e, const Step& st) {
    if (!(st.kinds >> static_cast<unsigned>(kind[e]) & 1u) || !visible[label[e]]) return false;
    const EdgeTime t = time[e];
    return t == kUnknownTime ? options.include_unknown_time
                             : (t >= options.time_from && t <= options.time_to);
  };
  auto node_ok = [&](NodeId y, const Step& st) {
    return graph.kind(y) == st.to && visible[graph.node_label(y)];
  };

  // Whether more than hub_cap edges continue a walk from y along step st.
  auto FanOutExceeds = [&](NodeId y, const Step& st) {
    std::uint64_t count = 0;
    if (st.out) {
      for (EdgeIndex e = out_off[y]; e < out_off[y + 1] && count <= options.hub_cap; ++e) {
        count += edge_ok(static_cast<EdgeId>(e), st) && node_ok(out_nb[e], st);
      }
    }
    if (st.in) {
      for (EdgeIndex i = in_off[y]; i < in_off[y + 1] && count <= options.hub_cap; ++i) {
        count += edge_ok(in_edge[i], st) && node_ok(in_nb[i], st);
      }
    }
    return count > options.hub_cap;
  };

  struct Scratch {
    std::vector<Walk> walks;
    std::vector<NodeId> hubs;
    std::vector<EdgeId> ev;
  };
  internal::PerThread<Scratch> scratch(ctx.threads);
  std::vector<PerStart> per_start(proj.nodes.size());
  constexpr std::size_t kRound = 4096;
  for (std::size_t r0 = 0; r0 < proj.nodes.size(); r0 += kRound) {
    if (absl::Status s = ctx.Check(); !s.ok()) return s;
    internal::ParallelForDynamic(
        r0, std::min(proj.nodes.size(), r0 + kRound), ctx.threads,
        [&](std::size_t si) {
          const NodeId s = proj.nodes[si];
          Scratch& sc = scratch.local();
          sc.walks.clear();
          Walk cur{};
          for (std::uint32_t pi = 0; pi < paths.size(); ++pi) {
            const std::vector<Step>& steps = paths[pi];
            cur.path = pi;
            // Depth-first over the steps; `depth` edges taken so far, standing at x.
            auto walk = [&](auto&& self, NodeId x, std::size_t depth) -> void {
              const Step& st = steps[depth];
              const bool final_step = depth + 1 == steps.size();
              auto visit = [&](EdgeId e, NodeId y) {
                if (!edge_ok(e, st) || !node_ok(y, st)) return;
                cur.edges[depth] = e;
                if (final_step) {
                  if (y <= s) return;
                  cur.end = y;
                  sc.walks.push_back(cur);
                  return;
                }
                if (options.hub_cap > 0 && FanOutExceeds(y, steps[depth + 1])) {
                  sc.hubs.push_back(y);
                  return;
                }
                cur.interior[depth] = y;
                self(self, y, depth + 1);
              };
              if (st.out) {
                for (EdgeIndex e = out_off[x]; e < out_off[x + 1]; ++e) {
                  visit(static_cast<EdgeId>(e), out_nb[e]);
                }
              }
              if (st.in) {
                for (EdgeIndex i = in_off[x]; i < in_off[x + 1]; ++i) visit(in_edge[i], in_nb[i]);
              }
            };
            cur.interior.fill(kNoNode);
            cur.edges.fill(0);
            walk(walk, s, 0);
          }
          std::sort(sc.walks.begin(), sc.walks.end(), [](const Walk& a, const Walk& b) {
            if (a.end != b.end) return a.end < b.end;
            if (a.path != b.path) return a.path < b.path;
            return a.interior < b.interior;
          });
          PerStart& out = per_start[si];
          for (std::size_t i = 0; i < sc.walks.size();) {
            std::size_t j = i;
            double weight = 0.0;
            sc.ev.clear();
            while (j < sc.walks.size() && sc.walks[j].end == sc.walks[i].end) {
              const Walk& w = sc.walks[j];
              const bool distinct = j == i || w.path != sc.walks[j - 1].path ||
                                    w.interior != sc.walks[j - 1].interior;
              if (distinct) weight += options.paths[w.path].weight;
              const std::size_t len = paths[w.path].size();
              sc.ev.insert(sc.ev.end(), w.edges.begin(), w.edges.begin() + len);
              ++j;
            }
            std::sort(sc.ev.begin(), sc.ev.end());
            sc.ev.erase(std::unique(sc.ev.begin(), sc.ev.end()), sc.ev.end());
            const auto begin = static_cast<std::uint32_t>(out.evidence.size());
            out.evidence.insert(out.evidence.end(), sc.ev.begin(), sc.ev.end());
            out.links.push_back(
                {sc.walks[i].end, weight, begin, static_cast<std::uint32_t>(out.evidence.size())});
            i = j;
          }
        },
        /*grain=*/8);
  }
  // Concatenate in start order.
  std::vector<WeightedEdge> edges;
  for (std::size_t si = 0; si < per_start.size(); ++si) {
    const PerStart& ps = per_start[si];
    const auto base = static_cast<std::uint32_t>(proj.evidence.size());
    proj.evidence.insert(proj.evidence.end(), ps.evidence.begin(), ps.evidence.end());
    for (const PerStart::Out& o : ps.links) {
      const NodeId b = *proj.VertexOf(o.end);
      proj.links.push_back(
          {static_cast<NodeId>(si), b, o.weight, base + o.ev_begin, base + o.ev_end});
      edges.push_back({static_cast<NodeId>(si), b, o.weight});
    }
  }
  for (std::size_t t = 0; t < scratch.size(); ++t) {
    proj.skipped_hubs.insert(proj.skipped_hubs.end(), scratch[t].hubs.begin(),
                             scratch[t].hubs.end());
  }
  std::sort(proj.skipped_hubs.begin(), proj.skipped_hubs.end());
  proj.skipped_hubs.erase(std::unique(proj.skipped_hubs.begin(), proj.skipped_hubs.end()),
                          proj.skipped_hubs.end());
  absl::StatusOr<WeightedGraph> g =
      WeightedGraph::FromEdges(static_cast<NodeId>(proj.nodes.size()), edges, ctx.threads);
  if (!g.ok()) return g.status();
  proj.graph = std::move(*g);
  return proj;
}

}  // namespace polegraph
