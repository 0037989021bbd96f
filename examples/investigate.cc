// investigate: open a snapshot and answer "how is A linked to B?" for a caller with a given
// clearance — the shortest chain of links between two entities, ignoring direction, with the
// source record behind every link. Without A and B it takes the two people, of those the
// clearance covers, with the most links it covers.
//
//   example_investigate G.pg [KIND:KEY KIND:KEY] [--clearance LEVEL] [--caveats C,...]
//
// LEVEL is OFFICIAL (the default), OFFICIAL-SENSITIVE, SECRET or TOP-SECRET; --caveats lists
// the handling caveats held (default none). What the clearance does not cover is never shown:
// the path search (polegraph::ShortestPath, links.h) skips it inside the traversal, and an
// entity the caller may not see is reported "not found", exactly like one that does not exist.
// Graph's own accessors (Resolve, the CSR arrays) apply no clearance: this program tests
// VisibleLabels itself wherever it uses them.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "polegraph/graph.h"
#include "polegraph/io.h"
#include "polegraph/links.h"
#include "polegraph/query.h"
#include "polegraph/types.h"

namespace {

using polegraph::Graph;
using polegraph::NodeId;

int Usage() {
  std::cerr << "usage: example_investigate G.pg [KIND:KEY KIND:KEY] [--clearance LEVEL] "
               "[--caveats C,...]\n";
  return 2;
}

std::vector<std::string> SplitCommas(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

std::string ClearanceText(const polegraph::Clearance& c) {
  std::string text(polegraph::ClassificationName(c.level));
  text += ", caveats ";
  if (c.caveats.empty()) return text + "none";
  for (std::size_t i = 0; i < c.caveats.size(); ++i) text += (i ? "," : "") + c.caveats[i];
  return text;
}

// The two visible people with the most visible links (an edge counts when the clearance
// covers it and its other end), ties by node id.
std::vector<NodeId> BusiestPeople(const Graph& g, const std::vector<bool>& visible) {
  auto [first, last] = g.KindRange(polegraph::NodeKind::kPerson);
  std::vector<std::pair<std::uint64_t, NodeId>> people;  // (links, person)
  for (NodeId v = first; v < last; ++v) {
    if (!visible[g.node_label(v)]) continue;
    std::uint64_t links = 0;
    for (polegraph::EdgeIndex e = g.out_offsets()[v]; e < g.out_offsets()[v + 1]; ++e) {
      links += visible[g.edge_label()[e]] && visible[g.node_label(g.out_neighbours()[e])];
    }
    for (polegraph::EdgeIndex i = g.in_offsets()[v]; i < g.in_offsets()[v + 1]; ++i) {
      links +=
          visible[g.edge_label()[g.in_edge()[i]]] && visible[g.node_label(g.in_neighbours()[i])];
    }
    people.emplace_back(links, v);
  }
  const std::size_t n = std::min<std::size_t>(2, people.size());
  std::partial_sort(people.begin(), people.begin() + static_cast<std::ptrdiff_t>(n), people.end(),
                    [](const auto& x, const auto& y) {
                      return x.first != y.first ? x.first > y.first : x.second < y.second;
                    });
  std::vector<NodeId> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(people[i].second);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positionals;
  polegraph::QueryContext ctx{.user = "example_investigate", .purpose = "link question"};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--clearance" || arg == "--caveats") {
      if (i + 1 >= argc) return Usage();
      std::string value = argv[++i];
      if (arg == "--caveats") {
        ctx.clearance.caveats = SplitCommas(value);
        continue;
      }
      for (char& ch : value) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      auto level = polegraph::ParseClassification(value);
      if (!level) {
        std::cerr << "--clearance: '" << argv[i]
                  << "' is not OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP-SECRET\n";
        return 2;
      }
      ctx.clearance.level = *level;
    } else if (arg.rfind("--", 0) == 0) {
      return Usage();
    } else {
      positionals.emplace_back(arg);
    }
  }
  if (positionals.size() != 1 && positionals.size() != 3) return Usage();

  auto graph = polegraph::OpenSnapshot(positionals[0]);
  if (!graph.ok()) {
    std::cerr << graph.status().message() << "\n";
    return 1;
  }
  const Graph& g = **graph;
  const std::vector<bool> visible = g.VisibleLabels(ctx.clearance);
  NodeId a, b;
  if (positionals.size() == 3) {
    NodeId ends[2];
    for (int k = 0; k < 2; ++k) {
      const std::string& name = positionals[1 + k];
      absl::StatusOr<NodeId> v = g.Resolve(name);  // Resolve applies no clearance: test it here
      if (!v.ok() && v.status().code() != absl::StatusCode::kNotFound) {
        std::cerr << v.status().message() << "\n";
        return 1;
      }
      if (!v.ok() || !visible[g.node_label(*v)]) {
        std::cerr << "entity '" << name << "' not found\n";  // the same for hidden and absent
        return 1;
      }
      ends[k] = *v;
    }
    a = ends[0];
    b = ends[1];
  } else {
    const std::vector<NodeId> people = BusiestPeople(g, visible);
    if (people.size() < 2) {
      std::cerr << "fewer than two people visible in the snapshot\n";
      return 1;
    }
    a = people[0];
    b = people[1];
  }

  std::cout << "How is " << g.Name(a) << " linked to " << g.Name(b) << "? (clearance "
            << ClearanceText(ctx.clearance) << ")\n";
  polegraph::PathOptions options;  // both directions, every kind, up to 6 hops
  absl::StatusOr<polegraph::PathResult> found = polegraph::ShortestPath(g, a, b, options, ctx);
  if (!found.ok()) {
    std::cerr << found.status().message() << "\n";
    return 1;
  }
  if (found->chart.paths.empty()) {
    std::cout << "  not linked within " << options.max_hops << " hops\n";
    return 0;
  }
  const polegraph::LinkPath& path = found->chart.paths[0];
  std::cout << "  " << path.names[0] << "\n";
  for (std::size_t i = 0; i < path.edges.size(); ++i) {
    const polegraph::LinkEdge* e = found->chart.FindEdge(path.edges[i]);
    const bool forward = e->from == path.nodes[i];
    const polegraph::Provenance& why = e->provenance;
    std::cout << "  " << (forward ? "--" : "<-") << polegraph::EdgeKindName(e->kind)
              << (forward ? "->" : "--") << " " << path.names[i + 1] << "   ["
              << polegraph::SourceName(why.source) << " " << why.extract << " record "
              << why.record_id << "]\n";
  }
  return 0;
}
