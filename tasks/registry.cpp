// The list of task families and the one place their parameters are checked. Each family lives
// in a file of its group (cell_tasks, programs, graphs, automata, word_problem), written as a
// struct of typed parameters (tasks/family.hpp).
#include <stdexcept>

#include "tasks/family.hpp"
#include "tasks/task.hpp"
#include "tasks/word_problem.hpp"

namespace tcx {

TaskParams Task::resolve(const TaskParams& given) const {
  TaskParams out;
  for (const auto& [k, v] : given) {
    bool known = false;
    for (const TaskParam& p : params) known = known || p.name == k;
    if (!known) throw std::invalid_argument("task " + name + " has no parameter '" + k + "'");
  }
  for (const TaskParam& p : params) {
    auto it = given.find(p.name);
    std::int64_t v = it == given.end() ? p.default_value : it->second;
    if (v < p.min || v > p.max)
      throw std::invalid_argument("task " + name + ": " + p.name + "=" + std::to_string(v) + " is outside [" +
                                  std::to_string(p.min) + ", " + std::to_string(p.max) + "]");
    out[p.name] = v;
  }
  if (check) check(out);  // constraints between parameters
  return out;
}

namespace {

Bits uniform(std::uint32_t n, std::mt19937_64& rng) {
  Bits b(n);
  for (auto& x : b) x = rng() & 1u;
  return b;
}

std::vector<Task> make_registry() {
  using namespace tasks;
  std::vector<Task> list{parity_task(),       majority_task(), counting_task(), addition_task(),
                         multiplication_task(), sorting_task(), formula_task(),   reachability_task(),
                         cvp_task(),          eca_task(),      billiard_task(), s5_task(),
                         mdp_task(),          shortest_path_task(), arithmetic_task(),
                         word_problem_task(3, false), word_problem_task(4, true), word_problem_task(4, false), word_problem_task(5, true), word_problem_task(5, false), word_dihedral_task()};
  for (Task& t : list)
    if (!t.random_instance) {
      auto bits = t.input_bits;
      t.random_instance = [bits](const TaskParams& p, std::mt19937_64& rng) { return uniform(bits(p), rng); };
    }
  return list;
}

}  // namespace

const std::vector<Task>& task_registry() {
  static const std::vector<Task> list = make_registry();
  return list;
}

const Task* find_task(const std::string& name) {
  for (const Task& t : task_registry())
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace tcx
