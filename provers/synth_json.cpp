#include "provers/synth_json.hpp"

#include <fmt/format.h>

#include "circuits/analysis.hpp"
#include "circuits/bits.hpp"

namespace tcx {

nlohmann::json synth_json(const synth_result& r, const synth_params& p, const std::string& shape, bool with_proofs) {
  // Every answer holds under these: the reader of the JSON must see them as the text states them.
  nlohmann::json j{{"shape", shape}, {"skip", p.shape.skip}, {"care", p.care ? "valid" : "all"},
                   {"max_weight", p.shape.max_weight}, {"method", synth_method_name(r.method)}, {"lemmas", r.lemmas},
                   {"weight_bound", r.weight_bound}, {"max_fanin", r.max_fanin}, {"solver_calls", r.solver_calls},
                   {"patterns", r.patterns}, {"variables", r.vars}, {"clauses", r.clauses}, {"seconds", r.seconds}};
  if (p.shape.majority_of) j["majority"] = {{"of", p.shape.majority_of}, {"complemented", p.shape.complemented}};
  if (r.cubes) j["cubes"] = r.cubes;  // tt's split (one proof per cube when certified)
  if (r.cubes_resumed) j["resumed"] = {{"cubes", r.cubes_resumed}, {"seconds", r.resumed_seconds}};  // read from a state file
  if (r.cubes_unanswered) j["cubes_unanswered"] = r.cubes_unanswered;
  if (r.cubes_uncertified || r.cubes_uncertifiable)  // nones without a checked proof, under --certify
    j["cubes_uncertified"] = {{"budget", r.cubes_uncertified}, {"clauses", r.cubes_uncertifiable}};
  if (r.longest_cube >= 0)
    j["longest_cube"] = {{"cube", r.longest_cube}, {"seconds", r.longest_cube_seconds}, {"assumes", r.longest_cube_assumes}};
  if (r.descent_restarts)  // descent ran (alone, or before the SAT method)
    j["descent"] = {{"restarts", r.descent_restarts}, {"repairs", r.descent_repairs}, {"repaired", r.descent_repaired},
                    {"best_errors", r.descent_best_errors}, {"seconds", r.descent_seconds}};
  if (r.answer == synth_result::sat) {
    const circuit_stats st = analyze(r.circuit);
    j["answer"] = "sat";
    j["depth"] = st.depth;
    j["gates"] = st.gates;
  } else if (r.answer == synth_result::unsat) {
    j["answer"] = "unsat";
    j["for_all_weights"] = r.unsat_for_all_weights;
    if (with_proofs) {
      j["certified"] = r.certified;
      if (r.method == synth_method::tt && r.soundness_clauses)
        j["soundness"] = {{"clauses", r.soundness_clauses}, {"symmetry_clauses", r.soundness_symmetry}, {"lps", r.soundness_lps}, {"seconds", r.soundness_seconds}};
      nlohmann::json proofs = nlohmann::json::array();
      for (const proof_record& pr : r.proofs)
        proofs.push_back({{"query", pr.query}, {"drat", pr.drat_path}, {"cnf", pr.cnf_path}, {"bytes", pr.proof_bytes},
                          {"verified", pr.verified}, {"solve_seconds", pr.solve_seconds}, {"check_seconds", pr.check_seconds}});
      j["proofs"] = proofs;
    }
  } else {
    j["answer"] = "unknown";
  }
  return j;
}

nlohmann::json frontier_row_json(const std::string& over, std::int64_t value, const std::vector<frontier_cell>& cells,
                                 std::uint32_t max_gates, bool with_certified) {
  nlohmann::json row{{over, value}, {"cells", nlohmann::json::array()}};
  for (std::size_t d = 0; d < cells.size(); ++d) {
    const frontier_cell& c = cells[d];
    row["cells"].push_back({{"depth", d + 1}, {"status", frontier_status_name(c.status)}, {"gates", c.gates}, {"at_least", c.at_least}, {"seconds", c.seconds}});
    if (with_certified) row["cells"].back()["certified"] = c.certified;
    if (c.tightened_by) row["cells"].back()["tightened_by"] = c.tightened_by;
  }
  nlohmann::json budgets = nlohmann::json::array();
  std::uint32_t G = 0;
  for (const budget_depth& b : smallest_depth_by_budget(cells, max_gates)) {
    budgets.push_back({{"gates", ++G}, {"depth", budget_depth_text(b)}});
    if (with_certified) budgets.back()["certified"] = b.certified;
  }
  row["smallest_depth_by_budget"] = budgets;
  return row;
}

std::string frontier_searched_by(const frontier_params& p) {
  if (p.method == synth_method::descent) return "descent";
  return p.descent.time_limit_s > 0 || p.descent.restarts > 0 ? "SAT and descent" : "SAT";
}

std::string bounds_cell_text(const frontier_cell& c, std::uint32_t depth, std::uint32_t max_gates, const std::string& by) {
  std::string text;
  if (c.status == frontier_cell::proven_minimal)
    text = fmt::format("depth {}: {} gates, proven minimal for that depth ({})", depth, c.gates, by);
  else if (c.status == frontier_cell::found && c.at_least <= 1)
    text = fmt::format("depth {}: {} gates found, no smaller size refuted ({})", depth, c.gates, by);
  else if (c.status == frontier_cell::found)
    text = fmt::format("depth {}: {} gates found, at least {} (smaller sizes refuted); {}..{} not settled within the budget ({})", depth,
                       c.gates, c.at_least, c.at_least, c.gates - 1, by);
  else if (c.status == frontier_cell::none_within_budget)
    text = depth == 1 ? fmt::format("depth 1: impossible in one layer of gates ({}, proven)", by)
                      : fmt::format("depth {}: impossible with at most {} gates ({}, proven)", depth, max_gates, by);
  else
    text = fmt::format("depth {}: unknown within the budget ({})", depth, by);
  if (c.certified) text += " [certified: DRAT proofs checked]";
  return text;
}

nlohmann::json bounds_json(const bounds_facts& f) {
  nlohmann::json j{{"task", f.task}, {"params", f.params},
                   {"natural_circuit", {{"depth", f.depth}, {"gates", f.gates}, {"wires", f.wires}}},
                   {"literature", f.literature}};
  if (f.cells) {
    nlohmann::json sat = nlohmann::json::array();
    for (std::size_t d = 0; d < f.cells->size(); ++d) {
      sat.push_back({{"depth", d + 1}, {"text", bounds_cell_text((*f.cells)[d], static_cast<std::uint32_t>(d + 1), f.max_gates, f.searched_by)}});
      if (f.with_certified) sat.back()["certified"] = (*f.cells)[d].certified;
    }
    j["sat"] = sat;
  }
  if (f.search && f.cells)  // what every "none" and "proven" above holds under, as the text's "searched (...)" line
    j["search"] = {{"max_depth", f.search->max_depth}, {"max_gates", f.search->max_gates}, {"layered", !f.search->skip},
                   {"method", synth_method_name(f.search->method)}, {"by", f.searched_by}};
  return j;
}

nlohmann::json verify_json(const verify_result& r, const std::string& task, const std::string& solver) {
  nlohmann::json j{{"task", task}};
  if (r.method == verify_result::Method::exhaustive) {
    j["method"] = "exhaustive";
    j["inputs_checked"] = r.inputs_checked;
    if (r.cared_only) j["care"] = "valid";  // the task's valid inputs, as --care valid
  } else {
    j["random_checked"] = r.random_checked;
  }
  if (r.sat_ran) {
    j["method"] = "sat";
    j["solver"] = solver;
    if (r.sat.has_proof) {
      j["certified"] = r.sat.proof.verified;
      if (!r.sat.proof.drat_path.empty())
        j["proof"] = {{"drat", r.sat.proof.drat_path}, {"cnf", r.sat.proof.cnf_path}, {"bytes", r.sat.proof.proof_bytes}};
    }
    j["variables"] = r.sat.vars;
    j["clauses"] = r.sat.clauses;
    j["seconds"] = r.sat.seconds;
  }
  if (r.verdict == verify_result::Verdict::wrong)
    j["counterexample"] = {{"inputs", bits_text(r.inputs)}, {"circuit", bits_text(r.circuit_outputs)},
                           {"solver", bits_text(r.reference_outputs)}};
  j["verdict"] = verdict_name(r.verdict);
  j["how"] = r.how;
  return j;
}

namespace {

const char* verdict_word(bool equal, bool different) { return equal ? "equal" : different ? "different" : "unknown"; }

nlohmann::json counterexample_json(const std::vector<std::uint8_t>& in, const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  return {{"inputs", bits_text(in)}, {"outputs_a", bits_text(a)}, {"outputs_b", bits_text(b)}};
}

}  // namespace

nlohmann::json equiv_structural_json() { return {{"verdict", "equal"}, {"method", "structural"}}; }

nlohmann::json equiv_sat_json(const sat_equiv_result& r, const std::string& solver) {
  nlohmann::json j{{"verdict", verdict_word(r.verdict == sat_equiv_result::equal, r.verdict == sat_equiv_result::different)},
                   {"method", "sat"}, {"variables", r.vars}, {"clauses", r.clauses}, {"bdd_gates", r.encoded.bdd_gates},
                   {"adder_gates", r.encoded.adder_gates}, {"seconds", r.seconds}, {"solver", solver}};
  if (r.has_proof) {
    j["certified"] = r.proof.verified;
    if (!r.proof.drat_path.empty()) j["proof"] = {{"drat", r.proof.drat_path}, {"cnf", r.proof.cnf_path}, {"bytes", r.proof.proof_bytes}};
    if (r.proof.checked) j["check_seconds"] = r.proof.check_seconds;
  }
  if (r.encoding_cut) j["encoding_cut"] = true;  // the budget ran out before the solver
  if (r.verdict == sat_equiv_result::different) j["counterexample"] = counterexample_json(r.inputs, r.outputs_a, r.outputs_b);
  return j;
}

nlohmann::json equiv_simulation_json(const equiv_result& r, const std::string& method) {
  nlohmann::json j{{"verdict", verdict_word(r.verdict == equiv_result::equal, r.verdict == equiv_result::different)},
                   {"method", method}, {"exhaustive", r.exhaustive}, {"patterns_checked", r.patterns_checked}};
  if (r.verdict == equiv_result::different) j["counterexample"] = counterexample_json(r.inputs, r.outputs_a, r.outputs_b);
  if (!r.reason.empty()) j["reason"] = r.reason;
  return j;
}

}  // namespace tcx
