// The unrolled sampler as a circuit: backbone answer, then per copy and coordinate T steps of
// two rounded weighted sums (score, update), the decode gate and the vote.
#include <stdexcept>

#include "circuits/interrupt.hpp"
#include "compilers/arith/sum.hpp"
#include "compilers/arith/symmetric.hpp"
#include "compilers/diffusion/diffusion.hpp"

namespace tcx {

namespace {
// A W-bit two's-complement word holding v.
Word signed_constant(std::int64_t v, std::uint32_t bits) { return constant_word(static_cast<std::uint64_t>(v), bits); }

// The noise word of one draw from m input bits: each bit of Z(popcount) is a symmetric
// function of them (depth 2, beside the chain, so it adds no depth along it).
Word noise_word(Builder& b, std::span<const Lit> u, const std::vector<std::int64_t>& table, std::uint32_t bits) {
  Word z;
  for (std::uint32_t j = 0; j < bits; ++j) {
    std::vector<bool> value(table.size());
    for (std::size_t k = 0; k < table.size(); ++k) value[k] = (static_cast<std::uint64_t>(table[k]) >> j) & 1;
    z.push_back(symmetric(b, u, value));
  }
  return z;
}
}  // namespace

diffusion_stats compile_diffusion(const Backbone& bb, std::int64_t n, const diffusion_params& p, Builder& b) {
  const std::vector<step_constants> K = sampler_constants(p);
  const FixedFormat& f = p.format;
  diffusion_stats st;
  st.prefix_bits = bb.prefix_bits(n);
  st.noise_bits = noise_input_bits(p);
  if (st.prefix_bits + st.noise_bits > (std::uint64_t(1) << 30)) throw std::invalid_argument("too many circuit inputs");

  std::vector<Lit> prefix, noise;
  for (std::uint32_t i = 0; i < st.prefix_bits; ++i) prefix.push_back(b.add_input("x" + std::to_string(i)));
  // Millions of named inputs (up to 2^30) before the first gate, and a Builder polls on gates only.
  for (std::uint64_t i = 0; i < st.noise_bits; ++i) {
    poll_interrupt(i, "adding the sampler's noise inputs");
    noise.push_back(b.add_input((p.noise == diffusion_params::Noise::inputs ? "u" : "advice") + std::to_string(i)));
  }
  const Lit a = bb.add_answer(b, n, prefix);
  const std::vector<std::int64_t> table =
      p.noise == diffusion_params::Noise::inputs ? binomial_noise_table(p) : std::vector<std::int64_t>{};

  std::size_t next_noise = 0;
  auto draw = [&](std::uint32_t copy, std::uint32_t coord, std::uint32_t d) {
    if (p.noise == diffusion_params::Noise::inputs) {
      std::span<const Lit> u(noise.data() + next_noise, p.noise_bits);
      next_noise += p.noise_bits;
      return noise_word(b, u, table, f.bits);
    }
    if (p.advice_inputs) {  // the advice word itself
      next_noise += f.bits;
      return Word(noise.begin() + static_cast<std::ptrdiff_t>(next_noise - f.bits), noise.begin() + static_cast<std::ptrdiff_t>(next_noise));
    }
    return signed_constant(seeded_noise(p, copy, coord, d), f.bits);
  };

  std::vector<Lit> votes;
  std::vector<Term> terms;
  for (std::uint32_t copy = 0; copy < p.copies; ++copy) {
    std::vector<Lit> dec_lits;
    std::vector<std::int64_t> dec_weights;
    for (std::uint32_t c = 0; c < p.dim; ++c) {
      Word y = draw(copy, c, 0);
      for (std::uint32_t t = p.steps, d = 1; t >= 1; --t) {
        const step_constants& k = K[t - 1];
        // The backbone's score: A y + B_a, the offset selected by the answer bit.
        terms.clear();
        append_terms(terms, y, k.A, true);
        terms.push_back({a, mpz_class(k.B1 - k.B0)});
        const Word s = round_sum(b, terms, mpz_class(k.B0), f.frac, f, Rounding::nearest_half_up, Overflow::saturate);
        // The update c1 y + c2 score + c3 z (no noise at the last step).
        terms.clear();
        append_terms(terms, y, k.C1, true);
        append_terms(terms, s, k.C2, true);
        if (t > 1) append_terms(terms, draw(copy, c, d++), k.C3, true);
        y = round_sum(b, terms, 0, f.frac, f, Rounding::nearest_half_up, Overflow::saturate);
      }
      for (std::uint32_t i = 0; i < f.bits; ++i) {
        dec_lits.push_back(y[i]);
        dec_weights.push_back(i + 1 == f.bits ? -(std::int64_t(1) << i) : std::int64_t(1) << i);
      }
    }
    // Nearest token center: [sum of the coordinates >= 0].
    votes.push_back(b.add_gate(dec_lits, dec_weights, 0));
  }
  b.add_output(at_least(b, votes, std::int64_t(p.copies) / 2 + 1), "answer");
  return st;
}

Circuit compile_diffusion(const Backbone& bb, std::int64_t n, const diffusion_params& p) {
  Builder b;
  compile_diffusion(bb, n, p, b);
  return std::move(b).build();
}

}  // namespace tcx
