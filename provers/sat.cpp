#include "provers/sat.hpp"

#include <cryptominisat5/cryptominisat.h>

#include <chrono>

#include "circuits/interrupt.hpp"

namespace tcx {

namespace {
CMSat::Lit to_cms(CnfLit l) { return CMSat::Lit(static_cast<std::uint32_t>((l > 0 ? l : -l) - 1), l < 0); }

// Adds clauses [from, end) of the CNF's literal array and any new variables.
void feed(CMSat::SATSolver& solver, const Cnf& cnf, std::uint32_t& vars, std::size_t& from) {
  if (cnf.num_vars() > vars) {
    solver.new_vars(cnf.num_vars() - vars);
    vars = cnf.num_vars();
  }
  std::vector<CMSat::Lit> clause;
  const auto& lits = cnf.literals();
  for (; from < lits.size(); ++from) {
    if (lits[from] != 0) {
      clause.push_back(to_cms(lits[from]));
      continue;
    }
    solver.add_clause(clause);
    clause.clear();
  }
}

sat_result run(CMSat::SATSolver& solver, const Cnf& cnf, std::span<const CnfLit> assumptions,
               std::chrono::steady_clock::time_point t0) {
  std::vector<CMSat::Lit> assume;
  for (CnfLit l : assumptions) assume.push_back(to_cms(l));
  sat_result out;
  // A front end's interrupt (circuits/interrupt.hpp) stops the solver: the answer is unknown.
  if (interrupted()) return out;
  const InterruptHook hook([&solver] { solver.interrupt_asap(); });
  const CMSat::lbool r = interrupted() ? CMSat::l_Undef : solver.solve(assume.empty() ? nullptr : &assume);
  if (r == CMSat::l_True) {
    out.answer = sat_result::sat;
    const auto& m = solver.get_model();
    out.model.assign(cnf.num_vars() + 1, false);
    for (std::uint32_t v = 0; v < cnf.num_vars(); ++v) out.model[v + 1] = m[v] == CMSat::l_True;
  } else if (r == CMSat::l_False) {
    out.answer = sat_result::unsat;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace

sat_result solve_cnf(const Cnf& cnf, const sat_params& p, std::span<const CnfLit> assumptions) {
  const auto t0 = std::chrono::steady_clock::now();
  CMSat::SATSolver solver;
  if (p.threads > 1) solver.set_num_threads(p.threads);  // before any variable
  if (p.time_limit_s > 0) solver.set_max_time(p.time_limit_s);
  if (p.conflicts > 0) solver.set_max_confl(p.conflicts);
  std::uint32_t vars = 0;
  std::size_t from = 0;
  feed(solver, cnf, vars, from);
  return run(solver, cnf, assumptions, t0);
}

struct IncrementalSat::Impl {
  CMSat::SATSolver solver;
  std::uint32_t vars = 0;
  std::size_t from = 0;
};

IncrementalSat::IncrementalSat() : impl_(std::make_unique<Impl>()) {}
IncrementalSat::~IncrementalSat() = default;

void IncrementalSat::set_budget(double seconds, std::uint64_t conflicts) {
  impl_->solver.set_max_time(seconds > 0 ? seconds : 1e12);
  impl_->solver.set_max_confl(conflicts > 0 ? conflicts : UINT64_MAX / 2);
}

sat_result IncrementalSat::solve(const Cnf& cnf, std::span<const CnfLit> assumptions) {
  const auto t0 = std::chrono::steady_clock::now();
  feed(impl_->solver, cnf, impl_->vars, impl_->from);
  return run(impl_->solver, cnf, assumptions, t0);
}

}  // namespace tcx
