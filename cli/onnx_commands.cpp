// ONNX models on the command line: compile, depth, family and verify dispatch here when the
// model file ends in .onnx (model_commands.cpp and prover_commands.cpp call these).
#include "cli/onnx_commands.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "circuits/io/formats.hpp"
#include "compilers/onnx/onnx.hpp"

namespace tcx::cli {

// In any case, as circuit formats' extensions (MODEL.ONNX).
bool is_onnx_path(const std::string& path) { return path.size() > 5 && format_extension(path) == "onnx"; }

void add_softmax_option(CLI::App& cmd, std::string& softmax) {
  cmd.add_option("--softmax", softmax,
                 "ONNX: refuse (default) a Softmax, or argmax: a Softmax feeding ArgMax, or a graph output, becomes ArgMax of "
                 "its input (the predicted class; exact, reported in the layout)")
      ->check(CLI::IsMember({"refuse", "argmax"}));
}

namespace {

// A file that cannot be read as a model is an input that cannot be used, as a missing or
// malformed circuit file: exit 1 (2 where 1 is an answer). A model tcx cannot compile, or one
// past --max-wires, is a request the input cannot meet: exit 2. One line either way.
template <class F>
auto onnx_guard(F&& f) {
  try {
    return f();
  } catch (const OnnxReadError& e) {
    std::cerr << "tcx: error: " << e.what() << "\n";
    throw Exit{error_status};
  } catch (const OnnxError& e) {
    std::cerr << "tcx: error: " << e.what() << "\n";
    throw Exit{2};
  } catch (const std::length_error& e) {
    std::cerr << "tcx: error: " << e.what() << " (the circuit exceeds --max-wires)\n";
    throw Exit{2};
  }
}

onnx_compile_params compile_params(const std::string& input, const std::string& softmax) {
  onnx_compile_params p;
  p.input = parse_onnx_input(input, "--input");
  p.softmax_argmax = softmax == "argmax";
  return p;
}

}  // namespace

int onnx_compile(const onnx_cli_options& o) {
  return onnx_guard([&] {
    const OnnxModel m = load_onnx(o.file);
    onnx_compiled c = compile_onnx(m, compile_params(o.input, o.softmax));
    std::string format = o.format.empty() ? "tc" : o.format;
    if (o.format.empty() && !is_stdout_path(o.out.path))
      if (auto f = format_from_path(o.out.path)) format = format_extension(o.out.path);
    if (!format_from_name(format)) throw std::invalid_argument("unknown --format '" + format + "'");
    write_output(o.out, render_circuit(c.circuit, format));
    if (!o.layout_path.empty()) write_output({o.layout_path, o.out.force}, to_json(c.layout).dump(2) + "\n");
    const circuit_stats s = analyze(c.circuit, analyze_params{false});
    std::cerr << c.layout.text()
              << fmt::format("tcx: {} ({} nodes, opset {}): depth {}, {} gates, {} wires\n", o.file, m.nodes.size(), m.opset, s.depth,
                             s.gates, s.wires);
    if (!o.check) return 0;
    onnx_check_params cp;
    cp.max_exhaustive_bits = o.exhaustive_bits;
    cp.random_inputs = o.random;
    cp.seed = o.seed;
    cp.time_limit_s = o.time_limit > 0 ? std::max(1e-3, o.time_limit - seconds_since(o.start)) : 0;
    onnx_check_result r;
    try {
      r = check_onnx(m, c.layout, c.circuit, cp);
    } catch (const BudgetExceeded&) {  // (compile's guard prints it and exits 3)
      throw BudgetExceeded(fmt::format("the time limit of {:g} s ran out during the check; the circuit is in {}", o.time_limit,
                                       is_stdout_path(o.out.path) ? "standard output" : o.out.path));
    }
    std::cerr << "tcx: check " << (r.agree ? "passed: " : "FAILED: ") << onnx_verify_result{c.layout, r, ""}.how() << "\n";
    if (!r.agree) throw Exit{1};
    return 0;
  });
}


circuit_stats onnx_count(const std::string& file, const std::string& input, const std::string& softmax, std::vector<std::string>* notes) {
  return onnx_guard([&] {
    onnx_counted r = count_onnx(load_onnx(file), compile_params(input, softmax));
    if (notes) *notes = std::move(r.layout.notes);
    return r.stats;
  });
}

void onnx_family(const std::string& pattern, const std::function<void(const std::function<circuit_stats(std::int64_t)>&)>& sweep) {
  onnx_guard([&] {
    sweep([&](std::int64_t n) { return count_onnx(load_onnx(file_for_size(pattern, n))).stats; });
    return 0;
  });
}

int onnx_verify(const std::string& circuit_file, const Circuit& c, const std::string& model_file, const std::string& input,
                std::uint32_t exhaustive_bits, std::uint64_t random, std::uint64_t seed, bool json, const std::string& softmax,
                double time_limit_s) {
  return onnx_guard([&] {
    const OnnxModel m = load_onnx(model_file);
    const onnx_compile_params p = compile_params(input, softmax);
    onnx_check_params cp;
    cp.max_exhaustive_bits = exhaustive_bits;
    cp.random_inputs = random;
    cp.seed = seed;
    cp.time_limit_s = time_limit_s;
    onnx_verify_result r;
    try {
      r = verify_onnx(m, c, p, cp);
    } catch (const BudgetExceeded& e) {
      if (json) std::cout << nlohmann::json{{"model", model_file}, {"verdict", "unknown"}, {"stopped", e.what()}}.dump(2) << "\n";
      else std::cout << "unknown (" << e.what() << ")\n";
      return 3;
    } catch (const std::invalid_argument& e) {  // the circuit's wires do not fit the model's layout
      throw std::invalid_argument(circuit_file + ": " + e.what());
    }
    if (json) {
      nlohmann::json j{{"model", model_file}};
      j.update(r.to_json());
      std::cout << j.dump(2) << "\n";
    } else {
      for (const std::string& n : r.layout.notes) std::cout << "note: " << n << "\n";
      std::cout << r.verdict() << " (" << r.how() << ")\n";
    }
    return !r.check.agree ? 1 : r.check.exhaustive ? 0 : 3;
  });
}

}  // namespace tcx::cli
