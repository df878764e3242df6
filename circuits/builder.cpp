#include "circuits/builder.hpp"
#include "circuits/interrupt.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string_view>

namespace tcx {

namespace {

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

std::mutex default_params_mutex;
builder_params process_params;                  // guarded by default_params_mutex
std::atomic<std::uint64_t> process_params_version{1};

void prefetch_slot(const huge_vector<std::uint64_t>& table, std::uint64_t hash) {
  __builtin_prefetch(table.data() + ((hash >> 32) & (table.size() - 1)));
}

template <class V>
std::uint64_t bytes_of(const V& v) {
  return std::uint64_t(v.capacity()) * sizeof(v[0]);
}

}  // namespace

void set_default_builder_params(const builder_params& params) {
  std::lock_guard<std::mutex> lock(default_params_mutex);
  process_params = params;
  process_params_version.fetch_add(1, std::memory_order_release);
}

builder_params& default_builder_params() {
  struct Copy {
    std::uint64_t version = 0;
    builder_params params;
  };
  static thread_local Copy copy;
  if (copy.version != process_params_version.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(default_params_mutex);
    copy.params = process_params;
    copy.version = process_params_version.load(std::memory_order_relaxed);
  }
  return copy.params;
}

// ---- CircuitStore ----

bool CircuitStore::same(gate_id g, const normal_gate& s) const {
  auto f = c_.fanins(g);
  if (!std::equal(f.begin(), f.end(), s.nodes.begin(), s.nodes.end())) return false;
  if (c_.is_big(g) == s.small()) return false;
  if (s.small()) {
    auto w = c_.small_weights(g);
    return c_.small_threshold(g) == s.t64 && std::equal(w.begin(), w.end(), s.w32.begin());
  }
  const BigGate& b = c_.big(g);
  return b.threshold == s.big->threshold && b.weights == s.big->weights;
}

// A GMP weight: its mpz (16 bytes), its limbs, and malloc's header and rounding (about 16);
// a GMP gate's entry in the circuit's list of them (its vector and threshold, regrown: 64).
std::uint64_t CircuitStore::extra_units(const normal_gate& s) const {
  if (s.small()) return 0;
  std::uint64_t units = 8 + mpz_size(s.big->threshold.get_mpz_t());
  for (const mpz_class& w : s.big->weights) units += 4 + mpz_size(w.get_mpz_t());
  return units;
}

std::uint64_t CircuitStore::held_bytes() const {
  return bytes_of(c_.offset_) + bytes_of(c_.fanin_) + bytes_of(c_.weight_) + bytes_of(c_.threshold_) +
         bytes_of(c_.level_) + bytes_of(c_.big_index_);
}

std::vector<std::uint8_t> CircuitStore::reachable(std::span<const Output> outputs, node_space) const {
  return reachable_gates(c_, outputs);
}

void CircuitStore::tally(const std::vector<std::uint8_t>& keep, GateTally& tally) const {
  for (gate_id g : c_.gates()) {
    if (!keep[g.v]) continue;
    if (c_.is_big(g)) tally.add(c_.gate_level(g), c_.big(g).weights, c_.big(g).threshold);
    else tally.add(c_.gate_level(g), c_.small_weights(g), c_.small_threshold(g));
  }
}

template <class Grow>
bool CircuitStore::room_for(std::size_t gates, std::size_t wires, std::size_t, Grow&& grow) {
  const std::size_t g = c_.num_gates() + gates, w = c_.fanin_.size() + wires;
  // Each array grows on its own, so that a refusal leaves the others as they were.
  return grow(c_.level_, g) && grow(c_.offset_, g + 1) && grow(c_.fanin_, w) && grow(c_.weight_, w) &&
         grow(c_.threshold_, g) && grow(c_.big_index_, g);
}

gate_id CircuitStore::add(const normal_gate& s, std::size_t, std::uint32_t level, node_space) {
  const gate_id g(c_.num_gates());
  c_.fanin_.insert(c_.fanin_.end(), s.nodes.begin(), s.nodes.end());
  if (s.small()) {
    c_.weight_.insert(c_.weight_.end(), s.w32.begin(), s.w32.end());
    c_.threshold_.push_back(s.t64);
    c_.big_index_.push_back(Circuit::no_big);
  } else {
    c_.weight_.insert(c_.weight_.end(), s.nodes.size(), 0);
    c_.threshold_.push_back(0);
    c_.big_index_.push_back(static_cast<std::uint32_t>(c_.big_.size()));
    c_.big_.push_back(*s.big);
  }
  c_.offset_.push_back(c_.fanin_.size());
  c_.level_.push_back(level);
  return g;
}

Circuit CircuitStore::take(std::vector<Output> outputs, NameTable names, bool prune) {
  c_.outputs_ = std::move(outputs);
  c_.names_ = std::move(names);
  if (prune) c_.drop_unreachable();
  // Give back room only where it is a quarter or more of the array: shrinking copies the array
  // into fresh memory, which for a circuit of exactly reserved arrays would cost a third of the
  // build (its page faults) to save nothing.
  auto shrink = [](auto& v) {
    if (v.capacity() - v.size() > v.size() / 4) v.shrink_to_fit();
  };
  shrink(c_.fanin_);
  shrink(c_.weight_);
  shrink(c_.offset_);
  shrink(c_.threshold_);
  shrink(c_.level_);
  shrink(c_.big_index_);
  return std::move(c_);
}

// ---- CountingStore ----

std::uint64_t CountingStore::held_bytes() const {
  return bytes_of(level_) + bytes_of(fanin_) + bytes_of(abs_) + bytes_of(bits_) + bytes_of(hash_lo_) +
         bytes_of(check_) + bytes_of(link_bytes_) + bytes_of(links_) + bytes_of(long_bytes_) + bytes_of(big_) +
         bytes_of(scratch_);
}

template <class Grow>
bool CountingStore::room_for(std::size_t gates, std::size_t, std::size_t gate_wires, Grow&& grow) {
  const std::size_t g = level_.size() + gates;
  // A gate's links take at most 5 bytes a fan-in; the exact count is known once encoded.
  return grow(level_, g) && grow(fanin_, g) && grow(abs_, g) && grow(bits_, g) && grow(link_bytes_, g) &&
         (!fingerprints_ || (grow(hash_lo_, g) && grow(check_, g))) && grow(scratch_, 5 * gate_wires) &&
         grow(links_, links_.size() + 5 * gate_wires);
}

void CountingStore::encode_links(std::span<const node_id> gate_fanins, node_space space) {
  scratch_.clear();
  std::uint64_t prev = 0;  // the previous index + 1
  for (node_id n : gate_fanins) {
    const std::uint64_t g = space.gate(n).v;
    std::uint64_t d = g - prev;  // distinct and ascending: g >= prev
    prev = g + 1;
    while (d >= 0x80) {
      scratch_.push_back(static_cast<std::uint8_t>(d | 0x80));
      d >>= 7;
    }
    scratch_.push_back(static_cast<std::uint8_t>(d));
  }
}

gate_id CountingStore::add(const normal_gate& s, std::size_t gate_from, std::uint32_t level, node_space space) {
  const gate_id g(num_gates());
  level_.push_back(level);
  fanin_.push_back(static_cast<std::uint32_t>(s.nodes.size()));
  wires_ += s.nodes.size();
  if (s.small()) {
    abs_.push_back(s.abs_sum);
    bits_.push_back(static_cast<std::uint16_t>(magnitude_bits(std::int64_t(s.max_abs)) | magnitude_bits(s.t64) << 8));
  } else {
    CountedBig big{g.v, 0, magnitude_bits(s.big->threshold), 0};
    for (const mpz_class& w : s.big->weights) {
      big.weight_bits = std::max(big.weight_bits, magnitude_bits(w));
      big.abs_sum += abs(w);
    }
    big_.push_back(std::move(big));
    abs_.push_back(0);
    bits_.push_back(big_bits);
  }
  if (fingerprints_) {
    hash_lo_.push_back(static_cast<std::uint32_t>(s.hash));
    check_.push_back(s.check);
  }
  encode_links(s.nodes.subspan(gate_from), space);
  for (std::uint8_t byte : scratch_) links_.push_back(byte);
  if (scratch_.size() < long_links) {
    link_bytes_.push_back(static_cast<std::uint16_t>(scratch_.size()));
  } else {
    link_bytes_.push_back(long_links);
    long_bytes_.push_back(scratch_.size());
  }
  return g;
}

// Back from the outputs, decoding the links of the gates kept: a gate's links end where the
// next gate's begin, so the walk goes down from the stream's end.
std::vector<std::uint8_t> CountingStore::reachable(std::span<const Output> outputs, node_space space) const {
  const std::uint32_t gates = num_gates();
  std::vector<std::uint8_t> keep(gates, 0);
  for (const Output& o : outputs)
    if (space.past_inputs(o.lit.node())) keep[space.gate(o.lit.node()).v] = 1;
  std::size_t end = links_.size(), longs = long_bytes_.size();
  for (std::uint32_t g = gates; g-- > 0;) {
    std::size_t bytes = link_bytes_[g];
    if (bytes == long_links) bytes = long_bytes_[--longs];
    const std::size_t begin = end - bytes;
    if (keep[g]) {
      std::uint64_t next = 0;  // the previous index + 1
      for (std::size_t i = begin; i < end;) {
        std::uint64_t d = 0;
        unsigned shift = 0;
        std::uint8_t byte;
        do {
          byte = links_[i++];
          d |= std::uint64_t(byte & 0x7F) << shift;
          shift += 7;
        } while (byte & 0x80);
        next += d;
        keep[next] = 1;
        ++next;
      }
    }
    end = begin;
  }
  return keep;
}

void CountingStore::tally(const std::vector<std::uint8_t>& keep, GateTally& tally) const {
  std::size_t big = 0;
  for (std::uint32_t g = 0; g < num_gates(); ++g) {
    const std::uint16_t bits = bits_[g];
    if (bits == big_bits) {
      const CountedBig& b = big_[big++];
      if (keep[g]) tally.add(level_[g], fanin_[g], b.weight_bits, b.threshold_bits, b.abs_sum);
    } else if (keep[g]) {
      tally.add(level_[g], fanin_[g], bits & 0xFFu, bits >> 8, abs_[g]);
    }
  }
}

// ---- Builder ----

Builder::Builder(builder_params params) : Builder(params, CircuitStore{}) {}

Builder::Builder(CountingStore store, builder_params params) : Builder(params, std::move(store)) {}

Builder::Builder(builder_params params, std::variant<CircuitStore, CountingStore> store)
    : params_(params), store_(std::move(store)) {
  if (CountingStore* s = std::get_if<CountingStore>(&store_)) s->keep_fingerprints(params_.structural_hashing);
  table_.assign(1024, 0);
  if (params_.time_limit_s > 0 && params_.time_limit_s < 1e9)  // beyond 30 years: no limit
    deadline_ = std::chrono::steady_clock::now() +
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(params_.time_limit_s));
}

void Builder::check_deadline() {
  if (interrupted()) throw BudgetExceeded("interrupted after " + std::to_string(stats_.gates_requested) + " gate requests");
  if (std::chrono::steady_clock::now() > deadline_)
    throw BudgetExceeded("the time limit of " + seconds_text(params_.time_limit_s) + " s ran out after " +
                         std::to_string(stats_.gates_requested) + " gate requests");
}

void Builder::note_work(std::size_t fanin) {
  if (++unchecked_ == 1024 || fanin > 4096) {  // the clock now and then: reading it costs
    unchecked_ = 0;
    check_deadline();
  }
}

Lit Builder::add_input(std::string name) {
  if (num_gates() > 0) throw std::invalid_argument("inputs must be added before the first gate");
  if (num_inputs_ == UINT32_MAX / 2 - 1) throw std::invalid_argument("too many inputs");
  if (!name.empty()) {  // a name refused leaves no unnamed input behind
    check_name_text(name);
    if (names_.find(name)) throw std::invalid_argument("name '" + name + "' is already used by another node");
  }
  charge_inputs(1);
  const node_id n = space().input_node(num_inputs_++);
  if (CircuitStore* s = std::get_if<CircuitStore>(&store_)) s->set_inputs(num_inputs_);
  if (!name.empty()) set_name(n, name);
  return Lit(n, false);
}

void Builder::add_inputs(std::uint32_t count) {
  if (num_gates() > 0) throw std::invalid_argument("inputs must be added before the first gate");
  if (count > UINT32_MAX / 2 - 1 - num_inputs_) throw std::invalid_argument("too many inputs");
  charge_inputs(count);
  num_inputs_ += count;
  if (CircuitStore* s = std::get_if<CircuitStore>(&store_)) s->set_inputs(num_inputs_);
}

// An input costs a unit of the memory bound (its level and its share of every per-node array
// downstream), so that `inputs 16777216` in a 56-byte file is bounded like the gates are.
void Builder::charge_inputs(std::uint64_t count) {
  if (held_bytes() + 8 * count > bound_bytes()) throw_bound();
  wire_units_ += count;
}

bool Builder::set_name(node_id node, const std::string& name) {
  if (name.empty()) throw std::invalid_argument("empty name");
  if (node == 0 || node >= num_nodes()) return false;
  // The memory bound counts a name as its characters and about 64 bytes of entry and indexes.
  const std::uint64_t units = (name.size() + 64 + 7) / 8;
  if (held_bytes() + 8 * units > bound_bytes()) throw_bound();
  const bool added = names_.add(node, name);
  if (added) wire_units_ += units;
  return added;
}

void Builder::add_output(Lit lit, std::string name) {
  if (lit.node() >= num_nodes())
    throw std::invalid_argument("literal refers to node " + std::to_string(lit.node()) +
                                ", which does not exist yet (the circuit has " + std::to_string(num_nodes()) + " nodes)");
  check_name_text(name);
  outputs_.push_back(Output{lit, std::move(name)});
}

const Circuit& Builder::peek() const {
  const CircuitStore* s = std::get_if<CircuitStore>(&store_);
  if (!s) throw std::logic_error("a counting Builder keeps no circuit to show");
  return s->circuit();
}

Lit Builder::add_gate(std::span<const Lit> fanins, std::span<const std::int64_t> weights, std::int64_t threshold) {
  start(one_);
  normalize_gate(one_, fanins, weights, threshold);
  return add_one();
}

Lit Builder::add_gate(std::span<const Lit> fanins, std::span<const mpz_class> weights, const mpz_class& threshold) {
  start(one_);
  normalize_gate(one_, fanins, weights, threshold);
  return add_one();
}

Lit Builder::add_one() {
  Lit out;
  add_batch(one_, 0, {&out, 1});
  return out;
}

void Builder::add_gates(std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                        std::span<const std::int64_t> thresholds, std::span<Lit> out) {
  if (out.size() != thresholds.size()) throw std::invalid_argument("add_gates: one output per threshold");
  start(one_);
  normalize_ladder(one_, fanins, weights, thresholds);
  add_batch(one_, 0, out);
}

std::size_t Builder::add_batch(const GateBatch& batch, std::size_t from, std::span<Lit> out) {
  if (out.size() != batch.size()) throw std::invalid_argument("add_batch: one output per gate");
  if (batch.known_nodes() > num_nodes()) throw std::invalid_argument("add_batch: the batch was started on another builder");
  return std::visit([&](auto& store) { return insert(store, batch, from, out); }, store_);
}

// The one insert path.
template <class Store>
std::size_t Builder::insert(Store& store, const GateBatch& batch, std::size_t from, std::span<Lit> out) {
  if (from == 0) {
    stats_.gates_requested += batch.stats().gates_requested;
    stats_.constant_gates += batch.stats().constant_gates;
    stats_.buffer_gates += batch.stats().buffer_gates;
  }
  constexpr std::size_t ahead = 8;
  const bool hashing = params_.structural_hashing;
  for (std::size_t k = from; k < batch.size(); ++k) {
    // The table slot of the gate `ahead` places on is fetched while this one is added (the
    // first ones' too, on entry).
    if (hashing)
      for (std::size_t j = k == from ? k : k + ahead; j <= k + ahead && j < batch.size(); ++j)
        if (batch.is_stored(j)) prefetch_slot(table_, batch.hash(j));
    if (batch.is_deferred(k)) return k;
    note_work(batch.fanin(k));
    out[k] = batch.is_folded(k) ? batch.lit(k) : Lit(insert_gate(store, batch.gate(k)), batch.lit(k).negated());
  }
  return batch.size();
}

template <class Store>
node_id Builder::insert_gate(Store& store, const normal_gate& s) {
  const node_space space = this->space();
  const std::uint64_t h = s.hash >> 32;
  const std::size_t mask = table_.size() - 1;
  std::size_t slot = h & mask;
  if (params_.structural_hashing) {
    for (; table_[slot] != 0; slot = (slot + 1) & mask) {
      const gate_id g(static_cast<std::uint32_t>(table_[slot]) - 1);
      if ((table_[slot] >> 32) == h && store.same(g, s)) {
        ++stats_.hash_hits;
        return space.node(g);
      }
    }
  }
  if (num_nodes() == UINT32_MAX / 2) throw std::length_error("circuit is full (2^31 nodes)");
  // Fan-ins are sorted: the inputs (level 0) come first, then the fan-ins that are gates.
  const std::size_t gate_from =
      static_cast<std::size_t>(std::lower_bound(s.nodes.begin(), s.nodes.end(), space.first_gate_node()) - s.nodes.begin());
  std::uint32_t level = 0;
  for (std::size_t i = gate_from; i < s.nodes.size(); ++i) level = std::max(level, store.gate_level(space.gate(s.nodes[i])));
  // The memory bound: room in the store's arrays (regrown within it), what it holds elsewhere
  // (GMP weights), and the table's doubling when this gate fills it.
  const std::uint64_t units = store.extra_units(s);
  auto grow = [this](auto& v, std::size_t n) { return grow_within_bound(v, n); };
  const std::uint32_t gates = store.num_gates();
  if (!store.room_for(1, s.nodes.size(), s.nodes.size() - gate_from, grow) ||
      (units && held_bytes() + 8 * units > bound_bytes()) ||
      (params_.structural_hashing && !table_fits(std::size_t(gates) + 1, table_.size()) && !table_grows_within_bound()))
    throw_bound();
  wire_units_ += units;
  const gate_id g = store.add(s, gate_from, level + 1, space);
  if (!s.small()) ++stats_.big_gates;
  if (params_.structural_hashing) {
    table_[slot] = (h << 32) | (std::uint64_t(g.v) + 1);
    if (!table_fits(std::size_t(g.v) + 1, table_.size())) rehash(2 * table_.size());
  }
  return space.node(g);
}

// The table holds at most three entries per four slots: linear probing stays short (about 2.5
// probes to find a gate, 8.5 in the same few cache lines to miss), and a circuit of 2^k gates
// needs 2^(k+1) slots, not 2^(k+2).
bool Builder::table_fits(std::size_t gates, std::size_t slots) { return 4 * gates <= 3 * slots; }

void Builder::rehash(std::size_t slots) {
  decltype(table_) t(slots, 0);
  const std::size_t mask = t.size() - 1;
  for (std::uint64_t e : table_) {
    if (e == 0) continue;
    std::size_t i = (e >> 32) & mask;
    while (t[i] != 0) i = (i + 1) & mask;
    t[i] = e;
  }
  table_.swap(t);
}

// The memory bound (builder_params::max_wires), in bytes: what the store's arrays hold (their
// capacity, not their size), the hash table, and wire_units_ (GMP weights, names) at 8 bytes a unit.
std::uint64_t Builder::held_bytes() const {
  // An empty builder's table (1024 slots, 8 KiB) is not counted, so that tiny bounds stay usable.
  const std::uint64_t table = bytes_of(table_) - std::min<std::uint64_t>(bytes_of(table_), 1024 * 8);
  return std::visit([](const auto& s) { return s.held_bytes(); }, store_) + table + 8 * wire_units_;
}

std::uint64_t Builder::bound_bytes() const {
  return params_.max_wires > UINT64_MAX / 8 ? UINT64_MAX : 8 * params_.max_wires;
}

std::uint64_t Builder::memory_room() const {
  const std::uint64_t held = held_bytes(), bound = bound_bytes();
  return held < bound ? (bound - held) / 8 : 0;
}

void Builder::throw_bound() const {
  const std::uint64_t bytes = bound_bytes();
  const std::string size = bytes >= (std::uint64_t(1) << 20) ? std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB"
                                                            : std::to_string(bytes) + " bytes";
  throw std::length_error("the circuit would exceed the size bound of " + std::to_string(params_.max_wires) +
                          " wires (tcx --max-wires: units of 8 bytes of the builder's memory, " + size + ")");
}

// Regrows an array to hold n elements: 1.5 times its capacity as a rule, but never past the
// bound, counting the old array too (it is held while it is copied). Leaves it short when even
// n elements do not fit: the caller then refuses the gate.
template <class V>
bool Builder::grow_within_bound(V& v, std::size_t n) {
  if (n <= v.capacity()) return true;
  const std::uint64_t held = held_bytes(), bound = bound_bytes();
  const std::uint64_t fits = held < bound ? (bound - held) / sizeof(v[0]) : 0;
  const std::uint64_t want = std::min<std::uint64_t>(std::max(n, v.capacity() + v.capacity() / 2), fits);
  if (want >= n) v.reserve(static_cast<std::size_t>(want));
  return v.capacity() >= n;
}

// A segmented array grows by a segment at a time, nothing copied.
template <class T>
bool Builder::grow_within_bound(Segmented<T>& v, std::size_t n) {
  while (v.capacity() < n) {
    if (held_bytes() + v.next_segment_bytes() > bound_bytes()) return false;
    v.add_segment();
  }
  return true;
}

// A table doubling holds the old table and the new one, three times the old, while it rehashes.
bool Builder::table_grows_within_bound() const { return held_bytes() + 2 * 8 * table_.size() <= bound_bytes(); }

void Builder::reserve(std::size_t gates, std::size_t wires) {
  // Within the memory bound (a build that will be refused must fail on the bound, not on a giant
  // reservation): as much of the request as the bound allows.
  // Counting keeps only the fan-ins that are gates, unknown here: its links grow as they come.
  auto grow = [this](auto& v, std::size_t n) {
    grow_within_bound(v, n);
    return true;  // each array as far as it goes
  };
  std::visit([&](auto& s) { s.room_for(gates, wires, 0, grow); }, store_);
  const std::size_t g = num_gates() + std::min<std::size_t>(gates, UINT32_MAX);
  if (params_.structural_hashing && !table_fits(g, table_.size())) {
    std::size_t slots = table_.size();  // one rehash into the final size, not a doubling series
    while (!table_fits(g, slots) && held_bytes() + 8 * (2 * slots) <= bound_bytes()) slots *= 2;
    if (slots > table_.size()) rehash(slots);
  }
}

circuit_stats Builder::count_stats() const {
  circuit_stats s;
  s.inputs = num_inputs_;
  s.outputs = static_cast<std::uint32_t>(outputs_.size());
  for (const Output& o : outputs_) {
    s.output_depth.push_back(level(o.lit));
    s.depth = std::max(s.depth, s.output_depth.back());
  }
  GateTally tally;
  std::visit(
      [&](const auto& store) {
        const std::vector<std::uint8_t> keep = store.reachable(outputs_, space());
        store.tally(keep, tally);
      },
      store_);
  tally.fill(s);
  return s;
}

Circuit Builder::take(bool prune) {
  CircuitStore* s = std::get_if<CircuitStore>(&store_);
  if (!s) throw std::logic_error("a counting Builder keeps no gates to build a circuit from");
  table_.clear();
  table_.shrink_to_fit();
  s->set_inputs(num_inputs_);
  return s->take(std::move(outputs_), std::move(names_), prune);
}

Circuit Builder::build() && { return take(true); }

Circuit Builder::build_all() && { return take(false); }

}  // namespace tcx
