#pragma once
// BLIF (combinational subset: .model .inputs .outputs .names .end, and yosys's .conn buffers;
// its .cname, .attr and .param annotations are skipped) and structural Verilog. Writers need
// an AND network (lower_to_and_network); the BLIF reader turns each cover into threshold gates
// (a cube is [sum literals >= size], a cover ORs its cubes).
#include <string>
#include <string_view>

#include "circuits/circuit.hpp"

namespace tcx {

std::string write_blif(const Circuit& c, const std::string& model = "tcx");
Circuit read_blif(std::string_view text, const std::string& filename);

// module <model>(inputs..., outputs...) with one `assign` per AND node.
std::string write_verilog(const Circuit& c, const std::string& model = "tcx");

}  // namespace tcx
