#include "report/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <stdexcept>
#include <thread>

#include "circuits/io/file.hpp"
#include "report/sections.hpp"
#include "tcx/version.hpp"

namespace tcx::report {

namespace {
// The section that lists the others' checks: refused alone by check_section_ids.
constexpr const char* verification_id = "verification";

// A word for a POSIX shell: as it is when it holds only safe characters, else in single quotes.
std::string shell_word(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+.,/:=@%") == std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}
}  // namespace

std::string report_context::section_command(const std::string& id) const {
  // Verification alone reports nothing and is refused: its command runs it with the sections
  // whose checks it lists, those of this run.
  std::vector<std::string> ids{id};
  if (id == verification_id) {
    ids.clear();
    for (const section_entry& e : report_sections())
      if (params.only.empty() || std::find(params.only.begin(), params.only.end(), e.id) != params.only.end()) ids.push_back(e.id);
  }
  // tcx refuses an --out that starts with '-' (a flag taken for a name): such a folder is ./-x.
  const std::string out = (params.out.starts_with('-') ? "./" : "") + params.out + "-" + id;
  return fmt::format("tcx reproduce{}{}{} --only {} --out {}", params.quick ? " --quick" : "", params.certify ? " --certify" : "",
                     params.long_runs ? " --long" : "", fmt::join(ids, ","), shell_word(out));
}

std::string json_pointer(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    out += '/';
    for (char c : p) out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  }
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string fixed(double v, int decimals) {
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);  // no "-0.00"
  return s;
}

bool report::all_passed() const {
  return std::none_of(checks.begin(), checks.end(), [](const report_check& c) { return c.failed(); });
}

std::size_t report::quoted() const {
  return static_cast<std::size_t>(std::count_if(checks.begin(), checks.end(), [](const report_check& c) { return c.quoted; }));
}

std::string report::summary(const std::filesystem::path& dir) const {
  const std::size_t q = quoted();
  return fmt::format("report: {} and report.html ({:.1f} s; {} checks, {}{})\n", (dir / "report.md").string(), seconds, checks.size() - q,
                     all_passed() ? "all passed" : "SOME FAILED",
                     q ? fmt::format("; {} recorded lower bound{} quoted, not re-checked in full", q, q == 1 ? "" : "s") : std::string());
}

nlohmann::json report::data() const {
  nlohmann::json d = {{"tcx_version", version}, {"command", command}, {"threads", threads}, {"seconds", seconds}};
  nlohmann::json secs = nlohmann::json::array(), summary = nlohmann::json::array();
  for (const report_section& s : sections) {
    d[s.id] = s.data;
    secs.push_back({{"id", s.id}, {"title", s.title}, {"command", s.command}, {"seconds", s.seconds}});
    for (const summary_row& r : s.summary)
      summary.push_back({{"family", r.family}, {"kind", r.kind}, {"verdict", r.verdict}, {"law", r.law}, {"section", r.section}, {"source", r.pointer}});
  }
  d["sections"] = secs;
  d["summary"] = summary;
  return d;
}

void check_section_ids(const std::vector<std::string>& only) {
  const std::vector<section_entry>& all = report_sections();
  for (const std::string& id : only)
    if (std::none_of(all.begin(), all.end(), [&](const section_entry& e) { return id == e.id; })) {
      std::string known;
      for (const section_entry& e : all) known += std::string(known.empty() ? "" : ", ") + e.id;
      throw std::invalid_argument(fmt::format("--only: no section '{}' (sections: {})", id, known));
    }
  // Verification lists the other sections' checks: alone it would report nothing and pass.
  if (!only.empty() && std::all_of(only.begin(), only.end(), [](const std::string& id) { return id == verification_id; }))
    throw std::invalid_argument("--only: 'verification' lists the checks of the other sections; name at least one of them too");
}

report run_report(const report_params& p) {
  check_section_ids(p.only);
  const std::vector<section_entry>& all = report_sections();
  report r;
  r.version = version;
  // Every option that changes what the report shows (--certify marks cells, --long reruns bounds).
  r.command = fmt::format("tcx reproduce{}{}{}", p.quick ? " --quick" : "", p.certify ? " --certify" : "", p.long_runs ? " --long" : "");
  if (!p.only.empty()) r.command += fmt::format(" --only {}", fmt::join(p.only, ","));
  r.threads = std::thread::hardware_concurrency();
  report_context ctx{p, {}};
  const auto start = std::chrono::steady_clock::now();
  for (const section_entry& e : all) {
    if (!p.only.empty() && std::find(p.only.begin(), p.only.end(), e.id) == p.only.end()) continue;
    const auto t0 = std::chrono::steady_clock::now();
    report_section s = e.run(ctx);
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ctx.progress(fmt::format("{}: {:.1f} s", s.id, s.seconds));
    r.sections.push_back(std::move(s));
  }
  r.checks = ctx.checks;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

namespace {
// Whole or not at all (circuits/io/file.hpp): a stopped run leaves no half file. The folder was
// prepared by the caller, so replacing tcx's own files is allowed.
void write_file(const std::filesystem::path& path, const std::string& text) { tcx::write_file(path.string(), text, true); }
}  // namespace

const std::vector<std::string>& report_file_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n{"report.md", "report.html", "data.json", "report.pdf", pdf_log_name};
    for (const section_entry& e : report_sections()) n.insert(n.end(), e.files.begin(), e.files.end());
    return n;
  }();
  return names;
}

void write_report(const report& r, const std::filesystem::path& dir) {
  // What this report writes, each name one its section lists (else a --force rerun could not
  // know to remove it).
  std::set<std::string> written{"report.md", "report.html", "data.json"};
  auto add = [&](const report_section& s, const std::string& name) {
    const std::vector<section_entry>& all = report_sections();
    const auto e = std::find_if(all.begin(), all.end(), [&](const section_entry& x) { return s.id == x.id; });
    if (e == all.end() || std::find(e->files.begin(), e->files.end(), name) == e->files.end())
      throw std::logic_error(fmt::format("report section {} writes {}, which its entry in report_sections() does not list", s.id, name));
    written.insert(name);
  };
  for (const report_section& s : r.sections) {
    for (const report_file& f : s.files) add(s, f.name);
    for (const block& b : s.blocks)
      if (const auto* fig = std::get_if<report_figure>(&b)) add(s, fig->id + ".svg");
  }
  for (const std::string& name : report_file_names()) {
    if (written.count(name)) continue;
    std::error_code ec;
    std::filesystem::remove(dir / name, ec);
    if (ec) throw IoError(fmt::format("{}: cannot remove the previous report's file: {}", (dir / name).string(), ec.message()));
  }
  for (const report_section& s : r.sections) {
    for (const report_file& f : s.files) write_file(dir / f.name, f.text);
    for (const block& b : s.blocks)
      if (const auto* fig = std::get_if<report_figure>(&b)) write_file(dir / (fig->id + ".svg"), figure_svg(fig->plot, fig->message));
  }
  write_file(dir / "data.json", r.data().dump(2) + "\n");
  write_file(dir / "report.html", render_html(r));
  write_file(dir / "report.md", render_markdown(r));  // last: its presence marks a complete report
}

void prepare_report_folder(const std::string& dir, bool force) { prepare_output_folder(dir, "report.md", markdown_head, force); }

}  // namespace tcx::report
