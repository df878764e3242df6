#include "compilers/models/check.hpp"

#include "circuits/simulate.hpp"

namespace tcx {

model_check_result check_model(const Model& m, const ModelShape& shape, const Circuit& c, const model_check_params& params) {
  if (c.num_inputs() != shape.input_bits || c.num_outputs() != shape.output_bits)
    throw std::invalid_argument("check_model: the circuit does not have the model's inputs and outputs");
  const ModelInterpreter reference(m, shape);
  reference_check_params p;
  p.max_exhaustive_bits = params.max_exhaustive_bits;
  p.random_inputs = params.random_inputs;
  p.seed = params.seed;
  p.sim.threads = params.threads;
  p.sim.words = c.num_wires() > (1u << 20) ? 0 : 1;  // small circuits: the interpreter dominates, small blocks balance threads
  const reference_check_result rc = check_exhaustive_or_random(c, p, [&](const Bits& x) { return reference.run(x); });
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
