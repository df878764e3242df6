#include "dist/task_verify.hpp"

#include <nlohmann/json.hpp>

#include "dist/synth_run.hpp"

namespace tcx::dist {

std::function<reference_check_result(const Circuit&, const ReferenceFn&)> task_exhaustive_check(
    const std::string& circuit_digest, const Task& task, const TaskParams& p, const std::string& care, run_options o) {
  const nlohmann::json params(p);
  const std::vector<key_field> key = with_care(
      {{"circuit", circuit_digest, circuit_digest}, {"task", task.name, task.name}, {"params", params, params.dump()}}, care);
  o.key = named_key(key);
  o.state.earlier_keys = {word_key(key)};  // the key earlier tcx wrote for it
  return [o](const Circuit& circ, const ReferenceFn& ref) {
    return check_against_reference(circ, PatternSet{PatternSet::exhaustive, 0, 1}, {}, ref, o);
  };
}

}  // namespace tcx::dist
