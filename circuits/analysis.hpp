#pragma once
// The analyzer: size, depth and weight statistics of one circuit.
#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <cstdint>
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
  std::vector<std::uint64_t> gates_per_level;  // [l-1] = gates at level l (every gate, used or not)
  std::vector<std::string> critical_path;     // node labels from a source to the deepest output
};

circuit_stats analyze(const Circuit& c);

// JSON: integers beyond 2^53 (not exact in JSON doubles) are written as decimal strings.
nlohmann::json to_json(const circuit_stats& s);
// A two-column human-readable table.
std::string to_table(const circuit_stats& s);

// An exact integer as JSON: a number when |x| <= 2^53, else a decimal string.
nlohmann::json json_integer(const mpz_class& x);

}  // namespace tcx
