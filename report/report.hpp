#pragma once
// The report of `tcx reproduce` as a library: a list of sections, each one function that runs its
// experiments and returns its data (a JSON object, stored as data.json[id]), its tables, figures
// and files, the command that regenerates it and the time it took. The document model is plain
// values; report.md and report.html are two renderings of it, so they cannot disagree, and every
// number a table shows names the place in data.json it comes from (a JSON pointer), which the
// tests check.
//
// A new section is one function `report_section f(report_context&)` and one line in
// report_sections() (report/sections.cpp) naming it and the files it writes.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "report/plot.hpp"

namespace tcx::report {

struct report_params {
  bool quick = false;                // smaller sizes and budgets: about a minute
  bool certify = false;              // the frontier's UNSAT answers re-solved with DRAT proofs and checked
  bool long_runs = false;            // the frontier's long runs: their recorded refutations rerun in full (minutes)
  std::vector<std::string> only;     // section ids to run (empty: all)
  std::string out = "tcx-report";    // only for the commands the report prints
  std::function<void(const std::string&)> progress;  // one line per step (may be empty)
};

// A table cell: its text, and where the value it shows lives in data.json ("" for a label).
struct table_cell {
  std::string text;
  std::string pointer;
};
struct report_table {
  std::vector<std::string> columns;
  std::vector<bool> numeric;  // per column: right-aligned and sorted as a number
  std::vector<std::vector<table_cell>> rows;
};

struct report_figure {
  std::string id;       // the file is ID.svg
  std::string message;  // the figure's one message, a sentence
  std::string caption;  // what is drawn (markdown-lite: `code`, **bold**)
  std::string source;   // the data file(s) it is drawn from
  std::string command;  // the command that regenerates it
  plot_figure plot;
};

// Running text: a paragraph of markdown-lite (`code`, **bold**).
struct paragraph {
  std::string text;
};
using block = std::variant<paragraph, report_table, report_figure>;

// One family on the first screen: does its depth stay constant or grow, and how.
struct summary_row {
  std::string family, kind, verdict;  // verdict: "constant", "logarithmic", "linear"
  std::string law;                    // "depth 2", "depth ~ 2.0 log2 n + 0.0", ...
  std::string section;                // where the family is drawn
  std::vector<std::pair<double, double>> depths;  // (n, depth), for the sparkline
  std::string pointer;                // data.json pointer of the verdict
};

struct report_check {
  std::string item;
  // "all" (every input: a proof for that size), "random" (evidence), "not run", or "quoted" (a
  // recorded result this run did not check in full)
  std::string inputs;
  std::uint64_t count = 0;  // inputs checked
  bool passed = false;
  // A recorded result quoted, not checked in full here: neither passed nor failed (passed is
  // false), counted apart, so that "N of N checks passed" counts only what was checked.
  bool quoted = false;
  bool failed() const { return !passed && !quoted; }
};

struct report_file {
  std::string name, text;
};

struct report_section {
  std::string id, title;
  std::string command;  // regenerates the section
  std::vector<block> blocks;
  std::vector<report_file> files;  // CSV files beside the report
  nlohmann::json data = nlohmann::json::object();
  std::vector<summary_row> summary;
  double seconds = 0;
};

// What sections share while the report runs: the parameters, and the checks made so far (the
// verification section lists them).
struct report_context {
  report_params params;
  std::vector<report_check> checks;
  // "tcx reproduce [--quick] --only ID --out DIR": regenerates one section.
  std::string section_command(const std::string& id) const;
  // A new section with its id, title and command set: how every section starts.
  report_section section(const std::string& id, const std::string& title) const {
    report_section s;
    s.id = id;
    s.title = title;
    s.command = section_command(id);
    return s;
  }
  void progress(const std::string& line) const {
    if (params.progress) params.progress(line);
  }
};

using section_function = report_section (*)(report_context&);
struct section_entry {
  const char* id;
  section_function run;
  // Every file the section may write beside the report (its CSV files and ID.svg figures):
  // write_report refuses a file missing here, and removes the ones a rerun no longer writes.
  std::vector<std::string> files;
};
// Every section in report order.
const std::vector<section_entry>& report_sections();
// Every file name a report folder may hold from tcx: the sections' files, data.json, report.html,
// report.md, and report.pdf with its browser log (cli/reproduce.cpp). A user's other files in
// the folder are never touched.
const std::vector<std::string>& report_file_names();
inline constexpr const char* pdf_log_name = "report.pdf.log";  // the browser's messages when printing failed

struct report {
  std::string command, version;
  unsigned threads = 0;
  std::vector<report_section> sections;
  std::vector<report_check> checks;
  double seconds = 0;
  bool all_passed() const;  // no check failed (a quoted one is not a failure)
  std::size_t quoted() const;  // the checks quoted, not checked in full
  nlohmann::json data() const;  // data.json
  // "report: DIR/report.md and report.html (S s; N checks, all passed[; K ... quoted ...])": the
  // last line of tcx reproduce and of Python's tcx.reproduce. A quoted check is not counted.
  std::string summary(const std::filesystem::path& dir) const;
};

// std::invalid_argument unless `only` names known sections, and one besides "verification"
// (which lists the others' checks); empty means all.
void check_section_ids(const std::vector<std::string>& only);

// Runs the sections (check_section_ids on params.only first).
report run_report(const report_params& p);

std::string render_markdown(const report& r);
// report.md's first line: what marks a folder as a previous report that --force may refill.
inline constexpr const char* markdown_head = "# tcx report\n";
// The one place that decides whether `dir` may receive a report (IoError otherwise): new, empty,
// or a previous report (a report.md that begins with markdown_head) with `force`.
void prepare_report_folder(const std::string& dir, bool force);
std::string render_html(const report& r);

// Writes report.md, report.html, data.json, the CSV files and each figure as ID.svg into dir,
// after removing the files of report_file_names() this report does not write (a previous
// report's, refilled with --force: a section or a PDF left out this time must not survive beside
// the new report.md). IoError when one cannot be removed.
void write_report(const report& r, const std::filesystem::path& dir);

// Helpers for sections.
std::string json_pointer(const std::vector<std::string>& parts);  // {"models","rows","3"} -> "/models/rows/3"
std::string fixed(double v, int decimals);                         // "1.07"

// One CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break, its quotes
// doubled. Every CSV file of the report is written through csv_line.
std::string csv_field(const std::string& s);
// One CSV record: each field formatted with fmt's {} and then csv_field, joined by commas, "\n".
template <class... T>
std::string csv_line(const T&... fields) {
  std::string line;
  bool first = true;
  ((line += (first ? "" : ",") + csv_field(fmt::format("{}", fields)), first = false), ...);
  return line + "\n";
}

}  // namespace tcx::report
