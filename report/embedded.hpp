#pragma once
// Files of examples/ built into the library (report/CMakeLists.txt generates their bytes), so that
// `tcx reproduce` needs no files, like the model zoo: the trained networks and the frontier's
// circuits.
#include <string_view>

namespace tcx::report {

// The bytes of `path` (relative to the source tree, e.g. "examples/onnx/cnn_int.onnx"); throws
// std::out_of_range for a file that is not built in.
std::string_view embedded_file(std::string_view path);

}  // namespace tcx::report
