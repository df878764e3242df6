// The proof's choices (T* from the TV bound, K from Hoeffding) and the double-precision
// sampler that measures convergence.
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>

#include "compilers/diffusion/diffusion.hpp"

namespace tcx {

namespace {
double phi(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
}  // namespace

double tv_bound(double c, std::uint32_t d, std::uint32_t T) {
  const double l = std::log(double(T));
  return c * d * l * l * l / T;
}

std::uint32_t steps_for_margin(double c, std::uint32_t d, double margin) {
  if (!(c > 0) || !(margin > 0 && margin <= 1) || d < 1) throw std::invalid_argument("the step bound needs c > 0, d >= 1 and 0 < margin <= 1");
  const double goal = margin / 4;
  // (ln T)^3 / T rises up to T = e^3 (about 20) and falls after: find the last T at or above
  // the goal, first on the rising part, then by doubling and bisection on the falling part.
  std::uint64_t last = 1;
  for (std::uint32_t T = 2; T <= 21; ++T)
    if (tv_bound(c, d, T) >= goal) last = T;
  if (last < 20) return static_cast<std::uint32_t>(last + 1);
  std::uint64_t lo = 21, hi = 42;  // bound(lo) >= goal, find hi with bound(hi) < goal
  while (tv_bound(c, d, static_cast<std::uint32_t>(hi)) >= goal) {
    lo = hi;
    hi *= 2;
    if (hi > 100'000'000) throw std::invalid_argument("the step bound asks for more than 10^8 steps: raise --margin or lower --c");
  }
  while (hi - lo > 1) {
    const std::uint64_t mid = (lo + hi) / 2;
    (tv_bound(c, d, static_cast<std::uint32_t>(mid)) >= goal ? lo : hi) = mid;
  }
  return static_cast<std::uint32_t>(hi);
}

double target_accuracy(const diffusion_params& p) { return phi(std::sqrt(double(p.dim)) * p.center / p.sigma); }

std::uint32_t copies_for_error(double gamma, std::uint64_t input_bits, double delta) {
  if (!(gamma > 0 && gamma <= 0.5) || !(delta > 0 && delta < 1)) throw std::invalid_argument("copies: need 0 < gamma <= 1/2 and 0 < delta < 1");
  const double k = std::ceil((double(input_bits) * std::numbers::ln2 + std::log(1 / delta)) / (2 * gamma * gamma));
  if (k > 1e6) throw std::invalid_argument("Hoeffding asks for more than 10^6 copies");
  std::uint32_t K = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(k));
  return K % 2 ? K : K + 1;
}

// With the exact affine score, every step maps a Gaussian to a Gaussian:
// y' = k y + h + s z with k = c1 - c2 / v, h = c2 m / v, s^2 = beta (t > 1).
double sampler_accuracy(const diffusion_params& p, std::uint32_t T) {
  const auto sched = noise_schedule(T);
  double mean = 0, var = 1;  // y_T ~ N(0, 1); answer 1 (the other is its mirror image)
  for (std::uint32_t t = T; t >= 1; --t) {
    const auto [beta, abar] = sched[t - 1];
    const double alpha = 1 - beta, v = abar * p.sigma * p.sigma + 1 - abar;
    const double c1 = 1 / std::sqrt(alpha), c2 = beta / std::sqrt(alpha);
    const double k = c1 - c2 / v, h = c2 * std::sqrt(abar) * p.center / v;
    mean = k * mean + h;
    var = k * k * var + (t > 1 ? beta : 0);
  }
  // The decoded answer is right when the sum of d independent coordinates is >= 0.
  return phi(std::sqrt(double(p.dim)) * mean / std::sqrt(var));
}

double sampler_accuracy_monte_carlo(const diffusion_params& p, std::uint32_t T, std::uint64_t samples, std::uint64_t seed) {
  const auto sched = noise_schedule(T);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uint64_t right = 0;
  for (std::uint64_t s = 0; s < samples; ++s) {
    double sum = 0;
    for (std::uint32_t c = 0; c < p.dim; ++c) {
      double y = normal(rng);
      for (std::uint32_t t = T; t >= 1; --t) {
        const auto [beta, abar] = sched[t - 1];
        const double alpha = 1 - beta, v = abar * p.sigma * p.sigma + 1 - abar;
        const double score = -(y - std::sqrt(abar) * p.center) / v;
        y = (y + beta * score) / std::sqrt(alpha) + (t > 1 ? std::sqrt(beta) * normal(rng) : 0);
      }
      sum += y;
    }
    right += sum >= 0;
  }
  return double(right) / double(samples);
}

std::uint32_t empirical_steps(const diffusion_params& p, double tol, std::uint32_t max_T) {
  const double target = target_accuracy(p);
  std::uint32_t from = max_T + 1;
  for (std::uint32_t T = max_T; T >= 1; --T) {
    if (std::abs(sampler_accuracy(p, T) - target) > tol) break;
    from = T;
  }
  return from;
}

}  // namespace tcx
