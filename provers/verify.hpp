#pragma once
// Verify a circuit against a specification, the way `tcx verify --task` does: every input when
// there are few enough (a proof); otherwise random instances against the reference first (cheap,
// independent of any circuit), then a SAT miter against a circuit known to compute the
// reference (a proof, or unknown within the budget). A task reaches the prover as a
// `verify_spec`: functions only, no task code.
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/simulate.hpp"
#include "provers/equiv.hpp"

namespace tcx {

struct verify_spec {
  ReferenceFn reference;                                                      // the reference solver
  std::function<std::vector<std::uint8_t>(std::mt19937_64&)> random_instance;  // a seeded instance
  std::function<Circuit()> natural_circuit;  // same function as `reference`: the SAT phase's other side
  // The care set (`tcx verify --care valid`): only inputs it holds are checked; empty: every
  // input. Checked on every input only: beyond exhaustive_bits std::invalid_argument.
  std::function<bool(const std::vector<std::uint8_t>&)> cares;
};

struct verify_params {
  std::uint32_t exhaustive_bits = 24;  // at most this many inputs: check every input
  std::uint64_t random = 10000, seed = 1;
  sat_equiv_params sat;                // encoding, budgets, solver, proof, the proof files' stem
  bool require_certificate = false;    // a SAT `equal` whose DRAT proof was not checked counts as unknown
  // The exhaustive phase; empty: check_against_reference on this process's threads. (The CLI
  // passes the work-distribution layer's, which resumes and spreads over MPI ranks.)
  std::function<reference_check_result(const Circuit&, const ReferenceFn&)> exhaustive;
};

struct verify_result {
  enum class Verdict { correct, wrong, unknown } verdict = Verdict::unknown;
  enum class Method { exhaustive, random, sat } method = Method::exhaustive;  // the phase that decided
  std::string how;                     // one sentence: what was checked and what that proves
  std::uint64_t inputs_checked = 0;    // exhaustive phase (with a care set: the cared inputs)
  bool cared_only = false;             // the spec had a care set: the other inputs were not checked
  std::uint64_t random_checked = 0;    // random phase (0 when exhaustive)
  bool sat_ran = false;
  sat_equiv_result sat;                // when sat_ran
  // A counterexample (verdict wrong): the inputs, the circuit's and the reference's outputs.
  std::vector<std::uint8_t> inputs, circuit_outputs, reference_outputs;
};

const char* verdict_name(verify_result::Verdict v);  // "correct", "wrong", "unknown"

// The circuit's input and output counts must match the specification's; the caller checks that
// (it knows the names to report).
verify_result verify_against_spec(const Circuit& c, const verify_spec& spec, const verify_params& p = {});

}  // namespace tcx
