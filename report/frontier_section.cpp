// Section "frontier": for small instances of serial tasks, the fewest threshold gates SAT finds per
// depth, with what is proven, found and open kept apart.
#include <fmt/format.h>

#include "circuits/simulate.hpp"
#include "provers/synth.hpp"
#include "report/sections.hpp"
#include "tasks/task.hpp"

namespace tcx::report {

namespace {

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
      {"s5", "n", {1}, {}, "S_5 word problem; NC^1-complete (15 inputs per permutation: only n = 1 fits)"},
      {"cvp", "gates", q ? std::vector<std::int64_t>{1} : std::vector<std::int64_t>{1, 2}, {{"inputs", 1}}, "circuit value; P-complete"},
      // The word-problem contrast: S_3 is solvable (its word problem is in ACC^0, inside TC^0), A_5 is
      // the smallest non-solvable group (NC^1-complete). One output, each element a 3- or 6-bit index.
      {"word_s3", "n", q ? std::vector<std::int64_t>{1, 2} : std::vector<std::int64_t>{1, 2, 3}, {}, "S_3 word problem; solvable, in TC^0"},
      {"word_a5", "n", q ? std::vector<std::int64_t>{1} : std::vector<std::int64_t>{1, 2}, {}, "A_5 word problem; NC^1-complete",
       q ? 0.0 : 5.0},
      // The same words on valid codes only (codes at or beyond the order are don't-cares): the
      // word problem as the theory states it; never more gates than the total function.
      {"word_s3", "n", q ? std::vector<std::int64_t>{1, 2} : std::vector<std::int64_t>{1, 2, 3}, {},
       "S_3 word problem on valid codes only (--care valid)", 0.0, true},
      {"word_a5", "n", q ? std::vector<std::int64_t>{1} : std::vector<std::int64_t>{1, 2}, {},
       "A_5 word problem on valid codes only (--care valid)", q ? 0.0 : 5.0, true},
  };
  frontier_params section_fp;
  section_fp.max_depth = 3;
  section_fp.max_gates = q ? 4 : 5;
  section_fp.time_limit_per_query_s = q ? 1 : 2;
  section_fp.proof.certify = ctx.params.certify;

  s.blocks.push_back(paragraph{fmt::format(
      "For each instance size and depth d = 1..{}, the fewest threshold gates of any circuit of at most d layers with skip wires "
      "(no weight bound: gate functions checked for thresholdness exactly) that SAT finds: `k*` proven minimal (every "
      "smaller size UNSAT at every depth up to d), `k` found, `-` none within {} gates (proven), `?>k` open after {} s per query "
      "unless the task's command says otherwise (every size up to k refuted). SAT settles only tiny instances: the frontier is "
      "evidence about small sizes, not a lower bound for the family.",
      section_fp.max_depth, section_fp.max_gates, section_fp.time_limit_per_query_s)});

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

  std::string csv = "task,parameter,value,depth,cell,status,gates\n";
  nlohmann::json tasks = nlohmann::json::array();
  std::vector<report_table> tables;
  std::vector<std::string> notes;
  std::size_t found_circuits = 0;
  for (const spec& sp : specs) {
    const Task* t = find_task(sp.task);
    frontier_params fp = section_fp;
    if (sp.seconds > 0) fp.time_limit_per_query_s = sp.seconds;
    std::string params;
    for (const auto& [k, v] : sp.fixed) params += fmt::format(" --param {}={}", k, v);
    if (sp.valid_only) params += " --care valid";
    const std::string cmd = fmt::format("tcx frontier --task {} --over {} --sizes {}..{}{} --max-depth {} --max-gates {} --time-limit {}", sp.task,
                                        sp.over, sp.sizes.front(), sp.sizes.back(), params, fp.max_depth, fp.max_gates, fp.time_limit_per_query_s);
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
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t ri = 0; ri < sp.sizes.size(); ++ri) {
      const std::int64_t v = sp.sizes[ri];
      ctx.progress(fmt::format("frontier {} {} = {}", sp.task, sp.over, v));
      TaskParams p = sp.fixed;
      p[sp.over] = v;
      p = t->resolve(p);
      const Circuit natural = t->natural_circuit(p);
      frontier_params row_fp = fp;
      if (sp.valid_only)
        if (std::optional<truth_table> valid = valid_input_table(*t, p, natural.num_inputs()))
          row_fp.care = std::make_shared<const truth_table>(std::move(*valid));
      const std::vector<frontier_cell> cells = frontier(natural.num_inputs(), truth_tables(natural), row_fp);
      const std::string rb = fmt::format("/frontier/tasks/{}/rows/{}", ti, ri);
      std::vector<table_cell> tr{{std::to_string(v), rb + "/" + sp.over}};
      nlohmann::json jc = nlohmann::json::array();
      for (std::size_t d = 0; d < cells.size(); ++d) {
        const frontier_cell& c = cells[d];
        const std::string text = frontier_cell_text(c) + (c.certified ? "c" : "");
        found_circuits += c.status == frontier_cell::proven_minimal || c.status == frontier_cell::found;
        jc.push_back({{"depth", d + 1}, {"cell", text}, {"status", frontier_status_name(c.status)}, {"gates", c.gates}});
        if (ctx.params.certify) jc.back()["certified"] = c.certified;
        csv += fmt::format("{}{},{},{},{},{},{},{}\n", sp.task, sp.valid_only ? " (valid codes)" : "", sp.over, v, d + 1, text,
                           frontier_status_name(c.status), c.gates);
        tr.push_back({text, fmt::format("{}/cells/{}/cell", rb, d)});
        panel.series[d].points.push_back(cell_point(static_cast<double>(v), c, fp.max_gates));
      }
      const std::string smallest = budget_depth_text(smallest_depth_by_budget(cells, fp.max_gates).back());
      tr.push_back({smallest, rb + "/smallest_depth"});
      table.rows.push_back(std::move(tr));
      rows.push_back({{sp.over, v}, {"inputs", natural.num_inputs()}, {"cells", jc}, {"smallest_depth", smallest}});
    }
    tasks.push_back({{"task", sp.task}, {"over", sp.over}, {"note", sp.note}, {"command", cmd}, {"rows", rows},
                     {"care", sp.valid_only ? "valid" : "all"}});
    fig.plot.panels.push_back(std::move(panel));
    tables.push_back(std::move(table));
    notes.push_back(fmt::format("**{}** ({}). Regenerate: `{}`", sp.task, sp.note, cmd));
  }
  s.data = {{"max_depth", section_fp.max_depth}, {"max_gates", section_fp.max_gates}, {"tasks", tasks}};
  s.files.push_back({"frontier.csv", csv});
  s.blocks.push_back(std::move(fig));
  for (std::size_t i = 0; i < tables.size(); ++i) {
    s.blocks.push_back(paragraph{notes[i]});
    s.blocks.push_back(std::move(tables[i]));
  }
  ctx.checks.push_back({fmt::format("{} circuits found by the SAT frontier, each simulated on every input by the synthesizer before it is "
                                    "reported",
                                    found_circuits),
                        "all", found_circuits, true});
  return s;
}

}  // namespace tcx::report
