#include "provers/sat.hpp"

#include <cryptominisat5/cryptominisat.h>

#include <chrono>

namespace tcx {

namespace {
CMSat::Lit to_cms(CnfLit l) { return CMSat::Lit(static_cast<std::uint32_t>((l > 0 ? l : -l) - 1), l < 0); }
}  // namespace

sat_result solve_cnf(const Cnf& cnf, const sat_params& p, std::span<const CnfLit> assumptions) {
  const auto t0 = std::chrono::steady_clock::now();
  CMSat::SATSolver solver;
  if (p.threads > 1) solver.set_num_threads(p.threads);  // before any variable
  if (p.time_limit_s > 0) solver.set_max_time(p.time_limit_s);
  if (p.conflicts > 0) solver.set_max_confl(p.conflicts);
  solver.new_vars(cnf.num_vars());
  std::vector<CMSat::Lit> clause;
  for (CnfLit l : cnf.literals()) {
    if (l != 0) {
      clause.push_back(to_cms(l));
      continue;
    }
    solver.add_clause(clause);
    clause.clear();
  }
  std::vector<CMSat::Lit> assume;
  for (CnfLit l : assumptions) assume.push_back(to_cms(l));
  const CMSat::lbool r = solver.solve(assume.empty() ? nullptr : &assume);
  sat_result out;
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

}  // namespace tcx
