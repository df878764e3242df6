#pragma once
// Soundness of the tt method's CNF, checked clause by clause apart from the encoder
// (docs/provers.md, "Certified answers", "Certified tt answers").
//
// A tt "none" rests on two facts: the final CNF is unsatisfiable (a DRAT proof, provers/proof.hpp)
// and every clause of it holds for every threshold circuit of the template (this file). Each CNF
// variable is given a meaning in terms of one circuit of the template with its weights: a gate's
// value on an input pattern, the sign of a weight ([w_i >= 0]), the order of two weights
// ([w_a >= w_b]), the sign of a weight on a source gate ([u_h >= 0]), or an auxiliary defined
// from gate values and those signs ("h differs on two patterns", "h is unbalanced on a 2-face",
// "h's term in g's sum falls from one pattern to another"). A clause is falsified by exactly one
// assignment of its own variables;
// it is sound when no circuit realizes that assignment. The check looks for one gate the
// assignment makes impossible: its values on the patterns the clause fixes, the values of its
// sources there (inputs are the patterns' bits; other gates' values as the clause fixes them or,
// when left open, every completion the auxiliaries allow) and its sign and order literals form a
// linear system in the weights and threshold (true points w.x >= t, false points w.x <= t - 1,
// w_i >= 0 or <= -1, w_a - w_b >= 0 or <= -1: homogeneous, so strict inequalities scale to margin
// 1; a source sign left open by a "term falls" definition is enumerated with the open values),
// decided over the rationals by GLPK's exact simplex (not tcx's own LP, provers/separable.cpp,
// which produced the encoder's certificates). Identical systems are decided once.
//
// The outputs' values are the function's (the caller passes the truth table, not the encoder's
// constants). Symmetry breaking keeps one circuit per symmetry class: its clauses hold for some
// circuit of every class, not for every circuit, so they have no clause-local meaning. The
// encoder declares the rules it used (tt_symmetry); the check verifies each rule's premises on
// the template and the function itself, regenerates the clauses the rules stand for, and accepts
// a clause that is not sound by meaning only when it is one of those (docs/provers.md,
// "Certified symmetry breaking", gives the argument that the rules together keep a circuit).
#include <cstdint>
#include <string>
#include <vector>

#include "circuits/truth_table.hpp"
#include "provers/cnf.hpp"

namespace tcx {

// What one variable of the tt CNF stands for. Patterns are indices into tt_encoding::patterns.
struct tt_var_meaning {
  enum Kind : std::uint8_t {
    none,        // no meaning declared (a clause mentioning it is rejected)
    constant,    // variable 1: true
    value,       // gate's value on pattern p[0]
    polarity,    // [gate's weight on input `input` >= 0]
    order,       // [gate's weight on input `input` >= its weight on input `input2`], input < input2
    differs,     // [gate's values on patterns p[0] and p[1] differ]
    unbalanced,  // [gate(p[0]) + gate(p[1]) != gate(p[2]) + gate(p[3])] (a 2-face: p0 + p1 = p2 + p3)
    // symmetry breaking: no clause-local meaning. With a layer order (tt_symmetry::ordered):
    // "gates `gate` and gate + 1 agree on patterns 0..p[0]", the order's running flag.
    symmetry,
    source_sign, // [gate's weight on source gate `input` >= 0] (signed sources)
    // [gate's term on source gate h = `input` falls from pattern p[0] to p[1], by its sign]: with
    // u the weight on h, (u >= 0 and h(p0) = 1, h(p1) = 0) or (u < 0 and h(p0) = 0, h(p1) = 1).
    // A function of the circuit for every u (u = 0 counts with the signs >= 0), which is all the
    // check needs; the signed eager clauses' escapes.
    term_falls,
    // [gate's value when its d-th source gate is bit d of the code `input`]: an output over hidden
    // gates only, evaluated on a code no pattern need give (--tt-cubes output).
    output_value,
    // Symmetry breaking with the output rule (tt_symmetry::output_regular): "gate's function of
    // its sources is the same with sources `input` and input + 1 swapped", and its witness "on
    // code p[0] (source input clear, input + 1 set) the function is 0 and on the swapped code 1".
    output_symmetric,
    output_asymmetric,
  };
  Kind kind = none;
  std::uint32_t gate = 0, input = 0, input2 = 0;
  std::uint32_t p[4] = {0, 0, 0, 0};
};

// The symmetry breaking an encoding used (all empty: none). Each rule's clauses:
// - normalized (a hidden gate reading inputs, or -1): unit [w_i >= 0] for each input of
//   `nonnegative` (each negatable: negating it leaves every output equal or complemented on the
//   care set), unit [w_a >= w_b] for each pair of `sorted` (interchangeable inputs, a < b, both
//   in `nonnegative` or neither);
// - zero_first: unit "gate h is 0 on pattern 0" per listed hidden gate;
// - reader_sign (h, r): unit [r's weight on h >= 0];
// - ordered g: gates g and g + 1 interchangeable (same sources, the same readers), their value
//   columns over the patterns, in order, lexicographically non-decreasing (per pattern k, with e
//   the flag after k - 1 and `next` the flag after k: -e -a b, -e a b next, -e -a -b next).
// - output_regular r (the only output, reading every hidden gate and nothing else, the hidden
//   gates reading the same inputs; --tt-cubes output): r's function of its hidden gates is
//   positive (-o[c] o[c + i]) and regular, source i at least as strong as i + 1 (-o[c] o[c']
//   with c' the 1 of source i + 1 moved to i), the flags output_symmetric defined from it (-s
//   -o[c'] o[c]; -b o[c']; -b -o[c]; s b_1 .. b_m), and each ordered pair g's flags start from
//   its flag s_g instead of true. It is every hidden gate's complement rule (a reader_sign of r
//   says the same and may stand beside it). The normalized gate then keeps it, so among the
//   inputs whose negation complements the function exactly one stays out of nonnegative, and it
//   is never the first of a sorted pair (pairs of such negations keep the function, leaving one
//   weight negative, which sorts last).
// - dual_blocked (with output_regular; the function self-dual: complementing every input
//   complements it, the care set closed under that): per listed table t of the output's function
//   the clause "some o[c] differs from t", where t's dual (not t(not y), dual_of) is smaller than
//   t. The dual of a circuit (each hidden gate h by not h(not x), the output by its dual) computes
//   the function too, its output table the dual, positive and regular as t is, and never listed
//   (its own dual, t, is larger); normalizing it as above keeps that table.
// A hidden gate has at most one complement rule (zero_first or reader_sign), the normalized gate
// none (but for output_regular) and no order; both gates of an ordered pair have the same
// complement rule.
struct tt_symmetry {
  std::int64_t normalized = -1;
  std::vector<std::uint32_t> nonnegative;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sorted;
  std::vector<std::uint32_t> zero_first;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> reader_sign;
  std::vector<std::uint32_t> ordered;
  std::int64_t output_regular = -1;
  std::vector<std::uint64_t> dual_blocked;
  bool empty() const {
    return normalized < 0 && zero_first.empty() && reader_sign.empty() && ordered.empty() && output_regular < 0 && dual_blocked.empty();
  }
};

// The template and the meanings the encoder declares. sources: as synth_detail::template_sources
// numbers them (>= 0 a gate, < 0 input -1 - i); the last truth.size() gates are the outputs.
struct tt_encoding {
  std::uint32_t inputs = 0;
  std::vector<std::vector<std::int64_t>> sources;
  std::vector<std::uint64_t> patterns;
  std::vector<tt_var_meaning> vars;  // indexed by variable (entry 0 unused)
  tt_symmetry symmetry;
};

struct tt_soundness_params {
  std::uint32_t max_open_entries = 24;       // per gate tried: open values in its system
  std::uint64_t max_completions = 1u << 16;  // per gate tried: completions the auxiliaries allow
};

struct tt_soundness_result {
  bool sound = false;
  std::string message;              // the first clause that failed, and why
  bool undecided = false;           // it failed for the limits (tt_soundness_params), not for a feasible system
  std::uint64_t clauses = 0;        // clauses checked
  std::uint64_t by_definition = 0;  // refuted by the auxiliaries' definitions alone
  std::uint64_t by_symmetry = 0;    // accepted as a declared symmetry rule's clause
  std::uint64_t systems = 0;        // linear systems built (one per gate tried and completion)
  std::uint64_t lps = 0;            // of those, decided by the exact LP (the rest: cache, or a point with both labels)
  double seconds = 0;
};

// Checks every clause of `cnf` against the meanings in `enc`, the outputs' values read from
// `truth` (a table over enc.inputs inputs per output) on the care set `care` (null: every
// input; it only matters to the symmetry rules' premises).
tt_soundness_result check_tt_soundness(const Cnf& cnf, const tt_encoding& enc, const multi_truth_table& truth,
                                       const tt_soundness_params& p = {}, const truth_table* care = nullptr);

}  // namespace tcx

#include "provers/synth.hpp"

namespace tcx {

// A tt UNSAT answer made certified (synth_tt.cpp calls it when p.proof is wanted): with
// p.proof.certify every clause of `cnf` is checked sound (an unsound one throws
// certification_error: an encoder bug, never an answer; one past the check's limits leaves the
// answer uncertified); then the CNF is solved again from scratch by CaDiCaL with a DRAT trace
// (prove_unsat, checked with certify). With `cubes` (the cubes the loop refuted, as literals of
// `cnf`; a gap in them throws certification_error, from prove_unsat) one solver refutes them in turn and the one
// proof joins them up to the empty clause (the checker so checks the cover too).
// time_limit_s: CPU seconds of this thread for the re-solve and the checks together (0: none);
// out of it, the answer stays uncertified. Fills r.proofs (one), r.certified and the soundness
// figures.
// `cover`: the clauses of `cnf` the cubes' cover follows from (the cubes on the output's function).
void certify_tt_unsat(const Cnf& cnf, const tt_encoding& enc, const multi_truth_table& truth, const synth_params& p,
                      double time_limit_s, synth_result& r, const std::vector<std::vector<CnfLit>>& cubes = {},
                      const Cnf* cover = nullptr);

}  // namespace tcx
