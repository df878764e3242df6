#include "provers/synth_cex.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "circuits/simulate.hpp"

namespace tcx::synth_detail {

Counterexamples::Counterexamples(std::uint32_t n, const multi_truth_table& truth, const truth_table* care,
                                 const std::vector<std::uint32_t>& sens)
    : n_(n), rows_(std::uint64_t(1) << n), target_(truth), care_(care), sens_(sens) {
  if (care && care->num_vars() != n) throw std::invalid_argument("synth: the care set is not over the function's inputs");
  cared_ = care ? count_ones(*care) : rows_;
}

std::vector<std::uint64_t> Counterexamples::wrong(const Circuit& c, std::size_t k) const {
  const multi_truth_table got = truth_tables(c);
  truth_table diff(n_);
  for (std::size_t o = 0; o < target_.size(); ++o) diff = diff | (got[o] ^ target_[o]);
  if (care_) diff = diff & *care_;
  // (sensitivity, pattern), most sensitive first; patterns come in increasing order, so a tie
  // keeps the earlier one.
  std::vector<std::pair<std::uint32_t, std::uint64_t>> best;
  for_each_one(diff, [&](std::uint64_t q) {
    const std::uint32_t s = sens_[q];
    if (best.size() == k && s <= best.back().first) return;
    auto at = std::upper_bound(best.begin(), best.end(), s, [](std::uint32_t v, const auto& e) { return v > e.first; });
    best.insert(at, {s, q});
    if (best.size() > k) best.pop_back();
  });
  std::vector<std::uint64_t> out;
  for (const auto& [s, q] : best) out.push_back(q);
  return out;
}

std::uint64_t Counterexamples::first_cared() const {
  if (!care_) return 0;
  const auto words = care_->words();
  for (std::size_t w = 0; w < words.size(); ++w)
    if (words[w]) return w * 64 + static_cast<std::uint64_t>(std::countr_zero(words[w]));
  throw std::invalid_argument("synth: the care set is empty");
}

std::uint64_t Counterexamples::random_cared(std::mt19937_64& rng) const {
  if (!care_) return rng() % rows_;
  if (cared_ * 16 >= rows_)
    for (;;) {
      const std::uint64_t q = rng() % rows_;
      if (cared(q)) return q;
    }
  std::uint64_t skip = rng() % cared_;
  const auto words = care_->words();
  for (std::size_t w = 0;; ++w) {
    const auto c = static_cast<std::uint64_t>(std::popcount(words[w]));
    if (skip >= c) {
      skip -= c;
      continue;
    }
    std::uint64_t bits = words[w];
    for (; skip; --skip) bits &= bits - 1;
    return w * 64 + static_cast<std::uint64_t>(std::countr_zero(bits));
  }
}

std::uint32_t invariant_rotation(std::uint32_t n, const multi_truth_table& truth, const truth_table* care) {
  for (std::uint32_t s = 1; s < n; ++s) {
    if (n % s) continue;  // the invariant shifts form a subgroup of Z_n: its generator divides n
    auto rotated = [&](const truth_table& t) {
      return make_truth_table(n, [&](std::uint64_t q) { return get_bit(t, rotate_pattern(q, n, s)); });
    };
    if (care && rotated(*care) != *care) continue;
    bool ok = true;
    for (const truth_table& t : truth) {
      // Equal on the cared patterns (the care set is invariant, so their images are cared too).
      ok = ok && (care ? (rotated(t) ^ t) & *care : rotated(t) ^ t) == truth_table(n);
      if (!ok) break;
    }
    if (ok) return s;
  }
  return 0;
}

std::vector<std::uint32_t> sensitivity(std::uint32_t n, const multi_truth_table& truth, const truth_table* care) {
  std::vector<std::uint32_t> s(std::size_t(1) << n, 0);
  for (const truth_table& t : truth)
    for (std::uint32_t i = 0; i < n; ++i) {
      truth_table changes = t ^ flip(t, i);
      if (care) changes = changes & *care & flip(*care, i);
      for_each_one(changes, [&](std::uint64_t p) { ++s[p]; });
    }
  return s;
}

}  // namespace tcx::synth_detail

namespace tcx::synth_detail {

std::vector<std::uint64_t> initial_patterns(const Counterexamples& cx, std::uint32_t n, const synth_params& p, std::uint64_t all_below) {
  const std::uint64_t rows = std::uint64_t(1) << n;
  std::vector<std::uint64_t> out{cx.first_cared()};
  if (cx.cared_count() <= all_below) {
    for (std::uint64_t q = out[0] + 1; q < rows; ++q)
      if (cx.cared(q)) out.push_back(q);
    return out;
  }
  std::mt19937_64 rng(p.seed);
  for (std::uint32_t k = 1; k < p.initial_patterns && k < rows; ++k) {
    const std::uint64_t q = cx.random_cared(rng);
    if (std::find(out.begin(), out.end(), q) == out.end()) out.push_back(q);
  }
  return out;
}

std::vector<std::uint64_t> next_patterns(const Counterexamples& cx, const Circuit& c, std::uint32_t n, const synth_params& p,
                                         std::uint32_t rotation) {
  std::vector<std::uint64_t> out = cx.wrong(c, std::max<std::uint32_t>(1, p.counterexamples_per_round));
  if (!p.pattern_orbits || !rotation) return out;
  std::vector<std::uint64_t> with;
  for (std::uint64_t q : out)
    for (std::uint32_t s = 0; s < n; s += rotation) {
      const std::uint64_t r = rotate_pattern(q, n, s);
      if (std::find(with.begin(), with.end(), r) == with.end()) with.push_back(r);
    }
  return with;
}

}  // namespace tcx::synth_detail
