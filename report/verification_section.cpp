// Section "verification": every check the sections before it made, one row each.
#include <fmt/format.h>

#include <algorithm>

#include "report/sections.hpp"

namespace tcx::report {

namespace {
const char* result_text(const report_check& c) { return c.passed ? "passed" : c.quoted ? "quoted" : "FAILED"; }
}  // namespace

report_section verification_section(report_context& ctx) {
  report_section s = ctx.section("verification", "Verification");
  auto count = [&](auto pred) { return static_cast<std::size_t>(std::count_if(ctx.checks.begin(), ctx.checks.end(), pred)); };
  const std::size_t passed = count([](const report_check& c) { return c.passed; });
  const std::size_t quoted = count([](const report_check& c) { return c.quoted; });
  const std::size_t checked = ctx.checks.size() - quoted;  // a quoted row is no check of this run
  s.blocks.emplace_back(std::in_place_type<paragraph>,
      "Every circuit this report built, against an independent reference (plain C++ written apart from the circuit code). `all` "
      "is every input (a proof for that size); `random` is evidence; `quoted` is a recorded result (a long run's lower bound) "
      "that this run did not check in full: quoted with the run that proved it, counted apart, neither passed nor failed. "
      "With `--only`, only the checks of the sections run.");
  nlohmann::json checks = nlohmann::json::array();
  std::string csv = csv_line("item", "inputs", "count", "result");
  report_table t;
  t.columns = {"circuit", "inputs", "checked", "result"};
  t.numeric = {false, false, true, false};
  for (std::size_t i = 0; i < ctx.checks.size(); ++i) {
    const report_check& c = ctx.checks[i];
    const std::string result = result_text(c);
    checks.push_back({{"item", c.item}, {"inputs", c.inputs}, {"count", c.count}, {"passed", c.passed}, {"quoted", c.quoted}, {"result", result}});
    csv += csv_line(c.item, c.inputs, c.count, c.failed() ? "failed" : result);
    const std::string b = fmt::format("/verification/checks/{}", i);
    t.rows.push_back({{c.item, b + "/item"}, {c.inputs, b + "/inputs"}, {std::to_string(c.count), b + "/count"}, {result, b + "/result"}});
  }
  s.data = {{"checks", checks}, {"checked", checked}, {"passed", passed}, {"quoted", quoted}, {"all_passed", passed == checked}};
  s.files.push_back({"verification.csv", csv});
  s.blocks.emplace_back(std::in_place_type<paragraph>,
                        fmt::format("**{} of {} checks passed{}.**", passed, checked,
                                    quoted == 0 ? std::string()
                                                : fmt::format("; {} recorded lower bound{} quoted, not re-checked in full in this run "
                                                              "(`tcx reproduce --long` reruns {})",
                                                              quoted, quoted == 1 ? "" : "s", quoted == 1 ? "it" : "them")));
  s.blocks.push_back(std::move(t));
  return s;
}

}  // namespace tcx::report
