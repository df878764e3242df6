#include "compilers/arith/sum.hpp"

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
  mpz_class c = c_in;
  for (const Term& t : signed_terms) {
    if (sgn(t.weight) < 0) {
      c += t.weight;
      terms.push_back(Term{!t.lit, -t.weight});
    } else {
      terms.push_back(t);
    }
  }
  Word out;
  std::vector<Lit> lits;
  std::vector<mpz_class> ws;
  std::vector<Lit> layer;
  std::vector<std::int64_t> signs, ws64;
  for (std::uint32_t j = low; j < low + width; ++j) {
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
    layer.clear();
    signs.clear();
    if (top.fits_slong_p()) {  // the common case: 64-bit weights and thresholds, no GMP per gate
      ws64.clear();
      for (const mpz_class& w : ws) ws64.push_back(w.get_si());
      const std::int64_t step64 = step.get_si(), cj64 = cj.get_si(), R64 = R.get_si();
      for (std::int64_t r = 1; r <= R64; ++r) {
        layer.push_back(b.add_gate(lits, ws64, r * step64 - cj64));  // [S_j >= r * 2^j]
        signs.push_back(r % 2 == 1 ? 1 : -1);
      }
    } else {
      for (mpz_class r = 1; r <= R; ++r) {
        layer.push_back(b.add_gate(lits, ws, r * step - cj));
        signs.push_back(r % 2 == 1 ? 1 : -1);
      }
    }
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
  std::vector<Term> t;
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t l = 0; l < y.size(); ++l) {
      Lit f[2] = {x[i], y[l]};
      std::int64_t w[2] = {1, 1};
      t.push_back(Term{b.add_gate(f, w, 2), mpz_class(1) << static_cast<mp_bitcnt_t>(i + l)});
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
