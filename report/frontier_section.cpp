// Section "frontier": for small instances of serial tasks, the fewest threshold gates SAT finds per
// depth, with what is proven, found and open kept apart.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "circuits/simulate.hpp"
#include "provers/synth.hpp"
#include "report/frontier_long_runs.hpp"
#include "report/sections.hpp"
#include "tasks/task.hpp"

namespace tcx::report {

namespace {

// The flag of a `tcx frontier` command that the report's own options add to its cells: a command
// that regenerates a table must mark the same cells certified (`c`).
std::string certify_flag(const report_context& ctx) { return ctx.params.certify ? " --certify" : ""; }

// How a cell is drawn at gate budget G: proven minimal filled, found hollow, open as "at least",
// none within the budget as a cross above the budget line.
plot_point cell_point(double x, const frontier_cell& c, std::uint32_t budget) {
  switch (c.status) {
    case frontier_cell::proven_minimal: return {x, static_cast<double>(c.gates), mark::filled, true};
    case frontier_cell::found: return {x, static_cast<double>(c.gates), mark::hollow, true};
    case frontier_cell::none_within_budget: return {x, budget + 1.0, mark::cross, false};
    default: return {x, c.gates + 1.0, mark::at_least, false};
  }
}

// The depth at which a row's fewest gates are reached: the smallest depth with a circuit of as few
// gates as the deepest cell's (smallest_depth_by_budget at that budget). Filled when every shallower
// depth is proven to need more, hollow when a shallower one is still open; nothing when the deepest
// cell itself is not a circuit.
std::optional<plot_point> depth_point(double x, const std::vector<frontier_cell>& cells, std::uint32_t max_gates) {
  const frontier_cell& best = cells.back();
  if (best.status != frontier_cell::proven_minimal && best.status != frontier_cell::found) return std::nullopt;
  const budget_depth b = smallest_depth_by_budget(cells, max_gates)[best.gates - 1];
  return plot_point{x, static_cast<double>(b.depth), b.proven && best.status == frontier_cell::proven_minimal ? mark::filled : mark::hollow,
                    true};
}

// The word problems' natural circuits over n (upper bounds, not minima): S_3's and A_4's stay at
// depth 4 (tasks/word_problem.cpp: the solvable groups as affine maps), S_4's at 5 (over A_4 and
// the parities of the odd elements), D_30's at 4 (any solvable group's construction, tasks/group.hpp),
// A_5's and S_5's grow as 2 ceil(log2 n) + 3 (a balanced tree of compositions). Each is checked against the task's reference solver on seeded random words.
void add_natural_word_circuits(report_context& ctx, report_section& s) {
  // D_30 beside A_5: the same 60 elements and 6-bit codes, one solvable and one not.
  struct group { std::string task; TaskParams fixed; std::string label; };
  const std::vector<group> groups{{"word_s3", {}, "S_3"}, {"word_a4", {}, "A_4"}, {"word_s4", {}, "S_4"},
                                  {"word_dihedral", {{"m", 30}}, "D_30"}, {"word_a5", {}, "A_5"}, {"word_s5", {}, "S_5"}};
  const std::int64_t top = ctx.params.quick ? 6 : 10;
  report_table table;
  table.columns = {"n"};
  for (const group& g : groups) table.columns.push_back(g.label + " depth"), table.columns.push_back(g.label + " gates");
  table.numeric.assign(table.columns.size(), true);
  nlohmann::json rows = nlohmann::json::array();
  std::map<std::string, std::vector<std::int64_t>> depths;
  std::uint64_t checked = 0;
  bool agree = true;
  for (std::int64_t n = 1; n <= top; ++n) {
    nlohmann::json row = {{"n", n}};
    std::vector<table_cell> cells{{std::to_string(n), fmt::format("/frontier/natural_word_circuits/{}/n", n - 1)}};
    for (const group& gr : groups) {
      const std::string& g = gr.task;
      const Task& t = *find_task(g);
      TaskParams given = gr.fixed;
      given["n"] = n;
      const TaskParams p = t.resolve(given);
      const Circuit c = t.natural_circuit(p);
      const std::uint32_t bits = t.input_bits(p);
      reference_check_params rp;
      rp.random_inputs = 2000;
      rp.seed = static_cast<std::uint64_t>(n);
      const reference_check_result r =
          check_exhaustive_or_random(c, rp, [&](const std::vector<std::uint8_t>& x) { return t.solve(p, Bits(x.begin(), x.end())); });
      checked += r.checked;
      agree = agree && r.agree;
      const std::int64_t depth = c.depth();
      depths[g].push_back(depth);
      row[g] = {{"depth", depth}, {"gates", c.num_gates()}, {"inputs", bits}};
      const std::string ptr = fmt::format("/frontier/natural_word_circuits/{}/{}", n - 1, g);
      cells.push_back({std::to_string(depth), ptr + "/depth"});
      cells.push_back({std::to_string(c.num_gates()), ptr + "/gates"});
    }
    rows.push_back(std::move(row));
    table.rows.push_back(std::move(cells));
  }
  s.data["natural_word_circuits"] = rows;
  // The solvable groups' depth is one number from n = 2 on.
  std::vector<std::int64_t> solvable(depths["word_s3"].begin() + 1, depths["word_s3"].end());
  solvable.insert(solvable.end(), depths["word_a4"].begin() + 1, depths["word_a4"].end());
  const bool flat = std::all_of(solvable.begin(), solvable.end(), [&](std::int64_t d) { return d == solvable[0]; });
  auto one_depth = [&](const std::string& task) {  // from n = 2 on
    const std::vector<std::int64_t> d(depths[task].begin() + 1, depths[task].end());
    return std::all_of(d.begin(), d.end(), [&](std::int64_t x) { return x == d[0]; }) ? d[0] : std::int64_t(-1);
  };
  const std::int64_t s4 = one_depth("word_s4"), d30 = one_depth("word_dihedral");
  const bool one_each = s4 > 0 && d30 > 0;
  s.blocks.push_back(paragraph{fmt::format(
      "**The word problems' natural circuits (upper bounds).** The other side of the contrast: circuits that exist, not the fewest "
      "gates. S_3 and A_4 are solvable, and both are groups of affine maps x ↦ ax + b of a finite field (F_3 and F_4): a product "
      "is x ↦ Ax + C with A the product of the a's and C a sum of the b's, each multiplied by the a's after it, so it is the "
      "identity when the a's exponents sum to 0 and each coordinate of C is 0, counts modulo small numbers that counting gates "
      "give in {} layers at every n from 2 to {} (`tcx task word_a4 --param n=N --emit circuit -o FILE`). S_4 is solvable too, "
      "but not a group of affine maps of a field; its even half A_4 is, so each element is first rewritten as one of A_4, which depends only on the "
      "parity of the odd elements before it (one step down a composition series, as Barrington and Thérien do), and the same "
      "construction follows: {} layers at every n from 2. D_30, the 60 symmetries of a 30-gon, has A_5's number of elements and "
      "its 6-bit codes, but is solvable: tcx's construction for any solvable group (down a series of cyclic quotients of prime "
      "order to an abelian subgroup, here the rotations) gives it {} layers at every n from 2. A_5's and S_5's "
      "natural circuits compose the permutations in a balanced tree, two layers of selection per level: depth 2⌈log₂ n⌉ + 3, the "
      "logarithmic depth of NC^1 (where Barrington's theorem puts both). That growth is the construction's, not a lower bound: "
      "whether constant depth suffices with threshold gates is the open question of TC^0 against NC^1. Each circuit agrees with the task's reference solver "
      "on every input up to 20 bits and on 2,000 seeded random words beyond.",
      flat ? std::to_string(solvable[0]) : std::string("a few"), top, s4 > 0 ? std::to_string(s4) : std::string("a few"),
      d30 > 0 ? std::to_string(d30) : std::string("a few"))});
  s.blocks.push_back(std::move(table));
  ctx.checks.push_back({fmt::format("the word problems' natural circuits for n = 1..{} against the reference solvers{}", top,
                                    flat && one_each ? fmt::format("; S_3's and A_4's depth is {}, S_4's {}, D_30's {}, for every n from 2 on", solvable[0], s4, d30)
                                                    : std::string("; S_3's, A_4's, S_4's or D_30's depth is NOT constant from n = 2 on")),
                        "random", checked, agree && flat && one_each});
}

// Parity with one hidden layer (layered, depth 2): n hidden gates suffice (gate i counts "at
// least i inputs set", the output adds them with alternating signs); fewer are refuted with the
// split on the output's function (--tt-cubes output, docs/provers.md), which settles n = 6 in
// seconds where the other splits stayed open after hours.
void add_layered_parity(report_context& ctx, report_section& s) {
  const std::int64_t top = ctx.params.quick ? 5 : 6;
  const Task& t = *find_task("parity");
  frontier_params fp;
  fp.max_depth = 2;
  fp.skip = false;
  fp.method = synth_method::tt;
  fp.tt.cube_inputs = tt_params::cubes_output;
  fp.time_limit_per_query_s = 60;
  fp.proof.certify = ctx.params.certify;
  report_table table;
  table.columns = {"n", "fewest gates at depth ≤ 2, layered", "hidden gates", "query CPU s"};
  table.numeric = {true, false, true, true};
  nlohmann::json rows = nlohmann::json::array();
  bool all_n = true;
  std::uint64_t inputs = 0;
  for (std::int64_t n = 2; n <= top; ++n) {
    ctx.progress(fmt::format("frontier parity layered n = {}", n));
    const TaskParams p = t.resolve({{"n", n}});
    const Circuit natural = t.natural_circuit(p);
    fp.max_gates = static_cast<std::uint32_t>(n + 1);
    const std::vector<frontier_cell> cells = frontier(natural.num_inputs(), truth_tables(natural), fp);
    const frontier_cell& c = cells.back();
    all_n = all_n && c.status == frontier_cell::proven_minimal && c.gates == static_cast<std::uint32_t>(n + 1) &&
            (!ctx.params.certify || c.certified);
    const std::string text = frontier_cell_text(c) + (ctx.params.certify && c.certified ? "c" : "");
    inputs += std::uint64_t(1) << n;
    double cpu = 0;
    for (const frontier_cell& x : cells) cpu += x.seconds;
    const std::string ptr = fmt::format("/frontier/parity_layered/{}", n - 2);
    const std::string hidden = c.gates > 0 ? std::to_string(c.gates - 1) : "-";
    rows.push_back({{"n", n}, {"cell", text}, {"status", frontier_status_name(c.status)}, {"gates", c.gates},
                    {"hidden", c.gates > 0 ? nlohmann::json(c.gates - 1) : nlohmann::json(hidden)}, {"seconds", cpu}});
    if (ctx.params.certify) rows.back()["certified"] = c.certified;
    table.rows.push_back({{std::to_string(n), ptr + "/n"},
                          {text, ptr + "/cell"},
                          {hidden, ptr + "/hidden"},
                          {fmt::format("{:.1f}", cpu), ptr + "/seconds"}});
  }
  s.data["parity_layered"] = rows;
  s.blocks.push_back(paragraph{fmt::format(
      "**Parity with one hidden layer.** Without skip wires (each gate reads the layer before it only), n hidden gates compute "
      "parity of n inputs: hidden gate i says \"at least i inputs are set\" and the output adds them with alternating signs. "
      "That n are needed was published for n <= 4 (Neural Computation 13(2), 2001). tcx proves it for n = 2..{}: every layered "
      "template of fewer gates at depth <= 2 is refuted, whatever its weights, by splitting the question on the function the "
      "output computes of its hidden gates (one cube per threshold function up to renaming, `--tt-cubes output`; docs/provers.md). "
      "n = 7 needs 7 hidden gates too, by a long run not repeated here: 6,1 refuted in all 567 cubes in 10,716 CPU seconds, "
      "not certified (docs/provers.md; a run certified cube by cube, resumable, is `tcx synth --task parity --param n=7 --widths 6,1 "
      "--method tt --tt-cubes output --certify --state FILE`). "
      "{}Regenerate: `tcx frontier --task parity --sizes 2..{} --layered --max-depth 2 --max-gates {} --method tt --tt-cubes output "
      "--time-limit {}{}`",
      top,
      ctx.params.certify ? "A trailing `c`: certified (the split's rules and every clause checked, one DRAT proof through the cubes "
                           "checked by tcx's own checker). "
                         : "`--certify` checks these refutations too (the split's rules, every clause, and a DRAT proof through "
                           "the cubes). ",
      top, top + 1, fp.time_limit_per_query_s, certify_flag(ctx))});
  s.blocks.push_back(std::move(table));
  ctx.checks.push_back({fmt::format("parity of n = 2..{} with one hidden layer: n hidden gates found (simulated on every input) and "
                                    "fewer refuted",
                                    top),
                        "all", inputs, all_n});
}

}  // namespace

report_section frontier_section(report_context& ctx) {
  report_section s = ctx.section("frontier", "Serial tasks: the SAT frontier");
  struct spec {
    std::string task, over;
    std::vector<std::int64_t> sizes;
    TaskParams fixed;
    std::string note;
    double seconds = 0;  // per query, when not the section's
    bool valid_only = false;  // the task's invalid inputs are don't-cares (tcx frontier --care valid)
  };
  const bool q = ctx.params.quick;
  const std::vector<spec> specs{
      {"parity", "n", q ? std::vector<std::int64_t>{2, 3, 4} : std::vector<std::int64_t>{2, 3, 4, 5}, {}, "TC^0"},
      {"majority", "n", q ? std::vector<std::int64_t>{3, 4, 5} : std::vector<std::int64_t>{3, 4, 5, 6}, {}, "TC^0"},
      {"eca", "steps", q ? std::vector<std::int64_t>{1, 2} : std::vector<std::int64_t>{1, 2, 3}, {{"cells", 7}, {"cell", 3}},
       "Rule 110, the centre cell of 7 after t steps; P-complete", q ? 0.0 : 5.0},
      {"s5", "n", {1}, {},
       "S_5 word problem; NC^1-complete (15 inputs per permutation: only n = 1 fits; its 15 outputs are 15 gates by themselves, "
       "more than the budget, so this row is `-` by counting alone: the one-output word problems below ask the question)"},
      {"cvp", "gates", q ? std::vector<std::int64_t>{1} : std::vector<std::int64_t>{1, 2}, {{"inputs", 1}}, "circuit value; P-complete"},
      // The word-problem contrast: S_3 is solvable (its word problem is in ACC^0, inside TC^0), A_5 is
      // the smallest non-solvable group (NC^1-complete). One output, each element a 3- or 6-bit index.
      {"word_s3", "n", q ? std::vector<std::int64_t>{1, 2} : std::vector<std::int64_t>{1, 2, 3}, {}, "S_3 word problem; solvable, in TC^0"},
      {"word_a5", "n", q ? std::vector<std::int64_t>{1} : std::vector<std::int64_t>{1, 2}, {}, "A_5 word problem; NC^1-complete",
       q ? 0.0 : 5.0},
      // The same words on valid codes only (codes at or beyond the order are don't-cares): the
      // word problem as the theory states it; never more gates than the total function.
      {"word_s3", "n", q ? std::vector<std::int64_t>{1, 2} : std::vector<std::int64_t>{1, 2, 3}, {},
       "S_3 word problem on valid codes only (--care valid)", q ? 0.0 : 5.0, true},
      {"word_a5", "n", q ? std::vector<std::int64_t>{1} : std::vector<std::int64_t>{1, 2}, {},
       "A_5 word problem on valid codes only (--care valid)", q ? 0.0 : 5.0, true},
      {"word_s5", "n", {1}, {},
       "S_5 word problem on valid codes only (--care valid); two elements need more than the budget (one gate is refuted at "
       "once, two are open): the long runs below have a circuit for them",
       0.0, true},
  };
  frontier_params section_fp;
  section_fp.max_depth = 3;
  section_fp.max_gates = q ? 4 : 5;
  section_fp.time_limit_per_query_s = q ? 1 : 2;
  section_fp.proof.certify = ctx.params.certify;

  s.blocks.push_back(paragraph{fmt::format(
      "For each instance size and depth d = 1..{}, the fewest threshold gates of any circuit of at most d layers with skip wires "
      "(no weight bound: gate functions checked for thresholdness exactly) that SAT finds: `k*` proven minimal (every "
      "smaller size UNSAT at every depth up to d), `j..k` found with k gates (every size below j refuted, the rest open), `-` none "
      "within {} gates (proven), `?>k` open after {} s per query "
      "unless the task's command says otherwise (every size up to k refuted){}. SAT settles only tiny instances: the frontier is "
      "evidence about small sizes, not a lower bound for the family.",
      section_fp.max_depth, section_fp.max_gates, section_fp.time_limit_per_query_s,
      section_fp.proof.certify ? "; a trailing `c`: certified (every UNSAT answer's DRAT proof checked by tcx's own checker and, "
                                 "with tt, every clause of its CNF checked sound; on the smallest depth, every cell it rests on)"
                               : "")});
  s.blocks.push_back(paragraph{
      "What these tables show, and what they do not. A proven cell is a theorem about one function at one size: no threshold circuit "
      "of fewer gates and at most that depth computes it, whatever its weights. A row of proven cells that grows with the instance, "
      "or a depth that must grow to keep the fewest gates, is evidence of the growth the theory predicts for serial tasks, not a "
      "proof of it: small instances can be special, a constant-depth family may need its growth only beyond the sizes SAT reaches, "
      "and an open cell says nothing at all. Lower bounds of this kind for the whole family are open problems (TC^0 against NC^1 for "
      "the A_5 and S_5 word problems). The TC^0 tasks (parity, majority, the S_3 word problem) are the control."});
  const std::size_t depth_summary = s.blocks.size() - 1;  // completed from the tables below

  report_figure fig;
  fig.id = "frontier";
  fig.message = "SAT settles the fewest gates of tiny instances only: filled marks are proofs, arrows are open questions.";
  fig.caption = fmt::format("Fewest threshold gates over instance size, one line per depth bound, one panel per task. Filled: proven "
                            "minimal; hollow: found, not proven minimal; arrow: open (at least that many gates, none found); cross "
                            "above the dashed budget line: proven to need more than {} gates.",
                            section_fp.max_gates);
  fig.source = "frontier.csv (data.json: /frontier/tasks)";
  fig.command = s.command;
  for (std::uint32_t d = 1; d <= section_fp.max_depth; ++d)
    fig.plot.key.push_back({fmt::format("depth ≤ {}", d), mark::filled, static_cast<int>(d - 1), static_cast<int>(d - 1)});
  fig.plot.key.push_back({"proven minimal", mark::filled, 6, 0});
  fig.plot.key.push_back({"found", mark::hollow, 6, 0});
  fig.plot.key.push_back({"open (at least)", mark::at_least, 6, 0});
  fig.plot.key.push_back({"none within budget", mark::cross, 6, 0});
  fig.plot.panel_width = 300;
  fig.plot.panel_height = 260;

  // The same cells read the other way, all tasks on one axis: how deep a circuit must be to reach
  // the fewest gates, against the instance's inputs. TC^0 tasks stay flat, serial ones climb.
  report_figure depth_fig;
  depth_fig.id = "frontier_depth";
  // Said from the data (below), not presumed: in the quick tables no serial row climbs, and the S_3
  // word on valid codes does (one element is one gate, [code = 0]).
  depth_fig.message = "The depth at which each row's fewest gates are reached, against the inputs the function reads: flat where a "
                      "task keeps one depth, rising where it needs more.";
  depth_fig.caption = fmt::format("For each settled row, the smallest depth at which the row's fewest gates (within depth <= {}) are "
                                  "reached, against the number of inputs the function reads. Filled: every shallower depth is proven to need more "
                                  "gates; hollow: a shallower depth is still open. A point at depth {} says only that depth <= {} was "
                                  "searched.",
                                  section_fp.max_depth, section_fp.max_depth, section_fp.max_depth);
  depth_fig.source = fig.source;
  depth_fig.command = s.command;
  depth_fig.plot.key = {{"settled (shallower depths proven to need more)", mark::filled, 6, 0},
                        {"a shallower depth still open", mark::hollow, 6, 0}};
  plot_panel depth_panel;
  depth_panel.title = "depth of the fewest gates";
  depth_panel.x = {"inputs the function reads", scale::linear, 0, 0, true};
  depth_panel.y = {"depth", scale::linear, 0.5, section_fp.max_depth + 0.5, true};

  // gates: the circuit's size, empty when there is none (a none cell's number is the budget, an
  // unknown one's the largest size refuted); at_least: every smaller size refuted; max_gates: the
  // budget searched.
  std::string csv = csv_line("task", "parameter", "value", "depth", "cell", "status", "gates", "at_least", "max_gates");
  nlohmann::json tasks = nlohmann::json::array();
  std::vector<report_table> tables;
  std::vector<std::string> notes;
  std::size_t found_circuits = 0;
  std::vector<std::string> flat, moving;  // tasks whose rows keep one depth of the fewest gates, and the others
  live_frontier_rows live;                 // for the long runs' plot
  for (const spec& sp : specs) {
    const Task* t = find_task(sp.task);
    frontier_params fp = section_fp;
    if (sp.seconds > 0) fp.time_limit_per_query_s = sp.seconds;
    std::string params;
    for (const auto& [k, v] : sp.fixed) params += fmt::format(" --param {}={}", k, v);
    if (sp.valid_only) params += " --care valid";
    const std::string cmd = fmt::format("tcx frontier --task {} --over {} --sizes {}..{}{} --max-depth {} --max-gates {} --time-limit {}{}", sp.task,
                                        sp.over, sp.sizes.front(), sp.sizes.back(), params, fp.max_depth, fp.max_gates, fp.time_limit_per_query_s,
                                        certify_flag(ctx));
    const std::size_t ti = tasks.size();
    report_table table;
    table.columns = {sp.over};
    for (std::uint32_t d = 1; d <= fp.max_depth; ++d) table.columns.push_back(fmt::format("depth {}", d));
    table.columns.push_back("smallest depth within the budget");
    table.numeric.assign(table.columns.size(), false);
    table.numeric[0] = true;
    plot_panel panel;
    panel.title = sp.task + (sp.valid_only ? " (valid codes)" : "");
    panel.x = {sp.over, scale::linear, sp.sizes.front() - 0.5, sp.sizes.back() + 0.5, true};
    panel.y = {"fewest gates", scale::linear, 0, fp.max_gates + 1.6, true};
    panel.end_labels = false;
    panel.rules.push_back({false, static_cast<double>(fp.max_gates), fmt::format("budget {}", fp.max_gates)});
    for (std::uint32_t d = 1; d <= fp.max_depth; ++d) {
      plot_series ps;
      ps.colour = ps.marker = static_cast<int>(d - 1);
      ps.x_offset = (static_cast<double>(d) - (fp.max_depth + 1) / 2.0) * 0.12;  // side by side, not on top of each other
      panel.series.push_back(std::move(ps));
    }
    plot_series depth_series;
    depth_series.label = sp.task + (sp.valid_only ? " (valid)" : "");
    std::vector<int> depths;  // the depth of the fewest gates of each row that has one, in size order
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t ri = 0; ri < sp.sizes.size(); ++ri) {
      const std::int64_t v = sp.sizes[ri];
      ctx.progress(fmt::format("frontier {} {} = {}", sp.task, sp.over, v));
      TaskParams p = sp.fixed;
      p[sp.over] = v;
      p = t->resolve(p);
      const Circuit natural = t->natural_circuit(p);
      frontier_params row_fp = fp;
      row_fp.care = valid_input_care(*t, p, natural.num_inputs(), sp.valid_only);
      const multi_truth_table truth = truth_tables(natural);
      const std::vector<frontier_cell> cells = frontier(natural.num_inputs(), truth, row_fp);
      live[live_key(sp.task, sp.valid_only)].emplace_back(static_cast<double>(v), cells);
      // The inputs the function reads (Rule 110's row has 7 cells, t steps read 2t + 1 of them).
      std::uint32_t read = 0;
      for (std::uint32_t i = 0; i < natural.num_inputs(); ++i)
        read += std::any_of(truth.begin(), truth.end(), [&](const truth_table& t) { return has_var(t, i); });
      const std::string rb = fmt::format("/frontier/tasks/{}/rows/{}", ti, ri);
      std::vector<table_cell> tr{{std::to_string(v), rb + "/" + sp.over}};
      nlohmann::json jc = nlohmann::json::array();
      for (std::size_t d = 0; d < cells.size(); ++d) {
        const frontier_cell& c = cells[d];
        // `c` only when the report was asked to certify (a cell proven by counting alone is
        // "certified" without a proof, and the legend names `c` only with --certify).
        const std::string text = frontier_cell_text(c) + (ctx.params.certify && c.certified ? "c" : "");
        const bool circuit = c.status == frontier_cell::proven_minimal || c.status == frontier_cell::found;
        found_circuits += circuit;
        jc.push_back({{"depth", d + 1}, {"cell", text}, {"status", frontier_status_name(c.status)}, {"gates", c.gates}, {"at_least", c.at_least}});
        if (ctx.params.certify) jc.back()["certified"] = c.certified;
        csv += csv_line(sp.task + (sp.valid_only ? " (valid codes)" : ""), sp.over, v, d + 1, text, frontier_status_name(c.status),
                        circuit ? std::to_string(c.gates) : std::string(), c.at_least, fp.max_gates);
        tr.push_back({text, fmt::format("{}/cells/{}/cell", rb, d)});
        panel.series[d].points.push_back(cell_point(static_cast<double>(v), c, fp.max_gates));
      }
      nlohmann::json depth_of_fewest = nullptr;
      if (std::optional<plot_point> dp = depth_point(static_cast<double>(read), cells, fp.max_gates)) {
        depth_series.points.push_back(*dp);
        depth_of_fewest = {{"depth", static_cast<int>(dp->y)}, {"settled", dp->style == mark::filled}};
        depths.push_back(static_cast<int>(dp->y));
      }
      const budget_depth widest = smallest_depth_by_budget(cells, fp.max_gates).back();
      const std::string smallest = budget_depth_text(widest) + (ctx.params.certify && widest.certified ? "c" : "");  // as the cells mark it
      tr.push_back({smallest, rb + "/smallest_depth"});
      table.rows.push_back(std::move(tr));
      rows.push_back({{sp.over, v}, {"inputs", natural.num_inputs()}, {"inputs_read", read}, {"cells", jc}, {"smallest_depth", smallest},
                      {"depth_of_fewest", depth_of_fewest}});
    }
    tasks.push_back({{"task", sp.task}, {"over", sp.over}, {"note", sp.note}, {"command", cmd}, {"rows", rows},
                     {"care", sp.valid_only ? "valid" : "all"}});
    fig.plot.panels.push_back(std::move(panel));
    if (!depth_series.points.empty()) depth_panel.series.push_back(std::move(depth_series));
    tables.push_back(std::move(table));
    notes.push_back(fmt::format("**{}** ({}). Regenerate: `{}`", sp.task, sp.note, cmd));
    const std::string name = sp.task + (sp.valid_only ? " on valid codes" : "");
    if (depths.size() >= 2) {
      std::string seq;
      for (int d : depths) seq += (seq.empty() ? "" : ", ") + std::to_string(d);
      (std::adjacent_find(depths.begin(), depths.end(), std::not_equal_to<>()) == depths.end() ? flat : moving)
          .push_back(fmt::format("{} ({})", name, seq));
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "; " : "") + v[i];
    return out.empty() ? std::string("none") : out;
  };
  std::get<paragraph>(s.blocks[depth_summary]).text +=
      fmt::format(" In the tables below (rows with a circuit, depth <= {}), the depth at which a row's fewest gates are reached "
                  "stays the same over the sizes for: {}; it changes for: {}. A one-element word on valid codes is a single gate "
                  "([code = 0]), so those rows start at depth 1 whatever the group.",
                  section_fp.max_depth, join(flat), join(moving));
  s.data = {{"max_depth", section_fp.max_depth}, {"max_gates", section_fp.max_gates}, {"tasks", tasks}};
  s.files.push_back({"frontier.csv", csv});
  s.blocks.push_back(std::move(fig));
  for (std::size_t i = 0; i < depth_panel.series.size(); ++i)  // tasks at equal x side by side, not on top of each other
    depth_panel.series[i].x_offset = (static_cast<double>(i) - (depth_panel.series.size() - 1) / 2.0) * 0.04;
  depth_fig.plot.panels.push_back(std::move(depth_panel));
  depth_fig.plot.panel_width = 560;
  depth_fig.plot.panel_height = 320;
  s.blocks.push_back(std::move(depth_fig));
  for (std::size_t i = 0; i < tables.size(); ++i) {
    s.blocks.push_back(paragraph{notes[i]});
    s.blocks.push_back(std::move(tables[i]));
  }
  add_natural_word_circuits(ctx, s);
  add_layered_parity(ctx, s);
  add_frontier_long_runs(ctx, s, live);
  ctx.checks.push_back({fmt::format("{} circuits found by the SAT frontier, each simulated on every input by the synthesizer before it is "
                                    "reported",
                                    found_circuits),
                        "all", found_circuits, true});
  return s;
}

}  // namespace tcx::report
