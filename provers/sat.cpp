#include "provers/sat.hpp"

#include <cadical.hpp>
#include <cryptominisat5/cryptominisat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <climits>
#include <ctime>

#include "circuits/interrupt.hpp"

namespace tcx {

const char* sat_solver_name(sat_solver s) { return s == sat_solver::cms ? "cms" : "cadical"; }

sat_solver parse_sat_solver(const std::string& name) {
  if (name == "cms") return sat_solver::cms;
  if (name == "cadical") return sat_solver::cadical;
  throw std::invalid_argument("unknown SAT solver '" + name + "' (cms or cadical)");
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

namespace {

// A model must satisfy every clause and assumption; anything else is a solver or glue bug.
void check_model(const Cnf& cnf, const sat_result& r, std::span<const CnfLit> assumptions, const char* solver,
                 const std::string& query) {
  bool clause_sat = false;
  for (CnfLit l : cnf.literals()) {
    if (l == 0) {
      if (!clause_sat)
        throw certification_error(std::string("internal error: ") + solver + "'s model does not satisfy the CNF" +
                                  (query.empty() ? "" : " of " + query));
      clause_sat = false;
    } else if (r.value(l)) {
      clause_sat = true;
    }
  }
  for (CnfLit l : assumptions)
    if (!r.value(l))
      throw certification_error(std::string("internal error: ") + solver + "'s model violates an assumption" +
                                (query.empty() ? "" : " of " + query));
}

// ---- CryptoMiniSat ----

CMSat::Lit to_cms(CnfLit l) { return CMSat::Lit(static_cast<std::uint32_t>((l > 0 ? l : -l) - 1), l < 0); }

struct Cms {
  CMSat::SATSolver solver;
  std::uint32_t vars = 0;
  std::size_t from = 0;

  void budget(double seconds, std::uint64_t conflicts) {
    solver.set_max_time(seconds > 0 ? seconds : 1e12);
    solver.set_max_confl(conflicts > 0 ? conflicts : UINT64_MAX / 2);
  }
  // Adds clauses [from, end) of the CNF's literal array and any new variables.
  void feed(const Cnf& cnf) {
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
  sat_result solve(const Cnf& cnf, std::span<const CnfLit> assumptions) {
    feed(cnf);
    std::vector<CMSat::Lit> assume;
    for (CnfLit l : assumptions) assume.push_back(to_cms(l));
    sat_result out;
    // A front end's interrupt (circuits/interrupt.hpp) stops the solver: the answer is unknown.
    if (interrupted()) return out;
    const InterruptHook hook([this] { solver.interrupt_asap(); });
    const CMSat::lbool r = interrupted() ? CMSat::l_Undef : solver.solve(assume.empty() ? nullptr : &assume);
    if (r == CMSat::l_True) {
      out.answer = sat_result::sat;
      const auto& m = solver.get_model();
      out.model.assign(cnf.num_vars() + 1, false);
      for (std::uint32_t v = 0; v < cnf.num_vars(); ++v) out.model[v + 1] = m[v] == CMSat::l_True;
    } else if (r == CMSat::l_False) {
      out.answer = sat_result::unsat;
    }
    return out;
  }
};

// ---- CaDiCaL ----

// Stops a solve when the thread's CPU time passes a deadline (CaDiCaL has no time limit of its own),
// or on a front end's interrupt (circuits/interrupt.hpp).
struct Deadline : CaDiCaL::Terminator {
  double at = 0;  // thread CPU seconds; 0: none
  std::function<bool()> stop;  // IncrementalSat::set_stop
  bool terminate() override { return interrupted() || (at > 0 && thread_cpu_seconds() >= at) || (stop && stop()); }
};

struct Cadical {
  CaDiCaL::Solver solver;
  Deadline deadline;
  double seconds = 0;
  std::uint64_t conflicts = 0;
  std::size_t from = 0;
  bool tracing = false;

  Cadical() {
    solver.set("quiet", 1);  // the library would print proof-file notes on stdout
    solver.connect_terminator(&deadline);
  }
  ~Cadical() { solver.disconnect_terminator(); }
  // Must come before any clause (CaDiCaL traces only from its configuring state).
  void trace(const std::string& path, bool binary) {
    solver.set("binary", binary ? 1 : 0);
    if (!solver.trace_proof(path.c_str())) throw std::runtime_error("cannot write the proof file " + path);
    tracing = true;
  }
  // The same into a stream the caller owns (and closes), so that it can add lines of its own
  // between calls: CaDiCaL writes into the stream itself, so the order stays.
  void trace(std::FILE* file, const std::string& name, bool binary) {
    solver.set("binary", binary ? 1 : 0);
    if (!solver.trace_proof(file, name.c_str())) throw std::runtime_error("cannot write the proof file " + name);
    tracing = true;
  }
  void budget(double s, std::uint64_t c) {
    seconds = s;
    conflicts = c;
  }
  void feed(const Cnf& cnf) {
    const auto& lits = cnf.literals();
    for (; from < lits.size(); ++from) solver.add(lits[from]);
    if (cnf.num_vars() > 0) solver.reserve(static_cast<int>(cnf.num_vars()));
  }
  sat_result solve(const Cnf& cnf, std::span<const CnfLit> assumptions) {
    feed(cnf);
    for (CnfLit l : assumptions) solver.assume(l);
    if (conflicts > 0) solver.limit("conflicts", conflicts > INT_MAX ? INT_MAX : static_cast<int>(conflicts));
    deadline.at = seconds > 0 ? thread_cpu_seconds() + seconds : 0;
    const int r = solver.solve();
    sat_result out;
    if (r == 10) {
      out.answer = sat_result::sat;
      out.model.assign(cnf.num_vars() + 1, false);
      for (std::uint32_t v = 1; v <= cnf.num_vars(); ++v) out.model[v] = solver.val(static_cast<int>(v)) > 0;
    } else if (r == 20) {
      out.answer = sat_result::unsat;
    }
    if (tracing) solver.flush_proof_trace();
    return out;
  }
};

// Both answers known and opposite: stop.
void compare(const sat_result& a, const sat_result& b, const std::string& query) {
  if (a.answer == sat_result::unknown || b.answer == sat_result::unknown || a.answer == b.answer) return;
  throw certification_error("internal error: the SAT solvers disagree on " + (query.empty() ? std::string("a query") : query) +
                            ": cms says " + (a.answer == sat_result::sat ? "sat" : "unsat") + ", cadical says " +
                            (b.answer == sat_result::sat ? "sat" : "unsat"));
}

}  // namespace

sat_result solve_cnf(const Cnf& cnf, const sat_params& p, std::span<const CnfLit> assumptions) {
  const auto t0 = std::chrono::steady_clock::now();
  const bool use_cms = p.drat_path.empty() && (p.solver == sat_solver::cms || p.cross_check);
  const bool use_cadical = !p.drat_path.empty() || p.solver == sat_solver::cadical || p.cross_check;
  sat_result a, b;
  if (use_cms) {
    Cms s;
    if (p.threads > 1) s.solver.set_num_threads(p.threads);  // before any variable
    s.budget(p.time_limit_s, p.conflicts);
    a = s.solve(cnf, assumptions);
    if (a.answer == sat_result::sat) check_model(cnf, a, assumptions, "cms", p.query);
  }
  if (use_cadical) {
    Cadical s;
    if (!p.drat_path.empty()) s.trace(p.drat_path, p.drat_binary);
    s.budget(p.time_limit_s, p.conflicts);
    b = s.solve(cnf, assumptions);
    if (b.answer == sat_result::sat) check_model(cnf, b, assumptions, "cadical", p.query);
  }
  if (p.cross_check) {
    if (!use_cms) {  // the traced CaDiCaL run is checked against CryptoMiniSat too
      Cms s;
      s.budget(p.time_limit_s, p.conflicts);
      a = s.solve(cnf, assumptions);
      if (a.answer == sat_result::sat) check_model(cnf, a, assumptions, "cms", p.query);
    }
    compare(a, b, p.query);
  }
  const bool cadical_first = !p.drat_path.empty() || p.solver == sat_solver::cadical;
  sat_result out = cadical_first ? b : a;
  // The other solver's answer stands in for an unknown, except where a proof was asked for.
  if (out.answer == sat_result::unknown && p.cross_check && p.drat_path.empty()) out = cadical_first ? a : b;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

namespace {

// One lemma line of a DRAT proof: binary ('a', then each literal as 2v + sign in 7-bit groups,
// 0 ends) or text. Write errors show in ferror (checked once at the end).
void write_lemma(std::FILE* f, std::span<const CnfLit> clause, bool binary) {
  if (!binary) {
    for (CnfLit l : clause) std::fprintf(f, "%d ", l);
    std::fputs("0\n", f);
    return;
  }
  std::fputc('a', f);
  for (CnfLit l : clause) {
    std::uint64_t u = 2 * static_cast<std::uint64_t>(l > 0 ? l : -l) + (l < 0);
    while (u > 127) {
      std::fputc(static_cast<int>((u & 127) | 128), f);
      u >>= 7;
    }
    std::fputc(static_cast<int>(u), f);
  }
  std::fputc(0, f);
}

}  // namespace

sat_result solve_cubes_traced(const Cnf& cnf, std::span<const std::vector<CnfLit>> cubes,
                              std::span<const std::vector<CnfLit>> joins, const sat_params& p) {
  if (p.drat_path.empty()) throw std::invalid_argument("solve_cubes_traced: no proof file");
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = thread_cpu_seconds();
  struct Closer {
    std::FILE* f;
    ~Closer() {
      if (f) std::fclose(f);
    }
  } file{std::fopen(p.drat_path.c_str(), "wb")};
  if (!file.f) throw std::runtime_error("cannot write the proof file " + p.drat_path);
  sat_result out;
  {
    Cadical s;
    s.trace(file.f, p.drat_path, p.drat_binary);
    s.feed(cnf);
    // Assumed variables stay out of variable elimination: no clause is ever restored (which the
    // proof would have to justify).
    for (const auto& c : cubes)
      for (CnfLit l : c) s.solver.freeze(l > 0 ? l : -l);
    bool all = true;
    for (const auto& c : cubes) {
      double left = 0;
      if (p.time_limit_s > 0 && (left = p.time_limit_s - (thread_cpu_seconds() - c0)) <= 0) {
        all = false;
        break;
      }
      s.budget(left, p.conflicts);
      const sat_result r = s.solve(cnf, c);
      if (r.answer == sat_result::sat) check_model(cnf, r, c, "cadical", p.query);
      if (r.answer != sat_result::unsat) {
        out = r;
        all = false;
        break;
      }
      // Refuted under the cube: the clause "not this cube" is RUP now (setting the cube's literals
      // propagates, over the clauses the solver holds, to the conflict it found).
      std::vector<CnfLit> no;
      for (CnfLit l : c) no.push_back(-l);
      // (A cube with x and -x: its clause is a tautology, needed by no join, left out.)
      const bool tautology = std::any_of(no.begin(), no.end(), [&](CnfLit l) { return std::find(no.begin(), no.end(), -l) != no.end(); });
      if (!tautology) write_lemma(file.f, no, p.drat_binary);
    }
    if (all) {
      out.answer = sat_result::unsat;
      for (const auto& j : joins) write_lemma(file.f, j, p.drat_binary);
    }
  }  // the solver leaves the stream open (it is ours)
  if (std::fflush(file.f) != 0 || std::ferror(file.f)) throw std::runtime_error("cannot write the proof file " + p.drat_path);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

struct IncrementalSat::Impl {
  sat_params p;
  std::unique_ptr<Cms> cms;
  std::unique_ptr<Cadical> cadical;
};

IncrementalSat::IncrementalSat() : IncrementalSat(sat_params{}) {}

IncrementalSat::IncrementalSat(const sat_params& p) : impl_(std::make_unique<Impl>()) {
  impl_->p = p;
  if (p.solver == sat_solver::cms || p.cross_check) impl_->cms = std::make_unique<Cms>();
  if (p.solver == sat_solver::cadical || p.cross_check) {
    impl_->cadical = std::make_unique<Cadical>();
    // The counterexample loop's calls are mostly satisfiable: CaDiCaL's stable mode alone (no
    // switching to focused mode) finds those models several times faster (docs/perf.md).
    if (p.cadical_stable_only) impl_->cadical->solver.set("stabilizeonly", 1);
  }
  set_budget(p.time_limit_s, p.conflicts);
}

IncrementalSat::~IncrementalSat() = default;

void IncrementalSat::set_budget(double seconds, std::uint64_t conflicts) {
  if (impl_->cms) impl_->cms->budget(seconds, conflicts);
  if (impl_->cadical) impl_->cadical->budget(seconds, conflicts);
}

void IncrementalSat::set_stop(std::function<bool()> stop) {
  if (impl_->cadical) impl_->cadical->deadline.stop = std::move(stop);
}

sat_result IncrementalSat::solve(const Cnf& cnf, std::span<const CnfLit> assumptions) {
  const auto t0 = std::chrono::steady_clock::now();
  sat_result a, b;
  if (impl_->cms) {
    a = impl_->cms->solve(cnf, assumptions);
    if (a.answer == sat_result::sat) check_model(cnf, a, assumptions, "cms", impl_->p.query);
  }
  if (impl_->cadical) {
    b = impl_->cadical->solve(cnf, assumptions);
    if (b.answer == sat_result::sat) check_model(cnf, b, assumptions, "cadical", impl_->p.query);
  }
  if (impl_->cms && impl_->cadical) compare(a, b, impl_->p.query);
  sat_result out = impl_->p.solver == sat_solver::cms ? a : b;
  if (out.answer == sat_result::unknown && impl_->cms && impl_->cadical) out = impl_->p.solver == sat_solver::cms ? b : a;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace tcx
