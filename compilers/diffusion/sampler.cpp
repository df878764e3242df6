// The sampler's schedule, constants and noise: one definition shared by the circuit compiler
// and the reference sampler, so both run the same fixed-point program.
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "compilers/diffusion/diffusion.hpp"

namespace tcx {

std::vector<schedule_step> noise_schedule(std::uint32_t T) {
  if (T < 1) throw std::invalid_argument("the sampler needs at least one step");
  std::vector<schedule_step> s(T);
  double abar = 1;
  for (std::uint32_t t = 1; t <= T; ++t) {
    const double frac = T > 1 ? double(t - 1) / double(T - 1) : 1.0;
    const double beta = std::min(0.5, (0.1 + 19.9 * frac) / T);
    abar *= 1 - beta;
    s[t - 1] = {beta, abar};
  }
  return s;
}

namespace {
std::int64_t scaled(double v, std::uint32_t frac) { return std::llround(std::ldexp(v, static_cast<int>(frac))); }

void check_params(const diffusion_params& p) {
  if (p.dim < 1 || p.dim > 4096) throw std::invalid_argument("the token dimension d must be in 1..4096");
  if (p.steps < 1 || p.steps > 10'000'000) throw std::invalid_argument("the number of steps must be in 1..10^7");
  if (p.copies < 1 || p.copies > 1'000'000) throw std::invalid_argument("the number of copies must be in 1..10^6");
  if (p.format.bits < 4 || p.format.bits > 24 || p.format.frac < 1 || p.format.frac + 2 > p.format.bits || !p.format.is_signed)
    throw std::invalid_argument("the sampler format needs 4..24 signed bits with 1..bits-2 fractional bits");
  if (!(p.sigma > 0.01 && p.sigma <= 100) || !(p.center > 0 && p.center <= 100))
    throw std::invalid_argument("the target needs 0.01 < sigma <= 100 and 0 < center <= 100");
  if (p.noise_bits < 1 || p.noise_bits > 64) throw std::invalid_argument("noise bits per draw must be in 1..64");
}
}  // namespace

std::vector<step_constants> sampler_constants(const diffusion_params& p) {
  check_params(p);
  const auto sched = noise_schedule(p.steps);
  const std::uint32_t f = p.format.frac;
  std::vector<step_constants> out(p.steps);
  for (std::uint32_t t = 1; t <= p.steps; ++t) {
    const auto [beta, abar] = sched[t - 1];
    const double alpha = 1 - beta;
    const double v = abar * p.sigma * p.sigma + 1 - abar;
    const double m = std::sqrt(abar) * p.center;
    step_constants& k = out[t - 1];
    k.A = scaled(-1 / v, f);
    k.B0 = scaled(-m / v, 2 * f);
    k.B1 = scaled(m / v, 2 * f);
    k.C1 = scaled(1 / std::sqrt(alpha), f);
    k.C2 = scaled(beta / std::sqrt(alpha), f);
    k.C3 = t > 1 ? scaled(std::sqrt(beta), f) : 0;
  }
  return out;
}

std::vector<std::int64_t> binomial_noise_table(const diffusion_params& p) {
  check_params(p);
  const std::int64_t lo = -(std::int64_t(1) << (p.format.bits - 1)), hi = -lo - 1;
  std::vector<std::int64_t> z(p.noise_bits + 1);
  for (std::uint32_t k = 0; k <= p.noise_bits; ++k)
    z[k] = std::clamp<std::int64_t>(scaled((2.0 * k - p.noise_bits) / std::sqrt(double(p.noise_bits)), p.format.frac), lo, hi);
  return z;
}

std::uint64_t noise_input_bits(const diffusion_params& p) {
  const std::uint64_t draws = std::uint64_t(p.copies) * p.dim * p.steps;
  if (p.noise == diffusion_params::Noise::inputs) return draws * p.noise_bits;
  return p.advice_inputs ? draws * p.format.bits : 0;
}

std::int64_t seeded_noise(const diffusion_params& p, std::uint32_t copy, std::uint32_t coord, std::uint32_t draw) {
  const std::int64_t lo = -(std::int64_t(1) << (p.format.bits - 1));
  const double z = std::ldexp(seeded_normal(p.seed, copy, coord, draw), static_cast<int>(p.format.frac));
  return std::clamp<std::int64_t>(std::llround(z), lo, -lo - 1);
}

Bits advice_bits(const diffusion_params& p) {
  Bits bits;
  if (p.noise != diffusion_params::Noise::seed) return bits;
  for (std::uint32_t k = 0; k < p.copies; ++k)
    for (std::uint32_t c = 0; c < p.dim; ++c)
      for (std::uint32_t d = 0; d < p.steps; ++d) {
        const auto z = static_cast<std::uint64_t>(seeded_noise(p, k, c, d));
        for (std::uint32_t j = 0; j < p.format.bits; ++j) bits.push_back((z >> j) & 1);
      }
  return bits;
}

double seeded_normal(std::uint64_t seed, std::uint32_t copy, std::uint32_t coord, std::uint32_t draw) {
  // splitmix64 over the key, then Box-Muller: the same draw on every run and platform.
  auto mix = [](std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  };
  const std::uint64_t h = mix(mix(mix(mix(seed) ^ copy) ^ (std::uint64_t(coord) << 32)) ^ draw);
  const std::uint64_t g = mix(h);
  const double u1 = (double(h >> 11) + 1) * 0x1p-53;  // (0, 1]
  const double u2 = double(g >> 11) * 0x1p-53;        // [0, 1)
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

}  // namespace tcx
