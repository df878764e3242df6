// Provers: CNF encodings of threshold gates checked against brute force, and SAT equivalence
// checked against exhaustive simulation (an independent decision procedure).
#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include "circuits/evaluate.hpp"
#include "circuits/lower.hpp"
#include "circuits/simulate.hpp"
#include "compilers/arith/compare.hpp"
#include "compilers/arith/sum.hpp"
#include "compilers/arith/symmetric.hpp"
#include "provers/equiv.hpp"
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
  CHECK(equivalent_by_sat(a, c, p).verdict == sat_equiv_result::equal);
}
