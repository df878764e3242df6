// threshold_by_residues: a large-weight gate as a depth-2 small-weight circuit, checked on every
// input against the gate evaluated here in GMP integers, on random and adversarial gates.
#include <catch2/catch.hpp>

#include <bit>
#include <random>

#include "circuits/analysis.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/progress.hpp"
#include "circuits/simulate.hpp"
#include "compilers/arith/residue_threshold.hpp"
#include "compilers/arith/small_weights.hpp"
#include "reference.hpp"

using namespace tcx;

namespace {

struct Gate {
  std::vector<mpz_class> w;
  mpz_class t;
  bool eval(std::uint64_t pattern) const {
    mpz_class s = 0;
    for (std::size_t i = 0; i < w.size(); ++i)
      if ((pattern >> i) & 1) s += w[i];
    return s >= t;
  }
};

mpz_class random_bits(std::mt19937_64& rng, std::uint32_t bits) {
  mpz_class v = 0;
  for (std::uint32_t i = 0; i < bits; ++i) v = 2 * v + (rng() & 1);
  return v;
}

// Builds the gate over fresh inputs (some read negated) and checks every input pattern, the
// depth (2) and the weights (first layer below the largest prime, output at most N per scale).
void check_gate(const Gate& g, const residue_params& params = {}, bool negate_odd_inputs = false) {
  const auto n = static_cast<std::uint32_t>(g.w.size());
  Builder b;
  b.add_inputs(n);
  std::vector<Lit> x;
  for (std::uint32_t i = 0; i < n; ++i) x.push_back(b.input(i) ^ (negate_odd_inputs && i % 2 == 1));
  residue_stats st;
  b.add_output(threshold_by_residues(b, x, g.w, g.t, params, &st));
  Circuit c = std::move(b).build();
  for (std::uint64_t p = 0; p < (std::uint64_t(1) << n); ++p) {
    std::uint64_t q = p;
    if (negate_odd_inputs) q ^= 0xAAAAAAAAAAAAAAAAull & ((std::uint64_t(1) << n) - 1);
    REQUIRE(bool(evaluate_pattern(c, p)[0]) == g.eval(q));
  }
  CHECK(c.depth() <= 2);
  if (st.primes == 0) return;  // constant gate
  CHECK(st.primes == st.false_vote_bound + 1);
  circuit_stats a = analyze(c);
  CHECK(a.max_weight_bits <= static_cast<std::uint64_t>(std::bit_width(st.largest_prime)));
  const Lit out = c.outputs()[0].lit;
  if (st.first_layer_gates >= 2 && c.is_gate(out.node())) {  // weights: votes sharing a gate, at most N per scale
    const gate_id og = c.gate_of(out.node());
    for (std::uint32_t i = 0; i < c.fanin_count(og); ++i) CHECK(abs(c.weight(og, i)) <= mpz_class(st.primes) * st.scales);
  }
}

}  // namespace

TEST_CASE("residue threshold: random gates with large weights, every input", "[cells][residues]") {
  std::mt19937_64 rng(41);
  for (std::uint32_t n = 1; n <= 7; ++n)
    for (std::uint32_t bits : {3u, 10u, 24u, 64u, 100u}) {
      Gate g;
      mpz_class neg = 0, pos = 0;
      for (std::uint32_t i = 0; i < n; ++i) {
        mpz_class w = random_bits(rng, bits);
        if (rng() % 3 == 0) w = -w;
        (sgn(w) < 0 ? neg : pos) += w;
        g.w.push_back(w);
      }
      // A threshold inside the reachable range, sometimes exactly a reachable sum.
      mpz_class span = pos - neg + 1;
      g.t = neg + mpz_class(random_bits(rng, bits + 3)) % span;
      if (rng() % 2 == 0) {
        g.t = 0;
        for (std::uint32_t i = 0; i < n; ++i)
          if (rng() & 1) g.t += g.w[i];
      }
      INFO("n " << n << " bits " << bits << " t " << g.t.get_str());
      check_gate(g, {}, n % 2 == 0);
    }
}

TEST_CASE("residue threshold: comparison x >= y, the sum near zero on many inputs", "[cells][residues]") {
  for (std::uint32_t k : {1u, 2u, 3u, 4u}) {
    Gate g;  // sum 2^i x_i - sum 2^i y_i >= 0: D = 0 on every x = y
    for (std::uint32_t i = 0; i < k; ++i) g.w.push_back(mpz_class(1) << i);
    for (std::uint32_t i = 0; i < k; ++i) g.w.push_back(-(mpz_class(1) << i));
    g.t = 0;
    INFO("k " << k);
    check_gate(g);
    g.t = 1;  // strict
    check_gate(g);
  }
}

TEST_CASE("residue threshold: the smallest and larger primes give the same function", "[cells][residues]") {
  Gate g;  // weights 3^i: many carries between bit positions
  mpz_class w = 1;
  for (int i = 0; i < 7; ++i, w *= 3) g.w.push_back(i % 2 ? w : mpz_class(w + 1));
  g.t = 1093;
  for (std::uint32_t bits : {1u, 4u, 8u, 12u}) {
    residue_params p;
    p.min_prime_bits = bits;
    p.max_weight_bits = 14;
    INFO("prime bits " << bits);
    check_gate(g, p);
  }
}

TEST_CASE("residue threshold: constant gates and the size budget", "[cells][residues]") {
  Builder b;
  b.add_inputs(3);
  Lit x[3] = {b.input(0), b.input(1), b.input(2)};
  std::vector<mpz_class> w{mpz_class(1) << 40, mpz_class(5), mpz_class(-7)};
  CHECK(threshold_by_residues(b, x, w, mpz_class(-7)) == lit_true);
  CHECK(threshold_by_residues(b, x, w, (mpz_class(1) << 40) + 6) == lit_false);
  CHECK(b.num_gates() == 0);
  // 40 inputs of 64 bits: far more gates than the budget allows, refused before building.
  Builder big;
  big.add_inputs(40);
  std::vector<Lit> xs;
  std::vector<mpz_class> ws;
  std::mt19937_64 rng(7);
  for (std::uint32_t i = 0; i < 40; ++i) {
    xs.push_back(big.input(i));
    ws.push_back(random_bits(rng, 64));
  }
  residue_params p;
  p.max_gates = 100000;
  CHECK_THROWS_AS(threshold_by_residues(big, xs, ws, mpz_class(1) << 66, p), std::length_error);
  CHECK(big.num_gates() == 0);
}

TEST_CASE("to_small_weights by residues: one extra level per large gate", "[cells][reweight][residues]") {
  std::mt19937_64 rng(12);
  for (std::uint32_t rep = 0; rep < 4; ++rep) {
    const tcx::test::RandomParams p{.inputs = 6, .gates = 5, .max_fanin = 4, .weight_bits = 12u + 8u * rep};
    Circuit c = tcx::test::random_netlist(rng, p).build();
    small_weights_params sp;
    sp.max_bits = 3;
    sp.method = reweight_method::residues;
    small_weights_stats st;
    Circuit s = to_small_weights(c, sp, &st);
    INFO("rep " << rep);
    CHECK(equivalent_by_simulation(c, s).verdict == equiv_result::equal);
    CHECK(st.depth_after <= 2 * st.depth_before);
  }
  // A depth-1 circuit becomes depth 2 (the adders take 7 and more levels).
  Gate g;
  for (std::uint32_t i = 0; i < 5; ++i) g.w.push_back(mpz_class(1) << (7 * i));
  g.t = (mpz_class(1) << 28) + 3;
  Builder b;
  b.add_inputs(5);
  std::vector<Lit> x;
  for (std::uint32_t i = 0; i < 5; ++i) x.push_back(b.input(i));
  b.add_output(b.add_gate(x, g.w, g.t));
  Circuit c = std::move(b).build();
  small_weights_params sp;
  sp.max_bits = 4;
  sp.method = reweight_method::residues;
  small_weights_stats st;
  Circuit s = to_small_weights(c, sp, &st);
  CHECK(st.gates_replaced == 1);
  CHECK(st.depth_after == 2);
  CHECK(st.max_weight_bits_after <= 16);
  CHECK(equivalent_by_simulation(c, s).verdict == equiv_result::equal);
}

TEST_CASE("residue threshold: the time budget is polled between gate requests; votes are counted", "[cells][residues]") {
  // x >= y on k bits: sum 2^i x_i - sum 2^i y_i >= 0.
  auto comparison = [](Builder& b, std::uint32_t k, const residue_params& p, residue_stats* st) {
    b.add_inputs(2 * k);
    std::vector<Lit> x;
    std::vector<mpz_class> w;
    for (std::uint32_t i = 0; i < k; ++i) {
      x.push_back(b.input(i));
      w.push_back(mpz_class(1) << i);
      x.push_back(b.input(k + i));
      w.push_back(-(mpz_class(1) << i));
    }
    return threshold_by_residues(b, x, w, 0, p, st);
  };
  // At 64 bits thousands of votes: a budget already spent stops the planning before the first
  // gate (the Builder alone would notice only at its 1024th gate request).
  builder_params bp;
  bp.time_limit_s = 1e-9;
  Builder spent(bp);
  CHECK_THROWS_AS(comparison(spent, 64, {}, nullptr), BudgetExceeded);
  CHECK(spent.num_gates() == 0);
  // Progress counts every vote once: N per scale, one where no prime can vote falsely.
  Progress progress("test", 0, "votes");
  residue_params p;
  p.progress = &progress;
  Builder b;
  residue_stats st;
  b.add_output(comparison(b, 16, p, &st));
  CHECK(progress.done() > st.scales);
  CHECK(progress.done() < std::uint64_t(st.scales) * st.primes);
}
