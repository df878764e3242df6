// The SAT-backed answers in Python: verify, synth, frontier, bounds, as the JSON of the matching
// command (cli/prover_commands.cpp), through the same library calls and JSON builders
// (provers/verify.hpp, provers/synth_json.hpp); tests/python compare them.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <fmt/format.h>

#include <random>

#include "circuits/bits.hpp"
#include "circuits/analysis.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/io/json_format.hpp"
#include "circuits/io/tc_format.hpp"
#include "circuits/simulate.hpp"
#include "provers/equiv.hpp"
#include "provers/proof.hpp"
#include "dist/synth_run.hpp"
#include "dist/task_verify.hpp"
#include "dist/task_frontier.hpp"
#include "dist/work.hpp"
#include "provers/synth.hpp"
#include "provers/synth_json.hpp"
#include "python/src/common.hpp"
#include "tasks/task.hpp"
#include "tasks/verify_spec.hpp"

namespace tcx::py {

namespace {

// A state file's options from Python's state=, resume=, restart= (the front end's checks, as the
// command line's --state, --resume, --restart).
dist::state_options state_file(const std::string& path, bool resume, bool restart) {
  if (resume && restart) throw std::invalid_argument("resume and restart exclude each other");
  if (path.empty() && (resume || restart)) throw std::invalid_argument("resume and restart need state=FILE");
  return {path, resume, restart, {}};
}

// The tt choices as the package passes them (python/tcx/_api.py, _tt): cubes -1 is auto, -2 output.
tt_params tt_options(std::int64_t cubes, bool signed_sources, bool sign_symmetry, bool float_lp, bool input_symmetry, bool dual_cubes,
                     std::uint32_t jobs) {
  tt_params tt;
  tt.cube_inputs = cubes == -2 ? tt_params::cubes_output : cubes < 0 ? tt_params::cubes_auto : static_cast<std::uint32_t>(cubes);
  tt.signed_sources = signed_sources;
  tt.sign_symmetry = sign_symmetry;
  tt.float_lp = float_lp;
  tt.input_symmetry = input_symmetry;
  tt.dual_cubes = dual_cubes;
  tt.jobs = jobs;
  return tt;
}

frontier_params frontier_options(std::uint32_t max_depth, std::uint32_t max_gates, double time_limit, const std::string& method,
                                 bool layered, const std::string& solver, bool cross_check, const tt_params& tt, double descent,
                                 double tighten) {
  frontier_params fp;
  fp.tt = tt;
  fp.descent.time_limit_s = descent;
  fp.descent.jobs = tt.jobs;  // one jobs= for both
  fp.tighten_s = tighten;
  fp.max_depth = max_depth;
  fp.max_gates = max_gates;
  fp.time_limit_per_query_s = time_limit;
  fp.method = parse_synth_method(method);
  fp.skip = !layered;
  fp.solver = parse_sat_solver(solver);
  fp.cross_check = cross_check;
  return fp;
}

void check_frontier(const frontier_params& fp) {
  if (fp.max_depth < 1 || fp.max_depth > 6) throw std::invalid_argument("max_depth must be in 1..6");
  if (fp.max_gates < 1 || fp.max_gates > 16) throw std::invalid_argument("max_gates must be in 1..16");
  if (!(fp.time_limit_per_query_s >= 0)) throw std::invalid_argument("time_limit must be >= 0");
  if (fp.tt.jobs < 1 || fp.tt.jobs > 256) throw std::invalid_argument("jobs must be in 1..256");
  if (!(fp.descent.time_limit_s >= 0)) throw std::invalid_argument("descent must be >= 0");
  if (!(fp.tighten_s >= 0)) throw std::invalid_argument("tighten must be >= 0");
}

// tcx verify --json, through the same library call and JSON as the command.
nlohmann::json verify(const Circuit& c, const Task& task, const TaskParams& p, std::uint32_t exhaustive_bits, std::uint64_t random,
                      std::uint64_t seed, const std::string& encoding, std::uint64_t conflicts, double time_limit_s,
                      const std::string& solver_name, bool cross_check, bool care_valid, const dist::state_options& state) {
  if (c.num_inputs() != task.input_bits(p) || c.num_outputs() != task.output_bits(p))
    throw std::invalid_argument(fmt::format("the circuit has {} inputs and {} outputs; {} at these parameters has {} and {}",
                                            c.num_inputs(), c.num_outputs(), task.name, task.input_bits(p), task.output_bits(p)));
  verify_params vp;
  vp.exhaustive_bits = exhaustive_bits;
  vp.random = random;
  vp.seed = seed;
  vp.sat.encoding.encoding = parse_gate_encoding(encoding);
  vp.sat.sat.conflicts = conflicts;
  vp.sat.sat.time_limit_s = time_limit_s;
  vp.sat.sat.solver = parse_sat_solver(solver_name);
  vp.sat.sat.cross_check = cross_check;
  vp.sat.query = proof_file_stem("verify-" + task.name);
  if (!state.path.empty()) {  // the exhaustive phase recorded as it goes, in the command's files (the circuit by its .tc text)
    dist::run_options o;
    o.state = state;
    o.label = "tcx.verify";
    vp.exhaustive = dist::task_exhaustive_check(dist::text_digest(write_tc(c)), task, p, care_valid ? "valid" : "all", o);
  }
  return verify_json(verify_against_spec(c, task_verify_spec(task, p, care_valid), vp), task.name, solver_name);
}

// tcx bounds --json.
nlohmann::json bounds(const Task& task, const TaskParams& p, const frontier_params& fp, bool care_valid) {
  const Circuit natural = task.natural_circuit(p);
  const circuit_stats st = analyze(natural);
  bounds_facts facts{task.name, p, st.depth, st.gates, st.wires, task.complexity, nullptr, fp.max_gates, false, frontier_searched_by(fp), &fp};
  std::vector<frontier_cell> cells;
  if (natural.num_inputs() <= frontier_max_inputs(fp)) {
    frontier_params fq = fp;
    fq.query = proof_file_stem("bounds-" + task.name);
    fq.care = valid_input_care(task, p, natural.num_inputs(), care_valid);
    cells = frontier(natural.num_inputs(), truth_tables(natural), fq);
    facts.cells = &cells;
  }
  nlohmann::json j = bounds_json(facts);
  if (care_valid) j["care"] = "valid";  // as tcx bounds --care valid --json
  return j;
}

}  // namespace

void bind_facts(py::module_& m) {
  m.def("_verify", [](const Circuit& c, const std::string& task, const py::dict& params, std::uint32_t exhaustive_bits,
                      std::uint64_t random, std::uint64_t seed, const std::string& encoding, std::uint64_t conflicts, double time_limit,
                      const std::string& solver, bool cross_check, const std::string& care, const std::string& state, bool resume,
                      bool restart) {
    if (care != "all" && care != "valid") throw std::invalid_argument("care must be 'all' or 'valid'");
    if (exhaustive_bits > 32) throw std::invalid_argument("exhaustive_bits must be in 0..32");
    if (random > (std::uint64_t(1) << 26)) throw std::invalid_argument("random: at most 2^26 instances");
    parse_gate_encoding(encoding);
    parse_sat_solver(solver);
    const Task& t = task_named(task);
    const TaskParams p = t.resolve(params_from(params));
    return to_python(run_long([&] { return verify(c, t, p, exhaustive_bits, random, seed, encoding, conflicts, time_limit, solver, cross_check,
                                           care == "valid", state_file(state, resume, restart)); }));
  });

  // The table as bytes, rows = patterns, columns = outputs (numpy, from the package).
  m.def("_synth", [](std::uint32_t n, py::array_t<std::uint8_t, py::array::c_style> table, const std::vector<std::uint32_t>& widths,
                     const std::string& widths_text, bool skip, std::uint32_t max_fanin, std::int64_t max_weight, std::uint32_t majority,
                     bool complement, bool symmetry, double time_limit, std::uint64_t conflicts, std::uint64_t seed,
                     const std::string& method, const std::string& solver, bool cross_check, py::object care_rows, std::int64_t tt_cubes, bool tt_signed, bool tt_sign_symmetry, bool tt_float_lp, bool tt_input_symmetry, bool tt_dual_cubes, std::uint32_t tt_jobs, double descent, std::uint32_t batch,
                     const std::string& state, bool resume, bool restart, bool certify, std::int64_t cubes, const std::string& care_name) {
    if (n > 22) throw std::invalid_argument("synth: the function has more than 22 inputs");
    if (table.ndim() != 2 || static_cast<std::uint64_t>(table.shape(0)) != (std::uint64_t(1) << n) || table.shape(1) < 1)
      throw std::invalid_argument("synth: the table needs 2^inputs rows and at least one output column");
    const std::size_t rows = std::size_t(1) << n, outs = static_cast<std::size_t>(table.shape(1));
    multi_truth_table truth;
    for (std::size_t o = 0; o < outs; ++o)
      truth.push_back(make_truth_table(n, [&](std::uint64_t p) { return table.data()[p * outs + o] & 1u; }));
    if (widths.empty()) throw std::invalid_argument("synth: widths is empty");
    synth_params p;
    p.shape.widths = widths;
    for (std::uint32_t w : widths)
      if (w == 0 || w > 64) throw std::invalid_argument("synth: every layer needs 1 to 64 gates");
    if (max_weight < 0 || max_weight > (std::int64_t(1) << 20)) throw std::invalid_argument("max_weight must be in 1..2^20 (0: default)");
    if (majority > 15) throw std::invalid_argument("majority must be in 1..15");
    p.shape.skip = skip;
    p.shape.max_fanin = max_fanin;
    p.shape.max_weight = max_weight;
    if (majority % 2 == 0 && majority) throw std::invalid_argument("synth: --majority needs an odd K");
    if (!complement && !majority) throw std::invalid_argument("synth: --no-complement needs --majority");
    if (majority && (max_weight || max_fanin)) throw std::invalid_argument("synth: --majority fixes the weights and the fan-in");
    if (!(time_limit >= 0)) throw std::invalid_argument("time_limit must be >= 0");
    if (tt_jobs < 1 || tt_jobs > 256) throw std::invalid_argument("jobs must be in 1..256");
    p.shape.majority_of = majority;
    p.shape.complemented = complement;
    p.symmetry_breaking = symmetry;
    p.time_limit_s = time_limit;
    p.conflicts = conflicts;
    p.seed = seed;
    p.method = parse_synth_method(method);
    p.solver = parse_sat_solver(solver);
    p.cross_check = cross_check;
    p.tt = tt_options(tt_cubes, tt_signed, tt_sign_symmetry, tt_float_lp, tt_input_symmetry, tt_dual_cubes, tt_jobs);
    if (!(descent >= 0)) throw std::invalid_argument("descent must be >= 0");
    p.descent.time_limit_s = descent;
    p.descent.jobs = tt_jobs;
    p.descent.batch = batch;
    p.query = proof_file_stem("synth-" + widths_text + (skip ? "-skip" : ""));
    if (!care_rows.is_none()) {  // one byte per row: 1 where the circuit must be right (synth_params::care)
      auto care = care_rows.cast<py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>>();
      if (care.ndim() != 1 || static_cast<std::size_t>(care.shape(0)) != rows)
        throw std::invalid_argument("synth: care needs one entry per row (2^inputs)");
      truth_table t = make_truth_table(n, [&](std::uint64_t q) { return care.data()[q] & 1u; });
      if (is_const0(t)) throw std::invalid_argument("synth: care is empty (no input must be right)");
      p.care = std::make_shared<const truth_table>(std::move(t));
    }
    p.proof.certify = certify;  // as --certify: temporary proof files, checked, then removed
    // Whole, or in units a state file records: the library's choice, as tcx synth makes it
    // (dist/synth_run.hpp); the two resume each other's files.
    if (cubes > 12) throw std::invalid_argument("cubes must be in 0..12");
    dist::synth_run_params run;
    if (cubes >= 0) run.cubes = static_cast<std::uint32_t>(cubes);
    run.widths_text = widths_text;
    // a care set given row by row is named by its digest (all and valid as the command line names them)
    run.care = !care_name.empty() ? care_name : dist::text_digest(to_hex(*p.care));
    run.threads = tt_jobs;
    run.state = state_file(state, resume, restart);
    run.label = "tcx.synth";
    auto [j, circuit] = run_long([&] {
      synth_result r = dist::synthesize_run(n, truth, p, run);
      // certify: "none" only with every proof checked, as tcx synth --certify says it.
      if (certify && r.answer == synth_result::unsat && !r.certified) r.answer = synth_result::unknown;
      nlohmann::json j = synth_json(r, p, widths_text, certify);
      std::optional<Circuit> c;
      if (r.answer == synth_result::sat) j["circuit"] = to_json(r.circuit), c = std::move(r.circuit);  // as tcx synth --json
      return std::make_pair(j, std::move(c));
    });
    return py::make_tuple(to_python(j), circuit ? py::cast(std::move(*circuit)) : py::none());
  });

  // The task's valid inputs (--care valid) as one byte per row, or None when every input is one.
  m.def("_valid_inputs", [](const std::string& task, const py::dict& params) -> py::object {
    const Task& t = task_named(task);
    const TaskParams p = t.resolve(params_from(params));
    const std::uint32_t n = t.input_bits(p);
    if (n > 22) throw std::invalid_argument(fmt::format("{}: {} inputs, more than the 22 synthesis takes", t.name, n));
    const std::optional<truth_table> valid = valid_input_table(t, p, n);
    if (!valid) return py::none();
    py::array_t<std::uint8_t> a(static_cast<py::ssize_t>(std::uint64_t(1) << n));
    for (std::uint64_t q = 0; q < (std::uint64_t(1) << n); ++q) a.mutable_data()[q] = get_bit(*valid, q) ? 1 : 0;
    return py::object(std::move(a));
  });

  m.def("_frontier", [](const std::string& task, const std::vector<std::int64_t>& sizes, const std::string& over_given,
                        const py::dict& params, std::uint32_t max_depth, std::uint32_t max_gates, double time_limit,
                        const std::string& method, bool layered, const std::string& solver, bool cross_check,
                        const std::string& care, std::uint32_t counterexamples, bool orbits, std::int64_t tt_cubes, bool tt_signed, bool tt_sign_symmetry, bool tt_float_lp, bool tt_input_symmetry, bool tt_dual_cubes, std::uint32_t tt_jobs, double descent, double tighten,
                        const std::string& state, bool resume, bool restart, bool certify) {
    const Task& t = task_named(task);
    const std::string over = over_given.empty() ? t.params.at(0).name : over_given;
    const TaskParams base = params_from(params);
    if (base.count(over))
      throw std::invalid_argument(fmt::format("params sets {}, the parameter that grows (over={}): its values come from sizes", over, over));
    frontier_params fp = frontier_options(max_depth, max_gates, time_limit, method, layered, solver, cross_check,
                                          tt_options(tt_cubes, tt_signed, tt_sign_symmetry, tt_float_lp, tt_input_symmetry, tt_dual_cubes, tt_jobs), descent, tighten);
    check_frontier(fp);
    if (care != "all" && care != "valid") throw std::invalid_argument("care must be 'all' or 'valid'");
    if (counterexamples < 1 || counterexamples > 64) throw std::invalid_argument("counterexamples must be in 1..64");
    if (certify && fp.method == synth_method::descent) throw std::invalid_argument("certify: method 'descent' proves nothing");
    fp.counterexamples_per_round = counterexamples;
    fp.pattern_orbits = orbits;
    fp.proof.certify = certify;  // as --certify: temporary proof files, checked, then removed
    if (sizes.empty()) throw std::invalid_argument("frontier: no sizes");
    // The rows' functions (bad sizes and parameters before any work), then their questions as
    // tcx frontier asks them, recorded in the same state files (dist/task_frontier.hpp).
    const std::vector<dist::frontier_row_question> rows = dist::task_frontier_rows(t, over, sizes, base, fp, care == "valid");
    const dist::run_options ro = dist::task_frontier_run_options(
        state_file(state, resume, restart), dist::task_frontier_key(t, over, sizes, "", base, fp, care == "valid"), fp, "tcx.frontier");
    return to_python(run_long([&] {
      const std::vector<std::vector<frontier_cell>> cells = dist::frontier_by_questions(rows, fp, nullptr, ro);
      nlohmann::json out = nlohmann::json::array();
      for (std::size_t k = 0; k < rows.size(); ++k) {
        frontier_params fq = fp;  // tightened after the search, as the command does
        fq.query = rows[k].query;
        fq.care = rows[k].care;
        out.push_back(frontier_row_json(over, sizes[k], frontier_tighten(rows[k].inputs, rows[k].truth, fq, cells[k]), fp.max_gates, certify));
      }
      return nlohmann::json{{"task", t.name},          {"over", over},
                            {"max_depth", fp.max_depth},   {"max_gates", fp.max_gates},
                            {"method", synth_method_name(fp.method)}, {"layered", !fp.skip},
                            {"care", care},                {"rows", out}};
    }));
  });

  m.def("_bounds", [](const std::string& task, const py::dict& params, std::uint32_t max_depth, std::uint32_t max_gates, double time_limit,
                      const std::string& method, bool layered, const std::string& solver, bool cross_check, const std::string& care,
                      std::int64_t tt_cubes, bool tt_signed, bool tt_sign_symmetry, bool tt_float_lp, bool tt_input_symmetry, bool tt_dual_cubes, std::uint32_t tt_jobs, double descent, double tighten) {
    const Task& t = task_named(task);
    const TaskParams p = t.resolve(params_from(params));
    frontier_params fp = frontier_options(max_depth, max_gates, time_limit, method, layered, solver, cross_check,
                                          tt_options(tt_cubes, tt_signed, tt_sign_symmetry, tt_float_lp, tt_input_symmetry, tt_dual_cubes, tt_jobs), descent, tighten);
    check_frontier(fp);
    if (care != "all" && care != "valid") throw std::invalid_argument("care must be 'all' or 'valid'");
    return to_python(run_long([&] { return bounds(t, p, fp, care == "valid"); }));
  });
}

}  // namespace tcx::py
