#pragma once
// Graphviz DOT export, written with Boost.Graph's write_graphviz over the CSR view.
#include <string>

#include "circuits/circuit.hpp"

namespace tcx {

// Inputs are boxes, gates are ellipses labelled with their threshold, edges carry
// weights, outputs are double octagons (a dashed edge: the output is negated).
std::string write_dot(const Circuit& c);

}  // namespace tcx
