#include "reference.hpp"


namespace tcx::test {

std::vector<std::uint8_t> PlainNetlist::eval(const std::vector<std::uint8_t>& in) const {
  std::vector<std::uint8_t> v(1 + inputs + gates.size(), 0);
  for (std::uint32_t i = 0; i < inputs; ++i) v[1 + i] = in[i];
  for (std::size_t g = 0; g < gates.size(); ++g) {
    mpz_class sum = 0;
    for (std::size_t k = 0; k < gates[g].fanins.size(); ++k) {
      Lit l = gates[g].fanins[k];
      if (v[l.node()] != l.negated()) sum += gates[g].weights[k];
    }
    v[1 + inputs + g] = sum >= gates[g].threshold;
  }
  std::vector<std::uint8_t> out;
  for (Lit o : outputs) out.push_back(v[o.node()] != o.negated());
  return out;
}

Circuit PlainNetlist::build(builder_params p) const {
  Builder b(p);
  b.add_inputs(inputs);
  std::vector<Lit> map(1 + inputs + gates.size());
  map[0] = lit_false;
  for (std::uint32_t i = 0; i < inputs; ++i) map[1 + i] = b.input(i);
  for (std::size_t g = 0; g < gates.size(); ++g) {
    std::vector<Lit> f;
    for (Lit l : gates[g].fanins) f.push_back(map[l.node()] ^ l.negated());
    map[1 + inputs + g] = b.add_gate(f, gates[g].weights, gates[g].threshold);
  }
  for (Lit o : outputs) b.add_output(map[o.node()] ^ o.negated());
  return std::move(b).build_all();
}

PlainNetlist random_netlist(std::mt19937_64& rng, const RandomParams& p) {
  PlainNetlist n;
  n.inputs = p.inputs;
  std::uniform_real_distribution<double> coin(0, 1);
  auto random_weight = [&] {
    mpz_class w = 0;
    for (std::uint32_t b = 0; b < p.weight_bits; ++b)
      if (rng() & 1) w += mpz_class(1) << b;
    if (rng() & 1) w = -w;
    return w;
  };
  for (std::uint32_t g = 0; g < p.gates; ++g) {
    std::uint32_t nodes = 1 + p.inputs + g;
    PlainGate gate;
    std::uint32_t k = 1 + static_cast<std::uint32_t>(rng() % p.max_fanin);
    mpz_class abs_sum = 0;
    for (std::uint32_t i = 0; i < k; ++i) {
      node_id id;
      if (coin(rng) < p.p_constant) id = 0;
      else if (i > 0 && coin(rng) < p.p_duplicate) id = gate.fanins[rng() % i].node();
      else id = 1 + static_cast<node_id>(rng() % (nodes - 1));
      gate.fanins.push_back(Lit(id, coin(rng) < p.p_negate));
      gate.weights.push_back(random_weight());
      abs_sum += abs(gate.weights.back());
    }
    // A threshold inside the reachable range most of the time, so gates are rarely constant.
    mpz_class span = abs_sum + 1;
    mpz_class r = 0;
    for (int limb = 0; limb < 4; ++limb) r = (r << 64) + mpz_class(static_cast<unsigned long>(rng()));
    gate.threshold = r % (2 * span + 1) - span;
    n.gates.push_back(std::move(gate));
  }
  std::uint32_t total = 1 + p.inputs + p.gates;
  for (std::uint32_t o = 0; o < p.outputs; ++o)
    n.outputs.push_back(Lit(total - 1 - static_cast<node_id>(rng() % std::min<std::uint32_t>(total, 8)), rng() & 1));
  return n;
}

std::vector<std::uint8_t> bits_of(std::uint64_t pattern, std::uint32_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::uint32_t i = 0; i < n; ++i) v[i] = (pattern >> i) & 1u;
  return v;
}

std::string mutate(const std::string& text, std::mt19937_64& rng, const std::string& alphabet) {
  std::string m = text;
  for (int e = 0, edits = 1 + static_cast<int>(rng() % 4); e < edits && !m.empty(); ++e) {
    std::size_t pos = rng() % m.size();
    switch (rng() % 3) {
      case 0: m[pos] = alphabet[rng() % alphabet.size()]; break;
      case 1: m.erase(pos, 1 + rng() % 8); break;
      default: m.insert(pos, 1, alphabet[rng() % alphabet.size()]);
    }
  }
  return m;
}

std::vector<bool> eval_by_weights(const Circuit& c, std::uint64_t q) { return eval_by_weights(c, bits_of(q, c.num_inputs())); }

std::vector<bool> eval_by_weights(const Circuit& c, const std::vector<std::uint8_t>& inputs) {
  const std::vector<bool> v = nodes_by_weights(c, inputs);
  std::vector<bool> out;
  for (const Output& o : c.outputs()) out.push_back(v[o.lit.node()] != o.lit.negated());
  return out;
}

std::vector<bool> nodes_by_weights(const Circuit& c, std::uint64_t q) { return nodes_by_weights(c, bits_of(q, c.num_inputs())); }

std::vector<bool> nodes_by_weights(const Circuit& c, const std::vector<std::uint8_t>& inputs) {
  std::vector<bool> v(c.num_nodes(), false);
  for (std::uint32_t i = 0; i < c.num_inputs(); ++i) v[c.input_node(i)] = inputs.at(i) != 0;
  for (gate_id g : c.gates()) {
    mpz_class sum = 0;
    const auto fanins = c.fanins(g);
    for (std::uint32_t k = 0; k < fanins.size(); ++k)
      if (v[fanins[k]]) sum += c.weight(g, k);
    v[c.gate_node(g)] = sum >= c.threshold(g);
  }
  return v;
}

}  // namespace tcx::test
