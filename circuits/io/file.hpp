#pragma once
// File helpers shared by every reader and writer: parse errors that carry
// file:line:col, bounded whole-file reads, and writes that never clobber by accident.
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tcx {

// A syntax or semantic error in an input file. what() is "file:line:col: message".
class ParseError : public std::runtime_error {
public:
  ParseError(const std::string& file, std::uint32_t line, std::uint32_t col, const std::string& message);
  std::string file;
  std::uint32_t line, col;
  std::string message;
};

// Any other input/output failure (missing file, file too large, refusing to overwrite).
class IoError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The largest circuit file read by default: 1 GiB, the memory bound the CLI promises.
inline constexpr std::uint64_t default_max_file_bytes = std::uint64_t(1) << 30;

// Reads a whole file; refuses files larger than max_bytes instead of allocating for them.
// `check_head`, when given, sees the first bytes (up to 64 KiB, or the whole file) before
// anything more is read, so a wrong file (a binary blob, /dev/zero) fails before it is read.
std::string read_file(const std::string& path, std::uint64_t max_bytes = default_max_file_bytes,
                      const std::function<void(std::string_view head)>& check_head = {});

// A check_head for text formats: refuses NUL bytes (no text circuit file holds one).
void require_text_head(std::string_view head, const std::string& path);

// Text safe to print in one error line: control bytes and bytes above 126 become \xHH, and
// text longer than max_chars is cut with "..." (a 1 MB formula is not repeated whole).
std::string printable(std::string_view text, std::size_t max_chars = 80);

// A family's file name at size n: every "{n}" of the pattern replaced by n ('mlp_{n}.onnx').
std::string file_for_size(std::string_view pattern, std::int64_t n);

// A whole string as a 64-bit integer; std::invalid_argument naming `what` otherwise.
std::int64_t parse_integer(const std::string& text, const std::string& what);

// Writes `content` to `path` so that no half-written file can appear under that name:
// a unique temporary file in the target's folder (mkstemp), fsync, then rename. An interrupted
// run (SIGINT, SIGTERM, SIGHUP, SIGXCPU, SIGXFSZ) removes the temporary file before it dies.
// - "-", /dev/stdout and /dev/fd/1 write to standard output, /dev/stderr and /dev/fd/2 to standard error;
// - device nodes, FIFOs and sockets are written through (never replaced);
// - a symbolic link is followed: its target is replaced, the link stays;
// - an existing regular file is replaced only when `overwrite` (--force).
// - with input guarding on (the command line), a file this process read is never replaced, even
//   with `overwrite`: `-o in.tc --force` or `--proof in.tc --force` naming the command's own input
//   is refused; `replaces_input` allows it where that is the point (a --state file resumed).
void write_file(const std::string& path, const std::string& content, bool overwrite, bool replaces_input = false);

// Removes the temporary files write_file left beside `path` when a run was killed with no
// chance to clean up (SIGKILL), those older than a minute (a live write's is younger); a state
// file's run calls it, since a killed run's retries would pile them up.
void remove_stale_temp_files(const std::string& path);

// A line the command line prints on stderr when one of those signals stops the run (what a
// resumable run has kept, and how to continue it); "" for none.
void set_stop_note(const std::string& note);

// Input guarding for one command (the CLI turns it on; a Python session, which may load a file
// and save it back on purpose, does not): read_file and note_input_file remember what was read.
void guard_input_files(bool on);
void note_input_file(const std::string& path);  // a file read by other means (ONNX)
bool is_input_file(const std::string& path);    // guarding on, and `path` is a file read so far

// "-", /dev/stdout and /dev/fd/1 name standard output (write_file writes them through fd 1,
// whatever it is: a terminal, a pipe, a file the shell opened).
bool is_stdout_path(const std::string& path);
// True once write_file has thrown "standard output: write error" (the caller reported it; the
// CLI's last check of standard output then does not report it again).
bool stdout_write_error_thrown();
// "/dev/stderr" and "/dev/fd/2": standard error, likewise.
bool is_stderr_path(const std::string& path);

// Makes write_file() write nothing (ranks other than 0 of an MPI run compute the same files as
// rank 0, which alone writes them; dist/runner.hpp).
void discard_file_writes(bool discard);

// A folder that a command fills with its own files (a report): created when missing. An existing
// folder is accepted when it is empty, or when it holds `marker` (a previous run's: a file that
// begins with `marker_head`) and `overwrite`; a non-empty folder without such a marker is refused
// even with `overwrite` (its files are the user's, a report.md of their own included).
void prepare_output_folder(const std::string& dir, const std::string& marker, const std::string& marker_head, bool overwrite);

}  // namespace tcx
