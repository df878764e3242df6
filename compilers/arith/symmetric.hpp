#pragma once
// Symmetric functions: outputs that depend only on how many inputs are 1.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/derived_gates.hpp"
#include "compilers/arith/linear_form.hpp"
#include "compilers/arith/word.hpp"

namespace tcx {

// at_least and majority (one gate each) are derived gates: circuits/derived_gates.hpp.

// A function v of a weighted sum s (a linear form whose value lies in lo..hi) as a linear form
// over one ladder of counting gates: v(s) = v(lo) + slope (s - lo) + sum_k d_k [s >= k], with a
// gate [s >= k] only where the step v(k) - v(k-1) differs from the slope (d_k is the
// difference). slope 0 reads the gates alone (layered circuits). With `with_sum`, the slope is
// the most common step (ties: 0, then the first step), so the form also reads s's literals
// (input-to-output wires) and a periodic v needs fewer gates: parity's floor(n/2), not n.
// Visits every value lo..hi: for small ranges (counts, word problems' exponent sums).
linear_form function_of_sum(Builder& b, const linear_form& s, std::int64_t lo, std::int64_t hi,
                            const std::function<std::int64_t(std::int64_t)>& v, bool with_sum);

// Any symmetric function, given by value[k] = f(k) for k = 0..n (Hofmeister, Hohberg,
// Koehling 1991): layer 1 g_k = [sum x >= k] for each k where f changes, output
// [sum_k (f(k) - f(k-1)) g_k >= 1 - f(0)].
// Depth 2; gates = (number of k in 1..n with f(k) != f(k-1)) + 1, at most n + 1.
// (The builder folds it to depth 1 when f is itself a threshold function.)
Lit symmetric(Builder& b, std::span<const Lit> x, const std::vector<bool>& value);

// Parity by the general construction: depth 2, n + 1 gates.
Lit parity(Builder& b, std::span<const Lit> x);

// Parity with input-to-output wires: [sum x - 2 sum_{k=1..floor(n/2)} [sum x >= 2k] >= 1]
// (function_of_sum with the sum). Depth 2, floor(n/2) + 1 gates.
Lit parity_skip(Builder& b, std::span<const Lit> x);

// Popcount as a binary word of ceil(log2(n+1)) bits: each bit is a symmetric function,
// all sharing the layer-1 gates [sum x >= k]. Depth 2, at most n + ceil(log2(n+1)) gates.
Word popcount(Builder& b, std::span<const Lit> x);

}  // namespace tcx
