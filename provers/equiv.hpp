#pragma once
// Equivalence of two circuits by a miter: both encoded over the same input variables, and one
// clause asking that some output pair differ. UNSAT proves equality for every input count; a
// model is a counterexample, re-checked by evaluating both circuits (a mismatch is an internal
// error, never an answer).
#include <string>

#include "circuits/circuit.hpp"
#include "provers/encode.hpp"
#include "provers/proof.hpp"
#include "provers/sat.hpp"

namespace tcx {

struct sat_equiv_params {
  encode_params encoding;
  sat_params sat;
  // With a proof wanted, CaDiCaL answers with a DRAT trace; an `equal` comes with the miter's CNF
  // and its proof (checked with proof.certify).
  proof_params proof;
  std::string query = "equiv-miter";
};

struct sat_equiv_result {
  enum Verdict { equal, different, unknown } verdict = unknown;
  std::vector<std::uint8_t> inputs, outputs_a, outputs_b;  // the counterexample
  std::uint32_t vars = 0;
  std::uint64_t clauses = 0;
  encode_stats encoded;
  double seconds = 0;  // wall seconds, encoding and solving (the budget counts CPU seconds)
  bool encoding_cut = false;  // unknown because the budget ran out while encoding (no solver call)
  bool has_proof = false;  // proof is filled in (equal, with a proof wanted)
  proof_record proof;
};

// The miter CNF alone (for --dimacs); both circuits must have the same input and output counts
// (std::invalid_argument otherwise). ca and cb receive the input variables and the outputs of
// the pairs that did not merge structurally (only those are encoded).
Cnf miter_cnf(const Circuit& a, const Circuit& b, const encode_params& p = {}, circuit_cnf* ca = nullptr,
              circuit_cnf* cb = nullptr, encode_stats* stats = nullptr);

sat_equiv_result equivalent_by_sat(const Circuit& a, const Circuit& b, const sat_equiv_params& p = {});

}  // namespace tcx
