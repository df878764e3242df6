// Commands that answer with a SAT solver: verify (against a task), synth, frontier, bounds.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <numeric>
#include <random>

#include <unistd.h>

#include "circuits/analysis.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/formats.hpp"
#include "circuits/io/json_format.hpp"
#include "circuits/interrupt.hpp"
#include "circuits/simulate.hpp"
#include "cli/common.hpp"
#include "cli/sat_options.hpp"
#include "cli/dist_options.hpp"
#include "dist/runner.hpp"
#include "dist/state.hpp"
#include "dist/task_frontier.hpp"
#include "dist/synth_run.hpp"
#include "dist/task_verify.hpp"
#include "cli/onnx_commands.hpp"
#include "provers/equiv.hpp"
#include "provers/synth.hpp"
#include "provers/synth_json.hpp"
#include "provers/verify.hpp"
#include "tasks/verify_spec.hpp"

namespace tcx::cli {

namespace {

// The tt method's search choices (tt_params), for synth and frontier alike: each on by default,
// turned off to compare (docs/perf.md measures them).
void add_tt_options(CLI::App& cmd, tt_params& tt) {
  cmd.add_option_function<std::string>(
         "--tt-cubes",
         [&tt](const std::string& k) {
           if (k == "auto" || k == "output") {
             tt.cube_inputs = k == "auto" ? tt_params::cubes_auto : tt_params::cubes_output;
             return;
           }
           tt.cube_inputs = static_cast<std::uint32_t>(parse_integer(k, "--tt-cubes"));
           if (tt.cube_inputs > 16) throw std::invalid_argument("--tt-cubes: K must be auto, output or 0..16");
         },
         "tt: split the question into 2^K cubes on the output gate's weight signs on its first K inputs, solved in turn (0: no "
         "split; default auto: all inputs at 8 or more inputs with every pattern in play); output: one cube per function the "
         "output may compute of its hidden gates (layered k,1 templates, k <= 6)")
      ->type_name("K|auto|output");
  cmd.add_flag_function("--tt-no-signed-sources", [&tt](std::int64_t) { tt.signed_sources = false; },
                        "tt: no sign variables on hidden source gates (the eager clauses then skip every gate reading one)");
  cmd.add_flag_function("--tt-no-sign-symmetry", [&tt](std::int64_t) { tt.sign_symmetry = false; },
                        "tt: break the complement symmetry by \"0 on pattern 0\" instead of the output's weight sign");
  cmd.add_flag_function("--tt-no-input-symmetry", [&tt](std::int64_t) { tt.input_symmetry = false; },
                        "tt: do not normalize the first hidden gate by the function's input symmetries (negations, interchangeable inputs)");
  cmd.add_flag_function("--tt-no-dual-cubes", [&tt](std::int64_t) { tt.dual_cubes = false; },
                        "tt: with --tt-cubes output and a self-dual function (parity of odd n), solve both cubes of each pair of "
                        "dual output functions, not one");
  cmd.add_flag_function("--tt-no-float-lp", [&tt](std::int64_t) { tt.float_lp = false; },
                        "tt: every thresholdness check by the exact LP alone, without the float LP proposing its answer");
}

// Options that do not fit the method are refused rather than ignored: the tt choices with
// --method weights or descent, --descent with --method descent (its budget is then --time-limit,
// which it needs), proofs with descent (it proves nothing), and the SAT method's solver choices
// with descent (it asks no SAT question of its own).
void check_method_options(synth_method m, const tt_params& tt, double descent_s, double time_limit_s, const CLI::App& cmd,
                          const char* command) {
  if (m == synth_method::descent && !(time_limit_s > 0))
    throw std::invalid_argument(std::string(command) + ": --method descent needs a --time-limit above 0 (its budget)");
  auto given = [&cmd](const char* name) {
    const CLI::Option* opt = cmd.get_option_no_throw(name);
    return opt && opt->count() > 0;
  };
  if (m == synth_method::descent && (given("--certify") || given("--proof-dir")))
    throw std::invalid_argument(std::string(command) + ": --certify and --proof-dir are for SAT's none; --method descent only finds circuits");
  for (const char* name : {"--solver", "--cross-check", "--conflicts"})
    if (m == synth_method::descent && given(name))
      throw std::invalid_argument(std::string(command) + ": " + name +
                                  " is for the SAT method; --method descent asks none (its repairs use CaDiCaL with their own budget)");
  if ((m == synth_method::weights || m == synth_method::descent) && tt.choices_given())
    throw std::invalid_argument(std::string(command) + ": the --tt-* options choose how the tt method searches; not for --method " +
                                synth_method_name(m));
  if (m == synth_method::descent && descent_s > 0)
    throw std::invalid_argument(std::string(command) + ": --descent runs descent before SAT; with --method descent, --time-limit is its budget");
}

void add_frontier_options(CLI::App& cmd, frontier_params& fp, SatOptions& so) {
  cmd.add_option("--max-depth", fp.max_depth, "largest depth SAT tries (default 3)")->check(int_range(1, 6));
  cmd.add_option("--max-gates", fp.max_gates, "largest number of gates SAT tries (default 6)")->check(int_range(1, 16));
  cmd.add_option("--time-limit", fp.time_limit_per_query_s,
                 "CPU seconds per SAT query, a query being one template (one split of the gates into layers; a cell may "
                 "ask several, in parallel) (default 10; 0 = none)")
      ->check(seconds_check());
  cmd.add_option_function<std::string>(
         "--method", [&fp](const std::string& m) { fp.method = parse_synth_method(m); },
         "synthesis method: weights (weights in binary), tt (gate truth tables, thresholdness checked exactly), auto (default) "
         "or descent (gradient descent only: cells found or unknown, never proven)")
      ->check(CLI::IsMember({"weights", "tt", "auto", "descent"}));
  cmd.add_option("--descent", fp.descent.time_limit_s,
                 "CPU seconds of gradient descent per query before SAT (default 0: none); finds circuits SAT is slow to find, proves nothing")
      ->check(seconds_check());
  cmd.add_option("--tighten", fp.tighten_s,
                 "CPU seconds of descent per template for each size below a found cell's (j..k), from k - 1 down until one is "
                 "not found (default 0: none); after the search, so only those few questions pay for a long descent")
      ->check(seconds_check());
  cmd.add_flag_function(
      "--layered", [&fp](std::int64_t) { fp.skip = false; },
      "layered templates: a gate reads the previous layer only (default: skip wires, a gate reads the inputs and every earlier layer)");
  cmd.add_option("--counterexamples", fp.counterexamples_per_round, "wrong input patterns added per candidate circuit (default 1)")
      ->check(int_range(1, 64));
  cmd.add_flag("--orbits", fp.pattern_orbits,
               "add each wrong pattern with its images under the cyclic input shifts the function is invariant under");
  add_tt_options(cmd, fp.tt);
  cmd.add_option("--jobs", fp.tt.jobs,
                 "threads per query for tt's cubes and descent's restarts (default 1); --time-limit and --descent then count "
                 "their CPU together")
      ->check(int_range(1, 256));
  add_sat_options(cmd, so, true, true);
}

// The solver, cross-check and proof choices into the frontier's parameters; `query` prefixes the
// proof files of its queries.
void apply_sat_options(frontier_params& fp, const SatOptions& so, const std::string& query) {
  fp.descent.jobs = fp.tt.jobs;  // one --jobs for both
  fp.solver = so.chosen();
  fp.cross_check = so.cross_check;
  fp.proof = so.proof();
  fp.query = proof_file_stem(query);
}

// A cell as the tables print it, with "c" when its UNSAT answers were certified.
std::string cell_text(const frontier_cell& c) { return frontier_cell_text(c) + (c.certified ? "c" : ""); }

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t k = 0; k <= s.size(); ++k)
    if (k == s.size() || s[k] == sep) {
      parts.push_back(s.substr(start, k - start));
      start = k + 1;
    }
  return parts;
}


// ---- verify: a circuit against a task's reference solver (or an ONNX model's interpreter) ----

struct VerifyOptions {
  std::string circuit, task, encoding = "auto";
  std::vector<std::string> params;
  std::uint32_t exhaustive_bits = 24;
  std::uint64_t random = 10000, seed = 1, conflicts = 0;
  double time_limit_s = 300;
  bool json = false;
  SatOptions so;
  DistOptions dist;
  std::string model, input = "bits", softmax = "refuse";
  std::string care = "all";
};

// The library's parameters for a task check: the phases' sizes, the SAT budget and proofs, and
// the exhaustive phase spread over ranks and resumable from --state.
verify_params task_verify_params(const VerifyOptions& o, const Task& task, const TaskParams& p) {
  verify_params vp;
  vp.exhaustive_bits = o.exhaustive_bits;
  vp.random = o.random;
  vp.seed = o.seed;
  vp.sat.encoding.encoding = parse_gate_encoding(o.encoding);
  vp.sat.sat.conflicts = o.conflicts;
  vp.sat.sat.time_limit_s = o.time_limit_s;
  vp.sat.sat.solver = o.so.chosen();
  vp.sat.sat.cross_check = o.so.cross_check;
  vp.sat.proof = o.so.proof();
  vp.sat.query = proof_file_stem("verify-" + task.name);
  vp.require_certificate = o.so.certify;
  // resumable, over MPI ranks when launched so; the file's digest read only when this phase runs
  vp.exhaustive = [&o, &task, p](const Circuit& circ, const ReferenceFn& ref) {
    return dist::task_exhaustive_check(dist::file_digest(o.circuit), task, p, o.care, run_options(o.dist, "tcx verify", {}))(circ, ref);
  };
  return vp;
}

void add_task_verify_command(CLI::App& app) {
  auto o = std::make_shared<VerifyOptions>();
  auto* cmd = app.add_subcommand(
      "verify",
      "check a circuit against a task's reference solver: on every input up to --exhaustive-bits inputs (a proof), "
      "beyond by a SAT miter against the task's natural circuit (a proof, or unknown within the budget) and on "
      "random instances against the solver. Exit status: 0 correct, 1 wrong, 2 error, 3 unknown");
  cmd->add_option("circuit", o->circuit, "circuit file")->required();
  cmd->add_option("--task", o->task, "task name (tcx tasks)");
  cmd->add_option("--model", o->model, "instead of a task: an ONNX model (.onnx); the circuit is checked against its exact interpreter");
  cmd->add_option("--input", o->input, "with --model: bits, signs, int:B or uint:B (as in compile)");
  add_softmax_option(*cmd, o->softmax);
  cmd->add_option("--param", o->params, "task parameter NAME=VALUE (repeatable)");
  cmd->add_option("--exhaustive-bits", o->exhaustive_bits, "largest input count checked on every input")->check(int_range(0, 32));
  cmd->add_option("--care", o->care,
                  "the inputs the circuit must get right: all (default) or valid (the task's valid inputs only, the "
                  "others are don't-cares, as for a circuit from synth --care valid; checked on every input)")
      ->check(CLI::IsMember({"all", "valid"}));
  cmd->add_option("--random", o->random, "random instances checked against the solver beyond that");
  cmd->add_option("--seed", o->seed, "seed of the random instances");
  cmd->add_option("--encoding", o->encoding, "CNF encoding of threshold gates: auto, bdd or adder")
      ->check(CLI::IsMember({"auto", "bdd", "adder"}));
  cmd->add_option("--conflicts", o->conflicts, "SAT conflict budget (0 = none)");
  cmd->add_option("--time-limit", o->time_limit_s, "SAT time budget in CPU seconds (default 300; 0 = none); with --model: seconds for the whole check, past them unknown (default none)")->check(seconds_check());
  add_sat_options(*cmd, o->so, false, true);
  cmd->add_flag("--json", o->json, "print JSON");
  add_dist_options(*cmd, o->dist, true);
  cmd->preparse_callback([](std::size_t) { error_status = 2; });
  cmd->callback([o, cmd] {
    if (o->task.empty() == o->model.empty()) throw std::invalid_argument("give either --task NAME or --model MODEL.onnx");
    if (!o->model.empty()) {
      if (!is_onnx_path(o->model)) throw std::invalid_argument("--model takes an ONNX model (.onnx)");
      for (const char* task_only : {"--care", "--param", "--encoding", "--conflicts"})  // refused, not ignored
        if (cmd->count(task_only)) throw std::invalid_argument(std::string(task_only) + " applies with --task");
      const std::uint32_t bits = cmd->count("--exhaustive-bits") ? o->exhaustive_bits : 16;
      throw Exit{onnx_verify(o->circuit, load_circuit(o->circuit), o->model, o->input, bits, o->random, o->seed, o->json, o->softmax,
                                  cmd->count("--time-limit") ? o->time_limit_s : 0)};
    }
    if (cmd->count("--input")) throw std::invalid_argument("--input applies with --model");
    if (cmd->count("--softmax")) throw std::invalid_argument("--softmax applies with --model");
    const Task* task = &task_named(o->task);
    const TaskParams p = task->resolve(parse_task_params(o->params));
    const Circuit c = load_circuit(o->circuit);
    if (c.num_inputs() != task->input_bits(p) || c.num_outputs() != task->output_bits(p))
      throw std::invalid_argument(fmt::format("the circuit has {} inputs and {} outputs; {} at these parameters has {} and {}",
                                              c.num_inputs(), c.num_outputs(), task->name, task->input_bits(p), task->output_bits(p)));
    if (c.num_inputs() > o->exhaustive_bits && !o->dist.state.empty())
      throw std::invalid_argument("--state is for exhaustive checks (at most --exhaustive-bits inputs)");
    const verify_result r = verify_against_spec(c, task_verify_spec(*task, p, o->care == "valid"), task_verify_params(*o, *task, p));
    const std::string verdict = verdict_name(r.verdict);
    if (r.method == verify_result::Method::exhaustive && !o->so.proof_file.empty())
      std::cerr << "tcx: note: every input was simulated, which is the proof; no SAT was asked, so nothing was written to "
                << o->so.proof_file << "\n";
    const nlohmann::json j = verify_json(r, task->name, o->so.solver);
    if (o->json) {
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << verdict << " (" << r.how << ")\n";
      if (j.contains("counterexample"))
        std::cout << "  inputs  " << bits_text(r.inputs) << "  (input 0 first)\n  circuit " << bits_text(r.circuit_outputs)
                  << "\n  solver  " << bits_text(r.reference_outputs) << "\n";
    }
    throw Exit{verdict == "correct" ? 0 : verdict == "wrong" ? 1 : 3};
  });
}

// ---- synth: is there a circuit of a given shape computing a function? ----

struct SynthOptions {
  std::vector<std::string> tables, params;
  std::uint32_t inputs = 0;
  std::string circuit, task, widths;
  bool skip = false, no_symmetry = false, json = false;
  std::uint32_t max_fanin = 0, majority = 0;
  bool no_complement = false;
  std::int64_t max_weight = 0;
  double time_limit_s = 60, descent_s = 0;
  bool out_given = false;  // -o named explicitly (its default "-" prints the report and then the circuit)
  std::uint64_t conflicts = 0, seed = 1;
  std::uint32_t batch = 0;
  std::string method = "auto";
  OutputOptions out;
  SatOptions so;
  DistOptions dist;
  std::uint32_t cubes = 0;
  bool cubes_given = false;
  tt_params tt;
  std::string care = "all";
};

// The function to synthesize and its input count n, from exactly one of --table (with
// --inputs), --circuit and --task.
multi_truth_table synth_function(const SynthOptions& o, std::uint32_t& n) {
  multi_truth_table truth;
  auto from_circuit = [&](const Circuit& c) {
    if (c.num_inputs() > 22) throw std::invalid_argument("synth: the function has more than 22 inputs");
    n = c.num_inputs();
    truth = truth_tables(c);
  };
  const int sources = !o.tables.empty() + !o.circuit.empty() + !o.task.empty();
  if (sources != 1) throw std::invalid_argument("synth: give the function once: --table, --circuit or --task");
  if (!o.params.empty() && o.task.empty()) throw std::invalid_argument("synth: --param applies with --task");  // refused, not ignored
  if (!o.tables.empty()) {
    if (!o.inputs) throw std::invalid_argument("synth: --table needs --inputs");
    n = o.inputs;
    for (const std::string& hex : o.tables) {
      try {
        truth.push_back(from_hex(o.inputs, hex));
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("synth: --table '" + printable(hex) + "' " + e.what());
      }
    }
  } else if (!o.circuit.empty()) {
    from_circuit(load_circuit(o.circuit));
  } else {
    const Task* task = &task_named(o.task);
    from_circuit(task->natural_circuit(task->resolve(parse_task_params(o.params))));
  }
  if (o.care != "all" && o.task.empty()) throw std::invalid_argument("synth: --care valid needs --task (the valid inputs are the task's)");
  return truth;
}

// --care valid: the task's valid inputs (null when every input is one, or --care all).
std::shared_ptr<const truth_table> synth_care(const SynthOptions& o, std::uint32_t n) {
  if (o.care != "valid") return nullptr;
  const Task& task = task_named(o.task);
  std::optional<truth_table> valid = valid_input_table(task, task.resolve(parse_task_params(o.params)), n);
  return valid ? std::make_shared<const truth_table>(std::move(*valid)) : nullptr;
}

// The shape, gate class, budget and solver choices, checked.
synth_params synth_params_of(const SynthOptions& o, const CLI::App& cmd) {
  synth_params p;
  const std::vector<std::string> layers = split(o.widths, ',');
  if (layers.size() > 16) throw std::invalid_argument("synth: --widths has " + std::to_string(layers.size()) + " layers; at most 16");
  for (const std::string& w : layers) p.shape.widths.push_back(static_cast<std::uint32_t>(parse_integer(w, "--widths")));
  for (std::uint32_t w : p.shape.widths)
    if (w == 0 || w > 64) throw std::invalid_argument("synth: every layer needs 1 to 64 gates");
  if (std::accumulate(p.shape.widths.begin(), p.shape.widths.end(), 0u) > 256)
    throw std::invalid_argument("synth: --widths asks for more than 256 gates in all");
  p.shape.skip = o.skip;
  p.shape.max_fanin = o.max_fanin;
  p.shape.max_weight = o.max_weight;
  if (o.majority % 2 == 0 && o.majority) throw std::invalid_argument("synth: --majority needs an odd K");
  if (o.no_complement && !o.majority) throw std::invalid_argument("synth: --no-complement needs --majority");
  if (o.majority && (o.max_weight || o.max_fanin)) throw std::invalid_argument("synth: --majority fixes the weights and the fan-in");
  p.shape.majority_of = o.majority;
  p.shape.complemented = !o.no_complement;
  p.symmetry_breaking = !o.no_symmetry;
  p.time_limit_s = o.time_limit_s;
  p.conflicts = o.conflicts;
  p.seed = o.seed;
  p.method = parse_synth_method(o.method);
  p.descent.time_limit_s = o.descent_s;
  check_method_options(p.method, o.tt, o.descent_s, o.time_limit_s, cmd, "synth");
  if (cmd.count("--batch") && p.method != synth_method::descent && !(o.descent_s > 0))
    throw std::invalid_argument("synth: --batch is for descent (--method descent or --descent)");
  p.descent.batch = o.batch;
  p.tt = o.tt;
  p.descent.jobs = o.tt.jobs;  // one --jobs for both
  p.solver = o.so.chosen();
  p.cross_check = o.so.cross_check;
  p.proof = o.so.proof();
  p.proof.force = o.out.force;
  p.query = proof_file_stem("synth-" + o.widths + (o.skip ? "-skip" : ""));
  return p;
}

// Whether two paths name one file (the second may not exist yet).
static bool same_file(const std::string& a, const std::string& b) {
  std::error_code ea, eb;
  const auto ca = std::filesystem::weakly_canonical(a, ea), cb = std::filesystem::weakly_canonical(b, eb);
  return !ea && !eb && ca == cb;
}

// Why a run of certified cube units did not certify its none (each cube's record says).
static std::string why_uncertified(const synth_result& r) {
  std::string why;
  if (r.cubes_uncertified)
    why = fmt::format("{} cube(s) ran out of the budget for their proof (--resume --certify asks them again, perhaps with a larger "
                      "--time-limit)", r.cubes_uncertified);
  if (r.cubes_uncertifiable)
    why += fmt::format("{}{} cube(s) had their solver add symmetry-breaking clauses for input patterns put in play later, which one "
                       "proof per cube cannot carry: --state cannot certify this question (certify it whole: one process, without "
                       "--state)", why.empty() ? "" : "; ", r.cubes_uncertifiable);
  return why.empty() ? "the clauses all cubes share, or the cubes' cover of them, did not check out" : why;
}

// The question asked whole, or in units over the runner's ranks (recorded in --state): the
// library's choice (dist/synth_run.hpp), which Python's synth makes too.
synth_result run_synth(const SynthOptions& o, std::uint32_t n, const multi_truth_table& truth, const synth_params& p) {
  if (o.dist.state.empty() && (o.dist.resume || o.dist.restart))  // not left unread on the paths without a state file
    throw std::invalid_argument("--resume and --restart need --state FILE");
  if (!o.dist.state.empty() && !o.out.path.empty() && !is_stdout_path(o.out.path) && same_file(o.out.path, o.dist.state))
    throw std::invalid_argument("-o " + o.out.path + ": names the --state file");
  dist::synth_run_params r;
  if (o.cubes_given) r.cubes = o.cubes;
  r.widths_text = o.widths;
  r.care = o.care;
  r.threads = o.tt.jobs;
  r.state = state_options(o.dist);
  return dist::synthesize_run(n, truth, p, r);
}

// ", N of them answered before (the state file; X s CPU then)" for a resumed run.
// And for cubes as units, the longest one.
std::string resumed_cubes(const synth_result& r) {
  std::string s = r.cubes_resumed ? fmt::format(", {} of them answered before (the state file; {:.3f} s CPU then)", r.cubes_resumed, r.resumed_seconds)
                                  : std::string();
  if (r.longest_cube >= 0)
    s += fmt::format(", the longest cube {} ({}) with {:.3f} s", r.longest_cube, r.longest_cube_assumes, r.longest_cube_seconds);
  return s;
}

// Prints the answer (and writes the circuit found); the exit status is the answer: 0 found, 1 none, 3 unknown.
[[noreturn]] void report_synth(const SynthOptions& o, std::uint32_t n, const synth_params& p, const synth_result& r) {
  const std::string shape = o.widths + (o.skip ? " with skip wires" : " layered") +
                            (o.majority ? fmt::format(" of MAJ{} gates{}", o.majority, o.no_complement ? " without complements" : "") : "");
  const std::string on_care = p.care ? " on its valid inputs (--care valid)" : "";
  std::string figures =
      // CPU seconds, what --time-limit counts (on a busy machine the wall clock runs longer).
      fmt::format("method {}, {} solver calls, {} input patterns used, {} variables, {} clauses{}, {:.3f} s CPU", synth_method_name(r.method),
                  r.solver_calls, r.patterns, r.vars, r.clauses,
                  r.method == synth_method::tt ? fmt::format(" ({} certificate clauses{})", r.lemmas,
                                                             r.cubes ? fmt::format(", {} cubes{}", r.cubes, resumed_cubes(r)) : std::string())
                                               : std::string(),
                  r.seconds - (r.method == synth_method::descent ? 0 : r.descent_seconds));
  const std::string descent_figures =
      fmt::format("{} restart{} of gradient descent and {} SAT repair{}, {:.3f} s CPU", r.descent_restarts, r.descent_restarts == 1 ? "" : "s",
                  r.descent_repairs, r.descent_repairs == 1 ? "" : "s", r.descent_seconds);
  if (r.method == synth_method::descent)
    figures = "method descent, " + descent_figures +
              (r.answer != synth_result::sat ? ""
               : r.descent_repaired     ? ", a near miss completed by SAT (some gates kept from descent, the others SAT's, exact weights)"
                                        : ", every gate refitted exactly");
  else if (r.descent_restarts)
    figures += "; before it, no circuit in " + descent_figures;
  // tt's cubes as units, certified: every cube none (then unknown when not certified, see synth's callback).
  if (r.cube_units && p.proof.certify && r.answer != synth_result::sat && r.cubes_unanswered == 0) {
    figures += r.certified ? fmt::format("; certified: each of the {} cubes by its own DRAT proof, checked by tcx's DRAT checker, and "
                                         "every one of the {} clauses checked sound (those all cubes share once, {} of them by the "
                                         "symmetry rules' checked premises, and those each cube's solver added by their meaning; {} "
                                         "exact LPs, {:.3f} s), the cubes covering every assignment the shared clauses allow",
                                         r.cubes, r.soundness_clauses, r.soundness_symmetry, r.soundness_lps, r.soundness_seconds)
                           : "; not certified: " + why_uncertified(r);
  }
  if (r.answer == synth_result::unsat && !r.proofs.empty()) {
    if (!o.so.proof_dir.empty()) figures += fmt::format("; {} DRAT proof(s) in {}", r.proofs.size(), o.so.proof_dir);
    if (r.certified) figures += "; certified: every proof was checked by tcx's DRAT checker";
    if (r.certified && r.cubes) figures += fmt::format(" (one proof through all {} cubes, joined up to the empty clause)", r.cubes);
    if (r.certified && r.method == synth_method::tt)
      figures += fmt::format(" and every one of the {} clauses checked sound ({}{} exact LPs, {:.3f} s)", r.soundness_clauses,
                             r.soundness_symmetry ? fmt::format("{} by the symmetry rules' checked premises, ", r.soundness_symmetry) : std::string(),
                             r.soundness_lps, r.soundness_seconds);
  }
  nlohmann::json j = synth_json(r, p, o.widths, p.proof.wanted());
  if (r.answer == synth_result::sat) j["circuit"] = to_json(r.circuit);  // --json alone keeps the circuit (tcx's JSON format)
  if (r.answer == synth_result::sat) {
    const circuit_stats st = analyze(r.circuit);
    if (!is_stdout_path(o.out.path)) write_output(o.out, render_circuit(r.circuit, output_format("", o.out.path)));
    if (o.json) std::cout << j.dump(2) << "\n";
    else {
      const std::string checked = p.care ? fmt::format("verified on the {} valid inputs of {} (--care valid; the others are don't-cares)",
                                                       count_ones(*p.care), std::uint64_t(1) << n)
                                         : fmt::format("verified on all {} inputs", std::uint64_t(1) << n);
      // With -o naming standard output, the stream is the circuit alone: the report goes to stderr.
      (o.out_given ? std::cerr : std::cout)
          << fmt::format("found: depth {}, {} gates (shape {}), {}; {}\n", st.depth, st.gates, shape, checked, figures);
      if (is_stdout_path(o.out.path)) std::cout << write_circuit(r.circuit, CircuitFormat::tc);
    }
    throw Exit{0};
  }
  if (r.answer == synth_result::unsat) {
    if (o.json) std::cout << j.dump(2) << "\n";
    else if (o.majority)
      std::cout << "none: no circuit of shape " << shape << " computes it" << on_care << " (" << figures << ")\n";
    else if (r.unsat_for_all_weights)
      std::cout << "none: no threshold circuit of shape " << shape << " computes it" << on_care << ", whatever its weights (" << figures
                << ")\n";
    else if (r.max_fanin && !o.max_weight)  // the weights cover every function of that fan-in: only the fan-in binds
      std::cout << "none with fan-in <= " << r.max_fanin << ": no threshold circuit of shape " << shape
                << " whose gates read at most " << r.max_fanin << " sources computes it" << on_care
                << ", whatever its weights (a wider fan-in might allow one; " << figures << ")\n";
    else if (r.max_fanin)
      std::cout << "none with fan-in <= " << r.max_fanin << " and |w| <= " << r.weight_bound << ": no circuit of shape " << shape
                << " within those bounds" << on_care << " (a wider fan-in or larger weights might allow one; " << figures << ")\n";
    else
      std::cout << "none with |w| <= " << r.weight_bound << ": no circuit of shape " << shape
                << " within that weight bound" << on_care << " (larger weights might allow one; " << figures << ")\n";
    throw Exit{1};
  }
  if (o.json) std::cout << j.dump(2) << "\n";
  else if (r.method == synth_method::descent)
    std::cout << "unknown: descent found no circuit of shape " << shape << " within the budget; this proves nothing (" << figures
              << (r.descent_best_errors ? fmt::format("; the nearest miss got {} cared input{} wrong", r.descent_best_errors, r.descent_best_errors == 1 ? "" : "s") : "") << ")\n";
  else if (r.cube_units && p.proof.certify && r.cubes_unanswered == 0)
    std::cout << "unknown: no circuit of shape " << shape << " in any of the " << r.cubes << " cubes, but --certify asks for more ("
              << figures << ")\n";
  else if (r.cubes_unanswered)
    std::cout << fmt::format("unknown: {} of the {} cubes without an answer within the budget of each (--time-limit, --conflicts){}{} ({})\n",
                             r.cubes_unanswered, r.cubes, o.dist.state.empty() ? "" : "; --resume asks them again, perhaps with a larger budget",
                             r.cubes_uncertified || r.cubes_uncertifiable ? "; of the nones, not certified: " + why_uncertified(r) : "", figures);
  else std::cout << "unknown: " << (ctrl_c_pressed() ? "interrupted (Ctrl-C)" : "the budget ran out") << " (" << figures << ")\n";
  throw Exit{3};
}

void add_synth_command(CLI::App& app) {
  auto o = std::make_shared<SynthOptions>();
  auto* cmd = app.add_subcommand(
      "synth",
      "is there a threshold circuit of a given shape computing a function on every input? SAT with the circuit "
      "(verified on every input), UNSAT (none of this shape; says whether for all weights or within the weight "
      "bound), or unknown within the budget. Exit status: 0 found, 1 none, 2 error, 3 unknown");
  cmd->add_option("--table", o->tables, "the function as hex truth tables, one per output (bit p = row p), with --inputs");
  cmd->add_option("--inputs", o->inputs, "number of inputs of --table")->check(int_range(1, 22));
  cmd->add_option("--circuit", o->circuit, "the function of an existing circuit");
  cmd->add_option("--task", o->task, "the function of a task instance (tcx tasks)");
  cmd->add_option("--param", o->params, "task parameter NAME=VALUE (repeatable)");
  cmd->add_option("--widths", o->widths, "gates per layer, inputs side first, e.g. 3,1 (the last layer: the outputs)")->required();
  cmd->add_flag("--skip", o->skip, "skip wires: a gate reads the inputs and every earlier layer (default: the previous layer)");
  cmd->add_option("--max-fanin", o->max_fanin, "at most this many nonzero weights per gate (0 = no bound)");
  cmd->add_option("--max-weight", o->max_weight, "|w| <= W for every weight (default: per gate, enough for its fan-in up to 8)")
      ->check(int_range(std::int64_t(1), std::int64_t(1) << 20));
  cmd->add_option("--majority", o->majority, "gate class: majority of exactly K sources (K odd) instead of any threshold gate")
      ->check(int_range(1, 15));
  cmd->add_flag("--no-complement", o->no_complement, "--majority: sources may not be complemented (as ABC's majexact)");
  cmd->add_flag("--no-symmetry", o->no_symmetry, "turn off symmetry breaking (docs/provers.md)");
  cmd->add_option("--method", o->method,
                  "weights (weights and thresholds in binary), tt (gate truth tables, thresholdness checked exactly; no weight "
                  "bound), auto (default: tt unless --max-weight, --max-fanin or --majority) or descent (no SAT: gradient descent "
                  "for --time-limit CPU seconds, then an exact refit of every gate; found or unknown, never none)")
      ->check(CLI::IsMember({"weights", "tt", "auto", "descent"}));
  cmd->add_option("--descent", o->descent_s,
                  "CPU seconds of gradient descent before the SAT method (default 0: none); finds circuits SAT is slow to find, proves nothing")
      ->check(seconds_check());
  cmd->add_option("--batch", o->batch,
                  "descent: cared inputs per gradient step, drawn at random (default 0: all of them up to 65,536, else 8,192); "
                  "checkpoints, refits and the final check still read every one")
      ->check(int_range(0u, 1u << 22));
  add_tt_options(*cmd, o->tt);
  cmd->add_option("--time-limit", o->time_limit_s,
                  "solver CPU seconds in all (default 60; 0 = none, except for --method descent: its budget); per cube when "
                  "tt's cubes are units (--state, or under mpirun)")
      ->check(seconds_check());
  cmd->add_option("--conflicts", o->conflicts, "conflicts per solver call (0 = none)");
  cmd->add_option("--jobs", o->tt.jobs,
                  "threads for tt's cubes and descent's restarts (default 1); --time-limit and --descent then count their CPU "
                  "together (with --state, tt's cubes on this many threads, each cube with its own --time-limit)")
      ->check(int_range(1, 256));
  cmd->add_option("--seed", o->seed,
                  "seed of the first patterns and of descent's restarts (the answer is deterministic for a seed, except which of "
                  "descent's restarts answers first with --jobs > 1)");
  add_output_options(*cmd, o->out);
  add_sat_options(*cmd, o->so, true, false);
  // synth has one --force for both (synth_params_of passes it to the proof files).
  cmd->get_option("--force")->description("replace the output file and the proof files in --proof-dir if they exist");
  cmd->add_flag("--json", o->json, "print JSON");
  cmd->add_option("--cubes", o->cubes,
                  "cube-and-conquer over processes (MPI ranks; the weights method: it fixes weight signs): split the question into 3^K cubes (the first gate's weight on each of its first K "
                  "sources zero, positive or negative), each with the full --time-limit; under mpirun the default gives "
                  "each rank about 4 cubes")
      ->check(int_range(0, 12));
  cmd->add_option("--care", o->care,
                  "with --task: the inputs the circuit must get right: all (default) or valid (the task's valid encodings "
                  "only, as frontier --care valid; the others are don't-cares)")
      ->check(CLI::IsMember({"all", "valid"}));
  add_dist_options(*cmd, o->dist);
  cmd->get_option("--state")->description(
      "record each cube's answer in this file as it comes (atomically), so that --resume continues a run that was stopped or "
      "killed: tt's cubes (--method tt; --tt-cubes picks them; under mpirun spread over the ranks), each with its own "
      "--time-limit, a cube left unknown asked again on --resume, with --certify each cube's none by its own checked "
      "proof; or the weights method's --cubes");
  cmd->get_option("--progress")->description("report the cubes done / total, rate and time left on stderr, even when stderr is not a "
                                             "terminal, where cubes are units (tt's with --state or under mpirun, or --cubes K); a "
                                             "question asked whole reports none");
  cmd->preparse_callback([](std::size_t) { error_status = 2; });
  cmd->callback([o, cmd] {
    o->cubes_given = cmd->count("--cubes") > 0;
    o->out_given = cmd->count("--output") > 0;
    if (o->out_given && is_stdout_path(o->out.path) && o->json)
      throw std::invalid_argument("synth: --json and -o " + o->out.path + " would both write standard output; give -o FILE "
                                  "(the JSON holds the circuit under \"circuit\")");
    std::uint32_t n = 0;
    const multi_truth_table truth = synth_function(*o, n);
    synth_params p = synth_params_of(*o, *cmd);
    p.care = synth_care(*o, n);
    refuse_existing_output(o->out);  // before the search, not after it
    synth_result r = run_synth(*o, n, truth, p);
    // --certify: "none" only with every proof checked (a budget that stops the re-solve or the
    // checker leaves the answer unknown).
    if (o->so.certify && r.answer == synth_result::unsat && !r.certified) r.answer = synth_result::unknown;
    report_synth(*o, n, p, r);
  });
}

// ---- frontier and bounds: the smallest circuits SAT finds for a task ----

// What frontier and bounds both read: the task, its parameters, the search and the solver.
struct TaskFrontierOptions {
  std::string task;
  std::vector<std::string> params;
  frontier_params fp;
  SatOptions so;
  bool json = false;
};

struct FrontierOptions : TaskFrontierOptions {
  std::string over, sizes;
  DistOptions dist;
  std::string care = "all";
};

void add_frontier_command(CLI::App& app) {
  auto o = std::make_shared<FrontierOptions>();
  auto* cmd = app.add_subcommand(
      "frontier",
      "the smallest threshold circuits SAT can find for a task as its size grows: for each size and each depth d, "
      "the fewest gates of any circuit of at most d layers (skip wires allowed), marked proven minimal (every "
      "smaller size UNSAT), found, none within the gate budget (proven), or unknown. Exit status: 0 with the table, whatever its cells "
      "(an unknown cell is ?>k in it), 2 usage error");
  cmd->add_option("--task", o->task, "task name (tcx tasks)")->required();
  cmd->add_option("--over", o->over, "the parameter that grows (default: the task's first)");
  cmd->add_option("--sizes", o->sizes, "its values A..B")->required();
  cmd->add_option("--param", o->params, "other task parameters NAME=VALUE");
  add_frontier_options(*cmd, o->fp, o->so);
  cmd->add_flag("--json", o->json, "print JSON");
  cmd->add_option("--care", o->care,
                  "the inputs a circuit must get right: all (default) or valid (the task's valid encodings only, e.g. group codes "
                  "below the order; the others are don't-cares)")
      ->check(CLI::IsMember({"all", "valid"}));
  add_dist_options(*cmd, o->dist);
  cmd->callback([o, cmd] {
    const Task* task = &task_named(o->task);
    const std::string over = o->over.empty() ? task->params.at(0).name : o->over;
    TaskParams base = parse_task_params(o->params);
    if (base.count(over))
      throw std::invalid_argument(fmt::format("--param {}: {} is the parameter that grows (--over); its values come from --sizes", over, over));
    frontier_params fp = o->fp;
    check_method_options(fp.method, fp.tt, fp.descent.time_limit_s, fp.time_limit_per_query_s, *cmd, "frontier");
    // Bad sizes and parameters are reported before any output.
    const std::vector<std::int64_t> sizes = size_range(o->sizes, "+1", "--sizes");
    for (std::int64_t v : sizes) {
      TaskParams p = base;
      p[over] = v;
      task->resolve(p);
    }
    nlohmann::json rows = nlohmann::json::array();
    bool header = o->json;  // printed with the first row, after any error in the options or the state file
    auto print_header = [&] {
      if (header) return;
      header = true;
      std::cout << fmt::format("{:>8}", over);
      for (std::uint32_t d = 1; d <= o->fp.max_depth; ++d) std::cout << fmt::format(" {:>10}", "depth " + std::to_string(d));
      // The legend names every mark a cell can show, and the right-hand reading.
      std::cout << "   (fewest gates at depth <= d: k* proven minimal, j..k found with k gates (fewer than j refuted), - none within " << o->fp.max_gates
                << " gates (proven), ?>k unknown (every size up to k refuted)"
                << (o->so.certify ? "; c certified: every UNSAT answer's DRAT proof checked, and with tt every clause checked sound (right: every cell the depth rests on)" : "")
                << (o->care == "valid" ? "; on the task's valid inputs only (--care valid)" : "")
                << (o->fp.skip ? "" : "; layered circuits only: a gate reads the previous layer (--layered)")
                << (o->fp.tighten_s > 0 ? fmt::format("; found cells tightened by {} s of descent per smaller template (--tighten)", o->fp.tighten_s) : "")
                << "; right: the smallest depth within each budget of 1.." << o->fp.max_gates << " gates)\n";
    };
    // The rows' functions, then their questions spread over the runner's ranks, rows printed in
    // order (dist/work.hpp).
    apply_sat_options(fp, o->so, task->name);
    const std::vector<dist::frontier_row_question> questions = dist::task_frontier_rows(*task, over, sizes, base, fp, o->care == "valid");
    for (std::size_t k = 0; k < sizes.size(); ++k)
      if (questions[k].truth.size() > fp.max_gates && dist::is_root())  // a true but empty "-": say why, once per row
        std::cerr << fmt::format("tcx: note: {}={}: {} outputs, more than --max-gates {}: every cell is '-' (each output is a gate of its own)\n",
                                 over, sizes[k], questions[k].truth.size(), fp.max_gates);
    auto print_row = [&](std::uint64_t k, const std::vector<frontier_cell>& cells) {
      print_header();
      const std::int64_t v = sizes[k];
      std::string line = fmt::format("{:>8}", v);
      for (const frontier_cell& c : cells) line += fmt::format(" {:>10}", cell_text(c));
      const nlohmann::json row = frontier_row_json(over, v, cells, o->fp.max_gates, o->so.certify);
      std::string by_budget;
      for (const auto& b : row["smallest_depth_by_budget"])
        by_budget += " " + b["depth"].get<std::string>() + (b.value("certified", false) ? "c" : "");
      if (o->json) rows.push_back(row);
      else std::cout << line << "   depth for 1.." << o->fp.max_gates << " gates:" << by_budget << std::endl;
    };
    // Tightening runs after the search, so that a long descent never holds up the ranks' questions;
    // the rows are then printed at the end.
    const bool tighten = fp.tighten_s > 0;
    std::function<void(std::uint64_t, const std::vector<frontier_cell>&)> on_row;
    if (!tighten) on_row = print_row;
    const dist::run_options ro = dist::task_frontier_run_options(
        state_options(o->dist), dist::task_frontier_key(*task, over, sizes, o->sizes, base, fp, o->care == "valid"), fp, "tcx frontier");
    const auto cells = dist::frontier_by_questions(questions, fp, on_row, ro);
    if (tighten && dist::is_root())
      for (std::size_t k = 0; k < cells.size(); ++k) {
        frontier_params fq = fp;
        fq.query = questions[k].query;
        fq.care = questions[k].care;
        print_row(k, frontier_tighten(questions[k].inputs, questions[k].truth, fq, cells[k]));
      }
    // The search's bounds beside the rows, so that a "none" cell (gates: the budget) reads alone.
    if (o->json)
      std::cout << nlohmann::json{{"task", task->name},          {"over", over},
                                  {"max_depth", fp.max_depth},   {"max_gates", fp.max_gates},
                                  {"method", synth_method_name(fp.method)}, {"layered", !fp.skip},
                                  {"care", o->care},             {"rows", rows}}
                       .dump(2)
                << "\n";
  });
}

void add_bounds_command(CLI::App& app) {
  auto o = std::make_shared<TaskFrontierOptions>();
  auto* cmd = app.add_subcommand(
      "bounds",
      "what is known about one task instance, each figure labelled with where it comes from: the natural "
      "circuit (an upper bound), SAT (the smallest circuits found and what it proved impossible, for the shapes "
      "searched), and the task's complexity class from the literature");
  cmd->add_option("--task", o->task, "task name (tcx tasks)")->required();
  cmd->add_option("--param", o->params, "task parameter NAME=VALUE (repeatable)");
  add_frontier_options(*cmd, o->fp, o->so);
  cmd->add_flag("--json", o->json, "print JSON");
  auto care = std::make_shared<std::string>("all");
  cmd->add_option("--care", *care,
                  "the inputs a circuit must get right: all (default) or valid (the task's valid encodings only, as frontier "
                  "--care valid; the natural circuit's figures stay those of the total function)")
      ->check(CLI::IsMember({"all", "valid"}));
  cmd->callback([o, care, cmd] {
    check_method_options(o->fp.method, o->fp.tt, o->fp.descent.time_limit_s, o->fp.time_limit_per_query_s, *cmd, "bounds");
    const Task* task = &task_named(o->task);
    const TaskParams p = task->resolve(parse_task_params(o->params));
    const Circuit natural = task->natural_circuit(p);
    const circuit_stats st = analyze(natural);
    bounds_facts facts{task->name, p, st.depth, st.gates, st.wires, task->complexity, nullptr, o->fp.max_gates, o->so.certify};
    facts.search = &o->fp;
    std::vector<std::string> lines;
    lines.push_back(fmt::format("upper bound (natural circuit): depth {}, {} gates, {} wires", st.depth, st.gates, st.wires));
    std::vector<frontier_cell> cells;
    if (natural.num_inputs() <= frontier_max_inputs(o->fp)) {
      // The search can take minutes with no line printed: at a terminal, say so up front.
      if (isatty(STDERR_FILENO))
        std::cerr << fmt::format("tcx bounds: SAT tries templates of 1 to {} gates at depth <= {}, {}; this can take minutes "
                                 "(--max-gates, --max-depth, --time-limit)\n",
                                 o->fp.max_gates, o->fp.max_depth,
                                 o->fp.time_limit_per_query_s > 0 ? fmt::format("up to {} CPU seconds each", o->fp.time_limit_per_query_s)
                                                                  : std::string("with no time limit"));
      frontier_params fp = o->fp;
      apply_sat_options(fp, o->so, "bounds-" + task->name);
      fp.care = valid_input_care(*task, p, natural.num_inputs(), *care == "valid");
      cells = frontier(natural.num_inputs(), truth_tables(natural), fp);
      facts.cells = &cells;
      // What "impossible" covers: tt decides thresholdness exactly (any weights); weights bounds them by the fan-in.
      facts.searched_by = frontier_searched_by(fp);
      lines.push_back(fmt::format("searched ({} templates, {}{}):", o->fp.skip ? "skip-wire" : "layered",
                                  fp.method == synth_method::weights   ? "every weight range covering its fan-in"
                                  : fp.method == synth_method::descent ? "gradient descent and exact integer weights: finds circuits, proves nothing"
                                                                       : "any weights: gate functions checked for thresholdness exactly",
                                  fp.care ? "; on the valid inputs only, --care valid" : ""));
      for (std::size_t d = 0; d < cells.size(); ++d)
        lines.push_back("  " + bounds_cell_text(cells[d], static_cast<std::uint32_t>(d + 1), o->fp.max_gates, facts.searched_by));
    } else {
      lines.push_back(fmt::format("SAT: not run ({} inputs; the synthesis here takes at most {})", natural.num_inputs(),
                                  frontier_max_inputs(o->fp)));
    }
    nlohmann::json j = bounds_json(facts);
    if (*care == "valid") j["care"] = "valid";
    lines.push_back("literature: " + task->complexity);
    if (o->json) std::cout << j.dump(2) << "\n";
    else
      for (const std::string& l : lines) std::cout << l << "\n";
  });
}

}  // namespace

void add_prover_commands(CLI::App& app) {
  add_task_verify_command(app);
  add_synth_command(app);
  add_frontier_command(app);
  add_bounds_command(app);
}

}  // namespace tcx::cli
