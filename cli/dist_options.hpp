#pragma once
// Options of long runs, shared by the commands that distribute their work (dist/): a state
// file to resume from, progress on stderr, and the size of pattern ranges.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "dist/work.hpp"

namespace tcx::cli {

struct DistOptions {
  std::string state;
  bool resume = false, restart = false;
  std::uint64_t unit_patterns = 0;
};

// --state, --resume, --restart and --progress; with `ranges`, --unit-patterns too.
void add_dist_options(CLI::App& cmd, DistOptions& o, bool ranges = false);
// --progress alone (for long commands that keep no state).
void add_progress_flag(CLI::App& cmd);
// The run options of a command: `label` starts progress lines; `key` names the question
// (parts joined: file digests, the options that change the answer).
dist::run_options run_options(const DistOptions& o, const std::string& label, const std::vector<std::string>& key);

}  // namespace tcx::cli
