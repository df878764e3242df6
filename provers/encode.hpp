#pragma once
// Threshold gates and whole circuits as CNF, written by tcx (never CryptoMiniSat's native
// BNN constraints, which gave wrong answers with an output literal in the packaged 5.11).
//
// Two encodings of y <=> [sum w_i x_i >= t]:
//  - bdd: the gate as a reduced decision diagram over its inputs, heaviest first, nodes shared by
//    the interval of thresholds they stand for (Abio et al. 2012), each node one if-then-else
//    definition. Propagates perfectly; small when the weights are small or few.
//  - adder: the weighted sum in binary by a carry-save tree of full adders over the weights' bits,
//    then a comparator against the constant. Polynomial for any weights, weaker propagation.
// automatic: bdd while it stays within bdd_node_limit nodes, the adder beyond.
#include <gmpxx.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"
#include "provers/cnf.hpp"

namespace tcx {

enum class GateEncoding { automatic, bdd, adder };
GateEncoding parse_gate_encoding(const std::string& name);  // std::invalid_argument
const char* encoding_name(GateEncoding e);

struct encode_params {
  GateEncoding encoding = GateEncoding::automatic;
  std::uint32_t bdd_node_limit = 4096;  // per gate, for automatic
  // Wall seconds for encode_circuit (0: none): past them, or on an interrupt, BudgetExceeded, so a
  // query's budget covers the encoding of a large circuit too, not only the solver.
  double time_limit_s = 0;
};

struct encode_stats {
  std::uint64_t bdd_gates = 0, adder_gates = 0;
};

// Returns a literal equal to [sum w_i x_i >= t].
CnfLit encode_threshold(Cnf& cnf, std::span<const CnfLit> x, std::span<const mpz_class> w, const mpz_class& t,
                        const encode_params& p = {}, encode_stats* stats = nullptr);

// Every gate of the circuit; `inputs` gives the literals of its inputs (fresh variables when
// empty). Returns the literals of the outputs and of the inputs.
struct circuit_cnf {
  std::vector<CnfLit> inputs, outputs;
};
circuit_cnf encode_circuit(Cnf& cnf, const Circuit& c, std::span<const CnfLit> inputs = {}, const encode_params& p = {},
                           encode_stats* stats = nullptr);

}  // namespace tcx
