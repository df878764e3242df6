#pragma once
// The mean of selected values: the output of an averaging attention head, coordinate by
// coordinate. Values are signed k-bit words (two's complement, all the same width, k <= 16);
// select[j] says whether value j takes part.
#include <span>

#include "circuits/builder.hpp"
#include "compilers/arith/word.hpp"

namespace tcx {

// M = floor(S / C) (nearest = false) or floor(S / C + 1/2) (nearest, ties up), S the sum and C
// the count of the selected values, as a k-bit signed word; with nothing selected, the largest
// value 2^(k-1) - 1 (callers select at least one).
//
// Construction: a_jt = [select_j and bit t of value j]; then one gate per candidate t in
// (lo, hi], [S - t C >= 0] (floor) or [2S - (2t-1) C >= 0] (nearest), a thermometer code of M
// whose wires are the a_jt and select_j; then each output bit as an alternating sum of
// thermometer gates. Depth 3 (2 when k = 1); gates <= m k + 2^k - 1 + k.
Word masked_mean(Builder& b, std::span<const Lit> select, std::span<const Word> values, bool nearest);

}  // namespace tcx
