#pragma once
// The analyzer: size, depth and weight statistics of one circuit.
#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"

namespace tcx {

struct circuit_stats {
  std::uint32_t inputs = 0;
  std::uint32_t outputs = 0;
  std::uint32_t gates = 0;
  std::uint64_t wires = 0;
  std::uint32_t depth = 0;                  // longest input-to-output path, in threshold gates
  std::vector<std::uint32_t> output_depth;  // per output
  std::uint32_t max_fanin = 0;
  double mean_fanin = 0;
  std::uint64_t max_weight_bits = 0;  // bits of the largest |weight|
  std::uint64_t max_threshold_bits = 0;
  mpz_class sum_abs_weights = 0;
  std::uint32_t big_gates = 0;               // gates stored with GMP weights
  std::vector<std::uint64_t> gates_per_level;  // [l-1] = gates at level l
  std::vector<std::string> critical_path;     // node labels from a source to the deepest output
};

struct analyze_params {
  bool critical_path = true;  // a graph search over the whole circuit: skip it when not shown
};

circuit_stats analyze(const Circuit& c, const analyze_params& params = {});

// Gate-by-gate accumulation of the per-gate figures of circuit_stats. analyze() uses it over a
// stored circuit; a counting Builder uses it while gates stream past, so both count alike.
class GateTally {
public:
  void add(std::uint32_t level, std::span<const std::int32_t> weights, std::int64_t threshold);
  void add(std::uint32_t level, std::span<const mpz_class> weights, const mpz_class& threshold);
  // A gate given by its figures (what a counting Builder keeps instead of its weights).
  void add(std::uint32_t level, std::uint64_t fanin, std::uint64_t weight_bits, std::uint64_t threshold_bits,
           std::uint64_t abs_sum);
  void add(std::uint32_t level, std::uint64_t fanin, std::uint64_t weight_bits, std::uint64_t threshold_bits,
           const mpz_class& abs_sum);  // a big gate
  // Fills gates, wires, fan-in, weight and per-level figures of s.
  void fill(circuit_stats& s) const;

private:
  void count(std::uint32_t level, std::size_t fanin);
  std::uint32_t gates_ = 0, max_fanin_ = 0, big_gates_ = 0;
  std::uint64_t wires_ = 0, max_weight_bits_ = 0, max_threshold_bits_ = 0;
  std::uint64_t small_abs_sum_ = 0;  // flushed into abs_sum_ before it could overflow
  mpz_class abs_sum_ = 0;
  std::vector<std::uint64_t> gates_per_level_;
};

// Bits of |x| (0 for 0): the measure of max_weight_bits and max_threshold_bits.
std::uint64_t magnitude_bits(std::int64_t x);
std::uint64_t magnitude_bits(const mpz_class& x);

// JSON: integers beyond 2^53 (not exact in JSON doubles) are written as decimal strings.
nlohmann::json to_json(const circuit_stats& s);
// A two-column human-readable table.
std::string to_table(const circuit_stats& s);

// An exact integer as JSON: a number when |x| <= 2^53, else a decimal string.
nlohmann::json json_integer(const mpz_class& x);

}  // namespace tcx
