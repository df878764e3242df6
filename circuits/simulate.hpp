#pragma once
// Bit-parallel simulation: 64 input patterns per machine word, W words per node,
// node-major (a node's W words are contiguous).
//
// A Circuit is first compiled into a flat list of word instructions: AND/OR chains for
// gates that are plain AND or OR after sign normalization, and for every other gate a
// carry-save adder tree over the bit-sliced weighted sum followed by a borrow chain
// against the threshold (see weighted_sum.hpp). Large weights are added in their binary
// digits, so the simulation is exact for every weight size, GMP gates included, with no
// per-pattern loop. Each instruction then runs over the W words of a block.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/huge_pages.hpp"
#include "circuits/truth_table.hpp"

namespace tcx {

struct sim_params {
  std::uint32_t words = 0;    // words per node and block (power of two); 0 = chosen from the circuit's size
  std::uint32_t threads = 0;  // 0 = all hardware threads
};

class BitSimulator {
public:
  explicit BitSimulator(const Circuit& c);

  std::uint32_t num_inputs() const { return num_inputs_; }
  std::uint32_t num_outputs() const { return static_cast<std::uint32_t>(outputs_.size()); }
  std::size_t num_instructions() const { return code_.size(); }

  // One block: in[i*W + w] is word w of input i; writes out[o*W + w].
  // `scratch` is resized as needed and may be reused across calls (one per thread).
  void run(const std::uint64_t* in, std::uint64_t* out, std::uint32_t W, std::vector<std::uint64_t>& scratch) const;

  // Words per node that keep one block's working set near `bytes` (a power of two in [1, 256]).
  std::uint32_t words_for_budget(std::size_t bytes) const;
  // The drivers' choice: a working set near 16 MiB (measured best on a 32 MiB L3, see
  // docs/perf.md), at least 4 and at most 64 words, so instruction dispatch is amortized.
  std::uint32_t default_words() const;

  struct Instr {
    enum Op : std::uint8_t { and2, or2, half, full, copy } op;
    std::uint32_t dst, dst2;  // slots; dst2 only for adders (the carry)
    std::uint32_t a, b, c;    // operands: 2*slot + negated
  };

private:
  std::uint32_t num_inputs_ = 0;
  std::uint32_t num_slots_ = 0;       // nodes + temporaries
  huge_vector<Instr> code_;  // on 2 MiB pages: tens of millions of instructions for arithmetic
  std::vector<std::uint32_t> outputs_;  // operands
};

// Which patterns a driver feeds.
struct PatternSet {
  enum Kind { exhaustive, random } kind = exhaustive;
  std::uint64_t count = 0;  // exhaustive: 2^n (set by the driver); random: how many
  std::uint64_t seed = 1;
};

// The usual choice of a check: every pattern when there are at most `max_exhaustive_bits`
// inputs (count 2^inputs), else `random` seeded patterns.
inline PatternSet exhaustive_or_random(std::uint32_t inputs, std::uint32_t max_exhaustive_bits, std::uint64_t random,
                                       std::uint64_t seed) {
  const bool all = inputs <= max_exhaustive_bits;
  return PatternSet{all ? PatternSet::exhaustive : PatternSet::random, all ? std::uint64_t(1) << inputs : random, seed};
}

// Simulates the patterns in blocks of 64*W, in parallel over blocks. For each block calls
// on_block(first_pattern, W, outputs) with outputs[o*W + w]; calls may come from several
// threads at once. Pattern p of an exhaustive set assigns input i = bit i of p; random
// patterns are a deterministic function of (seed, p). Words past `count` are garbage.
void simulate_blocks(const Circuit& c, PatternSet set, const sim_params& params,
                     const std::function<void(std::uint64_t first, std::uint32_t W, const std::uint64_t* out)>& on_block);

// The input words of block `block` (first pattern block*64*W): in[i*W + w].
void fill_inputs(PatternSet set, std::uint32_t num_inputs, std::uint64_t block, std::uint32_t W, std::uint64_t* in);
// The input bits of pattern p in a set.
std::vector<std::uint8_t> pattern_inputs(PatternSet set, std::uint32_t num_inputs, std::uint64_t p);

// The circuit against an independent reference (a thread-safe function of the input bits) on
// every pattern of `set`: exhaustive patterns make agreement a proof, random ones evidence.
// On a disagreement, the lowest pattern that disagrees, with both answers. A reference may
// answer nothing (an empty vector) for an input outside its domain (a don't-care): not checked.
struct reference_check_result {
  bool agree = true;
  bool exhaustive = false;  // the set was every pattern (check_exhaustive_or_random)
  std::uint64_t checked = 0;
  std::uint64_t first_bad = UINT64_MAX;  // index of the disagreeing pattern in the set
  std::vector<std::uint8_t> input, circuit_output, reference_output;
};
using ReferenceFn = std::function<std::vector<std::uint8_t>(const std::vector<std::uint8_t>&)>;
reference_check_result check_against_reference(const Circuit& c, PatternSet set, const sim_params& params,
                                               const ReferenceFn& reference);

// The check of a compiled model against its reference interpreter, one driver for every model
// kind (compilers/models: JSON specs; compilers/onnx: ONNX graphs; they differ only in the
// reference): every input pattern when the circuit has at most max_exhaustive_bits inputs (a
// proof for that circuit), else random_inputs seeded patterns (evidence).
struct reference_check_params {
  std::uint32_t max_exhaustive_bits = 20;
  std::uint64_t random_inputs = 100000;
  std::uint64_t seed = 1;
  sim_params sim;
};
reference_check_result check_exhaustive_or_random(const Circuit& c, const reference_check_params& params,
                                                  const ReferenceFn& reference);

// Pattern ranges, for drivers that split a set into pieces (tcx's work-distribution layer):
// the lowest pattern p in [begin, end) of `set` (count set: 2^n when exhaustive) where the two
// simulators' outputs differ, or where the circuit disagrees with `reference`; UINT64_MAX when
// none. The simulators are compiled once by the caller and reused across ranges.
std::uint64_t first_difference(const BitSimulator& a, const BitSimulator& b, PatternSet set, std::uint64_t begin,
                               std::uint64_t end, const sim_params& params = {});
std::uint64_t first_disagreement(const BitSimulator& c, PatternSet set, std::uint64_t begin, std::uint64_t end,
                                 const sim_params& params, const ReferenceFn& reference);

// Explicit patterns: patterns[k][i] is input i of pattern k; returns outputs[k][o].
std::vector<std::vector<std::uint8_t>> simulate_patterns(const Circuit& c,
                                                         const std::vector<std::vector<std::uint8_t>>& patterns,
                                                         const sim_params& params = {});

// The truth table of every output (circuits/truth_table.hpp): bit p of tables[o] is output o on
// pattern p (input i = bit i of p). Requires num_inputs() <= 32.
multi_truth_table truth_tables(const Circuit& c, const sim_params& params = {});

struct equiv_params {
  std::uint32_t max_exhaustive_inputs = 32;  // beyond: random patterns
  std::uint64_t random_patterns = 1ull << 22;
  std::uint64_t seed = 1;
  double time_limit_s = 0;  // 0 = none
  sim_params sim;
};

struct equiv_result {
  enum Verdict { equal, different, unknown } verdict = unknown;
  bool exhaustive = false;
  std::uint64_t patterns_checked = 0;
  // On a difference: the first differing pattern (lowest index) and both outputs.
  std::vector<std::uint8_t> inputs, outputs_a, outputs_b;
  std::string reason;  // for unknown: why (random patterns only, or the time limit)
};

// Equivalence by simulation: exhaustive when the input count allows (a proof), else random
// patterns (a difference found is certain; none found is only evidence).
// Requires the same number of inputs and outputs (std::invalid_argument otherwise).
equiv_result equivalent_by_simulation(const Circuit& a, const Circuit& b, const equiv_params& params = {});

}  // namespace tcx
