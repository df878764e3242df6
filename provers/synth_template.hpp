#pragma once
// Internal to synthesis: the two encodings of a circuit template whose parameters are solver
// variables. Each declares its parameters in the CNF when constructed, adds the relations of one
// input pattern on request, and reads a candidate circuit back from a model. synth.cpp drives
// either in the same counterexample-guided loop.
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/truth_table.hpp"
#include "provers/cnf.hpp"
#include "provers/sat.hpp"
#include "provers/synth.hpp"

namespace tcx::synth_detail {

// General threshold gates: per source a sign and a magnitude in binary, per gate a threshold;
// the gate's relation on a pattern is an adder tree and a comparator (docs/provers.md).
class ThresholdTemplate {
public:
  ThresholdTemplate(Cnf& cnf, std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p);
  ~ThresholdTemplate();
  void add_pattern(std::uint64_t p);
  Circuit extract(const sat_result& s) const;
  std::int64_t weight_bound() const;
  bool covers_all_weights() const;  // every threshold function of each gate's fan-in is reachable

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Majority-of-K gates: K ordered fan-in slots per gate, each choosing one source (one-hot) and
// optionally complementing it. With `all_used`, every gate other than an output feeds a later
// gate, which is sound only when the smaller templates are asked too (synth.cpp does).
class MajorityTemplate {
public:
  MajorityTemplate(Cnf& cnf, std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p, bool all_used);
  ~MajorityTemplate();
  void add_pattern(std::uint64_t p);
  Circuit extract(const sat_result& s) const;
  std::int64_t weight_bound() const { return 1; }
  bool covers_all_weights() const { return true; }

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A final UNSAT answer's proof: `cnf` solved again from scratch by CaDiCaL with a DRAT trace
// (p.proof: kept and/or checked), appended to r.proofs; with `cubes`, refuted one after another
// by that solver into the same proof (prove_unsat; `cover`: the clauses their cover follows
// from, cubes_cover). Returns whether the proof was verified; a model instead is an internal
// error (certification_error).
bool prove_final_unsat(const Cnf& cnf, const synth_params& p, double time_limit_s, synth_result& r,
                       const std::vector<std::vector<CnfLit>>& cubes = {}, const Cnf* cover = nullptr);

// Whether some output changes with input i somewhere (with a care set: between two cared patterns).
bool depends_on(const multi_truth_table& truth, std::uint32_t i, const truth_table* care = nullptr);

// synthesize()'s checks of a question (std::invalid_argument naming what is wrong); returns
// whether the tt method answers it (p.method tt, or automatic with no weight or fan-in bound).
bool check_question(std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p);

// The function on the inputs it depends on (`support`, ascending), when that is fewer than all
// and, with a care set, one function there (every two cared patterns that agree on the support
// agree on every output): inputs it ignores are left out. Fixing one to 0 in any threshold
// circuit folds it into the thresholds without changing the shape, so the answer is the same
// and the search smaller. None for a gate class (a majority gate with a constant source is not
// one). `params`: p with the care set projected too.
struct projection {
  std::vector<std::uint32_t> support;
  multi_truth_table truth;
  synth_params params;
};
std::optional<projection> project_to_support(std::uint32_t inputs, const multi_truth_table& truth, const truth_table* care,
                                             const synth_params& p);
// A circuit over the support as one over all `inputs` inputs (the others unread).
Circuit lift_to_inputs(const Circuit& c, std::uint32_t inputs, const std::vector<std::uint32_t>& support);

// Pairs (i, j), i < j, of inputs every output is symmetric in (unchanged when they swap), j the
// next member of i's class: the pairs a canonical form orders.
// With a care set, the swap also maps the care set onto itself.
std::vector<std::pair<std::uint32_t, std::uint32_t>> interchangeable_inputs(std::uint32_t n, const multi_truth_table& truth,
                                                                            const truth_table* care = nullptr);

// A candidate's gate as read from a model: its sources (as template_sources numbers them),
// weights and threshold. circuit_of() builds the circuit; the last `outputs` gates are the outputs.
struct CandidateGate {
  std::vector<std::int64_t> sources, weights;
  std::int64_t threshold = 0;
};
Circuit circuit_of(std::uint32_t inputs, std::size_t outputs, const std::vector<CandidateGate>& gates);

// Where a gate of a template reads from: >= 0 a gate index, < 0 input -1 - i. Layer 1 reads
// the inputs; layer l > 1 the previous layer, or with skip wires the inputs and every earlier layer.
std::vector<std::vector<std::int64_t>> template_sources(std::uint32_t inputs, const synth_shape& shape);

}  // namespace tcx::synth_detail
