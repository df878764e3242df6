#include "compilers/models/check.hpp"

#include <chrono>
#include <iomanip>
#include <sstream>

#include "circuits/builder.hpp"
#include "circuits/interrupt.hpp"
#include "circuits/simulate.hpp"

namespace tcx {

model_check_result check_model(const Model& m, const ModelShape& shape, const Circuit& c, const model_check_params& params) {
  if (c.num_inputs() != shape.input_bits || c.num_outputs() != shape.output_bits)
    throw std::invalid_argument("check_model: the circuit does not have the model's inputs and outputs");
  const ModelInterpreter interpreter(m, shape);
  // The interpreter dominates the check: each of its calls reads the clock against the budget.
  const auto start = std::chrono::steady_clock::now();
  const double limit = params.time_limit_s > 0 && params.time_limit_s < 1e9 ? params.time_limit_s : 0;
  const ReferenceFn reference = [&](const Bits& x) {
    if (interrupted()) throw BudgetExceeded("interrupted during the check");
    if (limit > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > limit) {
      std::ostringstream os;
      os << "the check's time budget (" << std::setprecision(3) << limit << " s) ran out";
      throw BudgetExceeded(os.str());
    }
    return interpreter.run(x);
  };
  reference_check_params p;
  p.max_exhaustive_bits = params.max_exhaustive_bits;
  p.random_inputs = params.random_inputs;
  p.seed = params.seed;
  p.sim.threads = params.threads;
  p.sim.words = c.num_wires() > (1u << 20) ? 0 : 1;  // small circuits: the interpreter dominates, small blocks balance threads
  const reference_check_result rc = check_exhaustive_or_random(c, p, reference);
  model_check_result r;
  r.exhaustive = rc.exhaustive;
  r.inputs_checked = rc.checked;
  r.agree = rc.agree;
  r.input = rc.input;
  r.circuit_output = rc.circuit_output;
  r.reference_output = rc.reference_output;
  return r;
}

}  // namespace tcx
