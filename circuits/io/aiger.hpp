#pragma once
// AIGER (combinational): ASCII "aag" and binary "aig". Writing needs an AND network
// (lower_to_and_network); reading gives a threshold circuit of 2-input AND gates.
// AIGER variable v is tcx node v: the constant, then inputs, then gates, in order.
#include <string>
#include <string_view>

#include "circuits/circuit.hpp"

namespace tcx {

std::string write_aiger(const Circuit& c, bool binary);
Circuit read_aiger(std::string_view data, const std::string& filename);

}  // namespace tcx
