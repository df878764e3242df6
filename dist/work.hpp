#pragma once
// The kinds of work tcx distributes (dist/runner.hpp), each answering exactly as the
// one-process library call does:
//
// - pattern ranges of an exhaustive (or random) simulation: equivalence of two circuits, or a
//   circuit against a reference function; the lowest differing pattern is the answer, however
//   the ranges were spread;
// - the questions of a frontier table (a question per unit, rows printed in order);
// - an ordered sweep (the sizes of a family): one unit per row,
//   the largest first, rows delivered in order as soon as they and all before them are known;
// - cube-and-conquer for one synthesis question.
//
// Each takes the run's options: a state file to record settled units in and to resume from.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "circuits/simulate.hpp"
#include "dist/state.hpp"
#include "provers/synth.hpp"

namespace tcx::dist {

struct run_options {
  state_options state;
  std::string key;                 // names the question in the state file (digests of inputs, options)
  std::uint64_t unit_patterns = 0;  // pattern ranges: patterns per unit (a power of two; 0 = chosen)
  std::string label = "tcx";        // progress lines start with it
};

// Patterns per unit for a simulation of `total` patterns costing about `cost_per_pattern`
// nanoseconds each on one core: units of about a quarter second, at least 16 per rank when the
// set allows, a power of two between 2^14 and 2^34.
std::uint64_t choose_unit_patterns(std::uint64_t total, double cost_per_pattern);

// equivalent_by_simulation (circuits/simulate.hpp) over pattern ranges; the same verdict and
// counterexample. patterns_checked: all patterns when equal; up to the counterexample when different.
equiv_result equivalent_by_simulation(const Circuit& a, const Circuit& b, const equiv_params& p, const run_options& o);

// check_against_reference over pattern ranges; the same answer.
reference_check_result check_against_reference(const Circuit& c, PatternSet set, const sim_params& sp,
                                               const ReferenceFn& reference, const run_options& o);

// Rows 0..count-1: row(k) computes row k's result (any rank); row k costs cost(k) (the largest
// first); on_row(k, result) is called on rank 0 in row order, as soon as rows 0..k are known,
// and returns false to stop the sweep there (later rows are not started, or dropped).
// Returns the results of rows 0..last delivered.
std::vector<std::string> ordered_sweep(std::uint64_t count, const std::function<double(std::uint64_t)>& cost,
                                       const std::function<std::string(std::uint64_t)>& row,
                                       const std::function<bool(std::uint64_t, const std::string&)>& on_row,
                                       const std::string& kind, const std::string& unit_name, const run_options& o);

// The frontier (provers/synth.hpp) of several functions, one table row each, spread question by
// question: a question is (row, depth, gates), every split of that many gates into that many
// layers, solved in one rank. Rank 0 hands a question to each free rank: first the ones the
// single-process walk is sure to ask (every question that could make them unneeded answered),
// then speculative ones (fewest such questions unanswered first), the costliest first within each;
// a question that an answer makes unneeded is not handed out, or is cancelled in flight. Each
// row's cells come from frontier_walk() over the answers, so they are the single-process ones.
// on_row(k, cells) is called on rank 0 in row order, as soon as the walk of rows 0..k can be
// completed. The state file records each settled question. Returns every row's cells.
struct frontier_row_question {
  std::uint32_t inputs = 0;
  multi_truth_table truth;
  std::string query;  // frontier_params::query for this row (proof file names)
  std::shared_ptr<const truth_table> care = nullptr;  // frontier_params::care for this row (null: every input)
};
std::vector<std::vector<frontier_cell>> frontier_by_questions(
    const std::vector<frontier_row_question>& rows, const frontier_params& p,
    const std::function<void(std::uint64_t, const std::vector<frontier_cell>&)>& on_row, const run_options& o);

// Cube-and-conquer: the first gate's weights on its first `depth` sources each fixed to zero,
// positive or negative, 3^depth cubes that together are the whole question. Cubes go out as
// ranks free up; the first SAT cube ends the search (the others are cancelled), UNSAT needs every
// cube UNSAT, and any cube unknown makes the answer unknown. p.time_limit_s applies per cube.
// solver_calls, patterns and clauses add up over the cubes that finished; vars is the largest.
synth_result synthesize_by_cubes(std::uint32_t inputs, const multi_truth_table& truth,
                                 const synth_params& p, std::uint32_t depth, const run_options& o);
// The tt method's cubes (provers/tt_cube_solver.hpp: the output's functions with --tt-cubes
// output, or its weight signs) as units: each rank, or each of `threads` threads in one process,
// keeps one solver warm across the cubes it takes. The first cube with a circuit ends the search
// (cubes in flight are cancelled); none needs every cube none; a cube left unknown leaves the
// answer unknown and is not recorded in the state file, so --resume asks it again, perhaps with
// more time. p.time_limit_s and p.conflicts apply per cube. The state also records how the
// question was split (TtCubeSolver::digest) and refuses another split. seconds: this run's cubes'
// CPU; cubes_resumed and resumed_seconds: the ones read from the state. The state's key is
// tt_units_key (o.key is not used), so the command line and Python resume each other's runs.
synth_result synthesize_tt_by_cubes(std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p, unsigned threads,
                                    const run_options& o);
// What names a tt question in a state file: digests of the function's tables and the care set,
// and every option that changes its cubes or their encoding (not the budgets, nor --jobs).
std::string tt_units_key(const multi_truth_table& truth, const synth_params& p);
// A cube depth that gives each rank about 4 cubes (0 for one process).
std::uint32_t default_cube_depth(std::uint32_t inputs);

}  // namespace tcx::dist
