#pragma once
// A sampler's options as the front ends take them (tcx diffusion / diffusion-family and Python's
// tcx.diffusion): the backbone, the proof's choices, the check, with "auto" where the proof
// chooses. One reading for both, so their checks and messages agree; `prefix` is what the front
// end puts before an option's name in a message ("--" on the command line, "" in Python).
#include <cstdint>
#include <string>

#include "compilers/diffusion/diffusion.hpp"

namespace tcx {

struct sampler_options {
  std::string backbone, steps = "auto", copies = "auto", noise = "seed", bits = "auto", frac = "auto";
  std::uint32_t dim = 1, noise_bits = 16, search_draws = 1000;
  double c = 0.2, margin = 0, error = 0.5, center = 1.0, sigma = 0.5;
  std::uint64_t seed = 1, random = 1000;
  std::uint32_t exhaustive_bits = 12;
};

// std::invalid_argument naming the option for a value out of range.
diffusion_params sampler_params(const sampler_options& o, const std::string& prefix);
diffusion_plan_params sampler_plan(const sampler_options& o, const std::string& prefix);
diffusion_check_params sampler_check(const sampler_options& o);

}  // namespace tcx
