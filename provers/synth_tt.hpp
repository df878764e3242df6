#pragma once
// Internal to synthesis: the truth-table method (docs/provers.md, "The tt method"). Every gate's
// values on the input patterns in play are free SAT variables; the template fixes which gates
// each gate reads. A model is a candidate assignment of gate functions; each is checked for
// thresholdness exactly (provers/separable.hpp) and a failure adds the certificate's clause.
#include <cstdint>
#include <vector>

#include "circuits/truth_table.hpp"
#include "provers/synth.hpp"

namespace tcx::synth_detail {

// truth: as synthesize() takes it; sens: per pattern, how informative it is as a counterexample.
synth_result synthesize_tt(std::uint32_t inputs, const multi_truth_table& truth,
                           const std::vector<std::uint32_t>& sens, const synth_params& p);

}  // namespace tcx::synth_detail
