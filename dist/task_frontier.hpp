#pragma once
// A task's frontier as one run, shared by `tcx frontier` and Python's tcx.frontier so that each
// resumes the other's state files: the rows' questions (the natural circuit's function at each
// size) and the key that names the run in a state file.
#include <cstdint>
#include <string>
#include <vector>

#include "dist/work.hpp"
#include "tasks/task.hpp"

namespace tcx::dist {

// One row per size: `over` set to each size over `base`, resolved; its query (proof file names)
// is "TASK-OVERSIZE". Refuses a size whose function has more inputs than p's method takes.
std::vector<frontier_row_question> task_frontier_rows(const Task& task, const std::string& over, const std::vector<std::int64_t>& sizes,
                                                      const TaskParams& base, const frontier_params& p, bool care_valid);

// What decides the answers: the task and sizes, the search's bounds and choices, the solver, and
// whether UNSAT answers must be certified (p.proof.certify). Not the budget: unknown answers are
// not settled, so a resumed run may give them more time. `sizes_text` is the sizes as the command
// line spelled them ("6..8"), the word keys of earlier tcx held it; the key holds the list.
std::vector<key_field> task_frontier_key(const Task& task, const std::string& over, const std::vector<std::int64_t>& sizes,
                                         const std::string& sizes_text, const TaskParams& base, const frontier_params& p,
                                         bool care_valid);

// The run options of a frontier run: the key above, and the word keys earlier tcx gave the same
// run (without the budget, and with it: files written before unknown answers were asked again).
run_options task_frontier_run_options(const state_options& state, const std::vector<key_field>& key, const frontier_params& p,
                                      const std::string& label);

}  // namespace tcx::dist
