#pragma once
// One SAT call with a budget: sat (with a model), unsat, or unknown. Two solvers behind the same
// calls: CryptoMiniSat 5 and CaDiCaL 1.5 (the only one that writes DRAT proofs). Every model is
// checked against the CNF before it is returned.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "provers/cnf.hpp"

namespace tcx {

enum class sat_solver { cms, cadical };
const char* sat_solver_name(sat_solver s);              // "cms", "cadical"
sat_solver parse_sat_solver(const std::string& name);   // std::invalid_argument otherwise
// The default of every SAT-backed command (chosen from the figures in docs/perf.md).
constexpr sat_solver default_sat_solver = sat_solver::cms;

struct sat_params {
  double time_limit_s = 0;      // 0: none (CPU seconds of the solving thread)
  std::uint64_t conflicts = 0;  // 0: none
  unsigned threads = 1;         // CryptoMiniSat only
  sat_solver solver = default_sat_solver;
  // Ask both solvers; if one says sat and the other unsat, throw certification_error naming `query`.
  bool cross_check = false;
  // Non-empty: CaDiCaL solves (whatever `solver` says) and writes a DRAT proof of an UNSAT
  // answer to this file (binary DRAT unless drat_binary is false).
  std::string drat_path;
  bool drat_binary = true;
  std::string query;            // names the question in error messages
  // IncrementalSat's CaDiCaL: stable mode only. Counterexample loops ask mostly satisfiable
  // questions, found several times faster so (docs/perf.md); loops whose calls are as often
  // unsat (synthesis by truth tables) keep CaDiCaL's default switching.
  bool cadical_stable_only = true;
};

// CPU seconds of the calling thread: what SAT budgets count (the work done, not the wait on a
// busy machine), as CryptoMiniSat's own time limit does.
double thread_cpu_seconds();

struct sat_result {
  enum Answer { sat, unsat, unknown } answer = unknown;
  std::vector<bool> model;  // model[v] for variables 1..num_vars (index 0 unused)
  double seconds = 0;
  bool value(CnfLit l) const { return l > 0 ? model[static_cast<std::size_t>(l)] : !model[static_cast<std::size_t>(-l)]; }
};

// A claim tcx cannot stand behind: two solvers disagree, a model does not satisfy its CNF, or the
// independent checker rejects a proof. The front end reports it as an internal error (exit 4).
struct certification_error : std::logic_error {
  using std::logic_error::logic_error;
};

sat_result solve_cnf(const Cnf& cnf, const sat_params& p = {}, std::span<const CnfLit> assumptions = {});

// Refutes `cnf` cube by cube (each cube an assumption list) with one CaDiCaL that keeps its learned
// clauses, tracing a single DRAT proof to p.drat_path (required; binary unless p.drat_binary is
// false). After each refuted cube the proof gets the clause "not this cube" (RUP at that point);
// once every cube is refuted, the clauses `joins` (cubes_cover in proof.hpp makes them: each RUP
// from the ones before, the empty clause last), so the proof refutes `cnf` itself if the cubes
// cover every assignment. unsat: every cube refuted. sat: a model in some cube (checked against
// the CNF and that cube). unknown: p.time_limit_s (CPU seconds for all cubes) or p.conflicts (per
// cube) ran out. The file is left for the caller.
sat_result solve_cubes_traced(const Cnf& cnf, std::span<const std::vector<CnfLit>> cubes,
                              std::span<const std::vector<CnfLit>> joins, const sat_params& p);

// One solver kept across calls (learned clauses stay): each solve() first adds what the CNF
// gained since the last call. The CNF may only grow.
class IncrementalSat {
public:
  IncrementalSat();  // the default solver, no budget
  // p.solver and p.cross_check choose the solvers (both with cross_check); the budget comes
  // from p.time_limit_s / p.conflicts until set_budget changes it. No proofs here: a proof is
  // traced by one fresh solver over the final question (provers/proof.hpp).
  explicit IncrementalSat(const sat_params& p);
  ~IncrementalSat();
  // The budget of the next calls: CPU seconds and conflicts per call (0: none).
  void set_budget(double seconds, std::uint64_t conflicts);
  // Another reason to stop a running call (an answer found elsewhere, a budget shared by several
  // threads): polled with the time budget while CaDiCaL solves; true makes the call unknown.
  // CaDiCaL only (CryptoMiniSat's calls do not poll it); empty: none.
  void set_stop(std::function<bool()> stop);
  sat_result solve(const Cnf& cnf, std::span<const CnfLit> assumptions = {});

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcx
