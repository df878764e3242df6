#include <stdexcept>

#include "tasks/task.hpp"

namespace tcx {

std::optional<truth_table> valid_input_table(const Task& t, const TaskParams& p, std::uint32_t inputs) {
  if (!t.valid_input) return std::nullopt;
  if (inputs > 30) throw std::invalid_argument("valid_input_table: at most 30 inputs");
  Bits x(inputs);
  truth_table table = make_truth_table(inputs, [&](std::uint64_t q) {
    for (std::uint32_t i = 0; i < inputs; ++i) x[i] = (q >> i) & 1u;
    return t.valid_input(p, x);
  });
  if (is_const0(~table)) return std::nullopt;
  return table;
}

}  // namespace tcx
