#include "cli/common.hpp"

#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include "circuits/interrupt.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/formats.hpp"

namespace tcx::cli {

Circuit load_circuit(const std::string& path) { return read_circuit_file(path); }

namespace {
std::atomic<bool> ctrl_c{false};
}  // namespace

bool ctrl_c_pressed() { return ctrl_c.load(); }
void note_ctrl_c() { ctrl_c.store(true); }

void budget_ran_out(const std::string& command, const std::string& why, const std::string& hint) {
  // after Ctrl-C the hint is beside the point: the user stopped it
  std::cerr << "tcx: " << command << ": unknown: " << why << (ctrl_c_pressed() ? "" : " (" + hint + ")") << "\n";
  throw Exit{3};
}

InterruptAfter::InterruptAfter(double seconds) {
  if (!(seconds > 0)) return;
  thread_ = std::thread([this, seconds] {
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return done_; })) return;
    fired_ = true;
    request_interrupt();
  });
}

InterruptAfter::~InterruptAfter() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (fired_) clear_interrupt();
}

std::string time_limit_reason(double seconds, const std::string& interrupted_why) {
  const std::string word = "interrupted";
  if (interrupted_why.rfind(word, 0) != 0) return interrupted_why;  // the Builder's own clock said it
  return fmt::format("the time limit of {:g} s ran out{}", seconds, interrupted_why.substr(word.size()));
}

void add_output_options(CLI::App& cmd, OutputOptions& o) {
  cmd.add_option("-o,--output", o.path, "output file ('-' for standard output)");
  cmd.add_flag("--force", o.force, "replace the output file if it exists");
}

void write_output(const OutputOptions& o, const std::string& content) { write_file(o.path, content, o.force); }

void refuse_wrapped_unsigned(CLI::App& app) {
  // CLI11 reads "-1" into an unsigned flag as 2^64 - 1 and 2^64 as 2^64 - 1: a budget or a count
  // the user never asked for (--conflicts -1 ran without a budget, --random -1 died in reserve).
  const CLI::Validator plain(
      [](std::string& s) -> std::string {
        const std::size_t at = s.find_first_not_of(" \t");
        if (at != std::string::npos && s[at] == '-') return "expected a non-negative integer, got '" + s + "'";
        std::uint64_t v = 0;
        const auto [end, ec] = std::from_chars(s.data() + (at == std::string::npos ? s.size() : at), s.data() + s.size(), v);
        if (ec == std::errc::result_out_of_range) return "'" + s + "' is too large (at most 2^64 - 1)";
        return "";
      },
      "");  // no description: the help text stays as it is
  for (CLI::Option* o : app.get_options())
    if (o->get_type_name().rfind("UINT", 0) == 0) o->check(plain);
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) refuse_wrapped_unsigned(*sub);
}

CLI::Validator seconds_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != 0 || !std::isfinite(v) || v < 0 || v > 1e7)
          return "expected seconds in [0, 10^7], got '" + text + "'";
        return {};
      },
      "SECONDS in [0, 1e7]");
}

CLI::Validator int_range(std::int64_t lo, std::int64_t hi) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        const bool minus = !text.empty() && text[0] == '-';
        const std::string digits = text.substr(!text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0);
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return "'" + printable(text) + "' is not an integer";
        // Past 19 digits it is out of range whatever the bounds (they are 64-bit).
        bool in = digits.size() <= 18;
        if (in) {
          const std::int64_t v = (minus ? -1 : 1) * std::stoll(digits);
          in = v >= lo && v <= hi;
        }
        return in ? std::string{} : "Value " + text + " not in range " + std::to_string(lo) + " to " + std::to_string(hi);
      },
      "INT in [" + std::to_string(lo) + " - " + std::to_string(hi) + "]");
}

CLI::Validator real_range(double lo, double hi, bool lo_open) {
  const std::string range = fmt::format("{}{:g}, {:g}]", lo_open ? "(" : "[", lo, hi);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != 0 || !std::isfinite(v) || v < lo || (lo_open && v == lo) || v > hi)
          return "expected a number in " + range + ", got '" + printable(text) + "'";
        return {};
      },
      "in " + range);
}


// "4..256" with a step "x2" (multiply) or "+4" / "4" (add).
std::vector<std::int64_t> size_range(const std::string& range, const std::string& step, const std::string& option,
                                     const std::string& step_option) {
  auto number = [](const std::string& s, const char* what) { return parse_integer(s, what); };
  const auto dots = range.find("..");
  const std::int64_t lo = number(range.substr(0, dots), option.c_str());
  const std::int64_t hi = dots == std::string::npos ? lo : number(range.substr(dots + 2), option.c_str());
  if (lo < 1 || hi < lo) throw std::invalid_argument(option + " " + range + ": expected A..B with 1 <= A <= B");
  if (hi > max_size) throw std::invalid_argument(option + " " + range + ": sizes above 2^24 = 16777216 are not supported");
  const bool times = !step.empty() && step[0] == 'x';
  const std::int64_t by = number(step.substr(!step.empty() && (step[0] == 'x' || step[0] == '+') ? 1 : 0), step_option.c_str());
  if (by < (times ? 2 : 1)) throw std::invalid_argument(step_option + " " + step + ": expected xK with K >= 2 or +K with K >= 1");
  std::vector<std::int64_t> ns;
  for (std::int64_t n = lo; n <= hi; n = times ? n * by : n + by) {
    ns.push_back(n);
    if (ns.size() > 10000) throw std::invalid_argument(option + "/--step give more than 10000 sizes");
    if (n > INT64_MAX / (times ? by : 1) - by) break;
  }
  return ns;
}

TaskParams parse_task_params(const std::vector<std::string>& kvs) {
  TaskParams p;
  for (const std::string& kv : kvs) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) throw std::invalid_argument("--param takes NAME=VALUE, got '" + kv + "'");
    const std::string name = kv.substr(0, eq);
    if (p.count(name)) throw std::invalid_argument("--param " + name + " is given twice");
    p[name] = parse_integer(kv.substr(eq + 1), "--param " + name);
  }
  return p;
}

}  // namespace tcx::cli
