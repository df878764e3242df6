#pragma once
// An ONNX model as tcx's own values: the graph's nodes in order, its inputs and outputs with
// static shapes, and every constant as a tensor of exact rationals (a float in the file is a
// dyadic rational and is kept exactly). Nothing here refers to protobuf: reader.cpp converts.
#include <gmpxx.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "compilers/onnx/tensor.hpp"

namespace tcx {

// A bad or unsupported model: what() is one line, "file: node 'name' (Op): reason" (or
// "file: reason" when no node is to blame).
class OnnxError : public std::runtime_error {
public:
  OnnxError(const std::string& file, const std::string& node, const std::string& op, const std::string& reason);
  std::string file, node, op, reason;
};

// The memory bound (--max-wires) reached while compiling: the model may be fine, the bound small.
class OnnxLimitError : public OnnxError {
public:
  explicit OnnxLimitError(const OnnxError& e) : OnnxError(e) {}
};

// The file could not be read as a model tcx accepts (missing, truncated, not ONNX, an opset or
// a feature the reader refuses): thrown by load_onnx and parse_onnx, before any compiling.
class OnnxReadError : public OnnxError {
public:
  explicit OnnxReadError(const OnnxError& e) : OnnxError(e) {}
  OnnxReadError(const std::string& file, const std::string& reason) : OnnxError(file, "", "", reason) {}
};

// ONNX TensorProto element types (the numbers are the file's).
enum class ElemType : int {
  undefined = 0, float32 = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7,
  string = 8, boolean = 9, float16 = 10, float64 = 11, uint32 = 12, uint64 = 13, bfloat16 = 16,
};
const char* elem_type_name(ElemType t);
bool is_float_type(ElemType t);
bool is_integer_type(ElemType t);  // bool counts as an integer type with range [0, 1]
// Range of an integer type (bool: 0..1).
mpz_class type_min(ElemType t);
mpz_class type_max(ElemType t);
std::uint32_t type_bits(ElemType t);

using Rational = mpq_class;

// A constant tensor: exact values and the element type they carry.
struct OnnxConst {
  ElemType type = ElemType::float32;
  NdArray<Rational> value;
};

struct OnnxAttr {
  enum Kind { none, i, f, s, t, ints, floats, strings } kind = none;
  std::int64_t int_value = 0;
  Rational float_value;
  std::string string_value;
  std::shared_ptr<OnnxConst> tensor;
  std::vector<std::int64_t> int_list;
  std::vector<Rational> float_list;
};

struct OnnxNode {
  std::string name, op, domain;  // domain "" is the default ONNX domain
  std::vector<std::string> inputs, outputs;  // an empty input name is an omitted optional input
  std::map<std::string, OnnxAttr> attrs;
  const OnnxAttr* attr(const std::string& n) const {
    auto it = attrs.find(n);
    return it == attrs.end() ? nullptr : &it->second;
  }
  bool has_input(std::size_t k) const { return k < inputs.size() && !inputs[k].empty(); }
  // An attribute's value when it is there with that kind, else the default.
  std::int64_t int_attr(const std::string& n, std::int64_t def) const {
    const OnnxAttr* a = attr(n);
    return a && a->kind == OnnxAttr::i ? a->int_value : def;
  }
  std::vector<std::int64_t> ints_attr(const std::string& n) const {
    const OnnxAttr* a = attr(n);
    return a && a->kind == OnnxAttr::ints ? a->int_list : std::vector<std::int64_t>{};
  }
  std::string string_attr(const std::string& n, const std::string& def) const {
    const OnnxAttr* a = attr(n);
    return a && a->kind == OnnxAttr::s ? a->string_value : def;
  }
  Rational float_attr(const std::string& n, const Rational& def) const {
    const OnnxAttr* a = attr(n);
    return a && a->kind == OnnxAttr::f ? a->float_value : def;
  }
};

struct OnnxValueInfo {
  std::string name;
  ElemType type = ElemType::float32;
  Shape shape;
};

struct OnnxModel {
  std::string file;
  std::int64_t opset = 0;         // of the default domain
  std::string producer;           // producer_name and version, for reports
  std::vector<OnnxValueInfo> inputs, outputs;  // graph inputs that are not initializers
  std::map<std::string, OnnxConst> initializers;  // initializers and Constant-free constants
  std::vector<OnnxNode> nodes;    // topological order (checked)
  // Elements of all initializers and of the Constant nodes' values (shape operands included, as
  // an initializer's would be).
  std::uint64_t weights() const;
  // The error for a node, with the model's file.
  OnnxError error(const OnnxNode& n, const std::string& reason) const { return OnnxError(file, n.name, n.op, reason); }
};

struct onnx_read_params {
  std::uint64_t max_file_bytes = std::uint64_t(1) << 30;  // larger files are refused before reading
};

// Reads and checks a model: file size, protobuf syntax, opset (7..18 of the default domain;
// the QONNX/FINN custom domains), static shapes of inputs and outputs, tensors stored in the
// file (no external data), nodes in topological order. OnnxError (one line) on anything wrong.
OnnxModel load_onnx(const std::string& path, const onnx_read_params& params = {});
// The same from bytes in memory (`file` names them in errors).
OnnxModel parse_onnx(const std::string& bytes, const std::string& file = "model.onnx");

// `--softmax argmax`, the exact alternative to a Softmax (whose values are irrational): allowed
// when every reader of the Softmax's output is an ArgMax along the Softmax's axis (which then
// reads the logits: softmax is strictly increasing along its axis, so the argmax, ties included,
// is the same) or the output is a graph output (which becomes the predicted class: ArgMax along
// the axis, keepdims 0, ties to the first index). Returns "" and the axis (normalized for an
// input of rank `rank`) when allowed, else the reason it is refused. The compiler and the
// interpreter both apply it (each with its own arithmetic).
std::string softmax_as_argmax(const OnnxModel& m, const OnnxNode& softmax, std::size_t rank, std::size_t& axis, bool& graph_output);

// The operators the compiler and the interpreter implement, "Op" or "domain:Op".
const std::vector<std::string>& onnx_supported_ops();

}  // namespace tcx
