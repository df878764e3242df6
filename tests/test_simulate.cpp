// The bit-parallel simulator and the AND/NOT lowering against the scalar evaluator.
#include <catch2/catch.hpp>

#include "circuits/evaluate.hpp"
#include "circuits/lower.hpp"
#include "circuits/simulate.hpp"
#include "reference.hpp"

using namespace tcx;
using namespace tcx::test;

namespace {
void check_tables_against_scalar(const Circuit& c, const sim_params& sp = {}) {
  auto tables = truth_tables(c, sp);
  for (std::uint64_t p = 0; p < (1ull << c.num_inputs()); ++p) {
    auto out = evaluate_pattern(c, p);
    for (std::uint32_t o = 0; o < c.num_outputs(); ++o) REQUIRE(get_bit(tables[o], p) == out[o]);
  }
}

PlainNetlist random_mixed(std::mt19937_64& rng, std::uint32_t inputs, std::uint32_t weight_bits, std::uint32_t fanin) {
  RandomParams p;
  p.inputs = inputs;
  p.gates = 40;
  p.outputs = 4;
  p.max_fanin = fanin;
  p.weight_bits = weight_bits;
  return random_netlist(rng, p);
}
}  // namespace

TEST_CASE("bit-parallel truth tables equal scalar evaluation", "[simulate]") {
  std::mt19937_64 rng(GENERATE(1, 2, 3, 4));
  for (std::uint32_t bits : {1u, 2u, 3u, 8u, 31u, 32u, 63u, 70u, 130u})
    for (std::uint32_t fanin : {2u, 8u, 64u}) {
      Circuit c = random_mixed(rng, 9, bits, fanin).build();
      check_tables_against_scalar(c);
    }
}

TEST_CASE("every block size and thread count gives the same answer", "[simulate]") {
  std::mt19937_64 rng(17);
  Circuit c = random_mixed(rng, 12, 20, 16).build();
  auto reference = truth_tables(c, sim_params{1, 1});
  for (std::uint32_t words : {1u, 2u, 4u, 16u, 64u})
    for (std::uint32_t threads : {1u, 2u}) CHECK(truth_tables(c, sim_params{words, threads}) == reference);
  check_tables_against_scalar(c);
}

TEST_CASE("tiny circuits: fewer than 64 patterns, constant outputs", "[simulate]") {
  Builder b;
  Lit x = b.add_input(), y = b.add_input();
  std::vector<std::int64_t> w{1, 1};
  b.add_output(b.add_gate(std::vector<Lit>{x, y}, w, 2));
  b.add_output(lit_true);
  b.add_output(!x);
  Circuit c = std::move(b).build();
  auto t = truth_tables(c);
  CHECK(to_hex(t[0]) == "8");
  CHECK(to_hex(t[1]) == "f");
  CHECK(to_hex(t[2]) == "5");
  CHECK(t[1].words()[0] == 0xF);  // the tail past 2^n is zero
}

TEST_CASE("random patterns are reproducible and match scalar evaluation", "[simulate]") {
  std::mt19937_64 rng(23);
  Circuit c = random_mixed(rng, 40, 10, 12).build();
  PatternSet set{PatternSet::random, 5000, 42};
  std::vector<std::vector<std::uint8_t>> seen(set.count);
  std::mutex m;
  for (std::uint32_t words : {1u, 8u}) {
    simulate_blocks(c, set, sim_params{words, 2}, [&](std::uint64_t first, std::uint32_t W, const std::uint64_t* out) {
      for (std::uint64_t k = 0; k < 64ull * W && first + k < set.count; ++k) {
        std::vector<std::uint8_t> v;
        for (std::uint32_t o = 0; o < c.num_outputs(); ++o) v.push_back((out[o * W + k / 64] >> (k % 64)) & 1u);
        std::lock_guard<std::mutex> lock(m);
        if (words == 1) seen[first + k] = v;
        else REQUIRE(seen[first + k] == v);  // the same patterns whatever the block size
      }
    });
  }
  for (std::uint64_t p = 0; p < set.count; p += 97) CHECK(evaluate(c, pattern_inputs(set, 40, p)) == seen[p]);
}

TEST_CASE("equivalence by simulation: equal, different with the first counterexample", "[simulate][equiv]") {
  std::mt19937_64 rng(31);
  for (int rep = 0; rep < 10; ++rep) {
    PlainNetlist n = random_mixed(rng, 10, 4, 6);
    Circuit a = n.build();
    Circuit same = n.build(builder_params{false});
    equiv_result r = equivalent_by_simulation(a, same);
    CHECK(r.verdict == equiv_result::equal);
    CHECK(r.exhaustive);
    CHECK(r.patterns_checked == 1024);
    // Change one gate's threshold: usually a different function.
    PlainNetlist m = n;
    m.gates[m.gates.size() - 1 - rep % 3].threshold += 1;
    Circuit b = m.build();
    equiv_result d = equivalent_by_simulation(a, b);
    std::uint64_t first = UINT64_MAX;
    for (std::uint64_t p = 0; p < 1024 && first == UINT64_MAX; ++p)
      if (evaluate_pattern(a, p) != evaluate_pattern(b, p)) first = p;
    if (first == UINT64_MAX) {
      CHECK(d.verdict == equiv_result::equal);
    } else {
      REQUIRE(d.verdict == equiv_result::different);
      CHECK(d.inputs == bits_of(first, 10));
      CHECK(d.outputs_a == evaluate_pattern(a, first));
      CHECK(d.outputs_b == evaluate_pattern(b, first));
    }
  }
}

TEST_CASE("equivalence beyond the exhaustive limit uses random patterns honestly", "[simulate][equiv]") {
  std::mt19937_64 rng(37);
  PlainNetlist n = random_mixed(rng, 40, 3, 8);
  Circuit a = n.build();
  equiv_params p;
  p.random_patterns = 1 << 14;
  equiv_result r = equivalent_by_simulation(a, n.build(builder_params{false}), p);
  CHECK(r.verdict == equiv_result::unknown);
  CHECK_FALSE(r.exhaustive);
  CHECK(r.reason.find("not a proof") != std::string::npos);
  // A circuit that differs on exactly half the patterns is caught.
  Builder b;
  b.add_inputs(40);
  b.add_output(b.input(0));
  Builder b2;
  b2.add_inputs(40);
  b2.add_output(b2.input(1));
  equiv_result d = equivalent_by_simulation(std::move(b).build(), std::move(b2).build(), p);
  CHECK(d.verdict == equiv_result::different);
  CHECK(d.inputs[0] != d.inputs[1]);
  CHECK_THROWS_AS(equivalent_by_simulation(a, std::move(b2).build()), std::invalid_argument);
}

TEST_CASE("lowering to AND/NOT is exact for every weight size", "[lower]") {
  std::mt19937_64 rng(GENERATE(5, 6, 7));
  for (std::uint32_t bits : {1u, 3u, 12u, 33u, 70u}) {
    Circuit c = random_mixed(rng, 8, bits, 10).build();
    lower_stats st;
    Circuit l = lower_to_and_network(c, &st);
    CHECK(is_and_network(l));
    CHECK(l.num_inputs() == c.num_inputs());
    equiv_result r = equivalent_by_simulation(c, l);
    CHECK(r.verdict == equiv_result::equal);
  }
}

TEST_CASE("explicit patterns", "[simulate]") {
  std::mt19937_64 rng(41);
  Circuit c = random_mixed(rng, 20, 70, 20).build();
  std::vector<std::vector<std::uint8_t>> pats(1000, std::vector<std::uint8_t>(20));
  for (auto& p : pats)
    for (auto& bit : p) bit = rng() & 1;
  auto out = simulate_patterns(c, pats, sim_params{2, 2});
  for (std::size_t k = 0; k < pats.size(); ++k) REQUIRE(out[k] == evaluate(c, pats[k]));
}
