#pragma once
// Ranking, sorting, max / min / argmax over m unsigned words, all in constant depth.
//
// Every pair is compared once (depth d: 1 with weights 2^i, 3 with unit weights). Word j
// "beats" word i when it is larger, or equal with a smaller index (so ties go to the
// leftmost word). rank_i = number of words that beat i, a permutation of 0..m-1.
// Sorted position r holds the word of rank r: with A(i,r,b) = [x_i bit b AND rank_i >= r],
// one gate [sum_j beats(j,i) + m*x_i[b] >= r + m] at depth d+1, bit b of position r is
// [sum_i A(i,r,b) - sum_i A(i,r+1,b) >= 1] at depth d+2, since exactly one i has rank r.
#include <span>
#include <vector>

#include "circuits/builder.hpp"
#include "compilers/arith/word.hpp"

namespace tcx {

struct sort_params {
  bool descending = true;      // position 0 holds the largest (or, ascending, the smallest)
  bool small_weights = false;  // unit-weight comparators (depth 3) instead of weights 2^i (depth 1)
};

// The m words in sorted order. Depth 3 (5 with small weights); O(m^2 k) gates.
std::vector<Word> sort_words(Builder& b, std::span<const Word> xs, const sort_params& p = {});
// Largest / smallest word. Depth 3 (5). (Position 0 of the sort, without the other positions.)
Word max_word(Builder& b, std::span<const Word> xs, bool small_weights = false);
Word min_word(Builder& b, std::span<const Word> xs, bool small_weights = false);
// One-hot position of the first largest word (leftmost tie-break). Depth 2 (4); m gates + comparisons.
std::vector<Lit> argmax_onehot(Builder& b, std::span<const Word> xs, bool small_weights = false);
// The same as a binary index of ceil(log2 m) bits. Depth 3 (5).
Word argmax_index(Builder& b, std::span<const Word> xs, bool small_weights = false);

}  // namespace tcx
