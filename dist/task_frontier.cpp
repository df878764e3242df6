#include "dist/task_frontier.hpp"

#include <fmt/format.h>

#include "provers/proof.hpp"

namespace tcx::dist {

std::vector<frontier_row_question> task_frontier_rows(const Task& task, const std::string& over, const std::vector<std::int64_t>& sizes,
                                                      const TaskParams& base, const frontier_params& p, bool care_valid) {
  std::vector<frontier_row_question> rows;
  for (std::int64_t v : sizes) {
    TaskParams tp = base;
    tp[over] = v;
    tp = task.resolve(tp);
    const Circuit natural = task.natural_circuit(tp);
    if (natural.num_inputs() > frontier_max_inputs(p))
      throw std::invalid_argument(fmt::format("{}={}: {} inputs, more than the {} synthesis takes here with the {} method{}", over, v,
                                              natural.num_inputs(), frontier_max_inputs(p), synth_method_name(p.method),
                                              p.descent.time_limit_s > 0 ? " and descent" : ""));
    rows.push_back({natural.num_inputs(), truth_tables(natural), proof_file_stem(fmt::format("{}-{}{}", task.name, over, v)),
                    valid_input_care(task, tp, natural.num_inputs(), care_valid)});
  }
  return rows;
}

std::vector<key_field> task_frontier_key(const Task& task, const std::string& over, const std::vector<std::int64_t>& sizes,
                                         const std::string& sizes_text, const TaskParams& base, const frontier_params& p,
                                         bool care_valid) {
  auto word = [](bool in_old_key, std::string w) { return in_old_key ? std::optional<std::string>(std::move(w)) : std::nullopt; };
  const std::string params = nlohmann::json(base).dump();  // a std::map: one spelling
  const bool certify = p.proof.certify;
  std::vector<key_field> key{{"task", task.name, task.name},
                             {"over", over, over},
                             {"sizes", sizes, sizes_text},
                             {"params", nlohmann::json(base), params},
                             {"max_depth", p.max_depth, std::to_string(p.max_depth)},
                             {"max_gates", p.max_gates, std::to_string(p.max_gates)},
                             {"method", synth_method_name(p.method), synth_method_name(p.method)},
                             {"layered", !p.skip, p.skip ? "skip" : "layered"},
                             {"certify", certify, certify ? "certify" : ""}};
  // Earlier keys named the care set and the counterexample choices only when not the defaults,
  // and the solver only when not the default or cross-checked; so did they the tt choices.
  const bool search = care_valid || p.counterexamples_per_round != 1 || p.pattern_orbits;
  key.push_back({"care", care_valid ? "valid" : "all", word(search, care_valid ? "valid" : "all")});
  key.push_back({"counterexamples", p.counterexamples_per_round, word(search, std::to_string(p.counterexamples_per_round))});
  key.push_back({"orbits", p.pattern_orbits, word(search, p.pattern_orbits ? "orbits" : "")});
  const bool descent = p.descent.time_limit_s > 0;
  if (descent) key.push_back({"descent", p.descent.time_limit_s, "descent " + std::to_string(p.descent.time_limit_s)});
  const bool solver = p.solver != default_sat_solver || p.cross_check;
  key.push_back({"solver", sat_solver_name(p.solver), word(solver, std::string("solver ") + sat_solver_name(p.solver))});
  key.push_back({"cross_check", p.cross_check, word(solver, p.cross_check ? "cross-check" : "")});
  const tt_params& tt = p.tt;
  const bool tt_given = tt.choices_given();
  const std::vector<std::pair<const char*, std::int64_t>> choices{
      {"tt_cubes", tt.cube_inputs},           {"tt_signed_sources", tt.signed_sources}, {"tt_sign_symmetry", tt.sign_symmetry},
      {"tt_float_lp", tt.float_lp},           {"tt_input_symmetry", tt.input_symmetry}, {"tt_dual_cubes", tt.dual_cubes}};
  for (std::size_t k = 0; k < choices.size(); ++k)
    key.push_back({choices[k].first, choices[k].second, word(tt_given, (k == 0 ? "tt " : "") + std::to_string(choices[k].second))});
  return key;
}

run_options task_frontier_run_options(const state_options& state, const std::vector<key_field>& key, const frontier_params& p,
                                      const std::string& label) {
  run_options o;
  o.state = state;
  o.label = label;
  o.key = named_key(key);
  // Word keys: without the budget, and (before unknown answers were asked again) with it after max_gates.
  std::vector<key_field> with_budget = key;
  with_budget.insert(with_budget.begin() + 6, {"time_limit", p.time_limit_per_query_s, std::to_string(p.time_limit_per_query_s)});
  o.state.earlier_keys = {word_key(key), word_key(with_budget)};
  return o;
}

}  // namespace tcx::dist
