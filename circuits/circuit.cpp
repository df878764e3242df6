#include "circuits/circuit.hpp"

#include <algorithm>

namespace tcx {

mpz_class Circuit::weight(gate_id g, std::uint32_t i) const {
  if (is_big(g)) return big(g).weights[i];
  return mpz_class(static_cast<long>(small_weights(g)[i]));
}

mpz_class Circuit::threshold(gate_id g) const {
  if (is_big(g)) return big(g).threshold;
  return mpz_class(static_cast<long>(small_threshold(g)));
}

std::uint32_t Circuit::depth() const {
  std::uint32_t d = 0;
  for (const Output& o : outputs_) d = std::max(d, level(o.lit.node()));
  return d;
}

std::string_view Circuit::name(node_id n) const { return names_.name(n); }

std::optional<node_id> Circuit::find(std::string_view name) const { return names_.find(name); }

std::string Circuit::label(node_id n) const {
  std::string_view s = name(n);
  return s.empty() ? "@" + std::to_string(n) : std::string(s);
}

std::size_t Circuit::memory_bytes() const {
  std::size_t bytes = offset_.capacity() * sizeof(std::uint64_t) + fanin_.capacity() * sizeof(node_id) +
                      weight_.capacity() * sizeof(std::int32_t) + threshold_.capacity() * sizeof(std::int64_t) +
                      level_.capacity() * sizeof(std::uint32_t) + big_index_.capacity() * sizeof(std::uint32_t);
  for (const BigGate& b : big_) {
    bytes += sizeof(BigGate) + b.weights.capacity() * sizeof(mpz_class);
    for (const mpz_class& w : b.weights) bytes += mpz_size(w.get_mpz_t()) * sizeof(mp_limb_t);
  }
  return bytes;
}

std::vector<std::uint8_t> reachable_gates(const Circuit& c) { return reachable_gates(c, c.outputs()); }

std::vector<std::uint8_t> reachable_gates(const Circuit& c, std::span<const Output> outputs) {
  std::vector<std::uint8_t> keep(c.num_gates(), 0);
  for (const Output& o : outputs)
    if (c.is_gate(o.lit.node())) keep[c.gate_of(o.lit.node()).v] = 1;
  for (std::uint32_t i = c.num_gates(); i-- > 0;) {  // fan-ins come before their gate
    if (!keep[i]) continue;
    for (node_id f : c.fanins(gate_id(i)))
      if (c.is_gate(f)) keep[c.gate_of(f).v] = 1;
  }
  return keep;
}

// In place, in one pass: a kept gate reads only kept gates, all earlier, so its new position and
// its fan-ins' new ids are known when it is reached, and every write lands at or before the read.
void Circuit::drop_unreachable() {
  const std::vector<std::uint8_t> keep = reachable_gates(*this);
  const std::uint32_t gates = num_gates();
  if (std::find(keep.begin(), keep.end(), 0) == keep.end()) return;
  const node_space space = this->space();
  std::vector<node_id> map(num_nodes(), NameTable::no_node);  // old node -> new node
  for (node_id n = 0; n < space.first_gate_node(); ++n) map[n] = n;
  std::uint32_t k = 0, big = 0;
  std::uint64_t at = 0, begin = 0;
  for (std::uint32_t g = 0; g < gates; ++g) {  // raw indices: the arrays are rewritten in place
    const std::uint64_t end = offset_[g + 1];
    if (keep[g]) {
      map[space.node(gate_id(g))] = space.node(gate_id(k));
      for (std::uint64_t i = begin; i < end; ++i, ++at) {
        fanin_[at] = map[fanin_[i]];
        weight_[at] = weight_[i];
      }
      threshold_[k] = threshold_[g];
      level_[k] = level_[g];
      if (big_index_[g] != no_big) {
        if (big != big_index_[g]) big_[big] = std::move(big_[big_index_[g]]);
        big_index_[k] = big++;
      } else {
        big_index_[k] = no_big;
      }
      offset_[++k] = at;
    }
    begin = end;
  }
  fanin_.resize(at);
  weight_.resize(at);
  offset_.resize(std::size_t(k) + 1);
  threshold_.resize(k);
  level_.resize(k);
  big_index_.resize(k);
  big_.resize(big);
  for (Output& o : outputs_) o.lit = Lit(map[o.lit.node()], o.lit.negated());
  if (!names_.empty()) names_ = names_.renumbered(map);
}

bool structurally_equal(const Circuit& a, const Circuit& b) {
  if (a.num_inputs() != b.num_inputs() || a.num_gates() != b.num_gates() || a.num_outputs() != b.num_outputs())
    return false;
  for (gate_id g : a.gates()) {
    auto fa = a.fanins(g), fb = b.fanins(g);
    if (!std::equal(fa.begin(), fa.end(), fb.begin(), fb.end())) return false;
    if (a.is_big(g) != b.is_big(g)) return false;
    if (a.threshold(g) != b.threshold(g)) return false;
    for (std::uint32_t i = 0; i < fa.size(); ++i)
      if (a.weight(g, i) != b.weight(g, i)) return false;
  }
  for (std::uint32_t i = 0; i < a.num_outputs(); ++i)
    if (a.outputs()[i].lit != b.outputs()[i].lit || a.outputs()[i].name != b.outputs()[i].name) return false;
  return a.names_ == b.names_;
}

}  // namespace tcx
