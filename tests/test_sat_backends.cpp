// The two SAT solvers behind provers/sat.hpp against each other, and certified answers end to end:
// proofs from synthesis and the frontier checked by the independent checker.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "provers/drat/drat.hpp"
#include "provers/equiv.hpp"
#include "provers/synth.hpp"

using namespace tcx;

namespace {

Cnf random_3sat(std::mt19937& rng, int vars, int clauses) {
  Cnf f;
  std::vector<CnfLit> x;
  for (int i = 0; i < vars; ++i) x.push_back(f.new_var());
  for (int c = 0; c < clauses; ++c) {
    std::vector<CnfLit> clause;
    for (int k = 0; k < 3; ++k) clause.push_back((rng() & 1) ? x[rng() % vars] : -x[rng() % vars]);
    f.add(clause);
  }
  return f;
}

// Whether a model satisfies every clause, checked here apart from the solver glue.
bool satisfies(const Cnf& cnf, const sat_result& r) {
  bool any = false;
  for (CnfLit l : cnf.literals()) {
    if (l == 0) {
      if (!any) return false;
      any = false;
    } else if (r.value(l)) {
      any = true;
    }
  }
  return true;
}

multi_truth_table parity_table(std::uint32_t n) {
  return {make_truth_table(n, [](std::uint64_t p) { return __builtin_popcountll(p) & 1u; })};
}

}  // namespace

TEST_CASE("cms and cadical agree on random 3-SAT at the threshold; models satisfy the CNF", "[sat]") {
  std::mt19937 rng(11);
  int sat = 0, unsat = 0;
  for (int t = 0; t < 40; ++t) {
    const Cnf f = random_3sat(rng, 60, 256);  // ratio 4.27
    sat_params a, b;
    a.solver = sat_solver::cms;
    b.solver = sat_solver::cadical;
    const sat_result ra = solve_cnf(f, a), rb = solve_cnf(f, b);
    REQUIRE(ra.answer != sat_result::unknown);
    CHECK(ra.answer == rb.answer);
    if (ra.answer == sat_result::sat) {
      ++sat;
      CHECK(satisfies(f, ra));
      CHECK(satisfies(f, rb));
    } else {
      ++unsat;
      // The unsat ones with a proof that the checker verifies.
      sat_params c = b;
      c.drat_path = (std::filesystem::temp_directory_path() / "tcx-test-3sat.drat").string();
      REQUIRE(solve_cnf(f, c).answer == sat_result::unsat);
      std::ostringstream cnf;
      write_dimacs(cnf, f);
      std::ifstream in(c.drat_path, std::ios::binary);
      const std::string proof{std::istreambuf_iterator<char>(in), {}};
      CHECK(drat::check(cnf.str(), proof).verdict == drat::check_result::verified);
      std::filesystem::remove(c.drat_path);
    }
    // Cross-checking asks both and returns the common answer.
    sat_params x;
    x.cross_check = true;
    CHECK(solve_cnf(f, x).answer == ra.answer);
  }
  CHECK(sat > 5);
  CHECK(unsat > 5);
}

TEST_CASE("both solvers incrementally, with assumptions and budgets", "[sat]") {
  for (sat_solver s : {sat_solver::cms, sat_solver::cadical}) {
    INFO(sat_solver_name(s));
    sat_params p;
    p.solver = s;
    IncrementalSat inc(p);
    Cnf f;
    const CnfLit a = f.new_var(), b = f.new_var(), c = f.new_var();
    f.add({a, b});
    const std::vector<CnfLit> not_a{-a};
    sat_result r = inc.solve(f, not_a);
    REQUIRE(r.answer == sat_result::sat);
    CHECK(r.value(b));
    f.add({-b, c});
    f.add({-b, -c});
    CHECK(inc.solve(f, not_a).answer == sat_result::unsat);  // the CNF grew between calls
    r = inc.solve(f);
    REQUIRE(r.answer == sat_result::sat);
    CHECK(r.value(a));
    // A conflict budget of 1 on pigeonhole 9 cannot finish.
    Cnf php;
    std::vector<std::vector<CnfLit>> x(10);
    for (auto& row : x)
      for (int h = 0; h < 9; ++h) row.push_back(php.new_var());
    for (auto& row : x) php.add(row);
    for (int h = 0; h < 9; ++h)
      for (int i = 0; i < 10; ++i)
        for (int j = i + 1; j < 10; ++j) php.add({-x[i][h], -x[j][h]});
    IncrementalSat hard(p);
    hard.set_budget(0, 1);
    CHECK(hard.solve(php).answer == sat_result::unknown);
    sat_params q = p;
    q.time_limit_s = 0.05;
    CHECK(solve_cnf(php, q).answer == sat_result::unknown);
  }
  CHECK(parse_sat_solver("cms") == sat_solver::cms);
  CHECK_THROWS_AS(parse_sat_solver("minisat"), std::invalid_argument);
}

TEST_CASE("frontier cells: both solvers agree, and every proven cell is certified", "[sat][synth]") {
  for (std::uint32_t n : {2u, 3u}) {
    INFO("parity n = " << n);
    frontier_params fp;
    fp.max_depth = 3;
    fp.max_gates = 4;
    fp.method = synth_method::weights;  // the solver choice reaches the weights method only (tt always uses CaDiCaL)
    fp.solver = sat_solver::cms;
    const std::vector<frontier_cell> a = frontier(n, parity_table(n), fp);
    fp.solver = sat_solver::cadical;
    fp.proof.certify = true;
    const std::vector<frontier_cell> b = frontier(n, parity_table(n), fp);
    REQUIRE(a.size() == b.size());
    for (std::size_t d = 0; d < a.size(); ++d) {
      CHECK(frontier_cell_text(a[d]) == frontier_cell_text(b[d]));
      const bool proven = b[d].status == frontier_cell::proven_minimal || b[d].status == frontier_cell::none_within_budget;
      CHECK(b[d].certified == proven);
      CHECK(!a[d].certified);  // nothing asked, nothing claimed
    }
  }
}

TEST_CASE("synthesis proofs: the final question's CNF and DRAT files, verified by the checker", "[sat][synth]") {
  const std::string dir = (std::filesystem::temp_directory_path() / "tcx-test-synth-proofs").string();
  std::filesystem::remove_all(dir);
  synth_params p;
  p.shape.widths = {1};  // one gate cannot compute parity of 3
  p.shape.skip = true;
  p.proof.dir = dir;
  p.proof.certify = true;
  p.query = "parity3";
  const synth_result r = synthesize(3, parity_table(3), p);
  REQUIRE(r.answer == synth_result::unsat);
  CHECK(r.certified);
  REQUIRE(r.proofs.size() == 1);
  CHECK(r.proofs[0].verified);
  // The files left behind are checked again here, apart from the synthesis, in both formats.
  CHECK(drat::check_files(dir + "/parity3.cnf", dir + "/parity3.drat").verdict == drat::check_result::verified);
  // A second run refuses to overwrite them; text proofs with --force verify too.
  CHECK_THROWS(synthesize(3, parity_table(3), p));
  p.proof.force = true;
  p.proof.binary = false;
  const synth_result t = synthesize(3, parity_table(3), p);
  CHECK(t.certified);
  const drat::check_result text = drat::check_files(dir + "/parity3.cnf", dir + "/parity3.drat");
  CHECK(text.verdict == drat::check_result::verified);
  CHECK(!text.binary);
  std::filesystem::remove_all(dir);
  // Found circuits carry no proof (simulation verified them).
  p.shape.widths = {2, 1};
  p.proof = {};
  p.proof.certify = true;
  const synth_result s = synthesize(3, parity_table(3), p);
  CHECK(s.answer == synth_result::sat);
  CHECK(s.proofs.empty());
}
