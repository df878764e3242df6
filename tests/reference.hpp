#pragma once
// An independent reference for tests: a plain netlist exactly as a user described it
// (negated and constant fan-ins, duplicates, zero weights, any threshold), evaluated
// directly with GMP integers. It shares no code with the Builder's normalization or
// the Circuit's evaluators, so agreement between the two is evidence, not tautology.
#include <gmpxx.h>

#include <cstdint>
#include <random>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"

namespace tcx::test {

struct PlainGate {
  std::vector<Lit> fanins;  // refer to plain node ids (0 = false, 1..n inputs, then gates)
  std::vector<mpz_class> weights;
  mpz_class threshold;
};

struct PlainNetlist {
  std::uint32_t inputs = 0;
  std::vector<PlainGate> gates;  // gate i is plain node 1 + inputs + i
  std::vector<Lit> outputs;

  std::vector<std::uint8_t> eval(const std::vector<std::uint8_t>& in) const;
  // Builds the circuit through a Builder; returns it.
  Circuit build(builder_params p = {}) const;
};

struct RandomParams {
  std::uint32_t inputs = 6;
  std::uint32_t gates = 20;
  std::uint32_t outputs = 3;
  std::uint32_t max_fanin = 6;
  std::uint32_t weight_bits = 3;  // |w| < 2^weight_bits (big values beyond 64 bits allowed)
  double p_negate = 0.3;
  double p_constant = 0.05;
  double p_duplicate = 0.1;
};

PlainNetlist random_netlist(std::mt19937_64& rng, const RandomParams& p);

std::vector<std::uint8_t> bits_of(std::uint64_t pattern, std::uint32_t n);

// 1 to 4 random edits (replace, erase up to 8 bytes, insert) drawn from `alphabet`, for fuzzing readers.
std::string mutate(const std::string& text, std::mt19937_64& rng, const std::string& alphabet);

// A built circuit's outputs on pattern q (input i = bit i), gate by gate from its stored weights
// with GMP sums: apart from circuits/simulate and from whatever produced the circuit.
std::vector<bool> eval_by_weights(const Circuit& c, std::uint64_t q);
std::vector<bool> eval_by_weights(const Circuit& c, const std::vector<std::uint8_t>& inputs);  // any input count
// And every node's value (by node id), likewise.
std::vector<bool> nodes_by_weights(const Circuit& c, std::uint64_t q);
std::vector<bool> nodes_by_weights(const Circuit& c, const std::vector<std::uint8_t>& inputs);

}  // namespace tcx::test
