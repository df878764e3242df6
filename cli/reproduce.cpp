// `tcx reproduce`: flags, the report folder and the optional PDF; the report itself (its sections,
// figures, report.md and report.html) is the library in report/.
#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "circuits/io/file.hpp"
#include "cli/common.hpp"
#include "report/report.hpp"

namespace tcx::cli {

namespace fs = std::filesystem;

namespace {

// A Chromium-family browser on PATH, or "".
std::string find_chromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"})
    if (std::system(fmt::format("command -v {} >/dev/null 2>&1", name).c_str()) == 0) return name;
  return {};
}

// A file:// URL of an absolute path: every byte but letters, digits, "-._~/" percent-encoded (a
// folder named "a#b" or "50%" is a path, not a fragment or an escape).
std::string file_url(const fs::path& path) {
  std::string url = "file://";
  for (unsigned char c : path.string())
    url += std::isalnum(c) || std::strchr("-._~/", c) ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  return url;
}

// report.pdf from report.html by the browser's print to PDF (headless, no network, a scratch profile).
// The browser runs from an argument vector, never through a shell: the folder's name is the
// user's and may hold any character. Its messages (dozens of lines of D-Bus noise even when it
// works) go to report.pdf.log, kept and named only when printing failed.
void print_pdf(const std::string& browser, const fs::path& dir) {
  const fs::path html = fs::absolute(dir / "report.html"), pdf = fs::absolute(dir / "report.pdf"), log = fs::absolute(dir / report::pdf_log_name);
  std::string profile = (fs::temp_directory_path() / "tcx-chromium-XXXXXX").string();
  if (!::mkdtemp(profile.data()))
    throw std::runtime_error(fmt::format("printing report.html to PDF: cannot make a browser profile folder: {}", std::strerror(errno)));
  std::vector<std::string> args{browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                "--user-data-dir=" + profile, "--no-pdf-header-footer", "--print-to-pdf=" + pdf.string(),
                                file_url(html)};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t io;
  posix_spawn_file_actions_init(&io);
  posix_spawn_file_actions_addopen(&io, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&io, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&io, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, browser.c_str(), &io, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&io);
  int status = 0;
  if (spawned == 0)
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  std::error_code ec;
  fs::remove_all(profile, ec);
  if (spawned != 0) throw std::runtime_error(fmt::format("printing report.html to PDF: cannot run {}: {}", browser, std::strerror(spawned)));
  const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && fs::exists(pdf, ec) && fs::file_size(pdf, ec) > 0;
  if (!ok) {
    const std::string how = !WIFEXITED(status)        ? fmt::format("killed by signal {}", WTERMSIG(status))
                            : WEXITSTATUS(status) != 0 ? fmt::format("exit {}", WEXITSTATUS(status))
                                                       : std::string("no report.pdf written");
    throw std::runtime_error(fmt::format("printing report.html to PDF failed ({}: {}; its messages: {})", browser, how, log.string()));
  }
  fs::remove(log, ec);
}

}  // namespace

void add_reproduce_command(CLI::App& app) {
  struct Opts {
    std::string out = "tcx-report";
    std::vector<std::string> only;
    bool quick = false, force = false, pdf = false, certify = false, long_runs = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("reproduce", "the headline experiments: the model zoo as circuit families, diffusion samplers, "
                                              "the SAT frontier of serial tasks, verification; writes a report folder");
  cmd->add_option("--out", o->out, "the report folder (default tcx-report)");
  cmd->add_flag("--quick", o->quick, "smaller sizes and budgets: about 30 seconds on 2 cores instead of about 3 minutes");
  cmd->add_flag("--force", o->force, "write into a folder that already holds a report");
  std::vector<std::string> ids;
  for (const report::section_entry& e : report::report_sections()) ids.push_back(e.id);
  cmd->add_option("--only", o->only, fmt::format("run only these sections (comma-separated: {})", fmt::join(ids, ", ")))
      ->delimiter(',')
      ->check(CLI::IsMember(ids));
  cmd->add_flag("--certify", o->certify, "check a DRAT proof of every UNSAT answer of the frontier (certified cells marked c)");
  cmd->add_flag("--long", o->long_runs,
                "rerun the frontier's long-run refutations in full instead of quoting them (tt on every core: about 4.5 minutes more on 2 cores)");
  cmd->add_flag("--pdf", o->pdf, "also print report.html to report.pdf with Chromium (headless)");
  cmd->callback([o] {
    // "--out --" or "--out --quick" is a flag taken for the folder's name, not a folder to make;
    // ./-x names such a folder.
    if (o->out.starts_with('-'))
      throw CLI::ValidationError("--out", fmt::format("'{}' starts with '-', as a flag does; to name a folder so, write ./{}", o->out, o->out));
    const fs::path dir(o->out);
    const std::string browser = o->pdf ? find_chromium() : "";
    if (o->pdf && browser.empty()) throw CLI::ValidationError("--pdf", "needs chromium on PATH (apt-get install chromium)");
    report::check_section_ids(o->only);  // before the folder is made
    report::prepare_report_folder(dir.string(), o->force);
    report::report_params p;
    p.quick = o->quick;
    p.certify = o->certify;
    p.long_runs = o->long_runs;
    p.only = o->only;
    p.out = o->out;
    p.progress = [](const std::string& line) { std::cerr << "tcx reproduce: " << line << std::endl; };
    const report::report r = report::run_report(p);
    report::write_report(r, dir);
    if (o->pdf) print_pdf(browser, dir);
    std::cout << r.summary(dir);
    if (!r.all_passed()) throw Exit{1};
  });
}

}  // namespace tcx::cli
