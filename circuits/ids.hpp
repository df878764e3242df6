#pragma once
// The two numberings of a circuit's nodes, and the one place they meet.
//
//   node_id: what literals, fan-in lists and names hold. Node 0 is the constant false, nodes
//            1..I the inputs (input i is node i+1), then the gates in topological order.
//   gate_id: a gate's 0-based position, the index of the per-gate arrays (levels, thresholds,
//            offsets) of a Circuit or a gate store.
//
// The two differ by 1 + I. Written as plain integers, a gate index passed where a node id is
// wanted (or back) is a silent off-by-(I+1) error that small tests with few inputs rarely catch,
// so a gate index is a type of its own: it converts to and from node ids only through
// node_space below, and indexes per-gate arrays through .v. It is a 32-bit value in a struct,
// so it costs nothing at -O2.
#include <compare>
#include <cstdint>

namespace tcx {

using node_id = std::uint32_t;

struct gate_id {
  std::uint32_t v = 0;
  constexpr gate_id() = default;
  constexpr explicit gate_id(std::uint32_t index) : v(index) {}
  friend constexpr auto operator<=>(gate_id, gate_id) = default;
};

// The gates 0..count-1 in order: `for (gate_id g : c.gates())`.
class gate_range {
public:
  class iterator {
  public:
    using value_type = gate_id;
    using difference_type = std::int64_t;
    constexpr iterator() = default;
    constexpr explicit iterator(std::uint32_t i) : i_(i) {}
    constexpr gate_id operator*() const { return gate_id(i_); }
    constexpr iterator& operator++() { ++i_; return *this; }
    constexpr iterator operator++(int) { iterator t = *this; ++i_; return t; }
    friend constexpr bool operator==(iterator, iterator) = default;

  private:
    std::uint32_t i_ = 0;
  };
  constexpr explicit gate_range(std::uint32_t count) : count_(count) {}
  constexpr iterator begin() const { return iterator(0); }
  constexpr iterator end() const { return iterator(count_); }
  constexpr std::uint32_t size() const { return count_; }

private:
  std::uint32_t count_;
};

// The layout of a circuit's node ids, given its input count: the only conversions between node
// ids and gate indices (Circuit, Builder and the gate stores all go through it).
struct node_space {
  std::uint32_t num_inputs = 0;
  constexpr node_id input_node(std::uint32_t i) const { return 1 + i; }
  constexpr node_id first_gate_node() const { return 1 + num_inputs; }
  // Whether n is past the inputs (a gate if it exists at all).
  constexpr bool past_inputs(node_id n) const { return n >= first_gate_node(); }
  constexpr node_id node(gate_id g) const { return first_gate_node() + g.v; }
  // Only for a node past the inputs (past_inputs(n)): callers test that first.
  constexpr gate_id gate(node_id n) const { return gate_id(n - first_gate_node()); }
};

}  // namespace tcx
