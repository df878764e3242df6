#pragma once
// The normal form of a threshold gate, as a pure function: a gate request in (fan-in literals,
// weights, a threshold, or a ladder of thresholds over one sum), a normalized gate or a folded
// literal out, appended to a GateBatch. It reads only its arguments (and the batch's bound on
// node ids), so batches are normalized on any threads; the Builder inserts them (builder.hpp).
//
// The rules, in order:
//   1. negated fan-ins folded:  w*!x = w - w*x   (threshold -= w, weight -> -w)
//   2. constant fan-ins folded: false drops out, true moves w into the threshold
//   3. fan-ins sorted by node id, duplicates merged (weights added), zero weights dropped
//   4. constant gates detected: t <= sum of negative weights -> true,
//                               t >  sum of positive weights -> false
//   5. weights divided by their gcd g, threshold rounded up: ceil(t / g)
//   6. canonical sign: the first weight is positive; otherwise the complement
//      [sum -w x >= 1 - t] is stored and a negated literal returned
//   7. a single fan-in gate is a buffer and folds to its fan-in literal; so does a gate that one
//      input decides alone ([x + 2y >= 2] is y)
// A gate whose weights fit 32 bits and threshold 64 bits is "small"; any other is "big" (GMP).
// Arithmetic is exact: 64-bit when no sum can reach 2^62, else 128-bit, or GMP for GMP requests.
#include <gmpxx.h>

#include <cstdint>
#include <span>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/huge_pages.hpp"
#include "circuits/lit.hpp"

namespace tcx {

// What normalizing counted.
struct normalize_stats {
  std::uint64_t gates_requested = 0;
  std::uint64_t constant_gates = 0;  // requests that folded to a constant
  std::uint64_t buffer_gates = 0;    // requests that folded to a literal
};

// A normalized gate, viewed in the batch that holds it.
struct normal_gate {
  std::span<const node_id> nodes;     // sorted, distinct, no constant; at least two
  std::span<const std::int32_t> w32;  // small gates: the weights, the first positive
  std::int64_t t64 = 0;               // small gates: the threshold
  const BigGate* big = nullptr;       // big gates: weights and threshold
  // A 128-bit fingerprint of the gate (nodes, weights, threshold): `hash` places it in a hash
  // table, both halves tell gates apart where only fingerprints are kept (a counting store).
  std::uint64_t hash = 0, check = 0;
  std::uint64_t abs_sum = 0;  // small gates: sum of |weights|
  std::uint32_t max_abs = 0;  // small gates: the largest |weight|
  bool small() const { return big == nullptr; }
};

// Normalized gates in order, in flat arrays reused from batch to batch (reset() keeps the
// memory). An entry is a stored gate (negated: its literal is the complement), a folded
// literal, or a place the caller deferred (a gate it adds itself, in order).
class GateBatch {
public:
  GateBatch() = default;
  // Empties the batch for gates over nodes below known_nodes (the builder's num_nodes()).
  void reset(std::uint32_t known_nodes);
  std::uint32_t known_nodes() const { return known_nodes_; }
  std::size_t size() const { return entries_.size(); }
  void defer();

  bool is_deferred(std::size_t k) const { return entries_[k].kind == Kind::deferred; }
  bool is_folded(std::size_t k) const { return entries_[k].kind == Kind::folded; }
  bool is_stored(std::size_t k) const { return entries_[k].kind == Kind::stored; }
  // Folded: the literal the gate equals. Stored: Lit(0, negated).
  Lit lit(std::size_t k) const { return entries_[k].lit; }
  normal_gate gate(std::size_t k) const;  // stored entries
  std::uint64_t hash(std::size_t k) const { return entries_[k].hash; }
  std::size_t fanin(std::size_t k) const { return entries_[k].count; }
  const normalize_stats& stats() const { return stats_; }

private:
  friend struct Normalizer;
  enum class Kind : std::uint8_t { stored, folded, deferred };
  struct Entry {
    std::uint64_t from = 0;  // stored: its fan-ins at [from, from + count) of nodes_ (and w32_)
    std::uint64_t hash = 0, check = 0, abs_sum = 0;
    std::int64_t t64 = 0;    // small: the threshold; big: the index into big_
    std::uint32_t count = 0, max_abs = 0;
    Lit lit;
    Kind kind = Kind::folded;
    bool big = false;
  };
  std::vector<Entry> entries_;
  huge_vector<node_id> nodes_;
  huge_vector<std::int32_t> w32_;  // big gates keep no 32-bit weights: their entries index big_
  std::vector<BigGate> big_;
  std::size_t big_used_ = 0;  // big_ beyond it is kept only for its memory
  normalize_stats stats_;
  std::uint32_t known_nodes_ = 0;
};

// Appends [sum_i weights[i] * fanins[i] >= threshold], normalized. Throws std::invalid_argument
// when the counts differ or a literal's node is not below batch.known_nodes().
void normalize_gate(GateBatch& batch, std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                    std::int64_t threshold);
void normalize_gate(GateBatch& batch, std::span<const Lit> fanins, std::span<const mpz_class> weights,
                    const mpz_class& threshold);
// A ladder: [sum >= thresholds[k]] for each k, in order; the sum is normalized once.
void normalize_ladder(GateBatch& batch, std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                      std::span<const std::int64_t> thresholds);

}  // namespace tcx
