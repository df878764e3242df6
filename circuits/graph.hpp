#pragma once
// Graph algorithms over circuits and netlists: the critical path (by levels, a circuit being
// already a flat array with levels), and for netlists whose names come in any order, cycle
// finding and topological order on Boost.Graph compressed-sparse-row graphs (built in one pass
// over an edge list, never as an adjacency_list of objects).
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "circuits/circuit.hpp"

namespace tcx {

// One longest path (counted in gates) ending at the deepest output: node ids from a
// source (input or constant) to that output's node, followed down the levels. Empty when the
// circuit has no outputs.
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
