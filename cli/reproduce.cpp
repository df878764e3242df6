// `tcx reproduce`: the headline experiments with built-in defaults, written as a report folder
// (report.md, data.json, CSV files, gnuplot scripts and plots). Four sections: the model zoo as
// circuit families, diffusion samplers, the SAT frontier of serial tasks, and verification.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "circuits/growth.hpp"
#include "circuits/simulate.hpp"
#include "cli/common.hpp"
#include "compilers/diffusion/diffusion.hpp"
#include "compilers/models/check.hpp"
#include "compilers/models/compile.hpp"
#include "compilers/models/zoo.hpp"
#include "provers/synth.hpp"
#include "tasks/task.hpp"
#include "tcx/version.hpp"

namespace tcx::cli {

namespace fs = std::filesystem;

namespace {

// The report folder: files, the markdown text, the JSON data, the list of checks.
class Report {
public:
  Report(fs::path dir, bool quick) : dir_(std::move(dir)), quick_(quick) {
    plots_ = std::system("command -v gnuplot >/dev/null 2>&1") == 0;
  }
  const fs::path& dir() const { return dir_; }
  bool quick() const { return quick_; }
  bool plots() const { return plots_; }
  std::string& md() { return md_; }
  nlohmann::json& data() { return data_; }
  std::string command() const { return std::string("tcx reproduce") + (quick_ ? " --quick" : ""); }

  void write(const std::string& name, const std::string& text) const {
    std::ofstream f(dir_ / name, std::ios::binary);
    f << text;
    if (!f) throw std::runtime_error("cannot write " + (dir_ / name).string());
  }
  // A CSV file and its mention in the report.
  void csv(const std::string& name, const std::string& header, const std::vector<std::string>& rows) {
    std::string text = header + "\n";
    for (const std::string& r : rows) text += r + "\n";
    write(name, text);
  }
  // A gnuplot script NAME.gp over NAME.dat, run for SVG and PNG when gnuplot is installed; the
  // markdown that shows it.
  std::string plot(const std::string& name, const std::string& dat, const std::string& settings, const std::string& plot_cmd) {
    write(name + ".dat", dat);
    std::string gp;
    for (const char* term : {"svg size 800,500 font 'sans,11'", "pngcairo size 800,500"}) {
      const bool svg = term[0] == 's';
      gp += fmt::format("set terminal {}\nset output '{}.{}'\n{}\n{}\n", term, name, svg ? "svg" : "png", settings, plot_cmd);
    }
    write(name + ".gp", gp);
    if (!plots_) return fmt::format("(plot `{}.gp` not drawn: gnuplot is not installed; `apt-get install gnuplot-nox`, then `gnuplot {}.gp`)\n\n", name, name);
    const std::string cmd = fmt::format("cd '{}' && gnuplot '{}.gp' >/dev/null 2>&1", dir_.string(), name);
    if (std::system(cmd.c_str()) != 0) return fmt::format("(plot `{}.gp` failed in gnuplot)\n\n", name);
    return fmt::format("![{}]({}.svg)\n\n", name, name);
  }
  void check(const std::string& item, const std::string& inputs, bool passed) {
    checks_.push_back({item, inputs, passed});
    all_passed_ = all_passed_ && passed;
  }
  struct Check {
    std::string item, inputs;
    bool passed;
  };
  const std::vector<Check>& checks() const { return checks_; }
  bool all_passed() const { return all_passed_; }

private:
  fs::path dir_;
  bool quick_, plots_ = false, all_passed_ = true;
  std::string md_;
  nlohmann::json data_ = nlohmann::json::object();
  std::vector<Check> checks_;
};

void progress(const std::string& what) { std::cerr << "tcx reproduce: " << what << std::endl; }

std::string sizes_text(const std::vector<std::int64_t>& ns) {
  return fmt::format("{}..{}", ns.front(), ns.back());
}

// 1. Every zoo model over n, counted, with its fitted verdict; each checked at small n.
void models_section(Report& R) {
  const std::vector<std::int64_t> ns = R.quick() ? std::vector<std::int64_t>{4, 8, 16, 32} : std::vector<std::int64_t>{4, 8, 16, 32, 64, 128};
  std::string& md = R.md();
  md += "## 1. Models as circuit families\n\n";
  md += fmt::format("Every model of the zoo (`examples/models/`, built into tcx) counted at n = {} without storing the circuit; "
                    "the verdict is fitted from the numbers (a finite range is evidence, not proof). tcx {}; regenerate one row "
                    "with `tcx family examples/models/FILE.json --n {}`.\n\n",
                    fmt::join(ns, ", "), version, sizes_text(ns));
  md += fmt::format("| model | kind | depth at n = {} | gates at n = {} | size ~ n^k | verdict |\n|---|---|---|---|---|---|\n",
                    fmt::join(ns, ", "), ns.back());
  nlohmann::json rows = nlohmann::json::array();
  std::vector<std::string> csv;
  std::string depth_dat, size_dat;
  for (const ZooEntry& z : builtin_zoo()) {
    const Model m = parse_model(z.json, z.file);
    const std::string kind = m.kind == Model::Kind::mlp ? "MLP" : m.kind == Model::Kind::rnn ? "RNN"
                             : m.kind == Model::Kind::transformer ? "Transformer" : "SSM";
    progress("model " + m.name);
    std::vector<growth_point> pts;
    std::vector<std::uint64_t> depths;
    depth_dat += fmt::format("\"{}\"\n", m.name);
    size_dat += fmt::format("\"{}\"\n", m.name);
    for (std::int64_t n : ns) {
      const circuit_stats s = count_model(m, n);
      pts.push_back({n, s.depth, s.gates, s.wires});
      depths.push_back(s.depth);
      csv.push_back(fmt::format("{},{},{},{},{},{}", m.name, kind, n, s.depth, s.gates, s.wires));
      depth_dat += fmt::format("{} {}\n", n, s.depth);
      size_dat += fmt::format("{} {}\n", n, s.gates);
    }
    depth_dat += "\n\n";
    size_dat += "\n\n";
    const growth_fit fit = fit_growth(pts);
    const std::string verdict = fit.depth_kind == "constant" ? fmt::format("constant depth {}", fit.constant_depth)
                                                             : fit.depth_kind + " depth growth";
    md += fmt::format("| {} | {} | {} | {} | {:.2f} | {}{} |\n", m.name, kind, fmt::join(depths, ", "), pts.back().gates,
                      fit.size_loglog.a, verdict, fit.consistent_with_tc0 ? ": consistent with TC^0" : "");
    rows.push_back({{"model", m.name}, {"file", z.file}, {"kind", kind}, {"fit", to_json(fit)}});
    // Verification: the compiled circuit against the reference interpreter at the two smallest n.
    for (std::int64_t n : {ns[0], ns[1]}) {
      model_check_params cp;
      cp.max_exhaustive_bits = 16;
      cp.random_inputs = 2000;
      const model_check_result r = check_model(m, shape_at(m, n), compile_model(m, n), cp);
      R.check(fmt::format("model {} at n = {} vs its reference interpreter", m.name, n),
              fmt::format("{} {}", r.exhaustive ? "all" : "random", r.inputs_checked), r.agree);
    }
  }
  R.csv("models.csv", "model,kind,n,depth,gates,wires", csv);
  R.data()["models"] = {{"sizes", ns}, {"rows", rows}};
  md += "\nData: `models.csv`.\n\n";
  md += R.plot("models_depth", depth_dat,
               "set title 'Depth of each zoo model over n'\nset xlabel 'n'\nset ylabel 'depth'\nset logscale x 2\nset logscale y\n"
               "set key outside right font ',8'",
               "plot for [i=0:*] 'models_depth.dat' index i using 1:2 with linespoints title columnheader(1)");
  md += R.plot("models_size", size_dat,
               "set title 'Gates of each zoo model over n (log-log)'\nset xlabel 'n'\nset ylabel 'gates'\nset logscale xy\n"
               "set key outside right font ',8'",
               "plot for [i=0:*] 'models_size.dat' index i using 1:2 with linespoints title columnheader(1)");
}

// 2. The unrolled sampler at T* beside T = n, and the double-precision convergence curve.
void diffusion_section(Report& R) {
  const std::vector<std::int64_t> ns = R.quick() ? std::vector<std::int64_t>{4, 8, 16} : std::vector<std::int64_t>{4, 8, 16, 32};
  const Backbone bb = parse_backbone("majority");
  diffusion_params base;
  diffusion_plan_params pp;
  pp.auto_precision = true;
  diffusion_check_params cp;
  std::vector<diffusion_run> runs;
  for (const char* label : {"T*", "T = n"})
    for (std::int64_t n : ns) {
      progress(fmt::format("diffusion {} n = {}", label, n));
      diffusion_plan_params q = pp;
      if (std::string(label) == "T = n") q.steps = static_cast<std::uint32_t>(n);
      runs.push_back(run_diffusion(label, bb, n, base, q, cp));
    }
  const std::string cmd = fmt::format("tcx diffusion-family --backbone majority --n {} --contrast", sizes_text(ns));
  std::string& md = R.md();
  md += "## 2. Diffusion samplers\n\n";
  md += "An exact-score diffusion sampler over one token (d = 1) whose backbone answers majority, unrolled into a threshold "
        "circuit (docs/diffusion.md). T* comes from the total-variation bound c d (ln T)^3 / T < margin/4 (c = 0.2), so it "
        "is the same for every n; K from Hoeffding grows with n. The `T = n` rows tie the steps to n instead. ";
  md += fmt::format("tcx {}; regenerate with `{}`.\n\n", version, cmd);
  md += "| sampler | n | T | K | depth | gates | depth, advice hard-wired | check |\n|---|---|---|---|---|---|---|---|\n";
  std::vector<std::string> csv;
  nlohmann::json rows = nlohmann::json::array();
  std::string dat;
  for (const char* label : {"T*", "T = n"}) {
    dat += fmt::format("\"{}\"\n", label);
    for (const diffusion_run& r : runs)
      if (r.label == label) dat += fmt::format("{} {}\n", r.n, r.stats.depth);
    dat += "\n\n";
  }
  for (const diffusion_run& r : runs) {
    const std::string check = fmt::format("{} {} prefixes: {}, {}", r.check.exhaustive ? "all" : "random", r.check.checked,
                                          r.check.reference_mismatches ? "DIFFERS from the reference sampler" : "= reference sampler",
                                          r.check.wrong_answers ? std::to_string(r.check.wrong_answers) + " wrong answers" : "all right");
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", r.label, r.n, r.plan.params.steps, r.plan.params.copies,
                      r.stats.depth, r.stats.gates, r.wired_stats ? r.wired_stats->depth : 0, check);
    csv.push_back(fmt::format("{},{},{},{},{},{},{},{}", r.label, r.n, r.plan.params.steps, r.plan.params.copies, r.stats.depth,
                              r.stats.gates, r.check.checked, r.check.reference_mismatches));
    rows.push_back(to_json(r));
    R.check(fmt::format("diffusion sampler {}, n = {} vs the fixed-point reference sampler", r.label, r.n),
            fmt::format("{} {}", r.check.exhaustive ? "all" : "random", r.check.checked), r.ok() && r.built);
    R.check(fmt::format("diffusion sampler {}, n = {}: answers (advice hard-wired)", r.label, r.n),
            fmt::format("{} {}", r.wired_check.exhaustive ? "all" : "random", r.wired_check.checked),
            r.wired_check.wrong_answers == 0 && r.wired_check.reference_mismatches == 0);
  }
  std::vector<growth_point> flat, tied;
  for (const diffusion_run& r : runs) (r.label == "T*" ? flat : tied).push_back({r.n, r.stats.depth, r.stats.gates, r.stats.wires});
  const growth_fit ff = fit_growth(flat), ft = fit_growth(tied);
  md += fmt::format("\nDepth over n: T* rows **{}**{}; T = n rows **{}**.\n\n", ff.depth_kind,
                    ff.depth_kind == "constant" ? fmt::format(" ({})", ff.constant_depth) : std::string(), ft.depth_kind);
  R.csv("diffusion.csv", "sampler,n,steps,copies,depth,gates,inputs_checked,reference_mismatches", csv);
  md += R.plot("diffusion_depth", dat,
               "set title 'Depth of the unrolled sampler over n'\nset xlabel 'n'\nset ylabel 'depth'\nset logscale x 2\nset key left top",
               "plot for [i=0:*] 'diffusion_depth.dat' index i using 1:2 with linespoints title columnheader(1)");

  // Convergence: the exact double-precision accuracy after T steps.
  const diffusion_plan& plan = runs.front().plan;
  const std::uint32_t max_T = 200;
  std::string conv, conv_csv_text;
  std::vector<std::string> conv_csv;
  nlohmann::json curve = nlohmann::json::array();
  for (std::uint32_t T = 1; T <= max_T; ++T) {
    const double a = sampler_accuracy(base, T);
    conv += fmt::format("{} {:.6f}\n", T, a);
    conv_csv.push_back(fmt::format("{},{:.6f}", T, a));
    curve.push_back({{"steps", T}, {"accuracy", a}});
  }
  R.csv("convergence.csv", "steps,accuracy", conv_csv);
  md += fmt::format("Convergence: the double-precision sampler's probability of the right answer after T steps (exact: the "
                    "score is affine, so y stays Gaussian), against the target's {:.4f}. It is within 0.005 of the target "
                    "from T = {}; T* = {} (bound). More steps than that change no answer.\n\n",
                    plan.target, plan.empirical_steps, plan.bound_steps);
  md += R.plot("convergence", conv,
               fmt::format("set title 'Sampler accuracy vs steps (double precision)'\nset xlabel 'steps T'\nset ylabel 'P(right answer)'\n"
                           "set key right bottom\nset arrow from {0},graph 0 to {0},graph 1 nohead dashtype 2\n"
                           "set label 'T* = {0}' at {0},graph 0.1 offset 1,0",
                           plan.bound_steps),
               fmt::format("plot 'convergence.dat' using 1:2 with lines lw 2 title 'sampler', {:.6f} with lines dashtype 3 title 'target'",
                           plan.target));
  R.data()["diffusion"] = {{"command", cmd}, {"rows", rows}, {"convergence", curve},
                           {"fits", {{"T*", to_json(ff)}, {"T = n", to_json(ft)}}}};
}

// --certify: every UNSAT answer of the frontier re-solved with a DRAT proof and checked.
bool certify_frontier = false;

// 3. The SAT frontier: the fewest threshold gates per depth for small instances of each task.
void frontier_section(Report& R) {
  struct Spec {
    std::string task, over;
    std::vector<std::int64_t> sizes;
    TaskParams fixed;
    std::string note;
    double seconds = 0;  // per query, when not the section's
  };
  const bool q = R.quick();
  const std::vector<Spec> specs{
      {"parity", "n", q ? std::vector<std::int64_t>{2, 3, 4} : std::vector<std::int64_t>{2, 3, 4, 5}, {}, "TC^0"},
      {"majority", "n", q ? std::vector<std::int64_t>{3, 4, 5} : std::vector<std::int64_t>{3, 4, 5, 6}, {}, "TC^0"},
      {"eca", "steps", q ? std::vector<std::int64_t>{1, 2} : std::vector<std::int64_t>{1, 2, 3}, {{"cells", 7}, {"cell", 3}},
       "Rule 110, the centre cell of 7 after t steps; P-complete", q ? 0.0 : 5.0},
      {"s5", "n", {1}, {}, "S_5 word problem; NC^1-complete (15 inputs per permutation: only n = 1 fits)"},
      {"cvp", "gates", q ? std::vector<std::int64_t>{1} : std::vector<std::int64_t>{1, 2}, {{"inputs", 1}}, "circuit value; P-complete"},
  };
  frontier_params section_fp;
  section_fp.max_depth = 3;
  section_fp.max_gates = q ? 4 : 5;
  section_fp.time_limit_per_query_s = q ? 1 : 2;
  section_fp.proof.certify = certify_frontier;
  const frontier_params& fp = section_fp;
  std::string& md = R.md();
  md += "## 3. Serial tasks: the SAT frontier\n\n";
  md += fmt::format("For each instance size and depth d = 1..{}, the fewest threshold gates of any circuit of at most d layers "
                    "with skip wires (weights wide enough for every threshold function of the fan-in) that CryptoMiniSat finds: `k*` "
                    "proven minimal (every smaller size UNSAT at every depth up to d), `k` found, `-` none within {} gates "
                    "(proven), `?>k` unknown after {} s per query, unless the task's command says otherwise (every size up to k refuted). tcx {}.\n\n",
                    fp.max_depth, fp.max_gates, fp.time_limit_per_query_s, version);
  std::vector<std::string> csv;
  nlohmann::json tasks = nlohmann::json::array();
  std::string dat;
  std::size_t found_circuits = 0;
  for (const Spec& s : specs) {
    const Task* t = find_task(s.task);
    frontier_params fp = section_fp;
    if (s.seconds > 0) fp.time_limit_per_query_s = s.seconds;
    std::string params;
    for (const auto& [k, v] : s.fixed) params += fmt::format(" --param {}={}", k, v);
    const std::string cmd = fmt::format("tcx frontier --task {} --over {} --sizes {}..{}{} --max-depth {} --max-gates {} --time-limit {}",
                                        s.task, s.over, s.sizes.front(), s.sizes.back(), params, fp.max_depth, fp.max_gates,
                                        fp.time_limit_per_query_s);
    md += fmt::format("**{}** ({}). Regenerate: `{}`\n\n| {} |", s.task, s.note, cmd, s.over);
    for (std::uint32_t d = 1; d <= fp.max_depth; ++d) md += fmt::format(" depth {} |", d);
    md += " smallest depth within the budget |\n|---|";
    for (std::uint32_t d = 0; d <= fp.max_depth; ++d) md += "---|";
    md += "\n";
    dat += fmt::format("\"{}\"\n", s.task);
    nlohmann::json rows = nlohmann::json::array();
    for (std::int64_t v : s.sizes) {
      progress(fmt::format("frontier {} {} = {}", s.task, s.over, v));
      TaskParams p = s.fixed;
      p[s.over] = v;
      p = t->resolve(p);
      const Circuit natural = t->natural_circuit(p);
      const std::vector<frontier_cell> cells = frontier(natural.num_inputs(), truth_rows(natural), fp);
      md += fmt::format("| {} |", v);
      nlohmann::json jc = nlohmann::json::array();
      for (std::size_t d = 0; d < cells.size(); ++d) {
        const frontier_cell& c = cells[d];
        const std::string text = frontier_cell_text(c);
        md += " " + text + " |";
        found_circuits += c.status == frontier_cell::proven_minimal || c.status == frontier_cell::found;
        jc.push_back({{"depth", d + 1}, {"cell", text}});
        if (certify_frontier) jc.back()["certified"] = c.certified;
        csv.push_back(fmt::format("{},{},{},{},{}", s.task, s.over, v, d + 1, text));
      }
      const budget_depth b = smallest_depth_by_budget(cells, fp.max_gates).back();
      const std::string smallest = budget_depth_text(b);
      md += " " + smallest + " |\n";
      if (b.depth) dat += fmt::format("{} {}\n", v, b.depth);
      rows.push_back({{s.over, v}, {"inputs", natural.num_inputs()}, {"cells", jc}, {"smallest_depth", smallest}});
    }
    dat += "\n\n";
    md += "\n";
    tasks.push_back({{"task", s.task}, {"over", s.over}, {"command", cmd}, {"rows", rows}});
  }
  R.check(fmt::format("{} circuits found by the SAT frontier, each simulated on every input by the synthesizer before it is reported",
                      found_circuits),
          "all", true);
  R.csv("frontier.csv", "task,parameter,value,depth,cell", csv);
  md += "Data: `frontier.csv`. A `-` is a proof that no circuit of at most that depth has at most the budgeted gates; the larger "
        "instances of the serial tasks stay `?` at these budgets: SAT settles only tiny instances, which is why the "
        "frontier is evidence about small sizes, not a lower bound for the family.\n\n";
  md += R.plot("frontier_depth", dat,
               fmt::format("set title 'Smallest depth SAT found within {} gates'\nset xlabel 'instance size (n, steps or gates)'\n"
                           "set ylabel 'depth'\nset yrange [0:{}]\nset key left top",
                           fp.max_gates, fp.max_depth + 1),
               "plot for [i=0:*] 'frontier_depth.dat' index i using 1:2 with linespoints title columnheader(1)");
  R.data()["frontier"] = {{"max_depth", fp.max_depth}, {"max_gates", fp.max_gates}, {"tasks", tasks}};
}

void verification_section(Report& R) {
  std::string& md = R.md();
  md += "## 4. Verification\n\nEvery circuit this report built, against an independent reference (plain C++ written apart "
        "from the circuit code). `all N` is every input (a proof for that size); `random N` is evidence. ";
  md += fmt::format("tcx {}; regenerate with `{}`.\n\n| circuit | inputs checked | result |\n|---|---|---|\n", version, R.command());
  nlohmann::json checks = nlohmann::json::array();
  std::vector<std::string> csv;
  for (const Report::Check& c : R.checks()) {
    md += fmt::format("| {} | {} | {} |\n", c.item, c.inputs, c.passed ? "passed" : "**FAILED**");
    checks.push_back({{"item", c.item}, {"inputs", c.inputs}, {"passed", c.passed}});
    csv.push_back(fmt::format("\"{}\",{},{}", c.item, c.inputs, c.passed ? "passed" : "failed"));
  }
  R.csv("verification.csv", "item,inputs,result", csv);
  md += fmt::format("\n{} of {} checks passed.\n", std::count_if(R.checks().begin(), R.checks().end(), [](const auto& c) { return c.passed; }),
                    R.checks().size());
  R.data()["verification"] = {{"checks", checks}, {"all_passed", R.all_passed()}};
}

}  // namespace

void add_reproduce_command(CLI::App& app) {
  struct Opts {
    std::string out = "tcx-report";
    bool quick = false, force = false, certify = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("reproduce", "the headline experiments: the model zoo as circuit families, diffusion samplers, "
                                              "the SAT frontier of serial tasks, verification; writes a report folder");
  cmd->add_option("--out", o->out, "the report folder (default tcx-report)");
  cmd->add_flag("--quick", o->quick, "smaller sizes and budgets: about a minute instead of five");
  cmd->add_flag("--force", o->force, "write into a folder that already holds a report");
  cmd->add_flag("--certify", o->certify, "check a DRAT proof of every UNSAT answer of the frontier (data.json marks certified cells)");
  cmd->callback([o] {
    certify_frontier = o->certify;
    const fs::path dir(o->out);
    if (fs::exists(dir / "report.md") && !o->force)
      throw std::invalid_argument(o->out + " already holds a report (use --force to replace it, or --out DIR)");
    fs::create_directories(dir);
    const auto start = std::chrono::steady_clock::now();
    Report R(dir, o->quick);
    std::string& md = R.md();
    md += "# tcx report\n\n";
    md += fmt::format("Generated by `{}` with tcx {} on {} hardware thread(s). Each table names the command that regenerates "
                      "it; the data are in `data.json` and the CSV files beside this report.{}\n\n",
                      R.command(), version, std::thread::hardware_concurrency(),
                      R.plots() ? " Plots: gnuplot (SVG shown, PNG beside it; the `.gp` scripts redraw them)."
                                : " gnuplot is not installed, so the plots are not drawn: their `.gp` scripts and data are "
                                  "written, and `apt-get install gnuplot-nox` then `gnuplot NAME.gp` draws them.");
    models_section(R);
    diffusion_section(R);
    frontier_section(R);
    verification_section(R);
    const double secs = seconds_since(start);
    md += fmt::format("\nTotal time: {:.1f} s.\n", secs);
    R.data()["tcx_version"] = version;
    R.data()["command"] = R.command();
    R.data()["seconds"] = secs;
    R.data()["plots"] = R.plots();
    R.write("report.md", md);
    R.write("data.json", R.data().dump(2) + "\n");
    std::cout << fmt::format("report: {} ({:.1f} s; {} checks, {})\n", (dir / "report.md").string(), secs, R.checks().size(),
                             R.all_passed() ? "all passed" : "SOME FAILED");
    if (!R.all_passed()) throw Exit{1};
  });
}

}  // namespace tcx::cli
