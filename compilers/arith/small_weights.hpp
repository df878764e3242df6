#pragma once
// Small-weight variants: the same functions as sum.hpp with every weight at most 2 (adders)
// or polynomial in m (iterated addition), at a little more depth.
#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "compilers/arith/residue_threshold.hpp"
#include "compilers/arith/word.hpp"

namespace tcx {

// x + y + carry_in with weights in {-2, ..., 2}. Bit j is x_j XOR y_j XOR c_j, and the carry
// c_j is decided by the highest position i < j where x_i == y_i (generate when both are 1,
// kill when both are 0; carry_in when there is none). Layer 1: e_l = [x_l + y_l >= 1],
// f_l = [x_l + y_l >= 2]; layer 2: one gate per exclusive case "the highest non-propagate
// position below j is i, it generates (kills), and bit j does not (does) propagate";
// layer 3: bit j = OR of its cases. Depth 3; O(k^2) gates, O(k^3) wires.
// With carry_out the result has k+1 bits.
Word add_small(Builder& b, const Word& x, const Word& y, bool carry_in, bool carry_out);
// x - y mod 2^k as x + !y + 1. Depth 3.
Word subtract_small(Builder& b, const Word& x, const Word& y);

// Sum of m unsigned words with weights polynomial in m: blocks of b = max(1, ceil(log2 m))
// columns are summed per block (sum_bits, weights < m 2^b <= 2m^2, depth 2); each block sum
// spans at most two blocks, so the even and the odd block sums form two numbers without
// overlap, added by add_small (depth 3). Depth 5 for every m and k with k > b (2 when the words
// fit in one block); the literature reaches 3 with polynomial weights (Siu, Roychowdhury 1994).
Word iterated_add_small(Builder& b, std::span<const Word> xs);

struct small_weights_stats {
  std::uint32_t gates_replaced = 0;
  std::uint32_t depth_before = 0, depth_after = 0;
  std::uint32_t gates_before = 0, gates_after = 0;
  std::uint64_t wires_before = 0, wires_after = 0;
  std::uint64_t max_weight_bits_before = 0, max_weight_bits_after = 0;
};

enum class reweight_method {
  // The gate's weighted sum by iterated_add_small (the inputs' weights in binary), then
  // [sum >= t] by the unit-weight comparator: 8 levels in place of one, modest size.
  adders,
  // threshold_by_residues: 2 levels in place of one (the Goldmann-Karpinski depth), a much
  // larger circuit.
  residues,
};

struct small_weights_params {
  std::uint32_t max_bits = 8;  // gates whose weights and threshold fit are kept as they are
  reweight_method method = reweight_method::adders;
  residue_params residues;     // for reweight_method::residues (its budget is per gate)
};

// Rewrites every gate with a weight or threshold wider than max_bits as small-weight logic.
// Polynomial size and weights, constant extra depth per rewritten gate.
Circuit to_small_weights(const Circuit& c, const small_weights_params& params, small_weights_stats* stats = nullptr);
inline Circuit to_small_weights(const Circuit& c, std::uint32_t max_bits, small_weights_stats* stats = nullptr) {
  small_weights_params p;
  p.max_bits = max_bits;
  return to_small_weights(c, p, stats);
}

}  // namespace tcx
