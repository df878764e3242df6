#include <boost/graph/graphviz.hpp>

#include <sstream>

#include "circuits/io/dot_format.hpp"

namespace tcx {

namespace {

// Vertices: the circuit's nodes, then one per output. Edge e carries a label index.
struct DotEdge {
  std::uint64_t index = 0;
};
using DotGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, DotEdge>;

std::string escape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

}  // namespace

std::string write_dot(const Circuit& c) {
  // Edge labels: the weight for a wire, "" or "not" for an output edge.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  std::vector<DotEdge> props;
  std::vector<std::string> edge_label;
  std::vector<std::uint8_t> used(c.num_nodes(), 0);
  for (gate_id g : c.gates()) {
    auto f = c.fanins(g);
    for (std::uint32_t k = 0; k < f.size(); ++k) {
      edges.emplace_back(f[k], c.gate_node(g));
      props.push_back(DotEdge{edge_label.size()});
      edge_label.push_back(c.weight(g, k).get_str());
      used[f[k]] = 1;
    }
  }
  for (std::uint32_t i = 0; i < c.num_outputs(); ++i) {
    Lit l = c.outputs()[i].lit;
    edges.emplace_back(l.node(), c.num_nodes() + i);
    props.push_back(DotEdge{edge_label.size()});
    edge_label.push_back(l.negated() ? "not" : "");
    used[l.node()] = 1;
  }
  DotGraph g(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), props.begin(),
             c.num_nodes() + c.num_outputs());

  auto vertex_writer = [&](std::ostream& out, std::uint32_t v) {
    if (v >= c.num_nodes()) {
      const Output& o = c.outputs()[v - c.num_nodes()];
      std::string name = o.name.empty() ? "out" + std::to_string(v - c.num_nodes()) : o.name;
      out << "[shape=doubleoctagon,label=\"" << escape(name) << "\"]";
    } else if (v == 0) {
      out << (used[0] ? "[shape=box,label=\"0\"]" : "[style=invis]");
    } else if (c.is_input(v)) {
      out << "[shape=box,label=\"" << escape(c.label(v)) << "\"]";
    } else {
      std::string label = c.name(v).empty() ? "" : escape(std::string(c.name(v))) + "\\n";
      out << "[shape=ellipse,label=\"" << label << ">= " << c.threshold(c.gate_of(v)).get_str() << "\"]";
    }
  };
  auto edge_writer = [&](std::ostream& out, DotGraph::edge_descriptor e) {
    const std::string& label = edge_label[g[e].index];
    if (label == "not") out << "[style=dashed,label=\"not\"]";
    else if (!label.empty()) out << "[label=\"" << label << "\"]";
  };
  auto graph_writer = [](std::ostream& out) { out << "rankdir=BT;\n"; };
  std::ostringstream out;
  boost::write_graphviz(out, g, vertex_writer, edge_writer, graph_writer);
  return out.str();
}

}  // namespace tcx
