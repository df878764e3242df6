#include "compilers/arith/sum.hpp"

#include "circuits/derived_gates.hpp"

#include <stdexcept>

namespace tcx {

namespace {
mpz_class mod_pow2(const mpz_class& x, std::uint32_t bits) {
  mpz_class r;
  mpz_fdiv_r_2exp(r.get_mpz_t(), x.get_mpz_t(), bits);  // in [0, 2^bits)
  return r;
}
std::uint32_t bit_length(const mpz_class& x) {
  return sgn(x) == 0 ? 0 : static_cast<std::uint32_t>(mpz_sizeinbase(x.get_mpz_t(), 2));
}
}  // namespace

Word sum_bits(Builder& b, std::span<const Term> signed_terms, const mpz_class& c_in, std::uint32_t low,
              std::uint32_t width) {
  // A negative weight becomes a positive one on the negated literal: w x = w + |w| (!x). Small
  // positive weights keep S_j's range, and so the number of layer-1 gates, small.
  std::vector<Term> terms;
  terms.reserve(signed_terms.size());
  mpz_class c = c_in;
  for (const Term& t : signed_terms) {
    if (sgn(t.weight) < 0) {
      c += t.weight;
      terms.push_back(Term{!t.lit, -t.weight});
    } else {
      terms.push_back(t);
    }
  }
  // The common case in 64-bit integers: every weight and c fit, and bit j's sums stay below 2^62.
  bool fits = c.fits_slong_p();
  for (const Term& t : terms) fits = fits && t.weight.fits_slong_p();
  std::vector<std::int64_t> w64;
  if (fits)
    for (const Term& t : terms) w64.push_back(t.weight.get_si());
  const std::int64_t c64 = fits ? c.get_si() : 0;

  Word out;
  std::vector<Lit> lits, layer;
  std::vector<mpz_class> ws;
  std::vector<std::int64_t> ws64, thresholds, signs;
  for (std::uint32_t j = low; j < low + width; ++j) {
    lits.clear();
    layer.clear();
    // 64 bits: S_j = (c mod 2^(j+1)) + sum (w mod 2^(j+1)) x, a ladder [S_j >= r 2^j], r = 1..top / 2^j.
    bool small = fits && j < 61;
    if (small) {
      const std::int64_t mask = (std::int64_t(1) << (j + 1)) - 1;
      const std::int64_t cj = c64 & mask;  // two's complement: c mod 2^(j+1) also for c < 0
      std::int64_t top = cj;
      ws64.clear();
      for (std::size_t k = 0; k < terms.size() && small; ++k) {
        const std::int64_t r = w64[k] & mask;
        if (r == 0) continue;
        lits.push_back(terms[k].lit);
        ws64.push_back(r);
        small = !__builtin_add_overflow(top, r, &top) && top < (std::int64_t(1) << 61);
      }
      if (small) {
        thresholds.clear();
        for (std::int64_t r = 1; r <= top >> j; ++r) thresholds.push_back(r * (std::int64_t(1) << j) - cj);
        layer.resize(thresholds.size());
        b.add_gates(lits, ws64, thresholds, layer);
      }
    }
    if (!small) {  // GMP: the same ladder with exact weights
      lits.clear();
      ws.clear();
      mpz_class top = mod_pow2(c, j + 1);  // the largest value S_j can take
      const mpz_class cj = top;
      for (const Term& t : terms) {
        mpz_class r = mod_pow2(t.weight, j + 1);
        if (sgn(r) == 0) continue;
        lits.push_back(t.lit);
        ws.push_back(r);
        top += r;
      }
      const mpz_class step = mpz_class(1) << j;
      const mpz_class R = top / step;
      for (mpz_class r = 1; r <= R; ++r) layer.push_back(b.add_gate(lits, ws, r * step - cj));
    }
    // Bit j is 1 when S_j is in an odd band: [G_1 - G_2 + G_3 - ... >= 1].
    signs.resize(layer.size());
    for (std::size_t r = 0; r < layer.size(); ++r) signs[r] = r % 2 == 0 ? 1 : -1;
    out.push_back(b.add_gate(layer, signs, 1));
  }
  return out;
}

void append_terms(std::vector<Term>& terms, const Word& x, const mpz_class& scale, bool is_signed) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    mpz_class w = scale << static_cast<mp_bitcnt_t>(i);
    if (is_signed && i + 1 == x.size()) w = -w;
    terms.push_back(Term{x[i], w});
  }
}

Word add(Builder& b, const Word& x, const Word& y) {
  std::vector<Term> t;
  append_terms(t, x);
  append_terms(t, y);
  std::uint32_t k = static_cast<std::uint32_t>(std::max(x.size(), y.size()));
  return sum_bits(b, t, 0, 0, k + 1);
}

Word subtract(Builder& b, const Word& x, const Word& y) {
  std::vector<Term> t;
  append_terms(t, x);
  append_terms(t, y, -1);
  return sum_bits(b, t, 0, 0, static_cast<std::uint32_t>(std::max(x.size(), y.size())));
}

Word iterated_add(Builder& b, std::span<const Word> xs) {
  std::vector<Term> t;
  mpz_class max = 0;
  for (const Word& x : xs) {
    append_terms(t, x);
    max += (mpz_class(1) << static_cast<mp_bitcnt_t>(x.size())) - 1;
  }
  return sum_bits(b, t, 0, 0, bit_length(max));
}

Word multiply(Builder& b, const Word& x, const Word& y) {
  // Up front, the memory bound: partial product (i, l) has weight 2^(i+l), nonzero modulo 2^(j+1)
  // for every output bit j >= i + l, so it is a wire of at least one gate of each of those bits'
  // ladders -- sum over (i, l) of (k - i - l) wires at least, k = |x| + |y| -- beside its AND gate
  // (2 wires and 3 units) and its GMP term while the sum is built (about 10 units). Wide words
  // are refused before the k^2 terms are made, with the Builder's size-bound error.
  const long double k = static_cast<long double>(x.size() + y.size());
  const long double pairs = static_cast<long double>(x.size()) * y.size();
  const long double mean_shift = (static_cast<long double>(x.size()) + y.size() - 2) / 2;
  const long double units = pairs * (k - mean_shift) + pairs * 15;
  if (units > static_cast<long double>(b.memory_room()))
    throw std::length_error("multiplying " + std::to_string(x.size()) + " by " + std::to_string(y.size()) +
                            " bits needs more than the size bound allows (tcx --max-wires: units of 8 bytes; " +
                            std::to_string(b.memory_room()) + " left); choose smaller sizes");
  std::vector<Term> t;
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t l = 0; l < y.size(); ++l) {
      t.push_back(Term{and2(b, x[i], y[l]), mpz_class(1) << static_cast<mp_bitcnt_t>(i + l)});
    }
  return sum_bits(b, t, 0, 0, static_cast<std::uint32_t>(x.size() + y.size()));
}

Word multiply_constant(Builder& b, const Word& x, const mpz_class& c) {
  if (sgn(c) < 0) throw std::invalid_argument("multiply_constant: the constant must be >= 0");
  std::vector<Term> t;
  append_terms(t, x, c);
  mpz_class max = c * ((mpz_class(1) << static_cast<mp_bitcnt_t>(x.size())) - 1);
  return sum_bits(b, t, 0, 0, std::max<std::uint32_t>(1, bit_length(max)));
}

}  // namespace tcx
