#pragma once
// Selection, lookup tables and constant shifts.
#include <cstdint>
#include <span>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/truth_table.hpp"
#include "compilers/arith/word.hpp"

namespace tcx {

// xs[index] (bit by bit; 0 when index >= count): out_b = OR_i [index == i AND xs[i]_b], each
// AND one gate [sum of index literals + x >= |index| + 1]. Depth 2; (count + 1) gates per bit.
Word select(Builder& b, std::span<const Word> xs, const Word& index);

// Any function of k input bits given by its truth table over k inputs (bit p = f(p), input i =
// bit i of p), as an OR of the minterm ANDs where f is 1 (or the negated OR of those where f is
// 0, if fewer). Depth 2 (1 for a single minterm); at most 2^(k-1) + 1 gates.
Lit lookup(Builder& b, const Word& x, const truth_table& table);

// Shifts by a constant: wiring only, depth 0. Left shift keeps the width (bits fall off);
// right shift fills with 0 (logical) or the sign bit (arithmetic).
Word shift_left(const Word& x, std::uint32_t s);
Word shift_right(const Word& x, std::uint32_t s, bool arithmetic);

}  // namespace tcx
