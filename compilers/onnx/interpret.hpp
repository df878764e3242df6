#pragma once
// The exact reference: an ONNX graph evaluated tensor by tensor on rationals (GMP), following
// docs/onnx.md literally. It shares no arithmetic with the circuit compiler (only the index
// arithmetic of tensor.hpp), so `tcx compile --check` and `tcx verify --model` compare two
// independent readings of the same semantics.
#include <map>
#include <string>
#include <vector>

#include "compilers/onnx/graph.hpp"

namespace tcx {

// Evaluates the model on `inputs` (graph input name -> value, shapes as declared); returns the
// graph outputs in order. OnnxError naming the node for unsupported or inexact operators.
// softmax_argmax: `--softmax argmax` (softmax_as_argmax in graph.hpp).
std::vector<OnnxConst> interpret_onnx(const OnnxModel& m, const std::map<std::string, OnnxConst>& inputs, bool softmax_argmax = false);

// Round half to even of a rational (QuantizeLinear's rounding).
mpz_class round_half_even(const Rational& x);
// x / y rounded toward zero: ONNX's Div of integers (-11 / 3 = -3). y is not zero.
Rational truncated_quotient(const Rational& x, const Rational& y);

}  // namespace tcx
