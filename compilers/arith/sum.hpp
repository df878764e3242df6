#pragma once
// Weighted sums in depth 2: the workhorse behind addition, subtraction, iterated addition,
// multiplication by constants and fixed-point affine maps.
//
// Bit j of S = c + sum_t w_t x_t (mod 2^(j+1), two's complement for negative values) depends
// only on S_j = (c mod 2^(j+1)) + sum_t (w_t mod 2^(j+1)) x_t >= 0: it is 1 exactly when S_j lies in
// [2^j, 2*2^j) or [3*2^j, 4*2^j) or ... So layer 1 has the gates G_r = [S_j >= r*2^j],
// r = 1..R_j with R_j = floor(max S_j / 2^j) < 2*(terms + 1), and the output is
// [G_1 - G_2 + G_3 - ... >= 1]. Depth 2; at most R_j + 1 gates per output bit; weights up
// to 2^(j+1) (exponential weights, polynomially many bits, exact through GMP).
#include <gmpxx.h>

#include <span>
#include <vector>

#include "circuits/builder.hpp"
#include "compilers/arith/word.hpp"

namespace tcx {

struct Term {
  Lit lit;
  mpz_class weight;
};

// Bits [low, low + width) of c + sum_t w_t x_t, modulo 2^(low + width). Depth 2.
Word sum_bits(Builder& b, std::span<const Term> terms, const mpz_class& c, std::uint32_t low, std::uint32_t width);

// The terms of a word: bit i with weight 2^i (or -2^(k-1) for the sign bit when signed).
void append_terms(std::vector<Term>& terms, const Word& x, const mpz_class& scale = 1, bool is_signed = false);

// x + y (unsigned, k+1 bits for k-bit operands: no overflow). Depth 2, at most 4 gates per bit.
Word add(Builder& b, const Word& x, const Word& y);
// x - y modulo 2^k (k = max width); two's complement result. Depth 2.
Word subtract(Builder& b, const Word& x, const Word& y);
// Sum of m unsigned words of k bits, exact (k + ceil(log2 m) bits). Depth 2 for every m and k;
// at most 2m + 1 gates per output bit.
Word iterated_add(Builder& b, std::span<const Word> xs);
// x * y (unsigned, |x| + |y| bits): partial products x_i & y_l (depth 1), then one weighted
// sum (depth 2). Depth 3; O(k) gates per output bit, O(k^2) fan-in each.
Word multiply(Builder& b, const Word& x, const Word& y);
// x * c for a constant c >= 0 (unsigned, exact). Depth 2.
Word multiply_constant(Builder& b, const Word& x, const mpz_class& c);

}  // namespace tcx
