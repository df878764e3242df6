#pragma once
// Whole-circuit passes. rebuild and substitute return a new Circuit built through a Builder,
// so the result is normalized and structurally hashed again; they keep unread gates.
#include <span>
#include <utility>

#include "circuits/builder.hpp"
#include "circuits/circuit.hpp"

namespace tcx {

// Copies the circuit through a fresh Builder (re-normalizes and re-hashes).
Circuit rebuild(const Circuit& c, builder_params params = default_builder_params());

// Drops the gates that no output depends on and renumbers the rest in order (one pass over flat
// arrays, no re-normalizing). Inputs are kept (the interface does not change).
Circuit remove_unreachable(const Circuit& c);

// Replaces each listed node by a literal of an earlier node (or a constant), then re-hashes,
// so gates that became equal merge and gates that became constant fold away.
Circuit substitute(const Circuit& c, std::span<const std::pair<node_id, Lit>> replacements);

// Starts a copy of `c` in an empty Builder: adds inputs with the same names and returns a map
// from the nodes of `c` to literals of `b` (the constant and the inputs filled in).
std::vector<Lit> copy_inputs(Builder& b, const Circuit& c);

// Copies the gates of `c` into `b`, with the inputs of `c` mapped to `input_map`
// (one literal per input); returns the literal of every output of `c`.
// The building block of composition: instantiating one circuit inside another.
std::vector<Lit> append_circuit(Builder& b, const Circuit& c, std::span<const Lit> input_map);

// Two circuits with the same number of inputs in one Builder over shared inputs, so structural
// hashing merges the gates they share: output k of a is a_outputs[k], of b b_outputs[k].
struct joined_circuits {
  Builder builder;
  std::vector<Lit> a_outputs, b_outputs;
};
joined_circuits join_circuits(const Circuit& a, const Circuit& b);

// True when a and b have the same inputs and outputs and every output pair becomes one literal
// once joined: then they are equal on every input (a proof, found in time linear in their size).
// False proves nothing: equal functions may be built from different gates.
bool same_by_structure(const Circuit& a, const Circuit& b);

}  // namespace tcx
