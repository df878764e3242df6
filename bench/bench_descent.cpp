// Circuits found by descent (provers/descent.hpp, through synthesize() as tcx synth --method
// descent calls it: inputs the function ignores left out): for one task instance and one shape,
// each of K seeds searches until it finds a circuit or spends its budget; prints per seed the
// restarts, the CPU and wall seconds and the answer, then how many seeds found one.
//   bench_descent TASK WIDTHS SECONDS SEEDS [layered] [valid] [lr=RATE] [iterations=N] [jobs=N] [repair=K] [repair_cpu=R] [NAME=VALUE ...]
//   e.g. bench_descent eca 7,1 60 5 cells=9 cell=4 steps=4
// lr and iterations set descent's Adam step size and steps per restart, jobs its threads
// (SECONDS is then their CPU together), repair the hidden gates SAT sets free at a near miss (0:
// no repair), repair_cpu the cap on their CPU against training's (inf: none) (descent_params);
// valid: only the task's valid inputs must be right (synth --care valid); the other NAME=VALUE
// pairs are the task's parameters.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "circuits/analysis.hpp"
#include "circuits/simulate.hpp"
#include "provers/synth.hpp"
#include "tasks/task.hpp"

using namespace tcx;

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: bench_descent TASK WIDTHS SECONDS SEEDS [layered] [valid] [lr=RATE] [iterations=N] [jobs=N] [repair=K] [repair_cpu=R] [NAME=VALUE ...]\n");
    return 2;
  }
  const Task& task = task_named(argv[1]);
  synth_params p;
  p.method = synth_method::descent;
  p.time_limit_s = std::atof(argv[3]);
  synth_shape& shape = p.shape;
  shape.skip = true;
  std::stringstream ws(argv[2]);
  for (std::string w; std::getline(ws, w, ',');) shape.widths.push_back(static_cast<std::uint32_t>(std::stoul(w)));
  const int seeds = std::atoi(argv[4]);
  TaskParams given;
  bool valid = false;
  for (int a = 5; a < argc; ++a) {
    const std::string s = argv[a];
    if (s == "valid") {
      valid = true;
      continue;
    }
    if (s == "layered") {
      shape.skip = false;
      continue;
    }
    const auto eq = s.find('=');
    if (s.substr(0, eq) == "lr") {
      p.descent.learning_rate = std::stod(s.substr(eq + 1));
      continue;
    }
    if (s.substr(0, eq) == "iterations") {
      p.descent.steps = static_cast<std::uint32_t>(std::stoul(s.substr(eq + 1)));
      continue;
    }
    if (s.substr(0, eq) == "repair") {
      p.descent.repair_gates = static_cast<std::uint32_t>(std::stoul(s.substr(eq + 1)));
      continue;
    }
    if (s.substr(0, eq) == "repair_cpu") {
      p.descent.repair_cpu_ratio = std::stod(s.substr(eq + 1));
      continue;
    }
    if (s.substr(0, eq) == "jobs") {
      p.descent.jobs = static_cast<std::uint32_t>(std::stoul(s.substr(eq + 1)));
      continue;
    }
    given[s.substr(0, eq)] = std::stoll(s.substr(eq + 1));
  }
  const Circuit natural = task.natural_circuit(task.resolve(given));
  const multi_truth_table truth = truth_tables(natural);
  if (valid)  // only the task's valid inputs must be right (synth --care valid)
    if (std::optional<truth_table> t = valid_input_table(task, task.resolve(given), natural.num_inputs()))
      p.care = std::make_shared<const truth_table>(std::move(*t));
  int found = 0;
  double total = 0, total_wall = 0;
  for (int s = 1; s <= seeds; ++s) {
    p.seed = static_cast<std::uint64_t>(s);
    const auto t0 = std::chrono::steady_clock::now();
    const synth_result r = synthesize(natural.num_inputs(), truth, p);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    total_wall += wall;
    const bool ok = r.answer == synth_result::sat;
    total += r.descent_seconds;
    found += ok ? 1 : 0;
    std::printf("seed %d: %s after %u restarts and %u repairs, %.1f s CPU, %.1f s wall%s\n", s,
                ok ? (r.descent_repaired ? "found (repaired)" : "found") : "none", r.descent_restarts, r.descent_repairs, r.descent_seconds, wall,
                ok ? (", " + std::to_string(analyze(r.circuit).gates) + " gates").c_str()
                   : (", nearest miss " + std::to_string(r.descent_best_errors) + " wrong").c_str());
    std::fflush(stdout);
  }
  std::printf("%d of %d seeds found a circuit; %.1f s CPU, %.1f s wall in all\n", found, seeds, total, total_wall);
}
