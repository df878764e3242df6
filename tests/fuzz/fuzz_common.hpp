#pragma once
// Shared by the fuzz harnesses (tests/fuzz/README.md): what counts as a bug.
// A reader may answer hostile bytes with a circuit or with one of the documented errors
// (ParseError, IoError, ModelError); anything else escaping it -- std::invalid_argument from
// the Builder, std::bad_alloc from an unbounded allocation, a crash, a sanitizer report -- is a
// bug. A circuit it accepts must survive its own format: written, read back, same function.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"
#include "circuits/simulate.hpp"

namespace tcx::fuzz {

[[noreturn]] inline void bug(const char* what) {
  std::fprintf(stderr, "tcx fuzz: BUG: %s\n", what);
  std::abort();
}

// Same inputs, outputs and (up to 14 inputs: exhaustively) the same function.
inline void require_same(const Circuit& a, const Circuit& b) {
  if (a.num_inputs() != b.num_inputs() || a.num_outputs() != b.num_outputs()) bug("round trip changed the interface");
  if (a.num_inputs() > 14 || a.num_gates() + b.num_gates() > 20000) return;
  equiv_params p;
  p.sim.threads = 1;
  if (equivalent_by_simulation(a, b, p).verdict != equiv_result::equal) bug("round trip changed the function");
}

// The bounds a compiler runs under in a harness: 16 MiB of Builder memory and 2 s (the
// commands' --max-wires and --time-limit, smaller): hitting them is an answer, not a bug.
inline builder_params bounded_builder_params() {
  builder_params p;
  p.max_wires = std::uint64_t(1) << 21;
  p.time_limit_s = 2;
  return p;
}

}  // namespace tcx::fuzz
