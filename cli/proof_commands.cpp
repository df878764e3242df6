// tcx check-proof: the independent DRAT checker (provers/drat) on a CNF and a proof.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/common.hpp"
#include "provers/drat/drat.hpp"

namespace tcx::cli {

void add_proof_commands(CLI::App& app) {
  struct Opts {
    std::string cnf, proof;
    double time_limit_s = 0;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand(
      "check-proof",
      "check a DRAT proof (text or binary, detected) that a DIMACS CNF is unsatisfiable, with tcx's own checker "
      "(backward, core-first, RUP and RAT; shares no code with tcx's encoders or solvers). Exit status: 0 verified, "
      "1 rejected (the first failing lemma is named), 2 usage or parse error, 3 time limit");
  cmd->add_option("cnf", o->cnf, "the CNF (DIMACS)")->required();
  cmd->add_option("proof", o->proof, "the DRAT proof")->required();
  cmd->add_option("--time-limit", o->time_limit_s, "seconds before giving up (0 = none)")->check(seconds_check());
  cmd->add_flag("--json", o->json, "print JSON");
  cmd->preparse_callback([](std::size_t) { error_status = 2; });
  cmd->callback([o] {
    drat::check_params p;
    p.time_limit_s = o->time_limit_s;
    const drat::check_result r = drat::check_files(o->cnf, o->proof, p);
    if (r.verdict == drat::check_result::error) throw std::invalid_argument(r.message);
    const char* verdict = r.verdict == drat::check_result::verified ? "verified"
                          : r.verdict == drat::check_result::rejected ? "rejected"
                                                                      : "timeout";
    if (o->json) {
      nlohmann::json j{{"verdict", verdict}, {"message", r.message}, {"format", r.binary ? "binary" : "text"},
                       {"variables", r.vars}, {"clauses", r.clauses}, {"lemmas", r.lemmas}, {"deletions", r.deletions},
                       {"core_lemmas", r.core_lemmas}, {"rat_lemmas", r.rat_lemmas}, {"ignored_deletions", r.ignored_deletions},
                       {"proof_bytes", r.proof_bytes}, {"parse_seconds", r.parse_seconds}, {"check_seconds", r.check_seconds}};
      if (r.verdict == drat::check_result::rejected && r.lemma) {
        j["lemma"] = r.lemma;
        j[r.binary ? "byte" : "line"] = r.where;
      }
      std::cout << j.dump(2) << "\n";
    } else if (r.verdict == drat::check_result::verified) {
      std::cout << fmt::format("verified: {} is unsatisfiable ({} proof, {} bytes: {} lemmas, {} of them in the core and checked, "
                               "{} by RAT; {} deletions, {} ignored; read {:.3f} s, checked {:.3f} s)\n",
                               o->cnf, r.binary ? "binary" : "text", r.proof_bytes, r.lemmas, r.core_lemmas, r.rat_lemmas,
                               r.deletions, r.ignored_deletions, r.parse_seconds, r.check_seconds);
    } else {
      std::cout << verdict << ": " << r.message << "\n";
    }
    throw Exit{r.verdict == drat::check_result::verified ? 0 : r.verdict == drat::check_result::rejected ? 1 : 3};
  });
}

}  // namespace tcx::cli
