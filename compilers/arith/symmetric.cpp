#include "compilers/arith/symmetric.hpp"

#include <algorithm>
#include <stdexcept>

#include "circuits/bits.hpp"

namespace tcx {

Lit symmetric(Builder& b, std::span<const Lit> x, const std::vector<bool>& value) {
  if (value.size() != x.size() + 1) throw std::invalid_argument("symmetric: need n+1 values for n inputs");
  std::vector<std::int64_t> w, thresholds;  // [sum x >= k] where the value changes: one ladder
  for (std::size_t k = 1; k < value.size(); ++k) {
    int delta = int(value[k]) - int(value[k - 1]);
    if (delta == 0) continue;
    thresholds.push_back(static_cast<std::int64_t>(k));
    w.push_back(delta);
  }
  std::vector<Lit> layer(thresholds.size());
  b.add_gates(x, unit_weights(x.size()), thresholds, layer);
  return b.add_gate(layer, w, 1 - int(value[0]));
}

Lit parity(Builder& b, std::span<const Lit> x) {
  std::vector<bool> v(x.size() + 1);
  for (std::size_t k = 0; k < v.size(); ++k) v[k] = k & 1;
  return symmetric(b, x, v);
}

Lit parity_skip(Builder& b, std::span<const Lit> x) {
  std::vector<std::int64_t> w(x.size(), 1), thresholds;
  for (std::size_t k = 1; 2 * k <= x.size(); ++k) thresholds.push_back(static_cast<std::int64_t>(2 * k));
  std::vector<Lit> f(x.size() + thresholds.size());
  std::copy(x.begin(), x.end(), f.begin());
  b.add_gates(x, w, thresholds, std::span(f).last(thresholds.size()));  // [sum x >= 2k], weight -2 each
  w.resize(f.size(), -2);
  return b.add_gate(f, w, 1);
}

Word popcount(Builder& b, std::span<const Lit> x) {
  const std::uint32_t bits = x.empty() ? 0 : bits_for_value(x.size());
  Word out;
  for (std::uint32_t j = 0; j < bits; ++j) {
    std::vector<bool> v(x.size() + 1);
    for (std::size_t k = 0; k < v.size(); ++k) v[k] = (k >> j) & 1;
    out.push_back(symmetric(b, x, v));
  }
  return out;
}

}  // namespace tcx
