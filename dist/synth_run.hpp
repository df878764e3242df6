#pragma once
// One synthesis question as the command line and Python run it: asked whole, or in units that a
// state file records and mpirun's ranks share (dist/work.hpp): tt's cubes, or the weights
// method's cubes on weight signs. Both front ends call this, so they choose alike and resume each
// other's state files.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dist/state.hpp"
#include "provers/synth.hpp"

namespace tcx::dist {

struct synth_run_params {
  std::optional<std::uint32_t> cubes;  // the weights method's cube levels (--cubes K); none: mpirun's default
  std::string widths_text;             // the shape as written (a part of the weights cubes' key)
  std::string care = "all";            // the care set in keys: all, valid, or a digest of one given row by row
  unsigned threads = 1;                // tt's cubes on this many threads
  state_options state;
  std::string label = "tcx synth";     // progress lines start with it
};

// tt's cubes as units when there is a state file or more than one rank (and no --cubes); the
// weights method's 3^K cubes when asked for (or mpirun's default for that method); else the
// question whole. Options that do not fit the chosen way are refused (std::invalid_argument).
synth_result synthesize_run(std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p, const synth_run_params& r);

// A state file's key names the care set (earlier tcx did only when it is not every input: a run
// over the valid inputs never resumes one over all of them).
std::vector<key_field> with_care(std::vector<key_field> key, const std::string& care);

}  // namespace tcx::dist
