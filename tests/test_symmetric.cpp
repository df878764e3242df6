// Symmetric-function cells, checked exhaustively against std::popcount.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <random>

#include "circuits/analysis.hpp"
#include "circuits/evaluate.hpp"
#include "compilers/arith/compare.hpp"
#include "compilers/arith/symmetric.hpp"

using namespace tcx;

TEST_CASE("any symmetric function in depth 2 with at most n+1 gates", "[arith][symmetric]") {
  std::mt19937_64 rng(3);
  for (std::uint32_t n = 1; n <= 10; ++n)
    for (int rep = 0; rep < 10; ++rep) {
      std::vector<bool> v(n + 1);
      for (auto&& bit : v) bit = rng() & 1;
      Builder b;
      Word x = add_input_word(b, n);
      b.add_output(symmetric(b, x, v));
      Circuit c = std::move(b).build();
      CHECK(c.depth() <= 2);
      CHECK(c.num_gates() <= n + 1);
      for (std::uint64_t p = 0; p < (1ull << n); ++p) REQUIRE(evaluate_pattern(c, p)[0] == v[std::popcount(p)]);
    }
}

TEST_CASE("parity: n+1 gates, and floor(n/2)+1 with skip wires, both depth 2", "[arith][symmetric]") {
  for (std::uint32_t n = 2; n <= 12; ++n) {
    Builder b1, b2;
    Word x1 = add_input_word(b1, n), x2 = add_input_word(b2, n);
    b1.add_output(parity(b1, x1));
    b2.add_output(parity_skip(b2, x2));
    Circuit c1 = std::move(b1).build(), c2 = std::move(b2).build();
    CHECK(c1.num_gates() == n + 1);
    CHECK(c2.num_gates() == n / 2 + 1);
    CHECK(c1.depth() == 2);
    CHECK(c2.depth() == 2);
    for (std::uint64_t p = 0; p < (1ull << n); ++p) {
      REQUIRE(evaluate_pattern(c1, p)[0] == (std::popcount(p) & 1));
      REQUIRE(evaluate_pattern(c2, p)[0] == (std::popcount(p) & 1));
    }
  }
}

TEST_CASE("popcount shares its first layer", "[arith][symmetric]") {
  for (std::uint32_t n = 1; n <= 12; ++n) {
    Builder b;
    Word x = add_input_word(b, n);
    Word cnt = popcount(b, x);
    add_output_word(b, cnt);
    Circuit c = std::move(b).build();
    CHECK(c.depth() <= 2);
    CHECK(c.num_gates() <= n + cnt.size());
    for (std::uint64_t p = 0; p < (1ull << n); ++p) {
      auto out = evaluate_pattern(c, p);
      std::uint64_t v = 0;
      for (std::size_t j = 0; j < out.size(); ++j) v |= std::uint64_t(out[j]) << j;
      REQUIRE(v == static_cast<std::uint64_t>(std::popcount(p)));
    }
  }
}

TEST_CASE("x >= y in one gate, exact beyond 64 bits", "[arith][compare]") {
  for (std::uint32_t k = 1; k <= 5; ++k) {
    Builder b;
    Word x = add_input_word(b, k), y = add_input_word(b, k);
    b.add_output(greater_equal(b, x, y));
    Circuit c = std::move(b).build();
    CHECK(c.num_gates() == (k == 0 ? 0u : 1u));
    for (std::uint64_t p = 0; p < (1ull << (2 * k)); ++p)
      REQUIRE(evaluate_pattern(c, p)[0] == ((p & ((1u << k) - 1)) >= (p >> k)));
  }
  // 100-bit operands: weights up to 2^99
  Builder b;
  Word x = add_input_word(b, 100), y = add_input_word(b, 100);
  b.add_output(greater_equal(b, x, y));
  Circuit c = std::move(b).build();
  CHECK(c.is_big(gate_id(0)));
  CHECK(analyze(c).max_weight_bits == 100);
  std::mt19937_64 rng(1);
  for (int rep = 0; rep < 200; ++rep) {
    std::vector<std::uint8_t> in(200);
    for (auto& bit : in) bit = rng() & 1;
    if (rep % 3 == 0) std::copy(in.begin(), in.begin() + 100, in.begin() + 100);  // equal operands
    mpz_class xv = 0, yv = 0;
    for (int i = 99; i >= 0; --i) {
      xv = 2 * xv + in[i];
      yv = 2 * yv + in[100 + i];
    }
    REQUIRE(evaluate(c, in)[0] == (xv >= yv));
  }
}

TEST_CASE("function_of_sum: any function of a weighted sum, exact, with and without the sum", "[arith][symmetric]") {
  std::mt19937_64 rng(17);
  for (int rep = 0; rep < 60; ++rep) {
    const std::uint32_t n = 1 + rng() % 7;
    linear_form s;
    Builder b;
    Word x = add_input_word(b, n);
    std::int64_t lo = 0, hi = 0;
    std::vector<std::int64_t> ws;  // input i's weight (s skips zeros)
    for (Lit l : x) {
      const std::int64_t w = static_cast<std::int64_t>(rng() % 7) - 3;
      ws.push_back(w);
      s.add(l, w);
      (w < 0 ? lo : hi) += w;
    }
    s.constant = static_cast<std::int64_t>(rng() % 9) - 4;
    lo += s.constant, hi += s.constant;
    const bool periodic = rep % 3 == 0;  // parity-like values, where the sum pays off
    std::vector<std::int64_t> value(static_cast<std::size_t>(hi - lo + 1));
    for (std::size_t k = 0; k < value.size(); ++k) value[k] = periodic ? std::int64_t(k % 2) : static_cast<std::int64_t>(rng() % 5) - 2;
    const bool with_sum = rep % 2 == 0;
    const linear_form f = function_of_sum(b, s, lo, hi, [&](std::int64_t t) { return value[t - lo]; }, with_sum);
    // Outputs [f >= r] for r = -2..3 read the form's exact value back.
    for (std::int64_t r = -2; r <= 3; ++r) b.add_output(b.add_gate(f.lits, f.weights, r - f.constant));
    Circuit c = std::move(b).build();
    CHECK(c.depth() <= 2);
    for (std::uint64_t p = 0; p < (1ull << n); ++p) {
      std::int64_t sum = s.constant;
      for (std::uint32_t i = 0; i < n; ++i) sum += ((p >> i) & 1) ? ws[i] : 0;
      const std::int64_t want = value[sum - lo];
      auto out = evaluate_pattern(c, p);
      for (std::int64_t r = -2; r <= 3; ++r) REQUIRE(out[r + 2] == (want >= r));
    }
  }
}
