// Section "models": every model of the zoo counted over n, its depth and size fitted, each checked
// against its reference interpreter at the two smallest n.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "compilers/family/growth.hpp"
#include "compilers/models/check.hpp"
#include "compilers/models/compile.hpp"
#include "compilers/models/zoo.hpp"
#include "report/sections.hpp"

namespace tcx::report {

namespace {

std::string kind_name(Model::Kind k) {
  switch (k) {
    case Model::Kind::mlp: return "MLP";
    case Model::Kind::rnn: return "RNN";
    case Model::Kind::transformer: return "Transformer";
    default: return "SSM";
  }
}

}  // namespace

report_section models_section(report_context& ctx) {
  report_section s = ctx.section("models", "Models as circuit families");
  const std::vector<std::int64_t> ns = ctx.params.quick ? std::vector<std::int64_t>{4, 8, 16, 32} : std::vector<std::int64_t>{4, 8, 16, 32, 64, 128};
  const std::string range = fmt::format("{}..{}", ns.front(), ns.back());

  struct row {
    Model model;
    std::string file, kind;
    std::vector<growth_point> points;
    growth_fit fit;
  };
  std::vector<row> rows;
  for (const ZooEntry& z : builtin_zoo()) {
    row r{parse_model(z.json, z.file), z.file, "", {}, {}};
    r.kind = kind_name(r.model.kind);
    ctx.progress("model " + r.model.name);
    for (std::int64_t n : ns) {
      const circuit_stats st = count_model(r.model, n);
      r.points.push_back({n, st.depth, st.gates, st.wires});
    }
    r.fit = fit_growth(r.points);
    // The compiled circuit against the reference interpreter at the two smallest n.
    for (std::int64_t n : {ns[0], ns[1]}) {
      model_check_params cp;
      cp.max_exhaustive_bits = 16;
      cp.random_inputs = 2000;
      const model_check_result c = check_model(r.model, shape_at(r.model, n), compile_model(r.model, n), cp);
      ctx.checks.push_back({fmt::format("model {} at n = {} vs its reference interpreter", r.model.name, n), c.exhaustive ? "all" : "random",
                            c.inputs_checked, c.agree});
    }
    rows.push_back(std::move(r));
  }

  // Data first: the tables and figures below only show it.
  nlohmann::json jrows = nlohmann::json::array();
  std::string csv = csv_line("model", "kind", "n", "depth", "gates", "wires");
  for (const row& r : rows) {
    nlohmann::json pts = nlohmann::json::array();
    for (const growth_point& p : r.points) {
      pts.push_back({{"n", p.n}, {"depth", p.depth}, {"gates", p.gates}, {"wires", p.wires}});
      csv += csv_line(r.model.name, r.kind, p.n, p.depth, p.gates, p.wires);
    }
    const nlohmann::json fit = to_json(r.fit);
    jrows.push_back({{"model", r.model.name}, {"file", r.file}, {"kind", r.kind}, {"points", pts}, {"fit", fit},
                     {"law", depth_law(fit)}, {"size_law", fmt::format("gates ~ n^{}", fixed(r.fit.size_loglog.a, 2))},
                     {"command", fmt::format("tcx family {} --n {}", r.file, range)}});
  }
  s.data = {{"sizes", ns}, {"rows", jrows}};
  s.files.push_back({"models.csv", csv});

  s.blocks.push_back(paragraph{fmt::format(
      "Every model of the zoo (`examples/models/`, built into tcx) counted at n = {} without storing the circuit. The verdict "
      "is fitted from these numbers: a finite range is evidence, not proof. One row: `tcx family examples/models/FILE.json --n {}`.",
      fmt::join(ns, ", "), range)});

  // The figure of depth: one panel per verdict, on the same axes, so flat and rising read across.
  report_figure depth_fig;
  depth_fig.id = "models_depth";
  depth_fig.message = "Fixed-depth models stay flat as n grows; recurrent, looped and chain-of-thought models climb.";
  depth_fig.caption = "Circuit depth over input length n, one panel per fitted verdict, on shared log axes (the same height is the "
                      "same depth in every panel). Each growing line carries its fitted law.";
  const std::string source = "models.csv (data.json: /models/rows)";
  depth_fig.source = source;
  depth_fig.command = s.command;
  double max_depth = 1;
  for (const row& r : rows)
    for (const growth_point& p : r.points) max_depth = std::max(max_depth, static_cast<double>(p.depth));
  const double y_hi = std::pow(10, std::ceil(std::log10(max_depth) - 1e-9));
  for (const std::string& kind : verdict_kinds()) {
    plot_panel panel;
    panel.x = {"n", scale::log2};
    panel.y = {"depth", scale::log10, 1, y_hi};
    // Models with the same depths share one line and one label: drawn apart, they would hide each other.
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].fit.depth_kind != kind) continue;
      auto same = [&](const std::vector<std::size_t>& g) {
        for (std::size_t j = 0; j < ns.size(); ++j)
          if (rows[g[0]].points[j].depth != rows[i].points[j].depth) return false;
        return true;
      };
      auto g = std::find_if(groups.begin(), groups.end(), same);
      if (g == groups.end()) groups.push_back({i});
      else g->push_back(i);
    }
    std::size_t count = 0;
    for (const std::vector<std::size_t>& g : groups) {
      plot_series ps;
      std::string line;
      for (std::size_t k = 0; k < g.size(); ++k) {
        const std::string name = rows[g[k]].model.name + (k + 1 < g.size() ? "," : "");
        if (!line.empty() && line.size() + name.size() > 26) ps.label += line + "\n", line.clear();
        line += (line.empty() ? "" : " ") + name;
      }
      ps.label += line;
      ps.law = jrows[g[0]]["law"].get<std::string>();
      for (const growth_point& p : rows[g[0]].points) ps.points.push_back({static_cast<double>(p.n), static_cast<double>(p.depth)});
      panel.series.push_back(std::move(ps));
      count += g.size();
    }
    if (!count) continue;
    panel.title = fmt::format("{} ({})", verdict_title(kind), count);
    depth_fig.plot.panels.push_back(std::move(panel));
  }
  s.blocks.push_back(std::move(depth_fig));

  // The table: one number per cell, each pointing at data.json.
  report_table t;
  t.columns = {"model", "kind"};
  for (std::int64_t n : ns) t.columns.push_back(fmt::format("depth n={}", n));
  t.columns.insert(t.columns.end(), {fmt::format("gates n={}", ns.back()), "size n^k: k", "depth verdict", "depth law"});
  t.numeric.assign(t.columns.size(), false);
  for (std::size_t c = 2; c < 2 + ns.size() + 2; ++c) t.numeric[c] = true;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string base = fmt::format("/models/rows/{}", i);
    std::vector<table_cell> cells{{rows[i].model.name, base + "/model"}, {rows[i].kind, base + "/kind"}};
    for (std::size_t j = 0; j < ns.size(); ++j)
      cells.push_back({std::to_string(rows[i].points[j].depth), fmt::format("{}/points/{}/depth", base, j)});
    cells.push_back({std::to_string(rows[i].points.back().gates), fmt::format("{}/points/{}/gates", base, ns.size() - 1)});
    cells.push_back({fixed(rows[i].fit.size_loglog.a, 2), base + "/fit/size_loglog_fit/a"});
    cells.push_back({rows[i].fit.depth_kind, base + "/fit/depth_kind"});
    cells.push_back({jrows[i]["law"].get<std::string>(), base + "/law"});
    t.rows.push_back(std::move(cells));
  }
  s.blocks.push_back(std::move(t));

  // The figure of size: one panel per model kind, log-log, the fitted exponent beside each line.
  report_figure size_fig;
  size_fig.id = "models_size";
  size_fig.message = "Every family's size grows polynomially in n; the exponent is printed beside each line.";
  size_fig.caption = "Gates over n on log-log axes, one panel per kind of model; a straight line is a power law, and `n^k` "
                     "is its least-squares exponent over the whole range.";
  size_fig.source = source;
  size_fig.command = s.command;
  size_fig.plot.columns = 2;
  for (const char* kind : {"MLP", "RNN", "Transformer", "SSM"}) {
    plot_panel panel;
    panel.title = std::string(kind) == "MLP" ? "MLPs" : std::string(kind) + "s";
    panel.x = {"n", scale::log2};
    panel.y = {"gates", scale::log10};
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].kind != kind) continue;
      plot_series ps;
      ps.label = rows[i].model.name;
      ps.law = jrows[i]["size_law"].get<std::string>();
      for (const growth_point& p : rows[i].points) ps.points.push_back({static_cast<double>(p.n), std::max<double>(1, static_cast<double>(p.gates))});
      panel.series.push_back(std::move(ps));
    }
    if (!panel.series.empty()) size_fig.plot.panels.push_back(std::move(panel));
  }
  s.blocks.push_back(std::move(size_fig));

  for (std::size_t i = 0; i < rows.size(); ++i) {
    summary_row sr{rows[i].model.name, rows[i].kind, rows[i].fit.depth_kind, jrows[i]["law"].get<std::string>(), s.id, {},
                   fmt::format("/models/rows/{}/fit/depth_kind", i)};
    for (const growth_point& p : rows[i].points) sr.depths.push_back({static_cast<double>(p.n), static_cast<double>(p.depth)});
    s.summary.push_back(std::move(sr));
  }
  return s;
}

}  // namespace tcx::report
