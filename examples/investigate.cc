// investigate: open a snapshot and answer "how is A linked to B?" — the shortest chain of
// links between two entities, ignoring direction, with the source record behind every link.
// Without A and B it takes the two people with the most links.
//
//   example_investigate G.pg [KIND:KEY KIND:KEY]
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "polegraph/graph.h"
#include "polegraph/io.h"

namespace {

using polegraph::EdgeId;
using polegraph::EdgeIndex;
using polegraph::Graph;
using polegraph::NodeId;

// Returns the nodes from `from` to `to` and the edge before each (empty when unlinked).
std::vector<std::pair<NodeId, EdgeId>> ShortestChain(const Graph& g, NodeId from, NodeId to) {
  std::vector<NodeId> parent(g.num_nodes(), polegraph::kNoNode);
  std::vector<EdgeId> via(g.num_nodes(), 0);
  std::vector<NodeId> queue{from};
  parent[from] = from;
  for (std::size_t head = 0; head < queue.size() && parent[to] == polegraph::kNoNode; ++head) {
    const NodeId v = queue[head];
    auto visit = [&](NodeId w, EdgeId e) {
      if (parent[w] != polegraph::kNoNode) return;
      parent[w] = v;
      via[w] = e;
      queue.push_back(w);
    };
    for (EdgeIndex e = g.out_offsets()[v]; e < g.out_offsets()[v + 1]; ++e) {
      visit(g.out_neighbours()[e], static_cast<EdgeId>(e));
    }
    for (EdgeIndex i = g.in_offsets()[v]; i < g.in_offsets()[v + 1]; ++i) {
      visit(g.in_neighbours()[i], g.in_edge()[i]);
    }
  }
  std::vector<std::pair<NodeId, EdgeId>> chain;
  if (parent[to] == polegraph::kNoNode) return chain;
  for (NodeId v = to; v != from; v = parent[v]) chain.emplace_back(v, via[v]);
  chain.emplace_back(from, 0);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    std::cerr << "usage: example_investigate G.pg [KIND:KEY KIND:KEY]\n";
    return 2;
  }
  auto graph = polegraph::OpenSnapshot(argv[1]);
  if (!graph.ok()) {
    std::cerr << graph.status().message() << "\n";
    return 1;
  }
  const Graph& g = **graph;
  NodeId a, b;
  if (argc == 4) {
    auto ra = g.Resolve(argv[2]), rb = g.Resolve(argv[3]);
    if (!ra.ok() || !rb.ok()) {
      std::cerr << (ra.ok() ? rb.status() : ra.status()).message() << "\n";
      return 1;
    }
    a = *ra;
    b = *rb;
  } else {
    auto [first, last] = g.KindRange(polegraph::NodeKind::kPerson);
    if (last - first < 2) {
      std::cerr << "fewer than two people in the snapshot\n";
      return 1;
    }
    std::vector<NodeId> people;
    for (NodeId v = first; v < last; ++v) people.push_back(v);
    auto degree = [&](NodeId v) { return g.out_degree(v) + g.in_degree(v); };
    std::partial_sort(people.begin(), people.begin() + 2, people.end(), [&](NodeId x, NodeId y) {
      return degree(x) != degree(y) ? degree(x) > degree(y) : x < y;
    });
    a = people[0];
    b = people[1];
  }
  std::cout << "How is " << g.Name(a) << " linked to " << g.Name(b) << "?\n";
  auto chain = ShortestChain(g, a, b);
  if (chain.empty()) {
    std::cout << "  not linked\n";
    return 0;
  }
  std::cout << "  " << g.Name(chain[0].first) << "\n";
  for (std::size_t i = 1; i < chain.size(); ++i) {
    const EdgeId e = chain[i].second;
    const polegraph::RecordInfo rec = g.record(g.edge_record()[e]);
    const bool forward = g.edge_source(e) == chain[i - 1].first;
    std::cout << "  " << (forward ? "--" : "<-") << polegraph::EdgeKindName(g.edge_kind()[e])
              << (forward ? "->" : "--") << " " << g.Name(chain[i].first) << "   ["
              << polegraph::SourceName(rec.source) << " " << g.extract(rec.extract).path
              << " record " << rec.record_id << "]\n";
  }
  return 0;
}
