#pragma once
// Internal to the tt method (provers/synth_tt.cpp): eager consequences of thresholdness that
// relate a gate's polarity and order variables to each other, and the reuse of a certificate
// clause for every interchangeable gate. docs/provers.md, "The tt method", says why each is sound.
#include <cstdint>
#include <span>
#include <vector>

#include "provers/cnf.hpp"
#include "provers/separable.hpp"

namespace tcx::synth_detail {

// One gate's weight-order axioms over the inputs it reads. pol[i]: the variable "w_i >= 0"
// (0: input i not read); order[a * n + b], a < b: "w_a >= w_b" (created here when 0 and both
// are read). Adds, for the literals o(i, j) = order(i, j) for i < j and -order(j, i) for i > j
// (w_i >= w_j, or w_i > w_j), transitivity o(i, j) and o(j, k) -> o(i, k), and the links with
// the signs: w_i >= 0 > w_j -> o(i, j). All hold for o and pol read off any one weight vector of
// the gate, so they remove no circuit. Returns the clauses added.
std::uint64_t add_weight_order_axioms(Cnf& cnf, std::uint32_t n, std::span<const CnfLit> pol, std::span<CnfLit> order);

// The gates a certificate of gate g also holds for: the other hidden gates of g's layer (same
// sources, so "g's values and its sources' values on these patterns are not this combination"
// is as true of each of them). layer[g]: g's layer; output[g]: g is an output (its values are
// the function's, constants).
std::vector<std::size_t> interchangeable_gates(std::size_t g, std::span<const std::uint32_t> layer, const std::vector<bool>& output);

// A separator found cheaply, or none: the perceptron rule in 64-bit integers over the labelled
// 0/1 points (at most `max_epochs` passes). It only ever answers "separable", with integer
// weights and a threshold checked exactly on every point; "none" means "ask the exact LP"
// (the perceptron does not decide inseparability). The weights stay below max_epochs * count
// in magnitude, far from overflow.
bool quick_separator(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                     std::uint32_t max_epochs, separability_result& out);

}  // namespace tcx::synth_detail
