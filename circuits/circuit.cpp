#include "circuits/circuit.hpp"

#include <algorithm>

namespace tcx {

mpz_class Circuit::weight(std::uint32_t g, std::uint32_t i) const {
  if (is_big(g)) return big(g).weights[i];
  return mpz_class(static_cast<long>(weight_[offset_[g] + i]));
}

mpz_class Circuit::threshold(std::uint32_t g) const {
  if (is_big(g)) return big(g).threshold;
  return mpz_class(static_cast<long>(threshold_[g]));
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

bool structurally_equal(const Circuit& a, const Circuit& b) {
  if (a.num_inputs() != b.num_inputs() || a.num_gates() != b.num_gates() || a.num_outputs() != b.num_outputs())
    return false;
  for (std::uint32_t g = 0; g < a.num_gates(); ++g) {
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
