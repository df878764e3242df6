#pragma once
// The .onnx side of tcx compile / depth / family / verify.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "circuits/analysis.hpp"
#include "cli/common.hpp"

namespace tcx::cli {

bool is_onnx_path(const std::string& path);

struct onnx_cli_options {
  std::string file, input = "bits", format;
  OutputOptions out;
  bool check = false;
  std::uint64_t random = 2000, seed = 1;
  std::uint32_t exhaustive_bits = 16;
  std::string softmax = "refuse";  // --softmax
  double time_limit = 0;  // compile --time-limit (0 = none), from `start`: what is left of it bounds --check
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::string layout_path;  // --layout: the layout as JSON, written beside the circuit (out.force applies)
};

int onnx_compile(const onnx_cli_options& o);
// Depth and size without storing the circuit (tcx depth, tcx family).
// softmax: "refuse" or "argmax" (--softmax); notes: the operators replaced (may be null).
circuit_stats onnx_count(const std::string& file, const std::string& input, const std::string& softmax = "refuse",
                         std::vector<std::string>* notes = nullptr);
// tcx family over a file pattern ('mlp_{n}.onnx'): `sweep` measures each size with the figures
// it is handed, which throw as the library does (a later size's error ends the sweep with the
// rows kept); an error that leaves the sweep is one line, exit 2, as for one model.
void onnx_family(const std::string& pattern, const std::function<void(const std::function<circuit_stats(std::int64_t)>&)>& sweep);
// The circuit against the model's exact interpreter. Returns the exit status: 0 correct
// (exhaustive), 1 wrong, 3 no difference on random inputs (evidence only).
int onnx_verify(const std::string& circuit_file, const Circuit& c, const std::string& model_file, const std::string& input,
                std::uint32_t exhaustive_bits, std::uint64_t random, std::uint64_t seed, bool json, const std::string& softmax = "refuse",
                double time_limit_s = 0);  // past it: unknown, exit 3
// The --softmax option on a subcommand (ONNX models: refuse or argmax).
void add_softmax_option(CLI::App& cmd, std::string& softmax);

}  // namespace tcx::cli
