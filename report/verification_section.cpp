// Section "verification": every check the sections before it made, one row each.
#include <fmt/format.h>

#include <algorithm>

#include "report/sections.hpp"

namespace tcx::report {

report_section verification_section(report_context& ctx) {
  report_section s = ctx.section("verification", "Verification");
  const std::size_t passed = static_cast<std::size_t>(std::count_if(ctx.checks.begin(), ctx.checks.end(), [](const report_check& c) { return c.passed; }));
  s.blocks.emplace_back(std::in_place_type<paragraph>,
      "Every circuit this report built, against an independent reference (plain C++ written apart from the circuit code). `all` "
      "is every input (a proof for that size); `random` is evidence. With `--only`, only the checks of the sections run.");
  nlohmann::json checks = nlohmann::json::array();
  std::string csv = csv_line("item", "inputs", "count", "result");
  report_table t;
  t.columns = {"circuit", "inputs", "checked", "result"};
  t.numeric = {false, false, true, false};
  for (std::size_t i = 0; i < ctx.checks.size(); ++i) {
    const report_check& c = ctx.checks[i];
    checks.push_back({{"item", c.item}, {"inputs", c.inputs}, {"count", c.count}, {"passed", c.passed}, {"result", c.passed ? "passed" : "FAILED"}});
    csv += csv_line(c.item, c.inputs, c.count, c.passed ? "passed" : "failed");
    const std::string b = fmt::format("/verification/checks/{}", i);
    t.rows.push_back({{c.item, b + "/item"}, {c.inputs, b + "/inputs"}, {std::to_string(c.count), b + "/count"},
                      {c.passed ? "passed" : "FAILED", b + "/result"}});
  }
  s.data = {{"checks", checks}, {"passed", passed}, {"all_passed", passed == ctx.checks.size()}};
  s.files.push_back({"verification.csv", csv});
  s.blocks.emplace_back(std::in_place_type<paragraph>, fmt::format("**{} of {} checks passed.**", passed, ctx.checks.size()));
  s.blocks.push_back(std::move(t));
  return s;
}

}  // namespace tcx::report
