#include "provers/verify.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "circuits/evaluate.hpp"

namespace tcx {

const char* verdict_name(verify_result::Verdict v) {
  switch (v) {
    case verify_result::Verdict::correct: return "correct";
    case verify_result::Verdict::wrong: return "wrong";
    default: return "unknown";
  }
}

namespace {

void set_counterexample(verify_result& r, const Circuit& c, const verify_spec& spec, std::vector<std::uint8_t> x) {
  r.circuit_outputs = evaluate(c, x);
  r.reference_outputs = spec.reference(x);
  r.inputs = std::move(x);
}

// The first of `random` seeded instances where the circuit and the reference disagree (empty: none).
std::vector<std::uint8_t> random_disagreement(const Circuit& c, const verify_spec& spec, std::uint64_t random, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<std::uint8_t>> inputs;
  inputs.reserve(random);
  for (std::uint64_t k = 0; k < random; ++k) inputs.push_back(spec.random_instance(rng));
  const auto outs = simulate_patterns(c, inputs);
  for (std::size_t k = 0; k < inputs.size(); ++k)
    if (outs[k] != spec.reference(inputs[k])) return inputs[k];
  return {};
}

// How many of the 2^n inputs the care set holds (the pieces of an exhaustive check may run on
// other ranks or in an earlier run, so the check itself does not count them).
std::uint64_t cared_count(std::uint32_t n, const std::function<bool(const std::vector<std::uint8_t>&)>& cares) {
  std::uint64_t count = 0;
  std::vector<std::uint8_t> x(n);
  for (std::uint64_t q = 0; q < (std::uint64_t(1) << n); ++q) {
    for (std::uint32_t i = 0; i < n; ++i) x[i] = (q >> i) & 1u;
    count += cares(x) ? 1 : 0;
  }
  return count;
}

}  // namespace

verify_result verify_against_spec(const Circuit& c, const verify_spec& spec, const verify_params& p) {
  using V = verify_result::Verdict;
  verify_result r;
  if (spec.cares && c.num_inputs() > p.exhaustive_bits)
    throw std::invalid_argument(fmt::format("a care set is checked on every input: the circuit has {} inputs, more than the {} checked so",
                                            c.num_inputs(), p.exhaustive_bits));
  if (c.num_inputs() <= p.exhaustive_bits) {
    // With a care set the reference answers nothing (a don't-care) outside it.
    const ReferenceFn reference = !spec.cares ? spec.reference : ReferenceFn([&spec](const std::vector<std::uint8_t>& x) {
      return spec.cares(x) ? spec.reference(x) : std::vector<std::uint8_t>{};
    });
    const reference_check_result e = p.exhaustive ? p.exhaustive(c, reference)
                                                  : check_against_reference(c, PatternSet{PatternSet::exhaustive, 0, 1}, {}, reference);
    r.method = verify_result::Method::exhaustive;
    r.cared_only = static_cast<bool>(spec.cares);
    r.inputs_checked = r.cared_only ? cared_count(c.num_inputs(), spec.cares) : e.checked;
    r.verdict = e.agree ? V::correct : V::wrong;
    r.how = spec.cares ? fmt::format("exhaustive: the {} cared inputs of {} against the reference solver (a proof; the others "
                                     "are don't-cares)", r.inputs_checked, e.checked)
                       : fmt::format("exhaustive: all {} inputs against the reference solver (a proof)", e.checked);
    if (!e.agree) {
      r.inputs = e.input;
      r.circuit_outputs = e.circuit_output;
      r.reference_outputs = e.reference_output;
    }
    return r;
  }
  // Random instances against the reference first (cheap, and independent of any circuit).
  r.random_checked = p.random;
  if (auto bad = random_disagreement(c, spec, p.random, p.seed); !bad.empty()) {
    r.method = verify_result::Method::random;
    r.verdict = V::wrong;
    r.how = "a random instance disagrees with the reference solver";
    set_counterexample(r, c, spec, std::move(bad));
    return r;
  }
  r.method = verify_result::Method::sat;
  r.sat_ran = true;
  r.sat = equivalent_by_sat(c, spec.natural_circuit(), p.sat);
  if (p.require_certificate && r.sat.verdict == sat_equiv_result::equal && !r.sat.proof.verified)
    r.sat.verdict = sat_equiv_result::unknown;
  if (r.sat.verdict == sat_equiv_result::equal) {
    r.verdict = V::correct;
    r.how = fmt::format("SAT: equal to the task's natural circuit on all {} inputs (a proof{}; the natural circuit is "
                        "tested against the solver), and {} random instances agree with the solver",
                        c.num_inputs(), r.sat.proof.verified ? ", certified: its DRAT proof was checked" : "", p.random);
  } else if (r.sat.verdict == sat_equiv_result::different) {
    // The miter's input is re-checked against the reference: only a disagreement there is "wrong".
    const std::vector<std::uint8_t> x = r.sat.inputs;
    const bool wrong = spec.reference(x) != evaluate(c, x);
    r.verdict = wrong ? V::wrong : V::unknown;
    r.how = wrong ? "SAT found an input where it differs from the natural circuit and the solver"
                  : "SAT found an input where it differs from the natural circuit, but the solver agrees with "
                    "the circuit there: the natural circuit is wrong (please report)";
    if (wrong) set_counterexample(r, c, spec, x);
  } else {
    r.verdict = V::unknown;
    r.how = fmt::format("the SAT budget ran out; {} random instances agree with the solver (evidence, not proof)", p.random);
  }
  return r;
}

}  // namespace tcx
