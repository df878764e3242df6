#include "compilers/models/check.hpp"

#include "circuits/simulate.hpp"

namespace tcx {

model_check_result check_model(const Model& m, const ModelShape& shape, const Circuit& c, const model_check_params& params) {
  if (c.num_inputs() != shape.input_bits || c.num_outputs() != shape.output_bits)
    throw std::invalid_argument("check_model: the circuit does not have the model's inputs and outputs");
  const ModelInterpreter reference(m, shape);
  model_check_result r;
  r.exhaustive = c.num_inputs() <= params.max_exhaustive_bits;
  const PatternSet set = exhaustive_or_random(c.num_inputs(), params.max_exhaustive_bits, params.random_inputs, params.seed);
  r.inputs_checked = set.count;
  sim_params sp;
  sp.threads = params.threads;
  sp.words = c.num_wires() > (1u << 20) ? 0 : 1;  // small circuits: the interpreter dominates, small blocks balance threads
  const reference_check_result rc = check_against_reference(c, set, sp, [&](const Bits& x) { return reference.run(x); });
  r.agree = rc.agree;
  r.input = rc.input;
  r.circuit_output = rc.circuit_output;
  r.reference_output = rc.reference_output;
  return r;
}

}  // namespace tcx
