// ONNX import: the exact interpreter against hand-computed values, compiled circuits against the
// interpreter on every input of small models, and bad files (one-line errors, fuzzed bytes).
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <fstream>
#include <random>

#include "compilers/onnx/onnx.hpp"

using namespace tcx;

namespace {

// A small model written with protobuf directly: float inputs of static shape, float initializers.
struct ModelMaker {
  onnx::ModelProto m;
  onnx::GraphProto* g;
  explicit ModelMaker(std::int64_t opset = 13) {
    m.set_ir_version(8);
    auto* os = m.add_opset_import();
    os->set_domain("");
    os->set_version(opset);
    g = m.mutable_graph();
    g->set_name("t");
  }
  void input(const std::string& name, std::vector<std::int64_t> dims, int type = onnx::TensorProto::FLOAT) {
    auto* v = g->add_input();
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(type);
    for (auto d : dims) tt->mutable_shape()->add_dim()->set_dim_value(d);
  }
  void output(const std::string& name) {
    auto* v = g->add_output();
    v->set_name(name);
    v->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  }
  void init(const std::string& name, std::vector<std::int64_t> dims, std::vector<float> vals, int type = onnx::TensorProto::FLOAT) {
    auto* t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(type);
    for (auto d : dims) t->add_dims(d);
    for (float v : vals) {
      if (type == onnx::TensorProto::FLOAT) t->add_float_data(v);
      else if (type == onnx::TensorProto::INT64) t->add_int64_data(static_cast<std::int64_t>(v));
      else t->add_int32_data(static_cast<std::int32_t>(v));
    }
  }
  onnx::NodeProto* node(const std::string& op, std::vector<std::string> in, std::vector<std::string> out, const std::string& domain = "") {
    auto* n = g->add_node();
    n->set_op_type(op);
    n->set_name(op + std::to_string(g->node_size()));
    n->set_domain(domain);
    for (auto& s : in) n->add_input(s);
    for (auto& s : out) n->add_output(s);
    return n;
  }
  static void attr(onnx::NodeProto* n, const std::string& name, std::int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void attr(onnx::NodeProto* n, const std::string& name, std::vector<std::int64_t> v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto x : v) a->add_ints(x);
  }
  static void attr(onnx::NodeProto* n, const std::string& name, float v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  std::string bytes() const { return m.SerializeAsString(); }
  OnnxModel model() const { return parse_onnx(bytes(), "test.onnx"); }
};

OnnxConst tensor(std::vector<std::int64_t> shape, std::vector<Rational> v, ElemType t = ElemType::float32) {
  return OnnxConst{t, NdArray<Rational>{std::move(shape), std::move(v)}};
}

std::vector<Rational> run1(const OnnxModel& m, const OnnxConst& x) {
  return interpret_onnx(m, {{m.inputs[0].name, x}}).at(0).value.data;
}

// Compiles and checks on every input pattern: the circuit must equal the interpreter.
void exhaustive(const OnnxModel& m, onnx_compile_params p = {}) {
  const onnx_compiled c = compile_onnx(m, p);
  REQUIRE(c.layout.input_bits <= 16);
  onnx_check_params cp;
  cp.max_exhaustive_bits = 16;
  const onnx_check_result r = check_onnx(m, c.layout, c.circuit, cp);
  INFO(r.where << ": circuit " << r.circuit_value << ", reference " << r.reference_value);
  CHECK(r.exhaustive);
  CHECK(r.agree);
}

// The compiler's error for a model it refuses ("compiled" when it does not).
std::string compile_error(const OnnxModel& m, const onnx_compile_params& p = {}) {
  try {
    compile_onnx(m, p);
  } catch (const OnnxError& e) {
    return e.what();
  }
  return "compiled";
}

}  // namespace

TEST_CASE("onnx interpreter: hand-computed values", "[onnx]") {
  SECTION("Gemm with transB, alpha, beta; floats are exact dyadic rationals") {
    ModelMaker mk;
    mk.input("x", {1, 2});
    mk.init("W", {2, 2}, {0.5f, -1.0f, 0.25f, 3.0f});  // rows are outputs (transB)
    mk.init("b", {2}, {0.1f, -2.0f});
    auto* n = mk.node("Gemm", {"x", "W", "b"}, {"y"});
    ModelMaker::attr(n, "transB", std::int64_t(1));
    ModelMaker::attr(n, "alpha", 2.0f);
    mk.output("y");
    const auto y = run1(mk.model(), tensor({1, 2}, {Rational(1), Rational(3)}));
    // 2*(0.5*1 - 1*3) + float(0.1) = -5 + 13421773/134217728 ; 2*(0.25 + 9) - 2 = 16.5
    CHECK(y[0] == Rational(-5) + Rational(13421773, 134217728));
    CHECK(y[1] == Rational(33, 2));
  }
  SECTION("QuantizeLinear rounds half to even and saturates") {
    ModelMaker mk;
    mk.input("x", {6});
    mk.init("s", {}, {0.5f});
    mk.init("z", {}, {10.0f}, onnx::TensorProto::UINT8);
    mk.node("QuantizeLinear", {"x", "s", "z"}, {"q"});
    mk.output("q");
    // x/s = 2.5, 3.5, -2.5, -7, 300, -30 -> 2, 4, -2, -7 (+10), 255 saturated, 0 saturated
    const auto q = run1(mk.model(), tensor({6}, {Rational(5, 4), Rational(7, 4), Rational(-5, 4), Rational(-7, 2), Rational(150), Rational(-15)}));
    CHECK(q == std::vector<Rational>{12, 14, 8, 3, 255, 0});
  }
  SECTION("Sign has three values; Relu, Clip") {
    ModelMaker mk;
    mk.input("x", {3});
    mk.node("Sign", {"x"}, {"s"});
    mk.output("s");
    CHECK(run1(mk.model(), tensor({3}, {Rational(-3, 7), Rational(0), Rational(2)})) == std::vector<Rational>{-1, 0, 1});
  }
  SECTION("MultiThreshold counts thresholds at or below the value") {
    ModelMaker mk;
    mk.input("x", {1, 2});
    mk.init("t", {2, 3}, {0.0f, 1.0f, 2.0f, -1.0f, -1.0f, 5.0f});
    auto* n = mk.node("MultiThreshold", {"x", "t"}, {"y"}, "qonnx.custom_op.general");
    ModelMaker::attr(n, "out_bias", -1.0f);
    mk.output("y");
    CHECK(run1(mk.model(), tensor({1, 2}, {Rational(1), Rational(-1)})) == std::vector<Rational>{1, 1});
  }
  // A 1-D input is one row of channels, its only axis (ASan found axis 1 read past the shape).
  SECTION("MultiThreshold on a 1-D input: one threshold row per element") {
    ModelMaker mk;
    mk.input("x", {2});
    mk.init("t", {2, 2}, {0.0f, 1.0f, -2.0f, 5.0f});
    mk.node("MultiThreshold", {"x", "t"}, {"y"}, "qonnx.custom_op.general");
    mk.output("y");
    CHECK(run1(mk.model(), tensor({2}, {Rational(1), Rational(-1)})) == std::vector<Rational>{2, 1});
    onnx_compile_params p;
    p.input = parse_onnx_input("int:3");
    exhaustive(mk.model(), p);
  }
}

TEST_CASE("onnx compiler equals the interpreter on every input", "[onnx]") {
  SECTION("Gemm, Relu, QuantizeLinear, DequantizeLinear, Gemm (per-channel scales)") {
    ModelMaker mk;
    mk.input("x", {1, 5});
    mk.init("W", {5, 3}, {1.5f, -2, 0.25f, 3, 1, -1, -0.5f, 2, 2, 1, -3, 0.75f, 0, 1, -1});
    mk.init("b", {3}, {-0.5f, 1, 0.125f});
    mk.node("Gemm", {"x", "W", "b"}, {"h"});
    mk.node("Relu", {"h"}, {"r"});
    mk.init("s", {}, {0.75f});
    mk.init("z", {}, {3.0f}, onnx::TensorProto::UINT8);
    mk.node("QuantizeLinear", {"r", "s", "z"}, {"q"});
    mk.node("DequantizeLinear", {"q", "s", "z"}, {"d"});
    mk.init("W2", {3, 2}, {1, -1, 2, 0.5f, -3, 1});
    mk.node("MatMul", {"d", "W2"}, {"y"});
    mk.output("y");
    exhaustive(mk.model());
  }
  SECTION("LeakyRelu (alpha 0.25 and -0.5), Abs, Floor, Ceil, Round, ReduceMean, and ReduceMax / ReduceMin with axes as input (opset 18)") {
    ModelMaker mk(18);
    mk.input("x", {2, 3});
    mk.init("k", {}, {0.75f});
    mk.node("Mul", {"x", "k"}, {"h"});
    auto* lr = mk.node("LeakyRelu", {"h"}, {"a"});
    ModelMaker::attr(lr, "alpha", 0.25f);
    auto* lr2 = mk.node("LeakyRelu", {"h"}, {"a2"});
    ModelMaker::attr(lr2, "alpha", -0.5f);
    mk.node("Abs", {"h"}, {"b"});
    mk.node("Floor", {"h"}, {"f"});
    mk.node("Ceil", {"h"}, {"c"});
    mk.node("Round", {"h"}, {"r"});
    mk.init("ax", {1}, {1}, onnx::TensorProto::INT64);
    mk.node("ReduceMax", {"x", "ax"}, {"mx"});
    mk.node("ReduceMin", {"h", "ax"}, {"mn"});
    auto* mean = mk.node("ReduceMean", {"h"}, {"me"});  // every axis
    ModelMaker::attr(mean, "keepdims", std::int64_t(0));
    for (const char* y : {"a", "a2", "b", "f", "c", "r", "mx", "mn", "me"}) mk.output(y);
    onnx_compile_params p;
    p.input = parse_onnx_input("int:2");
    exhaustive(mk.model(), p);
  }
  SECTION("signs in, irrational batch normalization, Sign, ArgMax") {
    ModelMaker mk;
    mk.input("x", {1, 6});
    mk.init("W", {6, 4}, {1, -1, 1, 1, -1, 1, 1, -1, 1, 1, -1, -1, 1, -1, -1, 1, -1, 1, 1, 1, 1, 1, -1, 1});
    mk.node("MatMul", {"x", "W"}, {"h"});
    mk.init("g", {4}, {1.5f, -0.5f, 2, 0});
    mk.init("be", {4}, {0.3f, 0.1f, -0.7f, 0.2f});
    mk.init("mu", {4}, {0.5f, -1, 2, 0});
    mk.init("v", {4}, {2, 3, 0.5f, 1});
    mk.node("BatchNormalization", {"h", "g", "be", "mu", "v"}, {"n"});
    mk.node("Sign", {"n"}, {"s"});
    mk.init("W2", {4, 3}, {1, 2, -1, 0.5f, -1, 1, 1, 1, 1, -2, 0.5f, 1});
    mk.node("MatMul", {"s", "W2"}, {"l"});
    auto* a = mk.node("ArgMax", {"l"}, {"y"});
    ModelMaker::attr(a, "axis", std::int64_t(1));
    mk.output("y");
    onnx_compile_params p;
    p.input = parse_onnx_input("signs");
    exhaustive(mk.model(), p);
  }
  SECTION("Conv with padding and stride, MaxPool, AveragePool, int:2 inputs") {
    ModelMaker mk;
    mk.input("x", {1, 1, 3, 2});
    mk.init("w", {2, 1, 2, 2}, {1, -2, 3, 1, -1, 1, 2, -3});
    mk.init("b", {2}, {0.5f, -1});
    auto* c = mk.node("Conv", {"x", "w", "b"}, {"c"});
    ModelMaker::attr(c, "pads", std::vector<std::int64_t>{1, 0, 0, 1});
    auto* p1 = mk.node("MaxPool", {"c"}, {"p"});
    ModelMaker::attr(p1, "kernel_shape", std::vector<std::int64_t>{2, 2});
    auto* p2 = mk.node("AveragePool", {"c"}, {"a"});
    ModelMaker::attr(p2, "kernel_shape", std::vector<std::int64_t>{3, 1});
    mk.node("Flatten", {"p"}, {"pf"});
    mk.node("Flatten", {"a"}, {"af"});
    auto* cc = mk.node("Concat", {"pf", "af"}, {"y"});
    ModelMaker::attr(cc, "axis", std::int64_t(1));
    mk.output("y");
    onnx_compile_params p;
    p.input = parse_onnx_input("int:2");
    exhaustive(mk.model(), p);
  }
  SECTION("comparisons, Where, Clip, MultiThreshold") {
    ModelMaker mk;
    mk.input("x", {4});
    mk.init("k", {4}, {1, 0.5f, 2, -1});
    mk.node("Add", {"x", "k"}, {"s"});
    mk.init("t", {}, {2.0f});
    mk.node("Greater", {"s", "t"}, {"g"});
    mk.node("Equal", {"x", "k"}, {"e"});
    mk.node("Where", {"g", "x", "k"}, {"w"});
    mk.init("lo", {}, {-0.5f});
    mk.init("hi", {}, {1.5f});
    mk.node("Clip", {"s", "lo", "hi"}, {"c"});
    mk.init("th", {1, 3}, {-1, 0.5f, 2.5f});
    mk.node("MultiThreshold", {"s", "th"}, {"m"}, "qonnx.custom_op.general");
    mk.output("g");
    mk.output("e");
    mk.output("w");
    mk.output("c");
    mk.output("m");
    onnx_compile_params p;
    p.input = parse_onnx_input("int:3");
    exhaustive(mk.model(), p);
  }
}

TEST_CASE("onnx: chains of elementwise operators become one ladder", "[onnx]") {
  // MatMul -> QuantizeLinear (uint8) -> Clip 0..3 -> DequantizeLinear -> MatMul -> Sign: each
  // hidden neuron's value has 4 levels, so its ladder has at most 3 gates over the 8 input bits
  // (compiled operator by operator: a ladder of up to 24 gates, binary digits, then a second
  // ladder for the Clip).
  ModelMaker mk;
  mk.input("x", {1, 8});
  mk.init("W", {8, 3}, {3, -2, 1, 2, 3, -3, -1, 2, 3, 3, 1, 2, -2, -3, 1, 1, 2, 3, 3, -1, -2, 2, 1, 3});
  mk.node("MatMul", {"x", "W"}, {"h"});
  mk.init("s", {}, {0.5f});
  mk.init("z", {}, {0.0f}, onnx::TensorProto::UINT8);
  mk.node("QuantizeLinear", {"h", "s", "z"}, {"q"});
  mk.init("lo", {}, {0.0f}, onnx::TensorProto::UINT8);
  mk.init("hi", {}, {3.0f}, onnx::TensorProto::UINT8);
  mk.node("Clip", {"q", "lo", "hi"}, {"c"});
  mk.node("DequantizeLinear", {"c", "s", "z"}, {"d"});
  mk.init("W2", {3, 2}, {1, -1, 2, 1, -3, 1});
  mk.node("MatMul", {"d", "W2"}, {"l"});
  mk.init("b2", {2}, {-1.5f, 0.5f});
  mk.node("Add", {"l", "b2"}, {"a"});
  mk.node("Sign", {"a"}, {"y"});
  mk.output("y");
  const OnnxModel m = mk.model();
  exhaustive(m);
  const onnx_compiled c = compile_onnx(m);
  // 3 neurons x 3 gates, then per output a three-valued Sign (2 gates) and its 2-bit word
  CHECK(c.circuit.num_gates() <= 9 + 2 * 2 + 2 * 3);
  CHECK(analyze(c.circuit, analyze_params{false}).depth <= 4);

  SECTION("a chain whose composition has too many steps is built operator by operator") {
    // Relu of a sum with ~35,000 values: no ladder; the exact sum in binary and one clip, then
    // the affine links (Mul, Add) fold into the next layer's form.
    ModelMaker mk2;
    mk2.input("x", {1, 2});
    mk2.init("W", {2, 1}, {100, 37});
    mk2.node("MatMul", {"x", "W"}, {"h"});
    mk2.node("Relu", {"h"}, {"r"});
    mk2.init("k", {}, {0.25f});
    mk2.node("Mul", {"r", "k"}, {"m"});
    mk2.init("b", {}, {3.0f});
    mk2.node("Add", {"m", "b"}, {"a"});
    mk2.init("W2", {1, 1}, {-2});
    mk2.node("MatMul", {"a", "W2"}, {"y"});
    mk2.output("y");
    onnx_compile_params p;
    p.input = parse_onnx_input("int:8");
    exhaustive(mk2.model(), p);
  }
  SECTION("per-channel quantization, Cast, Neg, Div and Sub inside a chain") {
    ModelMaker mk3;
    mk3.input("x", {1, 6});
    mk3.init("W", {6, 2}, {1, 2, -3, 1, 2, -1, 1, 1, -2, 3, 1, -1});
    mk3.node("MatMul", {"x", "W"}, {"h"});
    mk3.init("s", {2}, {1.0f, 0.75f});
    mk3.init("z", {2}, {2.0f, -1.0f}, onnx::TensorProto::INT8);
    auto* q = mk3.node("QuantizeLinear", {"h", "s", "z"}, {"q"});
    ModelMaker::attr(q, "axis", std::int64_t(1));
    auto* cast = mk3.node("Cast", {"q"}, {"qc"});
    ModelMaker::attr(cast, "to", std::int64_t(onnx::TensorProto::INT32));
    auto* dq = mk3.node("DequantizeLinear", {"q", "s", "z"}, {"d"});
    ModelMaker::attr(dq, "axis", std::int64_t(1));
    mk3.node("Neg", {"d"}, {"n"});
    mk3.init("k", {}, {3.0f});
    mk3.node("Div", {"n", "k"}, {"v"});
    mk3.init("t", {2}, {0.5f, -0.25f});
    mk3.node("Sub", {"v", "t"}, {"y"});
    mk3.node("Relu", {"y"}, {"r"});
    mk3.output("r");
    mk3.output("qc");
    onnx_compile_params p;
    p.input = parse_onnx_input("signs");
    exhaustive(mk3.model(), p);
  }
}

TEST_CASE("onnx: an output over one ladder is one gate per bit, exactly as wide as its values", "[onnx]") {
  SECTION("a three-valued Sign: its two ladder gates and one gate for bit 0 (bit 1 is a ladder gate)") {
    ModelMaker mk;
    mk.input("x", {1, 4});
    mk.init("W", {4, 2}, {1, 1, -1, 1, 1, -1, -1, 0});
    mk.node("MatMul", {"x", "W"}, {"h"});
    mk.node("Sign", {"h"}, {"y"});
    mk.output("y");
    const OnnxModel m = mk.model();
    exhaustive(m);
    const onnx_compiled c = compile_onnx(m);
    CHECK(c.layout.outputs[0].width == 2);
    CHECK(c.circuit.num_gates() == 6);  // it was 10 at depth 3: the word was added up from the ladder
    CHECK(analyze(c.circuit, analyze_params{false}).depth == 2);
  }
  SECTION("a Relu: the width of its largest value, found by the interpreter on every input") {
    ModelMaker mk;
    mk.input("x", {1, 3});
    mk.init("W", {3, 1}, {2, -1, 1});
    mk.node("MatMul", {"x", "W"}, {"h"});
    mk.init("b", {}, {-1.0f});
    mk.node("Add", {"h", "b"}, {"a"});
    mk.node("Relu", {"a"}, {"y"});
    mk.output("y");
    const OnnxModel m = mk.model();
    onnx_compile_params p;
    p.input = parse_onnx_input("uint:2");
    exhaustive(m, p);
    Rational top = 0;
    for (std::uint32_t v = 0; v < 64; ++v) {
      OnnxConst x;
      x.value.shape = {1, 3};
      for (int e = 0; e < 3; ++e) x.value.data.push_back(Rational((v >> (2 * e)) & 3));
      top = std::max(top, run1(m, x).at(0));
    }
    const onnx_compiled c = compile_onnx(m, p);
    const onnx_io& y = c.layout.outputs[0];
    REQUIRE(y.kind == onnx_io::word);
    CHECK(!y.is_signed);
    CHECK(top == 8);
    CHECK(y.width == 4);  // 8 < 2^4, and not less
    CHECK(analyze(c.circuit, analyze_params{false}).depth == 2);
  }
}

TEST_CASE("onnx: a layout reads back from its JSON, and a damaged one names its field", "[onnx]") {
  ModelMaker mk;
  mk.input("x", {1, 3});
  mk.init("s", {}, {0.25f});
  mk.init("z", {}, {2.0f}, onnx::TensorProto::INT8);
  mk.node("QuantizeLinear", {"x", "s", "z"}, {"q"});
  mk.node("DequantizeLinear", {"q", "s", "z"}, {"d"});
  mk.node("Sign", {"d"}, {"y"});
  mk.output("y");
  mk.output("d");
  onnx_compile_params p;
  p.softmax_argmax = true;
  const onnx_layout l = compile_onnx(mk.model(), p).layout;
  REQUIRE(l.inputs[0].quantizer);
  const nlohmann::json j = to_json(l);
  CHECK(to_json(layout_from_json(j)) == j);
  CHECK(layout_from_json(j).softmax_argmax);
  // The quantizer input quantizes as its QuantizeLinear: x / 0.25 rounded half to even, + 2, in -128..127.
  CHECK(l.inputs[0].quantize(Rational(1, 8)) == 0);            // 0.5 -> 0, + 2 -> 2: (2 - 2) * 0.25
  CHECK(l.inputs[0].quantize(Rational(3, 8)) == Rational(1, 2));  // 1.5 -> 2
  CHECK(l.inputs[0].quantize(Rational(-1000)) == Rational(-65, 2));  // saturated at -128: (-128 - 2) * 0.25
  auto broken = [&](const std::string& pointer, const nlohmann::json& value) {
    nlohmann::json b = j;
    b[nlohmann::json::json_pointer(pointer)] = value;
    try {
      layout_from_json(b);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(broken("/outputs/1/first_wire", 0).starts_with("/outputs/1/first_wire: expected"));
  CHECK(broken("/inputs/0/kind", "qubit").starts_with("/inputs/0/kind: expected bit, sign or word"));
  CHECK(broken("/inputs/0/offset", "1/x").starts_with("/inputs/0/offset: expected an exact rational"));
  CHECK(broken("/input_bits", 7).starts_with("/input_bits: expected"));
  CHECK(broken("/outputs/0/shape", nlohmann::json::array({-1})).starts_with("/outputs/0/shape"));
  CHECK(broken("/outputs/0/type", "float8").starts_with("/outputs/0/type: unknown element type"));
}

TEST_CASE("onnx: the adversarial trial's cases", "[onnx]") {
  SECTION("LeakyRelu's default alpha is the float 0.01, as an explicit alpha = 0.01 reads") {
    ModelMaker mk;
    mk.input("x", {1, 2});
    mk.init("k", {}, {-1.0f});
    mk.node("Mul", {"x", "k"}, {"h"});
    mk.node("LeakyRelu", {"h"}, {"y"});
    mk.output("y");
    const OnnxModel m = mk.model();
    exhaustive(m);
    CHECK(run1(m, tensor({1, 2}, {Rational(1), Rational(0)})).at(0) == -Rational(static_cast<double>(0.01f)));
  }
  SECTION("a Reduce's axes in the wrong form for its opset are refused, not ignored") {
    ModelMaker a(18);  // axes an input from opset 18: an attribute is refused
    a.input("x", {2, 2});
    auto* r = a.node("ReduceMax", {"x"}, {"y"});
    ModelMaker::attr(r, "axes", std::vector<std::int64_t>{1});
    a.output("y");
    CHECK(compile_error(a.model()).find("axes is an input from opset 18, not an attribute") != std::string::npos);
    ModelMaker b(13);  // and before it, an input is refused
    b.input("x", {2, 2});
    b.init("ax", {1}, {1}, onnx::TensorProto::INT64);
    b.node("ReduceMean", {"x", "ax"}, {"y"});
    b.output("y");
    CHECK(compile_error(b.model()).find("axes is an attribute before opset 18, not an input") != std::string::npos);
  }
  SECTION("pairwise comparisons past the memory bound are refused before they are built") {
    ModelMaker mk;
    mk.input("x", {1, 40000});
    auto* r = mk.node("ReduceMax", {"x"}, {"y"});
    ModelMaker::attr(r, "keepdims", std::int64_t(0));
    mk.output("y");
    const OnnxModel m = mk.model();
    try {
      compile_onnx(m);
      FAIL("compiled");
    } catch (const OnnxLimitError& e) {
      CHECK(std::string(e.what()).find("comparing 40000 values pairwise") != std::string::npos);
    }
  }
  SECTION("an integer result clipped bounds the steps: Clip(Floor(0.3 x)) on a wide sum is one small ladder") {
    ModelMaker mk;
    mk.input("x", {1, 2});
    mk.init("W", {2, 1}, {1000, 37});
    mk.node("MatMul", {"x", "W"}, {"h"});
    mk.init("k", {}, {0.3f});
    mk.node("Mul", {"h", "k"}, {"s"});
    mk.node("Floor", {"s"}, {"f"});
    mk.init("lo", {}, {-3.0f});
    mk.init("hi", {}, {5.0f});
    mk.node("Clip", {"f", "lo", "hi"}, {"y"});
    mk.output("y");
    onnx_compile_params p;
    p.input = parse_onnx_input("int:8");
    exhaustive(mk.model(), p);
    CHECK(compile_onnx(mk.model(), p).circuit.num_gates() <= 8 + 4);  // 8 steps, a 4-bit word
  }
  SECTION("an initializer that is a graph output is a constant output") {
    ModelMaker mk;
    mk.input("x", {1, 2});
    mk.node("Identity", {"x"}, {"y"});
    mk.init("c", {2}, {1.5f, -2.0f});
    mk.output("y");
    mk.output("c");
    exhaustive(mk.model());
    const onnx_compiled c = compile_onnx(mk.model());
    CHECK(c.layout.outputs[1].width == 3);  // 2 * 1.5 = 3 and 2 * -2 = -4 in three bits
    CHECK(c.circuit.num_gates() == 0);
  }
  SECTION("LeakyRelu with alpha >= 0 joins the chain: eight in a row are one ladder") {
    ModelMaker mk;
    mk.input("x", {1, 3});
    mk.init("W", {3, 1}, {1, 2, -3});
    mk.node("MatMul", {"x", "W"}, {"h0"});
    for (int k = 0; k < 8; ++k) {
      auto* l = mk.node("LeakyRelu", {"h" + std::to_string(k)}, {"h" + std::to_string(k + 1)});
      ModelMaker::attr(l, "alpha", 0.5f);
    }
    mk.output("h8");
    onnx_compile_params p;
    p.input = parse_onnx_input("int:2");
    exhaustive(mk.model(), p);
    CHECK(analyze(compile_onnx(mk.model(), p).circuit, analyze_params{false}).depth <= 2);  // it was 17
  }
}

TEST_CASE("onnx: --softmax argmax replaces a Softmax feeding ArgMax or a graph output", "[onnx]") {
  auto model = [](bool argmax_reader, bool used_otherwise) {
    ModelMaker mk;
    mk.input("x", {1, 6});
    mk.init("W", {6, 4}, {1.5f, -2, 0.25f, 3, 1, -1, -0.5f, 2, 2, 1, -3, 0.75f, 0, 1, -1, 2, 1, 1, -1, 0.5f, 3, -2, 1, 1});
    mk.node("MatMul", {"x", "W"}, {"z"});
    auto* sm = mk.node("Softmax", {"z"}, {"p"});
    ModelMaker::attr(sm, "axis", std::int64_t(1));
    if (argmax_reader) {
      auto* a = mk.node("ArgMax", {"p"}, {"y"});
      ModelMaker::attr(a, "axis", std::int64_t(-1));
      ModelMaker::attr(a, "keepdims", std::int64_t(0));
      mk.output("y");
    } else {
      mk.output("p");
    }
    if (used_otherwise) {
      mk.init("k", {}, {2.0f});
      mk.node("Mul", {"p", "k"}, {"u"});
      mk.output("u");
    }
    return mk.model();
  };
  onnx_compile_params p;
  p.softmax_argmax = true;
  for (bool reader : {false, true}) {
    const OnnxModel m = model(reader, false);
    CHECK_THROWS_WITH(compile_onnx(m), Catch::Contains("(Softmax): not exact") && Catch::Contains("--softmax argmax"));
    exhaustive(m, p);
    const onnx_compiled c = compile_onnx(m, p);
    REQUIRE(c.layout.notes.size() == 1);
    CHECK_THAT(c.layout.notes[0], Catch::Contains("(Softmax) along axis 1"));
    CHECK(c.layout.softmax_argmax);
    // the interpreter's class is the first largest logit, computed here from the weights
    for (std::uint32_t x = 0; x < 64; ++x) {
      std::map<std::string, OnnxConst> in{{"x", tensor({1, 6}, {})}};
      for (int i = 0; i < 6; ++i) in["x"].value.data.push_back(Rational((x >> i) & 1));
      const auto out = interpret_onnx(m, in, true);
      const std::vector<float> W{1.5f, -2, 0.25f, 3, 1, -1, -0.5f, 2, 2, 1, -3, 0.75f, 0, 1, -1, 2, 1, 1, -1, 0.5f, 3, -2, 1, 1};
      int best = 0;
      double bv = -1e9;
      for (int j = 0; j < 4; ++j) {
        double v = 0;
        for (int i = 0; i < 6; ++i) v += ((x >> i) & 1) * W[i * 4 + j];
        if (v > bv) bv = v, best = j;
      }
      CHECK(out.at(0).value.data.at(0) == best);
    }
  }
  CHECK_THROWS_WITH(compile_onnx(model(false, true), p), Catch::Contains("(Softmax): not exact even with --softmax argmax") && Catch::Contains("(Mul)"));
  CHECK_THROWS_WITH(interpret_onnx(model(true, true), {{"x", tensor({1, 6}, std::vector<Rational>(6, Rational(0)))}}, true),
                    Catch::Contains("(Mul)"));
}

TEST_CASE("onnx: bad files are one-line errors", "[onnx]") {
  auto error_of = [](const std::string& bytes) -> std::string {
    try {
      parse_onnx(bytes, "bad.onnx");
    } catch (const OnnxError& e) {
      return e.what();
    }
    return "";
  };
  CHECK(error_of("").find("empty file") != std::string::npos);
  CHECK(error_of("this is not a protobuf at all \x01\x02\xff").find("not an ONNX model") != std::string::npos);
  ModelMaker mk;
  mk.input("x", {1, 3});
  mk.node("Relu", {"x"}, {"y"});
  mk.output("y");
  const std::string good = mk.bytes();
  CHECK(error_of(good.substr(0, good.size() - 3)).find("bad.onnx:") == 0);
  {
    ModelMaker d;
    auto* v = d.g->add_input();
    v->set_name("x");
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    tt->mutable_shape()->add_dim()->set_dim_param("batch");
    d.node("Relu", {"x"}, {"y"});
    d.output("y");
    CHECK(error_of(d.bytes()).find("dynamic dimension 'batch'") != std::string::npos);
  }
  {
    ModelMaker d(21);
    d.input("x", {1});
    d.node("Relu", {"x"}, {"y"});
    d.output("y");
    CHECK(error_of(d.bytes()).find("opset 21 is not supported") != std::string::npos);
  }
  {
    ModelMaker d;
    d.input("x", {1});
    auto* t = d.g->add_initializer();
    t->set_name("w");
    t->set_data_type(onnx::TensorProto::FLOAT);
    t->add_dims(4);
    t->set_data_location(onnx::TensorProto::EXTERNAL);
    d.node("Add", {"x", "w"}, {"y"});
    d.output("y");
    CHECK(error_of(d.bytes()).find("external data") != std::string::npos);
  }
  {
    ModelMaker d;
    d.input("x", {1});
    d.init("w", {1000000}, {1.0f});  // claims a million values, holds one
    d.node("Add", {"x", "w"}, {"y"});
    d.output("y");
    CHECK(error_of(d.bytes()).find("need 1000000 values, the file has 1") != std::string::npos);
  }
  {
    ModelMaker d;
    d.input("x", {1, 3});
    d.node("Softmax", {"x"}, {"y"});
    d.output("y");
    try {
      compile_onnx(d.model());
      FAIL("Softmax compiled");
    } catch (const OnnxError& e) {
      const std::string w = e.what();
      CHECK(w.find("node 'Softmax1' (Softmax): not exact") != std::string::npos);
      CHECK(w.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("onnx reader: mutated bytes never crash", "[onnx]") {
  ModelMaker mk;
  mk.input("x", {1, 4});
  mk.init("W", {4, 2}, {1, -1, 2, 0.5f, -3, 1, 1, 1});
  mk.init("s", {}, {0.5f});
  mk.node("MatMul", {"x", "W"}, {"h"});
  mk.node("QuantizeLinear", {"h", "s"}, {"y"});
  mk.output("y");
  const std::string good = mk.bytes();
  std::mt19937_64 rng(11);
  int parsed = 0, refused = 0;
  for (int k = 0; k < 2000; ++k) {
    std::string b = good;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % b.size();
      switch (rng() % 3) {
        case 0: b[at] = static_cast<char>(rng()); break;
        case 1: b.erase(at, 1 + rng() % 8); break;
        default: b.insert(at, 1, static_cast<char>(rng())); break;
      }
      if (b.empty()) b = "x";
    }
    try {
      const OnnxModel m = parse_onnx(b, "fuzz.onnx");
      ++parsed;
      try {
        if (m.inputs.size() == 1 && shape_size(m.inputs[0].shape) <= 64) compile_onnx(m);
      } catch (const OnnxError&) {
      } catch (const ShapeError&) {
      }
    } catch (const OnnxError&) {
      ++refused;
    }
  }
  CHECK(parsed + refused == 2000);
  CHECK(refused > 0);
}

TEST_CASE("onnx: the second outside trial's cases", "[onnx]") {
  SECTION("a Sign of an irrational batch normalization that never changes, read by MatMul and by Gemm (transA)") {
    // Both sides of each product are constants (it crashed reading the left side's missing forms).
    ModelMaker mk;
    mk.input("x", {1, 2});
    mk.init("g", {2}, {1, 1});
    mk.init("be", {2}, {-10, -10});  // always negative on 0/1 inputs: Sign is -1 everywhere
    mk.init("mu", {2}, {0.5f, 0.25f});
    mk.init("v", {2}, {2, 3});  // sqrt(v + eps) irrational
    mk.node("BatchNormalization", {"x", "g", "be", "mu", "v"}, {"n"});
    mk.node("Sign", {"n"}, {"s"});
    mk.init("W", {2, 1}, {1, -2});
    mk.node("MatMul", {"s", "W"}, {"y"});
    auto* t = mk.node("Transpose", {"s"}, {"st"});
    ModelMaker::attr(t, "perm", std::vector<std::int64_t>{1, 0});
    auto* gm = mk.node("Gemm", {"st", "W"}, {"y2"});
    ModelMaker::attr(gm, "transA", std::int64_t(1));
    mk.output("y");
    mk.output("y2");
    const OnnxModel m = mk.model();
    exhaustive(m);
    CHECK(run1(m, tensor({1, 2}, {Rational(1), Rational(0)})).at(0) == Rational(1));  // -1 * 1 + -1 * -2
  }
  SECTION("integer products that may leave their type are refused, as sums are") {
    onnx_compile_params p;
    p.input = parse_onnx_input("int:8");
    ModelMaker mm;
    mm.input("x", {1, 2}, onnx::TensorProto::INT32);
    mm.init("W", {2, 1}, {1073741824.0f, 1073741824.0f}, onnx::TensorProto::INT32);  // 2^30
    mm.node("MatMul", {"x", "W"}, {"y"});
    mm.output("y");
    CHECK(compile_error(mm.model(), p).find("(MatMul): an int32 result may take values in [") != std::string::npos);
    ModelMaker gm;
    gm.input("x", {1, 2}, onnx::TensorProto::INT32);
    gm.init("W", {2, 1}, {1073741824.0f, 1073741824.0f}, onnx::TensorProto::INT32);
    gm.node("Gemm", {"x", "W"}, {"y"});
    gm.output("y");
    CHECK(compile_error(gm.model(), p).find("(Gemm): an int32 result may take values in [") != std::string::npos);
    ModelMaker cm;
    cm.input("x", {1, 1, 2, 2}, onnx::TensorProto::INT32);
    cm.init("w", {1, 1, 2, 2}, {1073741824.0f, 1073741824.0f, 1, 1}, onnx::TensorProto::INT32);
    cm.node("Conv", {"x", "w"}, {"y"});
    cm.output("y");
    CHECK(compile_error(cm.model(), p).find("(Conv): an int32 result may take values in [") != std::string::npos);
    // within the type: compiled and exact
    ModelMaker ok;
    ok.input("x", {1, 2}, onnx::TensorProto::INT32);
    ok.init("W", {2, 1}, {1000, -3}, onnx::TensorProto::INT32);
    ok.node("MatMul", {"x", "W"}, {"y"});
    ok.output("y");
    exhaustive(ok.model(), p);
    // the article of an unsigned type
    ModelMaker u;
    u.input("x", {2}, onnx::TensorProto::UINT8);
    u.node("Add", {"x", "x"}, {"y"});
    u.output("y");
    onnx_compile_params pu;
    pu.input = parse_onnx_input("uint:8");
    CHECK(compile_error(u.model(), pu).find("a uint8 result may take values in [0, 510]") != std::string::npos);
  }
  SECTION("integer Div truncates toward zero on constants (attention's head size); on the input it is refused") {
    // the width of x (4) divided by -3 and by 3, truncated: -1 and 1, each times x's first element
    ModelMaker mk;
    mk.input("x", {1, 4});
    mk.node("Shape", {"x"}, {"s"});
    mk.init("one", {}, {1}, onnx::TensorProto::INT64);
    auto* ga = mk.node("Gather", {"s", "one"}, {"w"});
    ModelMaker::attr(ga, "axis", std::int64_t(0));
    mk.init("d", {2}, {-3, 3}, onnx::TensorProto::INT64);
    mk.node("Div", {"w", "d"}, {"q"});
    ModelMaker::attr(mk.node("Cast", {"q"}, {"qf"}), "to", std::int64_t(onnx::TensorProto::FLOAT));
    mk.init("first", {1}, {0}, onnx::TensorProto::INT64);
    auto* gx = mk.node("Gather", {"x", "first"}, {"x0"});
    ModelMaker::attr(gx, "axis", std::int64_t(1));
    mk.node("Mul", {"x0", "qf"}, {"y"});
    mk.output("y");
    const OnnxModel m = mk.model();
    exhaustive(m);
    const auto y = run1(m, tensor({1, 4}, {Rational(1), Rational(0), Rational(0), Rational(0)}));
    CHECK(y.at(0) == Rational(-1));
    CHECK(y.at(1) == Rational(1));
    ModelMaker in;
    in.input("x", {1, 2}, onnx::TensorProto::INT32);
    in.init("k", {}, {2}, onnx::TensorProto::INT32);
    in.node("Div", {"x", "k"}, {"y"});
    in.output("y");
    onnx_compile_params p;
    p.input = parse_onnx_input("int:4");
    CHECK(compile_error(in.model(), p).find("(Div): integer Div (a truncating division) of a value that depends on the input") !=
          std::string::npos);
  }
}

TEST_CASE("onnx: elementwise Max and Min", "[onnx]") {
  SECTION("the interpreter: variadic, broadcast, one input") {
    ModelMaker mk;
    mk.input("x", {2, 2});
    mk.init("r", {2}, {0.5f, -1});
    mk.init("c", {}, {0.25f});
    mk.node("Max", {"x", "r", "c"}, {"a"});
    mk.node("Min", {"x", "r"}, {"b"});
    mk.node("Max", {"x"}, {"d"});
    mk.output("a");
    mk.output("b");
    mk.output("d");
    const OnnxModel m = mk.model();
    const auto out = interpret_onnx(m, {{"x", tensor({2, 2}, {Rational(1), Rational(-3), Rational(0), Rational(-1, 2)})}});
    CHECK(out.at(0).value.data == std::vector<Rational>{1, Rational(1, 4), Rational(1, 2), Rational(1, 4)});
    CHECK(out.at(1).value.data == std::vector<Rational>{Rational(1, 2), -3, 0, -1});
    CHECK(out.at(2).value.data == std::vector<Rational>{1, -3, 0, Rational(-1, 2)});
  }
  SECTION("two computed tensors, a constant, broadcasting and one input: the circuit equals the interpreter everywhere") {
    ModelMaker mk;
    mk.input("x", {1, 4});
    mk.init("W1", {4, 3}, {1, -2, 0.5f, 2, 1, -1, -1, 3, 1, 0.5f, -1, 2});
    mk.init("W2", {4, 3}, {-1, 1, 2, 1.5f, -2, 1, 2, 1, -3, 1, 1, 1});
    mk.init("W3", {4, 1}, {1, 1, -1, 2});
    mk.node("MatMul", {"x", "W1"}, {"a"});
    mk.node("MatMul", {"x", "W2"}, {"b"});
    mk.node("MatMul", {"x", "W3"}, {"s"});  // [1, 1]: broadcast against [1, 3]
    mk.init("c", {3}, {0.5f, -1, 2});
    mk.node("Max", {"a", "b"}, {"mx"});
    mk.node("Min", {"a", "b", "c"}, {"mn"});
    mk.node("Max", {"a", "s", "b"}, {"m3"});
    mk.node("Min", {"s", "c"}, {"sc"});  // one computed value and a constant: a Clip link
    mk.node("Max", {"c", "c"}, {"cc"});  // constants only
    mk.node("Min", {"b"}, {"b1"});
    for (const char* y : {"mx", "mn", "m3", "sc", "cc", "b1"}) mk.output(y);
    onnx_compile_params p;
    p.input = parse_onnx_input("int:2");
    exhaustive(mk.model(), p);
  }
  SECTION("Max of two computed values: one comparison and one AND per literal; against a constant, a Clip link that joins the chain") {
    ModelMaker mk;  // a = x[0], b = x[1]: two values of 3 bits each
    mk.input("x", {2});
    mk.init("s0", {1}, {0}, onnx::TensorProto::INT64);
    mk.init("s1", {1}, {1}, onnx::TensorProto::INT64);
    mk.init("s2", {1}, {2}, onnx::TensorProto::INT64);
    mk.node("Slice", {"x", "s0", "s1"}, {"a"});
    mk.node("Slice", {"x", "s1", "s2"}, {"b"});
    mk.node("Max", {"a", "b"}, {"y"});
    mk.output("y");
    onnx_compile_params p;
    p.input = parse_onnx_input("uint:3");
    const OnnxModel m = mk.model();
    exhaustive(m, p);
    const onnx_compiled c = compile_onnx(m, p);
    // [a >= b], then max = [a >= b] a + [b > a] b: 3 + 3 AND gates at depth 2; the rest is the
    // 4-bit output word summed from the 6 ANDs (sum_bits)
    CHECK(c.circuit.num_gates() <= 1 + 6 + 4 * 3);

    ModelMaker q;  // Min(Relu(x - 1), 2) with a constant: one ladder of 2 gates (values 0, 1, 2)
    q.input("x", {1, 1});
    q.init("b", {}, {-1.0f});
    q.init("t", {}, {2.0f});
    q.node("Add", {"x", "b"}, {"g"});
    q.node("Relu", {"g"}, {"r"});
    q.node("Min", {"r", "t"}, {"y"});
    q.output("y");
    exhaustive(q.model(), p);
    const onnx_compiled cq = compile_onnx(q.model(), p);
    CHECK(cq.circuit.num_gates() == 3);  // the ladder [x >= 2], [x >= 3], and bit 0 of the word over it (bit 1 is [x >= 3])
    CHECK(analyze(cq.circuit, analyze_params{false}).depth == 2);
  }
  SECTION("inputs of different types are refused") {
    ModelMaker mk;
    mk.input("x", {2});
    mk.init("c", {2}, {1, 2}, onnx::TensorProto::INT64);
    mk.node("Max", {"x", "c"}, {"y"});
    mk.output("y");
    CHECK(compile_error(mk.model()).find("(Max): inputs of types float and int64") != std::string::npos);
  }
}

TEST_CASE("onnx: Gather by indices that depend on the input (an embedding)", "[onnx]") {
  // A table of `rows` rows of 3 read by two int64 indices (then, with `linear`, a Linear and a
  // Sign). With --input int:3 the indices are -4..3, all in [-5, 4] for 5 rows: negative ones
  // count from the end, as ONNX says.
  auto table = [](std::int64_t rows) {
    std::vector<float> t;
    for (std::int64_t r = 0; r < rows; ++r)
      for (int d = 0; d < 3; ++d) t.push_back(static_cast<float>((r * 7 + d * 3) % 5) - 2.0f + (d == 1 ? 0.5f : 0.0f));
    return t;
  };
  auto embedding = [&](std::int64_t rows, bool linear) {
    ModelMaker mk;
    mk.input("idx", {2}, onnx::TensorProto::INT64);
    mk.init("E", {rows, 3}, table(rows));
    mk.node("Gather", {"E", "idx"}, {"e"});
    if (!linear) {
      mk.output("e");
      return mk.model();
    }
    mk.init("shape", {2}, {1, 6}, onnx::TensorProto::INT64);
    mk.node("Reshape", {"e", "shape"}, {"f"});
    mk.init("W", {6, 2}, {1, -1, 2, 0.5f, -1, 1, 0.5f, 2, -2, 1, 1, -1});
    mk.node("MatMul", {"f", "W"}, {"l"});
    mk.node("Sign", {"l"}, {"y"});
    mk.output("y");
    return mk.model();
  };
  onnx_compile_params p;
  p.input = parse_onnx_input("int:3");
  SECTION("the interpreter reads negative indices from the end") {
    const std::vector<float> t = table(5);
    const auto out = interpret_onnx(embedding(5, false), {{"idx", tensor({2}, {Rational(-1), Rational(2)}, ElemType::int64)}});
    std::vector<Rational> want;
    for (int r : {4, 2})
      for (int d = 0; d < 3; ++d) want.emplace_back(static_cast<double>(t[std::size_t(r * 3 + d)]));
    CHECK(out.at(0).value.data == want);
    CHECK(out.at(0).value.shape == Shape{2, 3});
  }
  SECTION("the table's rows, and a Linear and Sign after them, equal the interpreter on every index pair") {
    exhaustive(embedding(5, false), p);
    exhaustive(embedding(5, true), p);
    onnx_compile_params pu;
    pu.input = parse_onnx_input("uint:3");
    exhaustive(embedding(8, true), pu);
  }
  SECTION("a ladder gate only where the selected row changes") {
    ModelMaker mk;
    mk.input("idx", {1}, onnx::TensorProto::INT64);
    mk.init("E", {4, 2}, {1, 2, 1, 2, 1, 2, 5, -1});  // rows 0..2 equal: one change, at 3
    mk.node("Gather", {"E", "idx"}, {"y"});
    mk.output("y");
    onnx_compile_params pu;
    pu.input = parse_onnx_input("uint:2");
    exhaustive(mk.model(), pu);
    const onnx_compiled c = compile_onnx(mk.model(), pu);
    CHECK(c.circuit.num_gates() == 1);  // [idx >= 3], the output bits over it
  }
  SECTION("along axis 1, and by a computed index (an ArgMax)") {
    ModelMaker mk;
    mk.input("x", {1, 3});
    mk.init("W", {3, 4}, {1, -1, 2, 0, -2, 1, 1, 1, 1, 2, -1, -1});
    mk.node("MatMul", {"x", "W"}, {"l"});
    auto* a = mk.node("ArgMax", {"l"}, {"k"});
    ModelMaker::attr(a, "axis", std::int64_t(1));
    ModelMaker::attr(a, "keepdims", std::int64_t(0));
    mk.init("T", {2, 4}, {0.5f, -1, 3, 2, 1, 1, -2, 0.25f});
    auto* g = mk.node("Gather", {"T", "k"}, {"y"});
    ModelMaker::attr(g, "axis", std::int64_t(1));
    mk.output("y");
    onnx_compile_params pi;
    pi.input = parse_onnx_input("int:3");
    exhaustive(mk.model(), pi);
  }
  SECTION("refusals: an index range past the table, and a table that depends on the input") {
    onnx_compile_params pu;
    pu.input = parse_onnx_input("uint:3");
    const std::string e = compile_error(embedding(5, false), pu);  // 0..7 for 5 rows
    CHECK(e.find("(Gather): indices may take values in [0, 7]") != std::string::npos);
    CHECK(e.find("outside [-5, 4]") != std::string::npos);
    CHECK(e.find("--input uint:3") != std::string::npos);
    CHECK(e.find('\n') == std::string::npos);
    ModelMaker mk;
    mk.input("x", {4});
    mk.input("idx", {1}, onnx::TensorProto::INT64);
    mk.node("Gather", {"x", "idx"}, {"y"});
    mk.output("y");
    onnx_compile_params p2;
    p2.input = parse_onnx_input("uint:2");
    CHECK(compile_error(mk.model(), p2).find("(Gather): both the data and the indices depend on the input") != std::string::npos);
  }
}
