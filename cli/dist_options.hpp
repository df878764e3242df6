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
// The state file's options (--resume with --restart, or either without --state, refused); a
// signal's note then names the file.
dist::state_options state_options(const DistOptions& o);
// The run options of a command: `label` starts progress lines; `key` names the question (file
// digests, the options that change the answer), and its words the key of an earlier tcx.
dist::run_options run_options(const DistOptions& o, const std::string& label, const std::vector<dist::key_field>& key);

}  // namespace tcx::cli
