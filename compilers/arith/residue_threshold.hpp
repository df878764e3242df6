#pragma once
// One threshold gate with arbitrarily large weights as a depth-2 circuit of small-weight gates:
// one extra level, the bound of Goldmann, Hastad and Razborov (1992), made explicit by Goldmann
// and Karpinski (1993). This construction is tcx's own, by residues modulo small primes.
//
// Positive form: D = sum a_i x_i - t with a_i > 0, m bits. For each bit position k let
// P_k = sum (a_i >> k) x_i - (t >> k), so P_0 = D, P_m = 0 and P_k = 2 P_{k+1} + d_k with
// d_k = c_k - t_k (c_k counts the inputs whose weight has bit k, t_k is bit k of t). The low
// part D - 2^k P_k is at least -(2^k - 1), so P_k >= 1 forces D >= 1. Conversely, if D >= 1,
// at the largest k with P_k >= 1 we have P_{k+1} <= 0 and so 1 <= P_k <= d_k <= c_k - t_k.
// Hence, with the candidate sets C_0 = [0, c_0 - t_0] and C_k = [1, c_k - t_k]:
//   D >= 0  iff  P_k is in C_k for some k   (and when D < 0, no P_k is in C_k).
// "P_k in C_k" is voted on modulo N primes p > every candidate: P_k mod p is a function of the
// small linear form R = sum ((a_i >> k) mod p) x_i, and any function of R is a +-1 sum of gates
// [R >= r]. The vote g_{k,p} = [(P_k mod p) in C_k] is 1 for every p when P_k is in C_k, and a
// false 1 only for primes dividing P_k - u != 0 for a candidate u: at most
// log|P_k - u| / log p_min of them per candidate. With E the sum of these bounds over k and u
// and N = E + 1, the output gate [sum_{k,p} g_{k,p} >= N] is exact on every input.
//
// Depth: 2 (the original gate's 1 plus one). Weights: first layer below p_max; the output
// gate's are +-1 per vote, so at most N per scale where votes share a gate (at high k, where
// no prime can vote falsely, one vote stands for all N). Gates: about N m times the value changes
// of one vote (about 2 n); N is about n m^2 / log p, so the size is polynomial in n and m, and
// large: measured by bench_residues, in docs/cells.md. For a whole circuit each rewritten gate
// adds one level; Goldmann and Karpinski's d + 1 for depth d (merging each output gate into the
// next layer) is not done.
#include <gmpxx.h>

#include <cstdint>
#include <span>

#include "circuits/builder.hpp"

namespace tcx {

class Progress;  // circuits/progress.hpp

struct residue_params {
  // Every prime (and so every first-layer weight) is below 2^max_weight_bits; 0 means the bits
  // of 4 n m, polynomial in the gate's size. At most 40.
  std::uint32_t max_weight_bits = 0;
  // Primes start at 2^(min_prime_bits - 1) (and above every candidate); 0: the start that
  // needs the fewest primes (the larger the primes, the fewer).
  std::uint32_t min_prime_bits = 0;
  // Refuse (std::length_error) when the estimated first-layer gate count is larger.
  std::uint64_t max_gates = 10'000'000;
  // When set, counts the votes as they are built (its total set once the primes are chosen).
  Progress* progress = nullptr;
};

struct residue_stats {
  std::uint32_t inputs = 0;          // fan-in after dropping zero weights
  std::uint32_t weight_bits = 0;     // m
  std::uint32_t scales = 0;          // bit positions where the sum can turn positive
  std::uint32_t primes = 0;          // N
  std::uint64_t smallest_prime = 0, largest_prime = 0;
  std::uint64_t false_vote_bound = 0;  // E = N - 1
  std::uint64_t first_layer_gates = 0;
};

// Appends the depth-2 circuit for [sum weights[i] * fanins[i] >= threshold] and returns its
// output (or a constant when the gate is constant). Throws std::length_error over the budget
// or when not enough primes fit below 2^max_weight_bits; the size estimate refuses before any
// gate is added, except when it undercounts (then the gates added so far stay in the Builder).
// The Builder's time budget (builder_params::time_limit_s) and an interrupt are polled in the
// planning and once a vote, not only at gate requests: BudgetExceeded.
Lit threshold_by_residues(Builder& b, std::span<const Lit> fanins, std::span<const mpz_class> weights,
                          const mpz_class& threshold, const residue_params& params = {},
                          residue_stats* stats = nullptr);

}  // namespace tcx
