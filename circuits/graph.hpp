#pragma once
// Boost.Graph views of circuits and netlists.
//
// A Circuit is already a flat array; for BGL algorithms we hand it over as a
// compressed-sparse-row graph (vertex = node id, edge = wire from fan-in to gate),
// built in one pass over the fan-in array, never as an adjacency_list of objects.
#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "circuits/circuit.hpp"

namespace tcx {

struct WireProps {
  std::int32_t length = 0;  // 1 for a wire into a gate, 0 for the virtual source edges
};
using CircuitGraph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, WireProps>;

// vertex = node id; edges fan-in -> gate. With `with_source`, one more vertex
// (num_nodes()) with a zero-length edge to the constant and to every input.
CircuitGraph to_graph(const Circuit& c, bool with_source = false);

// One longest path (counted in gates) ending at the deepest output: node ids from a
// source (input or constant) to that output's node. Computed with BGL's DAG shortest
// paths under reversed comparison. Empty when the circuit has no outputs.
std::vector<node_id> critical_path(const Circuit& c);

// For netlists whose names may be defined in any order (BLIF, a .tc file with an error):
// vertices 0..n-1 and directed edges (from, to). A cycle as a vertex list v0 -> ... -> v0
// (first vertex repeated at the end), or nullopt when the graph is acyclic.
std::optional<std::vector<std::uint32_t>> find_cycle(std::uint32_t n,
                                                     const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges);

// A topological order (every edge goes forward), or nullopt when there is a cycle.
std::optional<std::vector<std::uint32_t>> topological_order(
    std::uint32_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges);

}  // namespace tcx
