#include "circuits/builder.hpp"
#include "circuits/interrupt.hpp"


#include <cstdlib>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <cstdio>
#include <stdexcept>
#include <string_view>

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

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdULL;
}
std::uint64_t hash_mpz(std::uint64_t h, const mpz_class& x) {
  h = mix(h, static_cast<std::uint64_t>(sgn(x)) + 7);
  const mpz_srcptr p = x.get_mpz_t();
  for (std::size_t i = 0; i < mpz_size(p); ++i) h = mix(h, mpz_getlimbn(p, i));
  return h;
}

// Sorts terms by node. Fan-ins usually arrive sorted or nearly so (a few constants or buffered
// inputs out of place), so the out-of-order ones are lifted out, sorted alone and merged back:
// linear time in the common case instead of n log n.
template <class Terms>
void sort_nearly_sorted(Terms& terms) {
  const auto by_node = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (std::is_sorted(terms.begin(), terms.end(), by_node)) return;
  static thread_local Terms misfits;
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

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

}  // namespace

namespace {
std::mutex default_params_mutex;
builder_params process_params;                  // guarded by default_params_mutex
std::atomic<std::uint64_t> process_params_version{1};
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

Builder::Builder(builder_params params) : params_(params) {
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

void Builder::check_lit(Lit l, std::uint32_t nodes) {
  if (l.node() >= nodes)
    throw std::invalid_argument("literal refers to node " + std::to_string(l.node()) +
                                ", which does not exist yet (the circuit has " + std::to_string(nodes) + " nodes)");
}

Lit Builder::add_input(std::string name) {
  if (c_.num_gates() > 0) throw std::invalid_argument("inputs must be added before the first gate");
  if (c_.num_inputs_ == UINT32_MAX / 2 - 1) throw std::invalid_argument("too many inputs");
  node_id n = 1 + c_.num_inputs_++;
  if (!name.empty()) set_name(n, name);
  return Lit(n, false);
}

void Builder::add_inputs(std::uint32_t count) {
  if (c_.num_gates() > 0) throw std::invalid_argument("inputs must be added before the first gate");
  if (count > UINT32_MAX / 2 - 1 - c_.num_inputs_) throw std::invalid_argument("too many inputs");
  c_.num_inputs_ += count;
}

bool Builder::set_name(node_id node, const std::string& name) {
  if (name.empty()) throw std::invalid_argument("empty name");
  if (node == 0 || node >= c_.num_nodes()) return false;
  // The memory bound counts a name as its characters and about 64 bytes of entry and indexes.
  const std::uint64_t units = (name.size() + 64 + 7) / 8;
  if (held_bytes() + 8 * units > bound_bytes()) throw_bound();
  const bool added = c_.names_.add(node, name);
  if (added) wire_units_ += units;
  return added;
}

void Builder::add_output(Lit lit, std::string name) {
  check_lit(lit, c_.num_nodes());
  c_.outputs_.push_back(Output{lit, std::move(name)});
}


// Terms of sum weights * fanins with negated and constant fan-ins folded (w !x = w - w x); returns
// what the folding adds to the threshold. In 64-bit arithmetic when no sum can reach 2^62
// (weights below 2^31, thresholds below 2^61: see narrow()), in 128-bit otherwise.
template <class Int>
Int Builder::fold_inputs(std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                         Terms<Int>& terms, std::uint32_t nodes) {
  if (fanins.size() != weights.size()) throw std::invalid_argument("add_gate: fan-in and weight counts differ");
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

namespace {
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
}  // namespace

template <class Int>
void Builder::normalize_small(std::span<const Lit> fanins, std::span<const std::int64_t> weights, std::int64_t threshold,
                              Staged& s, builder_stats& stats, std::uint32_t nodes) const {
  static thread_local Terms<Int> terms;
  const Int offset = fold_inputs(fanins, weights, terms, nodes);
  normalize(terms, Int(threshold) + offset, s, stats);
}

void Builder::normalize_small(std::span<const Lit> fanins, std::span<const std::int64_t> weights, std::int64_t threshold,
                              Staged& s, builder_stats& stats, std::uint32_t nodes) const {
  if (narrow(weights, {&threshold, 1})) normalize_small<std::int64_t>(fanins, weights, threshold, s, stats, nodes);
  else normalize_small<i128>(fanins, weights, threshold, s, stats, nodes);
}

void Builder::note_request(std::size_t fanin) {
  ++stats_.gates_requested;
  note_work(fanin);
}

void Builder::note_work(std::size_t fanin) {
  if (++unchecked_ == 1024 || fanin > 4096) {  // the clock now and then: reading it costs
    unchecked_ = 0;
    check_deadline();
  }
}

Lit Builder::add_gate(std::span<const Lit> fanins, std::span<const std::int64_t> weights, std::int64_t threshold) {
  if (pipeline_size_) throw std::logic_error("add_gate: staged gates must be committed first");
  note_request(fanins.size());
  normalize_small(fanins, weights, threshold, staged_, stats_, c_.num_nodes());
  return staged_.folded ? *staged_.folded : finish(staged_.ref(), staged_.negate);
}

void Builder::stage_gate(std::span<const Lit> fanins, std::span<const std::int64_t> weights, std::int64_t threshold) {
  if (pipeline_size_ == pipeline_depth) throw std::logic_error("stage_gate: the pipeline is full; commit first");
  note_request(fanins.size());
  Staged& s = pipeline_[(pipeline_head_ + pipeline_size_) % pipeline_depth];
  normalize_small(fanins, weights, threshold, s, stats_, c_.num_nodes());
  ++pipeline_size_;
  if (s.folded || !params_.structural_hashing) return;
  prefetch(s, hash_of(s.ref()));
}

void Builder::prefetch(Staged& s, std::uint64_t hash) {
  s.hash = hash;
  prefetch_slot(hash);
}

void PreparedGates::clear() {
  kind_.clear();
  from_.clear();
  count_.clear();
  t64_.clear();
  lit_.clear();
  hash_.clear();
  nodes_.clear();
  w32_.clear();
  request_lits_.clear();
  request_w_.clear();
  stats_ = {};
  known_nodes_ = 0;
}

void Builder::start(PreparedGates& batch) const {
  batch.clear();
  batch.known_nodes_ = c_.num_nodes();
}

void Builder::prepare(PreparedGates& batch, std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                      std::int64_t threshold) const {
  using Kind = PreparedGates::Kind;
  static thread_local Staged s;
  if (fanins.size() > UINT32_MAX) throw std::length_error("prepare: a gate of 2^32 fan-ins or more");
  normalize_small(fanins, weights, threshold, s, batch.stats_, batch.known_nodes_);
  if (!s.folded && !s.small) {  // GMP weights: add_prepared asks add_gate, which counts the request
    batch.push(Kind::request, batch.request_lits_.size(), static_cast<std::uint32_t>(fanins.size()), threshold, lit_false);
    batch.request_lits_.insert(batch.request_lits_.end(), fanins.begin(), fanins.end());
    batch.request_w_.insert(batch.request_w_.end(), weights.begin(), weights.end());
    return;
  }
  ++batch.stats_.gates_requested;
  if (s.folded) return batch.push(Kind::folded, 0, 0, 0, *s.folded);
  batch.push(Kind::stored, batch.nodes_.size(), static_cast<std::uint32_t>(s.nodes.size()), s.t64, Lit(0, s.negate),
             params_.structural_hashing ? hash_of(s.ref()) : 0);
  batch.nodes_.insert(batch.nodes_.end(), s.nodes.begin(), s.nodes.end());
  batch.w32_.insert(batch.w32_.end(), s.w32.begin(), s.w32.end());
}

std::size_t Builder::add_prepared(const PreparedGates& batch, std::size_t from, std::span<Lit> out) {
  using Kind = PreparedGates::Kind;
  if (pipeline_size_) throw std::logic_error("add_prepared: staged gates must be committed first");
  if (out.size() != batch.size()) throw std::invalid_argument("add_prepared: one output per prepared gate");
  if (from == 0) {
    stats_.gates_requested += batch.stats_.gates_requested;
    stats_.constant_gates += batch.stats_.constant_gates;
    stats_.buffer_gates += batch.stats_.buffer_gates;
  }
  // The table slots of the next few gates are fetched while this one is added.
  constexpr std::size_t ahead = 8;
  const bool hashing = params_.structural_hashing;
  if (hashing)
    for (std::size_t k = from; k < std::min(batch.size(), from + ahead); ++k)
      if (batch.kind_[k] == Kind::stored) prefetch_slot(batch.hash_[k]);
  for (std::size_t k = from; k < batch.size(); ++k) {
    if (hashing && k + ahead < batch.size() && batch.kind_[k + ahead] == Kind::stored) prefetch_slot(batch.hash_[k + ahead]);
    const std::size_t at = batch.from_[k], count = batch.count_[k];
    switch (batch.kind_[k]) {
      case Kind::deferred:
        return k;
      case Kind::folded:
        out[k] = batch.lit_[k];
        break;
      case Kind::stored: {
        note_work(count);
        const GateRef g{{batch.nodes_.data() + at, count}, {batch.w32_.data() + at, count}, batch.t64_[k]};
        out[k] = hashing ? finish(g, batch.lit_[k].negated(), batch.hash_[k]) : finish(g, batch.lit_[k].negated());
        break;
      }
      case Kind::request:
        out[k] = add_gate(std::span(batch.request_lits_).subspan(at, count), std::span(batch.request_w_).subspan(at, count),
                          batch.t64_[k]);
        break;
    }
  }
  return batch.size();
}

Lit Builder::commit_gate() {
  if (!pipeline_size_) throw std::logic_error("commit_gate: nothing staged");
  Staged& s = pipeline_[pipeline_head_];
  pipeline_head_ = (pipeline_head_ + 1) % pipeline_depth;
  --pipeline_size_;
  if (s.folded) return *s.folded;
  return params_.structural_hashing ? finish(s.ref(), s.negate, s.hash) : finish(s.ref(), s.negate);
}

void Builder::add_gates(std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                        std::span<const std::int64_t> thresholds, std::span<Lit> out) {
  if (pipeline_size_) throw std::logic_error("add_gates: staged gates must be committed first");
  if (out.size() != thresholds.size()) throw std::invalid_argument("add_gates: one output per threshold");
  if (narrow(weights, thresholds)) add_gates<std::int64_t>(fanins, weights, thresholds, out);
  else add_gates<i128>(fanins, weights, thresholds, out);
}

// The sum normalized once; each threshold staged in the pipeline, its hash the sum's hash
// finished with the threshold.
template <class Int>
void Builder::add_gates(std::span<const Lit> fanins, std::span<const std::int64_t> weights,
                        std::span<const std::int64_t> thresholds, std::span<Lit> out) {
  static thread_local Terms<Int> terms;
  const Int offset = fold_inputs(fanins, weights, terms, c_.num_nodes());
  const SumShape<Int> shape = normalize_sum(terms);
  std::optional<std::uint64_t> sum_hash;
  std::size_t done = 0;
  for (std::int64_t t : thresholds) {
    if (pipeline_size_ == pipeline_depth) out[done++] = commit_gate();
    Staged& s = pipeline_[(pipeline_head_ + pipeline_size_) % pipeline_depth];
    note_request(terms.size());
    normalize_threshold(terms, shape, Int(t) + offset, s, stats_);
    ++pipeline_size_;
    if (s.folded || !params_.structural_hashing) continue;
    if (!sum_hash) sum_hash = hash_sum(s.ref());  // the same nodes and weights for every threshold
    prefetch(s, hash_threshold(*sum_hash, s.ref()));
  }
  while (pipeline_size_) out[done++] = commit_gate();
}

Lit Builder::add_gate(std::span<const Lit> fanins, std::span<const mpz_class> weights, const mpz_class& threshold) {
  if (fanins.size() != weights.size()) throw std::invalid_argument("add_gate: fan-in and weight counts differ");
  Terms<mpz_class> terms;
  terms.reserve(fanins.size());
  mpz_class t = threshold;
  for (std::size_t i = 0; i < fanins.size(); ++i) {
    check_lit(fanins[i], c_.num_nodes());
    mpz_class w = weights[i];
    if (fanins[i].negated()) { t -= w; w = -w; }
    if (fanins[i].node() == 0) continue;
    terms.emplace_back(fanins[i].node(), std::move(w));
  }
  if (pipeline_size_) throw std::logic_error("add_gate: staged gates must be committed first");
  note_request(terms.size());
  normalize(terms, std::move(t), staged_, stats_);
  return staged_.folded ? *staged_.folded : finish(staged_.ref(), staged_.negate);
}

// Normalizes [sum terms >= t] into s: sorted fan-ins, merged duplicates, no zero weights,
// weights divided by their gcd, the first weight positive (s.negate says the gate was
// complemented for that); or s.folded when it is a constant or a literal. The sum's part does
// not depend on t, so a ladder of thresholds on one sum does it once.
template <class Int>
void Builder::normalize(Terms<Int>& terms, Int t, Staged& s, builder_stats& stats) const {
  const SumShape<Int> shape = normalize_sum(terms);
  normalize_threshold(terms, shape, std::move(t), s, stats);
}

template <class Int>
Builder::SumShape<Int> Builder::normalize_sum(Terms<Int>& terms) const {
  sort_nearly_sorted(terms);
  // Merge duplicate fan-ins and drop zero weights.
  std::size_t k = 0;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    if (k > 0 && terms[k - 1].first == terms[i].first) terms[k - 1].second += terms[i].second;
    else terms[k++] = std::move(terms[i]);
  }
  terms.resize(k);
  std::erase_if(terms, [](const auto& p) { return is_zero(p.second); });

  SumShape<Int> shape;
  for (const auto& [n, w] : terms) (is_negative(w) ? shape.lo0 : shape.hi0) += w;
  Int g = 0;
  for (const auto& [n, w] : terms) {
    g = gcd_of(g, abs_of(w));
    if (g == 1) break;  // the common case: nothing to divide
  }
  if (g > 1) {
    for (auto& [n, w] : terms) w /= g;
    shape.g = g;
  }
  shape.negate = !terms.empty() && is_negative(terms[0].second);
  if (shape.negate)
    for (auto& [n, w] : terms) w = -w;
  for (const auto& [n, w] : terms) (is_negative(w) ? shape.lo : shape.hi) += w;
  for (const auto& [n, w] : terms) shape.small = shape.small && fits_i32(w);
  return shape;
}

template <class Int>
void Builder::normalize_threshold(const Terms<Int>& terms, const SumShape<Int>& shape, Int t,
                                  Staged& s, builder_stats& stats) const {
  s.folded.reset();
  if (t <= shape.lo0) { ++stats.constant_gates; s.folded = lit_true; return; }
  if (t > shape.hi0) { ++stats.constant_gates; s.folded = lit_false; return; }
  if (shape.g > 1) t = ceil_div(t, shape.g);
  const bool negate = shape.negate;
  if (negate) t = Int(1) - t;
  if (terms.size() == 1) {  // [x >= 1] is x itself
    ++stats.buffer_gates;
    s.folded = Lit(terms[0].first, negate);
    return;
  }
  // A gate decided by one input alone is that input (or its negation): e.g. [x + 2y >= 2] = y.
  const Int& lo = shape.lo;
  const Int& hi = shape.hi;
  for (const auto& [n, w] : terms) {
    const bool neg = is_negative(w);
    const Int others_lo = neg ? Int(lo - w) : lo, others_hi = neg ? hi : Int(hi - w);
    if (!neg && others_lo + w >= t && others_hi < t) { ++stats.buffer_gates; s.folded = Lit(n, negate); return; }
    if (neg && others_hi + w < t && others_lo >= t) { ++stats.buffer_gates; s.folded = Lit(n, !negate); return; }
  }

  s.negate = negate;
  s.small = shape.small && fits_i64(t);
  s.nodes.resize(terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) s.nodes[i] = terms[i].first;
  s.w32.clear();
  s.wbig.clear();
  if (s.small) {
    s.w32.resize(terms.size());
    for (std::size_t i = 0; i < terms.size(); ++i) s.w32[i] = static_cast<std::int32_t>(to_i64(terms[i].second));
    s.t64 = to_i64(t);
  } else {
    for (const auto& [n, w] : terms) s.wbig.push_back(to_mpz(w));
    s.tbig = to_mpz(t);
  }
}

std::uint64_t Builder::hash_of(const GateRef& s, std::uint64_t seed) { return hash_threshold(hash_sum(s, seed), s); }

std::uint64_t Builder::hash_sum(const GateRef& s, std::uint64_t seed) {
  std::uint64_t h = mix(seed, s.nodes.size());
  for (node_id n : s.nodes) h = mix(h, n);
  if (s.small()) {
    for (std::int32_t w : s.w32) h = mix(h, static_cast<std::uint32_t>(w));
  } else {
    for (const mpz_class& w : *s.wbig) h = hash_mpz(h, w);
  }
  return h;
}

std::uint64_t Builder::hash_threshold(std::uint64_t h, const GateRef& s) {
  h = s.small() ? mix(h, static_cast<std::uint64_t>(s.t64)) : hash_mpz(h, *s.tbig);
  // Final avalanche: gates built alike (neighbouring ids, equal weights) must not cluster in
  // the table, whose slot comes from the high bits.
  h ^= h >> 31;
  h *= 0x94d049bb133111ebULL;
  return h ^ (h >> 29);
}

bool Builder::equals(std::uint32_t g, const GateRef& s) const {
  auto f = c_.fanins(g);
  if (!std::equal(f.begin(), f.end(), s.nodes.begin(), s.nodes.end())) return false;
  if (c_.is_big(g) == s.small()) return false;
  if (s.small()) {
    auto w = c_.small_weights(g);
    return c_.small_threshold(g) == s.t64 && std::equal(w.begin(), w.end(), s.w32.begin());
  }
  const BigGate& b = c_.big(g);
  return b.threshold == *s.tbig && b.weights == *s.wbig;
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

// The memory bound (builder_params::max_wires), in bytes: what the builder's arrays hold (their
// capacity, not their size), the hash table, and wire_units_ (GMP weights, names) at 8 bytes a unit.
std::uint64_t Builder::held_bytes() const {
  auto bytes = [](const auto& v) { return std::uint64_t(v.capacity()) * sizeof(*v.data()); };
  // An empty builder's table (1024 slots, 8 KiB) is not counted, so that tiny bounds stay usable.
  const std::uint64_t table = bytes(table_) - std::min<std::uint64_t>(bytes(table_), 1024 * 8);
  return bytes(c_.offset_) + bytes(c_.fanin_) + bytes(c_.weight_) + bytes(c_.threshold_) + bytes(c_.level_) +
         bytes(c_.big_index_) + bytes(fingerprints_) + bytes(counted_fanin_) + bytes(counted_abs_) + bytes(counted_bits_) +
         bytes(counted_big_) + table + 8 * wire_units_;
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
                          " wires (tcx --max-wires: units of 8 bytes of the builder's memory, " + size +
                          "); choose smaller sizes");
}

// Regrows an array to hold n elements: 1.5 times its capacity as a rule, but never past the
// bound, counting the old array too (it is held while it is copied). Leaves it short when even
// n elements do not fit: the caller then refuses the gate.
template <class V>
void Builder::grow_within_bound(V& v, std::size_t n) {
  if (n <= v.capacity()) return;
  const std::uint64_t held = held_bytes(), bound = bound_bytes();
  const std::uint64_t fits = held < bound ? (bound - held) / sizeof(*v.data()) : 0;
  const std::uint64_t want = std::min<std::uint64_t>(std::max(n, v.capacity() + v.capacity() / 2), fits);
  if (want >= n) v.reserve(static_cast<std::size_t>(want));
}

// Room in every array for `gates` more gates of `wires` wires in all; false when the bound refuses.
bool Builder::room_for(std::size_t gates, std::size_t wires) {
  const std::size_t g = c_.num_gates() + gates, w = c_.fanin_.size() + wires;
  grow_within_bound(c_.level_, g);
  grow_within_bound(c_.offset_, g + 1);
  if (params_.counting) {  // a level, gate fan-ins, figures and a fingerprint per gate; no weights
    if (params_.structural_hashing) grow_within_bound(fingerprints_, g);
    grow_within_bound(counted_fanin_, g);
    grow_within_bound(counted_abs_, g);
    grow_within_bound(counted_bits_, g);
    grow_within_bound(c_.fanin_, w);  // the fan-ins that are gates (callers pass only those)
    return c_.level_.capacity() >= g && c_.offset_.capacity() >= g + 1 && c_.fanin_.capacity() >= w &&
           counted_fanin_.capacity() >= g && counted_abs_.capacity() >= g && counted_bits_.capacity() >= g &&
           (!params_.structural_hashing || fingerprints_.capacity() >= g);
  }
  grow_within_bound(c_.fanin_, w);
  grow_within_bound(c_.weight_, w);
  grow_within_bound(c_.threshold_, g);
  grow_within_bound(c_.big_index_, g);
  return c_.fanin_.capacity() >= w && c_.weight_.capacity() >= w && c_.offset_.capacity() >= g + 1 &&
         c_.threshold_.capacity() >= g && c_.big_index_.capacity() >= g && c_.level_.capacity() >= g;
}

// A table doubling holds the old table and the new one, three times the old, while it rehashes.
bool Builder::table_grows_within_bound() const { return held_bytes() + 2 * 8 * table_.size() <= bound_bytes(); }

void Builder::reserve(std::size_t gates, std::size_t wires) {
  // Within the memory bound (a build that will be refused must fail on the bound, not on a giant
  // reservation): room_for() gives as much of the request as the bound allows.
  // Counting keeps only the fan-ins that are gates, unknown here: its wires grow as they come.
  room_for(gates, params_.counting ? 0 : wires);
  const std::size_t g = c_.num_gates() + std::min<std::size_t>(gates, UINT32_MAX);
  if (params_.structural_hashing && !table_fits(g, table_.size())) {
    std::size_t slots = table_.size();  // one rehash into the final size, not a doubling series
    while (!table_fits(g, slots) && held_bytes() + 8 * (2 * slots) <= bound_bytes()) slots *= 2;
    if (slots > table_.size()) rehash(slots);
  }
}

Lit Builder::finish(const GateRef& s, bool negate, std::optional<std::uint64_t> hash) {
  if (params_.counting) return count_gate(s, negate, hash);
  std::uint64_t h = 0;
  std::size_t slot = 0;
  if (params_.structural_hashing) {
    h = (hash ? *hash : hash_of(s)) >> 32;
    const std::size_t mask = table_.size() - 1;
    for (slot = h & mask; table_[slot] != 0; slot = (slot + 1) & mask) {
      std::uint32_t g = static_cast<std::uint32_t>(table_[slot]) - 1;
      if ((table_[slot] >> 32) == h && equals(g, s)) {
        ++stats_.hash_hits;
        return Lit(c_.gate_node(g), negate);
      }
    }
  }
  if (c_.num_nodes() == UINT32_MAX / 2) throw std::length_error("circuit is full (2^31 nodes)");
  // The memory bound: room in the arrays (regrown within it), a GMP gate's weights (their mpz
  // and limbs), and the table's doubling when this gate fills it.
  // A GMP weight: its mpz (16 bytes), its limbs, and malloc's header and rounding (about 16);
  // a GMP gate's entry in the circuit's list of them (its vector and threshold, regrown: 64).
  std::uint64_t units = 0;
  if (!s.small()) {
    units += 8 + mpz_size(s.tbig->get_mpz_t());
    for (const mpz_class& w : *s.wbig) units += 4 + mpz_size(w.get_mpz_t());
  }
  if (!room_for(1, s.nodes.size()) || (units && held_bytes() + 8 * units > bound_bytes()) ||
      (params_.structural_hashing && !table_fits(std::size_t(c_.num_gates()) + 1, table_.size()) && !table_grows_within_bound()))
    throw_bound();
  wire_units_ += units;
  std::uint32_t g = c_.num_gates();
  std::uint32_t lvl = 0;
  for (node_id n : s.nodes) lvl = std::max(lvl, c_.level(n));
  c_.fanin_.insert(c_.fanin_.end(), s.nodes.begin(), s.nodes.end());
  if (s.small()) {
    c_.weight_.insert(c_.weight_.end(), s.w32.begin(), s.w32.end());
    c_.threshold_.push_back(s.t64);
    c_.big_index_.push_back(Circuit::no_big);
  } else {
    c_.weight_.insert(c_.weight_.end(), s.nodes.size(), 0);
    c_.threshold_.push_back(0);
    c_.big_index_.push_back(static_cast<std::uint32_t>(c_.big_.size()));
    c_.big_.push_back(BigGate{*s.wbig, *s.tbig});
    ++stats_.big_gates;
  }
  c_.offset_.push_back(c_.fanin_.size());
  c_.level_.push_back(lvl + 1);
  if (params_.structural_hashing) {
    table_[slot] = (h << 32) | (std::uint64_t(g) + 1);
    if (!table_fits(std::size_t(g) + 1, table_.size())) rehash(2 * table_.size());
  }
  return Lit(c_.gate_node(g), negate);
}

Lit Builder::count_gate(const GateRef& s, bool negate, std::optional<std::uint64_t> hash) {
  const std::pair<std::uint64_t, std::uint64_t> fp{hash ? *hash : hash_of(s), hash_of(s, 0x5851f42d4c957f2dULL)};
  const std::uint64_t h = fp.first >> 32;
  const std::size_t mask = table_.size() - 1;
  std::size_t slot = h & mask;
  if (params_.structural_hashing) {
    for (; table_[slot] != 0; slot = (slot + 1) & mask) {
      const std::uint32_t g = static_cast<std::uint32_t>(table_[slot]) - 1;
      if ((table_[slot] >> 32) == h && fingerprints_[g] == fp) {
        ++stats_.hash_hits;
        return Lit(c_.gate_node(g), negate);
      }
    }
  }
  if (c_.num_nodes() == UINT32_MAX / 2) throw std::length_error("circuit is full (2^31 nodes)");
  // Reachability needs only the fan-ins that are gates: a gate of the first level, whatever its
  // fan-in, keeps none (most wires of a wide network read its inputs).
  const node_id first_gate = c_.first_gate_node();
  const auto from_gates = std::find_if(s.nodes.begin(), s.nodes.end(), [first_gate](node_id n) { return n >= first_gate; });
  const std::size_t gate_fanins = static_cast<std::size_t>(s.nodes.end() - from_gates);  // fan-ins are sorted
  // The memory bound applies to what is kept: a level, an offset, a fan-in count, figures, a
  // fingerprint and a hash entry per gate, and 4 bytes per gate fan-in.
  if (!room_for(1, gate_fanins) ||
      (params_.structural_hashing && !table_fits(std::size_t(c_.num_gates()) + 1, table_.size()) && !table_grows_within_bound()))
    throw_bound();
  const std::uint32_t g = c_.num_gates();
  std::uint32_t lvl = 0;
  for (node_id n : s.nodes) lvl = std::max(lvl, c_.level(n));
  c_.level_.push_back(lvl + 1);
  c_.fanin_.insert(c_.fanin_.end(), from_gates, s.nodes.end());
  c_.offset_.push_back(c_.fanin_.size());
  counted_fanin_.push_back(static_cast<std::uint32_t>(s.nodes.size()));
  counted_wires_ += s.nodes.size();
  if (s.small()) {
    std::uint64_t abs_sum = 0, wbits = 0;
    for (std::int32_t w : s.w32) {
      const std::uint64_t a = static_cast<std::uint64_t>(w < 0 ? -std::int64_t(w) : std::int64_t(w));
      abs_sum += a;
      wbits = std::max(wbits, magnitude_bits(std::int64_t(a)));
    }
    counted_abs_.push_back(abs_sum);
    counted_bits_.push_back(static_cast<std::uint16_t>(wbits | magnitude_bits(s.t64) << 8));
  } else {
    CountedBig big{g, 0, magnitude_bits(*s.tbig), 0};
    for (const mpz_class& w : *s.wbig) {
      big.weight_bits = std::max(big.weight_bits, magnitude_bits(w));
      big.abs_sum += abs(w);
    }
    counted_big_.push_back(std::move(big));
    counted_abs_.push_back(0);
    counted_bits_.push_back(big_bits);
    ++stats_.big_gates;
  }
  if (params_.structural_hashing) {
    fingerprints_.push_back(fp);
    table_[slot] = (h << 32) | (std::uint64_t(g) + 1);
    if (!table_fits(std::size_t(g) + 1, table_.size())) rehash(2 * table_.size());
  }
  return Lit(c_.gate_node(g), negate);
}

circuit_stats Builder::count_stats() const {
  circuit_stats s;
  s.inputs = c_.num_inputs();
  s.outputs = c_.num_outputs();
  s.depth = c_.depth();
  for (const Output& o : c_.outputs()) s.output_depth.push_back(c_.level(o.lit.node()));
  const std::vector<std::uint8_t> keep = reachable_gates(c_);
  GateTally tally;
  std::size_t big = 0;  // counting: the next entry of counted_big_
  for (std::uint32_t g = 0; g < c_.num_gates(); ++g) {
    const std::uint32_t lvl = c_.level_[g];
    if (params_.counting) {
      const std::uint16_t bits = counted_bits_[g];
      if (bits == big_bits) {
        const CountedBig& b = counted_big_[big++];
        if (keep[g]) tally.add(lvl, counted_fanin_[g], b.weight_bits, b.threshold_bits, b.abs_sum);
      } else if (keep[g]) {
        tally.add(lvl, counted_fanin_[g], bits & 0xFFu, bits >> 8, counted_abs_[g]);
      }
    } else if (keep[g]) {
      if (c_.is_big(g)) tally.add(lvl, c_.big(g).weights, c_.big(g).threshold);
      else tally.add(lvl, c_.small_weights(g), c_.small_threshold(g));
    }
  }
  tally.fill(s);
  return s;
}

Circuit Builder::take() {
  if (params_.counting) throw std::logic_error("a counting Builder keeps no gates to build a circuit from");
  table_.clear();
  table_.shrink_to_fit();
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

Circuit Builder::build() && {
  if (params_.counting) throw std::logic_error("a counting Builder keeps no gates to build a circuit from");
  c_.drop_unreachable();
  return take();
}

Circuit Builder::build_all() && { return take(); }

}  // namespace tcx
