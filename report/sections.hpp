#pragma once
// The sections of the report, one function each (report/*_section.cpp); report_sections() in
// sections.cpp lists them in order.
#include "report/report.hpp"

namespace tcx::report {

report_section models_section(report_context& ctx);        // the model zoo as circuit families
report_section diffusion_section(report_context& ctx);     // unrolled diffusion samplers
report_section frontier_section(report_context& ctx);      // the SAT frontier of serial tasks
report_section trained_section(report_context& ctx);       // trained PyTorch networks via ONNX
report_section verification_section(report_context& ctx);  // every check the sections made

// Shared by sections: the model kinds' names, and a growth fit's depth law as a plot series note.
std::string depth_law(const nlohmann::json& fit);  // "constant depth 2", "depth ≈ 2.00·log₂n + 0.00", ...
// The marker kinds of a fit: "constant", "logarithmic", "linear".
const std::vector<std::string>& verdict_kinds();
std::string verdict_title(const std::string& kind);  // "Constant depth", "Logarithmic growth", ...

}  // namespace tcx::report
