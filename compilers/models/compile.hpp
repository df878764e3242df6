#pragma once
// Model to threshold circuit. Layout of the circuit's inputs: value i of the model's input
// (MLP), or value k of step t (RNN: value index t * width + k), takes one bit (bit, sign) or
// format.bits bits LSB first (number). Outputs: the last layer's values, the same way.
#include <cstdint>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "compilers/models/model.hpp"

namespace tcx {

struct compile_params {
  bool names = true;  // name inputs x<i> / x<i>[b] and outputs y<j> / y<j>[b]
};

// Builds the model at size n into b (which may be a counting Builder).
void compile_model(const Model& m, const ModelShape& shape, Builder& b, const compile_params& params = {});
Circuit compile_model(const Model& m, std::int64_t n);
// The figures of compile_model(m, n) without storing it (a counting Builder).
circuit_stats count_model(const Model& m, std::int64_t n);

}  // namespace tcx
