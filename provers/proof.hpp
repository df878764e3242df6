#pragma once
// Certificates of UNSAT answers: the CNF of the question in DIMACS and CaDiCaL's DRAT proof of
// it, written to files and, when asked, checked by the independent checker (provers/drat, which
// shares no code with the encoders or the solver glue).
#include <cstdint>
#include <string>
#include <vector>

#include "provers/cnf.hpp"
#include "provers/sat.hpp"

namespace tcx {

struct proof_params {
  std::string file;      // one question: the DRAT proof here and the CNF at file + ".cnf"
  std::string dir;       // many questions: dir/QUERY.cnf and dir/QUERY.drat (dir made if missing)
  bool certify = false;  // check each proof before the answer counts as proven (temporary files
                         // when neither file nor dir is given)
  bool binary = true;    // binary DRAT, else text
  bool force = false;    // replace existing files
  double check_time_limit_s = 0;  // the checker's budget per proof (0: none)
  bool wanted() const { return !file.empty() || !dir.empty() || certify; }
};

struct proof_record {
  std::string query;
  std::string cnf_path, drat_path;  // empty when the files were temporary (removed after checking)
  bool unsat = false;               // CaDiCaL answered UNSAT while tracing
  bool checked = false, verified = false;
  std::string message;              // the checker's verdict, or why there is no proof
  std::uint64_t proof_bytes = 0, lemmas = 0, core_lemmas = 0;
  double solve_seconds = 0, check_seconds = 0;
};

// A query name as a file name: letters, digits, '.', '_' and '-' kept, anything else '_'.
std::string proof_file_stem(const std::string& query);

// Whether the cubes (each a conjunction of literals) cover every assignment: their disjunction is
// a tautology. Decided exactly by splitting on the cubes' variables (every branch ends in a cube
// it satisfies, or in no cube left: then `why` gets that uncovered assignment). `joins`, when
// given and the cubes cover, receives the clauses that take the clauses "not cube" to the empty
// clause: "not this branch" for every split branch no cube settles, deepest first, each RUP from
// its two halves, the empty clause (the root) last. With `cover`, clauses of the CNF the cubes
// split: the disjunction need only follow from them, by unit propagation on each branch no cube
// is left on (the cubes on the output's function: a table no cube lists is refuted by the
// clauses saying it is positive and regular), so each join is still RUP from the CNF.
bool cubes_cover(const std::vector<std::vector<CnfLit>>& cubes, std::string* why = nullptr,
                 std::vector<std::vector<CnfLit>>* joins = nullptr, const Cnf* cover = nullptr);

// Solves `cnf` from scratch with CaDiCaL tracing DRAT (no assumptions) under sp's budget and, on
// UNSAT, keeps the CNF and proof; with pp.certify checks them. A proof the checker rejects throws
// certification_error. Other answers leave no files (the caller decides what a SAT answer here
// means). `result` receives the solver's answer.
// With `cubes` (they must cover every assignment, else certification_error), one solver refutes them one after
// another and the one proof joins them up (solve_cubes_traced): a proof of `cnf` itself, the
// cubes only a way to find it. sp.time_limit_s is then the budget of all the cubes together.
proof_record prove_unsat(const Cnf& cnf, const std::string& query, const proof_params& pp, const sat_params& sp,
                         sat_result* result = nullptr, const std::vector<std::vector<CnfLit>>& cubes = {},
                         const Cnf* cover = nullptr);

}  // namespace tcx
