// Commands over the task library: tasks, task.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "circuits/analysis.hpp"
#include "cli/common.hpp"
#include "tasks/task.hpp"

namespace tcx::cli {

namespace {


Bits parse_bits(const std::string& text, std::uint32_t want) {
  Bits b;
  for (char ch : text) {
    if (ch == '_' || ch == ' ') continue;
    if (ch != '0' && ch != '1') throw std::invalid_argument("--solve takes only 0 and 1, found '" + std::string(1, ch) + "'");
    b.push_back(ch == '1');
  }
  if (b.size() != want)
    throw std::invalid_argument(fmt::format("--solve has {} bits; this instance has {} input bits", b.size(), want));
  return b;
}

}  // namespace

void add_task_commands(CLI::App& app) {
  {
    auto json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("tasks", "list the task families with parameters, complexity class and encoding");
    cmd->add_flag("--json", *json, "print JSON");
    cmd->callback([json] {
      nlohmann::json all = nlohmann::json::array();
      for (const Task& t : task_registry()) {
        if (*json) {
          nlohmann::json ps = nlohmann::json::array();
          for (const TaskParam& p : t.params)
            ps.push_back({{"name", p.name}, {"default", p.default_value}, {"min", p.min}, {"max", p.max}, {"doc", p.doc}});
          all.push_back({{"name", t.name}, {"description", t.description}, {"complexity", t.complexity},
                         {"serial", t.serial}, {"params", ps}, {"encoding", t.encoding}});
          continue;
        }
        std::cout << fmt::format("{} - {}\n  class: {}\n  params:", t.name, t.description, t.complexity);
        for (const TaskParam& p : t.params) std::cout << fmt::format(" {}={} ({})", p.name, p.default_value, p.doc);
        std::cout << "\n  encoding: " << t.encoding << "\n\n";
      }
      if (*json) std::cout << all.dump(2) << "\n";
    });
  }
  {
    struct Opts {
      std::string name, emit, solve;
      std::vector<std::string> params;
      std::uint64_t random = 0, seed = 1;
      OutputOptions out;
    };
    auto o = std::make_shared<Opts>();
    auto* cmd = app.add_subcommand("task", "one task instance family: its natural circuit, the reference solver, "
                                           "or random instances with answers");
    cmd->add_option("name", o->name, "task name (tcx tasks lists them)")->required();
    cmd->add_option("--param", o->params, "NAME=VALUE, repeatable");
    cmd->add_option("--emit", o->emit, "circuit: write the natural circuit (.tc) to -o")->check(CLI::IsMember({"circuit"}));
    cmd->add_option("--solve", o->solve, "input bits (input 0 first): print the reference answer (output 0 first)");
    cmd->add_option("--random", o->random, "print N random instances with their answers");
    cmd->add_option("--seed", o->seed, "seed for --random");
    add_output_options(*cmd, o->out);
    cmd->callback([o] {
      const Task* t = &task_named(o->name);
      TaskParams p = t->resolve(parse_task_params(o->params));
      bool did = false;
      if (o->emit == "circuit") {
        refuse_existing_output(o->out);  // before the build, which can take seconds
        Circuit c = t->natural_circuit(p);
        circuit_stats s = analyze(c);
        std::cerr << fmt::format("tcx: {}: natural circuit with {} inputs, {} gates, {} wires, depth {}\n", t->name,
                                 s.inputs, s.gates, s.wires, s.depth);
        write_output(o->out, render_circuit(c, "tc"));
        did = true;
      }
      if (!o->solve.empty()) {
        std::cout << bits_text(t->solve(p, parse_bits(o->solve, t->input_bits(p)))) << "\n";
        did = true;
      }
      if (o->random > 0) {
        std::mt19937_64 rng(o->seed);
        for (std::uint64_t k = 0; k < o->random; ++k) {
          Bits x = t->random_instance(p, rng);
          std::cout << bits_text(x) << " -> " << bits_text(t->solve(p, x)) << "\n";
        }
        did = true;
      }
      if (!did) throw std::invalid_argument("say what to do: --emit circuit, --solve BITS or --random N");
    });
  }
}

}  // namespace tcx::cli
