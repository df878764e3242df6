#pragma once
// Internal to synthesis: the counterexample side of the synthesis loops. A candidate circuit is
// simulated on every input pattern 64 at a time and compared word by word with the function's
// table, only on the cared patterns (synth_params::care); the wrong patterns are ranked by
// sensitivity. Also the cyclic input shifts a function is invariant under, whose orbits can be
// added together (docs/provers.md, "Many inputs").
#include <cstdint>
#include <random>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/truth_table.hpp"

namespace tcx::synth_detail {

class Counterexamples {
public:
  // truth as synthesize() takes it; care: nullptr (every pattern) or a table over the same
  // inputs (bit q set: cared); sens[q]: how informative pattern q is (larger first).
  Counterexamples(std::uint32_t n, const multi_truth_table& truth, const truth_table* care, const std::vector<std::uint32_t>& sens);
  // Up to k cared patterns c gets wrong, the most sensitive first (ties: the smaller pattern);
  // empty when c is right on every cared pattern.
  std::vector<std::uint64_t> wrong(const Circuit& c, std::size_t k) const;
  bool cared(std::uint64_t q) const { return !care_ || get_bit(*care_, q); }
  std::uint64_t cared_count() const { return cared_; }
  std::uint64_t first_cared() const;
  // A uniformly random cared pattern (rejection sampling; a scan when the care set is sparse).
  std::uint64_t random_cared(std::mt19937_64& rng) const;

private:
  std::uint32_t n_;
  std::uint64_t rows_;
  std::uint64_t cared_ = 0;
  const multi_truth_table& target_;
  const truth_table* care_;
  const std::vector<std::uint32_t>& sens_;
};

// The smallest s in 1..n-1 such that rotating the n inputs by s positions (input i moves to
// (i + s) mod n) leaves every output and the care set unchanged, or 0 when there is none. The
// shifts the function is invariant under are the multiples of that s.
std::uint32_t invariant_rotation(std::uint32_t n, const multi_truth_table& truth, const truth_table* care);
// Pattern q with its bits rotated by s: bit i moves to bit (i + s) mod n.
inline std::uint64_t rotate_pattern(std::uint64_t q, std::uint32_t n, std::uint32_t s) {
  if (s == 0 || s >= n) return q;
  const std::uint64_t mask = (n >= 64 ? ~0ull : (1ull << n) - 1);
  return ((q << s) | (q >> (n - s))) & mask;
}

// How informative each input pattern is as a counterexample: per pattern, the (output, input)
// pairs whose flip leads to a cared pattern with a different value (0 outside the care set).
// Patterns on the function's boundary (for a majority, those with about half the inputs set)
// constrain a candidate most.
std::vector<std::uint32_t> sensitivity(std::uint32_t n, const multi_truth_table& truth, const truth_table* care);

}  // namespace tcx::synth_detail

#include "provers/synth.hpp"

namespace tcx::synth_detail {

// The first patterns in play: every cared pattern when there are at most `all_below` of them;
// otherwise the first cared pattern and p.initial_patterns - 1 seeded random cared ones (with
// no care set: pattern 0 and rng() % 2^n, as before care sets existed).
std::vector<std::uint64_t> initial_patterns(const Counterexamples& cx, std::uint32_t n, const synth_params& p, std::uint64_t all_below);
// The patterns to add after candidate c: up to p.counterexamples_per_round wrong ones, each
// followed (p.pattern_orbits, rotation > 0) by its images under the multiples of `rotation`.
// Empty: c is right on every cared pattern. The first is always a pattern c gets wrong.
std::vector<std::uint64_t> next_patterns(const Counterexamples& cx, const Circuit& c, std::uint32_t n, const synth_params& p,
                                         std::uint32_t rotation);

}  // namespace tcx::synth_detail
