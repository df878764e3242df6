#pragma once
// Internal to synthesis: the truth-table method (docs/provers.md, "The tt method"). Every gate's
// values on the input patterns in play are free SAT variables; the template fixes which gates
// each gate reads. A model is a candidate assignment of gate functions; each is checked for
// thresholdness exactly (provers/separable.hpp) and a failure adds the certificate's clause.
#include <cstdint>
#include <vector>

#include "circuits/truth_table.hpp"
#include "provers/synth.hpp"
#include "provers/tt_certify.hpp"
#include <optional>

namespace tcx::synth_detail {

// truth: as synthesize() takes it; sens: per pattern, how informative it is as a counterexample.
// fixed[g], when given: hidden gate g's function over the inputs, a threshold function of its
// sources the caller vouches for (descent's repair, provers/descent.hpp); the search is then for
// the other gates only, with p.symmetry_breaking off (std::logic_error otherwise).
struct tt_final_question;
synth_result synthesize_tt(std::uint32_t inputs, const multi_truth_table& truth,
                           const std::vector<std::uint32_t>& sens, const synth_params& p, tt_final_question* out = nullptr,
                           const std::vector<const truth_table*>& fixed = {});

// The final question of a tt run (a certified run asks the same), its CNF, what its
// variables stand for and the cubes refuted (with tt_params::cube_inputs), whatever the answer
// (tests of the soundness check, provers/tt_certify.hpp). The function must depend on every
// input (no projection here).
struct tt_final_question {
  Cnf cnf;
  tt_encoding encoding;
  synth_result::Answer answer = synth_result::unknown;
  std::vector<std::vector<CnfLit>> cubes;  // each cube the loop found unsat, as assumption literals
};
tt_final_question tt_question(std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p);

}  // namespace tcx::synth_detail
