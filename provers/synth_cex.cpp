#include "provers/synth_cex.hpp"

#include <algorithm>
#include <stdexcept>

#include "circuits/simulate.hpp"

namespace tcx::synth_detail {

namespace {

std::vector<std::uint64_t> pack(const std::vector<std::uint8_t>& t) {
  std::vector<std::uint64_t> w((t.size() + 63) / 64, 0);
  for (std::uint64_t q = 0; q < t.size(); ++q)
    if (t[q]) w[q / 64] |= std::uint64_t(1) << (q % 64);
  return w;
}

}  // namespace

Counterexamples::Counterexamples(std::uint32_t n, const std::vector<std::vector<std::uint8_t>>& truth,
                                 const std::vector<std::uint8_t>* care, const std::vector<std::uint32_t>& sens)
    : n_(n), rows_(std::uint64_t(1) << n), care_(care != nullptr), sens_(sens) {
  for (const auto& t : truth) target_.push_back(pack(t));
  if (care) {
    if (care->size() != rows_) throw std::invalid_argument("synth: the care set needs 2^inputs entries");
    care_bits_ = pack(*care);
    for (std::uint64_t w : care_bits_) cared_ += static_cast<std::uint64_t>(__builtin_popcountll(w));
  } else {
    cared_ = rows_;
  }
}

std::vector<std::uint64_t> Counterexamples::wrong(const Circuit& c, std::size_t k) const {
  const std::vector<std::vector<std::uint64_t>> got = truth_tables(c);
  const std::size_t words = (rows_ + 63) / 64;
  // (sensitivity, pattern), most sensitive first; patterns come in increasing order, so a tie
  // keeps the earlier one.
  std::vector<std::pair<std::uint32_t, std::uint64_t>> best;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t diff = 0;
    for (std::size_t o = 0; o < target_.size(); ++o) diff |= got[o][w] ^ target_[o][w];
    if (care_) diff &= care_bits_[w];
    if (rows_ < 64) diff &= (std::uint64_t(1) << rows_) - 1;
    while (diff) {
      const std::uint64_t q = w * 64 + static_cast<std::uint64_t>(__builtin_ctzll(diff));
      diff &= diff - 1;
      const std::uint32_t s = sens_[q];
      if (best.size() == k && s <= best.back().first) continue;
      auto at = std::upper_bound(best.begin(), best.end(), s, [](std::uint32_t v, const auto& e) { return v > e.first; });
      best.insert(at, {s, q});
      if (best.size() > k) best.pop_back();
    }
  }
  std::vector<std::uint64_t> out;
  for (const auto& [s, q] : best) out.push_back(q);
  return out;
}

std::uint64_t Counterexamples::first_cared() const {
  if (!care_) return 0;
  for (std::size_t w = 0; w < care_bits_.size(); ++w)
    if (care_bits_[w]) return w * 64 + static_cast<std::uint64_t>(__builtin_ctzll(care_bits_[w]));
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
  for (std::size_t w = 0;; ++w) {
    const auto c = static_cast<std::uint64_t>(__builtin_popcountll(care_bits_[w]));
    if (skip >= c) {
      skip -= c;
      continue;
    }
    std::uint64_t bits = care_bits_[w];
    for (; skip; --skip) bits &= bits - 1;
    return w * 64 + static_cast<std::uint64_t>(__builtin_ctzll(bits));
  }
}

std::uint32_t invariant_rotation(std::uint32_t n, const std::vector<std::vector<std::uint8_t>>& truth,
                                 const std::vector<std::uint8_t>* care) {
  const std::uint64_t rows = std::uint64_t(1) << n;
  for (std::uint32_t s = 1; s < n; ++s) {
    if (n % s) continue;  // the invariant shifts form a subgroup of Z_n: its generator divides n
    bool ok = true;
    for (std::uint64_t q = 0; q < rows && ok; ++q) {
      const std::uint64_t r = rotate_pattern(q, n, s);
      if (care && (*care)[q] != (*care)[r]) ok = false;
      if (care && !(*care)[q]) continue;
      for (const auto& t : truth) ok = ok && t[q] == t[r];
    }
    if (ok) return s;
  }
  return 0;
}

std::vector<std::uint32_t> sensitivity(std::uint32_t n, const std::vector<std::vector<std::uint8_t>>& truth,
                                       const std::vector<std::uint8_t>* care) {
  std::vector<std::uint32_t> s(std::size_t(1) << n, 0);
  for (const auto& t : truth)
    for (std::uint64_t p = 0; p < s.size(); ++p) {
      if (care && !(*care)[p]) continue;
      for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint64_t r = p ^ (std::uint64_t(1) << i);
        s[p] += (!care || (*care)[r]) && t[p] != t[r];
      }
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
