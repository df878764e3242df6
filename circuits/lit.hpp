#pragma once
// A literal: a node id with a negation bit, packed AIGER-style as 2*node + negated.
// Node 0 is the constant false, so Lit::constant(true) is the literal !node0.
#include <compare>
#include <cstdint>
#include <functional>

#include "circuits/ids.hpp"

namespace tcx {

class Lit {
public:
  constexpr Lit() = default;
  constexpr Lit(node_id node, bool negated) : code_(2 * node + (negated ? 1u : 0u)) {}

  static constexpr Lit from_code(std::uint32_t code) { Lit l; l.code_ = code; return l; }
  static constexpr Lit constant(bool value) { return Lit(0, value); }

  constexpr node_id node() const { return code_ >> 1; }
  constexpr bool negated() const { return code_ & 1u; }
  constexpr std::uint32_t code() const { return code_; }
  constexpr bool is_constant() const { return node() == 0; }

  constexpr Lit operator!() const { return from_code(code_ ^ 1u); }
  constexpr Lit operator^(bool flip) const { return from_code(code_ ^ (flip ? 1u : 0u)); }

  friend constexpr auto operator<=>(Lit, Lit) = default;

private:
  std::uint32_t code_ = 0;
};

inline constexpr Lit lit_false = Lit::constant(false);
inline constexpr Lit lit_true = Lit::constant(true);

}  // namespace tcx

template <>
struct std::hash<tcx::Lit> {
  std::size_t operator()(tcx::Lit l) const noexcept { return std::hash<std::uint32_t>{}(l.code()); }
};
