#pragma once
// Scalar evaluation of one input pattern: the simple, exact evaluator that the
// bit-parallel simulator and every test measure themselves against.
#include <cstdint>
#include <span>
#include <vector>

#include "circuits/circuit.hpp"

namespace tcx {

// Value of every node (index = node id) for inputs[i] = value of input i (0 or 1).
std::vector<std::uint8_t> evaluate_nodes(const Circuit& c, std::span<const std::uint8_t> inputs);
// Values of the outputs, in order.
std::vector<std::uint8_t> evaluate(const Circuit& c, std::span<const std::uint8_t> inputs);
// Input i is bit i of `pattern` (LSB first); requires num_inputs() <= 64.
std::vector<std::uint8_t> evaluate_pattern(const Circuit& c, std::uint64_t pattern);

}  // namespace tcx
