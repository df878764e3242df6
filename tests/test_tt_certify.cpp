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
  for (std::size_t x = 1; x < enc.vars.size(); ++x) {
    const tt_var_meaning& m = enc.vars[x];
    switch (m.kind) {
      case tt_var_meaning::constant: v[x] = 1; break;
      case tt_var_meaning::value: v[x] = val(m.gate, m.p[0]); break;
      case tt_var_meaning::polarity: v[x] = weight(m.gate, m.input) >= 0; break;
      case tt_var_meaning::order: v[x] = weight(m.gate, m.input) >= weight(m.gate, m.input2); break;
      case tt_var_meaning::differs: v[x] = val(m.gate, m.p[0]) != val(m.gate, m.p[1]); break;
      case tt_var_meaning::unbalanced: v[x] = val(m.gate, m.p[0]) + val(m.gate, m.p[1]) != val(m.gate, m.p[2]) + val(m.gate, m.p[3]); break;
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
  std::size_t mutants = 0, injected = 0, lemma_clauses = 0;
  for (int trial = 0; trial < 8; ++trial) {
    const std::uint32_t n = trial < 6 ? 4 : 5;
    synth_params p;
    p.shape.widths = trial % 2 ? std::vector<std::uint32_t>{2, 1} : std::vector<std::uint32_t>{3, 1};
    p.shape.skip = trial % 3 == 0;
    p.method = synth_method::tt;
    p.symmetry_breaking = false;
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

TEST_CASE("certified tt answers: proofs verified, a corrupted proof rejected", "[provers][tt][certify]") {
  const std::string dir = (std::filesystem::temp_directory_path() / "tcx-test-tt-certify").string();
  std::filesystem::remove_all(dir);
  synth_params p;
  p.shape.widths = {1, 1};  // parity of 4 needs more than 2 gates at depth 2
  p.shape.skip = true;
  p.method = synth_method::tt;
  p.proof.dir = dir;
  p.proof.certify = true;
  p.proof.binary = false;
  p.query = "parity4";
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
