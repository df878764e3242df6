#pragma once
// Finding threshold circuits of a given shape by gradient descent: a heuristic that can only
// answer "found". The shape's gates become a small network of tanh units over the inputs in
// {-1, +1}, trained on the cared patterns (all of them at each step, or random batches of them
// when there are many) with a logistic loss whose slope grows step by step
// (so the units harden into threshold gates); restarts from random weights. At checkpoints the
// hidden gates are read as hard threshold gates, and each gate is then fitted again exactly on
// the values its sources take (provers/separable.hpp, integer weights): the output may be
// separable over the hidden gates' values even where the trained output weights still err.
// When it is not, SAT completes the near miss: a hidden gate (or a few) set free, the others
// kept, the tt method looks for the free ones (provers/synth_tt.hpp). A circuit is returned
// only after simulation on every cared pattern. Where SAT proves shapes
// impossible, this proves nothing: it finds circuits SAT is too slow to find (docs/provers.md,
// "Circuits found by descent").
#include <atomic>
#include <cstdint>
#include <optional>

#include "circuits/circuit.hpp"
#include "circuits/truth_table.hpp"
#include "provers/synth.hpp"

namespace tcx {

struct descent_stats {
  std::uint32_t restarts = 0;  // begun
  std::uint32_t refits = 0;    // checkpoints whose exact refit was tried
  std::uint32_t repairs = 0;   // SAT questions asked to complete a near miss
  bool repaired = false;       // found: by a repair (some gates kept from descent, the others SAT's)
  std::uint64_t best_errors = ~std::uint64_t(0);  // fewest cared patterns the trained network got wrong at a checkpoint
  double seconds = 0;          // CPU seconds, all threads
  std::uint32_t found_by = 0;  // found: the restart's index (0-based; with seed, all that restart depends on)
};

struct descent_result {
  std::optional<Circuit> circuit;  // found: verified on every cared pattern
  descent_stats stats;
};

// The most inputs descent takes, and the most memory for its patterns: every cared pattern is
// kept (the checkpoints, the refit and the verification read them all), 4 (inputs + gates)
// bytes each: at 22 inputs and 100 gates, 1.9 GB.
inline constexpr std::uint32_t descent_max_inputs = 22;
inline constexpr std::uint64_t descent_max_bytes = std::uint64_t(4) << 30;
// Training reads every cared pattern at each step up to this many of them (every 16-input
// question), and otherwise a random batch of descent_default_batch (descent_params::batch).
inline constexpr std::size_t descent_full_batch_max = std::size_t(1) << 16;
inline constexpr std::size_t descent_default_batch = std::size_t(1) << 13;

// Threshold gates without a weight or fan-in bound (the refit sets the weights); shape.skip as in
// synthesize(). truth and care as synthesize() takes them (care null: every pattern).
// std::invalid_argument for a shape or table it does not take (check_descent_question: the
// same checks alone, for callers that do other work first).
void check_descent_question(std::uint32_t inputs, const multi_truth_table& truth, const truth_table* care,
                            const synth_shape& shape, const descent_params& p);
descent_result find_by_descent(std::uint32_t inputs, const multi_truth_table& truth, const truth_table* care,
                               const synth_shape& shape, const descent_params& p);

}  // namespace tcx
