// Hostile ONNX shapes (issue 20, found by fuzzing and by hand): shapes the file declares that
// would make the compiler allocate without bound, or overflow its index arithmetic, are one
// OnnxError naming the node ("memory bound"), never std::bad_alloc, a hang or a wrong shape.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include "circuits/builder.hpp"
#include "compilers/onnx/onnx.hpp"

using namespace tcx;

namespace {

struct Maker {
  onnx::ModelProto m;
  onnx::GraphProto* g;
  Maker() {
    m.set_ir_version(8);
    auto* os = m.add_opset_import();
    os->set_domain("");
    os->set_version(13);
    g = m.mutable_graph();
    g->set_name("hostile");
  }
  void input(const std::string& name, std::vector<std::int64_t> dims) {
    auto* v = g->add_input();
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    for (auto d : dims) tt->mutable_shape()->add_dim()->set_dim_value(d);
  }
  void output(const std::string& name) {
    auto* v = g->add_output();
    v->set_name(name);
    v->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  }
  // A constant of `count` equal values (raw bytes, as torch writes them).
  void init(const std::string& name, std::vector<std::int64_t> dims, std::uint64_t count, int type = onnx::TensorProto::FLOAT,
            std::int64_t value = 1) {
    auto* t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(type);
    for (auto d : dims) t->add_dims(d);
    std::string raw;
    for (std::uint64_t k = 0; k < count; ++k) {
      if (type == onnx::TensorProto::FLOAT) {
        const float f = static_cast<float>(value);
        raw.append(reinterpret_cast<const char*>(&f), 4);
      } else {
        raw.append(reinterpret_cast<const char*>(&value), 8);  // int64, little endian
      }
    }
    t->set_raw_data(raw);
  }
  onnx::NodeProto* node(const std::string& op, std::vector<std::string> in, std::vector<std::string> out) {
    auto* n = g->add_node();
    n->set_op_type(op);
    n->set_name(op + std::to_string(g->node_size()));
    for (auto& s : in) n->add_input(s);
    for (auto& s : out) n->add_output(s);
    return n;
  }
  static void ints(onnx::NodeProto* n, const std::string& name, std::vector<std::int64_t> v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (auto x : v) a->add_ints(x);
  }
  OnnxModel model() const { return parse_onnx(m.SerializeAsString(), "hostile.onnx"); }
};

// The error of compiling under a 64 MiB bound ("" when it compiles), and the shape of output 0.
std::string compile_error(const OnnxModel& m, Shape* out_shape = nullptr) {
  builder_params p;
  p.max_wires = std::uint64_t(1) << 23;
  Builder b(p);
  try {
    const onnx_layout l = compile_onnx(m, b);
    if (out_shape) *out_shape = l.outputs.at(0).shape;
  } catch (const OnnxError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("onnx hostile shapes: a declared size the bound cannot hold is one error naming the node", "[onnx][hardening]") {
  SECTION("ConstantOfShape of 2^39 elements") {
    Maker mk;
    mk.input("x", {1});
    mk.init("s", {1}, 1, onnx::TensorProto::INT64, std::int64_t(1) << 39);
    mk.node("ConstantOfShape", {"s"}, {"c"});
    mk.node("Add", {"x", "c"}, {"y"});
    mk.output("y");
    const std::string e = compile_error(mk.model());
    CHECK(e.find("node 'ConstantOfShape1' (ConstantOfShape): a tensor of 549755813888 elements") != std::string::npos);
    CHECK(e.find("memory bound (--max-wires)") != std::string::npos);
  }
  SECTION("an input of 2^26 elements") {
    Maker mk;
    mk.input("x", {1 << 26});
    mk.node("Relu", {"x"}, {"y"});
    mk.output("y");
    CHECK(compile_error(mk.model()).find("a tensor of 67108864 elements") != std::string::npos);
  }
  SECTION("a broadcast of two small tensors to 2^32 elements") {
    Maker mk;
    mk.input("x", {1});
    mk.init("a", {1 << 16, 1}, 1 << 16);
    mk.init("b", {1, 1 << 16}, 1 << 16);
    mk.node("Add", {"a", "b"}, {"c"});
    mk.node("Add", {"x", "c"}, {"y"});
    mk.output("y");
    CHECK(compile_error(mk.model()).find("node 'Add1' (Add): a tensor of 4294967296 elements") != std::string::npos);
  }
  SECTION("a MatMul whose batch broadcasts to 2^24 products") {
    Maker mk;
    mk.input("x", {4096});
    mk.init("xs", {4}, 4, onnx::TensorProto::INT64);
    auto& raw = *mk.g->mutable_initializer(0)->mutable_raw_data();
    const std::int64_t dims[4] = {4096, 1, 1, 1};
    raw.assign(reinterpret_cast<const char*>(dims), sizeof dims);
    mk.init("w", {4096, 1, 1}, 4096);
    mk.node("Reshape", {"x", "xs"}, {"xr"});
    mk.node("MatMul", {"xr", "w"}, {"y"});
    mk.output("y");
    CHECK(compile_error(mk.model()).find("node 'MatMul2' (MatMul): a tensor of 16777216 elements") != std::string::npos);
  }
  SECTION("a Gather of many indices of a large row") {
    Maker mk;
    mk.input("x", {1});
    mk.init("c", {1, 1 << 12}, 1 << 12);
    mk.init("i", {1 << 12}, 1 << 12, onnx::TensorProto::INT64, 0);
    mk.node("Gather", {"c", "i"}, {"g"});
    mk.node("Add", {"x", "g"}, {"y"});
    mk.output("y");
    CHECK(compile_error(mk.model()).find("node 'Gather1' (Gather): a tensor of 16777216 elements") != std::string::npos);
  }
  SECTION("a Concat of one large tensor many times") {
    Maker mk;
    mk.input("x", {1 << 14});
    std::vector<std::string> ins(512, "x");
    mk.node("Concat", ins, {"y"})->add_attribute()->set_name("axis");
    mk.g->mutable_node(0)->mutable_attribute(0)->set_type(onnx::AttributeProto::INT);
    mk.output("y");
    CHECK(compile_error(mk.model()).find("node 'Concat1' (Concat): a tensor of") != std::string::npos);
  }
  SECTION("a chain of copies of one large tensor") {
    Maker mk;
    mk.input("x", {1 << 16});
    std::string prev = "x";
    for (int k = 0; k < 200; ++k) {
      const std::string next = k == 199 ? "y" : "t" + std::to_string(k);
      mk.node("Identity", {prev}, {next});
      prev = next;
    }
    mk.output("y");
    CHECK(compile_error(mk.model()).find("(Identity): a tensor of 65536 elements") != std::string::npos);
  }
}

TEST_CASE("onnx hostile shapes: windows and flattening do not overflow", "[onnx][hardening]") {
  SECTION("MaxPool with pads of 2^30: the output would be 2^62 elements") {
    Maker mk;
    mk.input("x", {1, 1, 1, 1});
    auto* n = mk.node("MaxPool", {"x"}, {"y"});
    Maker::ints(n, "kernel_shape", {1, 1});
    Maker::ints(n, "pads", {1 << 30, 1 << 30, 1 << 30, 1 << 30});
    mk.output("y");
    CHECK(compile_error(mk.model()).find("node 'MaxPool1' (MaxPool): more than 2^40 elements") != std::string::npos);
  }
  SECTION("a 3-D MaxPool whose output size wraps 64 bits") {
    Maker mk;
    mk.input("x", {1, 1, 1, 1, 1});
    auto* n = mk.node("MaxPool", {"x"}, {"y"});
    Maker::ints(n, "kernel_shape", {1, 1, 1});
    const std::int64_t p = std::int64_t(1) << 31;
    Maker::ints(n, "pads", {p, p, p, p, p, p});
    mk.output("y");
    CHECK(compile_error(mk.model()).find("more than 2^40 elements") != std::string::npos);
  }
  SECTION("window attributes past 2^31 (their products would overflow)") {
    Maker mk;
    mk.input("x", {1, 1, 4});
    auto* n = mk.node("MaxPool", {"x"}, {"y"});
    Maker::ints(n, "kernel_shape", {std::int64_t(1) << 40});
    Maker::ints(n, "dilations", {std::int64_t(1) << 40});
    mk.output("y");
    CHECK(compile_error(mk.model()).find("must be at most 2^31") != std::string::npos);
  }
  SECTION("Flatten of a tensor with a zero dimension and 2^90 elements after it") {
    Maker mk;
    mk.input("x", {0, 1 << 30, 1 << 30, 1 << 30});
    mk.node("Flatten", {"x"}, {"y"});
    mk.output("y");
    CHECK(compile_error(mk.model()).find("(Flatten): more than 2^40 elements") != std::string::npos);
  }
  SECTION("Flatten of a tensor with a zero dimension, in range: the right shape") {
    Maker mk;
    mk.input("x", {0, 3, 5});
    mk.node("Flatten", {"x"}, {"y"});
    mk.output("y");
    Shape s;
    CHECK(compile_error(mk.model(), &s) == "");
    CHECK(s == Shape{0, 15});
  }
}

TEST_CASE("onnx hostile sizes: initializers past the memory bound are refused before they are converted", "[onnx][hardening]") {
  // 2^20 floats (4 MiB of raw data) need about 100 MB as exact rationals: past a 64 MiB bound.
  Maker mk;
  mk.input("x", {1});
  mk.init("unused", {1 << 20}, 1 << 20);
  mk.node("Relu", {"x"}, {"y"});
  mk.output("y");
  const std::string bytes = mk.m.SerializeAsString();
  builder_params saved = default_builder_params(), small = saved;
  small.max_wires = std::uint64_t(1) << 23;
  set_default_builder_params(small);
  try {
    parse_onnx(bytes, "big.onnx");
    FAIL("the model was read");
  } catch (const OnnxLimitError& e) {
    CHECK(std::string(e.what()).find("initializer 'unused': 1048576 values") != std::string::npos);
    CHECK(std::string(e.what()).find("the memory bound holds (--max-wires") != std::string::npos);
  }
  set_default_builder_params(saved);
  CHECK(parse_onnx(bytes, "big.onnx").weights() == (1u << 20));  // the default bound holds it
}
