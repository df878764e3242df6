#include "compilers/arith/residue_threshold.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "circuits/progress.hpp"

namespace tcx {

namespace {

// The first `count` primes in [from, limit), by a segmented sieve; fewer when the range has fewer.
std::vector<std::uint64_t> primes_in(std::uint64_t from, std::uint64_t count, std::uint64_t limit) {
  from = std::max<std::uint64_t>(from, 2);
  std::uint64_t root = 1;
  while (root * root < limit) ++root;
  std::vector<std::uint8_t> composite(root + 1, 0);
  std::vector<std::uint64_t> base;
  for (std::uint64_t v = 2; v <= root; ++v) {
    if (composite[v]) continue;
    base.push_back(v);
    for (std::uint64_t q = v * v; q <= root; q += v) composite[q] = 1;
  }
  std::vector<std::uint64_t> out;
  constexpr std::uint64_t segment = 1 << 16;
  std::vector<std::uint8_t> marked(segment);
  for (std::uint64_t lo = from; lo < limit && out.size() < count; lo += segment) {
    const std::uint64_t hi = std::min(limit, lo + segment);
    std::fill(marked.begin(), marked.end(), 0);
    for (std::uint64_t q : base) {
      if (q * q >= hi) break;
      for (std::uint64_t v = std::max(q * q, (lo + q - 1) / q * q); v < hi; v += q) marked[v - lo] = 1;
    }
    for (std::uint64_t v = lo; v < hi && out.size() < count; ++v)
      if (!marked[v - lo]) out.push_back(v);
  }
  return out;
}

// The largest j with p^j <= y: how many distinct primes >= p can divide a nonzero |v| <= y.
// Planning asks it for every scale and every prime tried (millions of times at thousands of
// bits), so it comes from logarithms, settled by exact powers only near an integer.
std::uint64_t prime_factor_bound(const mpz_class& y, std::uint64_t p) {
  if (y < p) return 0;
  long exponent = 0;
  const double mantissa = mpz_get_d_2exp(&exponent, y.get_mpz_t());
  const double q = (static_cast<double>(exponent) + std::log2(mantissa)) / std::log2(static_cast<double>(p));
  auto j = static_cast<std::uint64_t>(q);
  if (q - static_cast<double>(j) > 1e-9 && static_cast<double>(j + 1) - q > 1e-9) return j;  // errors are ~1e-12
  mpz_class power;
  mpz_ui_pow_ui(power.get_mpz_t(), static_cast<unsigned long>(p), static_cast<unsigned long>(j));
  while (power > y) --j, power /= p;
  while (power * p <= y) ++j, power *= p;
  return j;
}

std::uint64_t mod_u64(const mpz_class& v, std::uint64_t p) {
  return mpz_fdiv_ui(v.get_mpz_t(), static_cast<unsigned long>(p));
}

// Bit position k of the gate: the candidates u for "P_k = u" and the bound on |P_k - u|.
struct Scale {
  std::uint32_t k = 0;
  std::int64_t top_u = 0;     // candidates u in [first_u, top_u]; top_u = c_k's largest value - t_k
  std::int64_t first_u = 1;   // 0 at k = 0 (the term [D = 0])
  mpz_class span;             // |P_k - u| <= span for every input and candidate
  std::uint64_t candidates() const { return top_u >= first_u ? std::uint64_t(top_u - first_u + 1) : 0; }
};

struct Plan {
  std::uint64_t votes = 0;  // N
  std::vector<std::uint64_t> primes;
  double estimated_gates = 0;
  bool fits = false;  // N primes exist in [min_prime, 2^max_weight_bits)
};

// N, the primes and an estimate of the first-layer gates when primes start at min_prime. A
// vote's candidates form one cyclic run of residues, so it changes value about twice per
// period p of the reachable sums R <= n p: about 2 n times, fewer when 2^n is smaller.
Plan plan_for(Builder& b, const std::vector<Scale>& scales, std::uint64_t min_prime, std::uint32_t n,
              std::uint32_t max_weight_bits, std::uint64_t max_gates) {
  b.check_deadline();  // planning requests no gates: the Builder would not see the budget run out
  Plan plan;
  std::uint64_t bound = 0;
  for (const Scale& s : scales) bound += s.candidates() * prime_factor_bound(s.span, min_prime);
  plan.votes = bound + 1;
  const double periods = std::min(double(n), std::ldexp(1.0, int(std::min<std::uint32_t>(n, 60))) / double(min_prime));
  plan.estimated_gates = double(plan.votes) * double(scales.size()) * (2.0 * periods + 2.0);
  if (plan.estimated_gates > double(max_gates)) return plan;  // not worth listing the primes
  plan.primes = primes_in(min_prime, plan.votes, std::uint64_t(1) << max_weight_bits);
  plan.fits = plan.primes.size() == plan.votes;
  return plan;
}

// The distinct values of sum_{i in S} w_i over all subsets S, as maximal runs of consecutive
// values [lo, hi] in increasing order: a vote changes only at a run's start or at two residues
// per period inside one, so the sums are never listed one by one (tens of millions per vote).
struct Run {
  std::uint64_t lo, hi;
};

std::vector<Run> reachable_runs(std::span<const std::uint64_t> w) {
  std::uint64_t total = 0;
  for (std::uint64_t x : w) total += x;
  // Sorted, when each weight is at most one more than the sum of those before it, every value
  // up to the total is a sum (by induction): one run, without the subset-sum table. So it is for
  // the comparison cell, whose weights modulo p include 1, 2, 4, ... up to p.
  std::vector<std::uint64_t> sorted(w.begin(), w.end());
  std::sort(sorted.begin(), sorted.end());
  std::uint64_t filled = 0;  // every value in [0, filled] is a sum of the weights seen
  for (std::size_t i = 0; i < sorted.size() && sorted[i] <= filled + 1; ++i) filled += sorted[i];
  if (filled == total) return {{0, total}};
  std::vector<Run> runs;
  auto add = [&runs](std::uint64_t lo, std::uint64_t hi) {
    if (!runs.empty() && runs.back().hi + 1 == lo) runs.back().hi = hi;
    else runs.push_back({lo, hi});
  };
  if (w.size() <= 20 && (std::uint64_t(1) << w.size()) * 8 < total) {
    std::vector<std::uint64_t> sums{0};
    for (std::uint64_t x : w) {
      const std::size_t half = sums.size();
      for (std::size_t i = 0; i < half; ++i) sums.push_back(sums[i] + x);
    }
    std::sort(sums.begin(), sums.end());
    sums.erase(std::unique(sums.begin(), sums.end()), sums.end());
    for (std::uint64_t v : sums) add(v, v);
    return runs;
  }
  std::vector<std::uint64_t> bits(total / 64 + 1, 0);  // subset-sum bitset
  bits[0] = 1;
  std::uint64_t top = 0;
  for (std::uint64_t x : w) {
    top += x;
    const std::uint64_t word_shift = x / 64, bit_shift = x % 64;
    for (std::uint64_t j = top / 64 + 1; j-- > word_shift;) {
      std::uint64_t from = bits[j - word_shift] << bit_shift;
      if (bit_shift != 0 && j > word_shift) from |= bits[j - word_shift - 1] >> (64 - bit_shift);
      bits[j] |= from;
    }
  }
  // Runs of 1 bits, a word at a time: full and empty words are skipped whole.
  bool open = false;
  std::uint64_t lo = 0;
  for (std::uint64_t j = 0; j < bits.size(); ++j) {
    const std::uint64_t word = bits[j];
    if (word == (open ? ~std::uint64_t(0) : 0)) continue;
    for (int at = 0; at < 64;) {
      const std::uint64_t rest = (open ? ~word : word) >> at;  // the next bit that ends or starts a run
      if (rest == 0) break;
      at += std::countr_zero(rest);
      if (open) add(lo, j * 64 + static_cast<std::uint64_t>(at) - 1);
      else lo = j * 64 + static_cast<std::uint64_t>(at);
      open = !open;
    }
  }
  if (open) add(lo, bits.size() * 64 - 1);
  return runs;
}

// Calls change(r, now) at every reachable sum r (runs from reachable_runs) where the vote
// [(r - t_mod) mod p in [first, top]] differs from its value at the previous reachable sum, in
// increasing order. Inside a run the vote turns on where the residue reaches first and off one
// past top; it never changes when the candidates cover every residue.
template <class Change>
void vote_changes(const std::vector<Run>& runs, std::uint64_t p, std::uint64_t t_mod, std::int64_t first, std::int64_t top,
                  Change&& change) {
  auto vote = [&](std::uint64_t r) {
    const auto u = static_cast<std::int64_t>((r % p + p - t_mod) % p);
    return u >= first && u <= top;
  };
  const bool turns = std::uint64_t(top - first + 1) < p;  // some residue is not a candidate
  const std::uint64_t on = (t_mod + static_cast<std::uint64_t>(first)) % p, off = (t_mod + static_cast<std::uint64_t>(top) + 1) % p;
  auto next_at = [p](std::uint64_t after, std::uint64_t residue) {  // the least r > after with r = residue mod p
    return after + 1 + (residue + p - (after + 1) % p) % p;
  };
  bool last = vote(0);
  for (const Run& run : runs) {
    if (run.lo > 0 && vote(run.lo) != last) change(run.lo, last = !last);
    if (!turns) continue;
    for (std::uint64_t r_on = next_at(run.lo, on), r_off = next_at(run.lo, off);;) {
      const std::uint64_t r = std::min(r_on, r_off);
      if (r > run.hi) break;
      change(r, last = r == r_on);
      (r == r_on ? r_on : r_off) += p;
    }
  }
}

// The gate in positive form: w x with w < 0 becomes |w| (!x) - |w|; zero weights dropped.
struct PositiveGate {
  std::vector<Lit> x;
  std::vector<mpz_class> a;
  mpz_class t, total;
};

PositiveGate positive_form(std::span<const Lit> fanins, std::span<const mpz_class> weights, const mpz_class& threshold) {
  PositiveGate g;
  g.t = threshold;
  for (std::size_t i = 0; i < fanins.size(); ++i) {
    if (sgn(weights[i]) == 0) continue;
    if (sgn(weights[i]) < 0) {
      g.t -= weights[i];
      g.x.push_back(!fanins[i]);
      g.a.push_back(-weights[i]);
    } else {
      g.x.push_back(fanins[i]);
      g.a.push_back(weights[i]);
    }
    g.total += g.a.back();
  }
  return g;
}

// The scales k < m (m the bits of the largest weight or threshold) that have candidates.
// From the top bit down, sum (a_i >> k) = 2 sum (a_i >> (k + 1)) + c_k: no shifted copies of
// the weights (m n of them, cubic in the width). Polls the budget once per bit.
std::vector<Scale> scales_of(Builder& b, const PositiveGate& g, std::uint32_t m) {
  std::vector<Scale> scales;
  mpz_class high_sum = 0;  // sum (a_i >> k); 0 at k = m
  for (std::uint32_t k = m; k-- > 0;) {
    b.check_deadline();
    std::int64_t column = 0;  // inputs whose weight has bit k
    for (const mpz_class& w : g.a) column += mpz_tstbit(w.get_mpz_t(), k);
    high_sum = 2 * high_sum + column;
    Scale s;
    s.k = k;
    s.top_u = column - std::int64_t(mpz_tstbit(g.t.get_mpz_t(), k));
    s.first_u = k == 0 ? 0 : 1;
    if (s.candidates() == 0) continue;
    // P_k lies in [-(t >> k), high_sum - (t >> k)], u in [0, top_u].
    const mpz_class below = g.t >> k, above = high_sum - below;
    s.span = (below > above ? below : above) + s.top_u;
    scales.push_back(std::move(s));
  }
  std::reverse(scales.begin(), scales.end());  // increasing k, the order the votes are built in
  return scales;
}

// The primes that vote (std::length_error when none fit the parameters' budget or widths).
// Residues of distinct candidates must differ: every prime exceeds the largest candidate.
// Primes below 2^weight_bits (every first-layer weight is below its prime); among the starts
// tried, the fewest votes, so the largest primes that fit, unless min_prime_bits fixes the
// start. By default the least weight_bits from the bits of 4 n m up that fit N primes.
Plan choose_primes(Builder& b, const std::vector<Scale>& scales, std::uint32_t n, std::uint32_t m, const residue_params& params) {
  std::uint64_t floor_prime = 2;
  for (const Scale& s : scales) floor_prime = std::max<std::uint64_t>(floor_prime, std::uint64_t(s.top_u) + 1);
  if (params.max_weight_bits > 40 || params.min_prime_bits > 40)
    throw std::invalid_argument("threshold_by_residues: prime or weight bits above 40");
  double smallest_estimate = -1;
  auto plan_at = [&](std::uint32_t weight_bits) {  // the best plan with primes below 2^weight_bits
    Plan best;
    if (params.min_prime_bits > weight_bits) return best;
    std::vector<std::uint64_t> starts;
    if (params.min_prime_bits != 0) {
      starts.push_back(std::max(floor_prime, std::uint64_t(1) << (params.min_prime_bits - 1)));
    } else {
      starts.push_back(floor_prime);
      for (std::uint64_t p = std::bit_ceil(floor_prime + 1); p < (std::uint64_t(1) << weight_bits); p *= 2) starts.push_back(p);
    }
    for (std::uint64_t start : starts) {
      Plan other = plan_for(b, scales, start, n, weight_bits, params.max_gates);
      if (smallest_estimate < 0 || other.estimated_gates < smallest_estimate) smallest_estimate = other.estimated_gates;
      if (other.fits && (!best.fits || other.estimated_gates < best.estimated_gates)) best = std::move(other);
    }
    return best;
  };
  const std::uint32_t first_bits = params.max_weight_bits != 0
                                       ? params.max_weight_bits
                                       : std::max<std::uint32_t>(params.min_prime_bits, std::bit_width(4ull * std::max(n, 1u) * m));
  Plan plan = plan_at(first_bits);
  std::uint32_t enough_bits = first_bits;
  while (!plan.fits && enough_bits < 40) {
    Plan wider = plan_at(++enough_bits);
    if (params.max_weight_bits == 0) plan = std::move(wider);  // by default: the least width that fits
    else if (wider.fits) break;                                // else only to say what would fit
  }
  if (!plan.fits) {
    if (smallest_estimate > double(params.max_gates))
      throw std::length_error("the residue construction would need about " +
                              std::to_string(static_cast<std::uint64_t>(smallest_estimate)) +
                              " gates, over the budget of " + std::to_string(params.max_gates) + " gates");
    throw std::length_error("the residue construction needs more primes below 2^" + std::to_string(first_bits) +
                            " than there are; weights of " + std::to_string(enough_bits) + " bits would do");
  }
  return plan;
}

// The votes and the output gate: sum over votes of (vote at R = 0) + sum of +-1 [R >= r] >= N,
// each vote's [R >= r] one ladder on the residue sum R. The budget is polled and progress counted
// once a vote.
Lit build_votes(Builder& b, const PositiveGate& g, const std::vector<Scale>& scales, const Plan& plan,
                const residue_params& params, residue_stats& st) {
  const std::vector<std::uint64_t>& primes = plan.primes;
  const std::uint32_t n = static_cast<std::uint32_t>(g.x.size());
  std::vector<Lit> out_lits;
  std::vector<std::int64_t> out_w, thresholds;
  std::int64_t out_t = static_cast<std::int64_t>(plan.votes);
  std::vector<std::uint64_t> r_weight(n);
  std::vector<std::int64_t> r_weight_signed(n);
  std::vector<mpz_class> high(n);
  // When every |P_k - u| is below the smallest prime, no prime can vote falsely: all N votes
  // agree, so one vote counts N times (the same gates N times over would only be merged).
  auto exact = [&](const Scale& s) { return s.span < primes.front(); };
  if (params.progress) {
    std::uint64_t votes = 0;
    for (const Scale& s : scales) votes += exact(s) ? 1 : primes.size();
    params.progress->set_total(votes);
  }
  for (const Scale& s : scales) {
    const mpz_class t_high = g.t >> s.k;
    for (std::uint32_t i = 0; i < n; ++i) high[i] = g.a[i] >> s.k;
    const std::int64_t copies = exact(s) ? static_cast<std::int64_t>(primes.size()) : 1;
    for (std::uint64_t p : exact(s) ? std::span(primes).first(1) : std::span(primes)) {
      b.check_deadline();
      for (std::uint32_t i = 0; i < n; ++i) {
        r_weight[i] = mod_u64(high[i], p);
        r_weight_signed[i] = static_cast<std::int64_t>(r_weight[i]);
      }
      const std::uint64_t t_mod = mod_u64(t_high, p);
      const auto u0 = static_cast<std::int64_t>((p - t_mod) % p);  // [P_k mod p is a candidate] at R = 0
      out_t -= copies * (u0 >= s.first_u && u0 <= s.top_u);
      thresholds.clear();  // [R >= r] where the vote changes: one ladder on R
      vote_changes(reachable_runs(r_weight), p, t_mod, s.first_u, s.top_u, [&](std::uint64_t r, bool now) {
        thresholds.push_back(static_cast<std::int64_t>(r));
        out_w.push_back(now ? copies : -copies);
        if (++st.first_layer_gates > params.max_gates)
          throw std::length_error("the residue construction exceeded the budget of " +
                                  std::to_string(params.max_gates) + " gates");
      });
      out_lits.resize(out_lits.size() + thresholds.size());
      b.add_gates(g.x, r_weight_signed, thresholds, std::span(out_lits).last(thresholds.size()));
      if (params.progress) params.progress->add(1);
    }
  }
  return b.add_gate(out_lits, out_w, out_t);
}

}  // namespace

Lit threshold_by_residues(Builder& b, std::span<const Lit> fanins, std::span<const mpz_class> weights,
                          const mpz_class& threshold, const residue_params& params, residue_stats* stats) {
  residue_stats st;
  const PositiveGate g = positive_form(fanins, weights, threshold);
  const std::uint32_t n = static_cast<std::uint32_t>(g.x.size());
  st.inputs = n;
  auto done = [&](Lit out) {
    if (stats) *stats = st;
    return out;
  };
  if (sgn(g.t) <= 0) return done(lit_true);
  if (g.t > g.total) return done(lit_false);

  std::uint32_t m = static_cast<std::uint32_t>(mpz_sizeinbase(g.t.get_mpz_t(), 2));
  for (const mpz_class& w : g.a) m = std::max<std::uint32_t>(m, static_cast<std::uint32_t>(mpz_sizeinbase(w.get_mpz_t(), 2)));
  st.weight_bits = m;
  const std::vector<Scale> scales = scales_of(b, g, m);
  st.scales = static_cast<std::uint32_t>(scales.size());
  const Plan plan = choose_primes(b, scales, n, m, params);
  st.primes = static_cast<std::uint32_t>(plan.primes.size());
  st.false_vote_bound = plan.votes - 1;
  st.smallest_prime = plan.primes.front();
  st.largest_prime = plan.primes.back();
  return done(build_votes(b, g, scales, plan, params, st));
}

}  // namespace tcx
