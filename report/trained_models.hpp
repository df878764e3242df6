#pragma once
// The trained networks of examples/onnx/, built into the library (report/embedded.hpp), so that
// `tcx reproduce` needs no files, like the model zoo.
#include <string>
#include <string_view>
#include <vector>

namespace tcx::report {

struct trained_model {
  std::string name;        // what the network is
  std::string file;        // examples/onnx/NAME.onnx
  std::string input;       // --input: what an input element is
  std::string_view bytes;  // the .onnx file
};
const std::vector<trained_model>& trained_models();

}  // namespace tcx::report
