// The list of sections, and what they share.
#include <fmt/format.h>

#include <cmath>

#include "report/sections.hpp"

namespace tcx::report {

const std::vector<section_entry>& report_sections() {
  // A new section: one function in its own file, one line here with the files it writes.
  // Verification stays last: it lists the checks of the sections before it.
  static const std::vector<section_entry> sections{
      {"models", models_section, {"models.csv", "models_depth.svg", "models_size.svg"}},
      {"diffusion", diffusion_section, {"diffusion.csv", "convergence.csv", "diffusion_depth.svg", "convergence.svg"}},
      {"frontier", frontier_section, {"frontier.csv", "frontier_long_runs.csv", "frontier.svg", "frontier_depth.svg", "frontier_long.svg"}},
      {"trained", trained_section, {"trained.csv"}},
      {"verification", verification_section, {"verification.csv"}},
  };
  return sections;
}

const std::vector<std::string>& verdict_kinds() {
  static const std::vector<std::string> k{"constant", "logarithmic", "linear"};
  return k;
}

std::string verdict_title(const std::string& kind) {
  if (kind == "constant") return "Constant depth";
  if (kind == "logarithmic") return "Logarithmic growth";
  if (kind == "linear") return "Linear growth";
  return "Undecided";
}

namespace {
std::string signed_term(double b) {
  if (std::fabs(b) < 0.005) return "";
  return fmt::format(" {} {}", b < 0 ? "\u2212" : "+", fixed(std::fabs(b), 2));
}
}  // namespace

std::string depth_law(const nlohmann::json& fit) {
  const std::string kind = fit.value("depth_kind", "");
  if (kind == "constant") return fmt::format("depth = {}", fit.value("constant_depth", 0));
  if (kind == "logarithmic") {
    const auto& l = fit.at("depth_log_fit");
    return fmt::format("depth \u2248 {}\u00b7log\u2082n{}", fixed(l.at("a").get<double>(), 2), signed_term(l.at("b").get<double>()));
  }
  if (kind == "linear") {
    const auto& l = fit.at("depth_linear_fit");
    return fmt::format("depth \u2248 {}\u00b7n{}", fixed(l.at("a").get<double>(), 2), signed_term(l.at("b").get<double>()));
  }
  if (kind == "unclear") return "depth: not growing, not constant over a doubling";
  return "depth: too few sizes to fit";
}

}  // namespace tcx::report
