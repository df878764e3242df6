#pragma once
// The frontier section's last part (report/frontier_long_runs.cpp): cells from long runs, their
// circuits checked here, drawn after the section's own rows of the same tasks.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "provers/synth.hpp"
#include "report/report.hpp"

namespace tcx::report {

// The section's rows per task (live_key), each (size, its cells by depth).
using live_frontier_rows = std::map<std::string, std::vector<std::pair<double, std::vector<frontier_cell>>>>;
inline std::string live_key(const std::string& task, bool valid_only) { return task + (valid_only ? " (valid)" : ""); }

void add_frontier_long_runs(report_context& ctx, report_section& s, const live_frontier_rows& live);

}  // namespace tcx::report
