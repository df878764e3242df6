#pragma once
// How a task family is written (inside tasks/). A family is a struct of typed parameters with
// the task's functions as members; `make_task` wraps it into the type-erased `Task` the rest of
// tcx uses. Parameters are read from the name -> value map in one place per family (its `read`
// function, after Task::resolve has checked every range), together with any constraint between
// parameters, so the functions never look a parameter up by name.
#include <concepts>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "circuits/bits.hpp"
#include "tasks/task.hpp"

namespace tcx::tasks {

// What a family says of itself besides its functions.
struct TaskInfo {
  std::string name, description, complexity;
  bool serial = false;
  std::vector<TaskParam> params;
  std::string encoding;
};

template <class F>
concept Family = requires(const F f, const Bits& x) {
  { f.input_bits() } -> std::convertible_to<std::uint32_t>;
  { f.output_bits() } -> std::convertible_to<std::uint32_t>;
  { f.solve(x) } -> std::same_as<Bits>;
  { f.natural_circuit() } -> std::same_as<Circuit>;
};

// `read` turns resolved parameters into the family's value (std::invalid_argument for a
// constraint between parameters); Task::resolve runs it once, so a bad combination is reported
// before any work.
template <class Read>
  requires Family<std::invoke_result_t<Read, const TaskParams&>>
Task make_task(TaskInfo info, Read read) {
  Task t;
  t.name = std::move(info.name);
  t.description = std::move(info.description);
  t.complexity = std::move(info.complexity);
  t.serial = info.serial;
  t.params = std::move(info.params);
  t.encoding = std::move(info.encoding);
  t.check = [read](const TaskParams& p) { (void)read(p); };
  t.input_bits = [read](const TaskParams& p) { return static_cast<std::uint32_t>(read(p).input_bits()); };
  t.output_bits = [read](const TaskParams& p) { return static_cast<std::uint32_t>(read(p).output_bits()); };
  t.solve = [read](const TaskParams& p, const Bits& x) { return read(p).solve(x); };
  t.natural_circuit = [read](const TaskParams& p) { return read(p).natural_circuit(); };
  // A family whose encoding leaves some inputs meaningless says which are valid.
  using F = std::invoke_result_t<Read, const TaskParams&>;
  if constexpr (requires(const F f, const Bits& x) { { f.valid(x) } -> std::same_as<bool>; })
    t.valid_input = [read](const TaskParams& p, const Bits& x) { return read(p).valid(x); };
  return t;
}

// A parameter whose range (checked by Task::resolve) is non-negative.
inline std::uint32_t u32(const TaskParams& p, const char* name) { return static_cast<std::uint32_t>(p.at(name)); }

// Unsigned integers in a bit vector, LSB first (the encodings' convention).
inline std::uint64_t read_uint(const Bits& x, std::size_t at, std::uint32_t bits) {
  std::uint64_t v = 0;
  for (std::uint32_t i = 0; i < bits; ++i) v |= std::uint64_t(x[at + i]) << i;
  return v;
}
inline void write_uint(Bits& out, std::uint64_t v, std::uint32_t bits) {
  for (std::uint32_t i = 0; i < bits; ++i) out.push_back((v >> i) & 1u);
}

// The families, one constructor each (registry.cpp lists them).
Task parity_task();
Task majority_task();
Task counting_task();
Task addition_task();
Task multiplication_task();
Task sorting_task();
Task formula_task();
Task cvp_task();
Task arithmetic_task();
Task reachability_task();
Task shortest_path_task();
Task mdp_task();
Task eca_task();
Task billiard_task();
Task s5_task();

}  // namespace tcx::tasks
