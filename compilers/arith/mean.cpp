#include "compilers/arith/mean.hpp"

#include <stdexcept>

#include "circuits/derived_gates.hpp"

namespace tcx {

Word masked_mean(Builder& b, std::span<const Lit> select, std::span<const Word> values, bool nearest) {
  if (select.size() != values.size()) throw std::invalid_argument("masked_mean: one select bit per value");
  if (values.empty()) throw std::invalid_argument("masked_mean: no values");
  const std::size_t k = values[0].size();
  for (const Word& v : values)
    if (v.size() != k) throw std::invalid_argument("masked_mean: values of different widths");
  if (k < 1 || k > 16) throw std::invalid_argument("masked_mean: values of 1 to 16 bits (the thermometer has 2^k gates)");
  const std::int64_t lo = -(std::int64_t(1) << (k - 1)), hi = (std::int64_t(1) << (k - 1)) - 1;
  std::vector<Lit> x;
  std::vector<std::int64_t> w;
  for (std::size_t j = 0; j < values.size(); ++j) {
    for (std::size_t t = 0; t < k; ++t) {
      x.push_back(and2(b, select[j], values[j][t]));
      const std::int64_t place = std::int64_t(1) << t;
      w.push_back((t + 1 == k ? -place : place) * (nearest ? 2 : 1));
    }
    x.push_back(select[j]);
    w.push_back(0);  // -t C (or -(2t-1) C): set per candidate
  }
  std::vector<Lit> thermo;  // thermo[u] = [M >= lo + 1 + u]
  for (std::int64_t t = lo + 1; t <= hi; ++t) {
    for (std::size_t j = 0; j < values.size(); ++j) w[j * (k + 1) + k] = nearest ? -(2 * t - 1) : -t;
    thermo.push_back(b.add_gate(x, w, 0));
  }
  // m = M - lo counts the true thermometer gates; bit u of m is 1 on the intervals
  // [i*2^(u+1) + 2^u, (i+1)*2^(u+1)), an alternating sum of thermometer bits. M in two's
  // complement is m with the top bit flipped.
  Word out;
  const std::int64_t span = hi - lo;  // m in [0, span]
  std::vector<Lit> tx;
  std::vector<std::int64_t> tw;
  for (std::size_t u = 0; u < k; ++u) {
    tx.clear();
    tw.clear();
    for (std::int64_t a = std::int64_t(1) << u; a <= span; a += std::int64_t(1) << (u + 1)) {
      tx.push_back(thermo[static_cast<std::size_t>(a - 1)]);
      tw.push_back(1);
      const std::int64_t e = a + (std::int64_t(1) << u);
      if (e <= span) {
        tx.push_back(thermo[static_cast<std::size_t>(e - 1)]);
        tw.push_back(-1);
      }
    }
    const Lit bit = tx.empty() ? lit_false : b.add_gate(tx, tw, 1);
    out.push_back(u + 1 == k ? !bit : bit);
  }
  return out;
}

}  // namespace tcx
