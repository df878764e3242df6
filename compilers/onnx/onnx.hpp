#pragma once
// ONNX models to threshold circuits: the entry points (tcx compile/depth/verify/family on .onnx
// files, the Python binding and the report call these). docs/onnx.md states the semantics.
//
//   OnnxModel m = load_onnx("net.onnx");           // graph.hpp: reader, one-line OnnxError
//   onnx_compiled c = compile_onnx(m, params);     // circuit + input/output layout
//   onnx_check_result r = check_onnx(m, c);        // the circuit against the exact interpreter
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "compilers/onnx/graph.hpp"
#include "compilers/onnx/interpret.hpp"

namespace tcx {

// What one element of a graph input is, as circuit input wires.
struct onnx_input_spec {
  enum Kind { bits, signs, int_bits, uint_bits } kind = bits;
  std::uint32_t bits_per_element = 1;  // int_bits / uint_bits: B (1..32)
};
// "bits", "signs", "int:B" or "uint:B"; std::invalid_argument otherwise.
// `label` names the setting in the message (std::invalid_argument): "--input" on the command line.
onnx_input_spec parse_onnx_input(const std::string& text, const std::string& label = "input");
std::string input_text(const onnx_input_spec& s);  // back to "bits", "int:8", ...

// One graph input or output tensor as circuit wires: element e (flat, row-major) occupies wires
// [first_wire + e * width, first_wire + (e + 1) * width), least significant bit first.
struct onnx_io {
  std::string tensor;
  Shape shape;
  ElemType type = ElemType::float32;
  enum Kind {
    bit,       // one wire: value 0 or 1
    sign,      // one wire: 1 is +1, 0 is -1
    word,      // `width` wires: integer W (two's complement when is_signed), value = scale * W + offset
  } kind = bit;
  std::uint32_t width = 1;
  bool is_signed = false;
  Rational scale{1}, offset{0};
  std::uint32_t first_wire = 0;
  std::string how;  // for inputs: what defined the encoding ("--input bits", "leading QuantizeLinear ...")
  bool quantizer = false;  // an input read only by a QuantizeLinear: W is its q, zero point -offset / scale
  std::uint64_t elements() const;
  // The value an element's wires stand for, and the wires for a value (false: not representable).
  Rational decode(const std::uint8_t* wires) const;
  bool encode(const Rational& value, std::uint8_t* wires) const;
  std::string value_text() const;  // "scale * W + offset" ("1/2 * W - 3"; "W" when plain)
  // A quantizer input's value for any real x, as its QuantizeLinear reads x: q = saturate(
  // round_half_even(x / scale) + zero point), then scale * q + offset (x itself otherwise).
  Rational quantize(const Rational& x) const;
};

struct onnx_layout {
  std::vector<onnx_io> inputs, outputs;
  std::uint32_t input_bits = 0, output_bits = 0;
  // The semantics the wires follow: compiled with `--softmax argmax` (the check's interpreter
  // then applies the same replacement), and one line per operator replaced that way.
  bool softmax_argmax = false;
  onnx_input_spec input;  // what the inputs were compiled as (those without a leading QuantizeLinear)
  std::vector<std::string> notes;
  std::string text() const;  // one line per tensor, then "note: " lines, for `tcx compile`
};
// The layout as data (`tcx compile --layout`, `tcx depth --json`, Python's OnnxLayout): per tensor
// its name, shape, element type, kind (bit, sign, word), width, signedness, exact scale and offset
// as "p/q" text, and first wire (docs/onnx.md, "The layout").
nlohmann::json to_json(const onnx_io& io);
nlohmann::json to_json(const onnx_layout& layout);
// Back from to_json (a `tcx compile --layout` file): std::invalid_argument naming the field
// ("/outputs/0/width: ...") when a field is missing, of the wrong kind, or the wires do not tile.
onnx_layout layout_from_json(const nlohmann::json& j);

struct onnx_compile_params {
  onnx_input_spec input;  // graph inputs not defined by a leading QuantizeLinear
  bool names = true;      // inputs <tensor>[e] / <tensor>[e][b], outputs likewise
  // `--softmax argmax`: a Softmax feeding ArgMax along its axis, or a graph output, is replaced
  // by ArgMax of its input (softmax_as_argmax in graph.hpp); otherwise a Softmax is refused.
  bool softmax_argmax = false;
};

struct onnx_compiled {
  Circuit circuit;
  onnx_layout layout;
};

// Appends the model's circuit to b (which may be a counting Builder); returns the layout.
// OnnxError naming the node for what cannot be compiled exactly; std::length_error from the
// Builder when the circuit would exceed its --max-wires bound.
onnx_layout compile_onnx(const OnnxModel& m, Builder& b, const onnx_compile_params& params = {});
onnx_compiled compile_onnx(const OnnxModel& m, const onnx_compile_params& params = {});
// Depth and size without storing the circuit (a counting Builder), and the layout.
struct onnx_counted {
  onnx_layout layout;
  circuit_stats stats;
};
onnx_counted count_onnx(const OnnxModel& m, const onnx_compile_params& params = {});

// The graph inputs of one circuit input pattern, by the layout (the interpreter's inputs).
std::map<std::string, OnnxConst> onnx_inputs_of(const OnnxModel& m, const onnx_layout& layout, const std::uint8_t* bits);

struct onnx_check_params {
  std::uint32_t max_exhaustive_bits = 16;
  std::uint64_t random_inputs = 2000;
  std::uint64_t seed = 1;
  double time_limit_s = 0;  // for the whole check (0 = none): past it BudgetExceeded (circuits/builder.hpp)
};

struct onnx_check_result {
  bool agree = true;
  bool exhaustive = false;
  std::uint64_t inputs_checked = 0;
  // The first disagreement: input bits, and the output tensor element that differs.
  std::vector<std::uint8_t> input;
  std::string where, circuit_value, reference_value;
};

// The circuit against the exact interpreter on every input pattern (up to max_exhaustive_bits
// input wires: a proof for this model) or on seeded random patterns (evidence). Values are
// compared, decoded by the layout; a reference value the layout cannot represent is a
// disagreement.
onnx_check_result check_onnx(const OnnxModel& m, const onnx_layout& layout, const Circuit& c, const onnx_check_params& params = {});
// agree, exhaustive, inputs_checked and, on a disagreement, the counterexample (input bits, the
// output element, both values): the check as `tcx verify MODEL.onnx --json` and Python report it.
nlohmann::json to_json(const onnx_check_result& r);

// A circuit from elsewhere (a file) against a model (`tcx verify C --model M.onnx`, Python's
// tcx.verify): its wires read by the layout the model compiles to (counted, not stored;
// std::invalid_argument when the circuit's input or output count differs), then check_onnx.
struct onnx_verify_result {
  onnx_layout layout;
  onnx_check_result check;
  std::string settings;  // the compile options the circuit was checked as compiled with ("--input signs")
  std::string verdict() const;  // correct (every input), wrong, or unknown (random inputs: evidence only)
  std::string how() const;      // what was checked, in words
  nlohmann::json to_json() const;  // verdict, how, substitutions and the check's fields
};
onnx_verify_result verify_onnx(const OnnxModel& m, const Circuit& c, const onnx_compile_params& params = {},
                               const onnx_check_params& check = {});

// One model end to end, for reports ("trained networks" in tcx reproduce) and the binding:
// read, compile, analyze and check.
struct onnx_summary {
  std::string file, producer;
  std::int64_t opset = 0;
  std::uint64_t nodes = 0, weights = 0;
  std::uint32_t input_bits = 0, output_bits = 0;
  circuit_stats stats;
  double parse_seconds = 0, compile_seconds = 0, check_seconds = 0;
  onnx_check_result check;
  std::string layout;
};
onnx_summary summarize_onnx(const std::string& path, const onnx_compile_params& params = {}, const onnx_check_params& check = {});

}  // namespace tcx
