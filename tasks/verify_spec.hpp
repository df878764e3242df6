#pragma once
// A task instance as the verifier's specification (provers/verify.hpp): its reference solver,
// its random instances and its natural circuit. One place for the command line and Python.
#include <random>

#include "provers/verify.hpp"
#include "tasks/task.hpp"

namespace tcx {

// The task must outlive the specification (tasks are the registry's, for the whole run).
// valid_only: only the task's valid inputs are checked (`--care valid`; the others are
// don't-cares), as a circuit made for them by `synth --care valid` needs.
inline verify_spec task_verify_spec(const Task& t, const TaskParams& p, bool valid_only = false) {
  verify_spec s{[&t, p](const Bits& x) { return t.solve(p, x); }, [&t, p](std::mt19937_64& rng) { return t.random_instance(p, rng); },
                [&t, p] { return t.natural_circuit(p); }, {}};
  if (valid_only && t.valid_input) s.cares = [&t, p](const Bits& x) { return t.valid_input(p, x); };
  return s;
}

}  // namespace tcx
