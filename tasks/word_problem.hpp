#pragma once
// Word problems over a finite permutation group with one output: n group elements, each given
// as an index in b bits; is their product the identity? S_3 (6 elements, 3 bits), A_4 (12, 4
// bits), S_4 (24, 5 bits), A_5 (60, 6 bits), S_5 (120, 7 bits). The groups' elements are numbered in lexicographic order of their
// image lists (index 0 is the identity); a code at or beyond the group's order stands for the
// identity, so every input is a word.
#include <cstdint>
#include <vector>

#include "tasks/group.hpp"
#include "tasks/task.hpp"

namespace tcx {

// The elements of S_k (all permutations) or A_k (the even ones), each as its image list
// (element e goes to perm[e]), in lexicographic order; enumerated directly, no circuit code.
std::vector<std::vector<std::uint8_t>> group_elements(unsigned k, bool alternating);

Task word_problem_task(unsigned k, bool alternating);  // word_s3, word_a4, word_s4, word_a5, word_s5
Task word_dihedral_task();  // word_dihedral: D_m, m a parameter

// The word problem of any solvable group (its elements as above: permutations in lexicographic
// order, the identity first; codes of ceil(log2 order) bits) down a series of cyclic quotients of
// prime order to an abelian subgroup (tasks/group.hpp): depth 2s + 2 for s steps, at every n.
// std::invalid_argument when the group is not solvable. The tasks use it where no shorter
// construction applies (the dihedral groups); S_3, A_4 and S_4 have their own.
Circuit solvable_word_circuit(const std::vector<Perm>& elements, std::uint32_t n);

}  // namespace tcx
