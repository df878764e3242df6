// Commands over model specs: compile, depth, family (which also sweeps tasks).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "circuits/analysis.hpp"
#include "compilers/family/growth.hpp"
#include "circuits/progress.hpp"
#include "circuits/io/formats.hpp"
#include "circuits/interrupt.hpp"
#include "cli/common.hpp"
#include "cli/dist_options.hpp"
#include "dist/runner.hpp"
#include "dist/state.hpp"
#include "cli/onnx_commands.hpp"
#include "compilers/models/check.hpp"
#include "compilers/models/compile.hpp"
#include "tasks/task.hpp"

namespace tcx::cli {

namespace {


// Model errors carry a JSON path; the command line adds the file.
template <class F>
auto with_model(const std::string& file, F&& f) {
  try {
    return f(load_model(file));
  } catch (const ModelError& e) {
    throw std::runtime_error(file + ": " + e.what());
  }
}

// compile --time-limit: a budget that runs out (in the Builder, the ONNX compiler's searches or
// the check) ends the command with one line and exit 3, as depth's does. Out of time while
// compiling, nothing is written; during --check, the circuit was written and only the check's
// answer is unknown.
struct budget_guard {
  const char* command;
  double limit;
  template <class F>
  auto run(F&& f, const std::string& written = "") -> decltype(f()) {
    try {
      return f();
    } catch (const BudgetExceeded& e) {
      // During the check, which had what was left of the budget, the line names the whole one.
      budget_ran_out(command, written.empty() ? std::string(e.what())
                                              : fmt::format("the time limit of {:g} s ran out during the check; the circuit is in {}", limit, written));
    }
  }
};

// --layout FILE, checked before any work: a file of its own (not -o's, not a folder, in a folder
// that exists), not replaced without --force.
void check_layout_path(const std::string& path, const OutputOptions& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path.empty()) throw std::invalid_argument("--layout: the file name is empty");
  if (is_stdout_path(path) && is_stdout_path(out.path)) throw std::invalid_argument("-o and --layout both name standard output: give one a file");
  if (!is_stdout_path(path) && !is_stdout_path(out.path) &&
      (fs::weakly_canonical(fs::absolute(path), ec) == fs::weakly_canonical(fs::absolute(out.path), ec) || fs::equivalent(path, out.path, ec)))
    throw std::invalid_argument("--layout and -o name the same file");
  if (is_stdout_path(path)) return;
  if (fs::is_directory(path, ec)) throw IoError(path + ": is a directory");
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) throw IoError(path + ": the folder " + parent.string() + " does not exist");
  refuse_existing_output({path, out.force});
}

}  // namespace

void add_model_commands(CLI::App& app) {
  {
    struct Opts {
      std::string file;
      std::int64_t n = 0;
      std::string format, layout;
      OutputOptions out;
      bool check = false;
      std::uint64_t random = 100000, seed = 1;
      std::uint32_t exhaustive_bits = 20;
      std::string input = "bits", softmax = "refuse";
      double time_limit = 0;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("compile", "compile a model spec (JSON) at input size n, or an ONNX model, to a threshold circuit");
    cmd->add_option("model", o->file, "model spec (.json; see docs/models.md) or ONNX model (.onnx; see docs/onnx.md)")->required();
    cmd->add_option("--n", o->n, "input size n (JSON specs, 1 to 2^24; required there)")->check(int_range(std::int64_t(1), max_size));
    cmd->add_option("--input", o->input, "ONNX: what an input element is: bits, signs, int:B or uint:B (default bits; a leading QuantizeLinear defines it when present)");
    add_softmax_option(*cmd, o->softmax);
    add_output_options(*cmd, o->out);
    cmd->add_option("--format", o->format, "output format (default: from the -o extension, else tc)");
    cmd->add_option("--layout", o->layout,
                    "ONNX: also write the layout (which wires hold which tensor element, and how they encode its value) as JSON "
                    "to this file (--force replaces it)");
    cmd->add_flag("--check", o->check,
                  "also compare the circuit with the model's reference interpreter: every input up to "
                  "--exhaustive-bits input bits, else --random seeded inputs");
    cmd->add_option("--exhaustive-bits", o->exhaustive_bits, "largest input count checked exhaustively (default 20; 16 for an ONNX model)")
        ->check(int_range(0, 30));
    cmd->add_option("--random", o->random, "random inputs checked beyond that (default 100000; 2000 for an ONNX model, whose exact interpreter is slow)")
        ->check(int_range(std::uint64_t(1), std::uint64_t(1) << 40));
    cmd->add_option("--seed", o->seed, "seed of the random inputs");
    cmd->add_option("--time-limit", o->time_limit,
                    "give up after this many seconds (compiling and --check together): unknown, exit 3; out of time "
                    "while compiling, no file is written (default 0 = none)")
        ->check(seconds_check());
    cmd->callback([o, cmd] {
      if (o->check) error_status = 2;  // with --check, 1 is an answer: the check failed
      // The budget: the Builder's gate requests, the ONNX compiler's searches and the check poll it.
      default_builder_params().time_limit_s = o->time_limit;
      const auto start = std::chrono::steady_clock::now();
      auto left = [&] { return o->time_limit > 0 ? std::max(1e-3, o->time_limit - seconds_since(start)) : 0.0; };  // for --check
      budget_guard guard{"compile", o->time_limit};
      if (is_onnx_path(o->file)) {
        if (cmd->count("--n")) throw std::invalid_argument("--n does not apply to an ONNX model (its sizes are in the file)");
        // The exact interpreter is slow on big inputs: fewer random inputs and exhaustive bits by default.
        onnx_cli_options oo{o->file, o->input, output_format(o->format, o->out.path), o->out, o->check, cmd->count("--random") ? o->random : 2000, o->seed,
                            cmd->count("--exhaustive-bits") ? o->exhaustive_bits : 16, o->softmax, o->time_limit, start, o->layout};
        if (cmd->count("--layout")) check_layout_path(o->layout, o->out);
        return (void)guard.run([&] { return onnx_compile(oo); });
      }
      if (cmd->count("--input")) throw std::invalid_argument("--input applies to ONNX models only");
      if (cmd->count("--softmax")) throw std::invalid_argument("--softmax applies to ONNX models only");
      if (cmd->count("--layout")) throw std::invalid_argument("--layout applies to ONNX models only");
      with_model(o->file, [&](const Model& m) {  // the file first: a missing or unreadable one is the error to name
        if (!cmd->count("--n")) throw std::invalid_argument("--n is required for a JSON model spec");
        const std::string format = output_format(o->format, o->out.path);
        refuse_existing_output(o->out);
        const ModelShape shape = shape_at(m, o->n);
        const Circuit c = guard.run([&] {
          Builder b;
          compile_model(m, shape, b);
          return std::move(b).build();
        });
        write_output(o->out, render_circuit(c, format));
        if (!o->check) return 0;
        model_check_params p;
        p.max_exhaustive_bits = o->exhaustive_bits;
        p.random_inputs = o->random;
        p.seed = o->seed;
        p.time_limit_s = left();
        const model_check_result r = guard.run([&] { return check_model(m, shape, c, p); }, is_stdout_path(o->out.path) ? "standard output" : o->out.path);
        if (!r.agree) {
          std::cerr << fmt::format("tcx: check FAILED: circuit and reference interpreter differ on input {}: circuit {}, reference {}\n",
                                   bits_text(r.input), bits_text(r.circuit_output), bits_text(r.reference_output));
          throw Exit{1};
        }
        std::cerr << fmt::format("tcx: check passed: the circuit equals the reference interpreter on {}{} inputs{}\n",
                                 r.exhaustive ? "all " : "", r.inputs_checked,
                                 r.exhaustive ? "" : " (random: evidence, not proof)");
        return 0;
      });
    });
  }
  {
    struct Opts {
      std::string file;
      std::int64_t n = 0;
      bool json = false;
      double time_limit = 600;
      std::string input = "bits", softmax = "refuse";
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand(
        "depth", "depth, gates and wires of a model at size n (or of an ONNX model), counted without storing the circuit (n up to 2^24, within --max-wires: 20 bytes a gate)");
    cmd->add_option("model", o->file, "model spec (.json) or ONNX model (.onnx)")->required();
    cmd->add_option("--n", o->n, "input size n (JSON specs, 1 to 2^24; required there)")->check(int_range(std::int64_t(1), max_size));
    cmd->add_option("--input", o->input, "ONNX: bits, signs, int:B or uint:B (as in compile)");
    add_softmax_option(*cmd, o->softmax);
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->add_option("--time-limit", o->time_limit, "give up after this many seconds and answer unknown, exit 3 (default 600; 0 = none)")
        ->check(seconds_check());
    cmd->callback([o, cmd] {
      const bool onnx = is_onnx_path(o->file);
      if (onnx && cmd->count("--n")) throw std::invalid_argument("--n does not apply to an ONNX model (its sizes are in the file)");
      if (!onnx && cmd->count("--input")) throw std::invalid_argument("--input applies to ONNX models only");
      if (!onnx && cmd->count("--softmax")) throw std::invalid_argument("--softmax applies to ONNX models only");
      std::vector<std::string> notes;  // ONNX operators replaced (--softmax argmax)
      auto body = [&](const std::function<circuit_stats()>& count) {
        const auto t0 = std::chrono::steady_clock::now();
        default_builder_params().time_limit_s = o->time_limit;
        circuit_stats s;
        try {
          s = count();
        } catch (const BudgetExceeded& e) {
          budget_ran_out("depth", e.what(), onnx ? "raise --time-limit" : "raise --time-limit or choose a smaller n");
        }
        const double secs = seconds_since(t0);
        if (o->json) {
          nlohmann::json j = to_json(s);
          j.erase("critical_path");
          if (onnx) {
            j["model"] = o->file;
            j["substitutions"] = notes;
          } else {
            j["n"] = o->n;
          }
          j["seconds"] = secs;
          std::cout << j.dump(2) << "\n";
        } else {
          std::string t = to_table(s);
          t = t.substr(0, t.find("critical path"));
          std::cout << (onnx ? fmt::format("{:<20} {}\n", "model", o->file) : fmt::format("{:<20} {}\n", "n", o->n)) << t
                    << fmt::format("{:<20} {:.3f} s (counted, not stored)\n", "time", secs);
          for (const std::string& note : notes) std::cout << "note: " << note << "\n";
        }
        return 0;
      };
      if (onnx) return (void)body([&] { return onnx_count(o->file, o->input, o->softmax, &notes); });
      with_model(o->file, [&](const Model& m) {  // the file first, as compile
        if (!cmd->count("--n")) throw std::invalid_argument("--n is required for a JSON model spec");
        return body([&] { return count_model(m, o->n); });
      });
    });
  }
  {
    struct Opts {
      std::string file, task, over, range, step = "x2";
      std::vector<std::string> params;
      bool materialize = false, json = false, quiet = false;
      double time_limit = 600;
      DistOptions dist;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("family", "depth and size of a model (or a task's natural circuit) over a range of n, "
                                             "and a fitted verdict: constant depth and polynomial size (consistent with "
                                             "TC^0) or growth");
    cmd->add_option("model", o->file, "model spec (.json), or ONNX files as a pattern with {n} ('mlp_{n}.onnx')");
    cmd->add_option("--task", o->task, "sweep a task's natural circuit instead (tcx tasks)");
    cmd->add_option("--over", o->over, "with --task: the parameter that plays n (default: the task's first)");
    cmd->add_option("--param", o->params, "with --task: NAME=VALUE for the other parameters (repeatable)");
    cmd->add_option("--n", o->range, "sizes A..B")->required();
    cmd->add_option("--step", o->step, "xK multiplies n by K (default x2); +K adds K");
    cmd->add_flag("--materialize", o->materialize, "models: build and analyze each circuit instead of counting");
    cmd->add_option("--time-limit", o->time_limit,
                    "stop the sweep after this many seconds, even within a size (the verdict covers what was measured; default 600, 0 = none)")
        ->check(seconds_check());
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->add_flag("--quiet", o->quiet, "no progress on stderr");
    add_dist_options(*cmd, o->dist);
    cmd->callback([o] {
      if (o->quiet) set_progress_mode(progress_mode::off);
      if (o->file.empty() == o->task.empty()) throw std::invalid_argument("give either a model file or --task NAME");
      if (o->task.empty() && (!o->over.empty() || !o->params.empty()))  // refused, not ignored: a model's n is its own
        throw std::invalid_argument(std::string(o->over.empty() ? "--param" : "--over") + " applies with --task; a model spec's n is its input size");
      // What one size costs: a name, and the figures at n.
      auto sweep = [&](const std::string& name, const std::string& mode,
                       const std::function<circuit_stats(std::int64_t)>& measure) {
        const std::vector<std::int64_t> ns = size_range(o->range, o->step);
        std::vector<growth_point> pts;
        nlohmann::json rows = nlohmann::json::array();
        std::string table = fmt::format("{:>10} {:>8} {:>14} {:>16} {:>12} {:>10}\n", "n", "depth", "gates", "wires", "weight bits", "seconds");
        const auto start = std::chrono::steady_clock::now();
        bool stopped = false;
        std::string error_stop;  // a size past a bound after others were measured: keep those rows
        // One unit per size, the largest first over the runner's ranks, taken in order (dist/work.hpp).
        auto measure_size = [&](std::uint64_t k) {
          const std::int64_t n = ns[k];
          if ((o->time_limit > 0 && k > 0 && seconds_since(start) > o->time_limit) || ctrl_c_pressed())  // the first size always starts
            return std::string("stopped");
          const auto t0 = std::chrono::steady_clock::now();
          if (o->time_limit > 0) default_builder_params().time_limit_s = std::max(1e-3, o->time_limit - seconds_since(start));
          circuit_stats s;
          try {
            s = measure(n);
          } catch (const BudgetExceeded&) {
            return std::string("stopped");
          } catch (const std::exception& e) {
            // A size past a bound after others were measured: keep those rows, say why it stopped.
            if (k == 0) throw;
            return "error:" + fmt::format("the sweep stopped at n = {}: {}", n, e.what());
          }
          return nlohmann::json{s.depth, s.gates, s.wires, s.max_weight_bits, seconds_since(t0)}.dump();
        };
        auto take = [&](std::uint64_t k, const std::string& text) {
          if (text == "stopped") {
            stopped = true;
            return false;
          }
          if (text.rfind("error:", 0) == 0) {
            stopped = true;
            error_stop = text.substr(6);
            std::cerr << "tcx family: " << error_stop << "\n";
            return false;
          }
          const std::int64_t n = ns[k];
          // A row as measure_size writes it (a state file's too: one edited by hand is refused).
          const nlohmann::json f = nlohmann::json::parse(text, nullptr, false);
          bool well_formed = f.is_array() && f.size() == 5 && f[4].is_number() && f[4].get<double>() >= 0;
          for (std::size_t i = 0; well_formed && i < 4; ++i) well_formed = f[i].is_number_unsigned();
          if (!well_formed)
            throw std::invalid_argument("--state " + o->dist.state + ": damaged (size n = " + std::to_string(n) + ": " + printable(text) + ")");
          circuit_stats s;
          s.depth = f[0].get<decltype(s.depth)>();
          s.gates = f[1].get<decltype(s.gates)>();
          s.wires = f[2].get<decltype(s.wires)>();
          s.max_weight_bits = f[3].get<decltype(s.max_weight_bits)>();
          const double secs = f[4].get<double>();
          pts.push_back(growth_point{n, s.depth, s.gates, s.wires});
          rows.push_back({{"n", n}, {"depth", s.depth}, {"gates", s.gates}, {"wires", s.wires},
                          {"max_weight_bits", s.max_weight_bits}, {"seconds", secs}});
          table += fmt::format("{:>10} {:>8} {:>14} {:>16} {:>12} {:>10.3f}\n", n, s.depth, s.gates, s.wires, s.max_weight_bits, secs);
          if (!o->quiet && seconds_since(start) > 1.0)
            std::cerr << fmt::format("tcx family: n = {} done (depth {}, {} gates, {:.2f} s)\n", n, s.depth, s.gates, secs);
          return true;
        };
        const std::string model = o->file.empty() ? "" : o->file.find("{n}") != std::string::npos ? o->file : dist::file_digest(o->file);
        const std::string params = nlohmann::json(o->params).dump();
        const std::vector<dist::key_field> key{{"model", model, model},
                                               {"task", o->task, o->task},
                                               {"over", o->over, o->over},
                                               {"params", nlohmann::json(o->params), params},
                                               {"sizes", o->range, o->range},
                                               {"step", o->step, o->step},
                                               {"materialize", o->materialize, std::to_string(o->materialize)},
                                               {"time_limit", o->time_limit, std::to_string(o->time_limit)}};
        dist::ordered_sweep(ns.size(), [&](std::uint64_t k) { return double(ns[k]); }, measure_size, take, "family", "sizes",
                            run_options(o->dist, "tcx family", key));
        const growth_fit fit = fit_growth(pts);
        std::string note;
        if (!error_stop.empty())
          note = error_stop;
        else if (stopped && ctrl_c_pressed())
          note = pts.empty() ? fmt::format("interrupted (Ctrl-C) during the first size, n = {}", ns.front())
                             : fmt::format("interrupted (Ctrl-C) after n = {}: the verdict covers the sizes measured", pts.back().n);
        else if (stopped)
          note = pts.empty() ? fmt::format("the time limit of {} s ran out during the first size, n = {}", o->time_limit, ns.front())
                             : fmt::format("the time limit of {} s stopped the sweep after n = {}", o->time_limit, pts.back().n);
        if (o->json) {
          nlohmann::json j{{"family", name}, {"mode", mode}, {"sizes", rows}, {"fit", to_json(fit)}};
          if (stopped) j["stopped"] = note;
          std::cout << j.dump(2) << "\n";
        } else {
          std::cout << "family: " << name << " (" << mode << ")\n" << table << "\nverdict: " << fit.verdict << "\n";
          if (stopped) std::cout << "note: " << note << "\n";
        }
      };
      if (!o->task.empty()) {
        const Task* t = &task_named(o->task);
        const std::string over = o->over.empty() ? t->params.at(0).name : o->over;
        const TaskParams fixed = parse_task_params(o->params);
        if (fixed.count(over)) throw std::invalid_argument("--param " + over + " is the swept parameter (--over)");
        sweep("task " + t->name + ", n = " + over, "natural circuit, materialized", [&](std::int64_t n) {
          TaskParams p = fixed;
          p[over] = n;
          return analyze(t->natural_circuit(t->resolve(p)));
        });
        return;
      }
      if (is_onnx_path(o->file)) {  // a file name pattern with {n}: one exported model per size
        if (o->file.find("{n}") == std::string::npos) throw std::invalid_argument("an ONNX family is a file pattern with {n}, e.g. 'mlp_{n}.onnx'");
        if (o->materialize) throw std::invalid_argument("--materialize applies to JSON specs");
        onnx_family(o->file, [&](const auto& figures) { sweep(o->file, "counted", figures); });
        return;
      }
      with_model(o->file, [&](const Model& m) {
        sweep(m.name.empty() ? o->file : m.name, o->materialize ? "materialized" : "counted",
              [&](std::int64_t n) { return o->materialize ? analyze(compile_model(m, n)) : count_model(m, n); });
        return 0;
      });
    });
  }
}

}  // namespace tcx::cli
