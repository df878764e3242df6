// Section "diffusion": the unrolled sampler at T* (constant depth) beside two contrasts that grow,
// T = n and a token of d = ceil(log2 n) coordinates, and the double-precision convergence curve.
#include <fmt/format.h>

#include <cmath>

#include "compilers/family/growth.hpp"
#include "compilers/diffusion/diffusion.hpp"
#include "report/sections.hpp"

namespace tcx::report {

report_section diffusion_section(report_context& ctx) {
  report_section s = ctx.section("diffusion", "Diffusion samplers");
  const bool quick = ctx.params.quick;
  const std::vector<std::int64_t> ns = quick ? std::vector<std::int64_t>{4, 8, 16} : std::vector<std::int64_t>{4, 8, 16, 32};
  // The d = log2 n rows cost most (T* grows with d: n = 32 would take minutes); below n = 4 they
  // would repeat the T* row (d = 1) and bend the fit.
  const std::vector<std::int64_t> ns_d{4, 8, 16};
  const Backbone bb = parse_backbone("majority");
  const diffusion_params base;
  diffusion_plan_params pp;
  pp.auto_precision = true;
  const diffusion_check_params cp;
  const std::vector<std::string> labels{"T*", "T = n", "d = log2 n"};
  std::vector<diffusion_run> runs;
  for (const std::string& label : labels)
    for (std::int64_t n : label == "d = log2 n" ? ns_d : ns) {
      ctx.progress(fmt::format("diffusion {} n = {}", label, n));
      diffusion_params b = base;
      diffusion_plan_params q = pp;
      if (label == "T = n") q.steps = static_cast<std::uint32_t>(n);
      if (label == "d = log2 n") dim_contrast_row(n, b, q);  // K = 1, as tcx diffusion-family's row (said in the row)
      runs.push_back(run_diffusion(label, bb, n, b, q, cp));
    }
  const std::string family_cmd = fmt::format("tcx diffusion-family --backbone majority --n {}..{} --contrast", ns.front(), ns.back());

  nlohmann::json rows = nlohmann::json::array(), fits = nlohmann::json::object();
  std::string csv = csv_line("sampler", "n", "dim", "steps", "copies", "depth", "gates", "inputs_checked", "reference_mismatches");
  // A circuit not checked (past the wire bound, or its simulation past the memory bound) is a
  // check that did not pass: the report claims every circuit it built was checked.
  auto checked = [](const diffusion_run& r) { return r.built && r.unchecked.empty(); };
  auto not_run = [](const std::string& why) { return why.empty() ? std::string() : ": not run (" + why + ")"; };
  for (const diffusion_run& r : runs) {
    rows.push_back(to_json(r));
    csv += csv_line(r.label, r.n, r.plan.params.dim, r.plan.params.steps, r.plan.params.copies, r.stats.depth, r.stats.gates,
                    checked(r) ? std::to_string(r.check.checked) : "", checked(r) ? std::to_string(r.check.reference_mismatches) : "");
    ctx.checks.push_back({fmt::format("diffusion sampler {}, n = {} vs the fixed-point reference sampler{}", r.label, r.n,
                                      not_run(r.built ? r.unchecked : "not built: past the wire bound")),
                          !checked(r) ? "not run" : r.check.exhaustive ? "all" : "random", r.check.checked, r.ok() && checked(r)});
    ctx.checks.push_back({fmt::format("diffusion sampler {}, n = {}: answers (advice hard-wired){}", r.label, r.n, not_run(r.wired_unchecked)),
                          !r.wired_unchecked.empty() ? "not run" : r.wired_check.exhaustive ? "all" : "random", r.wired_check.checked,
                          r.wired_unchecked.empty() && r.wired_check.wrong_answers == 0 && r.wired_check.reference_mismatches == 0});
  }
  for (const std::string& label : labels) {
    std::vector<growth_point> pts;
    for (const diffusion_run& r : runs)
      if (r.label == label) pts.push_back({r.n, r.stats.depth, r.stats.gates, r.stats.wires});
    nlohmann::json f = to_json(fit_growth(pts));
    f["law"] = depth_law(f);
    fits[label] = f;
  }
  // Convergence: the exact double-precision accuracy after T steps.
  const diffusion_plan& plan = runs.front().plan;
  nlohmann::json curve = nlohmann::json::array();
  std::string conv_csv = csv_line("steps", "accuracy");
  plot_series conv;
  conv.label = "sampler";
  conv.colour = 0;
  for (std::uint32_t T = 1; T <= 200; ++T) {
    const double a = sampler_accuracy(base, T);
    curve.push_back({{"steps", T}, {"accuracy", a}});
    conv_csv += csv_line(T, fmt::format("{:.6f}", a));
    conv.points.push_back({static_cast<double>(T), a, mark::filled, true});
  }
  s.data = {{"command", family_cmd}, {"rows", rows}, {"convergence", curve}, {"fits", fits},
            {"target_accuracy", plan.target}, {"bound_steps", plan.bound_steps}, {"empirical_steps", plan.empirical_steps}};
  s.files.push_back({"diffusion.csv", csv});
  s.files.push_back({"convergence.csv", conv_csv});

  s.blocks.push_back(paragraph{fmt::format(
      "An exact-score diffusion sampler whose backbone answers majority, unrolled into a threshold circuit (docs/diffusion.md). "
      "T* comes from the total-variation bound c d (ln T)^3 / T < margin/4 (c = 0.2): it depends on the token's dimension d, "
      "not on n, so with d = 1 the depth is the same for every n, while K (voting copies, Hoeffding) grows with n. Two contrasts "
      "grow: `T = n` ties the steps to n, and `d = log2 n` lets the token grow with n (T* grows with d, as d (ln T*)^3; "
      "these rows take K = 1, whatever Hoeffding says: K does not change the depth, and one copy keeps them small). "
      "The same rows (the d rows at n = {}..{}): `{}`.",
      ns_d.front(), ns_d.back(), family_cmd)});

  report_figure fig;
  fig.id = "diffusion_depth";
  fig.message = "At T* the sampler's depth does not depend on n; tying T to n, or d to log2 n, makes it grow.";
  fig.caption = "Depth of the unrolled sampler (advice on input wires) over n, log axes; each line carries its fitted law.";
  fig.source = "diffusion.csv (data.json: /diffusion/rows, /diffusion/fits)";
  fig.command = s.command;
  plot_panel panel;
  panel.title = "Depth of the unrolled sampler";
  panel.x = {"n", scale::log2};
  panel.y = {"depth", scale::log10};
  for (std::size_t k = 0; k < labels.size(); ++k) {
    plot_series ps;
    ps.label = labels[k];
    ps.law = fits[labels[k]]["law"].get<std::string>();
    ps.colour = static_cast<int>(k == 0 ? 2 : k == 1 ? 1 : 0);
    ps.marker = static_cast<int>(k);
    for (const diffusion_run& r : runs)
      if (r.label == labels[k]) ps.points.push_back({static_cast<double>(r.n), static_cast<double>(r.stats.depth)});
    panel.series.push_back(std::move(ps));
  }
  fig.plot.panels.push_back(std::move(panel));
  fig.plot.panel_width = 520;
  s.blocks.push_back(std::move(fig));

  report_table t;
  t.columns = {"sampler", "n", "d", "T (steps)", "K (copies)", "depth", "gates", "depth, advice wired", "inputs checked", "checked", "mismatches"};
  t.numeric = {false, true, true, true, true, true, true, true, true, false, true};
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string b = fmt::format("/diffusion/rows/{}", i);
    const diffusion_run& r = runs[i];
    t.rows.push_back({{r.label, b + "/sampler"},
                      {std::to_string(r.n), b + "/n"},
                      {std::to_string(r.plan.params.dim), b + "/dim"},
                      {std::to_string(r.plan.params.steps), b + "/steps"},
                      {std::to_string(r.plan.params.copies), b + "/copies"},
                      {std::to_string(r.stats.depth), b + "/depth"},
                      {std::to_string(r.stats.gates), b + "/gates"},
                      {r.wired_stats ? std::to_string(r.wired_stats->depth) : "-", r.wired_stats ? b + "/hardwired/depth" : ""},
                      checked(r) ? table_cell{std::to_string(r.check.checked), b + "/check/inputs"} : table_cell{"-", ""},
                      {!checked(r) ? "not run" : r.check.exhaustive ? "all" : "random", ""},
                      checked(r) ? table_cell{std::to_string(r.check.reference_mismatches), b + "/check/reference_mismatches"}
                                 : table_cell{"-", ""}});
  }
  s.blocks.push_back(std::move(t));

  report_figure cf;
  cf.id = "convergence";
  cf.message = fmt::format("The sampler is within 0.005 of its target accuracy from T = {}; T* = {} steps are enough.", plan.empirical_steps,
                           plan.bound_steps);
  cf.caption = fmt::format("Probability of the right answer after T steps of the double-precision sampler (exact: the score is "
                           "affine, so y stays Gaussian), against the target {}. More steps than T* change no answer.",
                           fixed(plan.target, 4));
  cf.source = "convergence.csv (data.json: /diffusion/convergence)";
  cf.command = s.command;
  plot_panel cp_panel;
  cp_panel.title = "Accuracy over steps";
  cp_panel.x = {"steps T", scale::log2, 1, 256};
  cp_panel.y = {"P(right answer)", scale::linear};
  cp_panel.end_labels = false;
  conv.markers = false;  // markers on 200 points are noise: the line alone
  cp_panel.series.push_back(std::move(conv));
  cp_panel.rules.push_back({false, plan.target, fmt::format("target {}", fixed(plan.target, 4))});
  cp_panel.rules.push_back({true, static_cast<double>(plan.bound_steps), fmt::format("T* = {}", plan.bound_steps)});
  if (plan.empirical_steps)
    cp_panel.rules.push_back({true, static_cast<double>(plan.empirical_steps), fmt::format("within 0.005: T = {}", plan.empirical_steps)});
  cf.plot.panels.push_back(std::move(cp_panel));
  cf.plot.panel_width = 520;
  s.blocks.push_back(std::move(cf));

  for (const std::string& label : labels) {
    summary_row sr{"diffusion sampler, " + label, "diffusion", fits[label]["depth_kind"].get<std::string>(), fits[label]["law"].get<std::string>(),
                   s.id, {}, fmt::format("/diffusion/fits/{}/depth_kind", label == "T*" ? "T*" : label)};
    for (const diffusion_run& r : runs)
      if (r.label == label) sr.depths.push_back({static_cast<double>(r.n), static_cast<double>(r.stats.depth)});
    s.summary.push_back(std::move(sr));
  }
  return s;
}

}  // namespace tcx::report
