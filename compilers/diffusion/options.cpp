#include "compilers/diffusion/options.hpp"

#include <optional>
#include <stdexcept>

#include "circuits/io/file.hpp"

namespace tcx {

namespace {
std::optional<std::uint32_t> count_or_auto(const std::string& text, const std::string& option) {
  if (text == "auto") return std::nullopt;
  const std::int64_t v = parse_integer(text, option);
  if (v < 1 || v > 10'000'000) throw std::invalid_argument(option + " must be auto or in 1..10^7");
  return static_cast<std::uint32_t>(v);
}
}  // namespace

diffusion_params sampler_params(const sampler_options& o, const std::string& prefix) {
  diffusion_params p;
  p.dim = o.dim;
  const std::string bits = prefix + "bits", frac = prefix + "frac";
  if ((o.bits == "auto") != (o.frac == "auto")) throw std::invalid_argument("give both " + bits + " and " + frac + ", or neither (auto)");
  if (o.frac != "auto") {
    const std::int64_t w = parse_integer(o.bits, bits), f = parse_integer(o.frac, frac);
    if (w < 4 || w > 24 || f < 1 || f + 2 > w) throw std::invalid_argument(bits + " must be in 4..24 and " + frac + " in 1..bits-2");
    p.format = FixedFormat{static_cast<std::uint32_t>(w), static_cast<std::uint32_t>(f), true};
  }
  p.center = o.center;
  p.sigma = o.sigma;
  p.noise = o.noise == "inputs" ? diffusion_params::Noise::inputs : diffusion_params::Noise::seed;
  p.noise_bits = o.noise_bits;
  p.seed = o.seed;
  return p;
}

diffusion_check_params sampler_check(const sampler_options& o) {
  diffusion_check_params cp;
  cp.max_exhaustive_bits = o.exhaustive_bits;
  cp.random_inputs = o.random;
  cp.seed = o.seed;
  return cp;
}

diffusion_plan_params sampler_plan(const sampler_options& o, const std::string& prefix) {
  diffusion_plan_params pp;
  pp.steps = count_or_auto(o.steps, prefix + "steps");
  pp.copies = count_or_auto(o.copies, prefix + "copies");
  pp.c = o.c;
  pp.auto_precision = o.frac == "auto";
  if (o.margin > 0) pp.margin = o.margin;
  pp.error = o.error;
  pp.search_draws = o.search_draws;
  pp.search_bits = o.exhaustive_bits;
  pp.search_random = o.random;
  return pp;
}

}  // namespace tcx
