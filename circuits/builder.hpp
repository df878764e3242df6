#pragma once
// Builder: the only way to make a Circuit. Append-only, so every circuit is a DAG.
//
// Every gate is normalized on the way in, so that equal functions built the same way
// share one node and stored gates read only plain node ids:
//   1. negated fan-ins folded:  w*!x = w - w*x   (threshold -= w, weight -> -w)
//   2. constant fan-ins folded: false drops out, true moves w into the threshold
//   3. fan-ins sorted by node id, duplicates merged (weights added), zero weights dropped
//   4. constant gates detected: t <= sum of negative weights -> true,
//                               t >  sum of positive weights -> false
//   5. weights divided by their gcd g, threshold rounded up: ceil(t / g)
//   6. canonical sign: the first weight is positive; otherwise the complement
//      [sum -w x >= 1 - t] is stored and a negated literal returned
//   7. a single fan-in gate is a buffer and returns its fan-in literal; so is a gate that one
//      input decides alone ([x + 2y >= 2] is y)
// Then, with structural hashing on, an identical stored gate is reused.
// Arithmetic during normalization is exact (128-bit, or GMP for big weights).
#include <gmpxx.h>

#include <cstdint>
#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/circuit.hpp"
#include "circuits/lit.hpp"

namespace tcx {

struct builder_params {
  bool structural_hashing = true;
  // A bound on the builder's memory, in units of 8 bytes (one wire of a small gate: its fan-in
  // and weight): adding a gate or a name that would take it past the bound throws
  // std::length_error. Counted is what is held: the room of the wire arrays (8 bytes a wire) and
  // of the per-gate arrays (24 bytes a gate; counting mode: 20), the hash table (8 bytes a slot),
  // a GMP weight (16 bytes plus its limbs), a name (its characters plus 64 bytes), and an array
  // being regrown together with its copy. 2^30 units are 8 GiB; tcx's default 2^27 is 1 GiB.
  std::uint64_t max_wires = std::uint64_t(1) << 30;
  // Counting mode: gates are normalized and hashed exactly as usual, but only their levels, the
  // ids of the fan-ins that are gates (4 bytes each; no weights), a 128-bit fingerprint and the few figures the analyzer
  // reports (weight and threshold bits, sum of |weights|) are kept, so the size and depth of
  // circuits far too large to store can be counted (tcx depth). The fan-ins let count_stats()
  // count only the gates the outputs read, as build() keeps only those. Structural hashing then
  // compares fingerprints: a collision would merge two different gates, with probability about
  // gates^2 / 2^128. build() is refused; count_stats() gives the figures.
  bool counting = false;
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

class PreparedGates;

class Builder {
public:
  explicit Builder(builder_params params = default_builder_params());

  // Inputs come first: adding an input after the first gate is an error.
  Lit add_input(std::string name = {});
  void add_inputs(std::uint32_t count);  // anonymous
  Lit input(std::uint32_t i) const { return Lit(1 + i, false); }
  std::uint32_t num_inputs() const { return c_.num_inputs_; }

  // [sum_i weights[i] * fanins[i] >= threshold]; returns a literal equal to the gate.
  Lit add_gate(std::span<const Lit> fanins, std::span<const std::int64_t> weights, std::int64_t threshold);
  Lit add_gate(std::span<const Lit> fanins, std::span<const mpz_class> weights, const mpz_class& threshold);

  // Gates that do not read one another, added in order with their hash-table probes overlapped:
  // stage_gate() normalizes a gate and prefetches its table slot, commit_gate() adds the oldest
  // staged gate and returns its literal. The circuit is the same as add_gate() on each in turn;
  // the prefetch hides the cache miss that dominates adding a gate to a large circuit. At most
  // pipeline_depth gates may be staged; commit them all before any other add.
  static constexpr std::uint32_t pipeline_depth = 8;
  // A ladder: the same weighted sum against several thresholds, out[k] = [sum >= thresholds[k]],
  // the same literals as add_gate() on each in turn. The sum is normalized once and the table
  // probes overlapped; sums, comparisons and symmetric functions are built of ladders.
  void add_gates(std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                 std::span<const std::int64_t> thresholds, std::span<Lit> out);
  void stage_gate(std::span<const Lit> fanins, std::span<const std::int64_t> weights, std::int64_t threshold);
  Lit commit_gate();
  std::uint32_t staged_gates() const { return pipeline_size_; }

  // Many independent gates on all cores: start() empties a batch for gates over the nodes that
  // exist now; prepare() normalizes a gate into it, reading nothing of the builder that changes,
  // so batches are prepared on any threads, even while the builder adds other gates.
  // add_prepared() then adds a batch's gates in order, from `from` up to the first place the
  // caller deferred (PreparedGates::defer), and returns that place (or the batch's size); out[k]
  // receives gate k's literal. The circuit is the same as add_gate() on each in turn.
  void start(PreparedGates& batch) const;
  void prepare(PreparedGates& batch, std::span<const Lit> fanins, std::span<const std::int64_t> weights,
               std::int64_t threshold) const;
  std::size_t add_prepared(const PreparedGates& batch, std::size_t from, std::span<Lit> out);

  void add_output(Lit lit, std::string name = {});

  // Names a node. Returns false (and changes nothing) when the node already has a name
  // or is the constant; throws std::invalid_argument when the name belongs to another node.
  bool set_name(node_id node, const std::string& name);
  std::optional<node_id> find(std::string_view name) const { return c_.find(name); }

  std::uint32_t num_nodes() const { return c_.num_nodes(); }
  std::uint32_t num_gates() const { return c_.num_gates(); }
  std::uint32_t level(Lit l) const { return c_.level(l.node()); }
  std::uint64_t num_wires() const { return counting() ? counted_wires_ : c_.num_wires(); }  // built so far
  const builder_stats& stats() const { return stats_; }
  bool counting() const { return params_.counting; }
  // The analyzer's figures for the circuit built so far, critical path excluded, counting only the
  // gates the outputs read: the same as analyze(std::move(builder).build()) would give, but also
  // available in counting mode.
  circuit_stats count_stats() const;
  // The circuit as built so far, every gate (read-only view; valid until the next add). In
  // counting mode it has levels and outputs, of the fan-ins only those that are gates, and no
  // weights or thresholds.
  const Circuit& peek() const { return c_; }

  // Optional: room for this many more gates and wires (saves regrowing large arrays), as much
  // of it as the memory bound allows.
  void reserve(std::size_t gates, std::size_t wires);
  // What is left of the memory bound (builder_params::max_wires), in its units of 8 bytes: a
  // compiler compares its own estimate against it to refuse a build up front.
  std::uint64_t memory_room() const;

  // The circuit of the gates the outputs read: gates no output depends on are dropped (with
  // their names) and the rest renumbered in the same order, so sizes count only what computes
  // something. Inputs are all kept: the interface does not change.
  Circuit build() &&;
  // Every gate built, read or not: for file readers, whose circuit mirrors the file, and tests
  // of the normal form.
  Circuit build_all() &&;

private:
  // A normalized gate ready to store, wherever it is kept: small (32-bit weights) or big (GMP).
  struct GateRef {
    std::span<const node_id> nodes;
    std::span<const std::int32_t> w32;  // small gates
    std::int64_t t64 = 0;
    const std::vector<mpz_class>* wbig = nullptr;  // big gates
    const mpz_class* tbig = nullptr;
    bool small() const { return wbig == nullptr; }
  };
  struct Staged {
    huge_vector<node_id> nodes;
    bool small = true;
    huge_vector<std::int32_t> w32;
    std::int64_t t64 = 0;
    std::vector<mpz_class> wbig;
    mpz_class tbig;
    bool negate = false;
    std::optional<Lit> folded;  // the gate reduced to a constant or a literal: nothing to store
    std::uint64_t hash = 0;     // hash_of(ref()), once known (staged gates)
    GateRef ref() const { return small ? GateRef{nodes, w32, t64} : GateRef{nodes, {}, 0, &wbig, &tbig}; }
  };
  // A gate's (node, weight) terms while normalizing; a wide gate's on 2 MiB pages.
  template <class Int>
  using Terms = huge_vector<std::pair<node_id, Int>>;
  // A normalized sum, whatever the threshold (normalize_sum).
  template <class Int>
  struct SumShape {
    Int lo0 = 0, hi0 = 0;  // the range of the sum as given
    Int lo = 0, hi = 0;    // the range after dividing by g and negating
    Int g = 1;
    bool negate = false;   // the weights were negated to make the first positive
    bool small = true;     // every weight fits 32 bits
  };
  template <class Int>
  static Int fold_inputs(std::span<const Lit> fanins, std::span<const std::int64_t> weights, Terms<Int>& terms,
                         std::uint32_t nodes);  // nodes: literals must refer to nodes below it
  // Normalization only reads the builder (stats go to `stats`), so prepare() runs it on any thread.
  template <class Int>
  void normalize(Terms<Int>& terms, Int t, Staged& s, builder_stats& stats) const;
  template <class Int>
  SumShape<Int> normalize_sum(Terms<Int>& terms) const;
  template <class Int>
  void normalize_threshold(const Terms<Int>& terms, const SumShape<Int>& shape, Int t, Staged& s,
                           builder_stats& stats) const;
  void normalize_small(std::span<const Lit> fanins, std::span<const std::int64_t> weights, std::int64_t threshold,
                       Staged& s, builder_stats& stats, std::uint32_t nodes) const;
  template <class Int>
  void normalize_small(std::span<const Lit> fanins, std::span<const std::int64_t> weights, std::int64_t threshold,
                       Staged& s, builder_stats& stats, std::uint32_t nodes) const;
  void note_request(std::size_t fanin);  // counts a gate request, then note_work
  void note_work(std::size_t fanin);     // checks the deadline every 1024 gates, and for wide ones
  template <class Int>
  void add_gates(std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                 std::span<const std::int64_t> thresholds, std::span<Lit> out);
  Lit finish(const GateRef& s, bool negate, std::optional<std::uint64_t> hash = {});  // hash: hash_of(s), if known
  static std::uint64_t hash_of(const GateRef& s, std::uint64_t seed = 0);
  static std::uint64_t hash_sum(const GateRef& s, std::uint64_t seed = 0);  // nodes and weights
  static std::uint64_t hash_threshold(std::uint64_t sum_hash, const GateRef& s);  // then the threshold
  Lit count_gate(const GateRef& s, bool negate, std::optional<std::uint64_t> hash);
  void prefetch(Staged& s, std::uint64_t hash);  // remembers the hash, prefetches its table slot
  void prefetch_slot(std::uint64_t hash) const { __builtin_prefetch(&table_[(hash >> 32) & (table_.size() - 1)]); }
  bool equals(std::uint32_t g, const GateRef& s) const;
  static bool table_fits(std::size_t gates, std::size_t slots);
  void rehash(std::size_t slots);
  static void check_lit(Lit l, std::uint32_t nodes);
  Circuit take();  // build() and build_all(): frees the hash table, trims the arrays

  builder_params params_;
  builder_stats stats_;
  Circuit c_;
  // Open addressing; an entry is (32-bit hash << 32) | (gate index + 1), 0 = empty. Keeping
  // the hash in the entry lets a probe reject most candidates without touching the gate.
  huge_vector<std::uint64_t> table_;
  Staged staged_;                     // scratch, reused across calls
  std::array<Staged, pipeline_depth> pipeline_;  // the staged gates, a ring
  std::uint32_t pipeline_head_ = 0, pipeline_size_ = 0;
  // The memory bound (max_wires): held_bytes() counts the arrays' capacity and the table, and
  // wire_units_ what lies elsewhere (GMP weights, names), in units of 8 bytes.
  std::uint64_t wire_units_ = 0;
  std::uint64_t held_bytes() const;
  std::uint64_t bound_bytes() const;
  [[noreturn]] void throw_bound() const;
  template <class V>
  void grow_within_bound(V& v, std::size_t n);
  bool room_for(std::size_t gates, std::size_t wires);
  bool table_grows_within_bound() const;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  std::uint32_t unchecked_ = 0;  // gates since the deadline was last checked
  void check_deadline();
  // Counting mode only (levels and the fan-ins that are gates are in c_): per gate its
  // fingerprint and figures.
  huge_vector<std::pair<std::uint64_t, std::uint64_t>> fingerprints_;
  huge_vector<std::uint32_t> counted_fanin_;  // fan-in count
  huge_vector<std::uint64_t> counted_abs_;   // sum of |weights| (small gates)
  huge_vector<std::uint16_t> counted_bits_;  // weight bits | threshold bits << 8; big_bits: see counted_big_
  static constexpr std::uint16_t big_bits = 0xFFFF;
  std::uint64_t counted_wires_ = 0;
  struct CountedBig {
    std::uint32_t gate;
    std::uint64_t weight_bits, threshold_bits;
    mpz_class abs_sum;
  };
  std::vector<CountedBig> counted_big_;  // in gate order
};

// Gates normalized by Builder::prepare(), waiting to be added in order by Builder::add_prepared().
// Flat arrays, reused from batch to batch (clear() keeps the memory).
class PreparedGates {
public:
  std::size_t size() const { return kind_.size(); }
  void clear();  // keeps the memory; Builder::start() before preparing again
  // A place for a gate the caller adds itself, in order (add_prepared stops there).
  void defer() { push(Kind::deferred, 0, 0, 0, lit_false); }

private:
  friend class Builder;
  enum class Kind : std::uint8_t {
    stored,    // normalized: fan-ins and 32-bit weights at [from, from + count) of nodes_ / w32_
    folded,    // a constant or a literal: lit_
    request,   // needs GMP: the request as given, at [from, from + count) of request_lits_ / request_w_
    deferred,  // the caller's
  };
  void push(Kind kind, std::uint64_t from, std::uint32_t count, std::int64_t t, Lit lit, std::uint64_t hash = 0) {
    kind_.push_back(kind);
    from_.push_back(from);
    count_.push_back(count);
    t64_.push_back(t);
    lit_.push_back(lit);
    hash_.push_back(hash);
  }
  std::vector<Kind> kind_;
  std::vector<std::uint64_t> from_;
  std::vector<std::uint32_t> count_;
  std::vector<std::int64_t> t64_;  // threshold (stored, request)
  std::vector<Lit> lit_;           // the literal (folded); negated when the stored gate is the complement (stored)
  std::vector<std::uint64_t> hash_;
  huge_vector<node_id> nodes_;
  huge_vector<std::int32_t> w32_;
  std::vector<Lit> request_lits_;
  std::vector<std::int64_t> request_w_;
  builder_stats stats_;  // what preparing counted (constants, buffers)
  std::uint32_t known_nodes_ = 0;  // the builder's nodes at start(): fan-ins must be among them
};

// A layer of gates that do not read one another, through the builder's pipeline: add() each
// gate, then finish(); out receives the literals in order. The circuit is the same as add_gate()
// on each in turn, with the table probes overlapped.
class GateLayer {
public:
  GateLayer(Builder& b, std::vector<Lit>& out) : b_(b), out_(out), done_(out.size()) {}
  void add(std::span<const Lit> fanins, std::span<const std::int64_t> weights, std::int64_t threshold) {
    if (b_.staged_gates() == Builder::pipeline_depth) out_[done_++] = b_.commit_gate();
    b_.stage_gate(fanins, weights, threshold);
    out_.push_back(lit_false);  // a place for the literal, filled at commit
  }
  void finish() {
    while (b_.staged_gates()) out_[done_++] = b_.commit_gate();
  }

private:
  Builder& b_;
  std::vector<Lit>& out_;
  std::size_t done_;
};

}  // namespace tcx
