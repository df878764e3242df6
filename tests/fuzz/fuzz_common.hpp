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

}  // namespace tcx::fuzz
