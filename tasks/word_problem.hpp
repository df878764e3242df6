#pragma once
// Word problems over a finite permutation group with one output: n group elements, each given
// as an index in b bits; is their product the identity? S_3 (6 elements, 3 bits), A_4 (12, 4
// bits), S_4 (24, 5 bits), A_5 (60, 6 bits), S_5 (120, 7 bits). The groups' elements are numbered in lexicographic order of their
// image lists (index 0 is the identity); a code at or beyond the group's order stands for the
// identity, so every input is a word.
#include <cstdint>
#include <vector>

#include "tasks/task.hpp"

namespace tcx {

// The elements of S_k (all permutations) or A_k (the even ones), each as its image list
// (element e goes to perm[e]), in lexicographic order; enumerated directly, no circuit code.
std::vector<std::vector<std::uint8_t>> group_elements(unsigned k, bool alternating);

Task word_problem_task(unsigned k, bool alternating);  // word_s3, word_a4, word_s4, word_a5, word_s5

}  // namespace tcx
