#pragma once
// The .th threshold-netlist format of the threABC tool (used for its published
// threshold-circuit benchmarks):
//
//   <a first line of free text>
//   .model NAME
//   .input a b ...
//   .output y ...
//   .threshold f1 f2 ... fk out      # the gate's fan-ins, then its own name
//   w1 w2 ... wk t                   # [w1 f1 + ... + wk fk >= t]
//   .end
//
// Gates may appear in any order; primary outputs are buffered by their own gate.
#include <string>
#include <string_view>

#include "circuits/circuit.hpp"

namespace tcx {

std::string write_th(const Circuit& c, const std::string& model = "tcx");
Circuit read_th(std::string_view text, const std::string& filename);

}  // namespace tcx
