// ONNX import speed: a 1M-weight quantized MLP written with protobuf (1024 input bits, three
// MatMul layers of 512 with weights in -127..127, each followed by QuantizeLinear, a Clip to 0..3
// and DequantizeLinear), then parsed, built (the first compile) and counted, each timed apart (wall and CPU).
// Usage: bench_onnx [hidden=512] [FILE.onnx: also write the model there, for tcx compile]
#include <onnx/onnx_pb.h>

#include <sys/resource.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "compilers/onnx/onnx.hpp"

using namespace tcx;

int main(int argc, char** argv) {
  const int H = argc > 1 ? std::atoi(argv[1]) : 512, IN = 2 * H;
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  auto* g = m.mutable_graph();
  auto* in = g->add_input();
  in->set_name("x");
  auto* tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  tt->mutable_shape()->add_dim()->set_dim_value(1);
  tt->mutable_shape()->add_dim()->set_dim_value(IN);
  std::mt19937 rng(1);
  std::uint64_t weights = 0;
  auto init = [&](const std::string& name, std::vector<std::int64_t> dims, auto&& value, int type = onnx::TensorProto::FLOAT) {
    auto* t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(type);
    std::int64_t n = 1;
    for (auto d : dims) t->add_dims(d), n *= d;
    for (std::int64_t k = 0; k < n; ++k) {
      if (type == onnx::TensorProto::FLOAT) t->add_float_data(value());
      else t->add_int32_data(static_cast<int>(value()));
    }
    return n;
  };
  auto node = [&](const std::string& op, std::vector<std::string> ins, const std::string& out) {
    auto* n = g->add_node();
    n->set_op_type(op);
    n->set_name(out);
    for (auto& s : ins) n->add_input(s);
    n->add_output(out);
  };
  std::string cur = "x";
  int prev = IN;
  for (int l = 0; l < 3; ++l) {
    const int out = l == 2 ? H : H;
    const std::string w = "W" + std::to_string(l);
    weights += init(w, {prev, out}, [&] { return float(int(rng() % 255) - 127); });
    node("MatMul", {cur, w}, "h" + std::to_string(l));
    // 2-bit activations: quantize with a coarse scale into uint8 and clip to 0..3
    init("s" + std::to_string(l), {}, [&] { return float(l == 0 ? 512 : 2048); });
    init("z" + std::to_string(l), {}, [] { return 0.0f; }, onnx::TensorProto::UINT8);
    node("QuantizeLinear", {"h" + std::to_string(l), "s" + std::to_string(l), "z" + std::to_string(l)}, "q" + std::to_string(l));
    init("c" + std::to_string(l), {}, [] { return 0.0f; }, onnx::TensorProto::UINT8);
    init("d" + std::to_string(l), {}, [] { return 3.0f; }, onnx::TensorProto::UINT8);
    node("Clip", {"q" + std::to_string(l), "c" + std::to_string(l), "d" + std::to_string(l)}, "r" + std::to_string(l));
    node("DequantizeLinear", {"r" + std::to_string(l), "s" + std::to_string(l), "z" + std::to_string(l)}, "a" + std::to_string(l));
    cur = "a" + std::to_string(l);
    prev = out;
  }
  auto* o = g->add_output();
  o->set_name(cur);
  o->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  const std::string bytes = m.SerializeAsString();
  if (argc > 2) std::ofstream(argv[2], std::ios::binary) << bytes;
  // Wall and CPU time of each phase (the machine is shared: CPU time is the steadier figure;
  // CPU above wall means more than one core worked).
  using clock = std::chrono::steady_clock;
  auto cpu = [] {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
  };
  auto t0 = clock::now();
  double c0 = cpu();
  const OnnxModel model = parse_onnx(bytes, "bench.onnx");
  const double parse = std::chrono::duration<double>(clock::now() - t0).count(), parse_cpu = cpu() - c0;
  t0 = clock::now();
  c0 = cpu();
  const onnx_compiled c = compile_onnx(model);  // the process's first compile
  const double built = std::chrono::duration<double>(clock::now() - t0).count(), built_cpu = cpu() - c0;
  t0 = clock::now();
  c0 = cpu();
  const circuit_stats s = count_onnx(model).stats;
  const double counted = std::chrono::duration<double>(clock::now() - t0).count(), counted_cpu = cpu() - c0;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("weights %llu, file %zu bytes: parse %.3f s (cpu %.3f s)\n"
              "build: %u gates, %llu wires, depth %u: %.3f s (cpu %.3f s): %.0f gates/s, %.0f wires/s, %.0f weights/s\n"
              "count: %u gates, %llu wires, depth %u: %.3f s (cpu %.3f s)\n"
              "parse + build: %.3f s (cpu %.3f s); peak RSS %ld MB\n",
              (unsigned long long)weights, bytes.size(), parse, parse_cpu, c.circuit.num_gates(),
              (unsigned long long)c.circuit.num_wires(), analyze(c.circuit, analyze_params{false}).depth, built, built_cpu,
              c.circuit.num_gates() / built, double(c.circuit.num_wires()) / built, double(weights) / built, s.gates,
              (unsigned long long)s.wires, s.depth, counted, counted_cpu, parse + built, parse_cpu + built_cpu, ru.ru_maxrss / 1024);
}
