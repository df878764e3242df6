#include "compilers/arith/symmetric.hpp"

#include <map>
#include <stdexcept>

#include "circuits/bits.hpp"

namespace tcx {

linear_form function_of_sum(Builder& b, const linear_form& s, std::int64_t lo, std::int64_t hi,
                            const std::function<std::int64_t(std::int64_t)>& v, bool with_sum) {
  if (hi < lo) throw std::invalid_argument("function_of_sum: an empty range");
  std::vector<std::int64_t> step;  // step[i] = v(lo + i + 1) - v(lo + i)
  for (std::int64_t k = lo + 1; k <= hi; ++k) step.push_back(v(k) - v(k - 1));
  std::int64_t slope = 0;
  if (with_sum && !step.empty()) {
    std::map<std::int64_t, std::size_t> count;
    for (std::int64_t d : step) ++count[d];
    slope = step.front();
    for (auto [d, c] : count)
      if (c > count.at(slope)) slope = d;
    if (count.contains(0) && count.at(0) == count.at(slope)) slope = 0;  // reading s costs wires: only to save gates
  }
  std::vector<std::int64_t> thresholds, deltas;
  for (std::size_t i = 0; i < step.size(); ++i)
    if (step[i] != slope) thresholds.push_back(lo + static_cast<std::int64_t>(i) + 1 - s.constant), deltas.push_back(step[i] - slope);
  std::vector<Lit> ladder(thresholds.size());
  b.add_gates(s.lits, s.weights, thresholds, ladder);
  linear_form out;
  out.constant = v(lo);
  if (slope != 0) {
    out.add(s, slope);
    out.constant -= slope * lo;
  }
  for (std::size_t i = 0; i < ladder.size(); ++i) out.add(ladder[i], deltas[i]);
  return out;
}

namespace {
linear_form unit_sum(std::span<const Lit> x) {
  linear_form s;
  for (Lit l : x) s.add(l, 1);
  return s;
}
Lit at_least_one(Builder& b, const linear_form& f) { return b.add_gate(f.lits, f.weights, 1 - f.constant); }
}  // namespace

Lit symmetric(Builder& b, std::span<const Lit> x, const std::vector<bool>& value) {
  if (value.size() != x.size() + 1) throw std::invalid_argument("symmetric: need n+1 values for n inputs");
  return at_least_one(b, function_of_sum(b, unit_sum(x), 0, static_cast<std::int64_t>(x.size()),
                                         [&](std::int64_t k) { return std::int64_t(value[k]); }, false));
}

Lit parity(Builder& b, std::span<const Lit> x) {
  std::vector<bool> v(x.size() + 1);
  for (std::size_t k = 0; k < v.size(); ++k) v[k] = k & 1;
  return symmetric(b, x, v);
}

Lit parity_skip(Builder& b, std::span<const Lit> x) {
  return at_least_one(b, function_of_sum(b, unit_sum(x), 0, static_cast<std::int64_t>(x.size()),
                                         [](std::int64_t k) { return k & 1; }, true));
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
