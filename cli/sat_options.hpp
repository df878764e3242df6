#pragma once
// The options every SAT-backed command shares: which solver, cross-checking, proofs, certification.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <filesystem>
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

// --proof-dir is checked before any work (the directory itself is made at the first UNSAT answer,
// which may come after minutes, or never): an existing path must be a writable directory, a new
// one must have a writable directory as its nearest existing ancestor.
inline CLI::Validator proof_dir_check() {
  return CLI::Validator(
      [](std::string& dir) -> std::string {
        namespace fs = std::filesystem;
        std::error_code ec;
        fs::path p = fs::absolute(dir, ec);
        if (ec) return "cannot resolve " + dir;
        if (fs::exists(p, ec)) {
          if (!fs::is_directory(p, ec)) return dir + " exists and is not a directory";
          return access(p.c_str(), W_OK | X_OK) == 0 ? std::string() : dir + " is not writable";
        }
        for (fs::path a = p.parent_path(); !a.empty(); a = a.parent_path()) {
          if (fs::exists(a, ec)) {
            if (!fs::is_directory(a, ec)) return "cannot make " + dir + ": " + a.string() + " is not a directory";
            return access(a.c_str(), W_OK | X_OK) == 0 ? std::string() : "cannot make " + dir + ": " + a.string() + " is not writable";
          }
          if (a == a.parent_path()) break;
        }
        return std::string();
      },
      "DIR");
}

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
                   "write QUERY.cnf and QUERY.drat (CaDiCaL's DRAT proof) here for every UNSAT query the answer rests on")
        ->check(proof_dir_check());
  else
    cmd.add_option("--proof", o.proof_file, "on UNSAT, write CaDiCaL's DRAT proof to FILE and the CNF it refutes to FILE.cnf");
  cmd.add_flag("--certify", o.certify,
               "check every DRAT proof with tcx's own checker before an answer is printed as proven (it then says certified)");
  cmd.add_flag("--text-proof", o.text_proof, "write DRAT proofs as text (default: binary DRAT)");
  if (with_force) cmd.add_flag("--force", o.force, "replace existing proof files");
}

}  // namespace tcx::cli
