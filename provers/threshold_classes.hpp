#pragma once
// The threshold functions of a few variables, one per class under renaming the variables, each
// in its regular form: positive (every weight >= 0) with variable 0 the strongest, 1 the next,
// and so on. Every threshold function of k variables is one of these with some variables
// renamed and some negated (a negative weight's variable negated). Used to split a question
// by the function an output gate computes of its hidden gates (--tt-cubes output).
#include <cstdint>
#include <vector>

namespace tcx {

// The largest k served: tables fit one 64-bit word, and the weights needed are known (at most
// 9 for 6 variables; Muroga, Threshold Logic and Its Applications, 1971).
inline constexpr std::uint32_t max_threshold_class_vars = 6;

// Bit c of a table: the function on the code c (bit i of c: variable i). Constants and functions
// of fewer variables included (weight 0 on the rest); sorted by table. k <= max_threshold_class_vars,
// std::invalid_argument otherwise. 2, 3, 5, 10, 27, 119 and 1,113 entries for k = 0..6; the tests
// expand every class (k <= 5) by renaming and negation and meet the published counts of
// threshold functions.
std::vector<std::uint64_t> positive_threshold_classes(std::uint32_t k);

// Whether the function (a table over k variables) is unchanged when variables i and j swap.
bool symmetric_in(std::uint64_t table, std::uint32_t k, std::uint32_t i, std::uint32_t j);

// The dual function, not f(not y): positive and regular when f is (the same weights, the
// threshold moved to their sum minus it plus one), so the dual of a class is a class.
std::uint64_t dual_of(std::uint64_t table, std::uint32_t k);

}  // namespace tcx
