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
#include "provers/proof.hpp"
#include "provers/synth.hpp"
#include "provers/synth_template.hpp"
#include "provers/synth_tt.hpp"
#include "provers/threshold_classes.hpp"
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

namespace {

// The symmetry argument replayed on real circuits, apart from the encoder and the checker: the
// moves the argument makes (negating or renaming inputs, complementing a gate, swapping two gates
// of a layer), each keeping the function up to complemented outputs, and the canonical circuit
// of a class as the argument builds it from the declared rules.
struct Moves {
  std::uint32_t n;
  const std::vector<std::vector<std::int64_t>>& sources;
  RandomCircuit& c;

  int column(std::size_t g, std::int64_t s) const {
    for (std::size_t d = 0; d < sources[g].size(); ++d)
      if (sources[g][d] == s) return int(d);
    return -1;
  }
  void evaluate() {
    for (std::uint64_t q = 0; q < (std::uint64_t(1) << n); ++q)
      for (std::size_t g = 0; g < sources.size(); ++g) {
        int s = 0;
        for (std::size_t d = 0; d < sources[g].size(); ++d) {
          const std::int64_t src = sources[g][d];
          s += c.w[g][d] * (src < 0 ? int((q >> (-1 - src)) & 1u) : c.value[std::size_t(src)][q]);
        }
        c.value[g][q] = s >= c.t[g];
      }
  }
  // x_i -> 1 - x_i: a weight w on it becomes -w, the threshold t - w.
  void negate_input(std::uint32_t i) {
    for (std::size_t g = 0; g < sources.size(); ++g)
      if (const int d = column(g, -1 - std::int64_t(i)); d >= 0) {
        c.t[g] -= c.w[g][std::size_t(d)];
        c.w[g][std::size_t(d)] = -c.w[g][std::size_t(d)];
      }
  }
  void swap_inputs(std::uint32_t a, std::uint32_t b) {
    for (std::size_t g = 0; g < sources.size(); ++g) {
      const int da = column(g, -1 - std::int64_t(a)), db = column(g, -1 - std::int64_t(b));
      if (da >= 0 && db >= 0) std::swap(c.w[g][std::size_t(da)], c.w[g][std::size_t(db)]);
    }
  }
  // not [w.x >= t] = [-w.x >= 1 - t]; a reader's weight u on it becomes -u, its threshold t - u.
  void complement(std::size_t h) {
    for (int& x : c.w[h]) x = -x;
    c.t[h] = 1 - c.t[h];
    for (std::size_t r = 0; r < sources.size(); ++r)
      if (const int d = column(r, std::int64_t(h)); d >= 0) {
        c.t[r] -= c.w[r][std::size_t(d)];
        c.w[r][std::size_t(d)] = -c.w[r][std::size_t(d)];
      }
  }
  // Two gates with the same sources trade places; their readers trade the weights on them.
  void swap_gates(std::size_t g, std::size_t h) {
    std::swap(c.w[g], c.w[h]);
    std::swap(c.t[g], c.t[h]);
    for (std::size_t r = 0; r < sources.size(); ++r) {
      const int dg = column(r, std::int64_t(g)), dh = column(r, std::int64_t(h));
      if (dg >= 0 && dh >= 0) std::swap(c.w[r][std::size_t(dg)], c.w[r][std::size_t(dh)]);
    }
  }
  // The outputs complemented where they compute the complement of `truth`.
  void fix_outputs(const multi_truth_table& truth) {
    evaluate();
    const std::size_t first = sources.size() - truth.size();
    for (std::size_t o = 0; o < truth.size(); ++o) {
      bool same = true;
      for (std::uint64_t q = 0; q < (std::uint64_t(1) << n); ++q) same = same && (c.value[first + o][q] != 0) == get_bit(truth[o], q);
      if (!same) complement(first + o);
    }
    evaluate();
  }

  // The canonical circuit of c's class under the declared rules, in the argument's order.
  void canonicalize(const tt_encoding& enc, const multi_truth_table& truth) {
    const tt_symmetry& s = enc.symmetry;
    if (s.normalized >= 0) {
      const auto g0 = std::size_t(s.normalized);
      for (std::uint32_t i : s.nonnegative)
        if (c.w[g0][std::size_t(column(g0, -1 - std::int64_t(i)))] < 0) negate_input(i);
      // Within the classes the sorted pairs join: larger weights on smaller inputs.
      for (bool moved = true; moved;) {
        moved = false;
        for (const auto& [a, b] : s.sorted)
          if (c.w[g0][std::size_t(column(g0, -1 - std::int64_t(a)))] < c.w[g0][std::size_t(column(g0, -1 - std::int64_t(b)))]) {
            swap_inputs(a, b);
            moved = true;
          }
      }
      fix_outputs(truth);
    }
    for (std::uint32_t h : s.zero_first)
      if (c.value[h][enc.patterns[0]]) complement(h);
    for (const auto& [h, r] : s.reader_sign)
      if (c.w[r][std::size_t(column(r, std::int64_t(h)))] < 0) complement(h);
    evaluate();
    auto column_less = [&](std::size_t g, std::size_t h) {
      for (std::uint64_t q : enc.patterns)
        if (c.value[g][q] != c.value[h][q]) return c.value[g][q] < c.value[h][q];
      return false;
    };
    for (bool moved = true; moved;) {
      moved = false;
      for (std::uint32_t g : s.ordered)
        if (column_less(g + 1, g)) {
          swap_gates(g, g + 1);
          evaluate();
          moved = true;
        }
    }
  }
};

// meanings_of, and the layer order's flags: "g and g + 1 agree on patterns 0..k".
std::vector<int> meanings_with_flags(const tt_encoding& enc, const RandomCircuit& c) {
  std::vector<int> v = meanings_of(enc, c);
  for (std::size_t x = 1; x < enc.vars.size(); ++x) {
    const tt_var_meaning& m = enc.vars[x];
    if (m.kind != tt_var_meaning::symmetry) continue;
    bool equal = true;
    for (std::uint32_t k = 0; k <= m.p[0]; ++k) equal = equal && c.value[m.gate][enc.patterns[k]] == c.value[m.gate + 1][enc.patterns[k]];
    v[x] = equal;
  }
  return v;
}

bool all_satisfied(const Cnf& cnf, const std::vector<int>& v) {
  for (const auto& cl : clauses_of(cnf))
    if (!satisfied(cl, v)) return false;
  return true;
}

}  // namespace

TEST_CASE("tt symmetry breaking: the canonical circuit of each class satisfies the whole CNF", "[provers][tt][certify]") {
  // Random circuits (their own function; the rules then are the complement rules and the layer
  // order, with the input rule where the function happens to allow it), and hand-built circuits
  // for symmetric functions scattered by random moves: the canonical circuit built from the
  // declared rules satisfies every clause, symmetry breaking included, and the check accepts.
  std::mt19937_64 rng(515);
  int normalized = 0, ordered = 0, signs = 0, skipped_step_fails = 0;
  for (int trial = 0; trial < 22; ++trial) {
    const std::uint32_t n = 4;
    synth_params p;
    p.method = synth_method::tt;
    p.time_limit_s = 30;
    p.tt.sign_symmetry = trial % 4 != 1;
    RandomCircuit c;
    multi_truth_table truth;
    bool negatable = false;
    if (trial < 10) {
      p.shape.widths = trial % 2 ? std::vector<std::uint32_t>{3, 1} : std::vector<std::uint32_t>{2, 2, 1};
      p.shape.skip = trial % 3 == 0;
      const auto sources = synth_detail::template_sources(n, p.shape);
      for (;;) {
        c = random_circuit(n, sources, rng);
        truth = {make_truth_table(n, [&](std::uint64_t q) { return c.value.back()[q] != 0; })};
        bool all = true;
        for (std::uint32_t i = 0; i < n; ++i) all = all && synth_detail::depends_on(truth, i);
        if (all) break;
      }
    } else {
      // Parity of 4 from four counting gates (weights +-1 on them), or "exactly two of four"
      // from two: symmetric in every input, parity negatable in every input too.
      // From trial 13 on, one more hidden gate with random weights that the output ignores: the
      // rules then meet gates that are not symmetric.
      const bool parity = trial % 2 == 0;
      negatable = parity;
      const std::uint32_t counting = parity ? 4 : 2, extra = trial >= 13 ? 1 : 0;
      p.shape.widths = {counting + extra, 1};
      p.shape.skip = trial % 3 == 0;
      const auto sources = synth_detail::template_sources(n, p.shape);
      c.w.assign(sources.size(), {});
      c.t.assign(sources.size(), 0);
      c.value.assign(sources.size(), std::vector<std::uint8_t>(16));
      const std::size_t hidden = sources.size() - 1;
      std::uniform_int_distribution<int> wd(-3, 3);
      for (std::size_t g = 0; g < sources.size(); ++g)
        for (std::int64_t src : sources[g])
          c.w[g].push_back(g < counting ? (src < 0 ? 1 : 0)
                           : g < hidden ? wd(rng)
                                        : (src < 0 || src >= std::int64_t(counting) ? 0 : (src % 2 ? -1 : 1)));
      for (std::size_t g = 0; g < hidden; ++g) c.t[g] = g < counting ? int(g) + (parity ? 1 : 2) : wd(rng);
      c.t[hidden] = 1;
      truth = {make_truth_table(n, [&](std::uint64_t q) { return parity ? __builtin_popcountll(q) % 2 == 1 : __builtin_popcountll(q) == 2; })};
      Moves m{n, sources, c};
      m.fix_outputs(truth);  // checks the construction too
      for (std::uint64_t q = 0; q < 16; ++q) REQUIRE((c.value[hidden][q] != 0) == get_bit(truth[0], q));
    }
    const auto sources = synth_detail::template_sources(n, p.shape);
    Moves m{n, sources, c};
    // Scatter: moves the function allows, then the outputs made right again.
    for (int k = 0; k < 12; ++k) {
      const std::size_t hidden = sources.size() - truth.size();
      switch (rng() % 4) {
        case 0: if (negatable) m.negate_input(std::uint32_t(rng() % n)); break;
        case 1: if (trial >= 10) m.swap_inputs(std::uint32_t(rng() % n), std::uint32_t(rng() % n)); break;
        case 2: m.complement(rng() % hidden); break;
        default: {
          const std::size_t g = rng() % hidden, h = rng() % hidden;
          if (sources[g] == sources[h]) {
            bool same_readers = true;
            for (std::size_t r = 0; r < sources.size(); ++r) same_readers = same_readers && (m.column(r, std::int64_t(g)) < 0) == (m.column(r, std::int64_t(h)) < 0);
            if (same_readers) m.swap_gates(g, h);
          }
        }
      }
    }
    m.fix_outputs(truth);
    INFO("trial " << trial);
    const synth_detail::tt_final_question q = synth_detail::tt_question(n, truth, p);
    REQUIRE(q.answer == synth_result::sat);
    const tt_symmetry& sym = q.encoding.symmetry;
    normalized += sym.normalized >= 0;
    ordered += !sym.ordered.empty();
    signs += !sym.reader_sign.empty();
    const RandomCircuit scattered = c;
    m.canonicalize(q.encoding, truth);
    CHECK(all_satisfied(q.cnf, meanings_with_flags(q.encoding, c)));
    const tt_soundness_result s = check_tt_soundness(q.cnf, q.encoding, truth);
    CHECK(s.sound);
    CHECK(s.by_symmetry > 0);
    // Teeth: without the complement step the scattered circuit breaks some clause, mostly.
    c = scattered;
    tt_encoding partial = q.encoding;
    partial.symmetry.zero_first.clear();
    partial.symmetry.reader_sign.clear();
    m.canonicalize(partial, truth);
    skipped_step_fails += !all_satisfied(q.cnf, meanings_with_flags(q.encoding, c));
  }
  CHECK(normalized >= 6);
  CHECK(ordered >= 10);
  CHECK(signs >= 4);
  CHECK(skipped_step_fails >= 8);
}

TEST_CASE("tt symmetry breaking: the check regenerates the rules' clauses and checks their premises", "[provers][tt][certify]") {
  const multi_truth_table parity4 = table_of(4, 0x6996);  // parity of 4: more than 2 gates
  synth_params p;
  p.shape.widths = {3, 1};  // layered: 4 hidden gates needed, so 3 are refuted
  p.method = synth_method::tt;
  p.tt.sign_symmetry = false;
  const auto q = synth_detail::tt_question(4, parity4, p);
  REQUIRE(q.answer == synth_result::unsat);
  const tt_symmetry& sym = q.encoding.symmetry;
  REQUIRE(sym.normalized == 0);
  CHECK(sym.nonnegative.size() == 4);
  CHECK(sym.sorted.size() == 3);
  CHECK(sym.zero_first == std::vector<std::uint32_t>{1, 2});
  CHECK(sym.ordered == std::vector<std::uint32_t>{1});
  const tt_soundness_result s = check_tt_soundness(q.cnf, q.encoding, parity4);
  CHECK(s.sound);
  CHECK(s.by_symmetry >= 4 + 3 + 2 + 3 * 16 - 1);
  auto rejected = [&](const tt_encoding& e, const std::string& why, const multi_truth_table& t, const truth_table* care = nullptr) {
    const tt_soundness_result r = check_tt_soundness(q.cnf, e, t, {}, care);
    INFO(r.message);
    CHECK_FALSE(r.sound);
    CHECK(r.message.find(why) != std::string::npos);
  };
  // Undeclared rules: their clauses have no meaning of their own.
  tt_encoding e = q.encoding;
  e.symmetry = {};
  rejected(e, "clause", parity4);
  e = q.encoding;
  e.symmetry.zero_first.clear();
  rejected(e, "clause", parity4);
  e = q.encoding;
  e.symmetry.ordered.clear();
  rejected(e, "no gate is ruled out", parity4);
  // Premises: the normalized gate with a complement rule; gates of different layers or complement
  // rules in an order; an input that is not negatable; inputs that are not interchangeable.
  e = q.encoding;
  e.symmetry.zero_first.push_back(0);
  rejected(e, "normalized gate 0 has a complement rule", parity4);
  e = q.encoding;
  e.symmetry.ordered.push_back(2);  // gate 3 is the output
  rejected(e, "not both hidden", parity4);
  e = q.encoding;
  e.symmetry.ordered.push_back(0);
  rejected(e, "normalized gate is in a layer order", parity4);
  e = q.encoding;
  e.symmetry.zero_first = {1};
  rejected(e, "different complement rules", parity4);
  // "Exactly two of four": symmetric, but no input negatable.
  const multi_truth_table two = {make_truth_table(4, [](std::uint64_t x) { return __builtin_popcountll(x) == 2; })};
  rejected(q.encoding, "input 0 is not negatable", two);
  // Parity with x0 XOR x1 XOR x2 XOR (x3 AND x0): negatable in x1, x2 only, no pair of x3 with another.
  e = q.encoding;
  const multi_truth_table skew = {make_truth_table(4, [](std::uint64_t x) { return ((x ^ (x >> 1) ^ (x >> 2) ^ ((x >> 3) & x)) & 1u) != 0; })};
  e.symmetry.nonnegative = {1, 2};
  e.symmetry.sorted = {{2, 3}};
  rejected(e, "differ in sign rule", skew);
  e.symmetry.nonnegative = {1, 2};
  e.symmetry.sorted = {{1, 2}, {0, 3}};
  rejected(e, "inputs 0 and 3 are not interchangeable", skew);
  // A care set the renaming does not keep: parity on the patterns with x0 = 1 only (no negation
  // keeps it either, so the sign rule is left out).
  const truth_table care = make_truth_table(4, [](std::uint64_t x) { return (x & 1u) != 0; });
  rejected(q.encoding, "input 0 is not negatable", parity4, &care);
  e = q.encoding;
  e.symmetry.nonnegative.clear();
  rejected(e, "inputs 0 and 1 are not interchangeable", parity4, &care);
  // A clause the rules do not make: the layer order reversed on one pattern.
  Cnf extra = q.cnf;
  CnfLit a = 0, b = 0;
  for (std::size_t x = 1; x < q.encoding.vars.size(); ++x) {
    const tt_var_meaning& m = q.encoding.vars[x];
    if (m.kind == tt_var_meaning::value && m.p[0] == 5 && m.gate == 1) a = CnfLit(x);
    if (m.kind == tt_var_meaning::value && m.p[0] == 5 && m.gate == 2) b = CnfLit(x);
  }
  REQUIRE((a && b));
  extra.add({a, -b});
  const tt_soundness_result r = check_tt_soundness(extra, q.encoding, parity4);
  CHECK_FALSE(r.sound);
  CHECK(r.by_symmetry == s.by_symmetry);
  // A clause over a variable with no declared meaning; the wrong function for the outputs.
  Cnf unknown = q.cnf;
  unknown.add({unknown.new_var()});
  CHECK_FALSE(check_tt_soundness(unknown, q.encoding, parity4).sound);
  e = q.encoding;
  e.symmetry = {};
  p.symmetry_breaking = false;
  const auto plain = synth_detail::tt_question(4, parity4, p);
  CHECK(plain.encoding.symmetry.empty());
  CHECK(check_tt_soundness(plain.cnf, plain.encoding, parity4).sound);
  CHECK_FALSE(check_tt_soundness(plain.cnf, plain.encoding, table_of(4, 0x8000)).sound);
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

TEST_CASE("cube joins: the clauses 'not cube' and the joins make a DRAT refutation, the empty clause alone does not", "[provers][certify]") {
  // Independent of any solver: the CNF is the cubes' clauses alone, the proof the joins.
  auto text = [](const std::vector<std::vector<CnfLit>>& clauses) {
    std::string t;
    for (const auto& c : clauses) {
      for (CnfLit l : c) t += std::to_string(l) + " ";
      t += "0\n";
    }
    return t;
  };
  const std::vector<std::vector<std::vector<CnfLit>>> lists{
      {{5, 7, 9}, {5, 7, -9}, {5, -7, 9}, {5, -7, -9}, {-5, 7, 9}, {-5, 7, -9}, {-5, -7, 9}, {-5, -7, -9}},
      {{1, 2}, {-1}, {-2}},             // uneven
      {{1, -1}, {2}, {-2}},             // a contradictory cube (its clause a tautology, left out)
      {{3, 1}, {-3, 2}, {-1, -2}, {1, -2}, {2, -1, 3}}};  // overlapping
  for (const auto& cubes : lists) {
    INFO(text(cubes));
    std::vector<std::vector<CnfLit>> joins;
    REQUIRE(cubes_cover(cubes, nullptr, &joins));
    REQUIRE(!joins.empty());
    CHECK(joins.back().empty());  // the root: the empty clause, last
    std::vector<std::vector<CnfLit>> no;
    for (const auto& c : cubes) {
      std::vector<CnfLit> n;
      for (CnfLit l : c) n.push_back(-l);
      if (std::none_of(n.begin(), n.end(), [&](CnfLit l) { return std::find(n.begin(), n.end(), -l) != n.end(); })) no.push_back(n);
    }
    const std::string cnf = "p cnf 9 " + std::to_string(no.size()) + "\n" + text(no);
    CHECK(drat::check(cnf, text(joins)).verdict == drat::check_result::verified);
    // Where no cube is a single literal, the empty clause alone is no refutation (nothing
    // propagates): the joins carry the proof.
    if (std::none_of(cubes.begin(), cubes.end(), [](const auto& c) { return c.size() == 1; }))
      CHECK(drat::check(cnf, "0\n").verdict != drat::check_result::verified);
  }
  std::vector<std::vector<CnfLit>> joins{{1}};
  CHECK_FALSE(cubes_cover({{1, 2}, {-1}}, nullptr, &joins));
}

TEST_CASE("certified tt answers with cubes: one proof through every cube, checked; a corrupted one rejected", "[provers][tt][certify]") {
  const std::string dir = (std::filesystem::temp_directory_path() / "tcx-test-tt-cubes").string();
  std::filesystem::remove_all(dir);
  synth_params p = certified_parity4(dir, 2);
  const synth_result r = synthesize(4, table_of(4, 0x6996), p);
  REQUIRE(r.answer == synth_result::unsat);
  CHECK(r.method == synth_method::tt);
  CHECK(r.cubes == 4);
  CHECK(r.certified);
  REQUIRE(r.proofs.size() == 1);
  const proof_record& pr = r.proofs[0];
  CHECK(pr.query == "parity4");
  CHECK(pr.verified);
  CHECK(pr.cnf_path == dir + "/parity4.cnf");
  // Checked again here from the files: the proof refutes the CNF itself (no cube's units in it).
  CHECK(drat::check_files(pr.cnf_path, pr.drat_path).verdict == drat::check_result::verified);
  REQUIRE(pr.core_lemmas >= 2);
  // Only the empty clause: rejected.
  { std::ofstream(pr.drat_path, std::ios::trunc) << "0\n"; }
  CHECK(drat::check_files(pr.cnf_path, pr.drat_path).verdict != drat::check_result::verified);
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
  CHECK(r.proofs.size() == 1);
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
      p.symmetry_breaking = trial % 2 == 1;  // certified with the declared rules, or without any
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
        CHECK(tt.proofs.size() == 1);
        CHECK(tt.cubes >= 2);
      }
    }
  }
  CHECK(refuted >= 4);
}

TEST_CASE("cube cover relative to clauses: what no cube holds must be refuted by unit propagation", "[provers][tt][certify]") {
  // Clauses 2 -> 3 and (4 or 5): the cubes leave out 2 -3 and 3 -4 -5, both refuted by them.
  Cnf cover;
  for (int i = 0; i < 4; ++i) cover.new_var();
  cover.add({-2, 3});
  cover.add({4, 5});
  const std::vector<std::vector<CnfLit>> cubes{{2, 3, 4}, {2, 3, -4, 5}, {-2, 3, 4}, {-2, 3, -4, 5}, {-2, -3}};
  std::string why;
  CHECK_FALSE(cubes_cover(cubes, &why));
  std::vector<std::vector<CnfLit>> joins;
  REQUIRE(cubes_cover(cubes, &why, &joins, &cover));
  REQUIRE_FALSE(joins.empty());
  CHECK(joins.back().empty());  // the root: the empty clause, last
  // Without (4 or 5), 3 -4 -5 is neither in a cube nor refuted: a gap, named.
  Cnf weak;
  for (int i = 0; i < 4; ++i) weak.new_var();
  weak.add({-2, 3});
  CHECK_FALSE(cubes_cover(cubes, &why, nullptr, &weak));
  CHECK(why.find("no cube holds under") != std::string::npos);
}

TEST_CASE("tt cubes on the output's function: certified, the rule's clauses regenerated and its premises checked", "[provers][tt][certify]") {
  const multi_truth_table parity5 = {make_truth_table(5, [](std::uint64_t x) { return __builtin_popcountll(x) % 2 == 1; })};
  synth_params p;
  p.shape.widths = {4, 1};  // layered: 5 hidden gates needed
  p.method = synth_method::tt;
  p.tt.cube_inputs = tt_params::cubes_output;
  p.time_limit_s = 120;
  // Certified: every clause sound, one DRAT proof through the cubes and the joins the positive
  // and regular table's clauses make, checked by tcx's checker. Parity of 5 is self-dual: 15 of
  // the 27 cubes, the other 12 tables ruled out by the dual rule's clauses; 27 without it.
  for (const bool dual : {true, false}) {
    synth_params c = p;
    c.proof.certify = true;
    c.tt.dual_cubes = dual;
    const synth_result r = synthesize(5, parity5, c);
    REQUIRE(r.answer == synth_result::unsat);
    CHECK(r.certified);
    CHECK(r.cubes == (dual ? 15u : 27u));
    REQUIRE(r.proofs.size() == 1);
    CHECK(r.proofs[0].verified);
    CHECK(r.soundness_symmetry > 0);
  }
  // The same question's CNF and the rules it declares.
  const auto q = synth_detail::tt_question(5, parity5, p);
  REQUIRE(q.answer == synth_result::unsat);
  const tt_symmetry& sym = q.encoding.symmetry;
  CHECK(sym.output_regular == 4);
  REQUIRE(sym.normalized == 1);  // the second-strongest hidden gate (synth_tt.cpp says why)
  CHECK(sym.nonnegative == std::vector<std::uint32_t>{0, 1, 2, 3});  // input 4's negation complements parity: it may stay negative
  CHECK(sym.sorted.size() == 4);
  CHECK(check_tt_soundness(q.cnf, q.encoding, parity5).sound);
  auto rejected = [&](const Cnf& cnf, const tt_encoding& e, const std::string& why) {
    const tt_soundness_result s = check_tt_soundness(cnf, e, parity5);
    INFO(s.message);
    CHECK_FALSE(s.sound);
    CHECK(s.message.find(why) != std::string::npos);
  };
  tt_encoding e = q.encoding;
  e.symmetry.output_regular = -1;
  rejected(q.cnf, e, "dual_blocked: needs the output rule");
  e.symmetry.dual_blocked.clear();  // gate 1 then has the reader's sign rule as well as its normalization
  rejected(q.cnf, e, "normalized gate 1 has a complement rule");
  std::erase_if(e.symmetry.reader_sign, [](const auto& hr) { return hr.first == 1; });  // without it and with the odd input's sign fixed too (premises
  e.symmetry.nonnegative.push_back(4);                           // that hold without the rule), the table's clauses have no meaning
  rejected(q.cnf, e, "no gate is ruled out");  // a positive table is no fact about every output gate
  e = q.encoding;
  e.symmetry.nonnegative.push_back(4);  // every weight >= 0: the output would have to be complemented
  rejected(q.cnf, e, "exactly one input");
  e = q.encoding;
  e.symmetry.sorted.push_back({4, 3});
  rejected(q.cnf, e, "is not two inputs the gate reads, in order");
  e = q.encoding;
  e.symmetry.zero_first.push_back(1);
  rejected(q.cnf, e, "two complement rules");
  e = q.encoding;
  e.symmetry.output_regular = 3;
  rejected(q.cnf, e, "output_regular: gate 3 is not the only output");
  // The dual rule: 12 tables ruled out, each larger than its dual; one whose dual is larger, or
  // the rule without the output rule or on a function that is not self-dual, is rejected.
  REQUIRE(sym.dual_blocked.size() == 12);
  for (const std::uint64_t t : sym.dual_blocked) CHECK(dual_of(t, 4) < t);
  e = q.encoding;
  e.symmetry.dual_blocked.push_back(dual_of(e.symmetry.dual_blocked[0], 4));
  rejected(q.cnf, e, "dual_blocked: a table not larger than its dual");
  e = q.encoding;
  e.symmetry.dual_blocked.clear();  // its clauses are then no rule's: a blocked table is a threshold function
  rejected(q.cnf, e, "no gate is ruled out");
  {
    const multi_truth_table parity4 = {make_truth_table(4, [](std::uint64_t x) { return __builtin_popcountll(x) % 2 == 1; })};
    synth_params p4 = p;
    p4.shape.widths = {3, 1};
    const auto q4 = synth_detail::tt_question(4, parity4, p4);
    REQUIRE(q4.answer == synth_result::unsat);
    CHECK(q4.encoding.symmetry.dual_blocked.empty());  // parity of 4 is not self-dual: no pairing
    tt_encoding e4 = q4.encoding;
    e4.symmetry.dual_blocked = {0xfe};  // OR of 3 (its dual, AND: 0x80, is smaller)
    const tt_soundness_result s4 = check_tt_soundness(q4.cnf, e4, parity4);
    CHECK_FALSE(s4.sound);
    CHECK(s4.message.find("dual_blocked: complementing every input does not complement the function") != std::string::npos);
  }
  // The output's value on a code is a point of the output gate: "0 on the all-ones code" is not
  // sound (a positive output may be 1 there); a clause tying a pattern to a code with the wrong
  // label is not either.
  CnfLit all_ones = 0, zero_code = 0;
  for (std::size_t x = 1; x < q.encoding.vars.size(); ++x) {
    const tt_var_meaning& m = q.encoding.vars[x];
    if (m.kind == tt_var_meaning::output_value && m.input == 15) all_ones = CnfLit(x);
    if (m.kind == tt_var_meaning::output_value && m.input == 0) zero_code = CnfLit(x);
  }
  REQUIRE((all_ones && zero_code));
  Cnf extra = q.cnf;
  extra.add({-all_ones});
  rejected(extra, q.encoding, "no gate is ruled out");
  // Pattern 0 (even) with every hidden gate 0 gives the code 0, so "o[0] = 1" is refuted by it,
  // but "o[0] = 0" is what parity says there: the clause saying otherwise is rejected.
  std::vector<CnfLit> tie;
  for (std::size_t x = 1; x < q.encoding.vars.size(); ++x) {
    const tt_var_meaning& m = q.encoding.vars[x];
    if (m.kind == tt_var_meaning::value && m.p[0] == 0 && m.gate < 4) tie.push_back(CnfLit(x));
  }
  REQUIRE(tie.size() == 4);
  if (q.encoding.patterns[0] == 0) {
    Cnf sound = q.cnf, unsound = q.cnf;
    std::vector<CnfLit> a = tie, b = tie;
    a.push_back(-zero_code);  // code 0 on pattern 0 -> o[0] = 0: sound
    b.push_back(zero_code);   // code 0 on pattern 0 -> o[0] = 1: not
    sound.add(a);
    unsound.add(b);
    CHECK(check_tt_soundness(sound, q.encoding, parity5).sound);
    rejected(unsound, q.encoding, "no gate is ruled out");
  }
}
