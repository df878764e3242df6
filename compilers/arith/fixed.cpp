#include "compilers/arith/fixed.hpp"

#include <stdexcept>

#include "compilers/arith/sum.hpp"

namespace tcx {

mpz_class FixedFormat::min_int() const {
  return is_signed ? mpz_class(-(mpz_class(1) << (bits - 1))) : mpz_class(0);
}
mpz_class FixedFormat::max_int() const {
  return is_signed ? mpz_class((mpz_class(1) << (bits - 1)) - 1) : mpz_class((mpz_class(1) << bits) - 1);
}

Word relu(Builder& b, const Word& x) {
  if (x.empty()) return x;
  const Lit s = x.back();
  Word out;
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    Lit f[2] = {x[i], s};
    std::int64_t w[2] = {1, -1};
    out.push_back(b.add_gate(f, w, 1));
  }
  out.push_back(lit_false);
  return out;
}

Lit nonnegative(const Word& x) { return x.empty() ? lit_true : !x.back(); }

namespace {
// [x >= c] for a signed or unsigned word: one gate.
Lit at_least(Builder& b, const Word& x, bool is_signed, const mpz_class& c) {
  std::vector<Lit> f(x.begin(), x.end());
  if (x.size() < 62 && c.fits_slong_p()) {  // the common case, without GMP
    std::vector<std::int64_t> w(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) w[i] = is_signed && i + 1 == x.size() ? -(std::int64_t(1) << i) : std::int64_t(1) << i;
    return b.add_gate(f, w, c.get_si());
  }
  std::vector<mpz_class> w;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mpz_class wi = mpz_class(1) << static_cast<mp_bitcnt_t>(i);
    w.push_back(is_signed && i + 1 == x.size() ? mpz_class(-wi) : wi);
  }
  return b.add_gate(f, w, c);
}
bool bit_of(const mpz_class& v, std::size_t i, std::size_t width) {
  mpz_class m;
  mpz_fdiv_r_2exp(m.get_mpz_t(), v.get_mpz_t(), width);  // two's complement bits
  return mpz_tstbit(m.get_mpz_t(), i);
}
}  // namespace

Word clip(Builder& b, const Word& x, bool is_signed, const mpz_class& lo, const mpz_class& hi) {
  if (lo > hi) throw std::invalid_argument("clip: lo > hi");
  const Lit G = at_least(b, x, is_signed, hi), L = at_least(b, x, is_signed, lo);
  Word out;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::int64_t hb = bit_of(hi, i, x.size()) ? 1 : -1, lb = bit_of(lo, i, x.size()) ? 1 : -1;
    Lit f[3] = {x[i], G, !L};
    std::int64_t w[3] = {1, hb, lb};
    out.push_back(b.add_gate(f, w, 1));
  }
  return out;
}

Word hard_tanh(Builder& b, const Word& x, const FixedFormat& f) {
  mpz_class one = mpz_class(1) << f.frac;
  return clip(b, x, f.is_signed, std::max(mpz_class(-one), f.min_int()), std::min(one, f.max_int()));
}

namespace {
mpz_class floor_shift(const mpz_class& v, std::uint32_t s) {
  mpz_class r;
  mpz_fdiv_q_2exp(r.get_mpz_t(), v.get_mpz_t(), s);
  return r;
}
// Rounding to nearest (ties up) is floor after adding half a unit.
mpz_class rounding_offset(std::uint32_t shift, Rounding rounding) {
  return rounding == Rounding::nearest_half_up && shift > 0 ? mpz_class(mpz_class(1) << (shift - 1)) : mpz_class(0);
}
}  // namespace

mpz_class round_reference(const mpz_class& V, std::uint32_t shift, const FixedFormat& out, Rounding rounding,
                          Overflow overflow) {
  mpz_class Y = floor_shift(V + rounding_offset(shift, rounding), shift);
  if (overflow == Overflow::saturate) return std::clamp(Y, out.min_int(), out.max_int());
  mpz_class m;
  mpz_fdiv_r_2exp(m.get_mpz_t(), Y.get_mpz_t(), out.bits);
  if (out.is_signed && mpz_tstbit(m.get_mpz_t(), out.bits - 1)) m -= mpz_class(1) << out.bits;
  return m;
}

Word round_sum(Builder& b, std::span<const Term> terms, const mpz_class& c, std::uint32_t shift,
               const FixedFormat& out, Rounding rounding, Overflow overflow) {
  if (overflow == Overflow::wrap) return sum_bits(b, terms, c + rounding_offset(shift, rounding), shift, out.bits);
  return round_sum_clipped(b, terms, c, shift, out, rounding, out.min_int(), out.max_int());
}

Word round_sum_clipped(Builder& b, std::span<const Term> terms, const mpz_class& c, std::uint32_t shift,
                       const FixedFormat& out, Rounding rounding, const mpz_class& lo_clip, const mpz_class& hi_clip) {
  if (lo_clip < out.min_int() || hi_clip > out.max_int() || lo_clip > hi_clip)
    throw std::invalid_argument("round_sum_clipped: the clip range must lie within the output format");
  const mpz_class c_rounded = c + rounding_offset(shift, rounding);
  // The exact shifted value needs enough bits for its whole range, then one clip.
  mpz_class lo = c_rounded, hi = c_rounded;
  for (const Term& t : terms) (sgn(t.weight) < 0 ? lo : hi) += t.weight;
  const mpz_class ylo = floor_shift(lo, shift), yhi = floor_shift(hi, shift);
  std::uint32_t width = 1;
  while (ylo < -(mpz_class(1) << (width - 1)) || yhi >= (mpz_class(1) << (width - 1))) ++width;
  Word full = sum_bits(b, terms, c_rounded, shift, width);
  // Constants outside the width make G or L constant, which the builder folds.
  Word clipped = clip(b, full, true, lo_clip, hi_clip);
  const Lit sign = clipped.back();
  clipped.resize(out.bits, sign);  // the clipped value fits: truncate or sign-extend
  return clipped;
}

namespace {
// a*X + c on one common scale 2^F: V = a_num * X * 2^(F - a_frac - in.frac) + c_num * 2^(F - c_frac),
// then Y = round(V / 2^(F - out.frac)).
struct AffinePlan {
  std::uint32_t shift;
  mpz_class a_scaled, c_scaled;
};
AffinePlan plan_affine(const FixedFormat& in, const mpz_class& a_num, std::uint32_t a_frac, const mpz_class& c_num,
                       std::uint32_t c_frac, const FixedFormat& out) {
  const std::uint32_t F = std::max({a_frac + in.frac, c_frac, out.frac});
  return AffinePlan{F - out.frac, a_num << (F - a_frac - in.frac), c_num << (F - c_frac)};
}
}  // namespace

mpz_class affine_reference(const mpz_class& X, const FixedFormat& in, const mpz_class& a_num, std::uint32_t a_frac,
                           const mpz_class& c_num, std::uint32_t c_frac, const FixedFormat& out, Rounding rounding,
                           Overflow overflow) {
  const AffinePlan p = plan_affine(in, a_num, a_frac, c_num, c_frac, out);
  return round_reference(p.a_scaled * X + p.c_scaled, p.shift, out, rounding, overflow);
}

Word affine(Builder& b, const Word& x, const FixedFormat& in, const mpz_class& a_num, std::uint32_t a_frac,
            const mpz_class& c_num, std::uint32_t c_frac, const FixedFormat& out, Rounding rounding,
            Overflow overflow) {
  if (x.size() != in.bits) throw std::invalid_argument("affine: the word width differs from the input format");
  const AffinePlan p = plan_affine(in, a_num, a_frac, c_num, c_frac, out);
  std::vector<Term> terms;
  append_terms(terms, x, p.a_scaled, in.is_signed);
  return round_sum(b, terms, p.c_scaled, p.shift, out, rounding, overflow);
}

}  // namespace tcx
