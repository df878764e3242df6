// Tasks: natural circuits against their reference solvers, hand-worked examples, depth patterns.
#include <catch2/catch.hpp>

#include <array>

#include "circuits/evaluate.hpp"
#include "circuits/simulate.hpp"
#include "tasks/task.hpp"

using namespace tcx;

namespace {
Bits from_pattern(std::uint64_t p, std::uint32_t n) {
  Bits b(n);
  for (std::uint32_t i = 0; i < n; ++i) b[i] = (p >> i) & 1u;
  return b;
}

void check_task(const Task& t, const TaskParams& given, std::uint64_t random_count = 3000) {
  TaskParams p = t.resolve(given);
  INFO(t.name);
  for (const auto& [k, v] : p) INFO(k << "=" << v);
  Circuit c = t.natural_circuit(p);
  const std::uint32_t n = t.input_bits(p);
  REQUIRE(c.num_inputs() == n);
  REQUIRE(c.num_outputs() == t.output_bits(p));
  std::vector<Bits> inputs;
  if (n <= 16) {
    for (std::uint64_t q = 0; q < (1ull << n); ++q) inputs.push_back(from_pattern(q, n));
  } else {
    std::mt19937_64 rng(n);
    for (std::uint64_t q = 0; q < random_count; ++q) inputs.push_back(t.random_instance(p, rng));
  }
  auto outs = simulate_patterns(c, inputs);
  for (std::size_t q = 0; q < inputs.size(); ++q) REQUIRE(outs[q] == t.solve(p, inputs[q]));
}
}  // namespace

TEST_CASE("natural circuits equal the reference solvers", "[tasks]") {
  for (std::int64_t n = 1; n <= 14; ++n) {
    check_task(*find_task("parity"), {{"n", n}});
    check_task(*find_task("majority"), {{"n", n}});
  }
  for (std::int64_t k = 1; k <= 12; ++k) check_task(*find_task("addition"), {{"k", k}});
  for (std::int64_t rule : {110, 30, 90, 184, 0, 255})
    for (std::int64_t cells = 1; cells <= 9; ++cells)
      for (std::int64_t steps = 0; steps <= 4; ++steps)
        for (std::int64_t periodic : {0, 1}) {
          check_task(*find_task("eca"), {{"rule", rule}, {"cells", cells}, {"steps", steps}, {"periodic", periodic}});
          check_task(*find_task("eca"),
                     {{"rule", rule}, {"cells", cells}, {"steps", steps}, {"periodic", periodic}, {"cell", 0}});
        }
  check_task(*find_task("eca"), {{"cells", 64}, {"steps", 20}, {"periodic", 1}});
  check_task(*find_task("s5"), {{"n", 1}});  // all 2^15 inputs
  for (std::int64_t n = 2; n <= 6; ++n) check_task(*find_task("s5"), {{"n", n}});
}

TEST_CASE("Rule 110 from a single live cell, 8 steps (hand-worked)", "[tasks][eca]") {
  // Rows read as binary numbers, cell 0 most significant; the live cell is the rightmost one,
  // the pattern grows to the left: 1, 11, 111, 1101, 11111, 110001, 1110011, 11010111, 111111101.
  const std::uint64_t expected[] = {1, 3, 7, 13, 31, 49, 115, 215, 509};
  const Task& t = *find_task("eca");
  for (std::int64_t s = 0; s <= 8; ++s) {
    TaskParams p = t.resolve({{"cells", 16}, {"steps", s}});
    Bits x(16, 0);
    x[15] = 1;
    Bits row = t.solve(p, x);
    std::uint64_t v = 0;
    for (auto bit : row) v = 2 * v + bit;
    CHECK(v == expected[s]);
  }
}

TEST_CASE("S_5 products in cycle notation (hand-worked)", "[tasks][s5]") {
  const Task& t = *find_task("s5");
  auto encode = [](const std::vector<std::array<unsigned, 5>>& perms) {
    Bits x;
    for (const auto& p : perms)
      for (unsigned e = 0; e < 5; ++e)
        for (unsigned bit = 0; bit < 3; ++bit) x.push_back((p[e] >> bit) & 1u);
    return x;
  };
  auto decode = [](const Bits& y) {
    std::array<unsigned, 5> r{};
    for (unsigned e = 0; e < 5; ++e) r[e] = y[3 * e] + 2 * y[3 * e + 1] + 4 * y[3 * e + 2];
    return r;
  };
  const std::array<unsigned, 5> cycle5{1, 2, 3, 4, 0};  // (0 1 2 3 4)
  const std::array<unsigned, 5> p3{1, 2, 0, 3, 4};      // (0 1 2)
  const std::array<unsigned, 5> t01{1, 0, 2, 3, 4};     // (0 1)
  const std::array<unsigned, 5> id{0, 1, 2, 3, 4};
  CHECK(decode(t.solve(t.resolve({{"n", 5}}), encode({cycle5, cycle5, cycle5, cycle5, cycle5}))) == id);
  CHECK(decode(t.solve(t.resolve({{"n", 2}}), encode({cycle5, cycle5}))) == std::array<unsigned, 5>{2, 3, 4, 0, 1});
  CHECK(decode(t.solve(t.resolve({{"n", 2}}), encode({t01, t01}))) == id);
  // (0 1 2) first, then (0 1): 0 -> 1 -> 0, 1 -> 2 -> 2, 2 -> 0 -> 1: the transposition (1 2)
  const std::array<unsigned, 5> t12{0, 2, 1, 3, 4};
  CHECK(decode(t.solve(t.resolve({{"n", 2}}), encode({p3, t01}))) == t12);
  // and the natural circuit agrees on the same instance
  Circuit c = t.natural_circuit(t.resolve({{"n", 2}}));
  CHECK(decode(evaluate(c, encode({p3, t01}))) == t12);
}

TEST_CASE("depth: serial tasks grow with their steps, parallel ones do not", "[tasks][depth]") {
  std::vector<std::uint32_t> eca, s5, par, add;
  for (std::int64_t s = 1; s <= 6; ++s)
    eca.push_back(find_task("eca")->natural_circuit(find_task("eca")->resolve({{"steps", s}, {"cells", 16}})).depth());
  for (std::int64_t n = 1; n <= 6; ++n)
    s5.push_back(find_task("s5")->natural_circuit(find_task("s5")->resolve({{"n", n}})).depth());
  for (std::int64_t n : {4, 16, 64, 256}) {
    par.push_back(find_task("parity")->natural_circuit(find_task("parity")->resolve({{"n", n}})).depth());
    add.push_back(find_task("addition")->natural_circuit(find_task("addition")->resolve({{"k", n}})).depth());
  }
  for (std::size_t i = 1; i < eca.size(); ++i) CHECK(eca[i] > eca[i - 1]);
  for (std::size_t i = 1; i < s5.size(); ++i) CHECK(s5[i] > s5[i - 1]);
  CHECK(par == std::vector<std::uint32_t>{2, 2, 2, 2});
  CHECK(add == std::vector<std::uint32_t>{2, 2, 2, 2});
}

TEST_CASE("task parameters are checked", "[tasks]") {
  const Task& t = *find_task("eca");
  CHECK_THROWS_AS(t.resolve({{"rules", 1}}), std::invalid_argument);
  CHECK_THROWS_AS(t.resolve({{"rule", 256}}), std::invalid_argument);
  CHECK(t.resolve({}).at("rule") == 110);
  CHECK(find_task("nope") == nullptr);
}
