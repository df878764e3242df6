#include "circuits/analysis.hpp"
#include "circuits/io/json_format.hpp"

namespace tcx {

nlohmann::json to_json(const Circuit& c) {
  using nlohmann::json;
  json inputs = json::array();
  for (std::uint32_t i = 0; i < c.num_inputs(); ++i) {
    json in{{"id", c.input_node(i)}};
    if (!c.name(c.input_node(i)).empty()) in["name"] = c.name(c.input_node(i));
    inputs.push_back(std::move(in));
  }
  json gates = json::array();
  for (gate_id g : c.gates()) {
    node_id n = c.gate_node(g);
    json w = json::array();
    for (std::uint32_t k = 0; k < c.fanin_count(g); ++k) w.push_back(json_integer(c.weight(g, k)));
    auto f = c.fanins(g);
    json gate{{"id", n},
              {"fanins", std::vector<node_id>(f.begin(), f.end())},
              {"weights", std::move(w)},
              {"threshold", json_integer(c.threshold(g))},
              {"level", c.level(n)}};
    if (!c.name(n).empty()) gate["name"] = c.name(n);
    gates.push_back(std::move(gate));
  }
  json outputs = json::array();
  for (const Output& o : c.outputs()) {
    json out{{"node", o.lit.node()}, {"negated", o.lit.negated()}};
    if (!o.name.empty()) out["name"] = o.name;
    outputs.push_back(std::move(out));
  }
  return json{{"format", "tcx-circuit"},
              {"version", json_circuit_version},
              {"node_numbering", "0 = constant false, then inputs, then gates in topological order"},
              {"gate_semantics", "value = [sum_i weights[i] * value(fanins[i]) >= threshold]"},
              {"inputs", std::move(inputs)},
              {"gates", std::move(gates)},
              {"outputs", std::move(outputs)}};
}

}  // namespace tcx
