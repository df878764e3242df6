#pragma once
// One tt question split into its cubes (tt_params::cube_inputs: the output's functions, or the
// output's weight signs), solved one cube at a time on request by one solver that keeps what it
// learned from cube to cube: the units a distributed run spreads over ranks and a state file
// records (dist/work.hpp, docs/provers.md "Cubes as units"). A cube is a part of the question:
// "none in cube i" for every i is "none", a circuit found in any cube is a circuit.
//
// Solving the cubes 0, 1, 2, ... in one solver asks exactly what synthesize() asks one thread at
// a time; warm matters (parity of 7, 5,1, its 119 cubes: 6.8 s in one solver, 18 s with a fresh
// one per cube).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "circuits/truth_table.hpp"
#include "provers/synth.hpp"

namespace tcx {

class TtCubeSolver {
public:
  // The question synthesize() would ask with the tt method: the same checks (std::invalid_argument),
  // the same care set and projection onto the inputs the function depends on. p.method must be
  // tt. p.proof.certify: each cube's none certified on its own (below); proof files (p.proof.file,
  // p.proof.dir) are refused.
  TtCubeSolver(std::uint32_t inputs, const multi_truth_table& truth, const synth_params& p);
  ~TtCubeSolver();
  TtCubeSolver(const TtCubeSolver&) = delete;
  TtCubeSolver& operator=(const TtCubeSolver&) = delete;

  std::size_t cubes() const;
  // A digest of the question as first set up (its CNF and its cubes' assumptions): two solvers
  // with equal digests ask the same cubes in the same encoding, so one's answers are the
  // other's (a state file written by another tcx version, or another split, is told apart).
  std::uint64_t digest() const;
  // What cube i assumes, for people: the output's function of its hidden gates as a threshold
  // gate ("[2 y0 + y1 + y2 >= 2]", output cubes) or the signs of the output's weights on the
  // inputs ("x0 >= 0, x3 < 0", sign cubes, inputs numbered as given).
  std::string describe(std::size_t cube) const;
  // Cube i alone: sat (r.circuit computes the function on every cared input, over all the
  // inputs given), unsat (no circuit of the shape lies in this cube), or unknown (p.time_limit_s
  // CPU seconds of this call, p.conflicts per solver call, `stop` or p.stop). r.seconds: this
  // call's CPU; r.lemmas, r.patterns, r.clauses: the question's so far.
  //
  // Certified (p.proof.certify), a none of cube i also carries r.certified: the clauses the
  // solver added to the question as first set up (the base) are each checked sound by their
  // meaning alone, no symmetry rule accepted (provers/tt_certify.hpp), and the final CNF with
  // the cube's literals as unit clauses is solved again from scratch with a DRAT trace that tcx's
  // checker verifies, within what is left of p.time_limit_s (out of it: none, not certified).
  synth_result solve(std::size_t cube, const std::atomic<bool>* stop = nullptr);

  // The rest of a certificate for the cubes together: every clause of the base checked sound
  // (the symmetry rules' by their checked premises), and the cubes cover every assignment the
  // base allows. Every circuit then has a twin satisfying the base (the rules' argument), and so
  // every unit's clauses (sound by meaning), and its assignment lies in some cube, which that
  // cube's proof rules out. Fills r's soundness figures; returns whether it holds. A clause found
  // unsound, or cubes that do not cover, throw certification_error (an encoder bug).
  bool certify_base(synth_result& r) const;

private:
  void certify_cube(std::size_t cube, synth_result& r, double time_limit_s);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcx
