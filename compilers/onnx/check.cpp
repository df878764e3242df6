// Layouts (what the wires mean), the check of a compiled circuit against the exact interpreter,
// and the one-call summary for reports.
#include <chrono>

#include <iomanip>
#include <sstream>

#include "circuits/bits.hpp"
#include "circuits/io/file.hpp"
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


std::string input_text(const onnx_input_spec& s) {
  switch (s.kind) {
    case onnx_input_spec::bits: return "bits";
    case onnx_input_spec::signs: return "signs";
    case onnx_input_spec::int_bits: return "int:" + std::to_string(s.bits_per_element);
    case onnx_input_spec::uint_bits: return "uint:" + std::to_string(s.bits_per_element);
  }
  return "bits";
}

std::uint64_t onnx_io::elements() const { return shape_size(shape); }

std::string onnx_io::value_text() const {
  std::string t = scale != 1 ? scale.get_str() + " * W" : std::string("W");
  if (offset != 0) t += (sgn(offset) > 0 ? " + " : " - ") + Rational(abs(offset)).get_str();
  return t;
}

Rational onnx_io::quantize(const Rational& x) const {
  if (!quantizer) return x;
  const mpz_class zero = Rational(-offset / scale).get_num();
  const mpz_class top = mpz_class(1) << (is_signed ? width - 1 : width);
  const mpz_class lo = is_signed ? mpz_class(-top) : mpz_class(0), hi = top - 1;
  mpz_class q = round_half_even(x / scale) + zero;
  q = std::max(lo, std::min(hi, q));
  return scale * Rational(q) + offset;
}

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
      if (io.scale != 1 || io.offset != 0) s += ", value = " + io.value_text();
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
  if (io.quantizer) j["quantizer"] = true;  // encode applies its QuantizeLinear
  return j;
}

nlohmann::json to_json(const onnx_layout& l) {
  nlohmann::json in = nlohmann::json::array(), out = nlohmann::json::array();
  for (const onnx_io& io : l.inputs) in.push_back(to_json(io));
  for (const onnx_io& io : l.outputs) out.push_back(to_json(io));
  return {{"inputs", in},           {"outputs", out},     {"input_bits", l.input_bits}, {"output_bits", l.output_bits},
          {"input", input_text(l.input)},  {"softmax_argmax", l.softmax_argmax}, {"notes", l.notes}};
}

onnx_layout layout_from_json(const nlohmann::json& j) {
  auto fail = [](const std::string& where, const std::string& why) -> void { throw std::invalid_argument(where + ": " + why); };
  auto field = [&](const nlohmann::json& o, const std::string& where, const char* name) -> const nlohmann::json& {
    if (!o.is_object() || !o.contains(name)) fail(where, std::string("missing field '") + name + "'");
    return o.at(name);
  };
  auto count = [&](const nlohmann::json& o, const std::string& where, const char* name, std::uint64_t max) {
    const nlohmann::json& v = field(o, where, name);
    if (!v.is_number_integer() || (v.is_number_unsigned() ? v.get<std::uint64_t>() > max : v.get<std::int64_t>() < 0 ||
                                                                              static_cast<std::uint64_t>(v.get<std::int64_t>()) > max))
      fail(where + "/" + name, "expected an integer in 0.." + std::to_string(max));
    return v.is_number_unsigned() ? v.get<std::uint64_t>() : static_cast<std::uint64_t>(v.get<std::int64_t>());
  };
  auto text = [&](const nlohmann::json& o, const std::string& where, const char* name) {
    const nlohmann::json& v = field(o, where, name);
    if (!v.is_string()) fail(where + "/" + name, "expected a string");
    return v.get<std::string>();
  };
  auto rational = [&](const nlohmann::json& o, const std::string& where, const char* name) {
    const std::string t = text(o, where, name);
    Rational q;
    if (t.size() > 200000) fail(where + "/" + name, "more than 200,000 characters");  // two 100,000-digit integers, as weights may be
    if (t.empty() || t.find_first_not_of("-0123456789/") != std::string::npos || q.set_str(t, 10) != 0)
      fail(where + "/" + name, "expected an exact rational \"p\" or \"p/q\"");
    if (q.get_den() == 0) fail(where + "/" + name, "a zero denominator");
    q.canonicalize();
    return q;
  };
  onnx_layout l;
  for (const char* side : {"inputs", "outputs"}) {
    const nlohmann::json& list = field(j, "", side);
    if (!list.is_array()) fail(std::string("/") + side, "expected an array");
    std::uint64_t wire = 0;
    for (std::size_t k = 0; k < list.size(); ++k) {
      const std::string at = std::string("/") + side + "/" + std::to_string(k);
      const nlohmann::json& o = list[k];
      onnx_io io;
      io.tensor = text(o, at, "tensor");
      const nlohmann::json& shape = field(o, at, "shape");
      if (!shape.is_array()) fail(at + "/shape", "expected an array");
      for (const nlohmann::json& d : shape) {
        if (!d.is_number_integer() || d.get<std::int64_t>() < 0 || d.get<std::int64_t>() > (std::int64_t(1) << 31))
          fail(at + "/shape", "expected dimensions in 0..2^31");
        io.shape.push_back(d.get<std::int64_t>());
      }
      const std::string type = text(o, at, "type");
      io.type = ElemType::undefined;
      for (int t = 1; t <= 16; ++t)
        if (type == elem_type_name(static_cast<ElemType>(t)) && type != "unknown") io.type = static_cast<ElemType>(t);
      if (io.type == ElemType::undefined) fail(at + "/type", "unknown element type '" + printable(type) + "'");
      std::uint64_t elements = 1;
      for (std::int64_t d : io.shape) {
        elements = d == 0 ? 0 : elements;
        if (d && elements > (std::uint64_t(1) << 31) / static_cast<std::uint64_t>(d)) fail(at + "/shape", "more than 2^31 elements");
        elements *= static_cast<std::uint64_t>(d);
      }
      const std::string kind = text(o, at, "kind");
      if (kind == "bit") io.kind = onnx_io::bit;
      else if (kind == "sign") io.kind = onnx_io::sign;
      else if (kind == "word") io.kind = onnx_io::word;
      else fail(at + "/kind", "expected bit, sign or word");
      io.width = static_cast<std::uint32_t>(count(o, at, "width", 4096));
      if (io.width == 0 || (io.kind != onnx_io::word && io.width != 1)) fail(at + "/width", "a bit or sign is 1 wire, a word 1..4096");
      const nlohmann::json& sig = field(o, at, "signed");
      if (!sig.is_boolean()) fail(at + "/signed", "expected true or false");
      io.is_signed = sig.get<bool>();
      io.scale = rational(o, at, "scale");
      if (sgn(io.scale) <= 0) fail(at + "/scale", "must be positive");
      io.offset = rational(o, at, "offset");
      if (io.kind != onnx_io::word && (io.scale != 1 || io.offset != 0)) fail(at + "/scale", "a bit or sign has scale 1 and offset 0");
      if (is_integer_type(io.type) && (io.scale.get_den() != 1 || io.offset.get_den() != 1))
        fail(at + "/scale", std::string("an ") + elem_type_name(io.type) + " tensor has an integer scale and offset");
      io.first_wire = static_cast<std::uint32_t>(count(o, at, "first_wire", UINT32_MAX));
      if (io.first_wire != wire) fail(at + "/first_wire", "expected " + std::to_string(wire) + " (the wires of the tensors before it)");
      const std::uint64_t wires = count(o, at, "wires", UINT32_MAX);
      if (io.elements() > UINT32_MAX || wires != io.elements() * io.width)
        fail(at + "/wires", "expected the elements of its shape times its width");
      if (o.contains("how")) io.how = text(o, at, "how");
      if (o.contains("quantizer")) {
        if (!o["quantizer"].is_boolean()) fail(at + "/quantizer", "expected true or false");
        io.quantizer = o["quantizer"].get<bool>() && io.kind == onnx_io::word;
      }
      wire += wires;
      if (wire > UINT32_MAX) fail(at, "more than 2^32 wires");
      (side[0] == 'i' ? l.inputs : l.outputs).push_back(std::move(io));
    }
    const std::uint64_t bits = count(j, "", side[0] == 'i' ? "input_bits" : "output_bits", std::uint64_t(1) << 31);
    if (bits != wire) fail(std::string("/") + (side[0] == 'i' ? "input_bits" : "output_bits"), "expected " + std::to_string(wire) + ", the tensors' wires");
    (side[0] == 'i' ? l.input_bits : l.output_bits) = static_cast<std::uint32_t>(bits);
  }
  if (j.contains("softmax_argmax")) {
    if (!j["softmax_argmax"].is_boolean()) fail("/softmax_argmax", "expected true or false");
    l.softmax_argmax = j["softmax_argmax"].get<bool>();
  }
  if (j.contains("input")) l.input = parse_onnx_input(printable(text(j, "", "input")), "/input:");
  if (j.contains("notes")) {
    if (!j["notes"].is_array()) fail("/notes", "expected an array of strings");
    for (const nlohmann::json& n : j["notes"]) {
      if (!n.is_string()) fail("/notes", "expected an array of strings");
      l.notes.push_back(n.get<std::string>());
    }
  }
  return l;
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
  r.settings = "--input " + input_text(params.input) + (params.softmax_argmax ? " --softmax argmax" : "");
  if (c.num_inputs() != r.layout.input_bits || c.num_outputs() != r.layout.output_bits)
    throw std::invalid_argument("the circuit has " + std::to_string(c.num_inputs()) + " inputs and " + std::to_string(c.num_outputs()) +
                                " outputs; " + m.file + " compiles to " + std::to_string(r.layout.input_bits) + " and " +
                                std::to_string(r.layout.output_bits) + " with " + r.settings +
                                " (give the settings the circuit was compiled with)");
  r.check = check_onnx(m, r.layout, c, check);
  return r;
}

std::string onnx_verify_result::verdict() const { return !check.agree ? "wrong" : check.exhaustive ? "correct" : "unknown"; }

std::string onnx_verify_result::how() const {
  const onnx_check_result& r = check;
  // A circuit compiled with other settings may have the same wire counts: name the ones assumed.
  if (!r.agree)
    return "circuit and exact interpreter differ at " + r.where + " on input " + bits_text(r.input) + ": circuit " + r.circuit_value +
           ", reference " + r.reference_value + (settings.empty() ? "" : "; checked as compiled with " + settings + ": give the settings it was compiled with");
  return "the circuit equals the exact interpreter on " + std::string(r.exhaustive ? "all " : "") + std::to_string(r.inputs_checked) +
         " inputs" + (r.exhaustive ? "" : " (random: evidence, not proof)");
}

nlohmann::json onnx_verify_result::to_json() const {
  nlohmann::json j{{"verdict", verdict()}, {"how", how()}, {"settings", settings}, {"substitutions", layout.notes}};
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
      "MatMulInteger", "Max", "MaxPool", "Min", "Mul", "Neg", "Not", "Pad", "QLinearMatMul", "QuantizeLinear", "ReduceSum", "Relu", "Reshape",
      "Shape", "Sign", "Slice", "Squeeze", "Sub", "Transpose", "Unsqueeze", "Where", "qonnx:BipolarQuant",
      "qonnx:MultiThreshold", "qonnx:Quant"};
  return ops;
}

}  // namespace tcx
