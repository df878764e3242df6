#pragma once
// A finite permutation group, given by its elements, and the structure a constant-depth circuit
// for its word problem needs when it is solvable: a chain of subgroups G = H_0 > H_1 > ... > H_s,
// each H_(i+1) the kernel of a homomorphism of H_i onto Z_p (p prime), ending in an abelian
// H_s, read by coordinates in cyclic groups (Barrington and Therien's descent along a composition
// series; a group with no such chain is not solvable). Plain C++ over multiplication tables: the
// groups here have at most a few hundred elements.
#include <cstdint>
#include <optional>
#include <vector>

namespace tcx {

using Perm = std::vector<std::uint8_t>;  // element e goes to perm[e]

class perm_group {
 public:
  // The elements with the identity first; std::invalid_argument unless they are distinct
  // permutations of one size closed under composition, at most max_order of them.
  static constexpr std::uint32_t max_order = 1024;  // the table holds order^2 entries
  explicit perm_group(std::vector<Perm> elements);
  std::uint32_t order() const { return static_cast<std::uint32_t>(elements_.size()); }
  const std::vector<Perm>& elements() const { return elements_; }
  // a after b (b applied first), as element indices; the identity is 0.
  std::uint32_t after(std::uint32_t a, std::uint32_t b) const { return table_[std::size_t(a) * order() + b]; }
  std::uint32_t inverse(std::uint32_t a) const { return inverse_[a]; }
  std::uint32_t power(std::uint32_t a, std::uint32_t e) const;

 private:
  std::vector<Perm> elements_;
  std::vector<std::uint32_t> table_, inverse_;
};

// A homomorphism of a subgroup H onto Z_modulus, value per element of G (unused off H).
struct cyclic_quotient {
  std::vector<std::uint32_t> members;  // H, as element indices, ascending, the identity first
  std::uint32_t modulus = 1;
  std::vector<std::uint32_t> value;  // per element of G
  std::uint32_t lift = 0;            // an element t of H with value 1
};

struct solvable_series {
  std::vector<cyclic_quotient> steps;  // H_i onto Z_p, kernel H_(i+1); p prime
  // The abelian end H_s: u is the identity exactly when every coordinate's value is 0. Empty when
  // H_s is trivial.
  std::vector<cyclic_quotient> coordinates;
};

// The series with the fewest steps, or none when the group is not solvable.
std::optional<solvable_series> solvable_series_of(const perm_group& g);

// The dihedral group D_m, symmetries of an m-gon acting on its corners, in lexicographic order of
// the image lists (the identity first): 2m elements.
std::vector<Perm> dihedral_elements(unsigned m);

}  // namespace tcx
