#pragma once
// Comparison of unsigned words (the shorter one zero-extended).
#include <gmpxx.h>

#include "circuits/builder.hpp"
#include "compilers/arith/word.hpp"

namespace tcx {

// [x >= y] as one gate [sum 2^i x_i - sum 2^i y_i >= 0]. Depth 1, 1 gate, weights up to
// 2^(k-1): exact for any width (beyond 31 bits the gate is stored with GMP weights).
Lit greater_equal(Builder& b, const Word& x, const Word& y);

// [x >= y] with unit weights only. Layer 1: g_i = [x_i & !y_i], l_i = [!x_i & y_i];
// layer 2: v_i = [l_i - sum_{j>i} (g_j + l_j) >= 1] ("bit i is the highest difference and
// y has the 1 there"); layer 3: [x >= y] = NOT OR_i v_i. Weights are all +-1.
// Depth 3; 3k + 1 gates at most; O(k^2) wires.
Lit greater_equal_small(Builder& b, const Word& x, const Word& y);

// [x == y]: [x >= y] AND [y >= x]. Depth 2, 3 gates, weights up to 2^(k-1).
Lit equal(Builder& b, const Word& x, const Word& y);

// [x == y] with unit weights: no bit differs, NOT [sum_i (x_i & !y_i) + (!x_i & y_i) >= 1].
// Depth 2; 2k + 1 gates.
Lit equal_small(Builder& b, const Word& x, const Word& y);

// [x >= c] for a constant c: one gate (weights 2^i). Depth 1 (0 when constant).
Lit greater_equal_constant(Builder& b, const Word& x, const mpz_class& c);
// [x == c]: an AND of the bits or their negations. Depth 1, 1 gate, unit weights.
Lit equal_constant(Builder& b, const Word& x, const mpz_class& c);

}  // namespace tcx
