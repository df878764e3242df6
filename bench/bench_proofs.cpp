// Solvers side by side and proof checking against solving, on DIMACS files (for instance the
// CNFs a `--proof-dir` run leaves): for each file, CryptoMiniSat's and CaDiCaL's solve times,
// CaDiCaL's time while tracing a binary DRAT proof, the proof's size, and tcx's checker's time.
//   bench_proofs FILE.cnf...
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "provers/drat/drat.hpp"
#include "provers/sat.hpp"

using namespace tcx;

static Cnf read_dimacs(const std::string& path) {
  std::ifstream in(path);
  Cnf cnf;  // variable 1 of a tcx CNF is the constant true: DIMACS variable v becomes v + 1
  std::string tok;
  std::vector<CnfLit> clause;
  std::uint32_t vars = 0;
  while (in >> tok) {
    if (tok == "c") {
      std::getline(in, tok);
      continue;
    }
    if (tok == "p") {
      std::string fmt;
      std::uint64_t n = 0;
      in >> fmt >> vars >> n;
      for (std::uint32_t v = 0; v < vars; ++v) cnf.new_var();
      continue;
    }
    const long l = std::stol(tok);
    if (l == 0) {
      cnf.add(clause);
      clause.clear();
    } else {
      clause.push_back(static_cast<CnfLit>(l > 0 ? l + 1 : l - 1));
    }
  }
  return cnf;
}

int main(int argc, char** argv) {
  std::printf("| query | vars | clauses | cms s | cadical s | cadical+DRAT s | proof KiB | lemmas (core) | check s | check / solve |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  const std::string tmp = (std::filesystem::temp_directory_path() / "bench_proofs").string();
  std::filesystem::create_directories(tmp);
  for (int a = 1; a < argc; ++a) {
    const Cnf cnf = read_dimacs(argv[a]);
    sat_params cms, cad, traced;
    cms.solver = sat_solver::cms;
    cad.solver = sat_solver::cadical;
    const sat_result rc = solve_cnf(cnf, cms), rd = solve_cnf(cnf, cad);
    traced.drat_path = tmp + "/p.drat";
    const sat_result rt = solve_cnf(cnf, traced);
    std::ofstream(tmp + "/p.cnf") << [&] {
      std::ostringstream s;
      write_dimacs(s, cnf);
      return s.str();
    }();
    const drat::check_result c = drat::check_files(tmp + "/p.cnf", traced.drat_path);
    const double check = c.parse_seconds + c.check_seconds;
    std::printf("| %s | %u | %llu | %.3f | %.3f | %.3f | %.1f | %llu (%llu) | %.3f%s | %.2f |\n",
                std::filesystem::path(argv[a]).stem().c_str(), cnf.num_vars(), static_cast<unsigned long long>(cnf.num_clauses()),
                rc.seconds, rd.seconds, rt.seconds, static_cast<double>(c.proof_bytes) / 1024.0,
                static_cast<unsigned long long>(c.lemmas), static_cast<unsigned long long>(c.core_lemmas), check,
                rt.answer != sat_result::unsat ? " (not unsat)" : c.verdict == drat::check_result::verified ? "" : " REJECTED",
                check / std::max(rt.seconds, 1e-6));
  }
  std::filesystem::remove_all(tmp);
}
