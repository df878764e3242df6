// The independent DRAT checker (provers/drat): proofs of known UNSAT families verified, and every
// kind of broken proof rejected.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "provers/cnf.hpp"
#include "provers/drat/drat.hpp"
#include "provers/sat.hpp"

namespace {

using namespace tcx;
namespace fs = std::filesystem;

std::string dimacs(const Cnf& cnf) {
  std::ostringstream s;
  write_dimacs(s, cnf);
  return s.str();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string temp_file(const std::string& name) { return (fs::temp_directory_path() / ("tcx-test-drat-" + name)).string(); }

// CaDiCaL's DRAT proof of an UNSAT CNF (text or binary).
std::string cadical_proof(const Cnf& cnf, bool binary, const std::string& name) {
  sat_params p;
  p.drat_path = temp_file(name);
  p.drat_binary = binary;
  const sat_result r = solve_cnf(cnf, p);
  REQUIRE(r.answer == sat_result::unsat);
  std::string proof = slurp(p.drat_path);
  fs::remove(p.drat_path);
  return proof;
}

drat::check_result check(const Cnf& cnf, const std::string& proof) { return drat::check(dimacs(cnf), proof); }
drat::check_result check(const std::string& cnf, const std::string& proof) { return drat::check(cnf, proof); }

// n + 1 pigeons in n holes.
Cnf pigeonhole(int n) {
  Cnf cnf;
  std::vector<std::vector<CnfLit>> x(n + 1);
  for (auto& row : x)
    for (int h = 0; h < n; ++h) row.push_back(cnf.new_var());
  for (auto& row : x) cnf.add(row);
  for (int h = 0; h < n; ++h)
    for (int p = 0; p <= n; ++p)
      for (int q = p + 1; q <= n; ++q) cnf.add({-x[p][h], -x[q][h]});
  return cnf;
}

// Tseitin's parity formula of a graph: a variable per edge, every vertex's edges XOR to its
// charge. Unsatisfiable exactly when the total charge is odd (each edge counts twice).
Cnf tseitin(int vertices, const std::vector<std::pair<int, int>>& edges, const std::vector<int>& charge) {
  Cnf cnf;
  std::vector<CnfLit> e;
  for (std::size_t k = 0; k < edges.size(); ++k) e.push_back(cnf.new_var());
  for (int v = 0; v < vertices; ++v) {
    std::vector<CnfLit> inc;
    for (std::size_t k = 0; k < edges.size(); ++k)
      if (edges[k].first == v || edges[k].second == v) inc.push_back(e[k]);
    // Forbid every assignment of the incident edges with the wrong parity.
    for (std::uint32_t m = 0; m < (1u << inc.size()); ++m) {
      if (__builtin_popcount(m) % 2 == charge[v]) continue;
      std::vector<CnfLit> clause;
      for (std::size_t i = 0; i < inc.size(); ++i) clause.push_back(((m >> i) & 1u) ? -inc[i] : inc[i]);
      cnf.add(clause);
    }
  }
  return cnf;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}
std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

}  // namespace

TEST_CASE("checker: small proofs with known verdicts", "[drat]") {
  // (1 2)(1 -2) force 1; under 1 the rest is the four clauses over 3, 4: needs lemma 1, then 3.
  const std::string cnf = "p cnf 4 6\n1 2 0\n1 -2 0\n-1 3 4 0\n-1 3 -4 0\n-1 -3 4 0\n-1 -3 -4 0\n";
  CHECK(check(cnf, "1 0\n3 0\n0\n").verdict == drat::check_result::verified);
  CHECK(check(cnf, "1 0\nd 1 2 0\n3 0\n0\n").verdict == drat::check_result::verified);
  // Dropped lemma: without unit 1 the empty clause (lemma 2, line 2: lemmas are checked newest
  // first) has no conflict to stand on.
  const drat::check_result dropped = check(cnf, "3 0\n0\n");
  CHECK(dropped.verdict == drat::check_result::rejected);
  CHECK(dropped.lemma == 2);
  CHECK(dropped.where == 2);
  // ("3" before "1" is RAT on 3: both resolvents, with -1 -3 4 and -1 -3 -4, are RUP.)
  const drat::check_result rat = check(cnf, "3 0\n1 0\n0\n");
  CHECK(rat.verdict == drat::check_result::verified);
  CHECK(rat.rat_lemmas == 1);
  // Flipped literal: "-1" is neither RUP nor RAT.
  const drat::check_result flipped = check(cnf, "-1 0\n3 0\n0\n");
  CHECK(flipped.verdict == drat::check_result::rejected);
  CHECK(flipped.lemma == 1);
  // Truncated: no conflict is ever reached.
  CHECK(check(cnf, "1 0\n").verdict == drat::check_result::rejected);
  CHECK(check(cnf, "").verdict == drat::check_result::rejected);
  CHECK(check(cnf, "1 0\n3").verdict == drat::check_result::rejected);
  // The empty clause claimed without support.
  CHECK(check(cnf, "0\n").verdict == drat::check_result::rejected);
  // A CNF refuted by unit propagation needs no lemma; one with the empty clause neither.
  CHECK(check("p cnf 1 2\n1 0\n-1 0\n", "").verdict == drat::check_result::verified);
  CHECK(check("p cnf 1 1\n0\n", "").verdict == drat::check_result::verified);
}

TEST_CASE("checker: RAT lemmas (extended resolution)", "[drat]") {
  // All eight clauses over 1..3; 5 := 1 AND 2 by three RAT lemmas (none of them RUP), then used.
  std::string cnf = "p cnf 5 8\n";
  for (int m = 0; m < 8; ++m)
    cnf += std::to_string((m & 1) ? -1 : 1) + " " + std::to_string((m & 2) ? -2 : 2) + " " + std::to_string((m & 4) ? -3 : 3) + " 0\n";
  const std::string er = "-5 1 0\n-5 2 0\n5 -1 -2 0\n-5 3 0\n-5 -3 0\n-5 0\n-1 -2 0\n-1 0\n2 0\n0\n";
  const drat::check_result ok = check(cnf, er);
  CHECK(ok.verdict == drat::check_result::verified);
  CHECK(ok.rat_lemmas >= 1);
  // "5" as a unit is RAT only if the resolvent 1 (with -5 1) were RUP: it is not.
  const drat::check_result bad = check(cnf, "-5 1 0\n5 0\n1 0\n2 0\n0\n");
  CHECK(bad.verdict == drat::check_result::rejected);
  CHECK(bad.lemma == 2);
}

TEST_CASE("checker: parse errors name file, line and column", "[drat]") {
  CHECK(check("p cnf 2 1\n1 3 0\n", "").message == "cnf:2:3: a literal within the header's variable count out of range (at most 2)");
  CHECK(check("p cnf 2 2\n1 2 0\n", "").verdict == drat::check_result::error);
  CHECK(check("1 2 0\n", "").message.rfind("cnf:1:1:", 0) == 0);
  CHECK(check("p cnf 2 1\n1 x 0\n", "").message.rfind("cnf:2:3:", 0) == 0);
  CHECK(check("p cnf 2 1\n1 2 0\n", "1 2 0\nq 0\n").message.rfind("proof:2:1:", 0) == 0);
  CHECK(check("p cnf 2 1\n1 2 0\n", std::string("a\x02\x04\x00z", 5)).verdict == drat::check_result::error);
  const drat::check_result missing = drat::check_files("/nonexistent/x.cnf", "/nonexistent/x.drat");
  CHECK(missing.verdict == drat::check_result::error);
}

TEST_CASE("checker: CaDiCaL proofs of pigeonhole 4..7, text and binary", "[drat]") {
  for (int n = 4; n <= 7; ++n) {
    CAPTURE(n);
    const Cnf cnf = pigeonhole(n);
    const std::string text = cadical_proof(cnf, false, "php.txt"), bin = cadical_proof(cnf, true, "php.bin");
    const drat::check_result t = check(cnf, text), b = check(cnf, bin);
    CHECK(t.verdict == drat::check_result::verified);
    CHECK(b.verdict == drat::check_result::verified);
    CHECK(!t.binary);
    CHECK(b.binary);
    // The same run in two formats: the same lemmas and core.
    CHECK(t.lemmas == b.lemmas);
    CHECK(t.core_lemmas == b.core_lemmas);
    CHECK(bin.size() < text.size());
  }
}

TEST_CASE("checker: Tseitin formulas with odd charge", "[drat]") {
  // K4, K5, the 3x3 torus-free grid and the Petersen graph, one vertex charged.
  std::vector<std::pair<int, std::vector<std::pair<int, int>>>> graphs;
  for (int n : {4, 5}) {
    std::vector<std::pair<int, int>> e;
    for (int a = 0; a < n; ++a)
      for (int b = a + 1; b < n; ++b) e.emplace_back(a, b);
    graphs.emplace_back(n, e);
  }
  std::vector<std::pair<int, int>> grid;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      if (c + 1 < 3) grid.emplace_back(3 * r + c, 3 * r + c + 1);
      if (r + 1 < 3) grid.emplace_back(3 * r + c, 3 * r + c + 3);
    }
  graphs.emplace_back(9, grid);
  std::vector<std::pair<int, int>> petersen;
  for (int k = 0; k < 5; ++k) {
    petersen.emplace_back(k, (k + 1) % 5);
    petersen.emplace_back(k, k + 5);
    petersen.emplace_back(5 + k, 5 + (k + 2) % 5);
  }
  graphs.emplace_back(10, petersen);
  for (const auto& [n, edges] : graphs) {
    CAPTURE(n);
    std::vector<int> charge(n, 0);
    charge[0] = 1;
    const Cnf odd = tseitin(n, edges, charge);
    CHECK(check(odd, cadical_proof(odd, true, "tseitin")).verdict == drat::check_result::verified);
    // Even charge is satisfiable: the solver's model satisfies it and no proof of UNSAT passes.
    charge[1] = 1;
    const Cnf even = tseitin(n, edges, charge);
    CHECK(solve_cnf(even).answer == sat_result::sat);
    CHECK(check(even, cadical_proof(odd, true, "tseitin")).verdict != drat::check_result::verified);
  }
}

TEST_CASE("checker: mutated proofs", "[drat]") {
  const Cnf cnf = pigeonhole(6);
  const std::vector<std::string> proof = lines_of(cadical_proof(cnf, false, "php6.txt"));
  REQUIRE(check(cnf, joined(proof)).verdict == drat::check_result::verified);
  std::vector<std::size_t> lemmas;  // line indices of additions
  for (std::size_t i = 0; i < proof.size(); ++i)
    if (proof[i][0] != 'd') lemmas.push_back(i);
  std::mt19937 rng(7);
  int dropped_rejected = 0, flipped_rejected = 0;
  for (int trial = 0; trial < 12; ++trial) {
    // Dropping lemma k: lemmas before it are checked against the same clauses, so any rejection
    // names lemma k or a later one.
    const std::size_t k = rng() % lemmas.size();
    std::vector<std::string> d = proof;
    d.erase(d.begin() + static_cast<std::ptrdiff_t>(lemmas[k]));
    const drat::check_result r = check(cnf, joined(d));
    if (r.verdict == drat::check_result::rejected) {
      ++dropped_rejected;
      CHECK(r.lemma >= k + 1);
    } else {
      CHECK(r.verdict == drat::check_result::verified);
    }
    // Flipping a literal of lemma k: the same holds.
    std::vector<std::string> f = proof;
    std::istringstream in(f[lemmas[k]]);
    std::vector<long> lits;
    for (long l; in >> l && l != 0;) lits.push_back(l);
    if (lits.empty()) continue;
    lits[rng() % lits.size()] *= -1;
    std::string line;
    for (long l : lits) line += std::to_string(l) + " ";
    f[lemmas[k]] = line + "0";
    const drat::check_result g = check(cnf, joined(f));
    if (g.verdict == drat::check_result::rejected) {
      ++flipped_rejected;
      CHECK(g.lemma >= k + 1);
    }
  }
  CHECK(dropped_rejected > 0);
  CHECK(flipped_rejected > 0);
  // Cutting the proof anywhere before its end loses the conflict.
  for (std::size_t cut : {proof.size() / 4, proof.size() / 2, 3 * proof.size() / 4}) {
    const std::vector<std::string> t(proof.begin(), proof.begin() + static_cast<std::ptrdiff_t>(cut));
    CHECK(check(cnf, joined(t)).verdict == drat::check_result::rejected);
  }
  // A binary proof cut mid-record.
  const std::string bin = cadical_proof(cnf, true, "php6.bin");
  CHECK(check(cnf, bin.substr(0, bin.size() / 2)).verdict == drat::check_result::rejected);
}

TEST_CASE("checker: proofs of other formulas never verify a satisfiable one", "[drat]") {
  // Pigeonhole 6 without pigeon 0's clause is satisfiable; its proof must fail there.
  const Cnf php = pigeonhole(6);
  const std::string proof = cadical_proof(php, true, "php6");
  std::string cnf = dimacs(php);
  const std::size_t first = cnf.find('\n', cnf.find("p cnf")) + 1;  // the header, then the first clauses
  std::string sat_cnf = cnf.substr(0, first);
  std::istringstream in(cnf.substr(first));
  std::vector<std::string> clauses = lines_of(cnf.substr(first));
  // Variable 1 is the constant: keep its unit, drop the next clause (pigeon 0 somewhere).
  clauses.erase(clauses.begin() + 1);
  const std::size_t v = sat_cnf.find("p cnf ");
  std::istringstream hdr(sat_cnf.substr(v + 6));
  long vars = 0, count = 0;
  hdr >> vars >> count;
  sat_cnf = "p cnf " + std::to_string(vars) + " " + std::to_string(count - 1) + "\n" + joined(clauses);
  CHECK(check(sat_cnf, proof).verdict == drat::check_result::rejected);
  // Random 3-SAT below the threshold (satisfiable, as the solver's checked model shows), each
  // with a proof of another formula and with the bare empty clause.
  std::mt19937 rng(3);
  for (int t = 0; t < 10; ++t) {
    Cnf f;
    std::vector<CnfLit> x;
    for (int i = 0; i < 30; ++i) x.push_back(f.new_var());
    for (int c = 0; c < 90; ++c) {
      std::vector<CnfLit> clause;
      for (int k = 0; k < 3; ++k) clause.push_back((rng() & 1) ? x[rng() % 30] : -x[rng() % 30]);
      f.add(clause);
    }
    if (solve_cnf(f).answer != sat_result::sat) continue;
    CHECK(check(f, proof).verdict != drat::check_result::verified);
    CHECK(check(f, "0\n").verdict == drat::check_result::rejected);
  }
}
