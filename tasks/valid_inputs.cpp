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

std::shared_ptr<const truth_table> valid_input_care(const Task& t, const TaskParams& p, std::uint32_t inputs, bool valid_only) {
  if (!valid_only) return nullptr;
  std::optional<truth_table> valid = valid_input_table(t, p, inputs);
  return valid ? std::make_shared<const truth_table>(std::move(*valid)) : nullptr;
}

}  // namespace tcx
