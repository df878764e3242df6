#pragma once
// Shared pieces of the command-line layer: loading circuits by file type,
// writing outputs without clobbering, and the error-to-exit-status convention.
#include <CLI/CLI.hpp>

#include <chrono>
#include <string>

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
