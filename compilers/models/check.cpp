#include "compilers/models/check.hpp"

#include <atomic>
#include <mutex>

#include "circuits/evaluate.hpp"
#include "circuits/simulate.hpp"

namespace tcx {

model_check_result check_model(const Model& m, const ModelShape& shape, const Circuit& c, const model_check_params& params) {
  if (c.num_inputs() != shape.input_bits || c.num_outputs() != shape.output_bits)
    throw std::invalid_argument("check_model: the circuit does not have the model's inputs and outputs");
  const ModelInterpreter reference(m, shape);
  model_check_result r;
  r.exhaustive = c.num_inputs() <= params.max_exhaustive_bits;
  PatternSet set;
  set.kind = r.exhaustive ? PatternSet::exhaustive : PatternSet::random;
  set.count = r.exhaustive ? std::uint64_t(1) << c.num_inputs() : params.random_inputs;
  set.seed = params.seed;
  r.inputs_checked = set.count;
  std::atomic<std::uint64_t> first_bad{UINT64_MAX};
  sim_params sp;
  sp.threads = params.threads;
  sp.words = c.num_wires() > (1u << 20) ? 0 : 1;  // small circuits: the interpreter dominates, small blocks balance threads
  const std::uint32_t ni = c.num_inputs(), no = c.num_outputs();
  simulate_blocks(c, set, sp, [&](std::uint64_t first, std::uint32_t W, const std::uint64_t* out) {
    std::vector<std::uint64_t> in(std::size_t(ni) * W);
    fill_inputs(set, ni, first / (64 * W), W, in.data());
    Bits x(ni), y(no);
    for (std::uint64_t k = 0; k < std::uint64_t(64) * W && first + k < set.count; ++k) {
      if (first + k >= first_bad.load()) return;
      const std::uint32_t w = static_cast<std::uint32_t>(k / 64), bit = k % 64;
      for (std::uint32_t i = 0; i < ni; ++i) x[i] = (in[std::size_t(i) * W + w] >> bit) & 1u;
      for (std::uint32_t o = 0; o < no; ++o) y[o] = (out[std::size_t(o) * W + w] >> bit) & 1u;
      if (reference.run(x) != y) {
        std::uint64_t cur = first_bad.load();
        while (first + k < cur && !first_bad.compare_exchange_weak(cur, first + k)) {}
        return;
      }
    }
  });
  if (first_bad.load() != UINT64_MAX) {
    r.agree = false;
    r.input = pattern_inputs(set, ni, first_bad.load());
    r.circuit_output = evaluate(c, r.input);
    r.reference_output = reference.run(r.input);
  }
  return r;
}

}  // namespace tcx
