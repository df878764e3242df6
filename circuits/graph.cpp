#include "circuits/graph.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>

#include <algorithm>
#include <functional>
#include <limits>

namespace tcx {

std::vector<node_id> critical_path(const Circuit& c) {
  if (c.num_outputs() == 0) return {};
  node_id deepest = c.outputs()[0].lit.node();
  for (const Output& o : c.outputs())
    if (c.level(o.lit.node()) > c.level(deepest)) deepest = o.lit.node();
  // A gate's level is one more than its deepest fan-in's, so some fan-in sits one level down:
  // follow it to an input. O(depth x fan-in) and no per-node array (a million inputs cost nothing).
  std::vector<node_id> path{deepest};
  while (c.is_gate(path.back())) {
    const node_id at = path.back();
    for (node_id f : c.fanins(c.gate_of(at)))
      if (c.level(f) + 1 == c.level(at)) {
        path.push_back(f);
        break;
      }
    if (path.back() == at) break;  // a gate without fan-ins (constant): the path starts here
  }
  std::reverse(path.begin(), path.end());
  return path;
}

namespace {

using NetGraph = boost::compressed_sparse_row_graph<boost::directedS>;

NetGraph net_graph(std::uint32_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges) {
  return NetGraph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), n);
}

struct CycleFound {
  std::vector<std::uint32_t> cycle;
};

struct CycleVisitor : boost::default_dfs_visitor {
  std::vector<std::uint32_t>* parent;
  void tree_edge(NetGraph::edge_descriptor e, const NetGraph& g) const { (*parent)[target(e, g)] = source(e, g); }
  void back_edge(NetGraph::edge_descriptor e, const NetGraph& g) const {
    std::uint32_t from = source(e, g), to = target(e, g);
    std::vector<std::uint32_t> cycle{from};
    for (std::uint32_t v = from; v != to; v = (*parent)[v]) cycle.push_back((*parent)[v]);
    std::reverse(cycle.begin(), cycle.end());  // to ... from
    cycle.push_back(to);
    throw CycleFound{std::move(cycle)};
  }
};

}  // namespace

std::optional<std::vector<std::uint32_t>> find_cycle(
    std::uint32_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges) {
  NetGraph g = net_graph(n, edges);
  std::vector<std::uint32_t> parent(n);
  std::vector<boost::default_color_type> color(n);
  CycleVisitor vis;
  vis.parent = &parent;
  try {
    boost::depth_first_search(g, vis, boost::make_iterator_property_map(color.begin(), get(boost::vertex_index, g)));
  } catch (CycleFound& found) {
    return std::move(found.cycle);
  }
  return std::nullopt;
}

std::optional<std::vector<std::uint32_t>> topological_order(
    std::uint32_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges) {
  NetGraph g = net_graph(n, edges);
  std::vector<std::uint32_t> order;
  order.reserve(n);
  try {
    boost::topological_sort(g, std::back_inserter(order));
  } catch (const boost::not_a_dag&) {
    return std::nullopt;
  }
  std::reverse(order.begin(), order.end());
  return order;
}

}  // namespace tcx
