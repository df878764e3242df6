// The unrolled diffusion sampler: circuit against the fixed-point reference sampler bit for
// bit, derandomized circuits right on every input, constant depth over n (and growth for the
// contrasts), and the proof's choices against hand computations and Monte Carlo.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <optional>
#include <random>

#include "circuits/analysis.hpp"
#include "circuits/simulate.hpp"
#include "compilers/diffusion/diffusion.hpp"

using namespace tcx;

namespace {

const std::string looped_model = std::string(TCX_SOURCE_DIR) + "/examples/models/transformer_looped.json";

diffusion_params small_params(std::uint32_t steps, std::uint32_t copies) {
  diffusion_params p;
  p.steps = steps;
  p.copies = copies;
  return p;
}

std::uint32_t depth_at(const Backbone& bb, std::int64_t n, const diffusion_params& p) {
  Builder b(CountingStore{}, builder_params{});
  compile_diffusion(bb, n, p, b);
  return static_cast<std::uint32_t>(b.count_stats().depth);
}

}  // namespace

TEST_CASE("the step constants of a one-step sampler, by hand", "[diffusion]") {
  // T = 1: beta = min(0.5, 20) = 0.5, abar = alpha = 0.5; sigma = 0.5, center = 1, p = 5.
  // v = 0.5 * 0.25 + 0.5 = 0.625; A = -1/v = -1.6 -> -51.2 -> -51;
  // B1 = sqrt(0.5) / 0.625 = 1.13137 * 1024 = 1158.5 -> 1159; C1 = sqrt(2) * 32 = 45.25 -> 45;
  // C2 = 0.5 / sqrt(0.5) * 32 = 22.6 -> 23; no noise at the last step.
  const auto k = sampler_constants(small_params(1, 1));
  REQUIRE(k.size() == 1);
  CHECK(k[0].A == -51);
  CHECK(k[0].B1 == 1159);
  CHECK(k[0].B0 == -1159);
  CHECK(k[0].C1 == 45);
  CHECK(k[0].C2 == 23);
  CHECK(k[0].C3 == 0);
  // Then with start Y: S = round((-51 Y + 1159) / 32), Y' = round((45 Y + 23 S) / 32), saturated to 8 bits.
  const diffusion_params p = small_params(1, 1);
  const ReferenceSampler ref(parse_backbone("majority"), 3, p);
  const std::int64_t y0 = seeded_noise(p, 0, 0, 0);
  auto rnd = [](std::int64_t v) { return std::clamp<std::int64_t>((v + 16) >> 5, -128, 127); };
  const std::int64_t s = rnd(-51 * y0 + 1159);
  CHECK(ref.final_y(1, 0, {}).at(0) == rnd(45 * y0 + 23 * s));
}

TEST_CASE("the noise schedule and the seeded draws", "[diffusion]") {
  for (std::uint32_t T : {1u, 2u, 16u, 51u, 1000u}) {
    const auto s = noise_schedule(T);
    double prev = 1;
    for (const auto& st : s) {
      CHECK(st.beta > 0);
      CHECK(st.beta <= 0.5);
      CHECK(st.alpha_bar < prev);
      prev = st.alpha_bar;
    }
    if (T >= 16) CHECK(s.back().alpha_bar < 1e-3);  // the forward process ends near pure noise
  }
  // Box-Muller from the hash: mean 0, variance 1.
  double sum = 0, sq = 0;
  const int N = 200000;
  for (int i = 0; i < N; ++i) {
    const double z = seeded_normal(7, i % 13, i % 5, i);
    sum += z;
    sq += z * z;
  }
  CHECK(std::abs(sum / N) < 0.01);
  CHECK(std::abs(sq / N - 1) < 0.02);
}

TEST_CASE("the double-precision closed form agrees with Monte Carlo sampling", "[diffusion]") {
  for (std::uint32_t d : {1u, 3u})
    for (std::uint32_t T : {1u, 4u, 20u, 60u}) {
      diffusion_params p;
      p.dim = d;
      p.sigma = 1.2;  // a target that is often wrong, so the probabilities are informative
      const double exact = sampler_accuracy(p, T);
      const double mc = sampler_accuracy_monte_carlo(p, T, 40000, 11 + T);
      const double sd = std::sqrt(exact * (1 - exact) / 40000);
      INFO("d = " << d << ", T = " << T << ": exact " << exact << ", Monte Carlo " << mc);
      CHECK(std::abs(exact - mc) < 4 * sd + 1e-9);
    }
  // Many steps converge to the target's own accuracy.
  diffusion_params p;
  CHECK(std::abs(sampler_accuracy(p, 2000) - target_accuracy(p)) < 0.002);
  CHECK(target_accuracy(p) == Approx(0.97725).epsilon(1e-4));  // Phi(2)
}

TEST_CASE("T* from the bound and K from Hoeffding", "[diffusion]") {
  for (double c : {0.05, 0.2, 1.0})
    for (std::uint32_t d : {1u, 2u, 8u})
      for (double margin : {0.3, 0.95}) {
        const std::uint32_t T = steps_for_margin(c, d, margin);
        INFO("c = " << c << ", d = " << d << ", margin = " << margin << ": T* = " << T);
        // Below the goal at T* and at every larger T (checked far out), at or above just before.
        for (std::uint32_t t = T; t < T + 5000; t += 7) CHECK(tv_bound(c, d, t) < margin / 4);
        if (T > 2) CHECK(tv_bound(c, d, T - 1) >= margin / 4);
      }
  // T* grows with d (the escape hatch) and never depends on n.
  CHECK(steps_for_margin(0.2, 4, 0.95) > steps_for_margin(0.2, 2, 0.95));
  CHECK(steps_for_margin(0.2, 2, 0.95) > steps_for_margin(0.2, 1, 0.95));
  for (std::uint64_t N : {4u, 16u, 64u})
    for (double gamma : {0.1, 0.24}) {
      const std::uint32_t K = copies_for_error(gamma, N, 0.5);
      CHECK(K % 2 == 1);
      CHECK(N * std::log(2.0) - 2 * K * gamma * gamma <= std::log(0.5) + 1e-9);
      if (K > 2) CHECK(N * std::log(2.0) - 2 * (K - 2) * gamma * gamma > std::log(0.5));
    }
}

TEST_CASE("the compiled sampler equals the fixed-point reference sampler bit for bit", "[diffusion]") {
  for (const char* name : {"majority", "parity", "compare"}) {
    const Backbone bb = parse_backbone(name);
    for (std::int64_t n : {2, 4, 6, 10}) {
      diffusion_params p = small_params(12, 3);
      p.seed = 5;
      INFO(name << " n = " << n);
      // Advice on input wires: every prefix.
      const Circuit c = compile_diffusion(bb, n, p);
      const diffusion_check r = check_diffusion(c, bb, n, p, {.max_exhaustive_bits = 10});
      CHECK(r.exhaustive);
      CHECK(r.checked == (std::uint64_t(1) << n));
      CHECK(r.reference_mismatches == 0);
      // Hard-wired: the same votes.
      diffusion_params w = p;
      w.advice_inputs = false;
      CHECK(check_diffusion(compile_diffusion(bb, n, w), bb, n, w, {.max_exhaustive_bits = 10}).reference_mismatches == 0);
    }
    // Random prefixes at n = 64.
    const diffusion_params p = small_params(8, 3);
    const std::int64_t n = 64;
    const diffusion_check r = check_diffusion(compile_diffusion(bb, n, p), bb, n, p, {.random_inputs = 500});
    CHECK_FALSE(r.exhaustive);
    CHECK(r.reference_mismatches == 0);
  }
  // A randomized circuit (noise bits as inputs, several words per format) and a 2-dimensional token.
  for (std::uint32_t d : {1u, 2u}) {
    diffusion_params p = small_params(6, 3);
    p.noise = diffusion_params::Noise::inputs;
    p.noise_bits = 5;
    p.dim = d;
    p.format = FixedFormat{9, 6, true};
    const Backbone bb = parse_backbone("majority");
    const Circuit c = compile_diffusion(bb, 5, p);
    CHECK(c.num_inputs() == 5 + 3 * d * 6 * 5);
    const diffusion_check r = check_diffusion(c, bb, 5, p, {.max_exhaustive_bits = 5});
    CHECK(r.reference_mismatches == 0);
    CHECK(r.wrong_answers < r.checked / 2);  // noisy, but mostly right
  }
}

TEST_CASE("a model backbone: the looped Transformer", "[diffusion]") {
  const Backbone bb = parse_backbone(looped_model);
  REQUIRE(bb.kind == Backbone::Kind::model);
  const diffusion_params p = small_params(6, 1);
  for (std::int64_t n : {3, 6}) {
    const diffusion_check r = check_diffusion(compile_diffusion(bb, n, p), bb, n, p);
    CHECK(r.exhaustive);
    CHECK(r.reference_mismatches == 0);
  }
  // Its depth grows with n (repeat = n), so the sampler's does too.
  CHECK(depth_at(bb, 16, p) > depth_at(bb, 4, p));
  CHECK_THROWS_WITH(parse_backbone("quorum"), Catch::Contains("unknown backbone"));
  CHECK_THROWS_WITH(parse_backbone("compare").prefix_bits(5), Catch::Contains("even n"));
}

TEST_CASE("derandomized: with the advice found, right on every input for n <= 12", "[diffusion]") {
  for (const char* name : {"majority", "parity", "compare"}) {
    const Backbone bb = parse_backbone(name);
    for (std::int64_t n : {4, 12}) {
      diffusion_plan_params pp;
      const diffusion_plan plan = plan_diffusion(bb, n, diffusion_params{}, pp);
      INFO(name << " n = " << n << ": T = " << plan.params.steps << ", K = " << plan.params.copies);
      REQUIRE(plan.advice);
      REQUIRE(plan.advice->found);
      CHECK(plan.advice->exhaustive);
      CHECK(plan.params.steps == plan.bound_steps);
      // The hard-wired circuit, exhaustively (the unrolled one is checked the same way in the CLI tests).
      diffusion_params w = plan.params;
      w.advice_inputs = false;
      const diffusion_check r = check_diffusion(compile_diffusion(bb, n, w), bb, n, w);
      CHECK(r.exhaustive);
      CHECK(r.checked == (std::uint64_t(1) << n));
      CHECK(r.wrong_answers == 0);
      CHECK(r.reference_mismatches == 0);
    }
  }
  // One unrolled circuit with the proof's K, on all 4096 prefixes.
  const Backbone bb = parse_backbone("parity");
  const diffusion_plan plan = plan_diffusion(bb, 12, diffusion_params{}, {});
  const diffusion_check r = check_diffusion(compile_diffusion(bb, 12, plan.params), bb, 12, plan.params);
  CHECK(r.checked == 4096);
  CHECK(r.wrong_answers == 0);
  CHECK(r.reference_mismatches == 0);
}

TEST_CASE("depth is constant in n at T*, and grows when T = n", "[diffusion]") {
  for (const char* name : {"majority", "parity", "compare"}) {
    const Backbone bb = parse_backbone(name);
    diffusion_params p;
    p.steps = steps_for_margin(0.2, 1, 2 * target_accuracy(p) - 1);
    p.copies = 5;  // the vote is one gate for any K
    std::uint32_t first = 0, prev_tn = 0;
    for (std::int64_t n = 4; n <= 64; n *= 2) {
      const std::uint32_t d = depth_at(bb, n, p);
      if (!first) first = d;
      INFO(name << " n = " << n);
      CHECK(d == first);
      diffusion_params tn = p;
      tn.steps = static_cast<std::uint32_t>(n);
      const std::uint32_t dn = depth_at(bb, n, tn);
      CHECK(dn > prev_tn);
      prev_tn = dn;
    }
    CHECK(prev_tn > first);  // T = 64 > T* = 51
  }
}

TEST_CASE("an advice seed is never chosen on no prefix", "[diffusion]") {
  // Parity of 20 bits with no prefix to check: the search took seed 1, whose hard-wired circuit
  // was the constant 1, and reported it right (on 0 prefixes).
  const Backbone bb = parse_backbone("parity");
  diffusion_params p = small_params(3, 1);
  CHECK_THROWS_AS(search_advice_seed(bb, 20, p, 10, 0, 0), std::invalid_argument);
  CHECK_THROWS_AS(advice_prefixes(20, 0, 0), std::invalid_argument);
  CHECK(advice_prefixes(20, 0, 100) == 100);
  CHECK(advice_prefixes(4, 12, 0) == 16);  // every prefix: no random ones needed
  diffusion_plan_params pp;
  pp.steps = 3;
  pp.copies = 1;
  pp.search_bits = 0;
  pp.search_random = 0;
  CHECK_THROWS_WITH(plan_diffusion(bb, 20, diffusion_params{}, pp), Catch::Contains("--random 0 leaves the advice seed nothing"));
  // With prefixes to check, seed 1 (the constant circuit) is rejected.
  pp.search_random = 100;
  const diffusion_plan plan = plan_diffusion(bb, 20, diffusion_params{}, pp);
  REQUIRE(plan.advice);
  CHECK(plan.advice->prefixes == 100);
  CHECK((!plan.advice->found || plan.advice->seed != 1));
  // Noise on input wires has no advice to choose: no check needed to plan it.
  diffusion_params inputs;
  inputs.noise = diffusion_params::Noise::inputs;
  pp.search_random = 0;
  CHECK_NOTHROW(plan_choices(bb, 20, inputs, pp));
}

TEST_CASE("where K came from: Hoeffding, the option, or the row", "[diffusion]") {
  const Backbone bb = parse_backbone("majority");
  diffusion_plan_params pp;
  pp.steps = 4;
  const diffusion_plan automatic = plan_choices(bb, 8, diffusion_params{}, pp);
  CHECK(automatic.copies_from == diffusion_plan::CopiesFrom::hoeffding);
  CHECK(automatic.hoeffding_copies == automatic.params.copies);
  pp.copies = 3;
  const diffusion_plan given = plan_choices(bb, 8, diffusion_params{}, pp);
  CHECK(given.copies_from == diffusion_plan::CopiesFrom::option);
  CHECK(given.params.copies == 3);
  CHECK(given.hoeffding_copies == automatic.params.copies);  // beside the K given, what Hoeffding would take
  // The d = log2 n row sets K = 1 whatever --copies says, and says so.
  diffusion_params dn;
  diffusion_plan_params dp = pp;
  dim_contrast_row(16, dn, dp);
  CHECK(dn.dim == 4);
  const diffusion_plan row = plan_choices(bb, 16, dn, dp);
  CHECK(row.params.copies == 1);
  CHECK(row.copies_from == diffusion_plan::CopiesFrom::row);
  CHECK(row.copies_option == std::optional<std::uint32_t>(3));
  CHECK(!row.copies_why.empty());
  diffusion_run r;
  r.plan = row;
  const nlohmann::json j = to_json(r);
  CHECK(j.at("copies_from") == "row");
  CHECK(j.at("copies_option") == 3);
  CHECK(j.at("copies_why") == row.copies_why);
  r.plan = given;
  CHECK(to_json(r).at("copies_from") == "option");
  CHECK(to_json(r).at("hoeffding_copies") == automatic.params.copies);
}

TEST_CASE("a sampler past the size bound is refused before the work", "[diffusion]") {
  // d = 64: K d T = 77,790,912 (T* = 71,499, Hoeffding's K = 17), past 5*10^6; the refusal came after
  // 28 s of measuring 20 fixed-point chains of d T steps.
  const Backbone bb = parse_backbone("parity");
  diffusion_params p;
  p.dim = 64;
  diffusion_plan_params pp;
  pp.auto_precision = true;
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(plan_diffusion(bb, 2, p, pp), Catch::Contains("too large to build: K d T"));
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 2.0);
}
