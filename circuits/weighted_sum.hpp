#pragma once
// A threshold gate as Boolean logic: [sum w_i x_i >= t] computed by adding the weighted
// bits column by column with full and half adders (a carry-save tree), then comparing the
// binary sum with the constant threshold by a borrow chain. The same construction serves
// the bit-parallel simulator (which emits word instructions) and the AND/NOT lowering
// (which emits AND gates), through an `Ops` policy:
//
//   using Bit = ...;                       // a signal; negation must be cheap
//   Bit negate(Bit a);
//   Bit constant(bool v);
//   Bit half_add(Bit a, Bit b, Bit& carry);          // sum = a^b,   carry = a&b
//   Bit full_add(Bit a, Bit b, Bit c, Bit& carry);   // sum = a^b^c, carry = maj(a,b,c)
//   Bit and_not(Bit a, Bit b);             // ~a & b
//   Bit or_not(Bit a, Bit b);              // ~a | b
#include <gmpxx.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "circuits/circuit.hpp"

namespace tcx {

// Column j holds the bits of weight 2^j still to be added.
template <class Bit>
using Columns = std::vector<std::vector<Bit>>;

// Puts `bit` with positive weight `w` into the columns (one entry per set bit of w).
template <class Bit>
void add_weighted(Columns<Bit>& cols, Bit bit, const mpz_class& w) {
  const std::size_t bits = mpz_sizeinbase(w.get_mpz_t(), 2);
  if (cols.size() < bits) cols.resize(bits);
  for (std::size_t j = 0; j < bits; ++j)
    if (mpz_tstbit(w.get_mpz_t(), j)) cols[j].push_back(bit);
}
template <class Bit>
void add_weighted(Columns<Bit>& cols, Bit bit, std::uint64_t w) {
  for (std::size_t j = 0; w != 0; ++j, w >>= 1) {
    if (cols.size() <= j) cols.resize(j + 1);
    if (w & 1) cols[j].push_back(bit);
  }
}

// Reduces every column to at most one bit (first in, first out, so adder trees stay
// balanced), then returns [sum >= t] for t >= 0.
template <class Ops, class Bit = typename Ops::Bit>
Bit compare_columns(Ops& ops, Columns<Bit>& cols, const mpz_class& t) {
  for (std::size_t j = 0; j < cols.size(); ++j) {
    std::size_t head = 0;
    while (cols[j].size() - head >= 2) {
      if (j + 1 == cols.size()) cols.emplace_back();
      Bit carry;
      Bit sum;
      if (cols[j].size() - head >= 3) {
        sum = ops.full_add(cols[j][head], cols[j][head + 1], cols[j][head + 2], carry);
        head += 3;
      } else {
        sum = ops.half_add(cols[j][head], cols[j][head + 1], carry);
        head += 2;
      }
      cols[j].push_back(sum);
      cols[j + 1].push_back(carry);
    }
    cols[j].erase(cols[j].begin(), cols[j].begin() + static_cast<std::ptrdiff_t>(head));
  }
  // Borrow chain for sum - t, from the least significant bit: the sum is >= t exactly
  // when no borrow leaves the top. borrow' = t_j ? (~a | borrow) : (~a & borrow).
  enum { zero, one, var } state = zero;
  Bit borrow{};
  const std::size_t width = std::max<std::size_t>(cols.size(), mpz_sizeinbase(t.get_mpz_t(), 2));
  for (std::size_t j = 0; j < width; ++j) {
    const bool tj = mpz_tstbit(t.get_mpz_t(), j);
    const bool has_bit = j < cols.size() && !cols[j].empty();
    if (!has_bit) {  // a = 0, ~a = 1
      if (tj) state = one;
      continue;
    }
    Bit a = cols[j][0];
    if (tj) {
      if (state == zero) { borrow = ops.negate(a); state = var; }
      else if (state == var) borrow = ops.or_not(a, borrow);
    } else {
      if (state == one) { borrow = ops.negate(a); state = var; }
      else if (state == var) borrow = ops.and_not(a, borrow);
    }
  }
  if (state == zero) return ops.constant(true);
  if (state == one) return ops.constant(false);
  return ops.negate(borrow);
}

// Gate g of `c` with every weight made positive: w*x with w < 0 becomes |w|*(!x), and
// |w| moves into the threshold. Calls term(node, negated, |w|) for each fan-in and
// returns the new threshold.
template <class Term>
mpz_class positive_form(const Circuit& c, gate_id g, Term&& term) {
  auto f = c.fanins(g);
  mpz_class t = c.threshold(g);
  for (std::uint32_t k = 0; k < f.size(); ++k) {
    mpz_class w = c.weight(g, k);
    if (sgn(w) < 0) {
      t -= w;
      term(f[k], true, mpz_class(-w));
    } else {
      term(f[k], false, w);
    }
  }
  return t;
}

}  // namespace tcx
