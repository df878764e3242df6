#pragma once
// Where a Builder keeps the gates it inserts: two stores behind one insert path (builder.hpp).
//   CircuitStore:  every gate, fan-ins and weights: build() gives the circuit.
//   CountingStore: what sizes and depths need, for circuits far too large to store (tcx depth):
//     per gate its level, fan-in count, weight figures and a 128-bit fingerprint, and the
//     fan-ins that are gates, delta-coded (most take a byte), so that only the gates the
//     outputs read are counted at the end.
// A store answers the insert path's few questions (gate_store below); the Builder keeps the hash
// table, the memory bound and the interface (inputs, outputs, names).
#include <concepts>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/circuit.hpp"
#include "circuits/huge_pages.hpp"
#include "circuits/normalize.hpp"

namespace tcx {

// An array grown in segments of doubling size (16, 32, 64, ... elements) that never move:
// growing copies nothing, and room not yet used is never touched (so costs no resident memory).
template <class T>
class Segmented {
  static_assert(std::is_trivially_copyable_v<T>);

public:
  Segmented() = default;
  Segmented(const Segmented&) = delete;
  Segmented& operator=(const Segmented&) = delete;
  Segmented(Segmented&& o) noexcept : segs_(std::move(o.segs_)), size_(o.size_), capacity_(o.capacity_) {
    o.segs_.clear();
    o.size_ = o.capacity_ = 0;
  }
  Segmented& operator=(Segmented&& o) noexcept {
    if (this != &o) {
      release();
      segs_ = std::move(o.segs_);
      size_ = o.size_;
      capacity_ = o.capacity_;
      o.segs_.clear();
      o.size_ = o.capacity_ = 0;
    }
    return *this;
  }
  ~Segmented() { release(); }

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  std::size_t next_segment_bytes() const { return segment_size(segs_.size()) * sizeof(T); }
  void add_segment() {
    const std::size_t n = segment_size(segs_.size());
    segs_.push_back(HugePageAllocator<T>().allocate(n));
    capacity_ += n;
  }
  void push_back(T x) { (*this)[size_++] = x; }  // within capacity()
  T& operator[](std::size_t i) { return segs_[segment_of(i)][i - start_of(segment_of(i))]; }
  const T& operator[](std::size_t i) const { return segs_[segment_of(i)][i - start_of(segment_of(i))]; }

private:
  static constexpr unsigned first_bits = 4;
  static std::size_t segment_size(std::size_t k) { return std::size_t(1) << (first_bits + k); }
  static std::size_t start_of(std::size_t k) { return (std::size_t(1) << (first_bits + k)) - (std::size_t(1) << first_bits); }
  static std::size_t segment_of(std::size_t i) {
    return static_cast<std::size_t>(63 - __builtin_clzll((i >> first_bits) + 1));
  }
  void release() {
    for (std::size_t k = 0; k < segs_.size(); ++k) HugePageAllocator<T>().deallocate(segs_[k], segment_size(k));
    segs_.clear();
  }
  std::vector<T*> segs_;
  std::size_t size_ = 0, capacity_ = 0;
};

// What the insert path asks of a store. Gates are numbered from 0 in the order added (gate_id);
// node ids convert to them only through the node_space the builder passes; `grow`
// regrows an array within the builder's memory bound and says whether it now has room.
template <class S>
concept gate_store = requires(S s, const S cs, const normal_gate& g, gate_id i, node_space n, std::span<const Output> outs,
                              const std::vector<std::uint8_t>& keep, GateTally& tally) {
  { cs.num_gates() } -> std::same_as<std::uint32_t>;
  { cs.num_wires() } -> std::same_as<std::uint64_t>;
  { cs.gate_level(i) } -> std::same_as<std::uint32_t>;
  { cs.same(i, g) } -> std::same_as<bool>;      // is gate i the gate g (after its hash matched)?
  { cs.extra_units(g) } -> std::same_as<std::uint64_t>;  // memory held outside the arrays
  { cs.held_bytes() } -> std::same_as<std::uint64_t>;
  { cs.reachable(outs, n) } -> std::same_as<std::vector<std::uint8_t>>;
  cs.tally(keep, tally);  // the figures of the gates keep marks
};

class CircuitStore {
public:
  std::uint32_t num_gates() const { return c_.num_gates(); }
  std::uint64_t num_wires() const { return c_.num_wires(); }
  std::uint32_t gate_level(gate_id g) const { return c_.gate_level(g); }
  bool same(gate_id g, const normal_gate& s) const;
  std::uint64_t extra_units(const normal_gate& s) const;
  std::uint64_t held_bytes() const;
  std::vector<std::uint8_t> reachable(std::span<const Output> outputs, node_space space) const;
  void tally(const std::vector<std::uint8_t>& keep, GateTally& tally) const;

  // The insert path's writes (builder.cpp).
  template <class Grow>
  bool room_for(std::size_t gates, std::size_t wires, std::size_t gate_wires, Grow&& grow);
  gate_id add(const normal_gate& s, std::size_t gate_from, std::uint32_t level, node_space space);
  void set_inputs(std::uint32_t inputs) { c_.num_inputs_ = inputs; }
  const Circuit& circuit() const { return c_; }
  Circuit take(std::vector<Output> outputs, NameTable names, bool prune);

private:
  Circuit c_;  // gates and inputs; outputs and names join at take()
};

// The same gate_store interface as CircuitStore's (so `duplicates` pairs the two declarations):
// two backends of one concept, not code one helper could share.
class CountingStore {
public:
  std::uint32_t num_gates() const { return static_cast<std::uint32_t>(level_.size()); }
  std::uint64_t num_wires() const { return wires_; }
  std::uint32_t gate_level(gate_id g) const { return level_[g.v]; }
  bool same(gate_id g, const normal_gate& s) const {
    return hash_lo_[g.v] == static_cast<std::uint32_t>(s.hash) && check_[g.v] == s.check;
  }
  std::uint64_t extra_units(const normal_gate&) const { return 0; }
  std::uint64_t held_bytes() const;
  std::vector<std::uint8_t> reachable(std::span<const Output> outputs, node_space space) const;
  void tally(const std::vector<std::uint8_t>& keep, GateTally& tally) const;

  template <class Grow>
  bool room_for(std::size_t gates, std::size_t wires, std::size_t gate_wires, Grow&& grow);
  gate_id add(const normal_gate& s, std::size_t gate_from, std::uint32_t level, node_space space);
  // Without structural hashing no fingerprints are kept.
  void keep_fingerprints(bool keep) { fingerprints_ = keep; }

private:
  // A gate's fan-ins that are gates: gate indices ascending, each as its distance from the
  // previous one (the first: from -1) less one, 7 bits a byte (LEB128); per gate the byte count,
  // 16 bits, escaped (long_bytes) when it does not fit.
  void encode_links(std::span<const node_id> gate_fanins, node_space space);
  static constexpr std::uint16_t long_links = 0xFFFF, big_bits = 0xFFFF;
  Segmented<std::uint32_t> level_;
  Segmented<std::uint32_t> fanin_;     // fan-in count
  Segmented<std::uint64_t> abs_;       // sum of |weights| (small gates)
  Segmented<std::uint16_t> bits_;      // weight bits | threshold bits << 8; big_bits: see big_
  Segmented<std::uint32_t> hash_lo_;   // the fingerprint's low half of `hash` (the table holds the high half)
  Segmented<std::uint64_t> check_;     // and its other 64 bits
  Segmented<std::uint16_t> link_bytes_;
  Segmented<std::uint8_t> links_;
  std::vector<std::uint64_t> long_bytes_;  // in gate order
  struct CountedBig {
    std::uint32_t gate;
    std::uint64_t weight_bits, threshold_bits;
    mpz_class abs_sum;
  };
  std::vector<CountedBig> big_;  // in gate order
  std::vector<std::uint8_t> scratch_;  // a gate's links while encoding
  std::uint64_t wires_ = 0;
  bool fingerprints_ = true;
};

static_assert(gate_store<CircuitStore>);
static_assert(gate_store<CountingStore>);

}  // namespace tcx
