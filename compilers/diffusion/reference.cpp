// The fixed-point reference sampler: the same program as the circuit, run on int64 integers
// step by step, with no circuit code. And the advice search over seeds.
#include <algorithm>
#include <bit>
#include <random>
#include <stdexcept>

#include "circuits/interrupt.hpp"
#include "compilers/diffusion/diffusion.hpp"

namespace tcx {

struct ReferenceSampler::Impl {
  diffusion_params p;
  std::vector<step_constants> K;
  std::vector<std::int64_t> table;
  std::unique_ptr<Backbone::Reference> backbone;
  std::uint32_t prefix_bits = 0;
  std::int64_t lo = 0, hi = 0;
  // With seeded noise the chain reads the prefix only through the answer: its vote per answer.
  std::uint8_t seeded_vote[2] = {0, 0};

  std::int64_t round_sat(std::int64_t v) const {
    const std::int64_t r = (v + (std::int64_t(1) << (p.format.frac - 1))) >> p.format.frac;  // floor: arithmetic shift
    return std::clamp(r, lo, hi);
  }
  std::int64_t noise(std::uint32_t copy, std::uint32_t coord, std::uint32_t draw, const Bits& inputs) const {
    if (p.noise == diffusion_params::Noise::seed) return seeded_noise(p, copy, coord, draw);
    const std::uint64_t first = prefix_bits + (((std::uint64_t(copy) * p.dim + coord) * p.steps) + draw) * p.noise_bits;
    std::uint32_t ones = 0;
    for (std::uint32_t i = 0; i < p.noise_bits; ++i) ones += inputs.at(first + i);
    return table[ones];
  }
  std::vector<std::int64_t> final_y(std::uint8_t a, std::uint32_t copy, const Bits& inputs) const {
    std::vector<std::int64_t> ys(p.dim);
    for (std::uint32_t c = 0; c < p.dim; ++c) {
      std::int64_t y = noise(copy, c, 0, inputs);
      for (std::uint32_t t = p.steps, d = 1; t >= 1; --t) {
        const step_constants& k = K[t - 1];
        const std::int64_t s = round_sat(k.A * y + (a ? k.B1 : k.B0));
        std::int64_t v = k.C1 * y + k.C2 * s;
        if (t > 1) v += k.C3 * noise(copy, c, d++, inputs);
        y = round_sat(v);
      }
      ys[c] = y;
    }
    return ys;
  }
  std::uint8_t vote(std::uint8_t a, const Bits& inputs) const {
    std::uint32_t ones = 0;
    for (std::uint32_t copy = 0; copy < p.copies; ++copy) {
      std::int64_t sum = 0;
      for (std::int64_t y : final_y(a, copy, inputs)) sum += y;
      ones += sum >= 0;
    }
    return 2 * ones > p.copies;
  }
};

ReferenceSampler::ReferenceSampler(const Backbone& bb, std::int64_t n, const diffusion_params& p) : impl_(new Impl) {
  Impl& d = *impl_;
  d.p = p;
  d.K = sampler_constants(p);
  if (p.noise == diffusion_params::Noise::inputs) d.table = binomial_noise_table(p);
  d.backbone = bb.reference(n);
  d.prefix_bits = bb.prefix_bits(n);
  d.lo = -(std::int64_t(1) << (p.format.bits - 1));
  d.hi = -d.lo - 1;
  if (p.noise == diffusion_params::Noise::seed)
    for (std::uint8_t a : {0, 1}) d.seeded_vote[a] = d.vote(a, {});
}

ReferenceSampler::~ReferenceSampler() = default;

std::uint8_t ReferenceSampler::backbone_answer(const Bits& prefix) const { return impl_->backbone->answer(prefix); }

std::vector<std::int64_t> ReferenceSampler::final_y(std::uint8_t a, std::uint32_t copy, const Bits& inputs) const {
  return impl_->final_y(a, copy, inputs);
}

std::uint8_t ReferenceSampler::vote(std::uint8_t a, const Bits& inputs) const {
  const Impl& d = *impl_;
  return d.p.noise == diffusion_params::Noise::seed ? d.seeded_vote[a & 1] : d.vote(a, inputs);
}

std::uint8_t ReferenceSampler::run(const Bits& inputs) const {
  const Impl& d = *impl_;
  const std::uint64_t noise = d.p.noise == diffusion_params::Noise::inputs ? noise_input_bits(d.p) : 0;
  if (inputs.size() != d.prefix_bits + noise) throw std::invalid_argument("ReferenceSampler: wrong number of inputs");
  const std::uint8_t a = d.backbone->answer(Bits(inputs.begin(), inputs.begin() + d.prefix_bits));
  return vote(a, inputs);
}

std::uint64_t advice_prefixes(std::uint32_t prefix_bits, std::uint32_t exhaustive_bits, std::uint64_t random_prefixes) {
  const std::uint32_t bound = std::min<std::uint32_t>(exhaustive_bits, 24);  // 2^24 prefixes a seed at most
  if (prefix_bits <= bound) return std::uint64_t(1) << prefix_bits;
  if (random_prefixes == 0) {
    const bool capped = bound < exhaustive_bits;
    throw std::invalid_argument("--random 0 leaves the advice seed nothing to be checked on (" + std::to_string(prefix_bits) +
                                " prefix bits, past " + (capped ? "the search's exhaustive bound of 24" : "--exhaustive-bits " + std::to_string(bound)) +
                                "): any seed would pass; give --random N >= 1" + (capped ? "" : ", raise --exhaustive-bits") +
                                ", or take --noise inputs");
  }
  return random_prefixes;
}

seed_search_result search_advice_seed(const Backbone& bb, std::int64_t n, diffusion_params p, std::uint32_t max_draws,
                                      std::uint32_t exhaustive_bits, std::uint64_t random_prefixes) {
  p.noise = diffusion_params::Noise::seed;
  const std::uint32_t N = bb.prefix_bits(n);
  seed_search_result r;
  r.exhaustive = N <= std::min<std::uint32_t>(exhaustive_bits, 24);
  r.prefixes = advice_prefixes(N, exhaustive_bits, random_prefixes);
  // The backbone's answer on every prefix checked, once; then per seed the vote it leads to.
  const auto backbone = bb.reference(n);
  std::vector<std::uint8_t> answers(r.prefixes);
  std::mt19937_64 rng(p.seed ^ 0x616476696365ull);
  Bits x(N);
  for (std::uint64_t v = 0; v < r.prefixes; ++v) {
    poll_interrupt(v, "searching for the advice seed");  // up to 2^24 prefixes
    for (std::uint32_t i = 0; i < N; ++i) x[i] = r.exhaustive ? (v >> i) & 1 : rng() & 1;
    answers[v] = backbone->answer(x);
  }
  const std::uint64_t first = p.seed;
  for (r.draws = 1; r.draws <= max_draws; ++r.draws) {
    poll_interrupt(r.draws, "searching for the advice seed", 1);  // a draw runs every copy's chain, then every prefix
    p.seed = first + r.draws - 1;
    const ReferenceSampler s(bb, n, p);
    bool ok = true;
    for (std::uint64_t v = 0; v < r.prefixes && ok; ++v) ok = s.vote(answers[v], {}) == answers[v];
    if (ok) {
      r.found = true;
      r.seed = p.seed;
      return r;
    }
  }
  r.draws = max_draws;
  return r;
}

}  // namespace tcx
