#include "circuits/normalize.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tcx {

namespace {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

// Integer helpers, overloaded so one normalization serves 64-bit (small weights, the common
// case), 128-bit and GMP integers.
bool is_negative(std::int64_t x) { return x < 0; }
bool is_zero(std::int64_t x) { return x == 0; }
std::int64_t abs_of(std::int64_t x) { return x < 0 ? -x : x; }
std::int64_t gcd_of(std::int64_t a, std::int64_t b) {
  while (b != 0) { std::int64_t r = a % b; a = b; b = r; }
  return a;
}
std::int64_t ceil_div(std::int64_t t, std::int64_t g) { return t >= 0 ? (t + g - 1) / g : -((-t) / g); }
bool fits_i32(std::int64_t x) { return x >= -INT32_MAX && x <= INT32_MAX; }
bool fits_i64(std::int64_t) { return true; }
std::int64_t to_i64(std::int64_t x) { return x; }
mpz_class to_mpz(std::int64_t x) { return mpz_class(static_cast<long>(x)); }
bool is_negative(i128 x) { return x < 0; }
bool is_negative(const mpz_class& x) { return sgn(x) < 0; }
bool is_zero(i128 x) { return x == 0; }
bool is_zero(const mpz_class& x) { return sgn(x) == 0; }
i128 abs_of(i128 x) { return x < 0 ? -x : x; }
mpz_class abs_of(const mpz_class& x) { return abs(x); }
i128 gcd_of(i128 a, i128 b) {
  while (b != 0) { i128 r = a % b; a = b; b = r; }
  return a;
}
mpz_class gcd_of(const mpz_class& a, const mpz_class& b) { return gcd(a, b); }
// ceil(t / g) for g > 0
i128 ceil_div(i128 t, i128 g) { return t >= 0 ? (t + g - 1) / g : -((-t) / g); }
mpz_class ceil_div(const mpz_class& t, const mpz_class& g) {
  mpz_class q;
  mpz_cdiv_q(q.get_mpz_t(), t.get_mpz_t(), g.get_mpz_t());
  return q;
}
bool fits_i32(i128 x) { return x >= -INT32_MAX && x <= INT32_MAX; }
bool fits_i64(i128 x) { return x >= INT64_MIN && x <= INT64_MAX; }
bool fits_i32(const mpz_class& x) { return x >= -INT32_MAX && x <= INT32_MAX; }
bool fits_i64(const mpz_class& x) { return mpz_fits_slong_p(x.get_mpz_t()) && sizeof(long) == 8; }
std::int64_t to_i64(i128 x) { return static_cast<std::int64_t>(x); }
std::int64_t to_i64(const mpz_class& x) { return x.get_si(); }
mpz_class to_mpz(i128 x) {
  bool neg = x < 0;
  u128 u = neg ? -static_cast<u128>(x) : static_cast<u128>(x);
  mpz_class hi(static_cast<unsigned long>(u >> 64)), lo(static_cast<unsigned long>(u));
  mpz_class r = (hi << 64) + lo;
  return neg ? mpz_class(-r) : r;
}
mpz_class to_mpz(const mpz_class& x) { return x; }

// Two independent 64-bit mixing chains (different constants): a gate's fingerprint is one value
// of each.
std::uint64_t mix_a(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdULL;
}
std::uint64_t mix_b(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x632be59bd9b4e019ULL + (h << 7) + (h >> 3);
  return h * 0xc2b2ae3d27d4eb4fULL;
}
std::uint64_t avalanche(std::uint64_t h) {  // gates built alike must not cluster in a table
  h ^= h >> 31;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 29);
}
void mix_mpz(std::uint64_t& a, std::uint64_t& b, const mpz_class& x) {
  a = mix_a(a, static_cast<std::uint64_t>(sgn(x)) + 7);
  b = mix_b(b, static_cast<std::uint64_t>(sgn(x)) + 7);
  const mpz_srcptr p = x.get_mpz_t();
  for (std::size_t i = 0; i < mpz_size(p); ++i) {
    a = mix_a(a, mpz_getlimbn(p, i));
    b = mix_b(b, mpz_getlimbn(p, i));
  }
}

// A sum's fingerprint before its threshold.
struct SumHash {
  std::uint64_t a = 0, b = 0;
};

// Over (node, weight) words in four lanes of two chains each, so that the multiplications of a
// wide gate overlap instead of waiting on one another.
SumHash hash_small_sum(std::span<const node_id> nodes, std::span<const std::int32_t> w) {
  const std::size_t n = nodes.size();
  auto word = [&](std::size_t i) { return std::uint64_t(nodes[i]) << 32 | static_cast<std::uint32_t>(w[i]); };
  if (n < 16) {  // a narrow gate: one lane, whose two chains already overlap
    SumHash h{mix_a(0x53, n), mix_b(0x54, n)};
    for (std::size_t i = 0; i < n; ++i) {
      h.a = mix_a(h.a, word(i));
      h.b = mix_b(h.b, word(i));
    }
    return h;
  }
  std::uint64_t a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8};
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (std::size_t l = 0; l < 4; ++l) {
      a[l] = mix_a(a[l], word(i + l));
      b[l] = mix_b(b[l], word(i + l));
    }
  for (std::size_t l = 0; i < n; ++i, ++l) {
    a[l] = mix_a(a[l], word(i));
    b[l] = mix_b(b[l], word(i));
  }
  SumHash h{mix_a(0x51, n), mix_b(0x52, n)};
  for (std::size_t l = 0; l < 4; ++l) {
    h.a = mix_a(h.a, a[l]);
    h.b = mix_b(h.b, b[l]);
  }
  return h;
}

SumHash hash_big_sum(std::span<const node_id> nodes, const std::vector<mpz_class>& w) {
  SumHash h{mix_a(0xB1, nodes.size()), mix_b(0xB2, nodes.size())};
  for (node_id n : nodes) {
    h.a = mix_a(h.a, n);
    h.b = mix_b(h.b, n);
  }
  for (const mpz_class& x : w) mix_mpz(h.a, h.b, x);
  return h;
}

template <class Int>
using Terms = huge_vector<std::pair<node_id, Int>>;

// Sorts terms by node. Fan-ins usually arrive sorted or nearly so (a few constants or buffered
// inputs out of place), so the out-of-order ones are lifted out, sorted alone and merged back:
// linear time in the common case instead of n log n.
template <class T>
void sort_nearly_sorted(T& terms) {
  const auto by_node = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (std::is_sorted(terms.begin(), terms.end(), by_node)) return;
  static thread_local T misfits;
  misfits.clear();
  std::size_t k = 0;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (k > 0 && terms[i].first < terms[k - 1].first) misfits.push_back(std::move(terms[i]));
    else terms[k++] = std::move(terms[i]);
    if (misfits.size() > terms.size() / 8 + 16) {  // not nearly sorted after all
      for (std::size_t r = i + 1; r < terms.size(); ++r) terms[k++] = std::move(terms[r]);
      break;
    }
  }
  terms.resize(k);
  std::sort(misfits.begin(), misfits.end(), by_node);
  const std::size_t mid = terms.size();
  terms.insert(terms.end(), std::make_move_iterator(misfits.begin()), std::make_move_iterator(misfits.end()));
  if (misfits.size() > mid / 8 + 16) std::sort(terms.begin(), terms.end(), by_node);
  else std::inplace_merge(terms.begin(), terms.begin() + static_cast<std::ptrdiff_t>(mid), terms.end(), by_node);
}

void check_lit(Lit l, std::uint32_t nodes) {
  if (l.node() >= nodes)
    throw std::invalid_argument("literal refers to node " + std::to_string(l.node()) +
                                ", which does not exist yet (the circuit has " + std::to_string(nodes) + " nodes)");
}

// Sums of these weights against these thresholds never reach 2^62 in magnitude.
bool narrow(std::span<const std::int64_t> weights, std::span<const std::int64_t> thresholds) {
  constexpr std::int64_t w_max = (std::int64_t(1) << 31) - 1, t_max = std::int64_t(1) << 61;
  if (weights.size() >= (std::size_t(1) << 29)) return false;
  for (std::int64_t w : weights)
    if (w < -w_max || w > w_max) return false;
  for (std::int64_t t : thresholds)
    if (t <= -t_max || t >= t_max) return false;
  return true;
}

// A normalized sum, whatever the threshold: terms sorted, merged, nonzero, as given (the
// weights stored are (negate ? -w : w) / g).
template <class Int>
struct Sum {
  Int lo0 = 0, hi0 = 0;  // the range of the sum as given
  Int lo = 0, hi = 0;    // the range after dividing by g and negating
  Int g = 1;
  Int max_abs = 0;       // the largest |weight| after dividing by g
  bool negate = false;   // the weights are negated to make the first positive
  bool small = true;     // every weight fits 32 bits
  bool hashed = false;   // a ladder's rungs share the sum's fan-ins, weights and hash
  std::uint64_t from = 0;
  SumHash hash;
};

}  // namespace

struct Normalizer {
  template <class Int>
  static Int fold(std::span<const Lit> fanins, std::span<const std::int64_t> weights, Terms<Int>& terms,
                  std::uint32_t nodes);
  template <class Int>
  static Sum<Int> normalize_sum(Terms<Int>& terms);
  template <class Int>
  static void add(GateBatch& batch, const Terms<Int>& terms, Sum<Int>& s, Int t);
  template <class Int>
  static void gate(GateBatch& batch, std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                   std::span<const std::int64_t> thresholds);
  static void fold_to(GateBatch& batch, Lit lit) {
    GateBatch::Entry e;
    e.kind = GateBatch::Kind::folded;
    e.lit = lit;
    batch.entries_.push_back(e);
  }
};

// Terms of sum weights * fanins with negated and constant fan-ins folded (w !x = w - w x); returns
// what the folding adds to the threshold.
template <class Int>
Int Normalizer::fold(std::span<const Lit> fanins, std::span<const std::int64_t> weights, Terms<Int>& terms,
                     std::uint32_t nodes) {
  if (fanins.size() != weights.size()) throw std::invalid_argument("add_gate: fan-in and weight counts differ");
  if (fanins.size() > UINT32_MAX) throw std::length_error("a gate of 2^32 fan-ins or more");
  terms.clear();
  terms.reserve(fanins.size());  // one allocation for a wide gate, not a doubling series of copies
  Int offset = 0;
  for (std::size_t i = 0; i < fanins.size(); ++i) {
    check_lit(fanins[i], nodes);
    Int w = weights[i];
    if (fanins[i].negated()) { offset -= w; w = -w; }
    if (fanins[i].node() == 0) continue;  // the constant false contributes nothing (a negated one was folded above)
    terms.emplace_back(fanins[i].node(), w);
  }
  return offset;
}

// Sorted fan-ins, duplicates merged and zero weights dropped in one pass that also finds the
// sum's range, the weights' gcd and their largest magnitude.
template <class Int>
Sum<Int> Normalizer::normalize_sum(Terms<Int>& terms) {
  sort_nearly_sorted(terms);
  Sum<Int> s;
  Int g = 0;
  const std::size_t n = terms.size();
  std::size_t k = 0;
  for (std::size_t i = 0; i < n;) {
    const node_id node = terms[i].first;
    Int w = std::move(terms[i].second);
    for (++i; i < n && terms[i].first == node; ++i) w += terms[i].second;
    if (is_zero(w)) continue;
    const Int a = abs_of(w);
    (is_negative(w) ? s.lo0 : s.hi0) += w;
    if (!(g == 1)) g = gcd_of(g, a);
    if (s.max_abs < a) s.max_abs = a;
    terms[k].first = node;
    terms[k].second = std::move(w);
    ++k;
  }
  terms.resize(k);
  if (is_zero(g)) g = 1;
  s.g = g;
  s.negate = k > 0 && is_negative(terms[0].second);
  s.lo = s.lo0;
  s.hi = s.hi0;
  if (g > 1) {  // exact: every weight is a multiple of g
    s.lo /= g;
    s.hi /= g;
    s.max_abs /= g;
  }
  if (s.negate) {
    Int lo = -s.hi;
    s.hi = -s.lo;
    s.lo = std::move(lo);
  }
  s.small = fits_i32(s.max_abs);
  return s;
}

// Appends [sum >= t] for a normalized sum: a folded constant or literal, or a stored gate.
template <class Int>
void Normalizer::add(GateBatch& batch, const Terms<Int>& terms, Sum<Int>& s, Int t) {
  normalize_stats& stats = batch.stats_;
  ++stats.gates_requested;
  if (t <= s.lo0) { ++stats.constant_gates; return fold_to(batch, lit_true); }
  if (t > s.hi0) { ++stats.constant_gates; return fold_to(batch, lit_false); }
  if (s.g > 1) t = ceil_div(t, s.g);
  if (s.negate) t = Int(1) - t;
  auto weight = [&](std::size_t i) {
    Int w = s.negate ? Int(-terms[i].second) : terms[i].second;
    if (s.g > 1) w /= s.g;
    return w;
  };
  if (terms.size() == 1) {  // [x >= 1] is x itself
    ++stats.buffer_gates;
    return fold_to(batch, Lit(terms[0].first, s.negate));
  }
  // A gate decided by one input alone is that input (or its negation): e.g. [x + 2y >= 2] = y.
  // Such an input's |w| reaches both t - lo and hi - t + 1: most gates are ruled out at once.
  {
    const Int need_lo = t - s.lo, need_hi = s.hi - t + 1;
    if (!(s.max_abs < need_lo) && !(s.max_abs < need_hi)) {
      for (std::size_t i = 0; i < terms.size(); ++i) {
        const Int w = weight(i);
        const bool neg = is_negative(w);
        const Int others_lo = neg ? Int(s.lo - w) : s.lo, others_hi = neg ? s.hi : Int(s.hi - w);
        if (!neg && others_lo + w >= t && others_hi < t) { ++stats.buffer_gates; return fold_to(batch, Lit(terms[i].first, s.negate)); }
        if (neg && others_hi + w < t && others_lo >= t) { ++stats.buffer_gates; return fold_to(batch, Lit(terms[i].first, !s.negate)); }
      }
    }
  }
  GateBatch::Entry e;
  e.kind = GateBatch::Kind::stored;
  e.lit = Lit(0, s.negate);
  e.count = static_cast<std::uint32_t>(terms.size());
  const bool small = s.small && fits_i64(t);
  if (small && s.hashed) {  // another rung of a ladder: the sum is in the batch already
    e.from = s.from;
  } else {
    e.from = batch.nodes_.size();
    batch.nodes_.resize(e.from + terms.size());
    batch.w32_.resize(e.from + terms.size());
    node_id* nodes = batch.nodes_.data() + e.from;
    std::int32_t* w32 = batch.w32_.data() + e.from;
    for (std::size_t i = 0; i < terms.size(); ++i) nodes[i] = terms[i].first;
    if (small) {
      if (s.g > 1 || s.negate)
        for (std::size_t i = 0; i < terms.size(); ++i) w32[i] = static_cast<std::int32_t>(to_i64(weight(i)));
      else
        for (std::size_t i = 0; i < terms.size(); ++i) w32[i] = static_cast<std::int32_t>(to_i64(terms[i].second));
      s.hash = hash_small_sum({nodes, terms.size()}, {w32, terms.size()});
      s.hashed = true;
      s.from = e.from;
    } else {
      std::fill(w32, w32 + terms.size(), 0);
    }
  }
  SumHash h = s.hash;
  if (small) {
    e.t64 = to_i64(t);
    e.abs_sum = static_cast<std::uint64_t>(to_i64(Int(s.hi - s.lo)));
    e.max_abs = static_cast<std::uint32_t>(to_i64(s.max_abs));
    h.a = mix_a(h.a, static_cast<std::uint64_t>(e.t64));
    h.b = mix_b(h.b, static_cast<std::uint64_t>(e.t64));
  } else {
    e.big = true;
    if (batch.big_used_ == batch.big_.size()) batch.big_.emplace_back();
    e.t64 = static_cast<std::int64_t>(batch.big_used_);
    BigGate& b = batch.big_[batch.big_used_++];
    b.weights.resize(terms.size());
    for (std::size_t i = 0; i < terms.size(); ++i) b.weights[i] = to_mpz(weight(i));
    b.threshold = to_mpz(t);
    h = hash_big_sum({batch.nodes_.data() + e.from, terms.size()}, b.weights);
    mix_mpz(h.a, h.b, b.threshold);
  }
  e.hash = avalanche(h.a);
  e.check = avalanche(h.b);
  batch.entries_.push_back(e);
}

template <class Int>
void Normalizer::gate(GateBatch& batch, std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                      std::span<const std::int64_t> thresholds) {
  static thread_local Terms<Int> terms;
  const Int offset = fold(fanins, weights, terms, batch.known_nodes_);
  Sum<Int> s = normalize_sum(terms);
  for (std::int64_t t : thresholds) add(batch, terms, s, Int(t) + offset);
}

void GateBatch::reset(std::uint32_t known_nodes) {
  entries_.clear();
  nodes_.clear();
  w32_.clear();
  big_used_ = 0;
  stats_ = {};
  known_nodes_ = known_nodes;
}

void GateBatch::defer() {
  Entry e;
  e.kind = Kind::deferred;
  entries_.push_back(e);
}

normal_gate GateBatch::gate(std::size_t k) const {
  const Entry& e = entries_[k];
  normal_gate g;
  g.nodes = {nodes_.data() + e.from, e.count};
  if (e.big) {
    g.big = &big_[static_cast<std::size_t>(e.t64)];
  } else {
    g.w32 = {w32_.data() + e.from, e.count};
    g.t64 = e.t64;
    g.abs_sum = e.abs_sum;
    g.max_abs = e.max_abs;
  }
  g.hash = e.hash;
  g.check = e.check;
  return g;
}

void normalize_gate(GateBatch& batch, std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                    std::int64_t threshold) {
  normalize_ladder(batch, fanins, weights, {&threshold, 1});
}

void normalize_ladder(GateBatch& batch, std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                      std::span<const std::int64_t> thresholds) {
  if (narrow(weights, thresholds)) Normalizer::gate<std::int64_t>(batch, fanins, weights, thresholds);
  else Normalizer::gate<i128>(batch, fanins, weights, thresholds);
}

void normalize_gate(GateBatch& batch, std::span<const Lit> fanins, std::span<const mpz_class> weights,
                    const mpz_class& threshold) {
  if (fanins.size() != weights.size()) throw std::invalid_argument("add_gate: fan-in and weight counts differ");
  if (fanins.size() > UINT32_MAX) throw std::length_error("a gate of 2^32 fan-ins or more");
  Terms<mpz_class> terms;
  terms.reserve(fanins.size());
  mpz_class t = threshold;
  for (std::size_t i = 0; i < fanins.size(); ++i) {
    check_lit(fanins[i], batch.known_nodes());
    mpz_class w = weights[i];
    if (fanins[i].negated()) { t -= w; w = -w; }
    if (fanins[i].node() == 0) continue;
    terms.emplace_back(fanins[i].node(), std::move(w));
  }
  Sum<mpz_class> s = Normalizer::normalize_sum(terms);
  Normalizer::add(batch, terms, s, std::move(t));
}

}  // namespace tcx
