#pragma once
// A task family: a problem at every size, with a documented bit encoding, an exact reference
// solver in plain C++ (written independently of any circuit code), and its natural circuit.
// This is the type-erased value the CLI, Python, reports and provers see; families are written
// as structs of typed parameters and wrapped by tasks::make_task (tasks/family.hpp).
//
// Instances and answers are bit vectors; input i is bit i of a pattern index, as everywhere in tcx.
// Every function takes parameters returned by resolve().
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "circuits/bits.hpp"  // Bits: an instance or an answer
#include "circuits/circuit.hpp"
#include "circuits/truth_table.hpp"

namespace tcx {

struct TaskParam {
  std::string name;
  std::int64_t default_value;
  std::int64_t min, max;
  std::string doc;
};

using TaskParams = std::map<std::string, std::int64_t>;

struct Task {
  std::string name;
  std::string description;
  std::string complexity;  // class and reference, e.g. "P-complete (Neary and Woods 2006)"
  bool serial = false;     // its natural circuit's depth grows with the instance
  std::vector<TaskParam> params;
  std::string encoding;    // how the input and output bits are laid out
  std::function<std::uint32_t(const TaskParams&)> input_bits, output_bits;
  std::function<Bits(const TaskParams&, const Bits&)> solve;   // the reference solver
  std::function<Circuit(const TaskParams&)> natural_circuit;
  // A seeded random instance (every input bit uniform unless the task restricts it).
  std::function<Bits(const TaskParams&, std::mt19937_64&)> random_instance;
  // Constraints between parameters (e.g. even sizes), std::invalid_argument; may be empty.
  std::function<void(const TaskParams&)> check;
  // Whether an input encodes an instance (e.g. every group code below the group's order); empty:
  // every input does. The reference answers the others too (the encoding says how), but a
  // synthesis question may leave them as don't-cares (`tcx frontier --care valid`).
  std::function<bool(const TaskParams&, const Bits&)> valid_input;

  // Unknown names rejected, defaults filled in, every value checked against its range and the
  // constraints between values checked (std::invalid_argument; the CLI exits 2).
  TaskParams resolve(const TaskParams& given) const;
};

// The valid inputs as a table over the task's `inputs` bits (bit q set: pattern q is valid).
// None when every input is (the task has no valid_input, or all pass it).
std::optional<truth_table> valid_input_table(const Task& t, const TaskParams& p, std::uint32_t inputs);
// A search's care set (synth_params::care, frontier_params::care): the valid inputs when
// `valid_only` (synth / frontier --care valid), null when every input counts.
std::shared_ptr<const truth_table> valid_input_care(const Task& t, const TaskParams& p, std::uint32_t inputs, bool valid_only);

const std::vector<Task>& task_registry();
const Task* find_task(const std::string& name);
// The same for front ends (the CLI, Python): std::invalid_argument when there is no such task.
inline const Task& task_named(const std::string& name) {
  const Task* t = find_task(name);
  if (!t) throw std::invalid_argument("unknown task '" + name + "' (tcx tasks lists them)");
  return *t;
}

}  // namespace tcx
