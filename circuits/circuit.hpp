#pragma once
// Circuit: an immutable threshold-circuit DAG in flat structure-of-arrays form.
//
// Nodes are numbered in topological order: node 0 is the constant false, nodes
// 1..num_inputs() are the inputs (input i is node i+1), and gates follow. Per-gate accessors take
// a gate_id (the gate's 0-based position), not a node id; the two convert only through
// gate_node() / gate_of() (circuits/ids.hpp says why). A gate
// computes [sum_i w_i * x_i >= t] over plain node ids (negations were folded into
// weights and threshold by the Builder). Weights are exact: a gate whose weights
// fit in 32 bits (and threshold in 64) is stored inline ("small"); any other gate
// keeps its weights as GMP integers in a side table ("big").
//
// Memory per small gate: 8 (fan-in offset) + 8 (threshold) + 4 (level)
// + 4 (big-table index) = 24 bytes; per wire: 4 (fan-in id) + 4 (weight) = 8 bytes.
#include <gmpxx.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "circuits/huge_pages.hpp"
#include "circuits/ids.hpp"
#include "circuits/lit.hpp"
#include "circuits/names.hpp"

namespace tcx {

struct BigGate {
  std::vector<mpz_class> weights;
  mpz_class threshold;
};

struct Output {
  Lit lit;
  std::string name;  // empty when anonymous
};

class Circuit;
Circuit remove_unreachable(const Circuit& c);  // circuits/passes.hpp

class Circuit {
public:
  Circuit() = default;

  std::uint32_t num_inputs() const { return num_inputs_; }
  std::uint32_t num_gates() const { return static_cast<std::uint32_t>(level_.size()); }
  std::uint32_t num_nodes() const { return 1 + num_inputs_ + num_gates(); }
  std::uint64_t num_wires() const { return fanin_.size(); }
  std::uint32_t num_outputs() const { return static_cast<std::uint32_t>(outputs_.size()); }

  // Node ids and gate indices: conversions through space() only (circuits/ids.hpp).
  node_space space() const { return {num_inputs_}; }
  gate_range gates() const { return gate_range(num_gates()); }
  node_id input_node(std::uint32_t i) const { return space().input_node(i); }
  node_id first_gate_node() const { return space().first_gate_node(); }
  node_id gate_node(gate_id g) const { return space().node(g); }
  gate_id gate_of(node_id n) const { return space().gate(n); }  // n must be a gate (is_gate)
  bool is_constant(node_id n) const { return n == 0; }
  bool is_input(node_id n) const { return n >= 1 && n <= num_inputs_; }
  bool is_gate(node_id n) const { return space().past_inputs(n) && n < num_nodes(); }

  std::span<const node_id> fanins(gate_id g) const {
    return {fanin_.data() + offset_[g.v], fanin_.data() + offset_[g.v + 1]};
  }
  std::uint32_t fanin_count(gate_id g) const {
    return static_cast<std::uint32_t>(offset_[g.v + 1] - offset_[g.v]);
  }
  bool is_big(gate_id g) const { return big_index_[g.v] != no_big; }
  // Only for small gates.
  std::span<const std::int32_t> small_weights(gate_id g) const {
    return {weight_.data() + offset_[g.v], weight_.data() + offset_[g.v + 1]};
  }
  std::int64_t small_threshold(gate_id g) const { return threshold_[g.v]; }
  // Only for big gates.
  const BigGate& big(gate_id g) const { return big_[big_index_[g.v]]; }
  // A gate's level (below).
  std::uint32_t gate_level(gate_id g) const { return level_[g.v]; }
  // Any gate, exact (slow path: allocates).
  mpz_class weight(gate_id g, std::uint32_t i) const;
  mpz_class threshold(gate_id g) const;

  // Level: 0 for the constant and inputs, 1 + max level of the fan-ins for a gate.
  std::uint32_t level(node_id n) const { return is_gate(n) ? level_[gate_of(n).v] : 0; }
  // Depth: the largest level of any output (threshold gates on the longest path).
  std::uint32_t depth() const;

  std::span<const Output> outputs() const { return outputs_; }

  // Names are optional; name() is empty for an anonymous node.
  std::string_view name(node_id n) const;
  std::optional<node_id> find(std::string_view name) const;
  // A printable handle: the name, or "@id" for an anonymous node.
  std::string label(node_id n) const;
  bool has_names() const { return !names_.empty(); }

  // Bytes held by the gate and wire arrays (names and outputs excluded).
  std::size_t memory_bytes() const;

  static constexpr std::uint32_t no_big = std::numeric_limits<std::uint32_t>::max();

private:
  friend class CircuitStore;
  friend bool structurally_equal(const Circuit& a, const Circuit& b);
  friend Circuit remove_unreachable(const Circuit& c);
  // Drops the gates no output reads and renumbers the rest in order (names of dropped nodes go).
  void drop_unreachable();

  std::uint32_t num_inputs_ = 0;
  huge_vector<std::uint64_t> offset_{0};  // per gate + 1: start of its fan-ins
  huge_vector<node_id> fanin_;            // per wire
  huge_vector<std::int32_t> weight_;      // per wire (0 for big gates)
  huge_vector<std::int64_t> threshold_;   // per gate (0 for big gates)
  huge_vector<std::uint32_t> level_;      // per gate
  huge_vector<std::uint32_t> big_index_;  // per gate: index into big_ or no_big
  std::vector<BigGate> big_;
  std::vector<Output> outputs_;
  NameTable names_;
};

// Per gate (indexed by gate_id::v), 1 when an output depends on it (reads only fan-ins and outputs).
std::vector<std::uint8_t> reachable_gates(const Circuit& c);
std::vector<std::uint8_t> reachable_gates(const Circuit& c, std::span<const Output> outputs);  // these outputs

// Structural identity: same interface, same gates in the same order, same outputs and names.
bool structurally_equal(const Circuit& a, const Circuit& b);

}  // namespace tcx
