#pragma once
// A compiled model against its reference interpreter: every input when there are few enough
// input bits (a proof for that n), else seeded random inputs (evidence).
#include <cstdint>
#include <string>

#include "circuits/circuit.hpp"
#include "compilers/models/model.hpp"

namespace tcx {

struct model_check_params {
  std::uint32_t max_exhaustive_bits = 20;
  std::uint64_t random_inputs = 100000;
  std::uint64_t seed = 1;
  std::uint32_t threads = 0;  // 0 = all
  // Seconds for the whole check (0 = none): past them check_model throws BudgetExceeded
  // (circuits/builder.hpp), as a compile past its --time-limit does.
  double time_limit_s = 0;
};

struct model_check_result {
  bool agree = true;
  bool exhaustive = false;
  std::uint64_t inputs_checked = 0;
  Bits input, circuit_output, reference_output;  // the first disagreement (lowest pattern index)
};

// `c` must be compile_model(m, shape).
model_check_result check_model(const Model& m, const ModelShape& shape, const Circuit& c, const model_check_params& params = {});

}  // namespace tcx
