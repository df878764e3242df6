// The IR's scalar evaluator against the independent plain-netlist reference.
#include <catch2/catch.hpp>

#include "circuits/evaluate.hpp"
#include "reference.hpp"

using namespace tcx;
using namespace tcx::test;

namespace {
void check_exhaustive(const PlainNetlist& n, const Circuit& c) {
  for (std::uint64_t p = 0; p < (1ull << n.inputs); ++p) {
    auto in = bits_of(p, n.inputs);
    REQUIRE(evaluate(c, in) == n.eval(in));
  }
}
}  // namespace

TEST_CASE("random circuits: evaluator equals the plain reference on every input", "[evaluate]") {
  std::mt19937_64 rng(GENERATE(1, 2, 3, 4, 5, 6, 7, 8));
  for (std::uint32_t bits : {1u, 2u, 4u, 12u, 31u, 33u, 64u, 80u, 200u}) {
    RandomParams p;
    p.inputs = 8;
    p.gates = 40;
    p.max_fanin = 10;
    p.weight_bits = bits;
    PlainNetlist n = random_netlist(rng, p);
    check_exhaustive(n, n.build());
    check_exhaustive(n, n.build(builder_params{false}));
  }
}

TEST_CASE("wide gates (fan-in 64) with mixed weights", "[evaluate]") {
  std::mt19937_64 rng(99);
  RandomParams p;
  p.inputs = 10;
  p.gates = 30;
  p.max_fanin = 64;
  p.weight_bits = 40;
  PlainNetlist n = random_netlist(rng, p);
  check_exhaustive(n, n.build());
}

TEST_CASE("input count mismatch is an error", "[evaluate]") {
  Builder b;
  b.add_inputs(3);
  Circuit c = std::move(b).build();
  std::vector<std::uint8_t> two(2);
  CHECK_THROWS_AS(evaluate(c, two), std::invalid_argument);
}
