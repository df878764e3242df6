#include "report/render.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "report/sections.hpp"

namespace tcx::report {

std::vector<std::pair<std::size_t, const summary_row*>> summary_in_order(const report& r) {
  std::vector<std::pair<std::size_t, const summary_row*>> all, out;
  for (const report_section& s : r.sections)
    for (const summary_row& row : s.summary) all.push_back({all.size(), &row});
  const std::vector<std::string>& kinds = verdict_kinds();
  for (const std::string& k : kinds)
    for (const auto& e : all)
      if (e.second->verdict == k) out.push_back(e);
  for (const auto& e : all)
    if (std::find(kinds.begin(), kinds.end(), e.second->verdict) == kinds.end()) out.push_back(e);
  return out;
}

report_table summary_table(const report& r) {
  report_table t;
  t.columns = {"family", "kind", "depth over n", "fitted law"};
  t.numeric = {false, false, false, false};
  for (const auto& [i, row] : summary_in_order(r)) {
    const std::string b = fmt::format("/summary/{}", i);
    t.rows.push_back({{row->family, b + "/family"}, {row->kind, b + "/kind"}, {row->verdict, b + "/verdict"}, {row->law, b + "/law"}});
  }
  return t;
}

std::string summary_sentence(const report& r) {
  std::size_t total = 0, constant = 0, log = 0, linear = 0;
  for (const auto& [i, row] : summary_in_order(r)) {
    ++total;
    constant += row->verdict == "constant";
    log += row->verdict == "logarithmic";
    linear += row->verdict == "linear";
  }
  return fmt::format("**{} of {} families keep a constant depth as n grows**; {} grow logarithmically and {} linearly (fitted over the "
                     "sizes measured: evidence, not proof).",
                     constant, total, log, linear);
}

report_table timing_table(const report& r) {
  report_table t;
  t.columns = {"section", "seconds", "regenerate"};
  t.numeric = {false, true, false};
  for (std::size_t i = 0; i < r.sections.size(); ++i) {
    const std::string b = fmt::format("/sections/{}", i);
    t.rows.push_back({{r.sections[i].title, b + "/title"}, {fmt::format("{:.1f}", r.sections[i].seconds), b + "/seconds"},
                      {r.sections[i].command, b + "/command"}});
  }
  t.rows.push_back({{"total", ""}, {fmt::format("{:.1f}", r.seconds), "/seconds"}, {r.command, "/command"}});
  return t;
}

}  // namespace tcx::report
