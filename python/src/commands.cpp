// Models, cells, tasks, diffusion samplers and the report in Python: the library calls of
// tcx compile / depth / family / cells / cell / tasks / task / diffusion / diffusion-family /
// reproduce, with the same JSON (cli/*.cpp), so Python and the command line agree number for number.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <limits>
#include <type_traits>

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "circuits/bits.hpp"
#include "circuits/analysis.hpp"
#include "compilers/family/growth.hpp"
#include "circuits/io/file.hpp"
#include "cli/common.hpp"
#include "report/report.hpp"
#include "compilers/arith/catalog.hpp"
#include "compilers/diffusion/diffusion.hpp"
#include "compilers/diffusion/options.hpp"
#include "compilers/models/check.hpp"
#include "compilers/models/compile.hpp"
#include "compilers/models/zoo.hpp"
#include "python/src/common.hpp"
#include "tasks/task.hpp"

namespace tcx::py {

namespace {

// A model from a file (kind "path") or from JSON text (kind "text", `label` standing for the file
// in messages); model errors carry the file as the command line prints them.
Model model_from(const std::string& kind, const std::string& value, const std::string& label) {
  try {
    return kind == "path" ? load_model(value) : parse_model(value, label);
  } catch (const ModelError& e) {
    throw ModelFailure((kind == "path" ? value : label) + ": " + e.what(), e.path);
  }
}

// Errors of a model found at a given n are ModelErrors too.
template <class F>
auto model_errors(const std::string& label, F&& f) {
  try {
    return f();
  } catch (const ModelError& e) {
    throw ModelFailure(label + ": " + e.what(), e.path);
  }
}

py::array_t<std::uint8_t> bits_array(const std::vector<Bits>& rows, std::uint32_t width) {
  py::array_t<std::uint8_t> a({static_cast<py::ssize_t>(rows.size()), static_cast<py::ssize_t>(width)});
  std::uint8_t* d = a.mutable_data();
  for (std::size_t k = 0; k < rows.size(); ++k)
    for (std::uint32_t i = 0; i < width; ++i) d[k * width + i] = rows[k][i];
  return a;
}

// The sampler options of tcx diffusion / diffusion-family, with the command line's defaults.
using SamplerOptions = sampler_options;  // compilers/diffusion/options.hpp

template <class T>
void take(const py::dict& d, const char* key, T& v) {
  if (!d.contains(key) || d[key].is_none()) return;
  try {
    v = d[key].cast<T>();
  } catch (const py::cast_error&) {  // (pybind11's own message names C++ types)
    if constexpr (std::is_integral_v<T>)  // an int of the right type but out of range: a usage error, not a type error
      if (py::isinstance<py::int_>(d[key]) && !py::isinstance<py::bool_>(d[key]))
        throw std::invalid_argument(std::string(key) + ": " + std::string(py::str(d[key])) + " is out of range " +
                                    std::to_string(std::numeric_limits<T>::min()) + ".." + std::to_string(std::numeric_limits<T>::max()));
    throw py::type_error(std::string(key) + ": expected " + (std::is_same_v<T, std::string> ? "a string" : std::is_floating_point_v<T> ? "a number" : "a non-negative int") +
                         ", got " + type_name(d[key]));
  }
}
std::string auto_or_int(const py::dict& d, const char* key, const std::string& def) {
  if (!d.contains(key) || d[key].is_none()) return def;
  py::object v = d[key];
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  // An int as its decimal text, read by the command line's parser (which says when it is past 64 bits).
  if (py::isinstance<py::int_>(v) && !py::isinstance<py::bool_>(v)) return std::string(py::str(v));
  wrong_type(v, key, "an int or 'auto'");
}

SamplerOptions sampler_options(const py::dict& d) {
  SamplerOptions o;
  take(d, "backbone", o.backbone);
  o.steps = auto_or_int(d, "steps", "auto");
  o.copies = auto_or_int(d, "copies", "auto");
  o.bits = auto_or_int(d, "bits", "auto");
  o.frac = auto_or_int(d, "frac", "auto");
  take(d, "noise", o.noise);
  take(d, "dim", o.dim);
  take(d, "noise_bits", o.noise_bits);
  take(d, "search_draws", o.search_draws);
  take(d, "c", o.c);
  take(d, "margin", o.margin);
  take(d, "error", o.error);
  take(d, "center", o.center);
  take(d, "sigma", o.sigma);
  take(d, "seed", o.seed);
  take(d, "random", o.random);
  take(d, "exhaustive_bits", o.exhaustive_bits);
  // The command line's range checks.
  if (o.noise != "seed" && o.noise != "inputs") throw std::invalid_argument("noise must be 'seed' or 'inputs'");
  if (o.dim < 1 || o.dim > 4096) throw std::invalid_argument("dim must be in 1..4096");
  if (o.noise_bits < 1 || o.noise_bits > 64) throw std::invalid_argument("noise_bits must be in 1..64");
  if (o.search_draws < 1 || o.search_draws > 1000000) throw std::invalid_argument("search_draws must be in 1..1000000");
  // (NaN fails every one of these: each is written as !(inside))
  if (!(o.c > 0 && o.c <= 1e6)) throw std::invalid_argument("c must be in (0, 10^6]");
  if (!(o.margin >= 0 && o.margin <= 1)) throw std::invalid_argument("margin must be in (0, 1] (0: the target's)");
  if (!(o.center > 0 && o.center <= 100)) throw std::invalid_argument("center must be in (0, 100]");
  if (!(o.sigma > 0.01 && o.sigma <= 100)) throw std::invalid_argument("sigma must be in (0.01, 100]");
  if (!(o.error >= 1e-12 && o.error <= 0.999999)) throw std::invalid_argument("error must be in 1e-12..0.999999");
  if (o.exhaustive_bits > 30) throw std::invalid_argument("exhaustive_bits must be in 0..30");
  return o;
}

diffusion_params base_params(const SamplerOptions& o) { return sampler_params(o, ""); }
diffusion_plan_params plan_options(const SamplerOptions& o) { return sampler_plan(o, ""); }
diffusion_check_params check_options(const SamplerOptions& o) { return sampler_check(o); }

// A task at resolved parameters.
struct TaskInstance {
  const Task* task;
  TaskParams params;
};

}  // namespace

nlohmann::json sweep(const std::string& name, const std::string& mode, const std::vector<std::int64_t>& ns, double time_limit,
                     const std::function<circuit_stats(std::int64_t)>& measure) {
  std::vector<growth_point> pts;
  nlohmann::json rows = nlohmann::json::array();
  const auto start = std::chrono::steady_clock::now();
  bool stopped = false;
  std::string error_stop;  // a size past a bound after others were measured: keep those rows
  for (std::int64_t n : ns) {
    if (time_limit > 0 && !pts.empty() && cli::seconds_since(start) > time_limit) {
      stopped = true;
      break;
    }
    const auto t0 = std::chrono::steady_clock::now();
    if (time_limit > 0) default_builder_params().time_limit_s = std::max(1e-3, time_limit - cli::seconds_since(start));
    circuit_stats s;
    try {
      s = measure(n);
    } catch (const BudgetExceeded&) {
      if (interrupted()) throw;
      stopped = true;
      break;
    } catch (const std::exception& e) {
      // As tcx family: the first size's error is the call's; a later one ends the sweep.
      if (pts.empty() || interrupted()) throw;
      stopped = true;
      error_stop = fmt::format("the sweep stopped at n = {}: {}", n, e.what());
      break;
    }
    const double secs = cli::seconds_since(t0);
    pts.push_back(growth_point{n, s.depth, s.gates, s.wires});
    rows.push_back({{"n", n}, {"depth", s.depth}, {"gates", s.gates}, {"wires", s.wires}, {"max_weight_bits", s.max_weight_bits},
                    {"seconds", secs}});
  }
  const growth_fit fit = fit_growth(pts);
  nlohmann::json j{{"family", name}, {"mode", mode}, {"sizes", rows}, {"fit", to_json(fit)}};
  if (!error_stop.empty())
    j["stopped"] = error_stop;
  else if (stopped)
    j["stopped"] = pts.empty() ? fmt::format("the time limit of {} s ran out during the first size, n = {}", time_limit, ns.front())
                               : fmt::format("the time limit of {} s stopped the sweep after n = {}", time_limit, pts.back().n);
  return j;
}

void bind_commands(py::module_& m) {
  // Sizes "A..B" with a step, read and bounded (2^24) as the commands read --n and --sizes.
  m.def("_size_range", [](const std::string& range, const std::string& step, const std::string& option) {
    return cli::size_range(range, step, option, "step");
  });
  m.def("_zoo", [] {
    py::list l;
    for (const ZooEntry& z : builtin_zoo()) l.append(py::make_tuple(z.file, z.json));
    return l;
  });
  m.def("_model_name", [](const std::string& kind, const std::string& value, const std::string& label) {
    return model_from(kind, value, label).name;
  });
  m.def("_compile", [](const std::string& kind, const std::string& value, const std::string& label, std::int64_t n) {
    return run_long([&] {
      const Model model = model_from(kind, value, label);
      return model_errors(kind == "path" ? value : label, [&] {
        const ModelShape shape = shape_at(model, n);
        Builder b;
        compile_model(model, shape, b);
        return std::move(b).build();
      });
    });
  });
  m.def("_check_model", [](const std::string& kind, const std::string& value, const std::string& label, std::int64_t n,
                           const Circuit& c, std::uint32_t exhaustive_bits, std::uint64_t random, std::uint64_t seed) {
    if (exhaustive_bits > 30) throw std::invalid_argument("exhaustive_bits must be in 0..30");
    const nlohmann::json j = run_long([&] {
      const Model model = model_from(kind, value, label);
      return model_errors(kind == "path" ? value : label, [&] {
        const ModelShape shape = shape_at(model, n);
        if (c.num_inputs() != shape.input_bits || c.num_outputs() != shape.output_bits)
          throw std::invalid_argument(fmt::format("the circuit has {} inputs and {} outputs; the model at n = {} has {} and {}",
                                                  c.num_inputs(), c.num_outputs(), n, shape.input_bits, shape.output_bits));
        model_check_params p;
        p.max_exhaustive_bits = exhaustive_bits;
        p.random_inputs = random;
        p.seed = seed;
        const model_check_result r = check_model(model, shape, c, p);
        nlohmann::json j{{"agree", r.agree}, {"exhaustive", r.exhaustive}, {"inputs_checked", r.inputs_checked}};
        if (!r.agree)
          j["counterexample"] = {{"inputs", bits_text(r.input)}, {"circuit", bits_text(r.circuit_output)},
                                 {"reference", bits_text(r.reference_output)}};
        return j;
      });
    });
    return to_python(j);
  });
  m.def("_depth", [](const std::string& kind, const std::string& value, const std::string& label, std::int64_t n, double time_limit) {
    if (!(time_limit >= 0)) throw std::invalid_argument("time_limit must be >= 0");
    const nlohmann::json j = run_long([&] {
      const Model model = model_from(kind, value, label);
      return model_errors(kind == "path" ? value : label, [&] {
        const auto t0 = std::chrono::steady_clock::now();
        default_builder_params().time_limit_s = time_limit;
        const circuit_stats s = count_model(model, n);
        nlohmann::json j = to_json(s);
        j.erase("critical_path");
        j["n"] = n;
        j["seconds"] = cli::seconds_since(t0);
        return j;
      });
    });
    return to_python(j);
  });
  m.def("_family_model", [](const std::string& kind, const std::string& value, const std::string& label,
                            const std::vector<std::int64_t>& ns, bool materialize, double time_limit) {
    if (ns.empty()) throw std::invalid_argument("family: no sizes");
    if (!(time_limit >= 0)) throw std::invalid_argument("time_limit must be >= 0");
    const nlohmann::json j = run_long([&] {
      const Model model = model_from(kind, value, label);
      const std::string file = kind == "path" ? value : label;
      return model_errors(file, [&] {
        return sweep(model.name.empty() ? file : model.name, materialize ? "materialized" : "counted", ns, time_limit,
                     [&](std::int64_t n) { return materialize ? analyze(compile_model(model, n)) : count_model(model, n); });
      });
    });
    return to_python(j);
  });
  m.def("_family_task", [](const std::string& name, const std::vector<std::int64_t>& ns, const std::string& over_given,
                           const py::dict& params, double time_limit) {
    if (ns.empty()) throw std::invalid_argument("family: no sizes");
    const Task& t = task_named(name);
    const std::string over = over_given.empty() ? t.params.at(0).name : over_given;
    const TaskParams fixed = params_from(params);
    if (fixed.count(over)) throw std::invalid_argument("--param " + over + " is the swept parameter (--over)");
    const nlohmann::json j = run_long([&] {
      return sweep("task " + t.name + ", n = " + over, "natural circuit, materialized", ns, time_limit, [&](std::int64_t n) {
        TaskParams p = fixed;
        p[over] = n;
        return analyze(t.natural_circuit(t.resolve(p)));
      });
    });
    return to_python(j);
  });

  m.def("_cells", [] {
    nlohmann::json j = nlohmann::json::array();
    for (const CellInfo& c : cell_catalog())
      j.push_back({{"name", c.name}, {"description", c.description}, {"depth", c.depth_formula}, {"gates", c.gates_formula},
                   {"uses_count", c.uses_count}, {"default_count", c.default_count}});
    return to_python(j);
  });
  m.def("_cell", [](const std::string& name, std::int64_t bits, std::int64_t count_given) {
    const CellInfo* c = find_cell(name);
    if (!c) throw std::invalid_argument("unknown cell '" + name + "' (tcx cells lists them)");
    if (bits < 1 || bits > 4096) throw std::invalid_argument("bits must be in 1..4096");
    if (count_given < 0 || count_given > 4096) throw std::invalid_argument("count must be in 1..4096");
    const std::uint32_t count = count_given ? static_cast<std::uint32_t>(count_given) : c->default_count;
    if (name == "lut" && bits > 24) throw std::invalid_argument("lut: at most 24 bits (the table has 2^k rows)");
    if (std::uint64_t(bits) * count > (1u << 20)) throw std::invalid_argument("bits x count is above 2^20 inputs; choose smaller sizes");
    return run_long([&] { return c->build(static_cast<std::uint32_t>(bits), count); });
  });

  m.def("_tasks", [] {
    nlohmann::json all = nlohmann::json::array();
    for (const Task& t : task_registry()) {
      nlohmann::json ps = nlohmann::json::array();
      for (const TaskParam& p : t.params)
        ps.push_back({{"name", p.name}, {"default", p.default_value}, {"min", p.min}, {"max", p.max}, {"doc", p.doc}});
      all.push_back({{"name", t.name}, {"description", t.description}, {"complexity", t.complexity}, {"serial", t.serial},
                     {"params", ps}, {"encoding", t.encoding}});
    }
    return to_python(all);
  });
  py::class_<TaskInstance>(m, "_Task")
      .def(py::init([](const std::string& name, const py::dict& params) {
        const Task& t = task_named(name);
        return TaskInstance{&t, t.resolve(params_from(params))};
      }))
      .def_property_readonly("name", [](const TaskInstance& t) { return t.task->name; })
      .def_property_readonly("params", [](const TaskInstance& t) { return t.params; })
      .def_property_readonly("input_bits", [](const TaskInstance& t) { return t.task->input_bits(t.params); })
      .def_property_readonly("output_bits", [](const TaskInstance& t) { return t.task->output_bits(t.params); })
      .def_property_readonly("description", [](const TaskInstance& t) { return t.task->description; })
      .def_property_readonly("complexity", [](const TaskInstance& t) { return t.task->complexity; })
      .def_property_readonly("encoding", [](const TaskInstance& t) { return t.task->encoding; })
      .def_property_readonly("serial", [](const TaskInstance& t) { return t.task->serial; })
      .def("circuit", [](const TaskInstance& t) { return run_long([&] { return t.task->natural_circuit(t.params); }); })
      .def("_solve", [](const TaskInstance& t, py::array_t<std::uint8_t, py::array::c_style> in) {
        const std::uint32_t n = t.task->input_bits(t.params), m = t.task->output_bits(t.params);
        if (in.ndim() != 2 || static_cast<std::uint64_t>(in.shape(1)) != n) throw std::invalid_argument("expected (instances, input_bits)");
        std::vector<Bits> out;
        const std::uint8_t* d = in.data();
        {
          py::gil_scoped_release r;
          for (py::ssize_t k = 0; k < in.shape(0); ++k) {
            Bits x(d + k * n, d + (k + 1) * n);
            out.push_back(t.task->solve(t.params, x));
            if (out.back().size() != m) throw std::logic_error("solver gave the wrong number of bits");
          }
        }
        return bits_array(out, m);
      })
      .def("_random", [](const TaskInstance& t, std::uint64_t count, std::uint64_t seed) {
        if (count > (std::uint64_t(1) << 24)) throw std::invalid_argument("random: at most 2^24 instances at once");
        std::vector<Bits> xs, ys;
        {
          py::gil_scoped_release r;
          std::mt19937_64 rng(seed);  // as tcx task --random N --seed S
          for (std::uint64_t k = 0; k < count; ++k) {
            xs.push_back(t.task->random_instance(t.params, rng));
            ys.push_back(t.task->solve(t.params, xs.back()));
          }
        }
        return py::make_tuple(bits_array(xs, t.task->input_bits(t.params)), bits_array(ys, t.task->output_bits(t.params)));
      });

  m.def("_diffusion", [](std::int64_t n, const py::dict& options, bool keep_circuit, bool hardwire) {
    const SamplerOptions o = sampler_options(options);
    auto [j, circuit] = run_long([&] {
      const Backbone bb = parse_backbone(o.backbone);
      diffusion_run r = run_diffusion("T*", bb, n, base_params(o), plan_options(o), check_options(o), keep_circuit);
      nlohmann::json j = to_json(r);
      if (r.plan.params.noise == diffusion_params::Noise::seed) j["advice_bits"] = bits_text(advice_bits(r.plan.params));
      std::optional<Circuit> c = std::move(r.circuit);
      if (keep_circuit && hardwire && r.plan.params.noise == diffusion_params::Noise::seed) {
        diffusion_params wired = r.plan.params;
        wired.advice_inputs = false;
        c = compile_diffusion(bb, n, wired);
      }
      j["ok"] = r.ok();
      return std::make_pair(j, std::move(c));
    });
    return py::make_tuple(to_python(j), circuit ? py::cast(std::move(*circuit)) : py::none());
  });
  m.def("_diffusion_family", [](const std::vector<std::int64_t>& ns, const py::dict& options, bool contrast, const std::string& looped) {
    if (ns.empty()) throw std::invalid_argument("diffusion_family: no sizes");
    const SamplerOptions o = sampler_options(options);
    const nlohmann::json j = run_long([&] {
      const Backbone bb = parse_backbone(o.backbone);
      const diffusion_params base = base_params(o);
      const diffusion_plan_params pp = plan_options(o);
      std::vector<diffusion_run> rows;
      for (std::int64_t n : ns) rows.push_back(run_diffusion("T*", bb, n, base, pp, check_options(o)));
      if (contrast) {
        for (std::int64_t n : ns) {
          diffusion_plan_params tn = pp;
          tn.steps = static_cast<std::uint32_t>(n);
          rows.push_back(run_diffusion("T = n", bb, n, base, tn, check_options(o)));
        }
        for (std::int64_t n : ns) {
          diffusion_params dn = base;
          diffusion_plan_params dp = pp;
          dim_contrast_row(n, dn, dp);  // K = 1, said in the row (as tcx diffusion-family)
          rows.push_back(run_diffusion("d = log2 n", bb, n, dn, dp, check_options(o)));
        }
      }
      if (!looped.empty()) {
        const Backbone lb = parse_backbone(looped);
        for (std::int64_t n : ns) rows.push_back(run_diffusion("looped", lb, n, base, pp, check_options(o)));
      }
      std::vector<std::string> labels;
      for (const diffusion_run& r : rows)
        if (std::find(labels.begin(), labels.end(), r.label) == labels.end()) labels.push_back(r.label);
      nlohmann::json fits = nlohmann::json::object();
      for (const std::string& l : labels) {
        std::vector<growth_point> pts;
        for (const diffusion_run& r : rows)
          if (r.label == l) pts.push_back({r.n, r.stats.depth, r.stats.gates, r.stats.wires});
        fits[l] = to_json(fit_growth(pts));
      }
      bool ok = true;
      for (const diffusion_run& r : rows) ok = ok && r.ok();
      nlohmann::json j{{"backbone", bb.name}, {"copies", pp.copies ? nlohmann::json(*pp.copies) : nlohmann::json("auto")},
                       {"rows", nlohmann::json::array()}, {"fits", fits}};
      for (const diffusion_run& r : rows) j["rows"].push_back(to_json(r));
      j["ok"] = ok;
      return j;
    });
    return to_python(j);
  });

  // tcx reproduce through the report library (report/), as the command runs it: the folder check,
  // the sections, the files. Returns the exit status and the command's one summary line.
  m.def("_reproduce", [](const std::string& out, bool quick, bool force, bool quiet, const std::vector<std::string>& only, bool certify,
                         bool long_runs) {
    auto [status, line] = run_long([&] {
      with_force_keyword([&] { report::prepare_report_folder(out, force); });  // never into a folder of the user's files
      report::report_params p;
      p.quick = quick;
      p.only = only;  // an unknown id: run_report's one-line error, before any section runs
      p.certify = certify;
      p.long_runs = long_runs;
      p.out = out;
      if (!quiet) p.progress = [](const std::string& l) { std::cerr << "tcx reproduce: " << l << std::endl; };
      const report::report r = report::run_report(p);
      report::write_report(r, out);
      return std::make_pair(r.all_passed() ? 0 : 1, r.summary(out));
    });
    return py::make_tuple(status, line);
  });
}

TaskParams params_from(const py::dict& d) {
  TaskParams p;
  for (auto kv : d) {
    if (!py::isinstance<py::int_>(kv.second) || py::isinstance<py::bool_>(kv.second))
      throw py::type_error("task parameter " + std::string(py::str(kv.first)) + " must be an int");
    p[kv.first.cast<std::string>()] = kv.second.cast<std::int64_t>();
  }
  return p;
}

}  // namespace tcx::py
