#pragma once
// Gates derived from the one primitive, Builder::add_gate, with unit weights: AND, OR,
// at-least-k, at-most-k, majority. Written once here (as mockturtle derives create_or from
// create_and) so that no cell, task or reader keeps its own vector of ones.
//
// Every helper is one add_gate call, so the Builder's normal form applies unchanged: an empty
// AND is true, an empty OR false, a threshold out of reach folds to a constant.
#include <cstdint>
#include <span>
#include <vector>

#include "circuits/builder.hpp"

namespace tcx {

// k unit weights. The span stays valid until a call on the same thread asks for more than any
// call before; the Builder reads weights only during the call they are passed to.
inline std::span<const std::int64_t> unit_weights(std::size_t k) {
  static thread_local std::vector<std::int64_t> ones;
  if (ones.size() < k) ones.assign(k, 1);
  return {ones.data(), k};
}

// [x_1 + ... + x_n >= k]. Depth 1, one gate (or a constant for k <= 0 or k > n).
inline Lit at_least(Builder& b, std::span<const Lit> x, std::int64_t k) { return b.add_gate(x, unit_weights(x.size()), k); }

// [x_1 + ... + x_n <= k]: the complement of at-least-(k+1), the same node.
inline Lit at_most(Builder& b, std::span<const Lit> x, std::int64_t k) { return !at_least(b, x, k + 1); }

inline Lit and_all(Builder& b, std::span<const Lit> x) { return at_least(b, x, static_cast<std::int64_t>(x.size())); }
inline Lit or_all(Builder& b, std::span<const Lit> x) { return at_least(b, x, 1); }
inline Lit nor_all(Builder& b, std::span<const Lit> x) { return !or_all(b, x); }

inline Lit and2(Builder& b, Lit x, Lit y) {
  const Lit f[2] = {x, y};
  return and_all(b, f);
}
inline Lit or2(Builder& b, Lit x, Lit y) {
  const Lit f[2] = {x, y};
  return or_all(b, f);
}

// Majority: [sum x >= ceil(n/2)] (ties of even n count as 1). Depth 1, one gate.
inline Lit majority(Builder& b, std::span<const Lit> x) {
  return at_least(b, x, static_cast<std::int64_t>((x.size() + 1) / 2));
}

}  // namespace tcx
