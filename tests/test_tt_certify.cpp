// Certified tt answers (provers/tt_certify.hpp): the soundness check of the tt CNF against real
// circuits (random threshold circuits of the template, evaluated here apart from the encoder and
// the checker), mutated clauses rejected, corrupted proofs rejected, and certified tt cells
// against the weights method's certified cells.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "circuits/simulate.hpp"
#include "provers/drat/drat.hpp"
#include "provers/synth.hpp"
#include "provers/synth_template.hpp"
#include "provers/synth_tt.hpp"
#include "provers/tt_certify.hpp"
#include "tasks/task.hpp"

using namespace tcx;

namespace {

multi_truth_table table_of(std::uint32_t n, std::uint64_t f) {
  return {make_truth_table(n, [f](std::uint64_t p) { return ((f >> p) & 1u) != 0; })};
}

// A threshold circuit of the template with small random integer weights: gate values on every
// pattern of 2^n, computed here by plain sums.
struct RandomCircuit {
  std::vector<std::vector<int>> w;
  std::vector<int> t;
  std::vector<std::vector<std::uint8_t>> value;  // [gate][pattern]
};

RandomCircuit random_circuit(std::uint32_t n, const std::vector<std::vector<std::int64_t>>& sources, std::mt19937_64& rng) {
  RandomCircuit c;
  std::uniform_int_distribution<int> wd(-3, 3), td(-3, 4);
  for (const auto& src : sources) {
    std::vector<int> w;
    for (std::size_t d = 0; d < src.size(); ++d) w.push_back(wd(rng));
    c.w.push_back(w);
    c.t.push_back(td(rng));
  }
  c.value.assign(sources.size(), std::vector<std::uint8_t>(std::size_t(1) << n));
  for (std::uint64_t q = 0; q < (std::uint64_t(1) << n); ++q)
    for (std::size_t g = 0; g < sources.size(); ++g) {
      int s = 0;
      for (std::size_t d = 0; d < sources[g].size(); ++d) {
        const std::int64_t src = sources[g][d];
        const int x = src < 0 ? int((q >> (-1 - src)) & 1u) : c.value[static_cast<std::size_t>(src)][q];
        s += x * c.w[g][d];
      }
      c.value[g][q] = s >= c.t[g];
    }
  return c;
}

// Every variable's value under the meanings, for circuit c (-1: no meaning).
std::vector<int> meanings_of(const tt_encoding& enc, const RandomCircuit& c) {
  std::vector<int> v(enc.vars.size(), -1);
  auto val = [&](std::uint32_t g, std::uint32_t k) { return int(c.value[g][enc.patterns[k]]); };
  auto weight = [&](std::uint32_t g, std::uint32_t input) {
    for (std::size_t d = 0; d < enc.sources[g].size(); ++d)
      if (enc.sources[g][d] == -1 - std::int64_t(input)) return c.w[g][d];
    throw std::logic_error("no such input");
  };
  auto source_weight = [&](std::uint32_t g, std::uint32_t h) {
    for (std::size_t d = 0; d < enc.sources[g].size(); ++d)
      if (enc.sources[g][d] == std::int64_t(h)) return c.w[g][d];
    throw std::logic_error("no such source gate");
  };
  for (std::size_t x = 1; x < enc.vars.size(); ++x) {
    const tt_var_meaning& m = enc.vars[x];
    switch (m.kind) {
      case tt_var_meaning::constant: v[x] = 1; break;
      case tt_var_meaning::value: v[x] = val(m.gate, m.p[0]); break;
      case tt_var_meaning::polarity: v[x] = weight(m.gate, m.input) >= 0; break;
      case tt_var_meaning::order: v[x] = weight(m.gate, m.input) >= weight(m.gate, m.input2); break;
      case tt_var_meaning::differs: v[x] = val(m.gate, m.p[0]) != val(m.gate, m.p[1]); break;
      case tt_var_meaning::unbalanced: v[x] = val(m.gate, m.p[0]) + val(m.gate, m.p[1]) != val(m.gate, m.p[2]) + val(m.gate, m.p[3]); break;
      case tt_var_meaning::source_sign: v[x] = source_weight(m.gate, m.input) >= 0; break;
      case tt_var_meaning::term_falls: {
        // h's term u * h in the gate's sum goes down from p0 to p1 (u = 0 counted with u > 0).
        const int a = val(m.input, m.p[0]), b = val(m.input, m.p[1]);
        v[x] = source_weight(m.gate, m.input) >= 0 ? a == 1 && b == 0 : a == 0 && b == 1;
        break;
      }
      default: break;
    }
  }
  return v;
}

std::vector<std::vector<CnfLit>> clauses_of(const Cnf& cnf) {
  std::vector<std::vector<CnfLit>> out(1);
  for (CnfLit l : cnf.literals()) {
    if (l) out.back().push_back(l);
    else out.emplace_back();
  }
  out.pop_back();
  return out;
}

bool satisfied(const std::vector<CnfLit>& clause, const std::vector<int>& v) {
  for (CnfLit l : clause)
    if (v[std::size_t(std::abs(l))] == (l > 0 ? 1 : 0)) return true;
  return false;
}

bool checker_accepts(const std::vector<CnfLit>& clause, const tt_encoding& enc, const multi_truth_table& truth) {
  Cnf one;
  one.add(clause);
  return check_tt_soundness(one, enc, truth).sound;
}

}  // namespace

TEST_CASE("tt soundness: the CNF holds for a real circuit, and clauses it falsifies are rejected", "[provers][tt][certify]") {
  // The function of a random circuit of the template, so that circuit is a witness: every clause of
  // the final CNF must hold under its meanings, and a clause it falsifies is unsound for sure.
  std::mt19937_64 rng(2025);
  std::size_t mutants = 0, injected = 0, lemma_clauses = 0, signed_mutants = 0, signed_clauses = 0;
  for (int trial = 0; trial < 12; ++trial) {
    const std::uint32_t n = trial < 6 || trial >= 8 ? 4 : 5;
    synth_params p;
    p.shape.widths = trial % 2 ? std::vector<std::uint32_t>{2, 1} : std::vector<std::uint32_t>{3, 1};
    p.shape.skip = trial % 3 == 0;
    // Two hidden layers: the second's values are free on both sides of its eager clauses, so
    // its signed escapes stay (an output's constant values satisfy most of its own).
    if (trial >= 8) p.shape.widths = trial % 2 ? std::vector<std::uint32_t>{2, 2, 1} : std::vector<std::uint32_t>{1, 2, 1};
    if (trial >= 8) p.shape.skip = trial < 10;
    p.method = synth_method::tt;
    p.symmetry_breaking = false;
    p.tt.signed_sources = trial % 4 != 3;  // mostly the signed escapes; the unsigned ones too
    p.time_limit_s = 30;
    const auto sources = synth_detail::template_sources(n, p.shape);
    RandomCircuit c;
    multi_truth_table truth;
    for (;;) {  // a function that depends on every input (tt_question does not project)
      c = random_circuit(n, sources, rng);
      truth = {make_truth_table(n, [&](std::uint64_t q) { return c.value.back()[q] != 0; })};
      bool all = true;
      for (std::uint32_t i = 0; i < n; ++i) all = all && synth_detail::depends_on(truth, i);
      if (all) break;
    }
    INFO("trial " << trial);
    const synth_detail::tt_final_question q = synth_detail::tt_question(n, truth, p);
    REQUIRE(q.answer == synth_result::sat);
    const std::vector<int> v = meanings_of(q.encoding, c);
    const auto clauses = clauses_of(q.cnf);
    for (const auto& cl : clauses) REQUIRE(satisfied(cl, v));
    const tt_soundness_result s = check_tt_soundness(q.cnf, q.encoding, truth);
    CHECK(s.sound);
    CHECK(s.clauses == q.cnf.num_clauses());
    // Flip each literal of some clauses: the flipped clauses the circuit falsifies must be rejected.
    for (std::size_t k = 0; k < clauses.size(); k += 1 + clauses.size() / 150) {
      for (std::size_t j = 0; j < clauses[k].size(); ++j) {
        std::vector<CnfLit> m = clauses[k];
        m[j] = -m[j];
        if (satisfied(m, v)) continue;
        ++mutants;
        INFO("mutant of clause " << k);
        CHECK_FALSE(checker_accepts(m, q.encoding, truth));
      }
    }
    // The signed escapes: the clauses escaped by "a source's term falls" (a term_falls literal
    // positive), with each literal flipped or dropped; the circuit falsifies some of them.
    auto escaped = [&](const std::vector<CnfLit>& cl) {
      for (CnfLit l : cl)
        if (l > 0 && q.encoding.vars[std::size_t(l)].kind == tt_var_meaning::term_falls) return true;
      return false;
    };
    std::vector<std::size_t> with_escapes;
    for (std::size_t k = 0; k < clauses.size(); ++k)
      if (escaped(clauses[k])) with_escapes.push_back(k);
    signed_clauses += with_escapes.size();
    for (std::size_t i = 0; i < with_escapes.size(); i += 1 + with_escapes.size() / 60) {
      const auto& cl = clauses[with_escapes[i]];
      for (std::size_t j = 0; j < cl.size(); ++j) {
        std::vector<CnfLit> flipped = cl, dropped = cl;
        flipped[j] = -flipped[j];
        dropped.erase(dropped.begin() + std::ptrdiff_t(j));
        for (const auto* m : {&flipped, &dropped}) {
          if (satisfied(*m, v)) continue;
          ++signed_mutants;
          INFO("signed mutant of clause " << with_escapes[i] << ", literal " << j);
          CHECK_FALSE(checker_accepts(*m, q.encoding, truth));
        }
      }
    }
    // A source sign reversed, alone: no clause-local argument for it.
    for (std::size_t x = 1; x < q.encoding.vars.size(); ++x)
      if (q.encoding.vars[x].kind == tt_var_meaning::source_sign) {
        ++injected;
        CHECK_FALSE(checker_accepts({v[x] ? -CnfLit(x) : CnfLit(x)}, q.encoding, truth));
      }
    // Inject: "not these values" for one hidden gate and its sources on three patterns, as the
    // circuit has them; and each of its sign literals reversed.
    const std::size_t K = q.encoding.patterns.size();
    for (std::uint32_t g = 0; g + 1 < sources.size(); ++g) {
      std::vector<CnfLit> inj;
      std::vector<std::uint32_t> pats{std::uint32_t(rng() % K), std::uint32_t(rng() % K), std::uint32_t(rng() % K)};
      for (std::size_t x = 1; x < q.encoding.vars.size(); ++x) {
        const tt_var_meaning& m = q.encoding.vars[x];
        const bool mine = m.kind == tt_var_meaning::value &&
                          (m.gate == g || std::find(sources[g].begin(), sources[g].end(), std::int64_t(m.gate)) != sources[g].end());
        if (mine && std::find(pats.begin(), pats.end(), m.p[0]) != pats.end()) inj.push_back(v[x] ? -CnfLit(x) : CnfLit(x));
        if (m.kind == tt_var_meaning::polarity && m.gate == g) {
          ++injected;
          CHECK_FALSE(checker_accepts({v[x] ? -CnfLit(x) : CnfLit(x)}, q.encoding, truth));
        }
      }
      REQUIRE(!satisfied(inj, v));
      ++injected;
      CHECK_FALSE(checker_accepts(inj, q.encoding, truth));
    }
    lemma_clauses += q.cnf.num_clauses();
  }
  CHECK(mutants > 100);  // the test has teeth
  CHECK(injected > 20);
  CHECK(lemma_clauses > 1000);
  CHECK(signed_clauses > 500);
  CHECK(signed_mutants > 100);
}

TEST_CASE("tt soundness: symmetry breaking and unknown variables are rejected", "[provers][tt][certify]") {
  synth_params p;
  p.shape.widths = {1, 1};
  p.shape.skip = true;
  p.method = synth_method::tt;
  const multi_truth_table parity4 = table_of(4, 0x6996);  // parity of 4: more than 2 gates
  p.symmetry_breaking = true;
  const auto with = synth_detail::tt_question(4, parity4, p);
  REQUIRE(with.answer == synth_result::unsat);
  const tt_soundness_result s = check_tt_soundness(with.cnf, with.encoding, parity4);
  CHECK_FALSE(s.sound);  // the first pattern's unit clause on the hidden gate
  p.symmetry_breaking = false;
  auto without = synth_detail::tt_question(4, parity4, p);
  REQUIRE(without.answer == synth_result::unsat);
  CHECK(check_tt_soundness(without.cnf, without.encoding, parity4).sound);
  // A clause over a variable with no declared meaning.
  const CnfLit extra = without.cnf.new_var();
  without.cnf.add({extra});
  CHECK_FALSE(check_tt_soundness(without.cnf, without.encoding, parity4).sound);
  // The wrong function for the outputs: the output's clauses no longer follow.
  const tt_soundness_result wrong = check_tt_soundness(without.cnf, without.encoding, table_of(4, 0x8000));
  CHECK_FALSE(wrong.sound);
}

namespace {

synth_params cube_params(std::vector<std::uint32_t> widths, std::uint32_t cube_inputs) {
  synth_params p;
  p.shape.widths = std::move(widths);
  p.shape.skip = true;
  p.method = synth_method::tt;
  p.symmetry_breaking = false;
  p.tt.cube_inputs = cube_inputs;
  p.time_limit_s = 60;
  return p;
}

// Parity of 4 in 1,1 with skip wires (none: it needs more than 2 gates at depth 2), certified,
// text proofs written to `dir` (emptied first), split into 2^cube_inputs cubes.
synth_params certified_parity4(const std::string& dir, std::uint32_t cube_inputs) {
  std::filesystem::remove_all(dir);
  synth_params p = cube_params({1, 1}, cube_inputs);
  p.proof.dir = dir;
  p.proof.certify = true;
  p.proof.binary = false;
  p.query = "parity4";
  return p;
}

}  // namespace

TEST_CASE("certified tt answers: proofs verified, a corrupted proof rejected", "[provers][tt][certify]") {
  const std::string dir = (std::filesystem::temp_directory_path() / "tcx-test-tt-certify").string();
  synth_params p = certified_parity4(dir, 0);
  const synth_result r = synthesize(4, table_of(4, 0x6996), p);
  REQUIRE(r.answer == synth_result::unsat);
  CHECK(r.method == synth_method::tt);
  CHECK(r.certified);
  CHECK(r.soundness_clauses > 0);
  REQUIRE(r.proofs.size() == 1);
  const std::string cnf = dir + "/parity4.cnf", drat = dir + "/parity4.drat";
  CHECK(drat::check_files(cnf, drat).verdict == drat::check_result::verified);
  // Only the empty clause: the CNF is not refuted by unit propagation alone.
  { std::ofstream(drat, std::ios::trunc) << "0\n"; }
  CHECK(drat::check_files(cnf, drat).verdict != drat::check_result::verified);
  std::filesystem::remove_all(dir);
  // Auto with proofs now answers with tt.
  p.method = synth_method::automatic;
  p.proof = {};
  p.proof.certify = true;
  const synth_result a = synthesize(4, table_of(4, 0x6996), p);
  CHECK(a.method == synth_method::tt);
  CHECK(a.certified);
}

TEST_CASE("certified tt cells agree with the weights method's certified cells", "[provers][tt][certify]") {
  auto both = [](std::uint32_t n, const multi_truth_table& truth, std::uint32_t max_gates) {
    frontier_params fp;
    fp.max_depth = 2;
    fp.max_gates = max_gates;
    fp.time_limit_per_query_s = 60;
    fp.proof.certify = true;
    fp.method = synth_method::tt;
    const auto tt = frontier(n, truth, fp);
    fp.method = synth_method::weights;
    const auto w = frontier(n, truth, fp);
    REQUIRE(tt.size() == w.size());
    for (std::size_t d = 0; d < tt.size(); ++d) {
      INFO("depth " << d + 1);
      CHECK(frontier_cell_text(tt[d]) == frontier_cell_text(w[d]));
      const bool proven = tt[d].status == frontier_cell::proven_minimal || tt[d].status == frontier_cell::none_within_budget;
      CHECK(tt[d].certified == proven);
      CHECK(w[d].certified == proven);
    }
    return tt;
  };
  for (std::uint32_t n : {3u, 4u, 5u}) {
    INFO("parity " << n);
    const auto cells = both(n, table_of(n, n == 3 ? 0x96 : n == 4 ? 0x6996 : 0x96696996), 4);
    CHECK(cells[1].status == frontier_cell::proven_minimal);
  }
  const Task& eca = *find_task("eca");
  for (std::int64_t steps : {1, 2}) {
    INFO("Rule 110, steps " << steps);
    const TaskParams tp = eca.resolve({{"cells", 2 * steps + 1}, {"cell", steps}, {"steps", steps}});
    const Circuit c = eca.natural_circuit(tp);
    const auto cells = both(c.num_inputs(), truth_tables(c), 4);
    CHECK(frontier_cell_text(cells[1]) == (steps == 1 ? "2*" : "3*"));
  }
  std::mt19937_64 rng(77);
  for (int trial = 0; trial < 4; ++trial) {
    INFO("random function " << trial);
    both(4, table_of(4, rng() & 0xffff), 3);
  }
}

TEST_CASE("cube cover: a tautology check on the list of cubes", "[provers][tt][certify]") {
  std::vector<std::vector<CnfLit>> all;
  for (int m = 0; m < 8; ++m) all.push_back({m & 1 ? -5 : 5, m & 2 ? -7 : 7, m & 4 ? -9 : 9});
  CHECK(cubes_cover(all));
  for (std::size_t drop = 0; drop < all.size(); ++drop) {
    auto gap = all;
    gap.erase(gap.begin() + std::ptrdiff_t(drop));
    std::string why;
    CHECK_FALSE(cubes_cover(gap, &why));
    // The uncovered assignment named is the dropped cube's.
    for (CnfLit l : all[drop]) CHECK(why.find(" " + std::to_string(l)) != std::string::npos);
  }
  CHECK(cubes_cover({{}}));                     // the empty cube: everything
  CHECK_FALSE(cubes_cover({}));                 // no cube: nothing
  CHECK(cubes_cover({{1, 2}, {-1}, {-2}}));     // overlapping, uneven
  CHECK_FALSE(cubes_cover({{1, 2}, {-1}, {-2, 3}}));
  CHECK_FALSE(cubes_cover({{1, -1}}));          // a contradictory cube covers nothing
  CHECK(cubes_cover({{1, -1}, {2}, {-2}}));
}

TEST_CASE("certified tt answers with cubes: one verified proof per cube, a corrupted one rejected", "[provers][tt][certify]") {
  const std::string dir = (std::filesystem::temp_directory_path() / "tcx-test-tt-cubes").string();
  synth_params p = certified_parity4(dir, 2);
  const synth_result r = synthesize(4, table_of(4, 0x6996), p);
  REQUIRE(r.answer == synth_result::unsat);
  CHECK(r.method == synth_method::tt);
  CHECK(r.cubes == 4);
  CHECK(r.certified);
  REQUIRE(r.proofs.size() == 4);
  std::size_t hardest = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    INFO("cube " << i);
    const proof_record& pr = r.proofs[i];
    CHECK(pr.query == "parity4-cube" + std::to_string(i));
    CHECK(pr.verified);
    CHECK(pr.cnf_path == dir + "/parity4-cube" + std::to_string(i) + ".cnf");
    // Checked again here from the files: each proof refutes its own cube's CNF.
    CHECK(drat::check_files(pr.cnf_path, pr.drat_path).verdict == drat::check_result::verified);
    if (pr.core_lemmas > r.proofs[hardest].core_lemmas) hardest = i;
  }
  // The cubes' CNFs differ (each has its own unit clauses).
  auto slurp = [](const std::string& f) {
    std::ifstream in(f);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(slurp(r.proofs[0].cnf_path) != slurp(r.proofs[3].cnf_path));
  // A cube whose proof needs lemmas (unit propagation alone does not refute it): only the empty
  // clause is rejected.
  REQUIRE(r.proofs[hardest].core_lemmas >= 2);
  { std::ofstream(r.proofs[hardest].drat_path, std::ios::trunc) << "0\n"; }
  CHECK(drat::check_files(r.proofs[hardest].cnf_path, r.proofs[hardest].drat_path).verdict != drat::check_result::verified);
  // Existing proof files are not replaced without force.
  CHECK_THROWS_AS(synthesize(4, table_of(4, 0x6996), p), std::invalid_argument);
  std::filesystem::remove_all(dir);
}

TEST_CASE("certified tt answers with cubes: a gap in the cubes, a satisfiable cube, no budget", "[provers][tt][certify]") {
  const multi_truth_table parity4 = table_of(4, 0x6996);
  synth_params p = cube_params({1, 1}, 2);
  const synth_detail::tt_final_question q = synth_detail::tt_question(4, parity4, p);
  REQUIRE(q.answer == synth_result::unsat);
  REQUIRE(q.cubes.size() == 4);
  p.proof.certify = true;
  synth_result r;
  certify_tt_unsat(q.cnf, q.encoding, parity4, p, 60, r, q.cubes);
  CHECK(r.certified);
  CHECK(r.proofs.size() == 4);
  // One cube missing, or one cube twice instead of another: the cover check refuses.
  for (std::size_t drop = 0; drop < 4; ++drop) {
    auto gap = q.cubes;
    gap.erase(gap.begin() + std::ptrdiff_t(drop));
    synth_result g;
    CHECK_THROWS_AS(certify_tt_unsat(q.cnf, q.encoding, parity4, p, 60, g, gap), certification_error);
    CHECK_FALSE(g.certified);
    gap.push_back(gap.front());
    CHECK_THROWS_AS(certify_tt_unsat(q.cnf, q.encoding, parity4, p, 60, g, gap), certification_error);
  }
  // No budget left: not certified, and no error.
  synth_result none;
  certify_tt_unsat(q.cnf, q.encoding, parity4, p, 1e-9, none, q.cubes);
  CHECK_FALSE(none.certified);
  // A satisfiable question (parity of 4 has a 3-gate circuit in 2,1 with skip wires) split into
  // its four cubes: the re-solve of the cube holding the circuit finds a model, an internal error.
  synth_params p3 = cube_params({2, 1}, 2);
  const synth_detail::tt_final_question s = synth_detail::tt_question(4, parity4, p3);
  REQUIRE(s.answer == synth_result::sat);
  std::vector<CnfLit> split;
  const std::uint32_t last = std::uint32_t(s.encoding.sources.size() - 1);
  for (std::size_t x = 1; x < s.encoding.vars.size(); ++x)
    if (s.encoding.vars[x].kind == tt_var_meaning::polarity && s.encoding.vars[x].gate == last && s.encoding.vars[x].input < 2)
      split.push_back(CnfLit(x));
  REQUIRE(split.size() == 2);
  std::vector<std::vector<CnfLit>> four;
  for (int m = 0; m < 4; ++m) four.push_back({m & 1 ? -split[0] : split[0], m & 2 ? -split[1] : split[1]});
  p3.proof.certify = true;
  synth_result sr;
  CHECK_THROWS_AS(certify_tt_unsat(s.cnf, s.encoding, parity4, p3, 60, sr, four), certification_error);
}

TEST_CASE("certified tt answers with cubes agree with the weights method", "[provers][tt][certify]") {
  std::mt19937_64 rng(2026);
  int refuted = 0;
  for (int trial = 0; trial < 8; ++trial) {
    const std::uint64_t f = trial == 0 ? 0x6996 : rng() & 0xffff;  // parity first: refuted in both shapes
    for (std::vector<std::uint32_t> widths : {std::vector<std::uint32_t>{1, 1}, std::vector<std::uint32_t>{2, 1}}) {
      INFO("function " << std::hex << f << std::dec << ", widths " << widths.size());
      synth_params p = cube_params(widths, 3);
      p.proof.certify = true;
      const synth_result tt = synthesize(4, table_of(4, f), p);
      synth_params w;
      w.shape = p.shape;
      w.method = synth_method::weights;
      const synth_result ws = synthesize(4, table_of(4, f), w);
      REQUIRE(tt.answer != synth_result::unknown);
      CHECK(tt.answer == ws.answer);
      if (tt.answer == synth_result::unsat) {
        ++refuted;
        CHECK(tt.certified);
        CHECK(ws.unsat_for_all_weights);
        // Projected onto its support, a function reads fewer inputs: as many cubes as the split has.
        CHECK(tt.proofs.size() == tt.cubes);
        CHECK(tt.cubes >= 2);
      }
    }
  }
  CHECK(refuted >= 4);
}
