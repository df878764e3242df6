#include <stdexcept>

#include "tasks/task.hpp"

namespace tcx {

std::vector<std::uint8_t> valid_input_table(const Task& t, const TaskParams& p, std::uint32_t inputs) {
  if (!t.valid_input) return {};
  if (inputs > 30) throw std::invalid_argument("valid_input_table: at most 30 inputs");
  std::vector<std::uint8_t> table(std::size_t(1) << inputs);
  Bits x(inputs);
  bool all = true;
  for (std::uint64_t q = 0; q < table.size(); ++q) {
    for (std::uint32_t i = 0; i < inputs; ++i) x[i] = (q >> i) & 1u;
    table[q] = t.valid_input(p, x) ? 1 : 0;
    all = all && table[q];
  }
  if (all) table.clear();
  return table;
}

}  // namespace tcx
