#pragma once
// Helpers shared by the model tests.
#include <string>

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

}  // namespace tcx::testing
