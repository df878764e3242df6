// Planning a sampler as the proof does, and checking a compiled one.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <stdexcept>

#include "circuits/interrupt.hpp"
#include "circuits/simulate.hpp"
#include "compilers/diffusion/diffusion.hpp"

namespace tcx {

diffusion_plan plan_choices(const Backbone& bb, std::int64_t n, const diffusion_params& base, const diffusion_plan_params& pp) {
  diffusion_plan r;
  r.params = base;
  r.target = target_accuracy(base);
  r.margin = pp.margin ? *pp.margin : 2 * r.target - 1;
  if (!(r.margin > 0 && r.margin <= 1)) throw std::invalid_argument("the margin must be in (0, 1]");
  // Steps: from the margin and d alone, never from n.
  r.bound_steps = steps_for_margin(pp.c, base.dim, r.margin);
  r.params.steps = pp.steps ? *pp.steps : r.bound_steps;
  if (pp.auto_precision) {
    std::uint32_t lg = 0;
    while ((std::uint64_t(1) << lg) < r.params.steps) ++lg;
    r.params.format.frac = std::max<std::uint32_t>(5, lg > 2 ? lg - 2 : 0);
    r.params.format.bits = r.params.format.frac + 3;
  }
  r.bound_at_steps = tv_bound(pp.c, base.dim, r.params.steps);
  // The size bounds come before any work that grows with them (the fixed-point measurement alone
  // ran 20 chains of d T steps: --dim 64 was refused after 28 s).
  if (std::uint64_t(r.params.steps) * r.params.dim > 5'000'000)
    throw std::invalid_argument("the sampler is too large to build: d T = " + std::to_string(std::uint64_t(r.params.steps) * r.params.dim) +
                                " coordinates x steps is past 5*10^6 (lower --steps or --dim, or raise --margin)");
  // Copies: each is right with probability >= 1/2 + margin/4 once the TV bound holds.
  r.gamma = r.margin / 4;
  const std::uint32_t inputs = bb.prefix_bits(n);
  if (!pp.row_copies && !pp.copies) {
    r.params.copies = r.hoeffding_copies = copies_for_error(r.gamma, inputs, pp.error);
  } else {
    r.params.copies = pp.row_copies ? *pp.row_copies : *pp.copies;
    r.copies_from = pp.row_copies ? diffusion_plan::CopiesFrom::row : diffusion_plan::CopiesFrom::option;
    if (pp.row_copies) {
      r.copies_option = pp.copies;
      r.copies_why = pp.row_copies_why;
    }
    try {  // what Hoeffding would take, said beside the K used
      r.hoeffding_copies = copies_for_error(r.gamma, inputs, pp.error);
    } catch (const std::invalid_argument&) {  // past 10^6 copies: 0
    }
  }
  // A bound on the work every later step does (building, counting, the reference runs).
  const std::uint64_t work = std::uint64_t(r.params.copies) * r.params.dim * r.params.steps;
  if (work > 5'000'000)
    throw std::invalid_argument("the sampler is too large to build: K d T = " + std::to_string(work) +
                                " copies x coordinates x steps is past 5*10^6 (lower --copies, --steps or --dim)");
  // Refused here, not after the work: an advice search with no prefix to check (it would take the first seed).
  if (r.params.noise == diffusion_params::Noise::seed) advice_prefixes(inputs, pp.search_bits, pp.search_random);
  return r;
}

diffusion_plan plan_diffusion(const Backbone& bb, std::int64_t n, const diffusion_params& base,
                              const diffusion_plan_params& pp) {
  diffusion_plan r = plan_choices(bb, n, base, pp);
  r.accuracy_at_steps = sampler_accuracy(r.params, r.params.steps);
  {
    // What rounding costs: one fixed-point copy's accuracy over many seeded noise draws.
    diffusion_params q = r.params;
    const std::uint64_t chain = std::uint64_t(q.steps) * q.dim;
    q.copies = static_cast<std::uint32_t>(std::clamp<std::uint64_t>(10'000'000 / chain, 20, 4000));
    r.fixed_draws = q.copies;
    q.noise = diffusion_params::Noise::seed;
    const ReferenceSampler s(Backbone{}, 1, q);
    std::uint32_t right = 0;
    for (std::uint32_t k = 0; k < q.copies; ++k) {
      poll_interrupt(k, "measuring the fixed-point sampler", 1);  // a copy is a whole chain of steps
      const std::uint8_t a = k & 1;
      std::int64_t sum = 0;
      for (std::int64_t y : s.final_y(a, k, {})) sum += y;
      right += (sum >= 0) == (a == 1);
    }
    r.fixed_accuracy = right / double(q.copies);
  }
  const std::uint32_t max_T = std::min<std::uint32_t>(4096, std::max<std::uint32_t>(256, 4 * r.bound_steps));
  const std::uint32_t e = empirical_steps(r.params, pp.tol, max_T);
  r.empirical_steps = e > max_T ? 0 : e;
  if (r.params.noise == diffusion_params::Noise::seed) {
    r.advice = search_advice_seed(bb, n, r.params, pp.search_draws, pp.search_bits, pp.search_random);
    if (r.advice->found) r.params.seed = r.advice->seed;
  }
  return r;
}

void dim_contrast_row(std::int64_t n, diffusion_params& p, diffusion_plan_params& pp) {
  p.dim = static_cast<std::uint32_t>(std::max<double>(1, std::ceil(std::log2(double(n)))));
  pp.row_copies = 1;
  pp.row_copies_why = "the row shows the depth growing with T*, which K does not change; one copy keeps it small";
}

diffusion_check check_diffusion(const Circuit& c, const Backbone& bb, std::int64_t n, const diffusion_params& p,
                                const diffusion_check_params& cp) {
  const ReferenceSampler ref(bb, n, p);
  const std::uint32_t prefix = bb.prefix_bits(n);
  const std::uint64_t extra = noise_input_bits(p);
  if (c.num_inputs() != prefix + extra || c.num_outputs() != 1)
    throw std::invalid_argument("check_diffusion: the circuit does not have the sampler's inputs and output");
  const bool random_noise = p.noise == diffusion_params::Noise::inputs;
  const Bits advice = advice_bits(p);
  diffusion_check r;
  PatternSet set;
  r.exhaustive = prefix <= cp.max_exhaustive_bits;
  set.kind = r.exhaustive ? PatternSet::exhaustive : PatternSet::random;
  set.count = r.exhaustive ? std::uint64_t(1) << prefix : cp.random_inputs;
  set.seed = cp.seed;
  r.checked = set.count;

  const BitSimulator sim(c);
  const std::uint32_t W = std::min<std::uint32_t>(sim.default_words(), static_cast<std::uint32_t>((set.count + 63) / 64));
  std::vector<std::uint64_t> in(c.num_inputs() * std::size_t(W)), out(W), scratch;
  std::mt19937_64 noise_rng(cp.seed ^ 0x6e6f697365ull);
  std::uint64_t first = UINT64_MAX;
  for (std::uint64_t block = 0; block * 64 * W < set.count; ++block) {
    // Prefix bits from the pattern set; the rest: the advice (all patterns alike) or random noise.
    fill_inputs(set, prefix, block, W, in.data());
    for (std::uint64_t i = 0; i < extra; ++i)
      for (std::uint32_t w = 0; w < W; ++w)
        in[(prefix + i) * W + w] = random_noise ? noise_rng() : (advice.at(i) ? ~std::uint64_t(0) : 0);
    sim.run(in.data(), out.data(), W, scratch);
    for (std::uint64_t k = 0; k < 64ull * W && block * 64 * W + k < set.count; ++k) {
      const std::uint64_t pattern = block * 64 * W + k;
      // Each pattern runs the backbone, and with noise inputs every copy's chain: poll each.
      poll_interrupt(pattern, "checking the sampler against its reference", 1);
      Bits x = pattern_inputs(set, prefix, pattern);
      const std::uint8_t truth = ref.backbone_answer(x);
      if (random_noise)
        for (std::uint64_t i = 0; i < extra; ++i) x.push_back((in[(prefix + i) * W + k / 64] >> (k % 64)) & 1);
      const std::uint8_t got = (out[k / 64] >> (k % 64)) & 1;
      if (got != ref.vote(truth, x)) {  // = ref.run(x), without a second backbone evaluation
        ++r.reference_mismatches;
        if (first == UINT64_MAX) {
          first = pattern;
          r.first_mismatch = x;
        }
      }
      r.wrong_answers += got != truth;
    }
  }
  return r;
}

diffusion_run run_diffusion(const std::string& label, const Backbone& bb, std::int64_t n, const diffusion_params& base,
                            const diffusion_plan_params& pp, const diffusion_check_params& cp, bool keep_circuit) {
  diffusion_run r;
  r.label = label;
  r.n = n;
  const auto t0 = std::chrono::steady_clock::now();
  r.plan = plan_diffusion(bb, n, base, pp);
  std::optional<Circuit> c;
  try {
    Builder b;
    compile_diffusion(bb, n, r.plan.params, b);
    r.stats = b.count_stats();
    c = std::move(b).build();
    r.built = true;
  } catch (const std::length_error&) {
    // Past the wire bound: count instead (the same gates and levels; nothing to simulate).
    Builder b(CountingStore{});
    compile_diffusion(bb, n, r.plan.params, b);
    r.stats = b.count_stats();
  }
  // A check that cannot run says why: no prefix to check, or the simulator's program (several
  // times the circuit) past the memory bound.
  auto check = [&](const Circuit& circuit, const diffusion_params& p, diffusion_check& out, std::string& why) {
    if (cp.random_inputs == 0 && bb.prefix_bits(n) > cp.max_exhaustive_bits) {
      why = "--random 0: no prefix checked";
      return;
    }
    try {
      out = check_diffusion(circuit, bb, n, p, cp);
    } catch (const std::length_error& e) {
      why = e.what();
    }
  };
  if (c) {
    check(*c, r.plan.params, r.check, r.unchecked);
    if (keep_circuit) r.circuit = std::move(c);
  }
  if (r.plan.params.noise == diffusion_params::Noise::seed) {
    diffusion_params wired = r.plan.params;
    wired.advice_inputs = false;
    Builder b;
    compile_diffusion(bb, n, wired, b);
    r.wired_stats = b.count_stats();
    check(std::move(b).build(), wired, r.wired_check, r.wired_unchecked);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

nlohmann::json to_json(const diffusion_run& r) {
  const diffusion_plan& p = r.plan;
  nlohmann::json j{{"sampler", r.label},
                   {"n", r.n},
                   {"dim", p.params.dim},
                   {"steps", p.params.steps},
                   {"frac_bits", p.params.format.frac},
                   {"bound_steps", p.bound_steps},
                   {"empirical_steps", p.empirical_steps},
                   {"copies", p.params.copies},
                   {"seed", p.params.seed},
                   {"target_accuracy", p.target},
                   {"margin", p.margin},
                   {"tv_bound", p.bound_at_steps},
                   {"double_accuracy", p.accuracy_at_steps},
                   {"fixed_accuracy", p.fixed_accuracy},
                   {"depth", r.stats.depth},
                   {"gates", r.stats.gates},
                   {"wires", r.stats.wires},
                   {"built", r.built},
                   {"seconds", r.seconds}};
  // Where K came from, so a K the user gave or a row fixed is never read as Hoeffding's.
  j["copies_from"] = p.copies_from == diffusion_plan::CopiesFrom::row      ? "row"
                     : p.copies_from == diffusion_plan::CopiesFrom::option ? "option"
                                                                           : "hoeffding";
  j["hoeffding_copies"] = p.hoeffding_copies ? nlohmann::json(p.hoeffding_copies) : nlohmann::json(nullptr);
  if (p.copies_from == diffusion_plan::CopiesFrom::row) {
    j["copies_option"] = p.copies_option ? nlohmann::json(*p.copies_option) : nlohmann::json("auto");
    j["copies_why"] = p.copies_why;
  }
  if (p.advice)
    j["advice"] = {{"found", p.advice->found}, {"seed", p.advice->seed}, {"draws", p.advice->draws},
                   {"prefixes", p.advice->prefixes}, {"exhaustive", p.advice->exhaustive}};
  if (r.wired_stats)
    j["hardwired"] = {{"depth", r.wired_stats->depth}, {"gates", r.wired_stats->gates}, {"inputs_checked", r.wired_check.checked},
                      {"exhaustive", r.wired_check.exhaustive}, {"reference_mismatches", r.wired_check.reference_mismatches},
                      {"wrong_answers", r.wired_check.wrong_answers}};
  if (r.wired_stats && !r.wired_unchecked.empty()) j["hardwired"]["check_not_run"] = r.wired_unchecked;
  if (r.built && !r.unchecked.empty()) j["check"] = {{"not_run", r.unchecked}};
  else if (r.built)
    j["check"] = {{"exhaustive", r.check.exhaustive}, {"inputs", r.check.checked},
                  {"reference_mismatches", r.check.reference_mismatches}, {"wrong_answers", r.check.wrong_answers}};
  return j;
}

}  // namespace tcx
