#pragma once
// The options every SAT-backed command shares: which solver, cross-checking, proofs, certification.
#include <CLI/CLI.hpp>

#include <string>

#include "provers/proof.hpp"
#include "provers/sat.hpp"

namespace tcx::cli {

struct SatOptions {
  std::string solver = sat_solver_name(default_sat_solver);
  bool cross_check = false, certify = false, text_proof = false, force = false;
  std::string proof_file, proof_dir;

  sat_solver chosen() const { return parse_sat_solver(solver); }
  proof_params proof() const {
    proof_params p;
    p.file = proof_file;
    p.dir = proof_dir;
    p.certify = certify;
    p.binary = !text_proof;
    p.force = force;
    return p;
  }
};

// many_queries: --proof-dir DIR (one CNF and proof per UNSAT query), else --proof FILE.
// with_force: the command has no --force of its own, so this adds one for the proof files.
inline void add_sat_options(CLI::App& cmd, SatOptions& o, bool many_queries, bool with_force) {
  cmd.add_option("--solver", o.solver, std::string("SAT solver: cms (CryptoMiniSat) or cadical (CaDiCaL; default ") +
                                           sat_solver_name(default_sat_solver) + ")")
      ->check(CLI::IsMember({"cms", "cadical"}));
  cmd.add_flag("--cross-check", o.cross_check,
               "ask both solvers every query; if they disagree, stop with an internal error naming the query (exit 4)");
  if (many_queries)
    cmd.add_option("--proof-dir", o.proof_dir,
                   "write QUERY.cnf and QUERY.drat (CaDiCaL's DRAT proof) here for every UNSAT query the answer rests on");
  else
    cmd.add_option("--proof", o.proof_file, "on UNSAT, write CaDiCaL's DRAT proof to FILE and the CNF it refutes to FILE.cnf");
  cmd.add_flag("--certify", o.certify,
               "check every DRAT proof with tcx's own checker before an answer is printed as proven (it then says certified)");
  cmd.add_flag("--text-proof", o.text_proof, "write DRAT proofs as text (default: binary DRAT)");
  if (with_force) cmd.add_flag("--force", o.force, "replace existing proof files");
}

}  // namespace tcx::cli
