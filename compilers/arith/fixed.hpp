#pragma once
// Fixed-point helpers for model compilers. A value is a two's-complement word (signed) or
// a plain binary word (unsigned) holding an integer X; the number it stands for is
// X / 2^frac. Rounding and overflow are explicit (THEORY.md section 5).
#include <gmpxx.h>

#include <cstdint>
#include <span>

#include "circuits/builder.hpp"
#include "compilers/arith/sum.hpp"
#include "compilers/arith/word.hpp"

namespace tcx {

struct FixedFormat {
  std::uint32_t bits = 8;  // total width, sign bit included when signed
  std::uint32_t frac = 0;  // fractional bits
  bool is_signed = true;
  mpz_class min_int() const;  // smallest representable integer X
  mpz_class max_int() const;
};

enum class Rounding { floor, nearest_half_up };
enum class Overflow { wrap, saturate };

// ReLU of a signed word: x when the sign bit is 0, else 0. Depth 1, k - 1 gates.
Word relu(Builder& b, const Word& x);
// Step / sign activation: [x >= 0] for a signed word. Depth 0 (the negated sign bit).
Lit nonnegative(const Word& x);
// clip(x, lo, hi) for a signed (or unsigned) word and constants lo <= hi, same width:
// G = [x >= hi], L = [x >= lo] (depth 1), then out_b = [x_b + (2 hi_b - 1) G + (2 lo_b - 1)(1 - L) >= 1].
// Depth 2; k + 2 gates.
Word clip(Builder& b, const Word& x, bool is_signed, const mpz_class& lo, const mpz_class& hi);
// hard-tanh: clip to [-1, 1] in the format (lo = -2^frac, hi = 2^frac). Depth 2.
Word hard_tanh(Builder& b, const Word& x, const FixedFormat& f);

// Y = round(V / 2^shift) for V = c + sum_t w_t x_t, into the integer range of `out`, wrapped
// or saturated: the general fixed-point neuron (a dense layer's pre-activation). Wrap: depth 2
// (one weighted sum). Saturate: the exact sum, then a clip: depth 4.
Word round_sum(Builder& b, std::span<const Term> terms, const mpz_class& c, std::uint32_t shift,
               const FixedFormat& out, Rounding rounding, Overflow overflow);
// round(V / 2^shift) clipped to [lo, hi] (within the range of `out`): saturation and a ReLU
// (lo = 0) or hard-tanh (lo, hi = -1, 1) in one clip, so the activation costs no extra level.
// Depth 4.
Word round_sum_clipped(Builder& b, std::span<const Term> terms, const mpz_class& c, std::uint32_t shift,
                       const FixedFormat& out, Rounding rounding, const mpz_class& lo, const mpz_class& hi);
// The same on an integer V, for references and tests.
mpz_class round_reference(const mpz_class& V, std::uint32_t shift, const FixedFormat& out, Rounding rounding,
                          Overflow overflow);

// y = a * x + c with constants a = a_num / 2^a_frac and c = c_num / 2^c_frac, from format
// `in` to format `out`, rounded as stated. Wrap: depth 2 (one weighted sum). Saturate: the
// exact sum, then clip: depth 4.
Word affine(Builder& b, const Word& x, const FixedFormat& in, const mpz_class& a_num, std::uint32_t a_frac,
            const mpz_class& c_num, std::uint32_t c_frac, const FixedFormat& out, Rounding rounding,
            Overflow overflow);

// The same map on integers, for references and tests: returns Y for input integer X.
mpz_class affine_reference(const mpz_class& X, const FixedFormat& in, const mpz_class& a_num, std::uint32_t a_frac,
                           const mpz_class& c_num, std::uint32_t c_frac, const FixedFormat& out, Rounding rounding,
                           Overflow overflow);

}  // namespace tcx
