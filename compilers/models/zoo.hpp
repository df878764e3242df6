#pragma once
// The model zoo (examples/models/*.json) compiled into the library, so that the report and the
// tests run without the source tree.
#include <string>
#include <vector>

namespace tcx {

struct ZooEntry {
  std::string file;  // its path in the source tree, e.g. examples/models/mlp_sign.json
  std::string json;
};

const std::vector<ZooEntry>& builtin_zoo();  // sorted by file name

}  // namespace tcx
