#include "circuits/graph.hpp"

#include <boost/graph/dag_shortest_paths.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>

#include <algorithm>
#include <functional>
#include <limits>

namespace tcx {

CircuitGraph to_graph(const Circuit& c, bool with_source) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  std::vector<WireProps> props;
  edges.reserve(c.num_wires() + (with_source ? c.num_inputs() + 1 : 0));
  props.reserve(edges.capacity());
  for (gate_id g : c.gates())
    for (node_id f : c.fanins(g)) {
      edges.emplace_back(f, c.gate_node(g));
      props.push_back(WireProps{1});
    }
  std::uint32_t n = c.num_nodes();
  if (with_source) {
    for (node_id s = 0; s <= c.num_inputs(); ++s) {
      edges.emplace_back(n, s);
      props.push_back(WireProps{0});
    }
    ++n;
  }
  return CircuitGraph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), props.begin(), n);
}

std::vector<node_id> critical_path(const Circuit& c) {
  if (c.num_outputs() == 0) return {};
  node_id deepest = c.outputs()[0].lit.node();
  for (const Output& o : c.outputs())
    if (c.level(o.lit.node()) > c.level(deepest)) deepest = o.lit.node();

  CircuitGraph g = to_graph(c, true);
  const std::uint32_t source = c.num_nodes();
  const std::size_t nv = num_vertices(g);
  std::vector<std::int64_t> dist(nv);
  std::vector<std::uint32_t> pred(nv);
  for (std::uint32_t v = 0; v < nv; ++v) pred[v] = v;
  // Longest path in a DAG = shortest path with the comparison reversed.
  boost::dag_shortest_paths(
      g, source,
      boost::weight_map(get(&WireProps::length, g))
          .distance_map(boost::make_iterator_property_map(dist.begin(), get(boost::vertex_index, g)))
          .predecessor_map(boost::make_iterator_property_map(pred.begin(), get(boost::vertex_index, g)))
          .distance_compare(std::greater<std::int64_t>())
          .distance_inf(std::numeric_limits<std::int64_t>::min())
          .distance_zero(std::int64_t(0)));
  std::vector<node_id> path;
  for (std::uint32_t v = deepest; v != source; v = pred[v]) {
    path.push_back(v);
    if (pred[v] == v) break;
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
