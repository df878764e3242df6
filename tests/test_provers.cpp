// Provers: CNF encodings of threshold gates checked against brute force, and SAT equivalence
// checked against exhaustive simulation (an independent decision procedure).
#include <catch2/catch.hpp>

#include <functional>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

#include "circuits/evaluate.hpp"
#include "circuits/lower.hpp"
#include "circuits/io/tc_format.hpp"
#include "circuits/passes.hpp"
#include "circuits/simulate.hpp"
#include "compilers/arith/compare.hpp"
#include "compilers/arith/sum.hpp"
#include "compilers/arith/symmetric.hpp"
#include "provers/equiv.hpp"
#include "provers/synth.hpp"
#include "reference.hpp"

using namespace tcx;
using namespace tcx::test;

namespace {

mpz_class random_weight(std::mt19937_64& rng, std::uint32_t bits) {
  mpz_class w = 0;
  for (std::uint32_t b = 0; b < bits; ++b) w = 2 * w + static_cast<long>(rng() & 1u);
  return (rng() & 1u) ? mpz_class(-w) : w;
}

}  // namespace

TEST_CASE("threshold encodings equal the gate on every assignment", "[provers]") {
  std::mt19937_64 rng(5);
  for (GateEncoding e : {GateEncoding::bdd, GateEncoding::adder, GateEncoding::automatic})
    for (std::uint32_t bits : {1u, 3u, 8u, 70u})
      for (int trial = 0; trial < 12; ++trial) {
        const std::size_t k = 1 + rng() % 6;
        std::vector<mpz_class> w;
        for (std::size_t i = 0; i < k; ++i) w.push_back(random_weight(rng, bits));
        mpz_class t = random_weight(rng, bits + 1);
        Cnf cnf;
        std::vector<CnfLit> x;
        for (std::size_t i = 0; i < k; ++i) x.push_back(cnf.new_var());
        if (trial % 3 == 0) x[0] = -x[0];  // negated inputs too
        encode_params p;
        p.encoding = e;
        p.bdd_node_limit = 8;  // automatic falls back to the adder on the larger gates
        const CnfLit y = encode_threshold(cnf, x, w, t, p);
        INFO("encoding " << encoding_name(e) << ", bits " << bits << ", k " << k);
        for (std::uint32_t a = 0; a < (1u << k); ++a) {
          std::vector<CnfLit> assume;
          mpz_class sum = 0;
          for (std::size_t i = 0; i < k; ++i) {
            const bool v = (a >> i) & 1u;
            assume.push_back(v ? x[i] : -x[i]);
            if (v) sum += w[i];
          }
          const bool want = sum >= t;
          assume.push_back(want ? y : -y);
          REQUIRE(solve_cnf(cnf, {}, assume).answer == sat_result::sat);
          assume.back() = want ? -y : y;
          REQUIRE(solve_cnf(cnf, {}, assume).answer == sat_result::unsat);
        }
      }
}

TEST_CASE("DIMACS output is the CNF", "[provers]") {
  Cnf cnf;
  const CnfLit a = cnf.new_var(), b = cnf.new_var();
  cnf.define_and(a, b);
  std::ostringstream out;
  write_dimacs(out, cnf, {"and"});
  CHECK(out.str() == "c and\np cnf 4 4\n1 0\n-4 2 0\n-4 3 0\n4 -2 -3 0\n");
}

TEST_CASE("SAT equivalence agrees with exhaustive simulation", "[provers]") {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    RandomParams rp;
    rp.inputs = 8;
    rp.gates = 25;
    rp.outputs = 3;
    rp.weight_bits = seed % 4 == 0 ? 40 : 3;
    const Circuit a = random_netlist(rng, rp).build();
    // The same function lowered to AND gates: equal.
    const Circuit lowered = lower_to_and_network(a);
    sat_equiv_params p;
    p.encoding.encoding = seed % 2 ? GateEncoding::bdd : GateEncoding::adder;
    INFO("seed " << seed);
    CHECK(equivalent_by_sat(a, lowered, p).verdict == sat_equiv_result::equal);
    // Another random circuit on the same inputs: SAT must say what simulation says, and a
    // counterexample must be one.
    std::mt19937_64 rng2(seed + 1000);
    const Circuit b = random_netlist(rng2, rp).build();
    const sat_equiv_result r = equivalent_by_sat(a, b, p);
    const equiv_result sim = equivalent_by_simulation(a, b);
    CHECK((r.verdict == sat_equiv_result::equal) == (sim.verdict == equiv_result::equal));
    if (r.verdict == sat_equiv_result::different) {
      CHECK(evaluate(a, r.inputs) != evaluate(b, r.inputs));
    }
  }
}

TEST_CASE("SAT equivalence beyond exhaustive reach: a 40-bit comparator, rewritten", "[provers]") {
  Builder bb;
  const Word x = add_input_word(bb, 40, "x"), y = add_input_word(bb, 40, "y");
  bb.add_output(greater_equal(bb, x, y), "ge");
  const Circuit big = std::move(bb).build();  // one gate, weights up to 2^39
  Builder bs;
  const Word xs = add_input_word(bs, 40, "x"), ys = add_input_word(bs, 40, "y");
  bs.add_output(greater_equal_small(bs, xs, ys), "ge");
  const Circuit small = std::move(bs).build();  // unit weights, depth 3
  for (GateEncoding e : {GateEncoding::automatic, GateEncoding::adder}) {
    sat_equiv_params p;
    p.encoding.encoding = e;
    CHECK(equivalent_by_sat(big, small, p).verdict == sat_equiv_result::equal);
  }
  // An off-by-one threshold differs only when x == y: SAT finds such an input.
  Builder bc;
  const Word x2 = add_input_word(bc, 40, "x"), y2 = add_input_word(bc, 40, "y");
  std::vector<Term> terms;
  append_terms(terms, x2);
  append_terms(terms, y2, -1);
  std::vector<Lit> lits;
  std::vector<mpz_class> ws;
  for (const Term& t : terms) {
    lits.push_back(t.lit);
    ws.push_back(t.weight);
  }
  bc.add_output(bc.add_gate(lits, ws, mpz_class(1)), "gt");
  const Circuit gt = std::move(bc).build();
  const sat_equiv_result r = equivalent_by_sat(big, gt);
  REQUIRE(r.verdict == sat_equiv_result::different);
  CHECK(std::equal(r.inputs.begin(), r.inputs.begin() + 40, r.inputs.begin() + 40));  // x == y
}

TEST_CASE("a budget gives unknown", "[provers]") {
  // A 12-bit multiplier against its lowered AND network: far beyond one conflict.
  Builder b;
  const Word x = add_input_word(b, 12, "x"), y = add_input_word(b, 12, "y");
  add_output_word(b, multiply(b, x, y), "p");
  const Circuit m = std::move(b).build();
  sat_equiv_params p;
  p.sat.conflicts = 1;
  CHECK(equivalent_by_sat(m, lower_to_and_network(m), p).verdict == sat_equiv_result::unknown);
}

TEST_CASE("identical parts merge before SAT: parity of 64 against itself needs no search", "[provers]") {
  Builder b1, b2;
  std::vector<Lit> x1, x2;
  for (int i = 0; i < 64; ++i) {
    x1.push_back(b1.add_input());
    x2.push_back(b2.add_input());
  }
  b1.add_output(parity(b1, x1));
  b2.add_output(parity(b2, x2));
  sat_equiv_params p;
  p.sat.conflicts = 1;  // an XOR miter this size is far beyond one conflict unless merged
  const Circuit a = std::move(b1).build(), c = std::move(b2).build();
  const sat_equiv_result r = equivalent_by_sat(a, c, p);
  CHECK(r.verdict == sat_equiv_result::equal);
  // Merged pairs are not encoded at all: the miter holds the inputs' variables and one empty clause.
  CHECK(r.encoded.bdd_gates + r.encoded.adder_gates == 0);
  CHECK(r.clauses <= 2);
  // Where one output of two differs structurally, only that output's cone is encoded.
  Builder b3;
  std::vector<Lit> x3;
  for (int i = 0; i < 64; ++i) x3.push_back(b3.add_input());
  b3.add_output(parity(b3, x3));
  b3.add_output(b3.add_gate(std::span(x3).first(3), std::vector<std::int64_t>{1, 1, 1}, 2));
  Builder b4;
  std::vector<Lit> x4;
  for (int i = 0; i < 64; ++i) x4.push_back(b4.add_input());
  b4.add_output(parity(b4, x4));
  const Lit l = b4.add_gate(std::span(x4).first(2), std::vector<std::int64_t>{1, 1}, 2);  // majority as (x0 & x1) | x2 (x0 | x1)
  const Lit m = b4.add_gate(std::span(x4).first(2), std::vector<std::int64_t>{1, 1}, 1);
  const Lit x2m = b4.add_gate(std::vector<Lit>{x4[2], m}, std::vector<std::int64_t>{1, 1}, 2);
  b4.add_output(b4.add_gate(std::vector<Lit>{l, x2m}, std::vector<std::int64_t>{1, 1}, 1));
  const sat_equiv_result r2 = equivalent_by_sat(std::move(b3).build(), std::move(b4).build());
  CHECK(r2.verdict == sat_equiv_result::equal);
  CHECK(r2.encoded.bdd_gates + r2.encoded.adder_gates <= 6);  // the majority's cones, not parity's 65 gates
}

namespace {

multi_truth_table table_of(std::uint32_t n, const std::function<bool(std::uint64_t)>& f) { return {make_truth_table(n, f)}; }

synth_result synth(std::uint32_t n, const std::function<bool(std::uint64_t)>& f, std::vector<std::uint32_t> widths, bool skip = false) {
  synth_params p;
  p.shape.widths = std::move(widths);
  p.shape.skip = skip;
  p.time_limit_s = 120;
  return synthesize(n, table_of(n, f), p);
}

bool parity_of(std::uint64_t p) { return __builtin_popcountll(p) & 1; }

}  // namespace

TEST_CASE("synthesis: known answers", "[provers][synth]") {
  auto xor2 = [](std::uint64_t p) { return parity_of(p & 3); };
  const synth_result one = synth(2, xor2, {1});
  CHECK(one.answer == synth_result::unsat);
  CHECK(one.unsat_for_all_weights);  // fan-in 2 needs |w| <= 1 only: no single gate at all
  const synth_result two = synth(2, xor2, {1, 1}, true);
  REQUIRE(two.answer == synth_result::sat);
  CHECK(equivalent_by_simulation(two.circuit, two.circuit).verdict == equiv_result::equal);
  CHECK(synth(2, xor2, {2, 1}).answer == synth_result::sat);
  // Inputs the function ignores are left out of the search and put back in the circuit: the
  // XOR of inputs 1 and 3 of 6 is still not one gate, still two with a skip wire, fan-in 10 or not.
  auto xor13 = [](std::uint64_t p) { return ((p >> 1) ^ (p >> 3)) & 1u; };
  const synth_result wide_one = synth(6, xor13, {1});
  CHECK(wide_one.answer == synth_result::unsat);
  CHECK(wide_one.unsat_for_all_weights);
  const synth_result wide_two = synth(6, xor13, {1, 1}, true);
  REQUIRE(wide_two.answer == synth_result::sat);
  REQUIRE(wide_two.circuit.num_inputs() == 6);
  const auto rows = truth_tables(wide_two.circuit);
  for (std::uint64_t q = 0; q < 64; ++q) CHECK(get_bit(rows[0], q) == xor13(q));
  // Parity in a layered depth-2 template needs n hidden gates; with skip wires floor(n/2) + 1 in all.
  for (std::uint32_t n : {3u, 4u}) {
    INFO("parity " << n);
    const synth_result ok = synth(n, parity_of, {n, 1});
    REQUIRE(ok.answer == synth_result::sat);
    CHECK(simulate_patterns(ok.circuit, {std::vector<std::uint8_t>(n, 1)})[0][0] == (n & 1));
    CHECK(synth(n, parity_of, {n - 1, 1}).answer == synth_result::unsat);
    CHECK(synth(n, parity_of, {n / 2, 1}, true).answer == synth_result::sat);
    // One gate fewer: n = 3 leaves a single gate, n = 4 a hidden gate and the output.
    CHECK(synth(n, parity_of, n == 3 ? std::vector<std::uint32_t>{1} : std::vector<std::uint32_t>{1, 1}, true).answer ==
          synth_result::unsat);
  }
}

TEST_CASE("synthesis: 104 of the 256 functions of 3 inputs are one threshold gate", "[provers][synth]") {
  int gates = 0;
  for (std::uint32_t f = 0; f < 256; ++f) {
    const synth_result r = synth(3, [f](std::uint64_t p) { return (f >> p) & 1u; }, {1});
    REQUIRE(r.answer != synth_result::unknown);
    if (r.answer == synth_result::sat) {
      ++gates;
      CHECK(r.circuit.num_gates() <= 1);
    }
  }
  CHECK(gates == 104);
}

TEST_CASE("threshold-gate symmetry breaking keeps every answer: all 256 functions of 3 inputs in two shapes", "[provers][synth]") {
  // The rules (hidden thresholds >= 1 and ordered in a layer, interchangeable inputs first read
  // in order) must keep a circuit of every class: the answers with and without them agree.
  std::size_t found = 0;
  for (const std::vector<std::uint32_t>& widths : {std::vector<std::uint32_t>{1, 1}, std::vector<std::uint32_t>{2, 1}})
    for (std::uint32_t f = 0; f < 256; ++f) {
      synth_params p;
      p.shape.widths = widths;
      p.shape.skip = widths.size() == 2 && widths[0] == 1;
      p.time_limit_s = 60;
      const auto table = table_of(3, [f](std::uint64_t q) { return (f >> q) & 1u; });
      const synth_result with = synthesize(3, table, p);
      p.symmetry_breaking = false;
      const synth_result without = synthesize(3, table, p);
      INFO("function " << f << ", " << widths[0] << " hidden");
      REQUIRE(with.answer != synth_result::unknown);
      CHECK(with.answer == without.answer);
      found += with.answer == synth_result::sat;
    }
  CHECK(found > 256);  // both shapes compute more than the 104 single gates
}

TEST_CASE("the weights threshold functions need: 1, 1, 2, 3, 5 for 1..5 inputs, by brute force", "[provers][synth]") {
  // Every function realizable with |w| <= W and a threshold in range, as a truth table; the
  // published counts of threshold functions of k inputs are 4, 14, 104, 1882, 94572.
  auto count = [](std::uint32_t k, std::int64_t W) {
    std::vector<std::uint32_t> tables;  // k <= 5: a table fits 32 bits
    std::vector<std::int64_t> w(k, -W);
    std::vector<std::int64_t> sum(std::size_t(1) << k);
    for (;;) {
      for (std::uint32_t p = 0; p < (1u << k); ++p) {
        sum[p] = 0;
        for (std::uint32_t i = 0; i < k; ++i) sum[p] += ((p >> i) & 1u) ? w[i] : 0;
      }
      for (std::int64_t t = -std::int64_t(k) * W; t <= std::int64_t(k) * W + 1; ++t) {
        std::uint64_t table = 0;
        for (std::uint32_t p = 0; p < (1u << k); ++p)
          if (sum[p] >= t) table |= std::uint64_t(1) << p;
        tables.push_back(static_cast<std::uint32_t>(table));
      }
      std::uint32_t i = 0;
      while (i < k && w[i] == W) w[i++] = -W;
      if (i == k) break;
      ++w[i];
    }
    std::sort(tables.begin(), tables.end());
    return static_cast<std::uint64_t>(std::unique(tables.begin(), tables.end()) - tables.begin());
  };
  const std::uint64_t published[] = {0, 4, 14, 104, 1882, 94572};
  for (std::uint32_t k = 1; k <= 5; ++k) {
    INFO("k = " << k);
    const std::int64_t W = max_weight_needed(k);
    CHECK(count(k, W) == published[k]);
    CHECK(count(k, W + 1) == published[k]);      // more room adds nothing
    if (W > 1) CHECK(count(k, W - 1) < published[k]);  // and less loses functions
  }
}

TEST_CASE("synthesis with majority-of-3 gates: majority of 5 needs 4 of them", "[provers][synth]") {
  auto maj5 = [](std::uint64_t p) { return __builtin_popcountll(p) >= 3; };
  for (std::uint32_t gates : {3u, 4u}) {
    synth_params p;
    p.shape.widths.assign(gates, 1);
    p.shape.skip = true;
    p.shape.majority_of = 3;
    p.shape.complemented = false;
    const synth_result r = synthesize(5, table_of(5, maj5), p);
    INFO(gates << " gates");
    CHECK(r.answer == (gates == 3 ? synth_result::unsat : synth_result::sat));
    if (r.answer == synth_result::sat) {
      CHECK(r.circuit.num_gates() == 4);
      for (gate_id g : r.circuit.gates()) {  // every gate a plain MAJ3
        const auto w = r.circuit.small_weights(g);
        CHECK(w.size() == 3);
        CHECK(std::all_of(w.begin(), w.end(), [](std::int32_t x) { return x == 1; }));
        CHECK(r.circuit.small_threshold(g) == 2);
      }
    }
  }
}

namespace {

// Every function a template of majority-of-K gates computes, by enumerating every choice of K
// distinct sources (and signs) per gate: written apart from the SAT encoding, as its reference.
// Functions are truth tables of up to 5 inputs in one 32-bit word; single output.
void majority_functions(std::uint32_t n, const synth_shape& shape, std::size_t g, std::vector<std::uint32_t>& value,
                        std::set<std::uint32_t>& out) {
  const std::uint32_t rows = 1u << n, mask = rows == 32 ? ~0u : (1u << rows) - 1;
  std::vector<std::uint32_t> src;  // the truth tables this gate may read
  std::uint32_t layer = 0, before = 0;
  while (before + shape.widths[layer] <= g) before += shape.widths[layer++];
  const std::uint32_t prev_first = layer ? before - shape.widths[layer - 1] : 0;
  if (layer == 0 || shape.skip)
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint32_t t = 0;
      for (std::uint32_t q = 0; q < rows; ++q) t |= ((q >> i) & 1u) << q;
      src.push_back(t);
    }
  if (layer > 0)
    for (std::uint32_t h = shape.skip ? 0 : prev_first; h < before; ++h) src.push_back(value[h]);
  const std::uint32_t K = shape.majority_of, signs = shape.complemented ? 1u << K : 1u;
  std::vector<std::uint32_t> pick(K);
  std::function<void(std::uint32_t, std::uint32_t)> choose = [&](std::uint32_t k, std::uint32_t from) {
    if (k == K) {
      for (std::uint32_t s = 0; s < signs; ++s) {
        std::uint32_t t = 0;
        for (std::uint32_t q = 0; q < rows; ++q) {
          std::uint32_t ones = 0;
          for (std::uint32_t j = 0; j < K; ++j) ones += ((src[pick[j]] >> q) & 1u) ^ ((s >> j) & 1u);
          t |= std::uint32_t(ones > K / 2) << q;
        }
        value[g] = t & mask;
        if (g + 1 == value.size()) out.insert(value[g]);
        else majority_functions(n, shape, g + 1, value, out);
      }
      return;
    }
    for (std::uint32_t j = from; j < src.size(); ++j) {
      pick[k] = j;
      choose(k + 1, j + 1);
    }
  };
  choose(0, 0);
}

}  // namespace

TEST_CASE("majority-class synthesis agrees with enumerating every circuit of the shape", "[provers][synth]") {
  // The symmetry breaking (every gate used, ordered slots and gates, interchangeable inputs
  // first read in order) must never turn a computable function into "none". Checked on every
  // symmetric function (where the input rules bite hardest), a spread of computable ones and
  // random ones, with the rules on and off.
  struct Case {
    std::uint32_t n;
    std::vector<std::uint32_t> widths;
    bool skip, complemented;
    std::uint32_t K;
  };
  for (const Case& c : {Case{4, {1, 1, 1}, true, false, 3}, Case{4, {1, 1, 1}, true, true, 3}, Case{4, {3, 1}, false, true, 3},
                        Case{5, {2, 1}, true, false, 3}, Case{5, {1, 1}, true, true, 3}, Case{5, {1}, true, true, 5}}) {
    synth_params p;
    p.shape.widths = c.widths;
    p.shape.skip = c.skip;
    p.shape.majority_of = c.K;
    p.shape.complemented = c.complemented;
    std::set<std::uint32_t> computable;
    std::vector<std::uint32_t> value(std::accumulate(c.widths.begin(), c.widths.end(), 0u));
    majority_functions(c.n, p.shape, 0, value, computable);
    const std::uint32_t rows = 1u << c.n;
    std::vector<std::uint32_t> targets;
    for (std::uint32_t counts = 0; counts < (2u << c.n); ++counts) {  // every symmetric function
      std::uint32_t t = 0;
      for (std::uint32_t q = 0; q < rows; ++q) t |= ((counts >> __builtin_popcount(q)) & 1u) << q;
      targets.push_back(t);
    }
    const std::vector<std::uint32_t> reach(computable.begin(), computable.end());
    for (std::size_t k = 0; k < 40; ++k) targets.push_back(reach[k * reach.size() / 40]);
    std::mt19937 rng(7);
    for (int k = 0; k < 20; ++k) targets.push_back(static_cast<std::uint32_t>(rng()) & (rows == 32 ? ~0u : (1u << rows) - 1));
    std::size_t found = 0;
    for (std::uint32_t t : targets) {
      const multi_truth_table table{make_truth_table(c.n, [t](std::uint64_t q) { return (t >> q) & 1u; })};
      for (bool symmetry : {true, false}) {
        p.symmetry_breaking = symmetry;
        const synth_result r = synthesize(c.n, table, p);
        INFO("n " << c.n << ", " << c.widths.size() << " layers, skip " << c.skip << ", complements " << c.complemented << ", MAJ"
                  << c.K << ", table " << t << ", symmetry breaking " << symmetry);
        REQUIRE(r.answer != synth_result::unknown);
        CHECK((r.answer == synth_result::sat) == (computable.count(t) == 1));
        found += r.answer == synth_result::sat;
      }
    }
    CHECK(found >= 80);  // the computable ones were asked, and found
  }
}

TEST_CASE("the frontier of parity: floor(n/2) + 1 gates at depth 2, proven minimal", "[provers][synth]") {
  frontier_params fp;
  fp.max_depth = 3;
  fp.max_gates = 4;
  for (std::uint32_t n : {2u, 3u, 4u}) {
    INFO("n = " << n);
    const std::vector<frontier_cell> cells = frontier(n, table_of(n, parity_of), fp);
    REQUIRE(cells.size() == 3);
    CHECK(cells[0].status == frontier_cell::none_within_budget);  // no single gate computes parity
    CHECK(cells[1].status == frontier_cell::proven_minimal);
    CHECK(cells[1].gates == n / 2 + 1);
    // A cell is the fewest gates at depth <= d: a third layer does not help parity of n <= 4
    // (3 layers need 3 gates, and 3 do at depth 2), and it is still proven.
    CHECK(cells[2].status == frontier_cell::proven_minimal);
    CHECK(cells[2].gates == n / 2 + 1);
  }
  // Unknown cells say how far the refutation reached: with no time at all, nothing ("?>0").
  fp.time_limit_per_query_s = 1e-9;
  for (const frontier_cell& c : frontier(4, table_of(4, parity_of), fp)) CHECK(frontier_cell_text(c) == "?>0");
}

TEST_CASE("the frontier's second reading: the smallest depth per gate budget, proven only when shallower depths need more",
          "[provers][synth]") {
  using S = frontier_cell;
  auto cell = [](S::Status s, std::uint32_t g) { S c; c.status = s; c.gates = g; return c; };
  auto text = [](const std::vector<S>& cells, std::uint32_t G) {
    std::string out;
    for (const budget_depth& b : smallest_depth_by_budget(cells, G)) out += budget_depth_text(b) + " ";
    return out;
  };
  // Parity of 4: none at depth 1, 3 gates at depth 2 and 3.
  CHECK(text({cell(S::none_within_budget, 5), cell(S::proven_minimal, 3), cell(S::proven_minimal, 3)}, 5) == "- - 2* 2* 2* ");
  // Rule 110 after 3 steps: 4 gates at depth 2, 3 at depth 3 (3 gates need depth 3, proven).
  CHECK(text({cell(S::none_within_budget, 5), cell(S::proven_minimal, 4), cell(S::proven_minimal, 3)}, 5) == "- - 3* 2* 2* ");
  // An open shallower cell proves "needs more than G" only up to the sizes it refuted (?>2: 1 and 2 gates).
  CHECK(text({cell(S::unknown, 2), cell(S::proven_minimal, 3)}, 4) == "- - 2 2 ");
  CHECK(text({cell(S::unknown, 3), cell(S::proven_minimal, 3)}, 4) == "- - 2* 2 ");
  // A found (not minimal) shallower cell proves nothing about smaller budgets.
  CHECK(text({cell(S::found, 4), cell(S::proven_minimal, 3)}, 4) == "? ? 2 1* ");
  // Certified: proven, and every shallower cell the claim rests on certified (a found circuit
  // needs no proof: it is verified).
  auto certified = [](const std::vector<S>& cells, std::uint32_t G) {
    std::string out;
    for (const budget_depth& b : smallest_depth_by_budget(cells, G)) out += b.certified ? "c" : ".";
    return out;
  };
  std::vector<S> parity4{cell(S::none_within_budget, 5), cell(S::proven_minimal, 3), cell(S::proven_minimal, 3)};
  CHECK(certified(parity4, 5) == ".....");
  parity4[0].certified = true;  // 3 to 5 gates: depth 2, resting on depth 1's "none"
  CHECK(certified(parity4, 5) == "..ccc");
  parity4[1].certified = parity4[2].certified = true;  // 1 and 2 gates: on every depth's refutation
  CHECK(certified(parity4, 5) == "ccccc");
  parity4[0].certified = false;
  CHECK(certified(parity4, 5) == ".....");
  // Only the cells below the depth chosen: a budget met at depth 1 rests on nothing.
  std::vector<S> easy{cell(S::proven_minimal, 2), cell(S::unknown, 1)};
  CHECK(certified(easy, 3) == ".cc");
  easy[0].certified = true;  // "none within 1 gate" also rests on depth 2's refutation ("?>1")
  CHECK(certified(easy, 3) == ".cc");
  easy[1].certified = true;
  CHECK(certified(easy, 3) == "ccc");
}

TEST_CASE("fits_shape: what synthesis finds fits its shape; more gates, layers or skip wires do not", "[provers][synth]") {
  // Circuits synthesis finds, layered and with skip wires, fit the shape asked for.
  for (const bool skip : {false, true})
    for (std::uint32_t f = 0; f < 256; f += 7) {
      synth_params p;
      p.shape.widths = {2, 1};
      p.shape.skip = skip;
      const synth_result r = synthesize(3, {make_truth_table(3, [f](std::uint64_t q) { return (f >> q) & 1u; })}, p);
      REQUIRE(r.answer != synth_result::unknown);
      if (r.answer == synth_result::sat) {
        INFO("f " << f << " skip " << skip << "\n" << write_tc(r.circuit));
        CHECK(fits_shape(r.circuit, p.shape));
      }
    }
  // By hand: AND and OR of x0, x1 in the first layer, the output over them (and x2), none of
  // the gates one the Builder could simplify away.
  auto build = [](bool output_reads_input, bool third_gate, bool chain) {
    Builder b;
    b.add_inputs(3);
    const std::vector<std::int64_t> ones{1, 1};
    const Lit a = b.add_gate(std::vector<Lit>{b.input(0), b.input(1)}, ones, 2);
    const Lit o = b.add_gate(std::vector<Lit>{b.input(0), b.input(1)}, ones, 1);
    Lit top = b.add_gate(std::vector<Lit>{a, o}, ones, 1);
    if (output_reads_input) top = b.add_gate(std::vector<Lit>{a, o, b.input(2)}, std::vector<std::int64_t>{2, 1, 1}, 2);
    if (third_gate) top = b.add_gate(std::vector<Lit>{a, o, b.add_gate(std::vector<Lit>{b.input(1), b.input(2)}, ones, 2)},
                                     std::vector<std::int64_t>{1, 1, 1}, 2);
    if (chain) top = b.add_gate(std::vector<Lit>{top, b.input(2)}, ones, 2);
    b.add_output(top);
    return remove_unreachable(std::move(b).build());
  };
  synth_shape layered, skip;
  layered.widths = skip.widths = {2, 1};
  skip.skip = true;
  CHECK(fits_shape(build(false, false, false), layered));
  CHECK(fits_shape(build(false, false, false), skip));
  CHECK_FALSE(fits_shape(build(true, false, false), layered));  // x2 read by the output: a copy of it would need a third gate below
  CHECK(fits_shape(build(true, false, false), skip));
  CHECK_FALSE(fits_shape(build(false, true, false), skip));  // 3 gates below the output
  CHECK_FALSE(fits_shape(build(false, false, true), skip));  // 3 levels
  synth_shape wider = skip;
  wider.widths = {3, 1};
  CHECK(fits_shape(build(false, true, false), wider));
  wider.widths = {1, 2, 1};  // two of the three in the second layer
  CHECK(fits_shape(build(false, true, false), wider));
  wider.widths = {1, 1, 1};
  CHECK_FALSE(fits_shape(build(false, true, false), wider));
  wider.widths = {2, 1, 1};
  CHECK(fits_shape(build(false, true, false), wider));  // [x1 + x2 >= 2] in the second layer
  CHECK(fits_shape(build(false, false, true), wider));
  synth_shape deep = layered;
  deep.widths = {2, 1, 1};
  CHECK_FALSE(fits_shape(build(false, false, true), deep));  // x2 needs a copy in layer 2, which is full
  deep.widths = {3, 2, 1};
  CHECK(fits_shape(build(false, false, true), deep));  // copies of x2 in layers 1 and 2
  CHECK(fits_shape(build(true, false, false), synth_shape{{3, 1}}));  // a copy of x2 in layer 1
  wider.widths = {2, 1};
  wider.max_weight = 1;  // the output weighs a by 2
  CHECK_FALSE(fits_shape(build(true, false, false), wider));
  wider.max_weight = 2;
  CHECK(fits_shape(build(true, false, false), wider));
  wider.max_weight = 0;
  wider.max_fanin = 2;  // the output reads three
  CHECK_FALSE(fits_shape(build(true, false, false), wider));
  synth_shape two_outputs = skip;
  two_outputs.widths = {2, 2};
  CHECK_FALSE(fits_shape(build(false, false, false), two_outputs));
}
