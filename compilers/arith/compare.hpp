#pragma once
// Comparison of unsigned words.
#include "circuits/builder.hpp"
#include "compilers/arith/word.hpp"

namespace tcx {

// [x >= y] for unsigned words (the shorter one zero-extended), as one gate
// [sum 2^i x_i - sum 2^i y_i >= 0]. Depth 1, 1 gate, weights up to 2^(k-1):
// exact for any width (gates beyond 31 bits are stored with GMP weights).
Lit greater_equal(Builder& b, const Word& x, const Word& y);

}  // namespace tcx
