#pragma once
// What report.md and report.html share beyond the sections: the first screen's summary and the
// time per section, as tables whose cells point into data.json like every other.
#include "report/report.hpp"

namespace tcx::report {

// Summary rows in verdict order (constant, logarithmic, linear, others), each with its index in
// data.json's "summary".
std::vector<std::pair<std::size_t, const summary_row*>> summary_in_order(const report& r);
report_table summary_table(const report& r);
std::string summary_sentence(const report& r);  // "13 of 21 families keep a constant depth; ..."
report_table timing_table(const report& r);

}  // namespace tcx::report
