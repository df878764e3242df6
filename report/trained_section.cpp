// Section "trained": networks trained in PyTorch and exported to ONNX (examples/onnx/, built into
// the library like the zoo), compiled to threshold circuits: depth, size, and agreement with the
// exact ONNX semantics. Agreement with PyTorch itself needs torch, so it is measured by the tests
// (tests/onnx/test_torch.py) and the training script, and cited here.
#include <fmt/format.h>

#include <chrono>

#include "circuits/analysis.hpp"
#include "compilers/onnx/onnx.hpp"
#include "report/embedded.hpp"
#include "report/sections.hpp"
#include "report/trained_models.hpp"

namespace tcx::report {

const std::vector<trained_model>& trained_models() {
  static const std::vector<trained_model> m{
      {"binarized MLP 64-64-10, 8x8 digits", "examples/onnx/digits_bnn.onnx", "bits", embedded_file("examples/onnx/digits_bnn.onnx")},
      {"torch.ao quantized MLP 64-32-10, 8x8 digits", "examples/onnx/digits_qmlp.onnx", "bits",
       embedded_file("examples/onnx/digits_qmlp.onnx")},
      {"integer CNN: Conv 3x3, ReLU, MaxPool 2, Gemm", "examples/onnx/cnn_int.onnx", "bits", embedded_file("examples/onnx/cnn_int.onnx")},
  };
  return m;
}

report_section trained_section(report_context& ctx) {
  report_section s = ctx.section("trained", "Trained networks (PyTorch to ONNX to circuit)");
  s.blocks.emplace_back(std::in_place_type<paragraph>,
      "Networks trained by `examples/onnx/train_examples.py` (fixed seeds), exported with `torch.onnx.export` and compiled "
      "exactly (docs/onnx.md): floats in the file are exact rationals, rounding happens only where the graph says so. Each "
      "circuit is checked here against tcx's exact ONNX interpreter (written apart from the compiler). Against PyTorch itself: "
      "the binarized digits network predicts the same digit as torch on all 1,797 images of scikit-learn's 8x8 digits (checked "
      "when the example is trained); on the torch.ao quantized network, torch's fbgemm kernels differ from the exact ONNX "
      "semantics by one requantization step on some inputs (their float rounding), while the circuit equals the exact "
      "semantics (tests/onnx/test_torch.py counts both).");
  const bool q = ctx.params.quick;
  report_table t;
  t.columns = {"network", "file", "input bits", "output bits", "weights", "depth", "gates", "wires", "checked", "agrees"};
  t.numeric = {false, false, true, true, true, true, true, true, true, false};
  nlohmann::json rows = nlohmann::json::array();
  std::string csv = csv_line("network", "file", "input_bits", "output_bits", "weights", "depth", "gates", "wires", "inputs_checked", "exhaustive",
                             "agrees");
  for (const trained_model& tm : trained_models()) {
    ctx.progress("trained " + tm.name);
    const OnnxModel m = parse_onnx(std::string(tm.bytes), tm.file);
    onnx_compile_params cp;
    cp.input = parse_onnx_input(tm.input);
    const auto t0 = std::chrono::steady_clock::now();
    const onnx_compiled c = compile_onnx(m, cp);
    const double compile_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const circuit_stats st = analyze(c.circuit);
    onnx_check_params chk;
    chk.max_exhaustive_bits = 16;
    chk.random_inputs = q ? 100 : 1000;
    const onnx_check_result r = check_onnx(m, c.layout, c.circuit, chk);
    const std::uint64_t weights = m.weights();
    const std::size_t i = rows.size();
    rows.push_back({{"network", tm.name}, {"file", tm.file}, {"input_bits", c.layout.input_bits}, {"output_bits", c.layout.output_bits},
                    {"weights", weights}, {"depth", st.depth}, {"gates", st.gates}, {"wires", st.wires},
                    {"inputs_checked", r.inputs_checked}, {"exhaustive", r.exhaustive}, {"agrees", r.agree ? "yes" : "NO"},
                    {"compile_seconds", compile_s}, {"input", tm.input}, {"command", fmt::format("tcx compile {} --input {} --check", tm.file, tm.input)}});
    const std::string b = fmt::format("/trained/rows/{}", i);
    t.rows.push_back({{tm.name, b + "/network"}, {tm.file, b + "/file"}, {std::to_string(c.layout.input_bits), b + "/input_bits"},
                      {std::to_string(c.layout.output_bits), b + "/output_bits"}, {std::to_string(weights), b + "/weights"},
                      {std::to_string(st.depth), b + "/depth"}, {std::to_string(st.gates), b + "/gates"},
                      {std::to_string(st.wires), b + "/wires"}, {std::to_string(r.inputs_checked), b + "/inputs_checked"},
                      {r.agree ? "yes" : "NO", b + "/agrees"}});
    csv += csv_line(tm.name, tm.file, c.layout.input_bits, c.layout.output_bits, weights, st.depth, st.gates, st.wires, r.inputs_checked,
                    r.exhaustive, r.agree);
    ctx.checks.push_back({fmt::format("trained network {} ({}) vs the exact ONNX interpreter", tm.name, tm.file),
                          r.exhaustive ? "all" : "random", r.inputs_checked, r.agree});
  }
  s.data = {{"rows", rows}};
  s.files.push_back({"trained.csv", csv});
  s.blocks.push_back(std::move(t));
  s.blocks.emplace_back(std::in_place_type<paragraph>,
      "Each network is a fixed-depth circuit: its depth does not depend on the data, only on its layers. Regenerate one row with "
      "the `command` in `data.json` (`tcx compile examples/onnx/FILE.onnx --check`).");
  return s;
}

}  // namespace tcx::report
