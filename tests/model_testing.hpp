#pragma once
// Helpers shared by the model tests.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "compilers/models/compile.hpp"

namespace tcx::testing {

// The model's validation error path, or "" when it is accepted at n.
inline std::string error_path(const std::string& json, std::int64_t n = 4) {
  try {
    const Model m = parse_model(json);
    compile_model(m, n);
  } catch (const ModelError& e) {
    return e.path;
  }
  return "";
}

// The zoo's model files (examples/models/*.json), sorted.
inline std::vector<std::string> zoo() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(TCX_SOURCE_DIR) + "/examples/models"))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace tcx::testing
