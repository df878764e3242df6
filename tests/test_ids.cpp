// Node ids and gate indices are different numberings (circuits/ids.hpp): the compiler must refuse
// one where the other is wanted, and the conversions must match the documented layout
// (node 0 the constant, then the inputs, then the gates), counted here by hand.
#include <catch2/catch.hpp>

#include <type_traits>

#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"

using namespace tcx;

// A node id (a plain integer) does not convert to a gate index, nor back.
static_assert(!std::is_convertible_v<node_id, gate_id>);
static_assert(!std::is_convertible_v<gate_id, node_id>);
static_assert(!std::is_invocable_v<decltype(&Circuit::fanins), const Circuit&, node_id>);
static_assert(!std::is_invocable_v<decltype(&Circuit::small_threshold), const Circuit&, node_id>);
static_assert(!std::is_invocable_v<decltype(&Circuit::gate_node), const Circuit&, node_id>);
static_assert(std::is_invocable_v<decltype(&Circuit::fanins), const Circuit&, gate_id>);
// Free at run time: the same size and copy as the integer.
static_assert(sizeof(gate_id) == sizeof(std::uint32_t) && std::is_trivially_copyable_v<gate_id>);

TEST_CASE("gate indices and node ids convert by the documented layout", "[ids]") {
  for (std::uint32_t inputs : {2u, 3u, 5u}) {
    Builder b;
    std::vector<Lit> x;
    for (std::uint32_t i = 0; i < inputs; ++i) x.push_back(b.add_input());
    // at-least-t over the inputs for every t, then a gate over those gates (fan-ins that are gates).
    std::vector<Lit> level1;
    const std::vector<std::int64_t> ones(inputs, 1);
    for (std::uint32_t t = 1; t <= inputs; ++t) level1.push_back(b.add_gate(x, ones, t));
    const std::vector<std::int64_t> ones1(level1.size(), 1);
    b.add_output(b.add_gate(level1, ones1, 2));
    for (Lit l : level1) b.add_output(l);
    CHECK(b.space().first_gate_node() == 1 + inputs);
    const Circuit c = std::move(b).build();
    REQUIRE(c.num_inputs() == inputs);
    REQUIRE(c.num_gates() == inputs + 1);
    CHECK(c.first_gate_node() == 1 + inputs);
    for (std::uint32_t i = 0; i < inputs; ++i) {
      CHECK(c.input_node(i) == 1 + i);
      CHECK(c.is_input(1 + i));
      CHECK_FALSE(c.is_gate(1 + i));
    }
    std::uint32_t seen = 0;
    for (gate_id g : c.gates()) {
      CHECK(g.v == seen++);
      const node_id n = c.gate_node(g);
      CHECK(n == 1 + inputs + g.v);  // by hand
      CHECK(c.is_gate(n));
      CHECK(c.gate_of(n) == g);
      CHECK(c.level(n) == c.gate_level(g));
      for (node_id f : c.fanins(g))
        if (c.is_gate(f)) CHECK(c.gate_of(f) < g);  // topological: gates read earlier gates
    }
    CHECK(seen == c.num_gates());
    CHECK_FALSE(c.is_gate(1 + inputs + c.num_gates()));
  }
}
