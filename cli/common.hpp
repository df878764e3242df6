#pragma once
// Shared pieces of the command-line layer: loading circuits by file type,
// writing outputs without clobbering, and the error-to-exit-status convention.
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/bits.hpp"
#include "circuits/io/file.hpp"
#include "tasks/task.hpp"

namespace tcx::cli {

// Thrown by a command to end with a given status after printing nothing more.
struct Exit {
  int status;
};

// Reads a circuit; the format comes from the extension (.tc .aag .aig .blif .th).
Circuit load_circuit(const std::string& path);

// Options shared by commands that write a file.
struct OutputOptions {
  std::string path = "-";
  bool force = false;
};
void add_output_options(CLI::App& cmd, OutputOptions& o);
void write_output(const OutputOptions& o, const std::string& content);

// Exit status for errors: 1, except in commands whose 1 is an answer (equiv: 2).
inline int error_status = 1;

// A command's answer when its budget ran out (--time-limit, or an interrupt): one line,
// "tcx: COMMAND: unknown: WHY (HINT)", then exit 3 (docs/cli.md).
// Whether the user pressed Ctrl-C (cli/main.cpp takes SIGINT and raises the library's interrupt,
// which a --time-limit timer raises too: this tells the two apart).
bool ctrl_c_pressed();
void note_ctrl_c();

[[noreturn]] void budget_ran_out(const std::string& command, const std::string& why,
                                 const std::string& hint = "raise --time-limit");

// An interrupt (circuits/interrupt.hpp) requested by a thread once `seconds` have passed (0:
// never), for loops that poll only that flag (a table tabulated, a layer normalized before the
// Builder sees it). The destructor stops the thread and clears the interrupt it requested.
class InterruptAfter {
public:
  explicit InterruptAfter(double seconds);
  ~InterruptAfter();
  InterruptAfter(const InterruptAfter&) = delete;
  InterruptAfter& operator=(const InterruptAfter&) = delete;
  bool fired() const { return fired_.load(); }

private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::atomic<bool> fired_{false};
  std::thread thread_;
};

// "interrupted while X" (or "after N gate requests") as "the time limit of S s ran out while X";
// any other reason as it is.
std::string time_limit_reason(double seconds, const std::string& interrupted_why);
// f() under --time-limit SECONDS (0 = none), measured from now: the Builders' budget
// (default_builder_params().time_limit_s, polled every 1024 gates and by compilers between gate
// requests) and an InterruptAfter for the loops that poll only interrupts. Out of time: one
// line, "tcx: COMMAND: unknown: the time limit of S s ran out ...", exit 3, nothing written.
// Afterwards the Builders' budget is what it was (writing, which may lower the circuit, is not f).
template <class F>
auto within_time_limit(const std::string& command, double seconds, F&& f) -> decltype(f()) {
  struct Restore {
    double before = default_builder_params().time_limit_s;
    ~Restore() { default_builder_params().time_limit_s = before; }
  } restore;
  default_builder_params().time_limit_s = seconds;
  InterruptAfter alarm(seconds);
  try {
    return f();
  } catch (const BudgetExceeded& e) {
    budget_ran_out(command, alarm.fired() ? time_limit_reason(seconds, e.what()) : std::string(e.what()));
  }
}

// The output format: the --format flag if given, else the -o extension (.aag, .blif, ...), else tc.
// A --format that contradicts a known extension is a usage error (std::invalid_argument).
std::string output_format(const std::string& format_flag, const std::string& path);
// Refuses an existing -o file without --force before a long run (IoError), not after it.
void refuse_existing_output(const OutputOptions& o);

// The circuit in a named format; formats that need an AND network lower it first (a note on stderr).
std::string render_circuit(const Circuit& c, const std::string& format);

// A whole string as a 64-bit integer; std::invalid_argument naming `what` otherwise.
using tcx::parse_integer;  // circuits/io/file.hpp
using tcx::bits_text;  // circuits/bits.hpp
// Seconds elapsed since t.
inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
// "4..256" with a step "x2" (multiply) or "+4" / "4" (add): the sizes of a sweep, checked up front
// (1 <= A <= B <= max_size, at most 10000 sizes); std::invalid_argument otherwise.
inline constexpr std::int64_t max_size = std::int64_t(1) << 24;
// `option` and `step_option` name the range and the step in messages (Python names its keywords).
std::vector<std::int64_t> size_range(const std::string& range, const std::string& step, const std::string& option = "--n",
                                     const std::string& step_option = "--step");
// NAME=VALUE pairs (--param) as task parameters; std::invalid_argument on a malformed pair.
TaskParams parse_task_params(const std::vector<std::string>& kvs);

// Flag ranges shared by commands (docs/cli.md lists them; a value outside is a usage error, exit 2).
// --time-limit: a finite number of seconds in [0, 10^7] (NaN, -1 and inf are refused).
CLI::Validator seconds_check();
// Every unsigned flag of app and its subcommands refuses a negative value and one past 2^64 - 1
// (CLI11 would wrap them to 2^64 - 1): call once, after every command is added.
void refuse_wrapped_unsigned(CLI::App& app);
// An integer flag in [lo, hi]: as CLI::Range, but "1e3" or "1.5" is "not an integer" (CLI::Range
// calls every value it cannot parse "not in range").
CLI::Validator int_range(std::int64_t lo, std::int64_t hi);
// A real flag in [lo, hi] (or (lo, hi] when lo_open), finite: CLI::Range lets NaN through.
CLI::Validator real_range(double lo, double hi, bool lo_open = false);
// --threads: 0 (all cores) to 1024; more threads than that only exhaust the task arena.
inline constexpr std::uint32_t max_threads = 1024;

void add_circuit_commands(CLI::App& app);
void add_cell_commands(CLI::App& app);
void add_task_commands(CLI::App& app);
void add_verify_commands(CLI::App& app);
void add_prover_commands(CLI::App& app);
void add_reproduce_command(CLI::App& app);
void add_model_commands(CLI::App& app);
void add_diffusion_commands(CLI::App& app);
void add_proof_commands(CLI::App& app);

}  // namespace tcx::cli
