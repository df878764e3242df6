#pragma once
// Bounded synthesis: is there a threshold circuit of a given shape that computes a given
// function on every input? Weights and thresholds are solver variables; the function is
// enforced pattern by pattern in a counterexample-guided loop (solve on a few patterns, check
// the candidate on all of them by simulation, add the first pattern it gets wrong) in one
// incremental solver.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/truth_table.hpp"
#include "provers/proof.hpp"
#include "provers/sat.hpp"

namespace tcx {

// The shape: layers of gates, inputs side first; the last layer's gates are the outputs in
// order. Layered (a gate reads the previous layer, layer 1 the inputs) or with skip wires (a
// gate reads the inputs and every earlier layer).
struct synth_shape {
  std::vector<std::uint32_t> widths;
  bool skip = false;
  std::uint32_t max_fanin = 0;   // 0: no bound (a gate's fan-in is its nonzero weights)
  std::int64_t max_weight = 0;   // |w| <= W for every weight; 0: per gate, enough for its fan-in when <= 8
  // A gate class instead of general threshold gates: majority of exactly k sources (k odd),
  // with complemented sources allowed or not (ABC's majexact: MAJ3, no complements).
  std::uint32_t majority_of = 0;
  bool complemented = true;
};

// Whether a circuit could be one of the shape's (one read back from a file, where nothing says
// how it was made): as many outputs as the last layer, at most its layers deep, the bounds on
// fan-in and weights kept, and the gates below the outputs placed in the layers below within
// their widths. Layered, a node read more than one layer up needs a copy gate in each layer
// between (the Builder folds copies, [x >= 1], into wires: a synthesized circuit has them so).
// With skip wires, gates are placed layer by layer, earliest deadline first: exact with up to
// two layers below the outputs (beyond, a crowded shape might be refused although it fits).
bool fits_shape(const Circuit& c, const synth_shape& shape);

// How the question is put to SAT. weights: every weight and threshold in binary, adders per
// pattern (synth_threshold.cpp). tt: every gate's values on the patterns in play are free
// variables and each candidate gate function is checked for thresholdness exactly outside SAT,
// a failure adding a certificate clause (synth_tt.cpp; no weight bound at all). automatic: tt
// for general threshold gates without a weight or fan-in bound, weights otherwise. descent: no
// SAT, gradient descent only (provers/descent.hpp): found, or unknown, never none.
enum class synth_method { weights, tt, automatic, descent };
const char* synth_method_name(synth_method m);      // weights, tt, auto, descent
synth_method parse_synth_method(const std::string& s);  // std::invalid_argument otherwise

// The tt method's search choices. The defaults are the measured best (docs/perf.md); each can be
// turned off to compare (tcx synth|frontier --tt-*, the Python options tt_*).
struct tt_params {
  bool eager_faces = true;     // 2-face (no XOR/XNOR) and 2-monotonicity clauses eagerly (docs/provers.md)
  bool share_lemmas = true;    // a certificate's clause also for every gate with the same sources
  bool order_axioms = true;    // transitivity of the order variables and their links with the signs
  bool quick_separator = true; // a 64-bit perceptron tries each gate before the exact LP
  bool float_lp = true;        // a float LP proposes each exact LP's answer (separable_float.hpp)
  bool signed_sources = true;  // sign variables on source gates too; eager clauses escape only where a source gate pulls the sum the wrong way
  bool input_symmetry = true;  // the first hidden gate's weights >= 0 on inputs the function is (up to complement) invariant under negating, sorted on interchangeable ones
  bool sign_symmetry = true;   // (with signed_sources) a hidden gate read by an output has a weight >= 0 there (instead of "0 on pattern 0")
  // Split into 2^k cubes by the last output's weight signs on its first k inputs, solved in
  // turn; the default (cubes_auto): all its inputs when there are 8 or more and every pattern is
  // in play (at most 512), none otherwise (docs/perf.md, "Signed sources and cubes").
  static constexpr std::uint32_t cubes_auto = ~0u;
  // Or (cubes_output) one cube per function the output gate may compute of its k hidden gates:
  // a layered k,1 template (k <= 6), the output taken positive and its hidden gates sorted
  // strongest first (the complement and renaming symmetries of the hidden gates), so one
  // regular threshold function per cube (provers/threshold_classes.hpp; docs/provers.md,
  // "Cubes on the output's function").
  static constexpr std::uint32_t cubes_output = ~0u - 1;
  std::uint32_t cube_inputs = cubes_auto;
  // With cubes_output and a self-dual function (complementing every input complements the
  // output, on a care set closed under it: parity of odd n, majority): one cube of each pair of
  // dual functions g, not g(not y), since a circuit's dual computes the function too (the
  // other ruled out by a clause the proof checker regenerates: tt_symmetry::dual_blocked).
  bool dual_cubes = true;
  // Whether cubes_output fits a template with that many outputs (a frontier uses it where it
  // does and cubes_auto elsewhere; synthesis refuses it elsewhere).
  static bool output_cubes_fit(const synth_shape& shape, std::size_t outputs);
  // Whether the sign cubes (cube_inputs = k) split anything: the output reads inputs (skip
  // wires, or one layer). A layered output above the first layer reads none: one cube, which
  // cubes as units refuse for an explicit k (dist::synthesize_tt_by_cubes).
  static bool sign_cubes_fit(const synth_shape& shape) { return shape.skip || shape.widths.size() == 1; }
  // With cubes: solved on this many threads, each with its own solver and copy of the question
  // (provers/synth_tt_cubes.hpp); the time limit then counts the CPU of them all. 1: one after
  // another on the calling thread. No effect without cubes, and none on the answer.
  std::uint32_t jobs = 1;
  bool operator==(const tt_params&) const = default;
  // Whether a choice that can change an answer differs from the default (threads cannot).
  bool choices_given() const {
    tt_params t = *this;
    t.jobs = 1;
    return !(t == tt_params{});
  }
};

// Descent's search (provers/descent.hpp): its budget and training choices.
struct descent_params {
  double time_limit_s = 0;     // CPU seconds, all restarts on all threads together (0: none)
  std::uint32_t restarts = 0;  // at most this many (0: until the time limit; one of the two must bound it)
  // Restarts are independent, so they run on this many threads with no coordination but "stop,
  // found" (each thread gets an equal share of the budget). Restart r draws its start from (seed,
  // r) alone, whatever the threads: with jobs > 1 only which restart answers first may vary
  // (and, with repairs capped by CPU, repair_cpu_ratio, whether a near miss got its repair).
  std::uint32_t jobs = 1;
  std::uint32_t steps = 3000;  // gradient steps per restart; a checkpoint every 500
  // Cared patterns per gradient step, drawn at random (0: all of them up to 2^16, else 2^13;
  // provers/descent.hpp). Checkpoints and the refit always read every cared pattern.
  std::uint32_t batch = 0;
  double learning_rate = 0.02; // Adam's step size (0.05 and 0.15 found circuits less often, docs/perf.md)
  // A near miss whose refit fails is completed by SAT: this many hidden gates set free (each
  // choice in turn), the others kept, the tt method looking for the free ones and the outputs
  // with at most repair_conflicts conflicts per solver call (0: no repair; docs/perf.md).
  std::uint32_t repair_gates = 1;
  std::uint64_t repair_conflicts = 20000;
  // A thread's repairs spend at most this times the CPU its training has spent (infinity: no
  // cap, and each restart's answer depends on (seed, index) alone). Where questions are large
  // and near misses common, repairs would otherwise take the whole budget; a quarter costs
  // Rule 110 little and keeps the rest near descent alone (docs/perf.md).
  double repair_cpu_ratio = 0.25;
  std::uint64_t seed = 1;
  const std::atomic<bool>* stop = nullptr;  // checked with the budget, a few times per second
};

struct synth_params {
  synth_shape shape;
  synth_method method = synth_method::automatic;
  tt_params tt;                   // the tt method's search choices
  // Gradient descent (provers/descent.hpp) before the exact method when descent.time_limit_s or
  // descent.restarts bounds it (the exact method then has its own time_limit_s); a circuit found
  // answers sat with method descent. Without proofs the exact method first gets up to 1 s of its
  // own budget (what it settles in that time is answered without descent). With method descent, time_limit_s is descent's budget
  // (descent.restarts may bound it further; descent.time_limit_s is then refused).
  // descent.seed and descent.stop are ignored: seed and stop below serve both.
  descent_params descent;
  bool symmetry_breaking = true;  // hidden gates: threshold >= 1 (sign normalization), thresholds ordered in a layer
  double time_limit_s = 60;       // CPU seconds in the solver, all calls together (0: none)
  std::uint64_t conflicts = 0;    // per call (0: none)
  std::uint32_t initial_patterns = 4;
  std::uint64_t seed = 1;
  sat_solver solver = default_sat_solver;
  bool cross_check = false;       // both solvers on every call (sat.hpp)
  // Proofs of UNSAT: the final question (the CNF over exactly the patterns used) solved again from
  // scratch by CaDiCaL with a DRAT trace, written and/or checked (docs/provers.md says why it covers
  // the whole claim). tt: with certify, every clause is also checked sound (provers/tt_certify.hpp),
  // and symmetry breaking is off (it is sound only globally).
  proof_params proof;
  std::string query = "synth";    // names the question in errors and proof files
  // A cube of cube-and-conquer (dist/work.hpp): the first gate's weight on its source j is
  // zero (0), positive (+1) or negative (-1) for each j < cube.size(); threshold gates only.
  // The 3^k cubes of length k together are the whole question.
  std::vector<std::int8_t> cube;
  // Checked between solver calls: true ends the search with unknown (a cube no longer needed).
  const std::atomic<bool>* stop = nullptr;
  // The care set: bit q set for the input patterns the circuit must get right (a table over the
  // function's inputs); null: every pattern (a total function). The others are don't-cares, and a found
  // circuit is verified on every cared pattern.
  std::shared_ptr<const truth_table> care;
  // Counterexamples: the wrong patterns added per round (the most sensitive first), and whether
  // each comes with its images under the cyclic input shifts the function and the care set are
  // invariant under (found from the table; docs/provers.md, "Many inputs").
  std::uint32_t counterexamples_per_round = 1;
  bool pattern_orbits = false;
};

struct synth_result {
  enum Answer { sat, unsat, unknown } answer = unknown;
  Circuit circuit;               // sat: verified on every input
  bool unsat_for_all_weights = false;  // unsat: no threshold circuit of this shape at all
  std::int64_t weight_bound = 0; // the largest |w| allowed to any gate
  std::uint32_t max_fanin = 0;   // the fan-in bound the answer holds under (0: none)
  std::uint32_t solver_calls = 0, patterns = 0;
  std::uint32_t vars = 0;
  std::uint64_t clauses = 0;
  std::uint64_t lemmas = 0;      // tt: certificate clauses added (gate functions found not threshold)
  std::uint32_t cubes = 0;       // tt: cubes the question was split into (tt_params::cube_inputs; 0: none), one proof each when certified
  // Cubes as units of a resumable run (dist/work.hpp): those answered in an earlier run, read
  // from its state file, and the CPU seconds they took then (not in `seconds`).
  std::uint32_t cubes_resumed = 0;
  double resumed_seconds = 0;
  std::uint32_t cubes_unanswered = 0;  // cubes as units: those left unknown (their budget) or not reached
  // Cubes as units with proof.certify: nones whose certification ran out of its budget (asked
  // again on --resume), and nones that cannot be certified one cube at a time (their solver
  // added clauses sound only by a symmetry rule, or past the soundness check's limits).
  std::uint32_t cubes_uncertified = 0, cubes_uncertifiable = 0;
  bool cube_units = false;             // the cubes were units (dist::synthesize_tt_by_cubes), each with its own proof when certified
  std::int64_t longest_cube = -1;      // cubes as units: the one that took the most CPU (this run's or recorded), and its seconds
  double longest_cube_seconds = 0;
  std::string longest_cube_assumes;    // what it assumes (TtCubeSolver::describe)
  synth_method method = synth_method::weights;  // the method that answered
  double seconds = 0;            // CPU seconds, what --time-limit counts (all threads' with --jobs)
  std::uint32_t descent_restarts = 0;  // descent's restarts, whether or not it answered
  std::uint32_t descent_repairs = 0;   // its SAT questions completing near misses
  bool descent_repaired = false;       // sat by descent: the circuit came from a repair
  std::uint64_t descent_best_errors = 0;  // the fewest cared patterns a checkpoint got wrong (0 when found)
  double descent_seconds = 0;          // descent's CPU seconds, repairs included
  std::vector<proof_record> proofs;  // one per UNSAT question asked (with p.proof)
  bool certified = false;            // unsat, and every proof verified by the checker
  // tt with proof.certify: the soundness check of the final CNF's clauses (provers/tt_certify.hpp).
  double soundness_seconds = 0;
  std::uint64_t soundness_clauses = 0, soundness_lps = 0;
  std::uint64_t soundness_symmetry = 0;  // of the clauses, those of the declared symmetry rules (premises checked)
};

// The largest integer weight any threshold function of k inputs needs (k <= 8), or 0 beyond:
// 1, 1, 2, 3, 5 for k = 1..5 (checked by brute force in the tests) and 9, 18, 42 for 6..8 (published).
std::int64_t max_weight_needed(std::uint32_t fanin);

// truth[o]: output o's table over `inputs` inputs (circuits/truth_table.hpp); at most 20 inputs
// for the weights method, 22 for tt.
synth_result synthesize(std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p);

}  // namespace tcx

namespace tcx {

// The serial frontier of one function: for each depth d = 1..max_depth, the fewest threshold
// gates of any circuit of at most d layers (skip wires allowed), searched by increasing size over
// every split of the gates into layers; a depth only searches sizes below the best shallower one.
struct frontier_cell {
  enum Status { proven_minimal, found, none_within_budget, unknown } status = unknown;
  std::uint32_t gates = 0;  // found / proven_minimal: the size; none: the budget; unknown: k in "?>k", every size <= k refuted
  // Every size below this is refuted at every depth up to this one (found: the minimum lies in
  // at_least..gates; proven_minimal: equal to gates; unknown: gates + 1).
  std::uint32_t at_least = 0;
  double seconds = 0;       // CPU seconds (all threads) of this depth's queries, the shallower depths' not included
  // proven_minimal / none: every UNSAT answer the proof rests on was checked (DRAT, with proof.certify).
  bool certified = false;
  std::uint32_t tightened_by = 0;  // gates fewer than the walk found, by frontier_tighten
};
struct frontier_params {
  std::uint32_t max_depth = 3, max_gates = 6;
  double time_limit_per_query_s = 10;
  synth_method method = synth_method::automatic;
  bool skip = true;  // false: layered templates (a gate reads the previous layer only), exactly d layers deep
  sat_solver solver = default_sat_solver;
  bool cross_check = false;
  proof_params proof;             // per query: QUERY-dD-gG-wW1xW2... (.cnf, .drat)
  std::string query = "frontier"; // the prefix of those names
  std::shared_ptr<const truth_table> care;  // synth_params::care, for every query
  std::uint32_t counterexamples_per_round = 1;            // synth_params' counterexample choices
  bool pattern_orbits = false;
  tt_params tt;                                            // synth_params::tt, for every query
  descent_params descent;                                  // synth_params::descent, per query (template)
  // frontier_tighten's budget: descent's CPU seconds per template below a found cell's size (0: none).
  double tighten_s = 0;
};
std::vector<frontier_cell> frontier(std::uint32_t inputs, const multi_truth_table& truth,
                                    const frontier_params& p);
// The most inputs a frontier takes with p's method (the front ends refuse more up front): the
// weights method's templates grow with 2^n patterns sooner than tt's, and descent trains on all 2^n.
inline std::uint32_t frontier_max_inputs(const frontier_params& p) {
  return p.method == synth_method::weights || p.method == synth_method::descent || p.descent.time_limit_s > 0 || p.tighten_s > 0 ? 16
                                                                                                                                 : 22;
}

// A cell found above sizes left open (j..k, k > j) may hold a smaller circuit that the per-query
// budgets missed; a long descent costs too much on every question, but not on these few. Depth by
// depth, descent alone (p.tighten_s CPU seconds per template, p.descent's other choices) is asked
// for templates of exactly that depth with one gate fewer, again and again, down to j, stopping
// at the first size not found. Deeper cells take a shallower cell's smaller size; a cell brought
// down to its at_least is proven minimal (its refutations were the walk's; certified is then
// false, the walk's proofs not being known here). frontier() calls it when p.tighten_s > 0.
std::vector<frontier_cell> frontier_tighten(std::uint32_t inputs, const multi_truth_table& truth, const frontier_params& p,
                                            std::vector<frontier_cell> cells);

// The frontier question by question (dist/work.hpp spreads them over MPI ranks). A question is
// (depth d, gates g): is there a circuit of exactly d layers and g gates, over every split of the
// gates into layers? frontier() is frontier_walk() asking each question as the walk reaches it.
struct frontier_answer {
  bool found = false;      // some split is satisfiable
  bool refuted = false;    // every split unsatisfiable for all weights
  bool certified = false;  // every UNSAT answer's proof checked
  double seconds = 0;      // CPU seconds (all threads)
};
// `stop` true: the question is no longer wanted (the answer is then meaningless).
frontier_answer frontier_question(std::uint32_t inputs, const multi_truth_table& truth, const frontier_params& p,
                                  std::uint32_t depth, std::uint32_t gates, const std::atomic<bool>* stop = nullptr);
// The cells from the answers: ask(d, g) is called for exactly the questions the walk needs, in
// its order (depth by depth, sizes upward, each depth only below the best shallower size, and
// stopping at the first size found); ask returning nullopt ends the walk with nullopt.
std::optional<std::vector<frontier_cell>> frontier_walk(
    std::uint32_t outputs, const frontier_params& p,
    const std::function<std::optional<frontier_answer>(std::uint32_t, std::uint32_t)>& ask);
// Whether the walk asks (d, g), given found(e, h) for the questions already known to be found
// (false for the others): it does unless some (e, h) with e < d, h <= g or e = d, h < g is found.
// Answers only add found questions, so a question not asked now never will be.
bool frontier_question_asked(std::uint32_t outputs, const frontier_params& p, std::uint32_t d, std::uint32_t g,
                             const std::function<bool(std::uint32_t, std::uint32_t)>& found);

// The other reading of the same cells: for each gate budget G = 1..max_gates, the smallest depth
// with a circuit of at most G gates (0: none found), proven when every shallower depth is proven
// to need more than G gates (a proven 0: no circuit within the depths tried).
struct budget_depth {
  std::uint32_t depth = 0;
  bool proven = false;
  bool certified = false;  // proven, and every cell the proof rests on (the shallower ones) certified
};
std::vector<budget_depth> smallest_depth_by_budget(const std::vector<frontier_cell>& cells, std::uint32_t max_gates);

// How tables print them: a cell as "k*" (proven minimal), "j..k" (found with k gates, every size
// below j refuted: the minimum lies in j..k), "-" (none within the budget, proven) or "?>k"
// (unknown); a budget's depth as "d*", "d", "-" or "?".
std::string frontier_cell_text(const frontier_cell& c);
const char* frontier_status_name(frontier_cell::Status s);  // proven_minimal, found, none, unknown
std::string budget_depth_text(const budget_depth& b);

}  // namespace tcx
