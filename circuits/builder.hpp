#pragma once
// Builder: the only way to make a Circuit. Append-only, so every circuit is a DAG.
//
// A gate request goes through two steps:
//   1. the normalizer (circuits/normalize.hpp: a pure function, safe on any thread) folds
//      negations and constants, sorts and merges fan-ins, divides by the gcd, fixes the sign and
//      folds constant and buffer gates, so that equal functions built the same way share a node;
//   2. one insert path takes normalized gates a batch at a time, probes the hash table (the next
//      few gates' slots prefetched), reuses an identical gate or appends the gate to the store.
// The store is a type (circuits/gate_store.hpp): a CircuitStore keeps every gate and build()
// returns the circuit; a CountingStore keeps levels, figures and the fan-ins that are gates, so
// count_stats() sizes circuits far too large to store. add_gate, add_gates (a ladder) and
// GateLayer are batches of one sum; model layers normalize whole batches on several threads.
#include <gmpxx.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/circuit.hpp"
#include "circuits/gate_store.hpp"
#include "circuits/lit.hpp"
#include "circuits/normalize.hpp"

namespace tcx {

struct builder_params {
  bool structural_hashing = true;
  // A bound on the builder's memory, in units of 8 bytes (one wire of a small gate: its fan-in
  // and weight): adding a gate or a name that would take it past the bound throws
  // std::length_error. Counted is what is held: the room of the store's arrays (a circuit: 8
  // bytes a wire, 24 a gate; counting: 32 a gate and the gate fan-ins' bytes), the hash table (8
  // bytes a slot), a GMP weight (16 bytes plus its limbs), a name (its characters plus 64 bytes),
  // and an array being regrown together with its copy. 2^30 units are 8 GiB; tcx's default 2^27
  // is 1 GiB.
  std::uint64_t max_wires = std::uint64_t(1) << 30;
  // A time budget in seconds from the Builder's construction (0 = none): past it, the next
  // gate request throws BudgetExceeded, so a query too large to answer ends instead of hanging.
  double time_limit_s = 0;
};

// Thrown by a Builder whose time budget ran out: the question stays open ("unknown").
class BudgetExceeded : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The parameters a Builder gets when none are passed. A front end sets the process-wide ones
// once, before work starts (tcx --max-wires, the Python module's max_wires), so that Builders
// made on any thread obey them, a parallel loop's workers included. default_builder_params() is
// this thread's copy of them, taken when the thread first asks and again after every
// set_default_builder_params(); a thread may change its copy (a command's --time-limit) without
// touching other threads'.
void set_default_builder_params(const builder_params& params);
builder_params& default_builder_params();

struct builder_stats {
  std::uint64_t gates_requested = 0;
  std::uint64_t hash_hits = 0;       // requests answered by an existing gate
  std::uint64_t constant_gates = 0;  // requests that folded to a constant
  std::uint64_t buffer_gates = 0;    // requests that folded to a literal
  std::uint64_t big_gates = 0;       // stored gates needing GMP weights
};

class Builder {
public:
  // A builder of circuits (a CircuitStore).
  explicit Builder(builder_params params = default_builder_params());
  // A counting builder: Builder b(CountingStore{}, params). Gates are normalized and hashed
  // exactly as usual; structural hashing compares 128-bit fingerprints (a collision would merge
  // two different gates, with probability about gates^2 / 2^128). build() and peek() are refused.
  explicit Builder(CountingStore store, builder_params params = default_builder_params());

  // Inputs come first: adding an input after the first gate is an error.
  Lit add_input(std::string name = {});
  void add_inputs(std::uint32_t count);  // anonymous
  Lit input(std::uint32_t i) const { return Lit(space().input_node(i), false); }
  std::uint32_t num_inputs() const { return num_inputs_; }

  // [sum_i weights[i] * fanins[i] >= threshold]; returns a literal equal to the gate.
  Lit add_gate(std::span<const Lit> fanins, std::span<const std::int64_t> weights, std::int64_t threshold);
  Lit add_gate(std::span<const Lit> fanins, std::span<const mpz_class> weights, const mpz_class& threshold);
  // A ladder: the same weighted sum against several thresholds, out[k] = [sum >= thresholds[k]],
  // the same literals as add_gate() on each in turn; the sum is normalized once and the table
  // probes overlapped. Sums, comparisons and symmetric functions are built of ladders.
  void add_gates(std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                 std::span<const std::int64_t> thresholds, std::span<Lit> out);

  // Batches of gates that do not read one another: start() empties a batch for gates over the
  // nodes that exist now; the normalizer (normalize_gate, normalize_ladder) fills it on any
  // thread, even while the builder adds other gates. add_batch() then inserts its gates in order,
  // from `from` up to the first place the caller deferred (GateBatch::defer), and returns that
  // place (or the batch's size); out[k] receives gate k's literal. The circuit is the same as
  // add_gate() on each in turn.
  void start(GateBatch& batch) const { batch.reset(num_nodes()); }
  std::size_t add_batch(const GateBatch& batch, std::size_t from, std::span<Lit> out);

  void add_output(Lit lit, std::string name = {});

  // Names a node. Returns false (and changes nothing) when the node already has a name
  // or is the constant; throws std::invalid_argument when the name belongs to another node.
  bool set_name(node_id node, const std::string& name);
  std::optional<node_id> find(std::string_view name) const { return names_.find(name); }
  std::string_view name(node_id node) const { return names_.name(node); }

  std::uint32_t num_nodes() const { return 1 + num_inputs_ + num_gates(); }
  std::uint32_t num_gates() const {
    return std::visit([](const auto& s) { return s.num_gates(); }, store_);
  }
  // Node ids and gate indices convert only through space() (circuits/ids.hpp).
  node_space space() const { return {num_inputs_}; }
  node_id first_gate_node() const { return space().first_gate_node(); }
  bool is_gate(node_id n) const { return space().past_inputs(n) && n < num_nodes(); }
  std::uint32_t level(Lit l) const {
    return is_gate(l.node()) ? std::visit([g = space().gate(l.node())](const auto& s) { return s.gate_level(g); }, store_) : 0;
  }
  std::uint64_t num_wires() const {  // built so far
    return std::visit([](const auto& s) { return s.num_wires(); }, store_);
  }
  const builder_stats& stats() const { return stats_; }
  bool counting() const { return std::holds_alternative<CountingStore>(store_); }
  // The analyzer's figures for the circuit built so far, critical path excluded, counting only the
  // gates the outputs read: the same as analyze(std::move(builder).build()) would give.
  circuit_stats count_stats() const;
  // The gates built so far and the inputs (outputs and names join at build()); valid until the
  // next add. A counting builder has no such circuit: std::logic_error.
  const Circuit& peek() const;

  // Optional: room for this many more gates and wires (saves regrowing large arrays), as much
  // of it as the memory bound allows.
  void reserve(std::size_t gates, std::size_t wires);
  // What is left of the memory bound (builder_params::max_wires), in its units of 8 bytes: a
  // compiler compares its own estimate against it to refuse a build up front.
  std::uint64_t memory_room() const;
  // Throws BudgetExceeded when the time budget (builder_params::time_limit_s, from construction)
  // ran out or an interrupt was requested. Gate requests check it every 1024 gates; a compiler
  // calls it in loops of its own between gate requests (circuits/interrupt.hpp).
  void check_deadline();

  // The circuit of the gates the outputs read: gates no output depends on are dropped (with
  // their names) and the rest renumbered in the same order, so sizes count only what computes
  // something. Inputs are all kept: the interface does not change. A counting builder:
  // std::logic_error.
  Circuit build() &&;
  // Every gate built, read or not: for file readers, whose circuit mirrors the file, and tests
  // of the normal form.
  Circuit build_all() &&;

private:
  Builder(builder_params params, std::variant<CircuitStore, CountingStore> store);
  template <class Store>
  std::size_t insert(Store& store, const GateBatch& batch, std::size_t from, std::span<Lit> out);
  template <class Store>
  node_id insert_gate(Store& store, const normal_gate& s);
  Lit add_one();  // inserts one_, a batch of one request
  void note_work(std::size_t fanin);  // checks the deadline every 1024 gates, and for wide ones
  static bool table_fits(std::size_t gates, std::size_t slots);
  void rehash(std::size_t slots);
  Circuit take(bool prune);

  builder_params params_;
  builder_stats stats_;
  std::variant<CircuitStore, CountingStore> store_;
  std::uint32_t num_inputs_ = 0;
  std::vector<Output> outputs_;
  NameTable names_;
  GateBatch one_;  // add_gate's and add_gates' batch, reused
  // Open addressing; an entry is (32-bit hash << 32) | (gate index + 1), 0 = empty. Keeping
  // the hash in the entry lets a probe reject most candidates without touching the gate.
  huge_vector<std::uint64_t> table_;
  // The memory bound (max_wires): held_bytes() counts the store's arrays and the table, and
  // wire_units_ what lies elsewhere (GMP weights, names, a unit per input), in units of 8 bytes.
  std::uint64_t wire_units_ = 0;
  void charge_inputs(std::uint64_t count);
  std::uint64_t held_bytes() const;
  std::uint64_t bound_bytes() const;
  [[noreturn]] void throw_bound() const;
  template <class V>
  bool grow_within_bound(V& v, std::size_t n);
  template <class T>
  bool grow_within_bound(Segmented<T>& v, std::size_t n);
  bool table_grows_within_bound() const;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  std::uint32_t unchecked_ = 0;  // gates since the deadline was last checked
};

// A layer of gates that do not read one another, as one batch: add() each gate, then finish();
// out receives the literals in order. The circuit is the same as add_gate() on each in turn.
class GateLayer {
public:
  GateLayer(Builder& b, std::vector<Lit>& out) : b_(b), out_(out), first_(out.size()) { b.start(batch_); }
  void add(std::span<const Lit> fanins, std::span<const std::int64_t> weights, std::int64_t threshold) {
    normalize_gate(batch_, fanins, weights, threshold);
    out_.push_back(lit_false);  // a place for the literal, filled by finish()
  }
  void finish() { b_.add_batch(batch_, 0, std::span<Lit>(out_).subspan(first_)); }

private:
  Builder& b_;
  std::vector<Lit>& out_;
  std::size_t first_;
  GateBatch batch_;
};

}  // namespace tcx
