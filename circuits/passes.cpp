#include "circuits/passes.hpp"

#include <stdexcept>
#include <vector>

namespace tcx {

namespace {

// The one copy loop behind every pass: `keep[g]` false skips gate g (nothing may use it),
// `replace[n]` set redirects node n to another (earlier) literal of the old circuit.
struct CopyPlan {
  const std::vector<std::uint8_t>* keep = nullptr;
  const std::vector<Lit>* replace = nullptr;  // indexed by node; Lit code 0xFFFFFFFF = none
  bool copy_names = true;
};

constexpr std::uint32_t no_replacement = 0xFFFFFFFFu;

std::vector<Lit> copy_gates(Builder& b, const Circuit& c, std::vector<Lit>& map, const CopyPlan& plan) {
  std::vector<Lit> fanins;
  std::vector<std::int64_t> w64;
  std::vector<mpz_class> wbig;
  auto mapped = [&](Lit l) { return map[l.node()] ^ l.negated(); };
  for (gate_id g : c.gates()) {
    node_id n = c.gate_node(g);
    if (plan.replace && (*plan.replace)[n].code() != no_replacement) {
      map[n] = mapped((*plan.replace)[n]);
      continue;
    }
    if (plan.keep && !(*plan.keep)[g.v]) continue;
    fanins.clear();
    for (node_id f : c.fanins(g)) fanins.push_back(map[f]);
    if (!c.is_big(g)) {
      auto w = c.small_weights(g);
      w64.assign(w.begin(), w.end());
      map[n] = b.add_gate(fanins, w64, c.small_threshold(g));
    } else {
      map[n] = b.add_gate(fanins, c.big(g).weights, c.big(g).threshold);
    }
    if (plan.copy_names && !c.name(n).empty() && !map[n].negated() && !map[n].is_constant() &&
        !b.find(c.name(n)))
      b.set_name(map[n].node(), std::string(c.name(n)));
  }
  std::vector<Lit> outs;
  for (const Output& o : c.outputs()) outs.push_back(mapped(o.lit));
  return outs;
}

Circuit copy_circuit(const Circuit& c, const CopyPlan& plan, builder_params params = default_builder_params()) {
  Builder b(params);
  std::vector<Lit> map = copy_inputs(b, c);
  std::vector<Lit> outs = copy_gates(b, c, map, plan);
  for (std::uint32_t i = 0; i < c.num_outputs(); ++i) b.add_output(outs[i], c.outputs()[i].name);
  return std::move(b).build_all();
}

}  // namespace

std::vector<Lit> copy_inputs(Builder& b, const Circuit& c) {
  std::vector<Lit> map(c.num_nodes());
  map[0] = lit_false;
  for (std::uint32_t i = 0; i < c.num_inputs(); ++i) {
    node_id n = c.input_node(i);
    if (c.name(n).empty()) { b.add_inputs(1); map[n] = b.input(b.num_inputs() - 1); }
    else map[n] = b.add_input(std::string(c.name(n)));
  }
  return map;
}

Circuit rebuild(const Circuit& c, builder_params params) { return copy_circuit(c, CopyPlan{}, params); }

Circuit remove_unreachable(const Circuit& c) {
  Circuit copy = c;
  copy.drop_unreachable();
  return copy;
}

Circuit substitute(const Circuit& c, std::span<const std::pair<node_id, Lit>> replacements) {
  std::vector<Lit> replace(c.num_nodes(), Lit::from_code(no_replacement));
  for (auto [n, l] : replacements) {
    if (!c.is_gate(n)) throw std::invalid_argument("substitute: node " + std::to_string(n) + " is not a gate");
    if (l.node() >= n)
      throw std::invalid_argument("substitute: node " + std::to_string(n) + " must be replaced by an earlier node");
    replace[n] = l;
  }
  return copy_circuit(c, CopyPlan{nullptr, &replace});
}

std::vector<Lit> append_circuit(Builder& b, const Circuit& c, std::span<const Lit> input_map) {
  if (input_map.size() != c.num_inputs()) throw std::invalid_argument("append_circuit: input count mismatch");
  std::vector<Lit> map(c.num_nodes());
  map[0] = lit_false;
  for (std::uint32_t i = 0; i < c.num_inputs(); ++i) map[c.input_node(i)] = input_map[i];
  CopyPlan plan;
  plan.copy_names = false;
  return copy_gates(b, c, map, plan);
}

joined_circuits join_circuits(const Circuit& a, const Circuit& b) {
  if (a.num_inputs() != b.num_inputs()) throw std::invalid_argument("the circuits differ in their numbers of inputs");
  joined_circuits j;
  std::vector<Lit> inputs;
  for (std::uint32_t i = 0; i < a.num_inputs(); ++i) inputs.push_back(j.builder.add_input());
  j.a_outputs = append_circuit(j.builder, a, inputs);
  j.b_outputs = append_circuit(j.builder, b, inputs);
  return j;
}

bool same_by_structure(const Circuit& a, const Circuit& b) {
  if (a.num_inputs() != b.num_inputs() || a.num_outputs() != b.num_outputs()) return false;
  const joined_circuits j = join_circuits(a, b);
  return j.a_outputs == j.b_outputs;
}

}  // namespace tcx
