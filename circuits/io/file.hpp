#pragma once
// File helpers shared by every reader and writer: parse errors that carry
// file:line:col, bounded whole-file reads, and writes that never clobber by accident.
#include <cstdint>
#include <stdexcept>
#include <string>

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

// Reads a whole file; refuses files larger than max_bytes instead of allocating for them.
std::string read_file(const std::string& path, std::uint64_t max_bytes = std::uint64_t(4) << 30);

// Writes `content` to `path` through a temporary file and a rename, so a failed write
// leaves no half file. Refuses to replace an existing file unless `overwrite`.
// The path "-" writes to standard output.
void write_file(const std::string& path, const std::string& content, bool overwrite);

// Makes write_file() write nothing (ranks other than 0 of an MPI run compute the same files as
// rank 0, which alone writes them; dist/runner.hpp).
void discard_file_writes(bool discard);

}  // namespace tcx
