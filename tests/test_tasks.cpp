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
  if (n <= 20) {  // exhaustive up to 2^20 inputs
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
  for (std::int64_t n = 1; n <= 12; ++n) check_task(*find_task("counting"), {{"n", n}});
  for (std::int64_t k = 1; k <= 10; ++k) check_task(*find_task("multiplication"), {{"k", k}});
  for (std::int64_t m = 1; m <= 4; ++m)
    for (std::int64_t k = 1; k <= 5; ++k) check_task(*find_task("sorting"), {{"m", m}, {"k", k}});
  for (std::int64_t d = 0; d <= 6; ++d) check_task(*find_task("formula"), {{"depth", d}});
  for (std::int64_t v = 2; v <= 6; ++v)
    for (std::int64_t steps = 0; steps <= 5; ++steps) check_task(*find_task("reachability"), {{"v", v}, {"steps", steps}});
  for (std::int64_t m = 1; m <= 4; ++m)
    for (std::int64_t g = 1; g <= 5; ++g) check_task(*find_task("cvp"), {{"inputs", m}, {"gates", g}});
  for (std::int64_t w : {2, 4})
    for (std::int64_t h : {2, 4})
      for (std::int64_t steps = 0; steps <= 3; ++steps)
        check_task(*find_task("billiard"), {{"width", w}, {"height", h}, {"steps", steps}});
  check_task(*find_task("billiard"), {{"width", 6}, {"height", 8}, {"steps", 9}});
  for (std::int64_t S = 1; S <= 4; ++S)
    for (std::int64_t A = 1; A <= 3; ++A)
      for (std::int64_t h = 1; h <= 3; ++h)
        check_task(*find_task("mdp"), {{"states", S}, {"actions", A}, {"reward_bits", 2}, {"horizon", h}}, 1500);
  for (std::int64_t v = 2; v <= 4; ++v)
    for (std::int64_t steps = 0; steps <= 3; ++steps)
      check_task(*find_task("shortest_path"), {{"v", v}, {"weight_bits", 2}, {"steps", steps}}, 1500);
  for (std::int64_t k = 1; k <= 4; ++k)
    for (std::int64_t L = 0; L <= 3; ++L) check_task(*find_task("arithmetic"), {{"k", k}, {"length", L}});
  check_task(*find_task("arithmetic"), {{"k", 12}, {"length", 5}});
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
  auto depth_of = [](const char* name, const TaskParams& p) {
    return find_task(name)->natural_circuit(find_task(name)->resolve(p)).depth();
  };
  for (std::int64_t d = 1; d <= 6; ++d) CHECK(depth_of("formula", {{"depth", d}}) == static_cast<std::uint32_t>(d));
  for (std::int64_t s = 1; s <= 5; ++s)
    CHECK(depth_of("reachability", {{"v", 5}, {"steps", s + 1}}) > depth_of("reachability", {{"v", 5}, {"steps", s}}));
  for (std::int64_t g = 1; g <= 5; ++g)
    CHECK(depth_of("cvp", {{"inputs", 3}, {"gates", g + 1}}) > depth_of("cvp", {{"inputs", 3}, {"gates", g}}));
  for (std::int64_t t : {1, 2, 3, 4}) {
    CHECK(depth_of("billiard", {{"steps", t + 1}}) > depth_of("billiard", {{"steps", t}}));
    CHECK(depth_of("mdp", {{"horizon", t + 1}}) > depth_of("mdp", {{"horizon", t}}));
    CHECK(depth_of("shortest_path", {{"steps", t + 1}}) > depth_of("shortest_path", {{"steps", t}}));
    CHECK(depth_of("arithmetic", {{"length", t + 1}}) > depth_of("arithmetic", {{"length", t}}));
  }
  for (std::int64_t k : {4, 8, 16}) {
    CHECK(depth_of("multiplication", {{"k", k}}) == 3);
    CHECK(depth_of("counting", {{"n", k}}) == 2);
    CHECK(depth_of("sorting", {{"m", 4}, {"k", k}}) == 3);
  }
  for (std::size_t i = 1; i < eca.size(); ++i) CHECK(eca[i] > eca[i - 1]);
  for (std::size_t i = 1; i < s5.size(); ++i) CHECK(s5[i] > s5[i - 1]);
  CHECK(par == std::vector<std::uint32_t>{2, 2, 2, 2});
  CHECK(add == std::vector<std::uint32_t>{2, 2, 2, 2});
}

TEST_CASE("hand-worked instances: formula, reachability, circuit value", "[tasks]") {
  // (x0 AND x1) OR (x2 AND x3) with x = 1 1 0 0: leaves 1100, types: node0 AND, node1 AND, root OR
  const Task& f = *find_task("formula");
  CHECK(f.solve(f.resolve({{"depth", 2}}), Bits{1, 1, 0, 0, 1, 1, 0}) == Bits{1});
  CHECK(f.solve(f.resolve({{"depth", 2}}), Bits{1, 0, 0, 1, 1, 1, 0}) == Bits{0});
  // 0 -> 1 -> 2 -> 3: reachable in 3 steps, not in 2
  const Task& r = *find_task("reachability");
  Bits adj(16, 0);
  adj[0 * 4 + 1] = adj[1 * 4 + 2] = adj[2 * 4 + 3] = 1;
  CHECK(r.solve(r.resolve({{"v", 4}, {"steps", 3}}), adj) == Bits{1});
  CHECK(r.solve(r.resolve({{"v", 4}, {"steps", 2}}), adj) == Bits{0});
  // w0 = 1, w1 = 0; w2 = NAND(w0, w1) = 1; w3 = AND(w2, w0) = 1; w4 = NOR(w3, w1) = 0
  const Task& c = *find_task("cvp");
  TaskParams p = c.resolve({{"inputs", 2}, {"gates", 3}});  // operand indices of 3 bits
  Bits x{1, 0};
  auto gate = [&](unsigned type, unsigned a, unsigned b) {
    for (unsigned i = 0; i < 2; ++i) x.push_back((type >> i) & 1u);
    for (unsigned i = 0; i < 3; ++i) x.push_back((a >> i) & 1u);
    for (unsigned i = 0; i < 3; ++i) x.push_back((b >> i) & 1u);
  };
  gate(2, 0, 1);
  gate(0, 2, 0);
  gate(3, 3, 1);
  CHECK(c.solve(p, x) == Bits{0});
  CHECK(evaluate(c.natural_circuit(p), x) == Bits{0});
}

TEST_CASE("hand-worked instances: billiard balls, MDP, shortest path, arithmetic", "[tasks]") {
  // One ball on a 4x4 torus moves one cell down-right per step: (t, t) after t steps.
  const Task& bb = *find_task("billiard");
  for (std::int64_t steps = 0; steps <= 5; ++steps) {
    Bits g(16, 0);
    g[0] = 1;
    Bits out = bb.solve(bb.resolve({{"steps", steps}}), g);
    Bits want(16, 0);
    want[(steps % 4) * 4 + steps % 4] = 1;
    CHECK(out == want);
  }
  // Two balls meeting head on in a block (a and d) leave on the other diagonal (b and c).
  Bits two(16, 0);
  two[0] = two[5] = 1;
  Bits after = bb.solve(bb.resolve({{"steps", 1}}), two);
  Bits turned(16, 0);
  turned[1] = turned[4] = 1;
  CHECK(after == turned);
  // MDP: 2 states, 2 actions. State 0: action 0 -> state 0 reward 1; action 1 -> state 1 reward 0.
  // State 1: both actions -> state 1 reward 3. Horizon 1: take the reward 1 (action 0); horizon 2:
  // 0 + 3 beats 1 + 1, so action 1.
  const Task& mdp = *find_task("mdp");
  auto encode = [](std::vector<std::pair<unsigned, unsigned>> sa) {
    Bits x;
    for (auto [next, reward] : sa) {
      x.push_back(next & 1u);
      x.push_back(reward & 1u);
      x.push_back((reward >> 1) & 1u);
    }
    return x;
  };
  Bits m = encode({{0, 1}, {1, 0}, {1, 3}, {1, 3}});
  TaskParams p1 = mdp.resolve({{"states", 2}, {"actions", 2}, {"reward_bits", 2}, {"horizon", 1}});
  TaskParams p2 = mdp.resolve({{"states", 2}, {"actions", 2}, {"reward_bits", 2}, {"horizon", 2}});
  CHECK(mdp.solve(p1, m) == Bits{0});
  CHECK(mdp.solve(p2, m) == Bits{1});
  CHECK(evaluate(mdp.natural_circuit(p2), m) == Bits{1});
  // Shortest path 0 -> 2: direct edge of weight 3, or 0 -> 1 -> 2 with weights 1 + 1.
  const Task& sp = *find_task("shortest_path");
  Bits e(9 * 3, 0);
  auto edge = [&](unsigned i, unsigned j, unsigned w) {
    std::size_t at = (i * 3 + j) * 3;
    e[at] = 1;
    e[at + 1] = w & 1u;
    e[at + 2] = (w >> 1) & 1u;
  };
  edge(0, 2, 3);
  edge(0, 1, 1);
  edge(1, 2, 1);
  // distance bits: w + ceil(log2 3) + 1 = 5, then the unreachable flag
  CHECK(sp.solve(sp.resolve({{"steps", 1}}), e) == Bits{1, 1, 0, 0, 0, 0});
  CHECK(sp.solve(sp.resolve({{"steps", 2}}), e) == Bits{0, 1, 0, 0, 0, 0});
  CHECK(sp.solve(sp.resolve({{"steps", 0}}), e) == Bits{0, 0, 0, 0, 0, 1});
  // arithmetic, k = 4: v = 3; v + 5 = 8; v * 3 = 24 = 8 mod 16; v - 9 = -1 = 15 mod 16
  const Task& ar = *find_task("arithmetic");
  Bits prog{1, 1, 0, 0, /*add 5*/ 0, 0, 1, 0, 1, 0, /*mul 3*/ 0, 1, 1, 1, 0, 0, /*sub 9*/ 1, 0, 1, 0, 0, 1};
  TaskParams pa = ar.resolve({{"k", 4}, {"length", 3}});
  CHECK(ar.solve(pa, prog) == Bits{1, 1, 1, 1});
  CHECK(evaluate(ar.natural_circuit(pa), prog) == Bits{1, 1, 1, 1});
}

TEST_CASE("task parameters are checked", "[tasks]") {
  const Task& t = *find_task("eca");
  CHECK_THROWS_AS(t.resolve({{"rules", 1}}), std::invalid_argument);
  CHECK_THROWS_AS(t.resolve({{"rule", 256}}), std::invalid_argument);
  CHECK(t.resolve({}).at("rule") == 110);
  CHECK(find_task("nope") == nullptr);
}
