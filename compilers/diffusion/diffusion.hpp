#pragma once
// An unrolled diffusion sampler as a threshold circuit (THEORY.md section 2, docs/diffusion.md).
//
// One continuous output token y in R^d is diffused; the prefix x_1..x_n is read by a backbone
// whose answer a(x) in {0, 1} selects the target N(mu_a, sigma^2 I), mu_a = (2a - 1) * center in
// every coordinate. The score of the noised target is exact and affine in y:
//   score_t(y) = -(y - sqrt(abar_t) mu_a) / v_t,   v_t = abar_t sigma^2 + 1 - abar_t.
// The DDPM (Euler-Maruyama) update, for t = T..1, with z_t standard normal (no noise at t = 1):
//   y <- c1_t y + c2_t score_t(y) + c3_t z_t,  c1 = 1/sqrt(alpha_t), c2 = beta_t/sqrt(alpha_t),
//   c3 = sqrt(beta_t)
// starts from y_T = z_{T+1} and ends by decoding y to the nearest token center: a = [sum_c y_c >= 0]
// (a tie decodes to 1). K copies with independent noise vote; the answer is 1 when more than
// half of them say 1.
//
// Fixed point (the semantics the circuit and the reference sampler share bit for bit): y, the
// score and the noise are integers Y standing for Y / 2^p in a signed W-bit format; every
// constant is rounded to the nearest multiple of 2^-p (the score offset to 2^-2p, as it is added
// to a product); each of the two weighted sums per step is rounded to nearest (half up) and
// saturated:
//   S  = sat(round((A_t Y + B_t,a) / 2^p)),   Y' = sat(round((C1_t Y + C2_t S + C3_t Z) / 2^p)).
// Noise comes from a seed fixed at compile time (Z rounded from a Box-Muller draw: the advice
// string of the proof) or from extra input bits (a randomized circuit: Z is a centred binomial of
// m bits, (2 popcount - m) / sqrt(m), rounded).
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "compilers/arith/fixed.hpp"
#include "compilers/models/model.hpp"

namespace tcx {

// The part of the score network that reads the prefix: an answer bit, from a built-in TC^0
// function or from a model family whose single output bit is the answer.
struct Backbone {
  enum class Kind { majority, parity, compare, model } kind = Kind::majority;
  std::string name;
  std::shared_ptr<const Model> model;  // Kind::model

  std::uint32_t prefix_bits(std::int64_t n) const;  // std::invalid_argument when n does not fit
  // The answer by plain C++ (majority: at least half ones; parity; compare: the low half of the
  // bits as a number >= the high half), or by the model's reference interpreter.
  class Reference;
  std::unique_ptr<Reference> reference(std::int64_t n) const;
  // The answer as a circuit over the prefix inputs (a model is compiled and appended).
  Lit add_answer(Builder& b, std::int64_t n, std::span<const Lit> prefix) const;
};

class Backbone::Reference {
public:
  virtual ~Reference() = default;
  virtual std::uint8_t answer(const Bits& prefix) const = 0;  // thread-safe
};

// "majority", "parity", "compare", or the path of a model JSON file.
Backbone parse_backbone(const std::string& spec);

struct diffusion_params {
  std::uint32_t dim = 1;           // d, coordinates of the output token
  std::uint32_t steps = 16;        // T
  std::uint32_t copies = 1;        // K
  FixedFormat format{8, 5, true};  // W bits, p fractional
  double center = 1.0, sigma = 0.5;
  enum class Noise { seed, inputs } noise = Noise::seed;
  std::uint64_t seed = 1;
  std::uint32_t noise_bits = 16;   // m, per draw, Noise::inputs
  // Noise::seed: the seeded draws enter as W-bit advice input words (the proof's circuit with its
  // advice string on extra wires), or are hard-wired as constants. Hard-wired, the Builder folds
  // the whole chain: with an exact score it reads the prefix only through the answer bit.
  bool advice_inputs = true;
};

// The noise schedule: the variance-preserving linear schedule discretized for T steps,
// beta_t = (0.1 + 19.9 (t - 1) / (T - 1)) / T, capped at 0.5 so no constant grows large.
struct schedule_step {
  double beta, alpha_bar;
};
std::vector<schedule_step> noise_schedule(std::uint32_t steps);  // index t - 1

// One step's integer constants (see the header comment), for step t (1-based).
struct step_constants {
  std::int64_t A = 0, B0 = 0, B1 = 0;  // score slope (2^-p units) and offsets (2^-2p units)
  std::int64_t C1 = 0, C2 = 0, C3 = 0; // update (2^-p units)
};
std::vector<step_constants> sampler_constants(const diffusion_params& p);  // index t - 1
// Z(k) for the centred binomial noise: k ones among m bits.
std::vector<std::int64_t> binomial_noise_table(const diffusion_params& p);

// Circuit inputs: the prefix bits, then the noise bits, copy by copy, coordinate by coordinate,
// draw by draw (the start draw first, then t = T..2): m bits each (Noise::inputs) or one W-bit
// advice word each (Noise::seed with advice_inputs), none when hard-wired. One output.
std::uint64_t noise_input_bits(const diffusion_params& p);
// Noise::seed: the advice input bits, in that order (the seeded draws, rounded to the format).
Bits advice_bits(const diffusion_params& p);

struct diffusion_stats {
  std::uint32_t prefix_bits = 0;
  std::uint64_t noise_bits = 0;
};
diffusion_stats compile_diffusion(const Backbone& bb, std::int64_t n, const diffusion_params& p, Builder& b);
Circuit compile_diffusion(const Backbone& bb, std::int64_t n, const diffusion_params& p);

// The fixed-point reference sampler: plain integer arithmetic, no circuit. Thread-safe.
class ReferenceSampler {
public:
  ReferenceSampler(const Backbone& bb, std::int64_t n, const diffusion_params& p);
  ~ReferenceSampler();
  // The voted answer from the prefix (Noise::seed) or the prefix and the noise bits (Noise::inputs).
  std::uint8_t run(const Bits& inputs) const;
  // One copy's final y (integers, per coordinate) given the answer bit a.
  std::vector<std::int64_t> final_y(std::uint8_t a, std::uint32_t copy, const Bits& inputs) const;
  // The voted answer when the backbone answers a (the chain reads the prefix only through a).
  std::uint8_t vote(std::uint8_t a, const Bits& inputs) const;
  std::uint8_t backbone_answer(const Bits& prefix) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The standard normal draw the seed gives for (copy, coordinate, draw); draw 0 is the start.
double seeded_normal(std::uint64_t seed, std::uint32_t copy, std::uint32_t coord, std::uint32_t draw);
// That draw times 2^p, rounded to nearest and saturated to the format.
std::int64_t seeded_noise(const diffusion_params& p, std::uint32_t copy, std::uint32_t coord, std::uint32_t draw);

// --- The proof's choices and the double-precision sampler (compilers/diffusion/plan.cpp) ---

// Li and Yan's bound on the sampler's total variation from the target: c d (ln T)^3 / T.
double tv_bound(double c, std::uint32_t d, std::uint32_t T);
// The smallest T >= 2 from which the bound stays below margin / 4 for every larger T
// (std::invalid_argument past 10^8 steps).
std::uint32_t steps_for_margin(double c, std::uint32_t d, double margin);
// The target's probability of the right answer, Phi(sqrt(d) center / sigma), and its margin
// 2 p - 1 (the default accuracy margin).
double target_accuracy(const diffusion_params& p);
// Hoeffding and a union bound over all 2^N inputs: the smallest odd K with
// 2^N exp(-2 K gamma^2) <= delta, where each copy is right with probability >= 1/2 + gamma.
std::uint32_t copies_for_error(double gamma, std::uint64_t input_bits, double delta);
// Exact in double precision: the sampler's final y is Gaussian (the score is affine), so the
// probability of decoding the right answer after T steps has a closed form.
double sampler_accuracy(const diffusion_params& p, std::uint32_t T);
// The same by sampling in double precision (Monte Carlo with `samples` runs), as a check.
double sampler_accuracy_monte_carlo(const diffusion_params& p, std::uint32_t T, std::uint64_t samples,
                                    std::uint64_t seed);
// The smallest T from which the accuracy stays within tol of the target's up to max_T.
std::uint32_t empirical_steps(const diffusion_params& p, double tol, std::uint32_t max_T);

// Advice search: seeds seed, seed + 1, ... until the fixed-point sampler (copies, steps as in p,
// noise from the seed) answers right on every prefix of n when there are at most
// `exhaustive_bits` prefix bits, else on `random_prefixes` seeded random ones (evidence only).
// The prefixes the advice search checks per seed: all 2^N when N <= min(exhaustive_bits, 24),
// else random_prefixes. std::invalid_argument when that is none: a seed "right on no prefix" is
// only the first seed tried, not advice.
std::uint64_t advice_prefixes(std::uint32_t prefix_bits, std::uint32_t exhaustive_bits, std::uint64_t random_prefixes);
struct seed_search_result {
  bool found = false;
  std::uint64_t seed = 0;
  std::uint32_t draws = 0;        // seeds tried
  bool exhaustive = false;
  std::uint64_t prefixes = 0;     // checked per seed
};
seed_search_result search_advice_seed(const Backbone& bb, std::int64_t n, diffusion_params p, std::uint32_t max_draws,
                                      std::uint32_t exhaustive_bits = 12, std::uint64_t random_prefixes = 1000);

}  // namespace tcx

namespace tcx {

// --- The demonstration's steps (compilers/diffusion/run.cpp): choose, then check. ---

struct diffusion_plan_params {
  std::optional<std::uint32_t> steps, copies;  // empty: chosen as the proof does
  // A row that sets K itself, whatever `copies` says (diffusion-family's d = log2 n rows), and why:
  // the output says so beside K.
  std::optional<std::uint32_t> row_copies;
  std::string row_copies_why;
  // Fixed point from the steps: p = max(5, ceil(log2 T) - 2) fractional bits, W = p + 3 (range
  // [-4, 4)). Small constants such as beta_t ~ 20 / T need about log2 T bits to survive rounding.
  bool auto_precision = false;
  double c = 0.2;                              // the bound's constant (unknown in the theorem; settable)
  std::optional<double> margin;                // empty: the target's margin 2 Phi(sqrt(d) center / sigma) - 1
  double error = 0.5;                          // delta: allowed chance that a noise draw fails some input
  double tol = 0.005;                          // empirical steps: accuracy within tol of the target
  std::uint32_t search_bits = 12;              // advice search on every prefix up to this many bits, else on
  std::uint64_t search_random = 1000;          // this many random prefixes
  std::uint32_t search_draws = 1000;
};

struct diffusion_plan {
  diffusion_params params;   // with the chosen steps, copies and (after the search) seed
  double target = 0, margin = 0, gamma = 0;
  // Where K came from: Hoeffding (copies auto), the copies option, or the row (row_copies).
  enum class CopiesFrom { hoeffding, option, row } copies_from = CopiesFrom::hoeffding;
  std::optional<std::uint32_t> copies_option;  // the copies option (empty: auto), when a row overrides it
  std::string copies_why;                      // CopiesFrom::row: why
  std::uint32_t hoeffding_copies = 0;          // Hoeffding's K beside a given one (0: past 10^6)
  std::uint32_t bound_steps = 0;            // T* from the bound (d and the margin alone)
  double bound_at_steps = 0;                // the TV bound at the steps used
  double accuracy_at_steps = 0;             // the double-precision sampler's accuracy there
  double fixed_accuracy = 0;                // one fixed-point copy's accuracy over fixed_draws seeded draws
  std::uint32_t fixed_draws = 0;            // 4000, fewer for very long chains
  std::uint32_t empirical_steps = 0;        // where that accuracy settles (0: not within 4096)
  std::optional<seed_search_result> advice;
};
diffusion_plan plan_diffusion(const Backbone& bb, std::int64_t n, const diffusion_params& base,
                              const diffusion_plan_params& pp);
// The plan's choices alone (steps, precision, copies) and the refusals that need no work: a
// sampler past the size bound (K d T or d T above 5*10^6), an advice search with no prefix to
// check. Microseconds: plan_diffusion starts with it, and diffusion-family runs it on every row
// before the first row's work.
diffusion_plan plan_choices(const Backbone& bb, std::int64_t n, const diffusion_params& base, const diffusion_plan_params& pp);
// diffusion-family's contrast row "d = log2 n" at n: the token has ceil(log2 n) coordinates (T*
// grows with d), and K = 1 whatever the copies option says (row_copies, with the reason).
void dim_contrast_row(std::int64_t n, diffusion_params& p, diffusion_plan_params& pp);

struct diffusion_check_params {
  std::uint32_t max_exhaustive_bits = 12;
  std::uint64_t random_inputs = 1000;
  std::uint64_t seed = 1;
};
// Prefixes: every one or seeded random ones; the noise inputs: the advice (Noise::seed) or seeded
// random bits (Noise::inputs: a randomized circuit, so some wrong answers are expected).
struct diffusion_check {
  bool exhaustive = false;  // over the prefixes
  std::uint64_t checked = 0;
  std::uint64_t reference_mismatches = 0;  // the circuit differs from the fixed-point reference sampler
  std::uint64_t wrong_answers = 0;         // the circuit differs from the backbone's answer
  Bits first_mismatch;                     // inputs of the lowest reference mismatch
};
// Simulates `c` (= compile_diffusion(bb, n, p)) on every input or on seeded random ones.
diffusion_check check_diffusion(const Circuit& c, const Backbone& bb, std::int64_t n, const diffusion_params& p,
                                const diffusion_check_params& cp = {});

// One sampler at one size, the way the commands and the report run it: planned, built (only
// counted when it is past the Builder's wire bound), checked; with seeded noise also built and
// checked with the advice hard-wired.
struct diffusion_run {
  std::string label;
  std::int64_t n = 0;
  diffusion_plan plan;
  circuit_stats stats;
  bool built = false;
  diffusion_check check;
  std::string unchecked;  // why the built circuit was not checked ("": it was), e.g. its simulation past the memory bound
  std::optional<circuit_stats> wired_stats;
  diffusion_check wired_check;
  std::string wired_unchecked;  // as `unchecked`, for the hard-wired circuit
  std::optional<Circuit> circuit;  // when asked to keep it
  double seconds = 0;
  bool ok() const {  // no difference from the reference sampler
    return (!built || !unchecked.empty() || check.reference_mismatches == 0) && (!wired_stats || wired_check.reference_mismatches == 0);
  }
};
diffusion_run run_diffusion(const std::string& label, const Backbone& bb, std::int64_t n, const diffusion_params& base,
                            const diffusion_plan_params& pp, const diffusion_check_params& cp, bool keep_circuit = false);
nlohmann::json to_json(const diffusion_run& r);

}  // namespace tcx
