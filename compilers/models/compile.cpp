#include "compilers/models/compile.hpp"
#include "compilers/models/layers.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_group.h>

#include <exception>
#include <functional>
#include <iomanip>
#include <sstream>

#include "compilers/arith/fixed.hpp"
#include "compilers/arith/sum.hpp"
#include "compilers/arith/weight_list.hpp"

namespace tcx {

namespace {

// One neuron's pre-activation times 2^scale: L = c + sum w_t x_t. Kept in 64-bit integers while
// it fits (the common case: small weights, bit or sign inputs) and in GMP integers otherwise.
class Linear {
public:
  void clear() { terms_.clear(); c64_ = 0; cbig_ = 0; }
  void reserve(std::size_t fanin) { terms_.reserve(fanin); }
  void add(Lit x, const mpz_class& w) {
    if (!mpz_fits_slong_p(w.get_mpz_t())) to_big();  // the constant goes to GMP with the weights
    terms_.push(x, w);
  }
  void add(Lit x, std::int64_t w, std::uint32_t shift) {
    if (!terms_.big && shift < 62 && (w >= 0 ? w : -w) < (std::int64_t(1) << (62 - shift))) {
      terms_.push(x, std::int64_t(w * (std::int64_t(1) << shift)));
      return;
    }
    add(x, mpz_class(static_cast<long>(w)) << shift);
  }
  // c += v * 2^shift
  void add_constant(std::int64_t v, std::uint32_t shift) {
    std::int64_t scaled = 0;
    if (!terms_.big && shift < 62 && (v >= 0 ? v : -v) < (std::int64_t(1) << (62 - shift)) &&
        !__builtin_add_overflow(c64_, v * (std::int64_t(1) << shift), &scaled)) {
      c64_ = scaled;
      return;
    }
    add_constant(mpz_class(static_cast<long>(v)) << shift);
  }
  void add_constant(const mpz_class& v) {
    if (!terms_.big) {
      if (mpz_fits_slong_p(v.get_mpz_t()) && !__builtin_add_overflow(c64_, v.get_si(), &c64_)) return;
      to_big();
    }
    cbig_ += v;
  }
  // [L >= t]
  Lit at_least(Builder& b, const mpz_class& t) {
    std::int64_t t64 = 0;
    if (!terms_.big && mpz_fits_slong_p(t.get_mpz_t()) && !__builtin_sub_overflow(t.get_si(), c64_, &t64))
      return b.add_gate(terms_.lits, terms_.w, t64);
    to_big();
    return b.add_gate(terms_.lits, terms_.wb, t - cbig_);
  }
  // Normalizes [L >= t] into a batch when it is a 64-bit request; false (nothing added) when it
  // needs GMP.
  bool prepare_at_least(GateBatch& batch, std::int64_t t) const {
    std::int64_t t64 = 0;
    if (terms_.big || __builtin_sub_overflow(t, c64_, &t64)) return false;
    normalize_gate(batch, terms_.lits, terms_.w, t64);
    return true;
  }
  // The smallest and largest value L can take.
  std::pair<mpz_class, mpz_class> range() const {
    if (terms_.big) {
      mpz_class lo = cbig_, hi = cbig_;
      for (const mpz_class& w : terms_.wb) (sgn(w) < 0 ? lo : hi) += w;
      return {lo, hi};
    }
    mpz_class lo(static_cast<long>(c64_)), hi = lo, neg = 0, pos = 0;
    std::int64_t n64 = 0, p64 = 0;  // flushed into GMP before they could overflow
    for (std::int64_t w : terms_.w) {
      std::int64_t& acc = w < 0 ? n64 : p64;
      if (__builtin_add_overflow(acc, w, &acc)) {
        (w < 0 ? neg : pos) += static_cast<long>(acc - w);
        acc = w;
      }
    }
    return {lo + neg + static_cast<long>(n64), hi + pos + static_cast<long>(p64)};
  }
  std::vector<Term> terms(mpz_class& c) {
    to_big();
    std::vector<Term> t;
    t.reserve(terms_.size());
    for (std::size_t k = 0; k < terms_.size(); ++k) t.push_back(Term{terms_.lits[k], terms_.wb[k]});
    c = cbig_;
    return t;
  }

private:
  // Weights and constant go to GMP together (the constant stays in c64_ until then).
  void to_big() {
    if (terms_.big) return;
    terms_.to_big();
    cbig_ = mpz_class(static_cast<long>(c64_));
  }
  WeightList terms_;
  std::int64_t c64_ = 0;
  mpz_class cbig_;
};

// The smallest L in [lo, hi] where `holds` is true, for `holds` monotone (false then true).
std::optional<mpz_class> first_true(mpz_class lo, mpz_class hi, const std::function<bool(const mpz_class&)>& holds) {
  if (!holds(hi)) return std::nullopt;
  while (lo < hi) {
    mpz_class mid;
    mpz_fdiv_q_2exp(mid.get_mpz_t(), mpz_class(lo + hi).get_mpz_t(), 1);
    if (holds(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// The weights and biases of a run of neurons, evaluated ahead of the sequential circuit building:
// many at once (formula evaluation one entry at a time was a third of compile time), on all cores
// for large layers. A neuron whose weights or bias fail keeps the first error, rethrown where
// evaluating in order would have thrown it.
struct WeightBlock {
  std::uint32_t first = 0, end = 0;  // the neurons [first, end)
  std::vector<std::size_t> offset;   // per neuron + 1, into w
  huge_vector<std::int64_t> w;  // a wide neuron's weights on 2 MiB pages
  std::vector<std::int64_t> bias;
  std::vector<std::size_t> evaluated;  // per neuron: weights evaluated before its error
  std::vector<std::exception_ptr> error;

  void fill(const Layer& l, const LayerShape& sh, std::int64_t n, const WeightFn& weight, std::uint32_t from) {
    layout(sh, from);
    if (offset.back() < 4096) {
      evaluate(l, sh, n, weight, first, end);
    } else {
      tbb::parallel_for(tbb::blocked_range<std::uint32_t>(first, end), [&](const tbb::blocked_range<std::uint32_t>& r) {
        evaluate(l, sh, n, weight, r.begin(), r.end());
      });
    }
  }
  // The next block from neuron `from` on, not yet evaluated.
  void layout(const LayerShape& sh, std::uint32_t from) {
    constexpr std::size_t max_weights = std::size_t(1) << 16;  // 512 KiB of weights at a time, used while in cache
    first = from;
    offset.assign(1, 0);
    for (end = from; end < sh.out && (end == from || offset.back() + (sh.last(end) - sh.first(end)) <= max_weights); ++end)
      offset.push_back(offset.back() + (sh.last(end) - sh.first(end)));
    w.resize(offset.back());
    bias.assign(end - first, 0);
    evaluated.resize(end - first);
    for (std::uint32_t k = 0; k < end - first; ++k) evaluated[k] = offset[k + 1] - offset[k];
    error.assign(end - first, nullptr);
  }
  // Evaluates the neurons [jb, je) of the block (any thread, disjoint ranges): their weights as
  // columns (j, i), a block at a time, many at once; a block where some entry fails goes one entry
  // at a time, each neuron stopping at its first error. Then the biases, the same way.
  void evaluate(const Layer& l, const LayerShape& sh, std::int64_t n, const WeightFn& weight, std::uint32_t jb,
               std::uint32_t je) {
    constexpr std::size_t block = 4096;
    static thread_local std::vector<std::int64_t> jcol, icol;
    jcol.resize(block);
    icol.resize(block);
    auto one_at_a_time = [&](std::size_t p, std::size_t k, auto&& eval) {  // p: index into w
      if (error[k]) return;
      try {
        eval();
      } catch (...) {
        error[k] = std::current_exception();
        evaluated[k] = p - offset[k];
      }
    };
    const std::size_t end_p = offset[je - first];
    std::uint32_t j = jb, i = sh.first(jb);
    for (std::size_t start = offset[jb - first]; start < end_p;) {
      std::size_t m = 0;
      for (; m < block && start + m < end_p; ++m, ++i) {
        while (i == sh.last(j)) i = sh.first(++j);
        jcol[m] = j;
        icol[m] = i;
      }
      if (!weight.many({jcol.data(), m}, {icol.data(), m}, {w.data() + start, m}))
        for (std::size_t q = 0; q < m; ++q)
          one_at_a_time(start + q, jcol[q] - first, [&] { w[start + q] = weight.one(jcol[q], icol[q]); });
      start += m;
    }
    for (std::uint32_t a = jb; a < je; a += block) {
      const std::size_t m = std::min<std::size_t>(block, je - a);
      for (std::size_t k = 0; k < m; ++k) jcol[k] = a + k;
      const std::int64_t zero = 0;
      if (l.bias.at_many(n, {jcol.data(), m}, {&zero, 1}, {bias.data() + (a - first), m})) continue;
      for (std::size_t k = a - first; k < a - first + m; ++k)
        one_at_a_time(offset[k + 1], k, [&] { bias[k] = l.bias.at(n, first + k, 0); });
    }
  }
};

}  // namespace

WeightFn weights_of(const Generator& g, std::int64_t n) {
  return WeightFn{[&g, n](std::int64_t j, std::int64_t i) { return g.at(n, j, i); },
                  [&g, n](std::span<const std::int64_t> j, std::span<const std::int64_t> i, std::span<std::int64_t> out) {
                    return g.at_many(n, j, i, out);
                  }};
}

WeightFn plain_weights(std::function<std::int64_t(std::int64_t j, std::int64_t i)> f) {
  WeightFn w;
  w.many = [f](std::span<const std::int64_t> j, std::span<const std::int64_t> i, std::span<std::int64_t> out) {
    for (std::size_t k = 0; k < out.size(); ++k) out[k] = f(j[k], i[k]);
    return true;
  };
  w.one = std::move(f);
  return w;
}

WeightFn side_by_side(WeightFn left, std::int64_t split, WeightFn right) {
  WeightFn w;
  w.one = [=](std::int64_t j, std::int64_t i) { return i < split ? left.one(j, i) : right.one(j, i - split); };
  // Runs of entries on one side at a time; the right side's inputs renumbered from 0.
  w.many = [=](std::span<const std::int64_t> j, std::span<const std::int64_t> i, std::span<std::int64_t> out) {
    static thread_local std::vector<std::int64_t> shifted;
    for (std::size_t a = 0, b = 0; a < out.size(); a = b) {
      const bool is_left = i[a] < split;
      for (b = a + 1; b < out.size() && (i[b] < split) == is_left;) ++b;
      const std::size_t m = b - a;
      if (is_left) {
        if (!left.many(j.subspan(a, m), i.subspan(a, m), out.subspan(a, m))) return false;
        continue;
      }
      shifted.resize(m);
      for (std::size_t k = 0; k < m; ++k) shifted[k] = i[a + k] - split;
      if (!right.many(j.subspan(a, m), shifted, out.subspan(a, m))) return false;
    }
    return true;
  };
  return w;
}

// A plain (one gate per neuron) layer's gates, wires and largest fan-in, for reserving arrays.
// Capped: a layer may ask for more wires than the size bound allows (it is then refused gate by
// gate, and must not fail first on a giant reservation).
struct LayerSize {
  std::uint64_t gates = 0, wires = 0, fanin = 0;
};
LayerSize layer_size(const LayerShape& sh) {
  constexpr std::uint64_t cap = std::uint64_t(1) << 24;
  LayerSize size;
  size.gates = std::min<std::uint64_t>(sh.out, cap);
  for (std::uint32_t j = 0; j < sh.out && size.wires < cap; ++j) {
    size.wires += sh.last(j) - sh.first(j);
    size.fanin = std::max<std::uint64_t>(size.fanin, sh.last(j) - sh.first(j));
  }
  size.wires = std::min(size.wires, cap);
  size.fanin = std::min(size.fanin, cap);
  return size;
}

// The memory bound, up front: what compiling the MLP's plain layers (one gate per neuron) will
// hold at least, in the Builder's units of 8 bytes, counting every weight as nonzero -- a gate
// per neuron (24 bytes and its hash slots, about 16), a wire per weight (8 bytes; none when only
// counting), a name per input (its characters and 64 bytes), and the compiler's buffers for the
// widest neuron (its weights, sums and normalized gate, twice over for the block prepared
// ahead: about 100 bytes a fan-in). Past the Builder's room, the model is refused before
// anything is built, with the Builder's error (std::length_error, --max-wires); a layer whose
// weights are mostly zero may need a larger bound than it ends up using.
static void refuse_past_memory_bound(const Builder& b, const ModelShape& s, bool names) {
  const long double room = static_cast<long double>(b.memory_room());
  long double units = 0, widest = 0;
  if (names) units += static_cast<long double>(s.input_values) * s.bits_of(s.input_kind) * ((std::to_string(s.input_values).size() + 4 + 64 + 7) / 8);
  for (const LayerShape& sh : s.layers) {
    if (sh.out_kind == ValueKind::number) continue;  // several gates a neuron: left to the Builder
    long double wires = 0;
    if (!sh.window) {
      wires = static_cast<long double>(sh.out) * sh.in;
    } else {
      for (std::uint32_t j = 0; j < sh.out && wires <= room; ++j) wires += sh.last(j) - sh.first(j);
    }
    const std::uint32_t fanin = sh.window ? std::min(sh.window, sh.in) : sh.in;
    widest = std::max<long double>(widest, static_cast<long double>(fanin) * s.bits_of(sh.in_kind));
    units += 5.0L * sh.out + (b.counting() ? 0.0L : wires * s.bits_of(sh.in_kind));
  }
  units += 12.0L * widest;
  if (units > room) {
    std::ostringstream text;
    const long double bytes = units * 8, kib = bytes / 1024, mib = kib / 1024;
    text << "the model at n = " << s.n << " needs about " << std::fixed << std::setprecision(1);
    if (kib < 1) text << static_cast<std::uint64_t>(bytes) << " bytes";
    else if (mib < 1) text << kib << " KiB";
    else text << (mib < 1024 ? mib : mib / 1024) << (mib < 1024 ? " MiB" : " GiB");
    text << " for its layers (every weight counted), past the size bound (tcx --max-wires: units of 8 bytes; "
         << b.memory_room() << " of them left); choose smaller sizes or raise --max-wires";
    throw std::length_error(text.str());
  }
}

namespace {

// A part of a block of threshold neurons, built and normalized on one core into its own batch.
struct NeuronPart {
  std::uint32_t first = 0, end = 0;  // the neurons [first, end)
  GateBatch gates;                   // one per neuron before the first error, in order
  Linear L;                          // scratch
  std::exception_ptr error;          // the part's first failing neuron, where it stopped
};

// A block of threshold neurons: its weights and its parts.
struct NeuronBlock {
  WeightBlock weights;
  std::vector<NeuronPart> parts;
  std::size_t count = 0;  // parts in use
};

// Weights per part: enough work to be worth a task, parts enough for every core.
constexpr std::size_t part_weights = 4096;

// The pre-activations of a layer's neurons, every term on the common scale 2^S.
struct NeuronSums {
  const Layer& l;
  const LayerShape& sh;
  const Values& in;
  std::int64_t n;
  std::uint32_t S, f_in;  // the common scale; the inputs' fractional bits

  // Neuron j's pre-activation times 2^S into L, from the weight block that holds j.
  void operator()(const WeightBlock& wb, std::uint32_t j, Linear& L) const {
    L.clear();
    const std::size_t k = j - wb.first;
    const std::int64_t* wj = wb.w.data() + wb.offset[k];
    for (std::uint32_t i = sh.first(j); i < sh.last(j); ++i) {
      if (i - sh.first(j) == wb.evaluated[k] && wb.error[k]) std::rethrow_exception(wb.error[k]);
      const std::int64_t w = wj[i - sh.first(j)];
      if (w == 0) continue;
      if (l.binarized && w != 1 && w != -1)
        throw ModelError(l.path, "binarized: weight [" + std::to_string(j) + "][" + std::to_string(i) + "] is " +
                                     std::to_string(w) + " at n = " + std::to_string(n) + ", not +1 or -1");
      const std::span<const Lit> x = in[i];
      const std::uint32_t shift = S - l.weight_frac - f_in;
      if (in.kind == ValueKind::bit) {
        L.add(x[0], w, shift);
      } else if (in.kind == ValueKind::sign) {  // w * (2x - 1)
        L.add(x[0], w, shift + 1);
        L.add_constant(-w, shift);
      } else {
        for (std::size_t k = 0; k < x.size(); ++k) {
          mpz_class wk = mpz_class(static_cast<long>(w)) << (shift + k);
          L.add(x[k], k + 1 == x.size() ? mpz_class(-wk) : wk);
        }
      }
    }
    if (wb.error[k]) std::rethrow_exception(wb.error[k]);  // the bias failed
    const std::int64_t bias = wb.bias[k];
    if (bias != 0) L.add_constant(bias, S - l.bias_frac);
  }
};

// Plain threshold neurons [sum >= 0] into out (one literal per neuron). They do not read one
// another: a block of them is evaluated, built and normalized on all cores, a part per task, then
// added to the circuit in order by this thread while the next block is prepared on the other
// cores. A neuron that needs GMP weights is added in its turn; errors surface in neuron order, as
// one at a time.
void threshold_neurons(Builder& b, const NeuronSums& sum_of, const WeightFn& weight, std::vector<Lit>& out) {
  const LayerShape& sh = sum_of.sh;
  out.assign(sh.out, lit_false);
  // Scratch reused layer after layer; named by reference so that tasks on other threads see this
  // thread's copy, not their own.
  static thread_local std::array<NeuronBlock, 2> blocks_scratch;
  std::array<NeuronBlock, 2>& blocks = blocks_scratch;
  auto split = [&](NeuronBlock& blk, std::uint32_t from) {  // on this thread: reads the builder
    blk.weights.layout(sh, from);
    blk.count = 0;
    for (std::uint32_t a = blk.weights.first; a < blk.weights.end; ++blk.count) {
      if (blk.parts.size() == blk.count) blk.parts.emplace_back();
      NeuronPart& p = blk.parts[blk.count];
      b.start(p.gates);
      p.first = a;
      const std::size_t begin = blk.weights.offset[a - blk.weights.first];
      do ++a;
      while (a < blk.weights.end && blk.weights.offset[a - blk.weights.first] - begin < part_weights);
      p.end = a;
    }
  };
  auto prepare_part = [&](NeuronBlock& blk, NeuronPart& p) {
    WeightBlock& wb = blk.weights;
    p.error = nullptr;
    std::size_t widest = 0;
    for (std::uint32_t a = p.first; a < p.end; ++a) widest = std::max(widest, wb.offset[a + 1 - wb.first] - wb.offset[a - wb.first]);
    p.L.reserve(widest);
    try {
      wb.evaluate(sum_of.l, sh, sum_of.n, weight, p.first, p.end);
      for (std::uint32_t a = p.first; a < p.end; ++a) {
        sum_of(wb, a, p.L);
        if (!p.L.prepare_at_least(p.gates, 0)) p.gates.defer();
      }
    } catch (...) {
      p.error = std::current_exception();
    }
  };
  auto prepare = [&](NeuronBlock& blk) {
    if (blk.count == 1) return prepare_part(blk, blk.parts[0]);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blk.count, 1), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t q = r.begin(); q < r.end(); ++q) prepare_part(blk, blk.parts[q]);
    });
  };
  auto add = [&](NeuronBlock& blk) {
    for (std::size_t q = 0; q < blk.count; ++q) {
      NeuronPart& p = blk.parts[q];
      const std::span<Lit> lits(out.data() + p.first, p.gates.size());
      for (std::size_t k = 0; (k = b.add_batch(p.gates, k, lits)) < lits.size(); ++k) {
        sum_of(blk.weights, p.first + static_cast<std::uint32_t>(k), p.L);
        lits[k] = p.L.at_least(b, 0);
      }
      if (p.error) std::rethrow_exception(p.error);
    }
  };
  NeuronBlock* now = &blocks[0];
  NeuronBlock* next = &blocks[1];
  split(*now, 0);
  prepare(*now);
  while (true) {
    const bool more = now->weights.end < sh.out;
    tbb::task_group ahead;
    if (more) {
      split(*next, now->weights.end);
      ahead.run([&, blk = next] { prepare(*blk); });
    }
    try {
      add(*now);
    } catch (...) {
      ahead.wait();  // the task reads this frame
      throw;
    }
    ahead.wait();
    if (!more) break;
    std::swap(now, next);
  }
}

}  // namespace

void apply_layer(Builder& b, const Layer& l, const LayerShape& sh, const Values& in, const NumberSpec& num,
                 const FixedFormat& fmt, std::int64_t n, const WeightFn& weight, Values& out) {
  const bool number_in = in.kind == ValueKind::number, number_out = sh.out_kind == ValueKind::number;
  const std::uint32_t f_in = number_in ? in.frac : 0;
  const NeuronSums sum_of{l, sh, in, n, std::max({l.weight_frac + f_in, l.bias_frac, number_out ? fmt.frac : 0u}), f_in};
  const std::uint32_t S = sum_of.S;
  out.kind = sh.out_kind;
  out.width = number_out ? fmt.bits : 1;
  out.frac = number_out ? fmt.frac : 0;
  out.lits.clear();
  out.lits.reserve(std::size_t(sh.out) * out.width);
  const LayerSize size = layer_size(sh);
  // One gate per neuron at most: room for them saves regrowing the arrays.
  if (!number_out) b.reserve(size.gates, size.wires);
  if (!number_out && !l.batchnorm) return threshold_neurons(b, sum_of, weight, out.lits);

  // Batch-normalized and number-valued neurons, one at a time.
  static thread_local WeightBlock weights;
  weights.end = 0;
  static thread_local Linear L;  // scratch, reused neuron after neuron
  L.reserve(size.fanin);
  for (std::uint32_t j = 0; j < sh.out; ++j) {
    if (j == weights.end) weights.fill(l, sh, n, weight, j);
    sum_of(weights, j, L);
    if (!number_out) {
      // Fold the normalization into the threshold: the predicate is monotone in L.
      const BatchNorm& bn = *l.batchnorm;
      const std::int64_t gamma = bn.gamma.at(n, j, 0);
      const mpz_class scale = mpz_class(1) << S;
      auto holds = [&](const mpz_class& v) { return batchnorm_holds(bn, n, j, mpq_class(v, scale)); };
      auto [lo, hi] = L.range();
      Lit y;
      if (gamma == 0) {
        y = holds(lo) ? lit_true : lit_false;
      } else if (gamma > 0) {
        auto t = first_true(lo, hi, holds);
        y = t ? L.at_least(b, *t) : lit_false;
      } else {  // holds for L <= t: the complement of [L >= t + 1]
        auto t = first_true(-hi, -lo, [&](const mpz_class& v) { return holds(-v); });
        y = t ? !L.at_least(b, -*t + 1) : lit_false;
      }
      out.lits.push_back(y);
      continue;
    }
    mpz_class c;
    const std::vector<Term> terms = L.terms(c);
    Word y;
    if (num.overflow == Overflow::saturate && l.activation != Activation::none) {
      // Saturating and then clipping again is one clip of the exact value to the narrower range.
      const mpz_class one = mpz_class(1) << fmt.frac;
      const mpz_class lo = l.activation == Activation::relu ? mpz_class(0) : std::max(mpz_class(-one), fmt.min_int());
      const mpz_class hi = l.activation == Activation::relu ? fmt.max_int() : std::min(one, fmt.max_int());
      y = round_sum_clipped(b, terms, c, S - fmt.frac, fmt, num.rounding, lo, hi);
    } else {
      y = round_sum(b, terms, c, S - fmt.frac, fmt, num.rounding, num.overflow);
      if (l.activation == Activation::relu) y = relu(b, y);
      else if (l.activation == Activation::hard_tanh) y = hard_tanh(b, y, fmt);
    }
    out.push(y);
  }
}

Values add_inputs(Builder& b, std::uint64_t count, ValueKind kind, const FixedFormat& fmt, bool names) {
  Values v;
  v.kind = kind;
  v.width = kind == ValueKind::number ? fmt.bits : 1;
  v.frac = kind == ValueKind::number ? fmt.frac : 0;
  v.lits.reserve(count * v.width);
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::string name = names ? "x" + std::to_string(i) : std::string();
    if (v.width == 1) v.lits.push_back(b.add_input(name));
    else v.push(add_input_word(b, v.width, name));
  }
  return v;
}

// A constant value of the given kind from its raw integer (bit 0/1, sign +-1, number X).
Word constant_value(std::int64_t raw, ValueKind kind, const FixedFormat& fmt, const std::string& path) {
  if (kind == ValueKind::number) {
    const mpz_class x(static_cast<long>(raw));
    if (x < fmt.min_int() || x > fmt.max_int()) throw ModelError(path, std::to_string(raw) + " does not fit the number format");
    return constant_word(static_cast<std::uint64_t>(raw), fmt.bits);
  }
  if (kind == ValueKind::bit && (raw == 0 || raw == 1)) return Word{raw ? lit_true : lit_false};
  if (kind == ValueKind::sign && (raw == 1 || raw == -1)) return Word{raw > 0 ? lit_true : lit_false};
  throw ModelError(path, std::to_string(raw) + " is not a " + (kind == ValueKind::bit ? "bit (0 or 1)" : "sign (+1 or -1)"));
}

void compile_model(const Model& m, const ModelShape& shape, Builder& b, const compile_params& params) {
  if (m.kind == Model::Kind::transformer) return compile_transformer(m, shape, b, params);
  if (m.kind == Model::Kind::ssm) return compile_ssm(m, shape, b, params);
  const std::int64_t n = shape.n;
  const FixedFormat& fmt = shape.format;
  Values v;
  if (m.kind == Model::Kind::mlp) {
    refuse_past_memory_bound(b, shape, params.names);
    v = add_inputs(b, shape.input_values, shape.input_kind, fmt, params.names);
  } else {
    const RecurrentSpec& r = *m.rnn;
    const LayerShape& cell = *shape.cell;
    Values x = add_inputs(b, std::uint64_t(shape.steps) * shape.input_values, shape.input_kind, fmt, params.names);
    v.kind = cell.out_kind;
    v.width = v.kind == ValueKind::number ? fmt.bits : 1;
    v.frac = v.kind == ValueKind::number ? fmt.frac : 0;
    for (std::uint32_t j = 0; j < r.hidden; ++j) v.push(constant_value(r.h0.at(n, j, 0), v.kind, fmt, r.h0.path));
    const std::uint32_t h = r.hidden;
    const WeightFn weight = side_by_side(weights_of(r.W, n), h, weights_of(r.U, n));
    Values in;  // [h_{t-1}, x_t]
    for (std::uint32_t t = 0; t < shape.steps; ++t) {
      in.kind = v.kind;
      in.width = v.width;
      in.frac = v.frac;
      in.lits.assign(v.lits.begin(), v.lits.end());
      for (std::uint32_t k = 0; k < shape.input_values; ++k) in.push(x[std::size_t(t) * shape.input_values + k]);
      const std::uint64_t gates = b.num_gates(), wires = b.num_wires();
      apply_layer(b, r.cell, cell, in, m.number, fmt, n, weight, v);
      // Every step after the first (which reads the constant h0) builds as much as the second:
      // room for them all at once instead of regrowing (and copying) the arrays.
      if (t == 1)
        b.reserve((shape.steps - 2) * (b.num_gates() - gates), (shape.steps - 2) * (b.num_wires() - wires));
    }
  }
  add_readout(b, m, shape, std::move(v), params.names, 0);
}

Values readout(Builder& b, const Model& m, const ModelShape& s, Values v) {
  // Room for every plain layer at once: reserving layer by layer would copy the arrays (into
  // fresh, page-faulting memory) at each layer that does not fit the previous reservation.
  std::uint64_t gates = 0, wires = 0;
  for (const LayerShape& sh : s.layers)
    if (sh.out_kind != ValueKind::number) {
      const LayerSize size = layer_size(sh);
      gates += size.gates;
      wires += size.wires;
    }
  b.reserve(gates, wires);
  Values next;
  for (std::size_t k = 0; k < m.layers.size(); ++k) {
    apply_layer(b, m.layers[k], s.layers[k], v, m.number, s.format, s.n, weights_of(m.layers[k].weights, s.n), next);
    std::swap(v, next);
  }
  return v;
}

std::size_t add_readout(Builder& b, const Model& m, const ModelShape& s, Values v, bool names, std::size_t first) {
  v = readout(b, m, s, std::move(v));
  for (std::size_t j = 0; j < v.size(); ++j) {
    const std::string name = names ? "y" + std::to_string(first + j) : std::string();
    if (v.width == 1) b.add_output(v[j][0], name);
    else add_output_word(b, Word(v[j].begin(), v[j].end()), name);
  }
  return v.size();
}

Circuit compile_model(const Model& m, std::int64_t n) {
  const ModelShape shape = shape_at(m, n);
  Builder b;
  compile_model(m, shape, b);
  return std::move(b).build();
}

circuit_stats count_model(const Model& m, std::int64_t n) {
  const ModelShape shape = shape_at(m, n);
  Builder b(CountingStore{});
  compile_model(m, shape, b, compile_params{false});
  return b.count_stats();
}

}  // namespace tcx
