#include "circuits/evaluate.hpp"

#include <stdexcept>

namespace tcx {

std::vector<std::uint8_t> evaluate_nodes(const Circuit& c, std::span<const std::uint8_t> inputs) {
  if (inputs.size() != c.num_inputs())
    throw std::invalid_argument("evaluate: expected " + std::to_string(c.num_inputs()) + " input values, got " +
                                std::to_string(inputs.size()));
  std::vector<std::uint8_t> v(c.num_nodes(), 0);
  for (std::uint32_t i = 0; i < c.num_inputs(); ++i) v[c.input_node(i)] = inputs[i] ? 1 : 0;
  mpz_class big_sum;
  for (gate_id g : c.gates()) {
    auto f = c.fanins(g);
    bool on;
    if (!c.is_big(g)) {
      // |w| < 2^31 and fewer than 2^32 fan-ins: the sum fits in 64 bits.
      auto w = c.small_weights(g);
      std::int64_t sum = 0;
      for (std::size_t i = 0; i < f.size(); ++i) sum += v[f[i]] ? w[i] : 0;
      on = sum >= c.small_threshold(g);
    } else {
      const BigGate& b = c.big(g);
      big_sum = 0;
      for (std::size_t i = 0; i < f.size(); ++i)
        if (v[f[i]]) big_sum += b.weights[i];
      on = big_sum >= b.threshold;
    }
    v[c.gate_node(g)] = on;
  }
  return v;
}

std::vector<std::uint8_t> evaluate(const Circuit& c, std::span<const std::uint8_t> inputs) {
  std::vector<std::uint8_t> v = evaluate_nodes(c, inputs);
  std::vector<std::uint8_t> out;
  out.reserve(c.num_outputs());
  for (const Output& o : c.outputs()) out.push_back(v[o.lit.node()] ^ (o.lit.negated() ? 1 : 0));
  return out;
}

std::vector<std::uint8_t> evaluate_pattern(const Circuit& c, std::uint64_t pattern) {
  if (c.num_inputs() > 64) throw std::invalid_argument("evaluate_pattern: more than 64 inputs");
  std::vector<std::uint8_t> in(c.num_inputs());
  for (std::uint32_t i = 0; i < c.num_inputs(); ++i) in[i] = (pattern >> i) & 1u;
  return evaluate(c, in);
}

}  // namespace tcx
