#pragma once
// A task family: a problem at every size, with a documented bit encoding, an exact reference
// solver in plain C++ (written independently of any circuit code), and its natural circuit.
//
// Instances and answers are bit vectors; input i is bit i of a pattern index, as everywhere in tcx.
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"

namespace tcx {

struct TaskParam {
  std::string name;
  std::int64_t default_value;
  std::int64_t min, max;
  std::string doc;
};

using TaskParams = std::map<std::string, std::int64_t>;
using Bits = std::vector<std::uint8_t>;

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

  // Defaults filled in and every value checked against its range (std::invalid_argument).
  TaskParams resolve(const TaskParams& given) const;
  // A seeded random instance (every input bit uniform unless the task restricts it).
  std::function<Bits(const TaskParams&, std::mt19937_64&)> random_instance;
};

const std::vector<Task>& task_registry();
const Task* find_task(const std::string& name);

}  // namespace tcx
