// provers/verify: the three phases (exhaustive, random, SAT) each decide what they should, and
// a wrong circuit is never reported correct. The reference here is plain C++ (an AND of 20 bits
// or a popcount parity), apart from any circuit code.
#include <algorithm>

#include <catch2/catch.hpp>

#include "circuits/bits.hpp"
#include "circuits/builder.hpp"
#include "circuits/derived_gates.hpp"
#include "circuits/evaluate.hpp"
#include "provers/verify.hpp"

using namespace tcx;

namespace {

// [all n inputs are 1], the reference.
Bits all_ones(const Bits& x) {
  std::uint8_t v = 1;
  for (auto b : x) v &= b;
  return Bits{v};
}

Circuit one_output(std::uint32_t n, Lit (*f)(Builder&, std::span<const Lit>)) {
  Builder b;
  std::vector<Lit> x;
  for (std::uint32_t i = 0; i < n; ++i) x.push_back(b.add_input());
  b.add_output(f(b, x));
  return std::move(b).build();
}

Lit and_of(Builder& b, std::span<const Lit> x) { return and_all(b, x); }
Lit or_of(Builder& b, std::span<const Lit> x) { return or_all(b, x); }
Lit never(Builder&, std::span<const Lit>) { return lit_false; }

verify_spec and_spec(std::uint32_t n, Lit (*natural)(Builder&, std::span<const Lit>) = and_of) {
  return {all_ones,
          [n](std::mt19937_64& rng) {
            Bits x(n);
            for (auto& b : x) b = rng() & 1u;
            return x;
          },
          [n, natural] { return one_output(n, natural); },
          {}};
}

}  // namespace

TEST_CASE("verify: few inputs are checked exhaustively", "[verify]") {
  verify_params p;
  p.exhaustive_bits = 12;
  const verify_result ok = verify_against_spec(one_output(10, and_of), and_spec(10), p);
  CHECK(ok.verdict == verify_result::Verdict::correct);
  CHECK(ok.method == verify_result::Method::exhaustive);
  CHECK(ok.inputs_checked == 1024);
  CHECK_FALSE(ok.sat_ran);

  // A circuit wrong on one input of 1024: found, with the counterexample re-evaluated.
  const verify_result bad = verify_against_spec(one_output(10, never), and_spec(10), p);
  REQUIRE(bad.verdict == verify_result::Verdict::wrong);
  CHECK(bad.inputs == Bits(10, 1));
  CHECK(bad.circuit_outputs == Bits{0});
  CHECK(bad.reference_outputs == Bits{1});
}

TEST_CASE("verify: with a care set only the cared inputs are checked", "[verify]") {
  verify_params p;
  p.exhaustive_bits = 12;
  // "never" differs from AND on the all-ones input only: a care set without it makes it correct.
  verify_spec spec = and_spec(10, never);
  spec.cares = [](const Bits& x) { return std::find(x.begin(), x.end(), 0) != x.end(); };
  const verify_result ok = verify_against_spec(one_output(10, never), spec, p);
  CHECK(ok.verdict == verify_result::Verdict::correct);
  CHECK(ok.cared_only);
  CHECK(ok.inputs_checked == 1023);
  CHECK(ok.how.find("1023 cared inputs of 1024") != std::string::npos);
  // A care set that holds the all-ones input but not the first input's zero: still wrong there.
  spec.cares = [](const Bits& x) { return x[0] != 0; };
  const verify_result bad = verify_against_spec(one_output(10, never), spec, p);
  REQUIRE(bad.verdict == verify_result::Verdict::wrong);
  CHECK(bad.inputs == Bits(10, 1));
  CHECK(bad.inputs_checked == 512);
  // Beyond exhaustive_bits a care set is refused (SAT and random instances would check all inputs).
  p.exhaustive_bits = 8;
  CHECK_THROWS_WITH(verify_against_spec(one_output(10, never), spec, p),
                    "a care set is checked on every input: the circuit has 10 inputs, more than the 8 checked so");
}

TEST_CASE("verify: the random phase catches a frequent error before SAT", "[verify]") {
  verify_params p;
  p.exhaustive_bits = 8;
  p.random = 200;
  // OR instead of AND: wrong on almost every input.
  const verify_result r = verify_against_spec(one_output(20, or_of), and_spec(20), p);
  REQUIRE(r.verdict == verify_result::Verdict::wrong);
  CHECK(r.method == verify_result::Method::random);
  CHECK_FALSE(r.sat_ran);
  CHECK(r.random_checked == 200);
  CHECK(r.reference_outputs == all_ones(r.inputs));
  CHECK(r.circuit_outputs == evaluate(one_output(20, or_of), r.inputs));
  CHECK(r.circuit_outputs != r.reference_outputs);
}

TEST_CASE("verify: SAT decides what random instances cannot see", "[verify]") {
  verify_params p;
  p.exhaustive_bits = 8;
  p.random = 100;  // 100 of 2^20 inputs: the one bad input is not among them
  SECTION("a circuit wrong on one input of 2^20 is wrong, with that input") {
    const verify_result r = verify_against_spec(one_output(20, never), and_spec(20), p);
    REQUIRE(r.verdict == verify_result::Verdict::wrong);
    CHECK(r.method == verify_result::Method::sat);
    CHECK(r.sat_ran);
    CHECK(r.sat.verdict == sat_equiv_result::different);
    CHECK(r.inputs == Bits(20, 1));
    CHECK(r.reference_outputs == Bits{1});
  }
  SECTION("a correct circuit is proved correct") {
    const verify_result r = verify_against_spec(one_output(20, and_of), and_spec(20), p);
    CHECK(r.verdict == verify_result::Verdict::correct);
    CHECK(r.method == verify_result::Method::sat);
    CHECK(r.sat.verdict == sat_equiv_result::equal);
  }
  SECTION("a wrong natural circuit makes the answer unknown, never wrong or correct") {
    // The circuit is right; the specification's natural circuit is not: SAT's difference is
    // re-checked against the reference, which sides with the circuit.
    const verify_result r = verify_against_spec(one_output(20, and_of), and_spec(20, never), p);
    CHECK(r.verdict == verify_result::Verdict::unknown);
    CHECK(r.inputs.empty());
  }
  SECTION("with a certificate required, an unchecked proof is unknown") {
    p.require_certificate = true;  // and no proof asked for: nothing can be checked
    const verify_result r = verify_against_spec(one_output(20, and_of), and_spec(20), p);
    CHECK(r.verdict == verify_result::Verdict::unknown);
    CHECK(r.sat.verdict == sat_equiv_result::unknown);
    CHECK_FALSE(r.sat.proof.verified);
  }
}

TEST_CASE("verify: the exhaustive phase can be supplied by the caller", "[verify]") {
  verify_params p;
  p.exhaustive_bits = 12;
  int calls = 0;
  p.exhaustive = [&calls](const Circuit& c, const ReferenceFn& ref) {
    ++calls;
    return check_against_reference(c, PatternSet{PatternSet::exhaustive, 0, 1}, {}, ref);
  };
  const verify_result r = verify_against_spec(one_output(6, and_of), and_spec(6), p);
  CHECK(calls == 1);
  CHECK(r.verdict == verify_result::Verdict::correct);
  CHECK(r.inputs_checked == 64);
}
