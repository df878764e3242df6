// The rule of `--softmax argmax` (graph.hpp), shared by the compiler and the interpreter: which
// Softmax nodes may be replaced, and along which axis.
#include <algorithm>

#include "compilers/onnx/graph.hpp"

namespace tcx {

std::string softmax_as_argmax(const OnnxModel& m, const OnnxNode& n, std::size_t rank, std::size_t& axis, bool& graph_output) {
  if (n.outputs.empty() || n.outputs[0].empty()) return "Softmax without an output";
  const std::string& out = n.outputs[0];
  if (rank == 0) return "Softmax of a scalar";
  // Opset 13 normalizes along one axis (default -1); before, along the flattened axes from
  // `axis` on (default 1): the same only when that is the last axis alone.
  std::int64_t a = m.opset >= 13 ? -1 : 1;
  if (const OnnxAttr* at = n.attr("axis"); at && at->kind == OnnxAttr::i) a = at->int_value;
  const std::int64_t r = static_cast<std::int64_t>(rank);
  if (a < -r || a >= r) return "axis " + std::to_string(a) + " out of range for rank " + std::to_string(rank);
  axis = static_cast<std::size_t>(a < 0 ? a + r : a);
  if (m.opset < 13 && axis + 1 != rank)
    return "opset " + std::to_string(m.opset) + " Softmax over the flattened axes " + std::to_string(axis) + ".. is not an argmax along one axis";
  graph_output = std::any_of(m.outputs.begin(), m.outputs.end(), [&](const OnnxValueInfo& o) { return o.name == out; });
  for (const OnnxNode& r2 : m.nodes)
    for (std::size_t k = 0; k < r2.inputs.size(); ++k) {
      if (r2.inputs[k] != out) continue;
      const OnnxAttr* ax = r2.attr("axis");
      const std::int64_t ra = ax && ax->kind == OnnxAttr::i ? ax->int_value : 0;
      const bool argmax = r2.op == "ArgMax" && r2.domain.empty() && k == 0 && ra >= -r && ra < r &&
                          static_cast<std::size_t>(ra < 0 ? ra + r : ra) == axis;
      if (!argmax)
        return "its probabilities are read by node '" + r2.name + "' (" + r2.op + "), not only by an ArgMax along axis " + std::to_string(axis) +
               ": --softmax argmax replaces only a Softmax feeding ArgMax or a graph output";
    }
  return "";
}

}  // namespace tcx
