#pragma once
// The JSON of synthesis answers, frontier tables, verification and equivalence, built in one place
// for `tcx synth|frontier|bounds|verify|equiv --json` (cli/) and the Python package (python/src/), so
// the two cannot drift.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "circuits/simulate.hpp"
#include "provers/equiv.hpp"
#include "provers/synth.hpp"
#include "provers/verify.hpp"

namespace tcx {

// tcx synth --json: the question's restrictions (skip wires, care set, gate class, weight and
// fan-in bounds), the figures, the answer, and for sat the circuit's depth and gates; for unsat
// whether for all weights. with_proofs: the proof records and "certified" (when asked for).
nlohmann::json synth_json(const synth_result& r, const synth_params& p, const std::string& shape, bool with_proofs);

// One row of tcx frontier --json: {over: value, cells, smallest_depth_by_budget}; with_certified
// adds each cell's "certified" (with --certify).
nlohmann::json frontier_row_json(const std::string& over, std::int64_t value, const std::vector<frontier_cell>& cells,
                                 std::uint32_t max_gates, bool with_certified);

// What searched a frontier's cells: "SAT", "descent" (method descent) or "SAT and descent".
std::string frontier_searched_by(const frontier_params& p);

// How tcx bounds words a frontier cell of depth `depth`: "depth 2: 3 gates, proven minimal ...";
// `by` as frontier_searched_by.
std::string bounds_cell_text(const frontier_cell& c, std::uint32_t depth, std::uint32_t max_gates, const std::string& by = "SAT");

// tcx bounds --json: the task, its parameters, the natural circuit's figures, the literature's
// class, and (when SAT ran: cells given) each depth's text.
struct bounds_facts {
  std::string task;
  nlohmann::json params;
  std::uint32_t depth = 0;
  std::uint64_t gates = 0, wires = 0;  // the natural circuit
  std::string literature;
  const std::vector<frontier_cell>* cells = nullptr;
  std::uint32_t max_gates = 0;
  bool with_certified = false;
  std::string searched_by = "SAT";  // frontier_searched_by
  const frontier_params* search = nullptr;  // the search's restrictions, printed under "search"
};
nlohmann::json bounds_json(const bounds_facts& f);

// tcx verify --json (against a task): the fields in the order and under the names the command
// has always printed; `solver` names the SAT solver when the SAT phase ran.
nlohmann::json verify_json(const verify_result& r, const std::string& task, const std::string& solver);

// tcx equiv --json, one per way of answering: joined circuits whose every output pair is one gate
// (a proof, no solver call); the SAT miter (`solver` names it; the proof record when there is one);
// simulation, exhaustive or random (`method` as the command words it).
nlohmann::json equiv_structural_json();
nlohmann::json equiv_sat_json(const sat_equiv_result& r, const std::string& solver);
nlohmann::json equiv_simulation_json(const equiv_result& r, const std::string& method);

}  // namespace tcx
