#pragma once
// Lowering threshold circuits to AND/NOT networks (AIGs), exactly, for any weights.
#include "circuits/circuit.hpp"

namespace tcx {

// True when every gate has two fan-ins with unit weights: an AND of two literals,
// possibly stored as its complement (an OR), so it maps to one AIG node.
bool is_and_network(const Circuit& c);

// Gate g of an AND network read as an AIG node: value = (a & b) ^ complemented, where a
// and b are literals of nodes of the circuit. Precondition: is_and_network(c).
struct AndNode {
  Lit a, b;
  bool complemented;
};
AndNode and_node(const Circuit& c, gate_id g);

struct lower_stats {
  std::uint32_t threshold_gates = 0;  // gates that needed an adder tree
  std::uint32_t and_or_gates = 0;     // gates that were AND/OR chains already
  std::uint32_t dead_removed = 0;     // AND gates built but read by no output, swept
};

// Each gate becomes an AND chain, an OR chain, or a carry-save adder tree over the
// binary digits of its weights followed by a borrow-chain comparison with the threshold
// (weighted_sum.hpp). Inputs, names of inputs and outputs are kept; AND gates no output
// reads (an adder's unused carries) are swept.
Circuit lower_to_and_network(const Circuit& c, lower_stats* stats = nullptr);

}  // namespace tcx
