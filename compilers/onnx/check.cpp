// Layouts (what the wires mean), the check of a compiled circuit against the exact interpreter,
// and the one-call summary for reports.
#include <chrono>

#include <iomanip>
#include <sstream>

#include "circuits/bits.hpp"
#include "circuits/builder.hpp"
#include "circuits/interrupt.hpp"
#include "circuits/simulate.hpp"
#include "compilers/onnx/onnx.hpp"

namespace tcx {

namespace {

onnx_input_spec parse_input_text(const std::string& text) {
  onnx_input_spec s;
  if (text == "bits") return s;
  if (text == "signs") {
    s.kind = onnx_input_spec::signs;
    return s;
  }
  const bool sig = text.starts_with("int:"), uns = text.starts_with("uint:");
  if (sig || uns) {
    const std::string num = text.substr(sig ? 4 : 5);
    std::uint32_t b = 0;
    bool ok = !num.empty() && num.size() <= 2;
    for (char c : num) ok = ok && c >= '0' && c <= '9';
    if (ok) b = static_cast<std::uint32_t>(std::stoul(num));
    if (!ok || b < 1 || b > 32) throw std::invalid_argument(text + ": B must be 1..32");
    s.kind = sig ? onnx_input_spec::int_bits : onnx_input_spec::uint_bits;
    s.bits_per_element = b;
    return s;
  }
  throw std::invalid_argument("must be bits, signs, int:B or uint:B (got '" + text + "')");
}

}  // namespace

onnx_input_spec parse_onnx_input(const std::string& text, const std::string& label) {
  try {
    return parse_input_text(text);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(label + " " + e.what());
  }
}


std::uint64_t onnx_io::elements() const { return shape_size(shape); }

Rational onnx_io::decode(const std::uint8_t* w) const {
  if (kind == bit) return Rational(w[0] ? 1 : 0);
  if (kind == sign) return Rational(w[0] ? 1 : -1);
  mpz_class W = 0;
  for (std::uint32_t k = 0; k < width; ++k)
    if (w[k]) W += mpz_class(1) << k;
  if (is_signed && w[width - 1]) W -= mpz_class(1) << width;
  return scale * Rational(W) + offset;
}

bool onnx_io::encode(const Rational& v, std::uint8_t* w) const {
  if (kind == bit || kind == sign) {
    const Rational lo = kind == bit ? 0 : -1;
    if (v != lo && v != 1) return false;
    w[0] = v == 1;
    return true;
  }
  const Rational q = (v - offset) / scale;
  if (q.get_den() != 1) return false;
  mpz_class W = q.get_num();
  const mpz_class top = mpz_class(1) << (is_signed ? width - 1 : width);
  if (is_signed ? (W < -top || W >= top) : (W < 0 || W >= top)) return false;
  if (W < 0) W += mpz_class(1) << width;
  for (std::uint32_t k = 0; k < width; ++k) w[k] = mpz_tstbit(W.get_mpz_t(), k);
  return true;
}

namespace {
const char* kind_name(onnx_io::Kind k) { return k == onnx_io::bit ? "bit" : k == onnx_io::sign ? "sign" : "word"; }
}  // namespace

std::string onnx_layout::text() const {
  auto one = [](const onnx_io& io, bool input) {
    std::string s = (input ? "input  " : "output ") + io.tensor + " " + shape_text(io.shape) + " " + elem_type_name(io.type) + ": ";
    const std::uint64_t n = io.elements();
    if (n == 0) return s + "no elements, no wires\n";
    s += "wires " + std::to_string(io.first_wire) + ".." + std::to_string(io.first_wire + n * io.width - 1) + ", ";
    if (io.kind == onnx_io::bit) s += "one wire per element (0/1)";
    else if (io.kind == onnx_io::sign) s += "one wire per element (1 = +1, 0 = -1)";
    else {
      s += std::to_string(io.width) + "-bit " + (io.is_signed ? "two's complement" : "unsigned") + " word W per element, LSB first";
      if (io.scale != 1 || io.offset != 0) {
        s += ", value = " + (io.scale != 1 ? io.scale.get_str() + " * W" : std::string("W"));
        if (io.offset != 0) s += (sgn(io.offset) > 0 ? " + " : " - ") + Rational(abs(io.offset)).get_str();
      }
    }
    s += "; element e (flat, row-major) at wires first + e * " + std::to_string(io.width);
    if (!io.how.empty()) s += " [" + io.how + "]";
    return s + "\n";
  };
  std::string t;
  for (const onnx_io& io : inputs) t += one(io, true);
  for (const onnx_io& io : outputs) t += one(io, false);
  for (const std::string& n : notes) t += "note: " + n + "\n";
  return t;
}

nlohmann::json to_json(const onnx_io& io) {
  nlohmann::json j{{"tensor", io.tensor},         {"shape", io.shape},          {"type", elem_type_name(io.type)},
                   {"kind", kind_name(io.kind)},  {"width", io.width},          {"signed", io.is_signed},
                   {"scale", io.scale.get_str()}, {"offset", io.offset.get_str()}, {"first_wire", io.first_wire},
                   {"wires", io.elements() * io.width}};
  if (!io.how.empty()) j["how"] = io.how;
  return j;
}

nlohmann::json to_json(const onnx_layout& l) {
  nlohmann::json in = nlohmann::json::array(), out = nlohmann::json::array();
  for (const onnx_io& io : l.inputs) in.push_back(to_json(io));
  for (const onnx_io& io : l.outputs) out.push_back(to_json(io));
  return {{"inputs", in},           {"outputs", out},     {"input_bits", l.input_bits}, {"output_bits", l.output_bits},
          {"softmax_argmax", l.softmax_argmax}, {"notes", l.notes}};
}

nlohmann::json to_json(const onnx_check_result& r) {
  nlohmann::json j{{"agree", r.agree}, {"exhaustive", r.exhaustive}, {"inputs_checked", r.inputs_checked}};
  if (!r.agree)
    j["counterexample"] = {{"inputs", bits_text(r.input)}, {"where", r.where}, {"circuit", r.circuit_value}, {"reference", r.reference_value}};
  return j;
}

std::map<std::string, OnnxConst> onnx_inputs_of(const OnnxModel& m, const onnx_layout& layout, const std::uint8_t* bits) {
  std::map<std::string, OnnxConst> in;
  for (std::size_t k = 0; k < layout.inputs.size(); ++k) {
    const onnx_io& io = layout.inputs[k];
    OnnxConst c;
    c.type = m.inputs.at(k).type;
    c.value.shape = io.shape;
    const std::uint64_t n = io.elements();
    c.value.data.reserve(n);
    for (std::uint64_t e = 0; e < n; ++e) c.value.data.push_back(io.decode(bits + io.first_wire + e * io.width));
    in[io.tensor] = std::move(c);
  }
  return in;
}

onnx_check_result check_onnx(const OnnxModel& m, const onnx_layout& layout, const Circuit& c, const onnx_check_params& params) {
  if (c.num_inputs() != layout.input_bits || c.num_outputs() != layout.output_bits)
    throw std::invalid_argument("check_onnx: the circuit has " + std::to_string(c.num_inputs()) + " inputs and " +
                                std::to_string(c.num_outputs()) + " outputs; the layout says " + std::to_string(layout.input_bits) +
                                " and " + std::to_string(layout.output_bits));
  // The reference: the interpreter's outputs encoded by the layout (decoding is one-to-one, so
  // equal wires are equal values). A value the layout cannot represent, or a shape that differs,
  // is an empty answer, which no circuit output equals.
  auto interpret = [&](const std::vector<std::uint8_t>& x) {
    return interpret_onnx(m, onnx_inputs_of(m, layout, x.data()), layout.softmax_argmax);
  };
  // The interpreter dominates the check: each of its calls reads the clock against the budget.
  const auto start = std::chrono::steady_clock::now();
  const double limit = params.time_limit_s > 0 && params.time_limit_s < 1e9 ? params.time_limit_s : 0;
  const ReferenceFn reference = [&](const std::vector<std::uint8_t>& x) {
    if (interrupted()) throw BudgetExceeded("interrupted during the check");
    if (limit > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > limit) {
      std::ostringstream os;
      os << "the check's time budget (" << std::setprecision(3) << limit << " s) ran out";
      throw BudgetExceeded(os.str());
    }
    const std::vector<OnnxConst> ref = interpret(x);
    std::vector<std::uint8_t> y(layout.output_bits);
    for (std::size_t o = 0; o < layout.outputs.size(); ++o) {
      const onnx_io& io = layout.outputs[o];
      if (ref[o].value.shape != io.shape) return std::vector<std::uint8_t>{};
      for (std::uint64_t e = 0; e < io.elements(); ++e)
        if (!io.encode(ref[o].value.data[e], y.data() + io.first_wire + e * io.width)) return std::vector<std::uint8_t>{};
    }
    return y;
  };
  reference_check_params p;
  p.max_exhaustive_bits = params.max_exhaustive_bits;
  p.random_inputs = params.random_inputs;
  p.seed = params.seed;
  p.sim.words = c.num_wires() > (1u << 20) ? 0 : 1;  // the interpreter dominates: small blocks balance threads
  const reference_check_result rc = check_exhaustive_or_random(c, p, reference);
  onnx_check_result r;
  r.exhaustive = rc.exhaustive;
  r.agree = rc.agree;
  r.inputs_checked = rc.agree ? rc.checked : rc.first_bad + 1;
  if (rc.agree) return r;
  // The first output element that differs, as values.
  r.input = rc.input;
  const std::vector<OnnxConst> ref = interpret(rc.input);
  for (std::size_t o = 0; o < layout.outputs.size() && r.where.empty(); ++o) {
    const onnx_io& io = layout.outputs[o];
    if (ref[o].value.shape != io.shape) {
      r.where = io.tensor + " (shape)";
      r.reference_value = shape_text(ref[o].value.shape);
      r.circuit_value = shape_text(io.shape);
      break;
    }
    for (std::uint64_t e = 0; e < io.elements(); ++e) {
      const Rational got = io.decode(rc.circuit_output.data() + io.first_wire + e * io.width);
      if (got != ref[o].value.data[e]) {
        r.where = io.tensor + "[" + std::to_string(e) + "]";
        r.circuit_value = got.get_str();
        r.reference_value = ref[o].value.data[e].get_str();
        break;
      }
    }
  }
  return r;
}

onnx_verify_result verify_onnx(const OnnxModel& m, const Circuit& c, const onnx_compile_params& params, const onnx_check_params& check) {
  onnx_verify_result r;
  r.layout = count_onnx(m, params).layout;
  if (c.num_inputs() != r.layout.input_bits || c.num_outputs() != r.layout.output_bits)
    throw std::invalid_argument("the circuit has " + std::to_string(c.num_inputs()) + " inputs and " + std::to_string(c.num_outputs()) +
                                " outputs; " + m.file + " compiles to " + std::to_string(r.layout.input_bits) + " and " +
                                std::to_string(r.layout.output_bits));
  r.check = check_onnx(m, r.layout, c, check);
  return r;
}

std::string onnx_verify_result::verdict() const { return !check.agree ? "wrong" : check.exhaustive ? "correct" : "unknown"; }

std::string onnx_verify_result::how() const {
  const onnx_check_result& r = check;
  if (!r.agree)
    return "circuit and exact interpreter differ at " + r.where + " on input " + bits_text(r.input) + ": circuit " + r.circuit_value +
           ", reference " + r.reference_value;
  return "the circuit equals the exact interpreter on " + std::string(r.exhaustive ? "all " : "") + std::to_string(r.inputs_checked) +
         " inputs" + (r.exhaustive ? "" : " (random: evidence, not proof)");
}

nlohmann::json onnx_verify_result::to_json() const {
  nlohmann::json j{{"verdict", verdict()}, {"how", how()}, {"substitutions", layout.notes}};
  j.update(tcx::to_json(check));
  return j;
}

onnx_summary summarize_onnx(const std::string& path, const onnx_compile_params& params, const onnx_check_params& check) {
  using clock = std::chrono::steady_clock;
  auto secs = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
  onnx_summary s;
  s.file = path;
  auto t0 = clock::now();
  const OnnxModel m = load_onnx(path);
  s.parse_seconds = secs(t0);
  s.producer = m.producer;
  s.opset = m.opset;
  s.nodes = m.nodes.size();
  s.weights = m.weights();
  t0 = clock::now();
  onnx_compiled c = compile_onnx(m, params);
  s.compile_seconds = secs(t0);
  s.stats = analyze(c.circuit, analyze_params{false});
  s.input_bits = c.layout.input_bits;
  s.output_bits = c.layout.output_bits;
  s.layout = c.layout.text();
  t0 = clock::now();
  s.check = check_onnx(m, c.layout, c.circuit, check);
  s.check_seconds = secs(t0);
  return s;
}

}  // namespace tcx

namespace tcx {

const std::vector<std::string>& onnx_supported_ops() {
  static const std::vector<std::string> ops{
      "Add", "ArgMax", "ArgMin", "AveragePool", "BatchNormalization", "Cast", "Clip", "Concat", "Constant",
      "ConstantOfShape", "Conv", "DequantizeLinear", "Div", "Dropout", "Equal", "Flatten", "Gather", "Gemm",
      "GlobalAveragePool", "GlobalMaxPool", "Greater", "GreaterOrEqual", "Identity", "Less", "LessOrEqual", "MatMul",
      "MatMulInteger", "MaxPool", "Mul", "Neg", "Not", "Pad", "QLinearMatMul", "QuantizeLinear", "ReduceSum", "Relu", "Reshape",
      "Shape", "Sign", "Slice", "Squeeze", "Sub", "Transpose", "Unsqueeze", "Where", "qonnx:BipolarQuant",
      "qonnx:MultiThreshold", "qonnx:Quant"};
  return ops;
}

}  // namespace tcx
