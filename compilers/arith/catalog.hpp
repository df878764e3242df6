#pragma once
// The cell catalog: every arithmetic cell as a standalone circuit family, for `tcx cells`,
// `tcx cell NAME --bits K --count M`, the exhaustive tests and docs/cells.md.
//
// Interface of a catalog circuit: `count` operands of `bits` bits (inputs x0[0..], x1[0..],
// ... in that order, LSB first), outputs named after the result (LSB first). Cells with one
// operand ignore count, or use it as a parameter where the table says so.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "circuits/circuit.hpp"

namespace tcx {

struct CellInfo {
  std::string name;
  std::string description;
  std::string depth_formula;
  std::string gates_formula;
  bool uses_count = false;  // count = number of operands (or the stated parameter)
  std::uint32_t default_count = 2;
  std::function<Circuit(std::uint32_t bits, std::uint32_t count)> build;
  std::function<std::uint32_t(std::uint32_t bits, std::uint32_t count)> depth;  // the formula, evaluated
};

const std::vector<CellInfo>& cell_catalog();
const CellInfo* find_cell(std::string_view name);

}  // namespace tcx
