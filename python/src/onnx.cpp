// ONNX models in Python: tcx.compile("model.onnx"), tcx.depth("model.onnx"),
// tcx.family("mlp_{n}.onnx", ...) and tcx.from_torch (which hands over the bytes of an in-memory
// export). The importer's entry points (compilers/onnx/onnx.hpp), as tcx compile / depth / family
// call them (cli/onnx_commands.cpp).
#include <pybind11/stl.h>

#include "circuits/bits.hpp"
#include "cli/common.hpp"
#include "compilers/onnx/onnx.hpp"
#include "python/src/common.hpp"

namespace tcx::py {

namespace {

// The importer throws one type, OnnxError, for every failure; the stage that threw it says which
// tcx error it is. Reading: a file that is not a valid model is a ParseError (no line, no column),
// weights past the memory bound a LimitError.
OnnxModel read_model(const std::string& bytes, const std::string& label) {
  try {
    return parse_onnx(bytes, label);
  } catch (const OnnxLimitError& e) {
    throw std::length_error(e.what());
  } catch (const OnnxError& e) {
    const std::string what = e.what();  // "file: reason"
    throw FileParseFailure(what, e.file, what.substr(std::min(what.size(), e.file.size() + 2)));
  }
}

// A model from a file (read as the library reads files: IoError when missing, or above load_onnx's
// size limit) or from bytes in memory (`label` names them in messages).
OnnxModel load_model(const std::string& path) { return read_model(read_file(path, onnx_read_params{}.max_file_bytes), path); }
OnnxModel load_model(bool is_path, const std::string& data, const std::string& label) {
  return is_path ? load_model(data) : read_model(data, label);
}

// Compiling and checking: a model tcx cannot compile exactly is a ModelError, one past the memory
// bound (OnnxLimitError) a LimitError.
template <class F>
auto compiling(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const OnnxLimitError& e) {
    throw std::length_error(e.what());
  } catch (const OnnxError& e) {
    throw ModelFailure(e.what(), "");
  }
}

onnx_compile_params compile_params(const onnx_input_spec& input, const std::string& softmax) {
  if (softmax != "refuse" && softmax != "argmax") throw std::invalid_argument("softmax must be 'refuse' or 'argmax'");
  onnx_compile_params p;
  p.input = input;
  p.softmax_argmax = softmax == "argmax";
  return p;
}

// Depth and size in a counting Builder, without storing the circuit (tcx depth, tcx family);
// `notes`: the operators replaced (softmax="argmax").
circuit_stats count_figures(const OnnxModel& m, onnx_compile_params p, std::vector<std::string>* notes = nullptr) {
  p.names = false;
  Builder b(CountingStore{});
  onnx_layout layout = compiling([&] { return compile_onnx(m, b, p); });
  if (notes) *notes = std::move(layout.notes);
  return b.count_stats();
}

}  // namespace

void bind_onnx(py::module_& m) {
  // source: the file's path (str) or the model's bytes.
  m.def("_compile_onnx", [](const py::object& source, const std::string& label, const std::string& input, bool check,
                            std::uint32_t exhaustive_bits, std::uint64_t random, std::uint64_t seed, const std::string& softmax) {
    const onnx_compile_params p = compile_params(parse_onnx_input(input, "input"), softmax);
    if (exhaustive_bits > 30) throw std::invalid_argument("exhaustive_bits must be in 0..30");
    const bool is_path = !py::isinstance<py::bytes>(source);
    const std::string data = source.cast<std::string>();
    auto [circuit, layout, checked] = run_long([&] {
      const OnnxModel model = load_model(is_path, data, label);
      onnx_compiled r = compiling([&] { return compile_onnx(model, p); });
      nlohmann::json j;
      if (check) {
        onnx_check_params cp;
        cp.max_exhaustive_bits = exhaustive_bits;
        cp.random_inputs = random;
        cp.seed = seed;
        const onnx_check_result cr = compiling([&] { return check_onnx(model, r.layout, r.circuit, cp); });
        j = {{"agree", cr.agree}, {"exhaustive", cr.exhaustive}, {"inputs_checked", cr.inputs_checked}};
        if (!cr.agree)
          j["counterexample"] = {{"inputs", bits_text(cr.input)}, {"where", cr.where}, {"circuit", cr.circuit_value},
                                 {"reference", cr.reference_value}};
      }
      return std::make_tuple(std::move(r.circuit), r.layout.text(), j);
    });
    return py::make_tuple(py::cast(std::move(circuit)), layout, to_python(checked));
  });
  // tcx depth MODEL.onnx --json: the figures, the model and the operators replaced.
  m.def("_depth_onnx", [](const std::string& path, const std::string& input, const std::string& softmax, double time_limit) {
    if (!(time_limit >= 0)) throw std::invalid_argument("time_limit must be >= 0");
    const onnx_compile_params p = compile_params(parse_onnx_input(input, "input"), softmax);
    const nlohmann::json j = run_long([&] {
      const auto t0 = std::chrono::steady_clock::now();
      default_builder_params().time_limit_s = time_limit;
      std::vector<std::string> notes;
      const circuit_stats s = count_figures(load_model(path), p, &notes);
      nlohmann::json j = to_json(s);
      j.erase("critical_path");
      j["model"] = path;
      j["substitutions"] = notes;
      j["seconds"] = cli::seconds_since(t0);
      return j;
    });
    return to_python(j);
  });
  // tcx family 'mlp_{n}.onnx' --n A..B --json: one exported model per size, counted.
  m.def("_family_onnx", [](const std::string& pattern, const std::vector<std::int64_t>& ns, double time_limit) {
    if (ns.empty()) throw std::invalid_argument("family: no sizes");
    if (!(time_limit >= 0)) throw std::invalid_argument("time_limit must be >= 0");
    if (pattern.find("{n}") == std::string::npos) throw std::invalid_argument("an ONNX family is a file pattern with {n}, e.g. 'mlp_{n}.onnx'");
    const nlohmann::json j = run_long([&] {
      return sweep(pattern, "counted", ns, time_limit, [&](std::int64_t n) {
        return count_figures(load_model(file_for_size(pattern, n)), compile_params(onnx_input_spec{}, "refuse"));
      });
    });
    return to_python(j);
  });
}

}  // namespace tcx::py
