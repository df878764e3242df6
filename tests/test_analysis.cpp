#include <catch2/catch.hpp>

#include "circuits/analysis.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/graph.hpp"
#include "circuits/passes.hpp"
#include "compilers/arith/symmetric.hpp"
#include "reference.hpp"

using namespace tcx;
using namespace tcx::test;

TEST_CASE("stats of parity in depth 2", "[analysis]") {
  Builder b;
  Word x = add_input_word(b, 5, "x");
  b.add_output(parity(b, x), "p");
  Circuit c = std::move(b).build();
  circuit_stats s = analyze(c);
  CHECK(s.inputs == 5);
  CHECK(s.outputs == 1);
  CHECK(s.gates == 6);
  CHECK(s.wires == 5 * 5 + 5);
  CHECK(s.depth == 2);
  CHECK(s.output_depth == std::vector<std::uint32_t>{2});
  CHECK(s.max_fanin == 5);
  CHECK(s.mean_fanin == Approx(30.0 / 6));
  CHECK(s.gates_per_level == std::vector<std::uint64_t>{5, 1});
  CHECK(s.max_weight_bits == 1);
  CHECK(s.sum_abs_weights == 30);
  REQUIRE(s.critical_path.size() == 3);
  CHECK(s.critical_path.front().rfind("x[", 0) == 0);  // starts at an input
}

TEST_CASE("critical path follows levels to the deepest output", "[analysis]") {
  std::mt19937_64 rng(7);
  for (int rep = 0; rep < 20; ++rep) {
    RandomParams p;
    p.inputs = 5;
    p.gates = 60;
    Circuit c = random_netlist(rng, p).build();
    std::vector<node_id> path = critical_path(c);
    if (c.num_outputs() == 0) continue;
    REQUIRE(!path.empty());
    CHECK(c.level(path.back()) == c.depth());
    CHECK(path.size() == c.depth() + 1);
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
      CHECK(c.level(path[i]) + 1 == c.level(path[i + 1]));
      auto f = c.fanins(c.gate_of(path[i + 1]));
      CHECK(std::find(f.begin(), f.end(), path[i]) != f.end());
    }
  }
}

TEST_CASE("remove_unreachable drops dead gates and keeps the function", "[passes]") {
  std::mt19937_64 rng(11);
  for (int rep = 0; rep < 20; ++rep) {
    RandomParams p;
    p.inputs = 6;
    p.gates = 50;
    p.outputs = 1;
    PlainNetlist n = random_netlist(rng, p);
    Circuit c = n.build();
    Circuit d = remove_unreachable(c);
    CHECK(d.num_gates() <= c.num_gates());
    CHECK(d.num_inputs() == c.num_inputs());
    // every remaining gate is used by an output
    std::vector<std::uint8_t> used(d.num_nodes(), 0);
    for (const Output& o : d.outputs()) used[o.lit.node()] = 1;
    for (std::uint32_t i = d.num_gates(); i-- > 0;)
      if (used[d.gate_node(gate_id(i))])
        for (node_id f : d.fanins(gate_id(i))) used[f] = 1;
    for (gate_id g : d.gates()) CHECK(used[d.gate_node(g)]);
    for (std::uint64_t pat = 0; pat < 64; ++pat) CHECK(evaluate_pattern(c, pat) == evaluate_pattern(d, pat));
  }
}

TEST_CASE("substitute replaces a node and re-hashes", "[passes]") {
  Builder b;
  Lit x = b.add_input("x"), y = b.add_input("y"), z = b.add_input("z");
  std::vector<std::int64_t> w{1, 1};
  Lit g1 = b.add_gate(std::vector<Lit>{x, y}, w, 2);     // x & y
  Lit g2 = b.add_gate(std::vector<Lit>{x, z}, w, 2);     // x & z
  Lit g3 = b.add_gate(std::vector<Lit>{g1, g2}, w, 1);   // g1 | g2
  b.add_output(g3, "o");
  Circuit c = std::move(b).build();
  // z := y makes g2 equal to g1; z is an input so substitute g2 by g1 directly.
  std::vector<std::pair<node_id, Lit>> rep{{g2.node(), g1}};
  Circuit d = substitute(c, rep);
  // g3 = g1 | g1 = g1: a buffer, so only one gate remains
  CHECK(d.num_gates() == 1);
  for (std::uint64_t p = 0; p < 8; ++p) CHECK(evaluate_pattern(d, p)[0] == ((p & 1) && (p & 2)));
  std::vector<std::pair<node_id, Lit>> bad{{g1.node(), g3}};
  CHECK_THROWS_AS(substitute(c, bad), std::invalid_argument);
}

TEST_CASE("rebuild is idempotent on a normalized circuit", "[passes]") {
  std::mt19937_64 rng(5);
  RandomParams p;
  p.gates = 80;
  p.weight_bits = 70;
  Circuit c = random_netlist(rng, p).build();
  CHECK(structurally_equal(rebuild(c), c));
}

TEST_CASE("find_cycle and topological_order on named netlists", "[graph]") {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> dag{{0, 1}, {1, 2}, {0, 2}, {3, 1}};
  CHECK_FALSE(find_cycle(4, dag));
  auto order = topological_order(4, dag);
  REQUIRE(order);
  std::vector<std::uint32_t> pos(4);
  for (std::uint32_t i = 0; i < 4; ++i) pos[(*order)[i]] = i;
  for (auto [u, v] : dag) CHECK(pos[u] < pos[v]);
  auto cyc = dag;
  cyc.emplace_back(2, 3);  // 3 -> 1 -> 2 -> 3
  auto cycle = find_cycle(4, cyc);
  REQUIRE(cycle);
  CHECK(cycle->front() == cycle->back());
  CHECK(cycle->size() == 4);
  CHECK_FALSE(topological_order(4, cyc));
}
