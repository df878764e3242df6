// ONNX models in Python: tcx.compile("model.onnx") and tcx.from_torch (which hands over the bytes
// of an in-memory export). The importer's entry points (compilers/onnx/onnx.hpp), as tcx compile
// calls them.
#include <pybind11/stl.h>

#include "circuits/bits.hpp"
#include "compilers/onnx/onnx.hpp"
#include "python/src/common.hpp"

namespace tcx::py {

namespace {

}  // namespace

void bind_onnx(py::module_& m) {
  m.def("_compile_onnx", [](const py::bytes& data, const std::string& label, const std::string& input, bool check,
                            std::uint32_t exhaustive_bits, std::uint64_t random, std::uint64_t seed, const std::string& softmax) {
    std::string bytes = data;
    const onnx_input_spec spec = parse_onnx_input(input);
    if (exhaustive_bits > 30) throw std::invalid_argument("exhaustive_bits must be in 0..30");
    if (softmax != "refuse" && softmax != "argmax") throw std::invalid_argument("softmax must be 'refuse' or 'argmax'");
    auto [circuit, layout, checked] = run_long([&] {
      const OnnxModel model = parse_onnx(bytes, label);
      onnx_compile_params p;
      p.input = spec;
      p.softmax_argmax = softmax == "argmax";
      onnx_compiled r = compile_onnx(model, p);
      nlohmann::json j;
      if (check) {
        onnx_check_params cp;
        cp.max_exhaustive_bits = exhaustive_bits;
        cp.random_inputs = random;
        cp.seed = seed;
        const onnx_check_result cr = check_onnx(model, r.layout, r.circuit, cp);
        j = {{"agree", cr.agree}, {"exhaustive", cr.exhaustive}, {"inputs_checked", cr.inputs_checked}};
        if (!cr.agree)
          j["counterexample"] = {{"inputs", bits_text(cr.input)}, {"where", cr.where}, {"circuit", cr.circuit_value},
                                 {"reference", cr.reference_value}};
      }
      return std::make_tuple(std::move(r.circuit), r.layout.text(), j);
    });
    return py::make_tuple(py::cast(std::move(circuit)), layout, to_python(checked));
  });
}

}  // namespace tcx::py
