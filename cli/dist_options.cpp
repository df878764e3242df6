#include "cli/dist_options.hpp"

#include "circuits/io/file.hpp"
#include "circuits/progress.hpp"
#include "dist/runner.hpp"

namespace tcx::cli {

void add_progress_flag(CLI::App& cmd) {
  cmd.add_flag_callback("--progress", [] { set_progress_mode(progress_mode::on); },
                        "report progress on stderr (done / total, rate, time left) even when stderr is not a terminal");
}

void add_dist_options(CLI::App& cmd, DistOptions& o, bool ranges) {
  cmd.add_option("--state", o.state,
                 "record settled work in this file as it finishes (atomically), so that --resume can continue a run "
                 "that was stopped or killed")
      ->check([](const std::string& s) { return s.empty() ? std::string("needs a file name") : std::string(); });
  cmd.add_flag("--resume", o.resume, "continue the run recorded in --state (starts afresh if the file does not exist yet)");
  cmd.add_flag("--restart", o.restart, "start over, replacing an existing --state file");
  add_progress_flag(cmd);
  if (ranges)
    cmd.add_option("--unit-patterns", o.unit_patterns,
                   "patterns per work unit (a power of two, at least 64; default: about a quarter second of work)")
        ->check([](const std::string& s) -> std::string {
          std::uint64_t v = 0;
          try {
            v = std::stoull(s);
          } catch (const std::exception&) {
            return "not a number";
          }
          return v >= 64 && (v & (v - 1)) == 0 ? "" : "must be a power of two >= 64";
        });
}

dist::state_options state_options(const DistOptions& o) {
  if (o.resume && o.restart) throw std::invalid_argument("--resume and --restart exclude each other");
  if (o.state.empty() && (o.resume || o.restart)) throw std::invalid_argument("--resume and --restart need --state FILE");
  if (!o.state.empty() && dist::is_root())
    set_stop_note("tcx: stopped by a signal; what was settled is recorded in " + o.state + " (--resume continues from there)\n");
  dist::state_options s;
  s.path = o.state;
  s.resume = o.resume;
  s.force = o.restart;
  return s;
}

dist::run_options run_options(const DistOptions& o, const std::string& label, const std::vector<dist::key_field>& key) {
  dist::run_options r;
  r.state = state_options(o);
  r.unit_patterns = o.unit_patterns;
  r.label = label;
  r.key = dist::named_key(key);
  r.state.earlier_keys.push_back(dist::word_key(key));
  return r;
}

}  // namespace tcx::cli
