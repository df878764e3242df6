// The reference interpreter: each model evaluated on exact integers, following docs/models.md
// literally. Every value is a dyadic rational X / 2^e with e fixed per layer (0 for bits and
// signs, frac for numbers), so a neuron is one exact integer sum on a common scale. It shares
// nothing with the circuit compiler but the spec and the batch-normalization predicate, so the
// two check each other.
#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "compilers/models/model.hpp"

namespace tcx {

namespace {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

mpz_class to_mpz(i128 x) {
  const bool neg = x < 0;
  u128 u = neg ? -static_cast<u128>(x) : static_cast<u128>(x);
  mpz_class r = (mpz_class(static_cast<unsigned long>(u >> 64)) << 64) + mpz_class(static_cast<unsigned long>(u));
  return neg ? mpz_class(-r) : r;
}

// Values of one layer: integers X, all on the scale 2^-e.
struct Vec {
  ValueKind kind;
  std::uint32_t e;
  std::vector<mpz_class> x;
};

struct Neuron {
  std::vector<std::pair<std::uint32_t, std::int64_t>> w;  // (input, weight), nonzero only
  std::int64_t bias = 0;
  // Batch norm answers per sum, cached: the exact predicate is slow and the sums repeat.
  mutable std::mutex mu;
  mutable std::unordered_map<std::string, bool> bn_cache;
};

struct LayerData {
  const Layer* spec;
  LayerShape shape;
  std::vector<std::unique_ptr<Neuron>> neurons;
};

}  // namespace

struct ModelInterpreter::Impl {
  const Model* m;
  ModelShape s;
  std::optional<LayerData> cell;
  std::vector<LayerData> layers;
  std::vector<std::int64_t> h0;

  LayerData load(const Layer& l, const LayerShape& sh, const std::function<std::int64_t(std::int64_t, std::int64_t)>& weight) {
    LayerData d{&l, sh, {}};
    for (std::uint32_t j = 0; j < sh.out; ++j) {
      auto nr = std::make_unique<Neuron>();
      const std::uint32_t first = sh.window ? std::min<std::uint64_t>(std::uint64_t(j) * sh.stride, sh.in) : 0;
      const std::uint32_t last = sh.window ? std::min<std::uint64_t>(std::uint64_t(j) * sh.stride + sh.window, sh.in) : sh.in;
      for (std::uint32_t i = first; i < last; ++i)
        if (std::int64_t w = weight(j, i); w != 0) nr->w.emplace_back(i, w);
      nr->bias = l.bias.at(s.n, j, 0);
      d.neurons.push_back(std::move(nr));
    }
    return d;
  }

  // Z = z * 2^E exactly.
  static mpz_class neuron_sum(const Neuron& nr, const Vec& in, std::uint32_t wf, std::uint32_t bf, std::uint32_t E) {
    const std::uint32_t ws = E - wf - in.e;
    bool fast = ws < 40 && E - bf < 62;
    i128 acc = 0;
    if (fast) {
      const i128 limit = i128(1) << 120;
      for (const auto& [i, w] : nr.w) {
        if (!in.x[i].fits_slong_p()) { fast = false; break; }
        acc += (i128(w) * in.x[i].get_si()) << ws;  // |w| < 2^63, |X| < 2^63, shift < 40: below 2^126
        if (acc > limit || acc < -limit) { fast = false; break; }
      }
      if (fast) return to_mpz(acc + (i128(nr.bias) << (E - bf)));
    }
    mpz_class Z = mpz_class(static_cast<long>(nr.bias)) << (E - bf);
    for (const auto& [i, w] : nr.w) Z += (mpz_class(static_cast<long>(w)) * in.x[i]) << ws;
    return Z;
  }

  Vec apply(const LayerData& d, const Vec& in) const {
    const Layer& l = *d.spec;
    const FixedFormat& f = s.format;
    const std::uint32_t E = std::max(l.weight_frac + in.e, l.bias_frac);
    Vec out{d.shape.out_kind, d.shape.out_kind == ValueKind::number ? f.frac : 0u, {}};
    const mpz_class lo = -(mpz_class(1) << (f.bits - 1)), hi = (mpz_class(1) << (f.bits - 1)) - 1;
    for (std::uint32_t j = 0; j < d.shape.out; ++j) {
      const Neuron& nr = *d.neurons[j];
      const mpz_class Z = neuron_sum(nr, in, l.weight_frac, l.bias_frac, E);
      if (l.activation == Activation::step || l.activation == Activation::sign) {
        bool on = sgn(Z) >= 0;
        if (l.batchnorm) {
          const std::string key = Z.get_str(16);
          std::lock_guard<std::mutex> lock(nr.mu);
          auto it = nr.bn_cache.find(key);
          if (it == nr.bn_cache.end())
            it = nr.bn_cache.emplace(key, batchnorm_holds(*l.batchnorm, s.n, j, mpq_class(Z, mpz_class(1) << E))).first;
          on = it->second;
        }
        out.x.emplace_back(l.activation == Activation::step ? (on ? 1 : 0) : (on ? 1 : -1));
        continue;
      }
      // Round z to the grid 2^-frac: Y = Z / 2^(E - frac), floor or half up.
      mpz_class Y;
      if (E >= f.frac) {
        const std::uint32_t sh = E - f.frac;
        mpz_class num = Z;
        if (m->number.rounding == Rounding::nearest_half_up && sh > 0) num += mpz_class(1) << (sh - 1);
        mpz_fdiv_q_2exp(Y.get_mpz_t(), num.get_mpz_t(), sh);
      } else {
        Y = Z << (f.frac - E);
      }
      if (m->number.overflow == Overflow::saturate) {
        Y = std::clamp(Y, lo, hi);
      } else {
        const mpz_class mod = mpz_class(1) << f.bits;
        Y = Y - lo;
        mpz_fdiv_r(Y.get_mpz_t(), Y.get_mpz_t(), mod.get_mpz_t());
        Y += lo;
      }
      if (l.activation == Activation::relu && Y < 0) Y = 0;
      if (l.activation == Activation::hard_tanh) {
        const mpz_class one = mpz_class(1) << f.frac;
        Y = std::clamp(Y, std::max(mpz_class(-one), lo), std::min(one, hi));
      }
      out.x.push_back(Y);
    }
    return out;
  }
};

ModelInterpreter::ModelInterpreter(const Model& m, const ModelShape& s) : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.m = &m;
  d.s = s;
  const std::int64_t n = s.n;
  if (m.kind == Model::Kind::rnn) {
    const RecurrentSpec& r = *m.rnn;
    d.cell = d.load(r.cell, *s.cell, [&](std::int64_t j, std::int64_t i) {
      return i < r.hidden ? r.W.at(n, j, i) : r.U.at(n, j, i - r.hidden);
    });
    for (std::uint32_t j = 0; j < r.hidden; ++j) d.h0.push_back(r.h0.at(n, j, 0));
  }
  for (std::size_t k = 0; k < m.layers.size(); ++k)
    d.layers.push_back(d.load(m.layers[k], s.layers[k], [&](std::int64_t j, std::int64_t i) { return m.layers[k].weights.at(n, j, i); }));
}

ModelInterpreter::~ModelInterpreter() = default;

Bits ModelInterpreter::run(const Bits& input) const {
  const Impl& d = *impl_;
  const ModelShape& s = d.s;
  if (input.size() != s.input_bits) throw std::invalid_argument("ModelInterpreter: wrong number of input bits");
  // Input bits to values.
  const std::uint32_t w = s.bits_of(s.input_kind);
  const std::uint64_t count = d.m->kind == Model::Kind::mlp ? s.input_values : std::uint64_t(s.steps) * s.input_values;
  Vec x{s.input_kind, s.input_kind == ValueKind::number ? s.format.frac : 0u, {}};
  for (std::uint64_t i = 0; i < count; ++i) {
    if (s.input_kind == ValueKind::bit) x.x.emplace_back(input[i] ? 1 : 0);
    else if (s.input_kind == ValueKind::sign) x.x.emplace_back(input[i] ? 1 : -1);
    else {
      mpz_class big = 0;  // two's complement, up to 4096 bits
      for (std::uint32_t k = 0; k < w; ++k)
        if (input[i * w + k]) big += mpz_class(1) << k;
      if (input[i * w + w - 1]) big -= mpz_class(1) << w;
      x.x.push_back(big);
    }
  }
  Vec v;
  if (d.m->kind == Model::Kind::mlp) {
    v = std::move(x);
  } else {
    v = Vec{d.cell->shape.out_kind, d.cell->shape.out_kind == ValueKind::number ? s.format.frac : 0u, {}};
    for (std::int64_t h : d.h0) v.x.emplace_back(static_cast<long>(h));
    for (std::uint32_t t = 0; t < s.steps; ++t) {
      Vec in = v;
      for (std::uint32_t k = 0; k < s.input_values; ++k) in.x.push_back(x.x[std::size_t(t) * s.input_values + k]);
      v = d.apply(*d.cell, in);
    }
  }
  for (const LayerData& l : d.layers) v = d.apply(l, v);
  Bits out;
  for (const mpz_class& y : v.x) {
    if (v.kind != ValueKind::number) {
      out.push_back(y > 0 ? 1 : 0);
      continue;
    }
    mpz_class X = y;
    if (X < 0) X += mpz_class(1) << s.format.bits;  // two's complement
    for (std::uint32_t k = 0; k < s.format.bits; ++k) out.push_back(mpz_tstbit(X.get_mpz_t(), k) ? 1 : 0);
  }
  return out;
}

}  // namespace tcx
