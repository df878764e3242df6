#pragma once
// The .tc text format: a versioned, line-based, diffable threshold-netlist format.
// docs/format.md gives the grammar. Example:
//
//   tcx-circuit 2
//   input a b c
//   gate m = a + b + c >= 2
//   output maj = m
//   end
#include <cstdint>
#include <string>
#include <string_view>

#include "circuits/circuit.hpp"

namespace tcx {

// The version tcx writes. Version 2 is version 1 with a closing `end` line, required, so that a
// file cut short at a line boundary is refused instead of read as a smaller circuit. Version 1
// files (no `end` needed) are still read.
inline constexpr int tc_format_version = 2;
inline constexpr int tc_oldest_version = 1;

struct tc_reader_params {
  std::uint32_t max_inputs = 1u << 24;       // refuse to declare more inputs than this
  std::size_t max_integer_digits = 100000;   // per weight or threshold literal
  std::uint64_t max_file_bytes = std::uint64_t(1) << 30;  // 1 GiB: the CLI's memory bound
};

// Parses .tc text; throws ParseError ("file:line:col: message") on any error.
Circuit read_tc(std::string_view text, const std::string& filename, const tc_reader_params& params = {});
Circuit read_tc_file(const std::string& path, const tc_reader_params& params = {});

struct tc_writer_params {
  // Poll the interrupt (circuits/interrupt.hpp) and throw BudgetExceeded when it is raised: for a
  // caller under a time limit (a cell's text can be hundreds of MB). Off by default, so that work
  // finishing after a Ctrl-C still writes its state records and answers.
  bool stop_on_interrupt = false;
};

// Writes .tc text; read_tc(write_tc(c)) is structurally equal to c.
std::string write_tc(const Circuit& c, const tc_writer_params& params = {});

// True when `name` can be written bare (otherwise it is written quoted).
bool is_plain_name(std::string_view name);

}  // namespace tcx
