#pragma once
// The exhaustive phase of a circuit checked against a task (tcx verify, Python's tcx.verify) as
// pattern ranges: spread over mpirun's ranks and recorded in a state file, keyed by the circuit's
// digest, the task, its parameters and the care set, so that the command line and Python resume
// each other's runs of the same circuit text.
#include <functional>
#include <string>

#include "circuits/simulate.hpp"
#include "dist/work.hpp"
#include "tasks/task.hpp"

namespace tcx::dist {

// verify_params::exhaustive for that question; `o` gives the state file, the label and the unit
// size (its key is set here). circuit_digest: file_digest of the circuit file, or text_digest of
// its .tc text (the same for a .tc file tcx wrote).
std::function<reference_check_result(const Circuit&, const ReferenceFn&)> task_exhaustive_check(
    const std::string& circuit_digest, const Task& task, const TaskParams& p, const std::string& care, run_options o);

}  // namespace tcx::dist
