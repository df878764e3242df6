// The frontier's cells beyond what the report can spend: circuits found by long descent runs
// (examples/frontier/, built in) checked here on every cared input, the cheap part of each lower
// bound rerun here, and the rest of it quoted with the command and time that proved it.
#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "circuits/analysis.hpp"
#include "circuits/io/tc_format.hpp"
#include "circuits/simulate.hpp"
#include "circuits/truth_table.hpp"
#include "provers/verify.hpp"
#include "report/embedded.hpp"
#include "report/frontier_long_runs.hpp"
#include "tasks/verify_spec.hpp"

namespace tcx::report {

namespace {

struct long_run {
  std::string title;  // the panel's
  std::string task, over;
  TaskParams params;
  bool valid_only = false;
  std::uint32_t depth = 2;  // the cell: fewest gates at depth <= this
  std::string file;         // the circuit, examples/frontier/...
  std::string found_by;     // the command that found it, and its cost
  std::uint32_t at_least = 0;  // every size below this refuted at every depth up to `depth`
  std::string refuted_by;      // the refutation behind at_least, with its command and cost
};

// Measured in docs/provers.md ("The target cells") and docs/perf.md; a lower bound that
// takes minutes is quoted, and the report reruns what fits its budget.
const std::vector<long_run>& long_runs() {
  static const std::vector<long_run> runs{
      {"Rule 110, centre cell after t steps", "eca", "steps", {{"cells", 9}, {"cell", 4}, {"steps", 4}}, false, 2,
       "examples/frontier/eca_rule110_t4_depth2_6gates.tc",
       "`tcx synth --task eca --param cells=9 --param cell=4 --param steps=4 --widths 5,1 --skip --method descent --time-limit 1200 "
       "--jobs 2`: 522 s CPU",
       5,
       "3,1 refuted by tt in 256 cubes, 197-272 s CPU, and certified (a DRAT proof through the cubes) in 623-693 s: `tcx synth "
       "--task eca --param cells=9 --param cell=4 --param steps=4 --widths 3,1 --skip --method tt --time-limit 900`"},
      {"S_3 word problem (every code)", "word_s3", "n", {{"n", 3}}, false, 2, "examples/frontier/word_s3_n3_depth2_11gates.tc",
       "`tcx synth --task word_s3 --param n=3 --widths 10,1 --skip --method descent --time-limit 1200 --jobs 2`: 317 s CPU", 5,
       "3,1 refuted by tt in 512 cubes, 136-232 s CPU, and certified in 489-601 s: `tcx synth --task word_s3 --param n=3 --widths "
       "3,1 --skip --method tt --time-limit 900`"},
      {"A_5 word problem (valid codes)", "word_a5", "n", {{"n", 2}}, true, 2, "examples/frontier/word_a5_n2_valid_depth2_15gates.tc",
       "`tcx synth --task word_a5 --param n=2 --widths 14,1 --skip --care valid --method descent --time-limit 300 --jobs 2`: 32 s CPU",
       3, "1,1 refuted by tt in under a second (rerun here)"},
      {"S_3 word problem (valid codes)", "word_s3", "n", {{"n", 4}}, true, 2, "examples/frontier/word_s3_n4_valid_depth2_21gates.tc",
       "`tcx synth --task word_s3 --param n=4 --widths 20,1 --skip --care valid --method descent --time-limit 600`: 122 s CPU", 4,
       "2,1 refuted by tt in 120 s CPU and certified in 112 s: `tcx synth --task word_s3 --param n=4 --care valid --widths 2,1 --skip "
       "--method tt --time-limit 900`"},
      {"S_5 word problem (valid codes)", "word_s5", "n", {{"n", 2}}, true, 2, "examples/frontier/word_s5_n2_valid_depth2_23gates.tc",
       "`tcx synth --task word_s5 --param n=2 --widths 22,1 --skip --care valid --method descent --time-limit 600`: 405 s CPU", 2,
       "one gate refuted by tt at once (rerun here); 1,1 is unknown after 120 s"},
      {"circuit value, g program gates", "cvp", "gates", {{"inputs", 1}, {"gates", 2}}, false, 2, "examples/frontier/cvp_g2_depth2_21gates.tc",
       "`tcx synth --task cvp --param inputs=1 --param gates=2 --widths 20,1 --skip --method descent --time-limit 600`: 49 s CPU", 4,
       "2,1 refuted by tt in 42 s CPU and certified in 47 s: `tcx synth --task cvp --param inputs=1 --param gates=2 --widths 2,1 --skip "
       "--method tt --time-limit 900`"},
  };
  return runs;
}

// `tcx reproduce --long`: a query's CPU cap when the refutations are rerun in full (the slowest,
// Rule 110's 3,1, takes 197-272 s).
constexpr double long_rerun_cap_s = 1800;

// The verification row of a long run's recorded lower bound, from the rerun's: passed when every
// size below it was refuted again here (on all `cared` inputs), failed when a circuit below it
// was found (or, with --long, a size left open), and otherwise quoted: the rerun's time per query
// reaches only the smaller sizes, so the bound is the recorded run's, not this run's.
report_check lower_bound_check(const long_run& lr, std::uint32_t rerun_at_least, std::uint64_t cared, bool long_runs) {
  const std::string head = fmt::format("frontier long run {}: the recorded lower bound of {} gates at depth <= {}", lr.file, lr.at_least, lr.depth);
  if (rerun_at_least == lr.at_least)
    return {head + fmt::format(", every size below it refuted again here by tt{}", long_runs ? " (--long)" : ""), "all", cared, true};
  if (rerun_at_least == 0) return {head + ": a circuit below it found by tt here", "all", cared, false};
  const std::string rerun = rerun_at_least > 1 ? fmt::format("tt refuted again only the sizes up to {}", rerun_at_least - 1)
                                               : std::string("tt refuted no size again");
  if (long_runs) return {head + fmt::format(" NOT refuted again in full (--long): {}", rerun), "all", 0, false};
  return {.item = head + fmt::format(", quoted from its recorded run, not re-checked in full in this run ({} within its time per query)", rerun),
          .inputs = "quoted",
          .quoted = true};
}

}  // namespace

void add_frontier_long_runs(report_context& ctx, report_section& s, const live_frontier_rows& live) {
  const bool q = ctx.params.quick;
  s.blocks.push_back(paragraph{
      "**Beyond the tables: long runs.** Some cells need more than the report can spend: a lower bound that takes tt minutes "
      "of cubes, a circuit that takes descent minutes of restarts. Their circuits are built into tcx (examples/frontier/) and "
      "checked here on every input that counts, with their depth and size; " +
      std::string(ctx.params.long_runs ? "every lower bound is rerun here in full (tt on every core, `--long`), beside the time it was recorded with "
                                       : "the cheap part of each lower bound is rerun here (tt, the section's time per query), and the rest "
                                         "is quoted with its command and time (docs/provers.md; `tcx reproduce --long` reruns it all, a few "
                                         "minutes more)") +
      ". Each cell reads `j..k`: k gates found, fewer than j refuted; the minimum lies between, and the plot draws both ends."});
  report_table table;
  table.columns = {"instance", "depth ≤", "cell", "circuit", "gates", "inputs checked", "checked here", "at least (rerun here)",
                   "rerun s", "at least (recorded)", "the recorded refutation", "the circuit found by"};
  table.numeric = {false, true, false, false, true, true, false, true, true, true, false, false};
  report_figure fig;
  fig.id = "frontier_long";
  fig.message = "With the long runs, the fewest gates of the serial tasks keep growing past the sizes the tables reach.";
  fig.caption = "Fewest threshold gates at the long run's depth bound (skip wires) over instance size, one panel per task: the "
                "section's table rows (filled: proven minimal; hollow: found; arrow: open, at least that many) and, at the "
                "largest size, the long run's cell: hollow at the circuit's size (checked here), the arrow at the size below "
                "which every circuit is refuted.";
  fig.source = "frontier_long_runs.csv (data.json: /frontier/long_runs)";
  fig.command = s.command;
  fig.plot.key = {{"proven minimal", mark::filled, 6, 0}, {"found", mark::hollow, 6, 0}, {"at least (refuted below)", mark::at_least, 6, 0}};
  fig.plot.panel_width = 300;
  fig.plot.panel_height = 260;
  nlohmann::json runs = nlohmann::json::array();
  std::string csv = csv_line("task", "parameters", "care", "depth", "cell", "file", "gates", "circuit_depth", "inputs_checked", "correct",
                             "at_least_recorded", "at_least_rerun");
  for (const long_run& lr : long_runs()) {
    ctx.progress("frontier long run " + lr.file);
    const Task& t = task_named(lr.task);
    const TaskParams p = t.resolve(lr.params);
    // The circuit: parsed from the built-in file, checked against the task's reference solver.
    const Circuit c = read_tc(embedded_file(lr.file), lr.file);
    const circuit_stats st = analyze(c);
    verify_params vp;
    vp.exhaustive_bits = 16;
    const verify_result v = verify_against_spec(c, task_verify_spec(t, p, lr.valid_only), vp);
    const bool correct = v.verdict == verify_result::Verdict::correct && v.method == verify_result::Method::exhaustive &&
                         c.num_inputs() == t.input_bits(p) && st.depth <= lr.depth;
    ctx.checks.push_back({fmt::format("frontier long run {}: {} gates at depth {}, against the {} reference on every {}input", lr.file,
                                      st.gates, st.depth, lr.task, lr.valid_only ? "valid " : ""),
                          "all", v.inputs_checked, correct});
    // The lower bound, as far as the section's budget reaches.
    const Circuit natural = t.natural_circuit(p);
    frontier_params fp;
    fp.max_depth = lr.depth;
    fp.max_gates = lr.at_least - 1;
    fp.method = synth_method::tt;
    fp.time_limit_per_query_s = q ? 1 : 2;
    if (ctx.params.long_runs) {  // the whole refutation: minutes of cubes, on every core
      fp.time_limit_per_query_s = long_rerun_cap_s;
      fp.tt.jobs = std::max(1u, std::thread::hardware_concurrency());
    }
    fp.care = valid_input_care(t, p, natural.num_inputs(), lr.valid_only);
    const std::vector<frontier_cell> cells = frontier(natural.num_inputs(), truth_tables(natural), fp);
    const frontier_cell& cell = cells.back();
    double rerun_seconds = 0;
    for (const frontier_cell& d : cells) rerun_seconds += d.seconds;
    const std::uint32_t rerun_at_least = cell.status == frontier_cell::none_within_budget ? lr.at_least
                                         : cell.status == frontier_cell::unknown            ? cell.gates + 1
                                                                                            : 0;  // a circuit below the bound
    const std::uint64_t cared = fp.care ? count_ones(*fp.care) : std::uint64_t(1) << natural.num_inputs();
    ctx.checks.push_back(lower_bound_check(lr, rerun_at_least, cared, ctx.params.long_runs));
    const std::string cell_text = fmt::format("{}..{}", lr.at_least, st.gates);
    const std::string verdict = correct ? "right" : "WRONG";
    std::string params, flags;  // "n=3", " --param n=3"
    for (const auto& [k, val] : lr.params) {
      params += fmt::format("{}{}={}", params.empty() ? "" : " ", k, val);
      flags += fmt::format(" --param {}={}", k, val);
    }
    const std::size_t i = runs.size();
    runs.push_back({{"task", lr.task},
                    {"params", lr.params},
                    {"care", lr.valid_only ? "valid" : "all"},
                    {"depth", lr.depth},
                    {"cell", cell_text},
                    {"file", lr.file},
                    {"gates", st.gates},
                    {"circuit_depth", st.depth},
                    {"inputs_checked", v.inputs_checked},
                    {"correct", correct},
                    {"verdict", verdict},
                    {"at_least_recorded", lr.at_least},
                    {"refuted_by", lr.refuted_by},
                    {"at_least_rerun", rerun_at_least},
                    {"rerun_seconds", rerun_seconds},
                    {"found_by", lr.found_by},
                    {"verify_command", fmt::format("tcx verify {} --task {}{}{}", lr.file, lr.task, flags, lr.valid_only ? " --care valid" : "")}});
    const std::string b = fmt::format("/frontier/long_runs/{}", i);
    table.rows.push_back({{fmt::format("{}: {} {}", lr.title, lr.task, params), ""},
                          {std::to_string(lr.depth), b + "/depth"},
                          {cell_text, b + "/cell"},
                          {lr.file, b + "/file"},
                          {std::to_string(st.gates), b + "/gates"},
                          {std::to_string(v.inputs_checked), b + "/inputs_checked"},
                          {verdict, b + "/verdict"},
                          {std::to_string(rerun_at_least), b + "/at_least_rerun"},
                          {fmt::format("{:.1f}", rerun_seconds), b + "/rerun_seconds"},
                          {std::to_string(lr.at_least), b + "/at_least_recorded"},
                          {lr.refuted_by, b + "/refuted_by"},
                          {lr.found_by, b + "/found_by"}});
    csv += csv_line(lr.task, params, lr.valid_only ? "valid" : "all", lr.depth, cell_text, lr.file, st.gates, st.depth, v.inputs_checked, correct,
                    lr.at_least, rerun_at_least);
    // The panel: the table's rows of this task at this depth, then the long run's cell.
    plot_panel panel;
    panel.title = lr.title;
    panel.end_labels = false;
    plot_series ps;
    ps.colour = static_cast<int>(lr.depth - 1);
    ps.marker = 0;  // the key's
    const std::int64_t x = p.at(lr.over);
    double lo = static_cast<double>(x), hi = static_cast<double>(x), top = st.gates;
    if (auto it = live.find(live_key(lr.task, lr.valid_only)); it != live.end())
      for (const auto& [v_x, cells] : it->second) {
        if (v_x >= static_cast<double>(x) || cells.size() < lr.depth) continue;  // the long run supersedes its own size
        const frontier_cell& lc = cells[lr.depth - 1];
        if (lc.status == frontier_cell::none_within_budget) continue;  // "more than the budget": no height to draw
        const bool circuit = lc.status == frontier_cell::proven_minimal || lc.status == frontier_cell::found;
        ps.points.push_back({v_x, static_cast<double>(circuit ? lc.gates : lc.gates + 1),
                             lc.status == frontier_cell::proven_minimal ? mark::filled : circuit ? mark::hollow : mark::at_least, circuit});
        lo = std::min(lo, v_x);
      }
    std::sort(ps.points.begin(), ps.points.end(), [](const plot_point& a, const plot_point& b) { return a.x < b.x; });
    ps.points.push_back({static_cast<double>(x), static_cast<double>(st.gates), mark::hollow, true});
    ps.points.push_back({static_cast<double>(x), static_cast<double>(lr.at_least), mark::at_least, false});
    for (const plot_point& pt : ps.points) top = std::max(top, pt.y);
    panel.x = {lr.over, scale::linear, lo - 0.5, hi + 0.5, true};
    panel.y = {fmt::format("fewest gates, depth ≤ {}", lr.depth), scale::linear, 0, top + 1.6, true};
    panel.series.push_back(std::move(ps));
    fig.plot.panels.push_back(std::move(panel));
  }
  s.data["long_runs"] = runs;
  s.files.push_back({"frontier_long_runs.csv", csv});
  s.blocks.push_back(std::move(fig));
  s.blocks.push_back(std::move(table));
}

}  // namespace tcx::report
